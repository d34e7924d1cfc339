/**
 * OLMo 2 / OLMo 3 (`olmo2`, `olmo3`: Olmo2ForCausalLM, Olmo3ForCausalLM): a Llama with post-norms only (no
 * input_layernorm: post_attention_layernorm and post_feedforward_layernorm), and q/k RMSNorms over the whole projected
 * width (heads × head_dim and KV heads × head_dim, all-gathered under TP, so held whole on every rank) instead of per
 * head. OLMo 3 marks its sliding-window layers in `layer_types` (3 sliding : 1 full, window `sliding_window`).
 * vLLM serves both with vllm/model_executor/models/olmo2.py (Olmo2Attention: q_norm / k_norm, per-layer
 * sliding_window from layer_types; Olmo2DecoderLayer) — read by symbol, no pinned commit.
 */
import { llamaLayers } from './plainLayers';
import { FamilyReader } from './types';

export const olmo: FamilyReader = {
  name: 'OLMo 2/3 (post-norm, full-width q/k norms)',
  matches: (modelType) => modelType === 'olmo2' || modelType === 'olmo3',
  read(base, c) {
    const d = base.hidden;
    const bias = c.attention_bias === true;
    // Two post-norms plus the full-width q and k norms.
    const layerParams = llamaLayers(base, bias, 2 * d + (base.heads + base.kvHeads) * base.headDim);
    // The generic reader already reads layer_types + sliding_window into per-layer sliding / full attention.
    return { ...base, moe: null, mla: null, qkvBias: bias, qkNorm: true, layerParams };
  },
};
