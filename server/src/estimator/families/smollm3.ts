/**
 * SmolLM3 (`smollm3`, SmolLM3ForCausalLM): Llama weights exactly; `no_rope_layers` (every 4th layer NoPE) only
 * changes where rotary embeddings apply, not what a layer holds or caches. vLLM serves it through the Llama layers
 * (the registry's SmolLM3ForCausalLM entry) — read by symbol, no pinned commit. SmolLM3Config defaults to tied
 * embeddings, and the 3B's config.json omits the field: tied, which gives the model card's 3.08 B.
 */
import { llamaLayers } from './plainLayers';
import { FamilyReader } from './types';

export const smollm3: FamilyReader = {
  name: 'SmolLM3 (Llama with NoPE layers)',
  matches: (modelType) => modelType === 'smollm3',
  read(base, c) {
    const d = base.hidden;
    const bias = c.attention_bias === true;
    const mlpBias = c.mlp_bias === true;
    const layerParams = llamaLayers(base, bias, 2 * d, mlpBias);
    return { ...base, moe: null, mla: null, qkvBias: bias, qkNorm: false, tiedEmbeddings: c.tie_word_embeddings !== false, layerParams };
  },
};
