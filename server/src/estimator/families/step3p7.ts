/**
 * Step-3.7-Flash (`step3p7`, Step3p7FlashForCausalLM). The only copy at hand is AIConfigurator's trimmed config, so the
 * layer is read from the fields it keeps: GQA attention (64 query heads, 8 KV heads of 128), `layer_types` with one
 * full-attention layer per four and 512-token sliding windows on the others, the first `first_k_dense_replace` layers
 * dense (SwiGLU of `intermediate_size`), every other layer an MoE of `num_experts` SwiGLU experts of
 * `moe_intermediate_size`, top `num_experts_per_tok`, beside `n_shared_experts` shared experts of `share_expert_dim`
 * with a router that carries a score bias, untied embeddings. The shapes give 195.9 B total and 10.9 B active, which is
 * StepFun's published 196 B / 11 B for the Step-3.5-Flash line this config continues: the check that nothing
 * weight-sized is missing. Not in the trimmed config, so not counted: per-head attention gates (d × heads per layer,
 * 0.01 B in all) and any norms beyond the two per layer. MTP: `num_nextn_predict_layers` layers counted apart, each
 * assumed DeepSeek-style (an embedding/hidden projection 2d × d, two norms and one decoder layer with the MoE block).
 */
import { attentionParams, gatedMlpParams, routedExperts } from './plainLayers';
import { FamilyReader, num } from './types';

export const step3p7: FamilyReader = {
  name: 'Step-3.7-Flash (GQA, 3:1 sliding window, shared-expert MoE)',
  matches: (modelType) => modelType === 'step3p7',
  read(base, c) {
    const d = base.hidden;
    const experts = num(c.num_experts) ?? 0;
    const topK = num(c.num_experts_per_tok) ?? 8;
    const width = num(c.moe_intermediate_size) ?? base.intermediate;
    const shared = (num(c.n_shared_experts) ?? 0) * (num(c.share_expert_dim) ?? width);
    const firstDense = num(c.first_k_dense_replace) ?? 0;
    const attention = attentionParams({ hidden: d, heads: base.heads, kvHeads: base.kvHeads, headDim: base.headDim, qkvBias: false, oBias: false });
    const moeLayer = () => ({
      ...attention, replicated: 0, mlp: gatedMlpParams(d, shared),
      ...routedExperts(d, experts, topK, width),
      norms: 2 * d, router: d * experts + experts, // router + its score-correction bias
    });
    const denseLayer = () => ({ ...attention, replicated: 0, mlp: gatedMlpParams(d, base.intermediate), experts: 0, activeExperts: 0, router: 0, norms: 2 * d });
    const layerParams = Array.from({ length: base.layers }, (_, i) => (i < firstDense ? denseLayer() : moeLayer()));
    const one = moeLayer();
    const nextn = num(c.num_nextn_predict_layers) ?? 0;
    const mtpLayer = 2 * d * d + 2 * d + one.attention + one.kvProj + one.mlp + one.experts + one.router + one.norms;
    return {
      ...base,
      mla: null, qkvBias: false, qkNorm: false, gatedMlp: true, tiedEmbeddings: c.tie_word_embeddings === true,
      moe: { numExperts: experts, topK, expertIntermediate: width, sharedIntermediate: shared, moeLayers: layerParams.map((_, i) => i >= firstDense), expertBias: false },
      layerParams,
      ...(nextn > 0 ? { mtp: { params: nextn * mtpLayer, kvLayers: nextn } } : {}),
      assumptions: [...base.assumptions, "Step-3.7-Flash read from a trimmed config (AIConfigurator's copy): per-head attention gates are not in it and not counted (≈ 0.01 B); MTP layers assumed DeepSeek-style"],
    };
  },
};
