/**
 * Weight formats from `quantization_config` / `hf_quant_config.json`: bytes per parameter including scales and zeros,
 * which modules stay 16-bit, and what the GEMMs run in.
 */
import type { Dtype, GpuSpec } from '../catalog/gpus';

export interface WeightFormat {
  /** Short name used in reports and the CLI (`bf16`, `fp8`, `awq`, `gptq`, `mxfp4`, ...). */
  name: string;
  /** Bytes per parameter of decoder-layer linear weights (attention + dense MLP), scales included. */
  linearBytes: number;
  /** Bytes per parameter of routed-expert weights. */
  expertBytes: number;
  /** Bytes per parameter of the input embedding and of the LM head (engines keep both 16-bit unless told). */
  embeddingBytes: number;
  lmHeadBytes: number;
  /** Attention projections stay 16-bit (gpt-oss MXFP4 quantizes experts only). */
  attentionBytes: number;
  /** The GEMM input format: `fp8` runs FP8 tensor cores; `int4`/`int8` weight-only dequantize to bf16 compute. */
  compute: Dtype;
  /** Weight-only formats: the weights are low-bit but the math is 16-bit. */
  weightOnly: boolean;
  /** The checkpoint's own KV-cache quantization, if it declares one. */
  kvCacheDtype?: 'fp8';
  notes: string[];
}

type Json = Record<string, unknown>;

export const bf16Format: WeightFormat = {
  name: 'bf16', linearBytes: 2, expertBytes: 2, embeddingBytes: 2, lmHeadBytes: 2, attentionBytes: 2,
  compute: 'bf16', weightOnly: false, notes: [],
};

/** Per-parameter bytes of a `bits`-wide group-quantized weight: packed values + fp16 scale + packed zero per group. */
function groupQuantBytes(bits: number, groupSize: number, zeros: boolean): number {
  const g = groupSize > 0 ? groupSize : 4096; // group_size -1 = per output channel; amortized over K
  return bits / 8 + 2 / g + (zeros ? bits / 8 / g : 0);
}

function fp8(name: string, notes: string[], blockScaled: boolean, exclude: Set<string>): WeightFormat {
  // Per-tensor or per-channel scales are negligible; 128x128 blocks add one fp32 scale per 16384 weights.
  const b = 1 + (blockScaled ? 4 / (128 * 128) : 0);
  return {
    name, linearBytes: b, expertBytes: b, embeddingBytes: 2, lmHeadBytes: 2, // vLLM/SGLang never quantize the LM head in FP8 modes
    attentionBytes: exclude.has('self_attn') ? 2 : b, compute: 'fp8', weightOnly: false, notes,
  };
}

export function weightFormatFromConfig(config: Json, hfQuantConfig?: Json): WeightFormat {
  const q = config.quantization_config as Json | undefined;
  if (q && typeof q === 'object') return fromQuantizationConfig(q);
  const side = hfQuantConfig?.quantization as Json | undefined;
  if (side && typeof side === 'object') {
    const algo = String(side.quant_algo ?? '').toUpperCase();
    const kv = String(side.kv_cache_quant_algo ?? '').toUpperCase() === 'FP8' ? ('fp8' as const) : undefined;
    if (algo === 'FP8') return { ...fp8('fp8', ['ModelOpt FP8 (hf_quant_config.json)'], false, new Set(['lm_head'])), kvCacheDtype: kv };
    if (algo === 'NVFP4') return { ...nvfp4(), kvCacheDtype: kv };
  }
  return bf16Format;
}

function nvfp4(): WeightFormat {
  // NVFP4: 4-bit E2M1 values, one FP8 scale per 16 values, plus a per-tensor fp32 scale.
  const b = 0.5 + 1 / 16;
  return {
    name: 'nvfp4', linearBytes: b, expertBytes: b, embeddingBytes: 2, lmHeadBytes: 2, attentionBytes: b,
    compute: 'fp4', weightOnly: false, notes: ['NVFP4 weights (16-value blocks with FP8 scales)'],
  };
}

function fromQuantizationConfig(q: Json): WeightFormat {
  const method = String(q.quant_method ?? q.quant_type ?? '').toLowerCase();
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const exclude = new Set([...list(q.modules_to_not_convert), ...list(q.ignore), ...list(q.ignored_layers)].map((s) => s.replace(/^re:/, '')));
  const bits = Number(q.bits ?? q.w_bit ?? 4);
  const group = Number(q.group_size ?? q.q_group_size ?? 128);
  switch (method) {
    case 'fp8':
    case 'fbgemm_fp8':
    case 'ptpc_fp8':
      return fp8('fp8', [Array.isArray(q.weight_block_size) ? 'FP8 block-scaled weights (128×128)' : 'FP8 weights'], Array.isArray(q.weight_block_size), exclude);
    case 'gptq':
    case 'awq': {
      const b = groupQuantBytes(bits, group, method === 'awq' ? q.zero_point !== false : true /* GPTQ stores qzeros even when symmetric */);
      return {
        name: method, linearBytes: b, expertBytes: b, embeddingBytes: 2, lmHeadBytes: q.lm_head === true ? b : 2,
        attentionBytes: b, compute: bits <= 4 ? 'int4' : 'int8', weightOnly: true,
        notes: [`${method.toUpperCase()} ${bits}-bit, group ${group} (fp16 scales and packed zeros per group)`],
      };
    }
    case 'bitsandbytes': {
      const four = q.load_in_4bit === true || q._load_in_4bit === true;
      // NF4: 4-bit values + absmax per 64 (1 B with double quantization, else fp32); int8: values + fp32 row scale.
      const b = four ? 0.5 + (q.bnb_4bit_use_double_quant === true ? 1 : 4) / 64 : 1 + 4 / 4096;
      return {
        name: four ? 'bnb-nf4' : 'bnb-int8', linearBytes: b, expertBytes: b, embeddingBytes: 2, lmHeadBytes: 2, attentionBytes: b,
        compute: four ? 'int4' : 'int8', weightOnly: true, notes: [`bitsandbytes ${four ? '4-bit' : '8-bit'} (slow dequantizing kernels)`],
      };
    }
    case 'mxfp4': {
      // MXFP4: 4-bit E2M1 values + one E8M0 scale byte per 32 values; gpt-oss quantizes only the MoE experts.
      const b = 0.5 + 1 / 32;
      const attnExcluded = [...exclude].some((s) => s.includes('attn'));
      return {
        name: 'mxfp4', linearBytes: attnExcluded ? 2 : b, expertBytes: b, embeddingBytes: 2, lmHeadBytes: 2,
        attentionBytes: attnExcluded ? 2 : b, compute: 'bf16', weightOnly: true,
        notes: ['MXFP4 experts (32-value blocks, E8M0 scales); attention, router, embeddings and lm_head stay 16-bit'],
      };
    }
    case 'modelopt':
    case 'modelopt_fp4': {
      const algo = String(q.quant_algo ?? (method === 'modelopt_fp4' ? 'NVFP4' : 'FP8')).toUpperCase();
      // hf_quant_config.json's KV quantization, as the side-file path above reads it (the catalog carries it inline).
      const kv = String(q.kv_cache_quant_algo ?? '').toUpperCase() === 'FP8' ? ('fp8' as const) : undefined;
      const base = algo === 'MIXED_PRECISION' ? modelOptMixed(q) : algo.includes('FP4') ? nvfp4() : fp8('fp8', ['ModelOpt FP8'], false, exclude);
      return { ...withModelOptExclusions(base, list(q.exclude_modules)), ...(kv ? { kvCacheDtype: kv } : {}) };
    }
    case 'compressed-tensors':
      return fromCompressedTensors(q, exclude);
    default:
      return { ...bf16Format, name: method || 'bf16', notes: [`quantization method "${method}" not modelled: weights counted as 16-bit`] };
  }
}

/** Which of a format's weight classes a ModelOpt module pattern names (Llama/Qwen `self_attn`/`mlp`, Nemotron-H `mixer`). */
type WeightClass = 'attentionBytes' | 'linearBytes' | 'expertBytes' | 'lmHeadBytes' | 'embeddingBytes';
function weightClass(pattern: string): WeightClass | undefined {
  // Vision towers and projectors are no language-model class (their 16-bit load is the encoders' own).
  if (/vision|visual|multi_modal|patch_merge|mm_projector/.test(pattern)) return undefined;
  if (/lm_head/.test(pattern)) return 'lmHeadBytes';
  if (/embed/.test(pattern)) return 'embeddingBytes';
  if (/shared_expert/.test(pattern)) return 'linearBytes';
  if (/experts/.test(pattern)) return 'expertBytes';
  if (/self_attn|attention|\.(q|k|v|o|qkv)_proj|mixer\.(in|out)_proj|conv1d|index_/.test(pattern)) return 'attentionBytes';
  if (/mlp|(gate|up|down)_proj|\.w[123]\b/.test(pattern)) return 'linearBytes';
  return undefined;
}

/** Bytes per parameter of one ModelOpt algorithm (scales included): FP8 / MXFP8 (one E8M0 byte per 32), NVFP4 (W4A4 or W4A16). */
function modelOptBytes(algo: string): number | undefined {
  const a = algo.toUpperCase();
  if (a.includes('NVFP4') || a === 'FP4') return 0.5 + 1 / 16;
  if (a === 'MXFP8') return 1 + 1 / 32;
  if (a.includes('FP8')) return 1;
  return undefined;
}

/**
 * ModelOpt MIXED_PRECISION checkpoints (hf_quant_config `quantized_layers`): each module pattern with its own
 * algorithm; a class no pattern names stays 16-bit. GEMMs run in the experts' format (most of the weights).
 */
function modelOptMixed(q: Json): WeightFormat {
  const layers = (q.quantized_layers ?? {}) as Record<string, Json>;
  const f: WeightFormat = { ...bf16Format, name: 'modelopt-mixed', notes: [] };
  const algos = new Set<string>();
  for (const [pattern, spec] of Object.entries(layers)) {
    const cls = weightClass(pattern);
    const bytes = modelOptBytes(String(spec?.quant_algo ?? ''));
    if (!cls || bytes === undefined) continue;
    f[cls] = bytes;
    algos.add(`${String(spec.quant_algo)} ${cls.replace('Bytes', '')}`);
  }
  const expert = Object.entries(layers).find(([p]) => weightClass(p) === 'expertBytes')?.[1];
  const expertAlgo = String(expert?.quant_algo ?? '').toUpperCase();
  const fp4 = expertAlgo.includes('NVFP4');
  return {
    ...f, compute: fp4 && !expertAlgo.startsWith('W4A16') ? 'fp4' : f.expertBytes <= 1.05 || f.linearBytes <= 1.05 ? 'fp8' : 'bf16',
    weightOnly: expertAlgo.startsWith('W4A16'),
    notes: [`ModelOpt mixed precision: ${[...algos].join(', ')}; the rest 16-bit`],
  };
}

/** ModelOpt `exclude_modules`: a class they name stays 16-bit (Nemotron-H NVFP4 keeps its mixers and attention in bf16). */
function withModelOptExclusions(f: WeightFormat, exclude: string[]): WeightFormat {
  const out = { ...f };
  const kept: string[] = [];
  for (const p of exclude) {
    const cls = weightClass(p);
    if (!cls || out[cls] === 2) continue;
    out[cls] = 2;
    kept.push(cls.replace('Bytes', ''));
  }
  return kept.length ? { ...out, notes: [...f.notes, `left 16-bit by exclude_modules: ${[...new Set(kept)].join(', ')}`] } : out;
}

function fromCompressedTensors(q: Json, exclude: Set<string>): WeightFormat {
  const groups = (q.config_groups ?? {}) as Record<string, Json>;
  const first = Object.values(groups)[0] ?? {};
  const w = (first.weights ?? {}) as Json;
  const a = first.input_activations as Json | null | undefined;
  const bits = Number(w.num_bits ?? 8);
  const type = String(w.type ?? 'int');
  const kv = q.kv_cache_scheme && typeof q.kv_cache_scheme === 'object' ? ('fp8' as const) : undefined;
  if (type === 'float' && bits === 8) {
    return { ...fp8('fp8', ['compressed-tensors FP8 (W8A8)'], String(w.strategy) === 'block', exclude), kvCacheDtype: kv };
  }
  if (type === 'float' && bits === 4) return { ...nvfp4(), kvCacheDtype: kv };
  const strategy = String(w.strategy ?? 'group');
  const group = strategy === 'group' ? Number(w.group_size ?? 128) : -1;
  const b = bits === 8 && strategy === 'channel' ? 1 + 2 / 4096 : groupQuantBytes(bits, group, w.symmetric === false);
  const weightOnly = !a;
  return {
    name: bits <= 4 ? 'w4a16' : weightOnly ? 'w8a16' : 'int8', linearBytes: b, expertBytes: b, embeddingBytes: 2, lmHeadBytes: 2,
    attentionBytes: b, compute: bits <= 4 ? 'int4' : 'int8', weightOnly, kvCacheDtype: kv,
    notes: [`compressed-tensors ${type}${bits} ${strategy}${weightOnly ? ' (weight-only)' : ''}`],
  };
}

/** The format an engine flag applies, or undefined when the flag is not one modelled here. */
function formatFromFlag(flag: string, checkpoint: WeightFormat): WeightFormat | undefined {
  const f = flag.toLowerCase();
  if (f === 'fp8') return checkpoint.name === 'bf16' ? fp8('fp8', ['FP8 online quantization of a 16-bit checkpoint (--quantization fp8)'], false, new Set()) : checkpoint;
  if (f === 'awq' || f === 'awq_marlin') return fromQuantizationConfig({ quant_method: 'awq', bits: 4, group_size: 128 });
  if (f === 'gptq' || f === 'gptq_marlin') return fromQuantizationConfig({ quant_method: 'gptq', bits: 4, group_size: 128 });
  if (f === 'bitsandbytes') return fromQuantizationConfig({ quant_method: 'bitsandbytes', load_in_4bit: true });
  if (f === 'mxfp4') return fromQuantizationConfig({ quant_method: 'mxfp4', modules_to_not_convert: ['self_attn'] });
  if (f === 'nvfp4' || f === 'modelopt_fp4') return nvfp4();
  if (f === 'int8' || f === 'w8a8') return fromCompressedTensors({ config_groups: { g: { weights: { num_bits: 8, type: 'int', strategy: 'channel' }, input_activations: { num_bits: 8 } } } }, new Set());
  return undefined;
}

/**
 * FP8 weights on a GPU without FP8 tensor cores (Ampere) run as weight-only W8A16: vLLM's, SGLang's and TGI's Marlin
 * FP8 kernels read 1-byte weights and dequantize them to 16 bits in registers before the 16-bit MMA. Decode (memory
 * bound) keeps the 1-byte streaming; at compute-bound sizes the dequantization costs tensor-core issue slots.
 * Assumed 0.85 of the 16-bit GEMM rate there: Marlin-class mixed-precision kernels approach, without reaching, cuBLAS's
 * FP16 rate at large batches (the Marlin authors' own benchmarks); not measured by us.
 */
const MARLIN_FP8_COMPUTE_SHARE = 0.85;

/** Whether the format's weights are dequantized on the fly on this GPU (FP8 weights without FP8 tensor cores). */
export function runsAsWeightOnlyFp8(f: WeightFormat, gpu: GpuSpec): boolean {
  return f.compute === 'fp8' && !f.weightOnly && !gpu.native.includes('fp8');
}

/**
 * 4-bit weights (MXFP4, NVFP4, AWQ/GPTQ int4) on a GPU without FP4 tensor cores run as W4A16: Marlin-class kernels
 * (vLLM's Marlin / triton matmul_ogs MXFP4 MoE, TensorRT-LLM's W4A16 MoE on Hopper) unpack and rescale every weight in
 * registers before a 16-bit MMA. At prefill sizes that unpacking competes with the MMAs for issue slots. The share is
 * fitted on the calibration set's gpt-oss-120b InferenceX runs on H100 and H200 (vLLM 0.10–0.18, TensorRT-LLM 1.1–1.2,
 * bench/launchRows.ts) at 8k-token prompts and low concurrency, where prefill GEMMs dominate TTFT, and stated as such:
 * not a microbenchmark (the device has no W4A16 kernel to time). Decode (memory bound) keeps the 4-bit streaming.
 */
export const W4A16_COMPUTE_SHARE = 0.5;

/** Share of the GEMM compute rate the format's kernels reach on the GPU (1 except Marlin's dequantizing FP8 path). */
export function dequantComputeShare(f: WeightFormat, gpu: GpuSpec): number {
  return runsAsWeightOnlyFp8(f, gpu) ? MARLIN_FP8_COMPUTE_SHARE : 1;
}

/** Share of the 16-bit GEMM rate a GEMM over weights of `bytesPerParam` reaches on the GPU: W4A16 for 4-bit weights the
 *  GPU cannot multiply natively (no FP4 tensor cores, or a weight-only int4 format), 1 otherwise. */
export function lowBitComputeShare(f: WeightFormat, gpu: GpuSpec, bytesPerParam: number): number {
  if (bytesPerParam >= 0.75) return 1;
  // Blackwell multiplies FP4 blocks (NVFP4, MXFP4 against FP8 or 16-bit activations) on its tensor cores; int4 stays Marlin.
  const fp4Blocks = f.compute === 'fp4' || f.name === 'mxfp4';
  return fp4Blocks && gpu.native.includes('fp4') ? 1 : W4A16_COMPUTE_SHARE;
}

/** A format applied by an engine flag (`--quantization fp8` on a 16-bit checkpoint quantizes online); else the checkpoint's. */
export function weightFormatFromFlag(flag: string, checkpoint: WeightFormat): WeightFormat {
  return formatFromFlag(flag, checkpoint) ?? checkpoint;
}

/**
 * Engine method names that only pick kernels for what the checkpoint's quantization_config already says (read from
 * config.json): the checkpoint's format stands.
 */
const CHECKPOINT_DESCRIBED = new Set(['compressed-tensors', 'compressed_tensors', 'modelopt', 'modelopt_fp8', 'fbgemm_fp8', 'ptpc_fp8', 'quark', 'marlin', 'gptq_marlin_24', 'moe_wna16', 'experts_int8', 'none']);

/** Whether a `--quantization` value is one the estimator accounts for (others leave the checkpoint's format, flagged). */
export function quantizationModelled(flag: string, checkpoint: WeightFormat): boolean {
  return formatFromFlag(flag, checkpoint) !== undefined || CHECKPOINT_DESCRIBED.has(flag.toLowerCase());
}

export type KvDtype = 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'fp4';

/** Whether a KV cache dtype value is one kvDtypeFrom understands (anything else reads as 16-bit, flagged). */
export function kvDtypeKnown(flag: string): boolean {
  return /^(auto|bf16|bfloat16|fp16|float16|half|fp32|float32|float|fp8.*|int8|fp4|nvfp4|int4)$/i.test(flag);
}

/** `auto`, `fp8_e4m3`, `fp8_e5m2`, `nvfp4`, ... → element bytes. */
export function kvDtypeFrom(flag: string | undefined, model: { dtype: 'bf16' | 'fp16'; weightFormat: WeightFormat }, fp32 = false): KvDtype {
  const f = (flag ?? 'auto').toLowerCase();
  if (f === 'auto') return model.weightFormat.kvCacheDtype ?? (fp32 ? 'fp32' : model.dtype);
  if (f.startsWith('fp8') || f.includes('int8')) return 'fp8';
  if (f.includes('fp4') || f.includes('int4')) return 'fp4';
  if (f === 'float16' || f === 'fp16' || f === 'half') return 'fp16';
  return 'bf16';
}

export function kvDtypeBytes(d: KvDtype): number {
  return d === 'fp32' ? 4 : d === 'fp8' ? 1 : d === 'fp4' ? 0.5 : 2;
}

/** `--dtype float32` keeps every unquantized tensor in 4 bytes (vLLM allows it; it doubles weights and KV). */
export function isFp32(dtype: string | undefined): boolean {
  return /^(float32|float|fp32)$/i.test(dtype ?? '');
}

export function asFp32(f: WeightFormat): WeightFormat {
  const up = (b: number) => (b === 2 ? 4 : b);
  return { ...f, linearBytes: up(f.linearBytes), expertBytes: up(f.expertBytes), embeddingBytes: 4, lmHeadBytes: 4, attentionBytes: up(f.attentionBytes), notes: [...f.notes, 'dtype float32: unquantized tensors in 4 bytes'] };
}
