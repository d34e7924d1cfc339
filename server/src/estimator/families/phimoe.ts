/**
 * PhiMoE (`phimoe`, PhiMoEForCausalLM: Phi-3.5-MoE, Phi-mini-MoE, Phi-tiny-MoE): Mixtral-shaped MoE (every layer
 * `num_local_experts` SwiGLU experts, top `num_experts_per_tok`, a bias-free router) with Phi's differences: biased
 * q/k/v and o projections, LayerNorms with bias (two per layer and the final one), and an LM head with a bias
 * (`lm_head_bias`). The one `sliding_window` applies to every layer, as the generic reader already reads it.
 * vLLM: vllm/model_executor/models/phimoe.py (PhiMoEAttention qkv/o bias=True, PhiMoEDecoderLayer nn.LayerNorm
 * elementwise_affine, PhiMoEModel norm, PhiMoEForCausalLM ParallelLMHead bias) — read by symbol, no pinned commit.
 */
import { attentionParams, routedExperts } from './plainLayers';
import { FamilyReader, num } from './types';

export const phimoe: FamilyReader = {
  name: 'PhiMoE (Mixtral-like MoE with LayerNorm and biases)',
  matches: (modelType) => modelType === 'phimoe',
  read(base, c) {
    const d = base.hidden;
    const experts = num(c.num_local_experts) ?? 16;
    const topK = num(c.num_experts_per_tok) ?? 2;
    const width = base.intermediate;
    const layerParams = Array.from({ length: base.layers }, () => ({
      ...attentionParams({ hidden: d, heads: base.heads, kvHeads: base.kvHeads, headDim: base.headDim, qkvBias: true, oBias: true }),
      replicated: 0,
      mlp: 0,
      ...routedExperts(d, experts, topK, width),
      // input_layernorm and post_attention_layernorm: weight + bias each.
      norms: 4 * d,
    }));
    // The final LayerNorm's bias beside its weight, and the LM head's bias (PhiMoEConfig defaults lm_head_bias false).
    const extra = d + (c.lm_head_bias === true ? base.vocab : 0);
    return {
      ...base,
      mla: null,
      qkvBias: true,
      qkNorm: false,
      normsPerLayer: 2,
      moe: { numExperts: experts, topK, expertIntermediate: width, sharedIntermediate: 0, moeLayers: Array.from({ length: base.layers }, () => true), expertBias: false },
      extraParams: (base.extraParams ?? 0) + extra,
      layerParams,
    };
  },
};
