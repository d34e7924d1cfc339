/**
 * Granite MoE (`granitemoe`, GraniteMoeForCausalLM: granite-3.x-1b-a400m / 3b-a800m): Llama attention, every layer
 * an MoE of `num_local_experts` gated experts (width intermediate_size, top num_experts_per_tok) behind a bias-free
 * router, no shared experts (that is `granitemoeshared`, another model_type); the embedding / residual / logit
 * multipliers are scalars, not tensors. vLLM: vllm/model_executor/models/granitemoe.py (GraniteMoeMoE: ReplicatedLinear
 * gate + FusedMoE; GraniteMoeAttention; GraniteMoeDecoderLayer) — read by symbol, no pinned commit.
 */
import { attentionParams, routedExperts } from './plainLayers';
import { FamilyReader, num } from './types';

export const granitemoe: FamilyReader = {
  name: 'Granite MoE',
  matches: (modelType) => modelType === 'granitemoe',
  read(base, c) {
    const d = base.hidden;
    const experts = num(c.num_local_experts) ?? 1;
    const topK = num(c.num_experts_per_tok) ?? 2;
    const width = base.intermediate;
    const bias = c.attention_bias === true;
    const layerParams = Array.from({ length: base.layers }, () => ({
      ...attentionParams({ hidden: d, heads: base.heads, kvHeads: base.kvHeads, headDim: base.headDim, qkvBias: bias, oBias: bias }),
      replicated: 0,
      mlp: 0,
      ...routedExperts(d, experts, topK, width),
      norms: 2 * d,
    }));
    return {
      ...base,
      mla: null,
      qkvBias: bias,
      qkNorm: false,
      moe: { numExperts: experts, topK, expertIntermediate: width, sharedIntermediate: 0, moeLayers: Array.from({ length: base.layers }, () => true), expertBias: false },
      layerParams,
    };
  },
};
