/**
 * MiniMax-M2 / M2.5 / M2.7 (`minimax_m2`): GQA on every layer with q/k RMSNorms over the whole projected width, and a
 * routed MoE with a sigmoid router and score bias on every layer, no shared expert.
 * vllm@9aaf83ef:vllm/model_executor/models/minimax_m2.py (router 77-140, attention 143-251, MTP skipped 584-592).
 */
import type { LayerParams } from '../modelSpec';
import { type FamilyReader, num } from './types';

export const minimaxM2: FamilyReader = {
  name: 'MiniMax-M2 (GQA with full-width q/k norms, sigmoid-routed MoE)',
  // A shared expert (shared_intermediate_size > 0) is not in vLLM's MiniMaxM2 model; such a config stays unmodelled.
  matches: (modelType, _arch, text) => modelType === 'minimax_m2' && !((num(text.shared_intermediate_size) ?? 0) > 0),
  read(base, c) {
    const d = base.hidden;
    const q = base.heads * base.headDim;
    const kv = base.kvHeads * base.headDim;
    const experts = num(c.num_local_experts) ?? base.moe?.numExperts ?? 1;
    const topK = num(c.num_experts_per_tok) ?? base.moe?.topK ?? 1;
    // intermediate_size is the per-expert width (there are no dense layers).
    const inter = num(c.intermediate_size) ?? base.intermediate;
    const qkNorm = c.use_qk_norm !== false;
    const layer: LayerParams = {
      // q_norm spans all heads' width and is TP-sharded with them (MiniMaxText01RMSNormTP).
      attention: 2 * d * q + (qkNorm ? q : 0),
      kvProj: 2 * d * kv + (qkNorm ? kv : 0),
      kvHeads: base.kvHeads,
      replicated: 0,
      mlp: 0,
      experts: experts * 3 * d * inter,
      activeExperts: topK * 3 * d * inter,
      // Gate (fp32 in vLLM, counted here as 16-bit like every router) + e_score_correction_bias.
      router: d * experts + (c.use_routing_bias === false ? 0 : experts),
      norms: 2 * d,
    };
    const assumptions = [...base.assumptions];
    const mtp = num(c.num_mtp_modules);
    if (mtp) assumptions.push(`MiniMax-M2's ${mtp} MTP modules are in the checkpoint but vLLM skips them (not counted)`);
    return {
      ...base,
      intermediate: inter,
      qkNorm,
      attention: Array.from({ length: base.layers }, () => ({ kind: 'full' as const })),
      layerParams: Array.from({ length: base.layers }, () => ({ ...layer })),
      moe: { numExperts: experts, topK, expertIntermediate: inter, sharedIntermediate: 0, moeLayers: Array.from({ length: base.layers }, () => true), expertBias: false },
      assumptions,
    };
  },
};
