/**
 * DeepSeek-V4 (`deepseek_v4`; the sgl-project FP8 configs say `deepseek_ref`): one 512-wide KV head, grouped low-rank
 * output, per-layer KV compression (`compress_ratios`: 0 sliding window only, 4 compressed 4:1 + lightning indexer,
 * 128 compressed 128:1), hyper-connections (`hc_mult`), MoE in every layer with the first `num_hash_layers` routed by a
 * token-id table. Shapes as vLLM builds them: vllm@9aaf83ef:vllm/models/deepseek_v4/ (nvidia/model.py:616-1295,
 * compressor.py:121-230, attention.py:692-712, 1069-1160, nvidia/mtp.py:61-157); research note §2.5.
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerKv, LayerParams, ModelSpec } from '../modelSpec';
import { emptyLayer, layerTotal, moeParams } from './deepseekBlocks';
import type { WeightFormat } from '../quantization';
import { FamilyReader, Json, num } from './types';

interface Dims {
  d: number;
  heads: number;
  headDim: number;
  rope: number;
  qLora: number;
  oLora: number;
  oGroups: number;
  indexHeads: number;
  indexDim: number;
  hc: number;
  vocab: number;
  window: number;
}

/** Compressor of one layer at `dim` (DeepseekCompressor, compressor.py:173-230): coff = 2 for ratio 4 (overlapping windows). */
const coff = (ratio: number): number => (ratio === 4 ? 2 : 1);
const compressor = (x: Dims, ratio: number, dim: number): { replicated: number; norms: number } => ({
  // ape (ratio × coff × dim, fp32) and fused_wkv_wgate d → 2·coff·dim; its RMSNorm at dim.
  replicated: ratio * coff(ratio) * dim + x.d * 2 * coff(ratio) * dim,
  norms: dim,
});

/** Hyper-connection mixing of one sub-block: fn ((2 + hc)·hc) × (hc·d), base, 3 scales (fp32, nvidia/model.py:1017-1070). */
const hcParams = (x: Dims): number => ((2 + x.hc) * x.hc) * (x.hc * x.d) + (2 + x.hc) * x.hc + 3;
/** The model-level hyper-connection head: fn hc × (hc·d), base, one scale (nvidia/model.py:1273-1295). */
const hcHeadParams = (x: Dims): number => x.hc * (x.hc * x.d) + x.hc + 1;

function attentionParams(x: Dims, ratio: number): Pick<LayerParams, 'attention' | 'replicated' | 'norms'> {
  // fused_wqa_wkv d → qL + 512 is replicated; wq_b and the grouped wo_a column-parallel, wo_b row-parallel; q/kv norms
  // and the per-head attention sink are small vectors (nvidia/model.py:825-990).
  const out = { attention: x.qLora * x.heads * x.headDim + x.heads * x.headDim * x.oLora + x.oGroups * x.oLora * x.d, replicated: x.d * (x.qLora + x.headDim), norms: x.qLora + x.headDim + x.heads };
  if (ratio) {
    const c = compressor(x, ratio, x.headDim);
    out.replicated += c.replicated;
    out.norms += c.norms;
  }
  if (ratio === 4) {
    // C4 layers' lightning indexer: wq_b qL → ih·id, weights_proj d → ih, its own compressor at index_head_dim
    // (attention.py:1069-1160); all replicated.
    const c = compressor(x, 4, x.indexDim);
    out.replicated += x.qLora * x.indexHeads * x.indexDim + x.d * x.indexHeads + c.replicated;
    out.norms += c.norms;
  }
  return out;
}

/**
 * KV of one layer (vLLM; fp8 only, attention.py:692-712). Every layer keeps a `sliding_window`-token cache of 584 B per
 * token (448 fp8 nope + 64 bf16 rope + 8 B of scales; kv_cache_interface.py:355-360, 515-518). C4 layers add the
 * compressed KV (584 B per 4 tokens) and the indexer key (132 B per 4 tokens) that grow with the context, and fp32
 * compressor states over coff × ratio tokens; C128 layers add 584 B per 128 tokens and a 128-token compressor state
 * (compressor.py:121-170). Before vLLM's 576-byte page padding (research note §2.5: the exact pool layout is open).
 */
function layerKv(x: Dims, ratio: number): LayerKv {
  const entry = x.headDim - x.rope + 2 * x.rope + 8;
  const indexKey = x.indexDim + (x.indexDim / 128) * 4;
  const stateWindow = (dim: number): number => coff(ratio) * ratio * 2 * coff(ratio) * dim * 4;
  let growing = 0;
  let window = x.window * entry;
  if (ratio) {
    growing += entry / ratio;
    window += stateWindow(x.headDim);
  }
  if (ratio === 4) {
    growing += indexKey / ratio;
    window += stateWindow(x.indexDim);
  }
  return { elements: 0, heads: 1, fixedBytes: growing, windowBytes: window };
}

/**
 * Routed experts in 4 bits beside FP8 linears: DeepSeek's own checkpoints (`expert_dtype` fp4, one ue8m0 scale per 32
 * values) and the mixed NVFP4 exports (NVIDIA's `moe_quant_algo` NVFP4, one fp8 scale per 16, attention and shared
 * experts left 16-bit by their `ignore` list; RedHatAI's compressed-tensors nvfp4 group). The generic reading sees only the FP8 `quant_method`.
 */
function expertFormat(base: ModelSpec, c: Json, assumptions: string[]): WeightFormat {
  const f = base.weightFormat;
  if (f.name !== 'fp8') return f;
  const q = (c.quantization_config ?? {}) as Json;
  // compressed-tensors mixed exports (RedHatAI …-NVFP4-FP8) say it with an nvfp4 group targeting the ffn projections.
  const groups = Object.values((q.config_groups ?? {}) as Record<string, Json>);
  const nvfp4Group = groups.some((g) => /nvfp4/.test(String(g?.format ?? '')) && JSON.stringify(g?.targets ?? '').includes('ffn'));
  if (String(q.moe_quant_algo ?? '').toUpperCase() === 'NVFP4' || nvfp4Group) {
    const ignore = Array.isArray(q.ignore) ? q.ignore.map(String) : [];
    assumptions.push('routed experts in NVFP4 (moe_quant_algo), the other linears in FP8' + (ignore.includes('*.attn.*') ? ', attention 16-bit (ignored by the quantizer)' : ''));
    return { ...f, expertBytes: 0.5 + 1 / 16, attentionBytes: ignore.includes('*.attn.*') ? 2 : f.attentionBytes, notes: [...f.notes, 'routed experts NVFP4'] };
  }
  if (c.expert_dtype === 'fp4') {
    assumptions.push('routed experts stored in FP4 (expert_dtype fp4) with one 1-byte scale per 32 values; the other linears in FP8');
    return { ...f, expertBytes: 0.5 + 1 / 32, notes: [...f.notes, 'routed experts FP4 (expert_dtype fp4)'] };
  }
  return f;
}

function read(base: ModelSpec, c: Json): ModelSpec {
  const ratios = Array.isArray(c.compress_ratios) ? (c.compress_ratios as unknown[]).map(Number) : undefined;
  const moe = base.moe;
  const x: Dims = {
    d: base.hidden, heads: base.heads, headDim: num(c.head_dim) ?? 0, rope: num(c.qk_rope_head_dim) ?? 0, qLora: num(c.q_lora_rank) ?? 0,
    oLora: num(c.o_lora_rank) ?? 0, oGroups: num(c.o_groups) ?? 0, indexHeads: num(c.index_n_heads) ?? 0, indexDim: num(c.index_head_dim) ?? 0,
    hc: num(c.hc_mult) ?? 1, vocab: base.vocab, window: num(c.sliding_window) ?? 128,
  };
  if (!ratios || ratios.length < base.layers || ratios.some((r) => r !== 0 && r !== 4 && r !== 128)) {
    throw new ModelConfigError(`deepseek_v4: compress_ratios must give 0, 4 or 128 for each of the ${base.layers} layers`);
  }
  if (!moe || !x.headDim || !x.rope || !x.qLora || !x.oLora || !x.oGroups || !x.indexHeads || !x.indexDim) {
    throw new ModelConfigError('deepseek_v4: expected head_dim, qk_rope_head_dim, q_lora_rank, o_lora_rank, o_groups, index_n_heads, index_head_dim and routed experts');
  }
  const hashLayers = num(c.num_hash_layers) ?? 0;
  const moeBlock = { hidden: x.d, experts: moe.numExperts, topK: moe.topK, expertIntermediate: moe.expertIntermediate, sharedIntermediate: moe.sharedIntermediate, routerBias: true };
  const layer = (i: number, ratio: number): LayerParams => {
    const a = attentionParams(x, ratio);
    const m = moeParams(moeBlock);
    // Hash-routed layers keep a vocab × top-k token → expert table (tid2eid) instead of the correction bias (nvidia/model.py:668-690).
    const router = x.d * moe.numExperts + (i < hashLayers ? x.vocab * moe.topK : moe.numExperts);
    return { ...emptyLayer(1), ...m, ...a, router, norms: a.norms + 2 * x.d + 2 * hcParams(x) };
  };
  const layerParams = Array.from({ length: base.layers }, (_, i) => layer(i, ratios[i]));
  const nextn = num(c.num_nextn_predict_layers) ?? 0;
  // MTP (nvidia/mtp.py:61-157): e_proj and h_proj d × d, their norms, its own hc head and final norm, one decoder layer.
  const mtpLayer = layer(base.layers, ratios[base.layers] ?? 0);
  const mtpParams = 2 * x.d * x.d + 2 * x.d + hcHeadParams(x) + x.d + layerTotal(mtpLayer);

  const kv = ratios.slice(0, base.layers).map((r) => layerKv(x, r));
  const fixedMiB = kv.reduce((s, l) => s + (l.windowBytes ?? 0), 0) / 2 ** 20;
  const growing = kv.reduce((s, l) => s + (l.fixedBytes ?? 0), 0);
  const assumptions = [...base.assumptions,
    `DeepSeek-V4: vLLM keeps its KV in fp8 only (fp8_ds_mla, attention.py:692-712) whatever --kv-cache-dtype says; KV bytes are that layout: ${fixedMiB.toFixed(1)} MiB per request in every layer's ${x.window}-token sliding-window cache and the compressors' state windows, plus ${Math.round(growing)} B/token of compressed KV and indexer keys that grow with the context (before vLLM's 576-byte page padding)`];
  const weightFormat = { ...expertFormat(base, c, assumptions), kvCacheDtype: 'fp8' as const };
  return {
    ...base,
    kvHeads: 1,
    headDim: x.headDim,
    intermediate: moe.sharedIntermediate || moe.expertIntermediate,
    weightFormat,
    ropeDim: x.rope,
    kvDtypeFixed: { dtype: 'fp8', why: 'vLLM keeps DeepSeek-V4\'s KV in fp8 only (the fp8_ds_mla layout, attention.py:692-712)' },
    attention: ratios.slice(0, base.layers).map((r): LayerAttention => (r === 0 ? { kind: 'sliding', window: x.window } : { kind: 'full' })),
    layerParams,
    layerKv: kv,
    extraParams: hcHeadParams(x),
    ...(nextn > 0 ? { mtp: { params: nextn * mtpParams, kvLayers: nextn } } : {}),
    assumptions,
  };
}

export const deepseekV4: FamilyReader = {
  name: 'DeepSeek-V4 (compressed KV + sliding window + hyper-connections)',
  matches: (modelType, architecture, text) => modelType === 'deepseek_v4' || architecture === 'DeepseekV4ForCausalLM' || (modelType === 'deepseek_ref' && Array.isArray(text.compress_ratios)),
  read: (base, text) => read(base, text),
};
