/**
 * DeepSeek sparse attention: DeepSeek-V3.2 (`deepseek_v32`) and GLM-5 / 5.1 / 5.2 / 5.3 (`glm_moe_dsa`). MLA + MoE as
 * DeepSeek-V3, plus a lightning indexer in each layer whose fp8 keys are cached per token beside the MLA latent.
 * Both map to DeepseekV2ForCausalLM subclasses in vLLM (vllm@9aaf83ef:vllm/model_executor/models/registry.py:100, 124;
 * deepseek_v2.py:1729-1730); research note §2.4.
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerKv, LayerParams, ModelSpec } from '../modelSpec';
import { emptyLayer, layerTotal, mlaLatentKv, mlaParams, moeParams, mtpWrapperParams } from './deepseekBlocks';
import { FamilyReader, Json, num } from './types';

/**
 * The indexer key cache: index_head_dim fp8 values + one fp32 scale per 128 (132 B for 128), its own MLAAttentionSpec
 * replicated on every rank (deepseek_v2.py:575-601, 651-658). In fp8 the latent uses FlashMLA-sparse's fp8_ds_mla
 * layout: 512 fp8 + 16 B scales + 64 bf16 rope = 656 B (vllm/v1/kv_cache_interface.py:355-362).
 */
function dsaKv(base: ModelSpec, indexHeadDim: number): LayerKv {
  const a = base.mla!;
  return {
    ...mlaLatentKv(a),
    fixedBytes: indexHeadDim + (indexHeadDim / 128) * 4,
    fp8Bytes: a.kvLoraRank + (a.kvLoraRank / 128) * 4 + a.qkRopeHeadDim * 2,
  };
}

/**
 * GLM-5.2's `indexer_types`: `shared` layers reuse the top-k of the last `full` layer and carry no indexer weights
 * (sglang@29481685:python/sglang/srt/models/deepseek_common/attention_forward_methods/forward_mla.py:179-198).
 */
function indexerLayers(c: Json, layers: number): boolean[] {
  const types = c.indexer_types;
  if (!Array.isArray(types)) return Array.from({ length: layers }, () => true);
  if (types.length !== layers) throw new ModelConfigError(`indexer_types has ${types.length} entries for ${layers} layers`);
  return types.map((t) => String(t) !== 'shared');
}

function read(base: ModelSpec, c: Json): ModelSpec {
  const a = base.mla;
  const moe = base.moe;
  const ih = num(c.index_n_heads);
  const id = num(c.index_head_dim);
  if (!a || !a.qLoraRank || !moe || !ih || !id) throw new ModelConfigError(`${base.modelType}: expected kv_lora_rank, q_lora_rank, index_n_heads, index_head_dim and routed experts`);
  const d = base.hidden;
  const attn = mlaParams(d, base.heads, a);
  // Indexer (deepseek_v2.py:604-737): wq_b ReplicatedLinear, wk + weights_proj fused with disable_tp, k_norm LayerNorm.
  const indexer = { replicated: a.qLoraRank * ih * id + d * id + d * ih, norms: 2 * id };
  const hasIndexer = indexerLayers(c, base.layers);
  const moeBlock = { hidden: d, experts: moe.numExperts, topK: moe.topK, expertIntermediate: moe.expertIntermediate, sharedIntermediate: moe.sharedIntermediate, routerBias: true };
  const layer = (withIndexer: boolean, isMoe: boolean): LayerParams => ({
    ...emptyLayer(base.kvHeads),
    attention: attn.sharded,
    replicated: attn.replicated + (withIndexer ? indexer.replicated : 0),
    norms: attn.norms + (withIndexer ? indexer.norms : 0) + 2 * d,
    ...(isMoe ? moeParams(moeBlock) : { mlp: 3 * d * base.intermediate }),
  });
  const layerParams = hasIndexer.map((x, i) => layer(x, moe.moeLayers[i]));
  const kv = dsaKv(base, id);
  const nextn = num(c.num_nextn_predict_layers) ?? 0;
  const assumptions = [...base.assumptions];
  const shared = hasIndexer.filter((x) => !x).length;
  if (shared) {
    const without = base.layers * (kv.elements * 2 + kv.fixedBytes!) - shared * kv.fixedBytes!;
    assumptions.push(`${shared} of ${base.layers} layers reuse an earlier layer's indexer (indexer_types "shared"): no indexer weights there, but an index-key cache is counted in every layer, as vLLM builds one per attention layer (vllm@9aaf83ef deepseek_v2.py:1009-1019); an engine that skips it there needs ${without} B/token (bf16) instead`);
  }
  assumptions.push(`DeepSeek sparse attention: each layer caches its ${kv.fixedBytes} B fp8 indexer key per token beside the MLA latent, replicated on every GPU; fp8 KV uses FlashMLA-sparse's ${kv.fp8Bytes}-byte fp8_ds_mla layout`);
  return {
    ...base,
    attention: Array.from({ length: base.layers }, (): LayerAttention => ({ kind: 'full' })),
    layerParams,
    layerKv: Array.from({ length: base.layers }, () => kv),
    // The MTP layer is one more full layer (MLA + indexer + MoE) inside DeepSeek's MTP wrapper.
    ...(nextn > 0 ? { mtp: { params: nextn * (layerTotal(layer(true, true)) + mtpWrapperParams(d)), kvLayers: nextn } } : {}),
    assumptions,
  };
}

export const deepseekSparse: FamilyReader = {
  name: 'DeepSeek sparse attention (MLA + lightning indexer)',
  matches: (modelType, architecture) => modelType === 'deepseek_v32' || modelType === 'glm_moe_dsa' || /^(DeepseekV32|GlmMoeDsa)ForCausalLM$/.test(architecture),
  read: (base, text) => read(base, text),
};
