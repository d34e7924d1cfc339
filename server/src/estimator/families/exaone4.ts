/**
 * EXAONE 4.0 (`exaone4`, Exaone4ForCausalLM): Llama-shaped attention and SwiGLU MLP with per-head q/k RMSNorms, and
 * post-norms (post_attention_layernorm, post_feedforward_layernorm) in place of the pre-norms; the 32B interleaves
 * three sliding-window layers with one global layer, as `layer_types` lists them (`sliding_window_pattern` "LLLG").
 * vLLM: vllm/model_executor/models/exaone4.py (Exaone4Attention q_norm / k_norm over head_dim, sliding_window only on
 * the layers layer_types marks sliding; Exaone4DecoderLayer) — read by symbol, no pinned commit. The model card's
 * "30.95B parameters without embeddings" is what these shapes give for EXAONE-4.0-32B.
 */
import { llamaLayers } from './plainLayers';
import { FamilyReader } from './types';

export const exaone4: FamilyReader = {
  name: 'EXAONE 4.0 (sliding/global, q/k norms)',
  matches: (modelType) => modelType === 'exaone4',
  read(base, c) {
    const d = base.hidden;
    const bias = c.attention_bias === true;
    // Two post-norms plus the per-head q and k norms.
    const layerParams = llamaLayers(base, bias, 2 * d + 2 * base.headDim);
    // layer_types + sliding_window: the generic reader's per-layer attention is already EXAONE's.
    return { ...base, moe: null, mla: null, qkvBias: bias, qkNorm: true, layerParams };
  },
};
