/**
 * Hunyuan v1 (`hunyuan`, `hunyuan_v1_dense` / `hunyuan_v1_moe`: HunYuanMoEV1ForCausalLM — Hunyuan-A13B — and
 * HunYuanDenseV1ForCausalLM): Llama attention with per-head q/k RMSNorms (`use_qk_norm`: query_layernorm,
 * key_layernorm), optional cross-layer attention (`use_cla`: only every `cla_share_factor`-th layer projects and
 * caches K/V, the layers after it reuse them), and MoE layers of routed SwiGLU experts (per-layer lists
 * `moe_intermediate_size`, `moe_topk`) plus a shared MLP of intermediate_size × `num_shared_expert` when
 * `use_mixed_mlp_moe`. vLLM: vllm/model_executor/models/hunyuan_v1.py (HunYuanAttention, HunYuanCrossAttention,
 * HunYuanSparseMoeBlock: ReplicatedLinear gate, FusedMoE, shared_mlp; HunYuanDecoderLayer) — read by symbol, no pinned
 * commit. Hunyuan-A13B: 80 B total, 13 B active (model card).
 */
import type { LayerAttention, LayerParams } from '../modelSpec';
import { attentionParams, gatedMlpParams, routedExperts } from './plainLayers';
import { FamilyReader, num } from './types';

/** A config value that is one number for every layer or a per-layer list (Hunyuan's moe_topk, num_shared_expert, …). */
function perLayer(v: unknown, i: number): number | undefined {
  return Array.isArray(v) ? num(v[i]) : num(v);
}

export const hunyuan: FamilyReader = {
  name: 'Hunyuan (MoE with shared expert, q/k norms, CLA)',
  matches: (modelType, architecture) => /^hunyuan(_v1_(dense|moe))?$/.test(modelType) || /^HunYuan(MoE|Dense)V1ForCausalLM$/.test(architecture),
  read(base, c) {
    const d = base.hidden;
    const heads = base.heads;
    const headDim = num(c.head_dim) ?? num(c.attention_head_dim) ?? Math.floor(d / heads);
    const kvHeads = base.kvHeads;
    const bias = c.attention_bias === true;
    const qkNorm = c.use_qk_norm === true;
    const cla = c.use_cla === true ? Math.max(1, num(c.cla_share_factor) ?? 1) : 1;
    const numExperts = num(c.num_experts) ?? (Array.isArray(c.num_experts) ? num(c.num_experts[0]) : undefined) ?? 1;
    const isMoe = numExperts > 1;
    const skipped = num(c.moe_layer_num_skipped) ?? 0;
    const mixed = c.use_mixed_mlp_moe === true || (num(c.use_mixed_mlp_moe) ?? 0) > 0;
    const layerParams: LayerParams[] = [];
    const attention: LayerAttention[] = [];
    const moeLayers: boolean[] = [];
    let topK = 0;
    let expertWidth = 0;
    let sharedWidth = 0;
    for (let i = 0; i < base.layers; i++) {
      const a = attentionParams({ hidden: d, heads, kvHeads, headDim, qkvBias: bias, oBias: bias });
      // A CLA layer (i % factor ≠ 0) has only q and o: it attends over the K/V the layer before it projected and cached.
      const ownKv = i % cla === 0;
      const layer: LayerParams = { ...a, kvProj: ownKv ? a.kvProj : 0, replicated: 0, mlp: 0, experts: 0, activeExperts: 0, router: 0, norms: 2 * d + (qkNorm ? 2 * headDim : 0) };
      attention.push(ownKv ? base.attention[i] ?? { kind: 'full' } : { kind: 'none' });
      if (isMoe && i >= skipped) {
        const k = perLayer(c.moe_topk, i) ?? perLayer(c.num_experts_per_tok, i) ?? 1;
        const width = perLayer(c.moe_intermediate_size, i) ?? base.intermediate;
        Object.assign(layer, routedExperts(d, numExperts, k, width));
        const shared = mixed ? (perLayer(c.num_shared_expert, i) ?? 1) * base.intermediate : 0;
        layer.mlp = shared ? gatedMlpParams(d, shared) : 0;
        topK = k;
        expertWidth = width;
        sharedWidth = shared;
        moeLayers.push(true);
      } else {
        layer.mlp = gatedMlpParams(d, base.intermediate);
        moeLayers.push(false);
      }
      layerParams.push(layer);
    }
    const assumptions = [...base.assumptions];
    if (cla > 1) assumptions.push(`cross-layer attention (cla_share_factor ${cla}): ${attention.filter((x) => x.kind !== 'none').length} of ${base.layers} layers project and cache K/V; the others reuse them (counted with no KV of their own — whether vLLM's HunYuanCrossAttention still registers a cache is not verified)`);
    return {
      ...base,
      headDim,
      mla: null,
      qkvBias: bias,
      qkNorm,
      moe: isMoe ? { numExperts, topK, expertIntermediate: expertWidth, sharedIntermediate: sharedWidth, moeLayers, expertBias: false } : null,
      attention,
      layerParams,
      assumptions,
    };
  },
};
