/**
 * MiniMax-M3 (`minimax_m3`; the text model of the `minimax_m3_vl` wrapper): GQA with per-head q/k norms on every
 * layer, block-sparse attention with a lightning indexer on the layers `sparse_attention_freq` marks, the first
 * layers dense, then 128-expert MoE with one shared expert and an fp32 router.
 * vllm@0443308a vllm/models/minimax_m3/nvidia/model.py (MiniMaxM3MLP, MiniMaxM3MoE, MiniMaxM3Attention,
 * MiniMaxM3SparseAttention, MiniMaxM3DecoderLayer); index-key cache vllm@0484480b
 * vllm/models/minimax_m3/common/indexer.py (MiniMaxM3IndexerCache.get_kv_cache_spec).
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerKv, LayerParams } from '../modelSpec';
import { type FamilyReader, type Json, num } from './types';

const flags = (v: unknown, layers: number): boolean[] | undefined =>
  Array.isArray(v) && v.length === layers ? v.map((x) => x !== 0 && x !== false) : undefined;

export const minimaxM3: FamilyReader = {
  name: 'MiniMax-M3 (GQA + lightning-indexer sparse attention, MoE with a shared expert)',
  // An attention output gate would add a projection whose shape was not read; no checkpoint here enables it.
  matches: (modelType, _arch, text) => (modelType === 'minimax_m3' || modelType === 'minimax_m3_vl') && text.attention_output_gate !== true,
  read(base, c) {
    const L = base.layers;
    const d = base.hidden;
    const q = base.heads * base.headDim;
    const kv = base.kvHeads * base.headDim;
    // moe_layer_freq: 0 = dense layer; without it the first first_k_dense_replace layers are dense.
    const firstDense = num(c.first_k_dense_replace) ?? 0;
    const moeLayers = flags(c.moe_layer_freq, L) ?? Array.from({ length: L }, (_, i) => i >= firstDense);
    const sparse = (c.sparse_attention_config ?? {}) as Json;
    const sparseOn = c.sparse_attention_config != null && sparse.use_sparse_attention !== false;
    const sparseLayers = sparseOn ? flags(sparse.sparse_attention_freq, L) : Array.from({ length: L }, () => false);
    if (!sparseLayers) throw new ModelConfigError(`MiniMax-M3 sparse_attention_config needs sparse_attention_freq with one entry per layer (${L})`);
    const indexDim = num(sparse.sparse_index_dim) ?? 128;
    const indexHeads = num(sparse.sparse_num_index_heads) ?? 1;
    const experts = num(c.num_local_experts) ?? 1;
    const topK = num(c.num_experts_per_tok) ?? 1;
    // The NVFP4 mirror's text config omits moe_intermediate_size; the model falls back to intermediate_size.
    const expertInter = num(c.moe_intermediate_size) ?? num(c.intermediate_size) ?? base.intermediate;
    const sharedInter = (num(c.n_shared_experts) ?? 0) * (num(c.intermediate_size) ?? expertInter);
    const denseInter = num(c.dense_intermediate_size) ?? base.intermediate;
    const headNorms = c.use_qk_norm !== false ? 2 * base.headDim : 0;

    const layerParams: LayerParams[] = [];
    const layerKv: LayerKv[] = [];
    for (let i = 0; i < L; i++) {
      const moe = moeLayers[i];
      // The fused projection also emits index_q (index heads × index dim) and one index_k vector. Held whole on every
      // rank here (like DSA indexers): a single-head index key cannot split, and how index_q shards was not read.
      const indexer = sparseLayers[i] ? d * (indexHeads * indexDim + indexDim) : 0;
      layerParams.push({
        attention: 2 * d * q,
        kvProj: 2 * d * kv,
        kvHeads: base.kvHeads,
        replicated: indexer,
        mlp: moe ? 3 * d * sharedInter : 3 * d * denseInter,
        experts: moe ? experts * 3 * d * expertInter : 0,
        activeExperts: moe ? topK * 3 * d * expertInter : 0,
        // GateLinear (fp32 in vLLM; counted 16-bit like every router) + score-correction bias.
        router: moe ? d * experts + (c.use_routing_bias === false ? 0 : experts) : 0,
        norms: 2 * d + headNorms,
      });
      // Every layer keeps its GQA KV; sparse layers add a key-only index cache of one bf16 vector per token, the same
      // on every rank (MLAAttentionSpec, block 128).
      layerKv.push({ elements: 2 * kv, heads: base.kvHeads, ...(sparseLayers[i] ? { fixedBytes: indexDim * 2 } : {}) });
    }
    const assumptions = [...base.assumptions];
    const mtp = num(c.num_mtp_modules);
    if (mtp) assumptions.push(`MiniMax-M3's ${mtp} MTP module(s) are not loaded by vLLM's main model (not counted)`);
    return {
      ...base,
      intermediate: denseInter,
      qkNorm: headNorms > 0,
      attention: Array.from({ length: L }, () => ({ kind: 'full' as const })),
      layerParams,
      layerKv,
      moe: { numExperts: experts, topK, expertIntermediate: expertInter, sharedIntermediate: sharedInter, moeLayers, expertBias: false },
      assumptions,
    };
  },
};
