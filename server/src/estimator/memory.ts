/**
 * Per-GPU memory physics shared by every engine: weights under TP/PP/EP, KV bytes per token,
 * the profiling run's activation peak, CUDA graphs and non-torch memory.
 */
import type { GpuSpec } from '../catalog/gpus';
import { countParams, keepsKv, kvElementsPerTokenPerLayer, LayerKv, ModelParams, ModelSpec } from './model';
import type { WeightFormat } from './quantization';

export const GiB = 2 ** 30;

export interface Parallelism {
  /** Tensor parallel inside one data-parallel rank: attention, dense MLPs, embeddings and KV heads split this way. */
  tp: number;
  pp: number;
  /** Expert-parallel group size (1 = experts sharded by TP like dense layers). */
  ep: number;
  /**
   * Data-parallel ranks in one replica (default 1): each rank runs its own requests through its own attention and KV
   * cache (vLLM --data-parallel-size, SGLang --dp-size, SGLang/TensorRT-LLM DP attention). A replica has tp × pp × dp GPUs.
   */
  dp?: number;
  /**
   * What the ranks share, split over all tp × dp GPUs (the ranks step in lockstep and pass every rank's tokens through
   * it): `experts` — the MoE layers (vLLM DP with an MoE model); `mlp` — every layer but attention: MoE, dense MLPs,
   * embeddings and LM head (SGLang --enable-dp-attention, TensorRT-LLM enable_attention_dp). Absent, each rank holds
   * its own full copy (SGLang's plain --dp-size launches independent TP groups).
   */
  dpShared?: 'experts' | 'mlp';
}

const ranks = (par: Parallelism): number => par.dp ?? 1;

/** GPUs each expert is split over: its EP rank alone, or TP-style across the expert group. */
export function expertShards(par: Parallelism): number {
  if (par.ep > 1) return par.ep;
  return par.tp * (par.dpShared ? ranks(par) : 1);
}

/** GPUs the dense MLPs, embeddings and LM head are split over. */
export function denseShards(par: Parallelism): number {
  return par.tp * (par.dpShared === 'mlp' ? ranks(par) : 1);
}

/** How many ranks' tokens pass through one GPU's share of the MoE layers / of the dense layers in a step. */
export function expertTokenFactor(par: Parallelism): number {
  return par.dpShared ? ranks(par) : 1;
}
export function denseTokenFactor(par: Parallelism): number {
  return par.dpShared === 'mlp' ? ranks(par) : 1;
}

/** Layers owned by each pipeline stage (vLLM's get_pp_indices: even split, remainder to the last stages). */
const stageCache = new Map<string, number[][]>();

export function stageLayers(layers: number, pp: number): number[][] {
  const key = `${layers}/${pp}`;
  const hit = stageCache.get(key);
  if (hit) return hit;
  const stages = computeStages(layers, pp);
  if (stageCache.size < 1000) stageCache.set(key, stages);
  return stages;
}

function computeStages(layers: number, pp: number): number[][] {
  const base = Math.floor(layers / pp);
  const extra = layers % pp;
  const out: number[][] = [];
  let start = 0;
  for (let s = 0; s < pp; s++) {
    const n = base + (s >= pp - extra ? 1 : 0);
    out.push(Array.from({ length: n }, (_, i) => start + i));
    start += n;
  }
  return out;
}

/** What the engine loads beside the language model: encoders (on by default) and MTP layers (MTP drafting only). */
export interface LoadedParts {
  encoders?: boolean;
  /** A full copy of every encoder on each rank, whatever its own sharding (vLLM --mm-encoder-tp-mode data). */
  encodersReplicated?: boolean;
  mtp?: boolean;
}

/**
 * Weight bytes on the most loaded GPU. Column/row-parallel linears split by TP; KV projections are replicated when
 * TP exceeds the KV heads; replicated linears (MLA's fused q_a/kv_a, indexers, latent-MoE projections) sit whole on
 * every rank; embeddings and LM head are vocab-parallel (padded to 64 × TP rows, vLLM's pad_vocab_size); norms and
 * routers are replicated. Experts split over EP when EP > 1 (each rank holds E/EP whole experts), else their
 * intermediate dimension splits over TP — or over TP × DP for what the data-parallel ranks share (`dpShared`); the
 * rest is each rank's own copy. Encoders load on the first stage in 16 bits (quantized checkpoints keep their vision
 * towers unquantized), sharded or replicated as the engine builds them; MTP layers load on the last stage.
 */
export function weightBytesPerGpu(m: ModelSpec, fmt: WeightFormat, par: Parallelism, params: ModelParams = countParams(m), load: LoadedParts = {}): number {
  const { tp, pp } = par;
  const vocabTp = denseShards(par);
  const paddedVocab = Math.ceil(m.vocab / (64 * vocabTp)) * 64 * vocabTp;
  const embedding = (paddedVocab * m.hidden * fmt.embeddingBytes) / vocabTp;
  const lmHead = m.tiedEmbeddings ? 0 : (paddedVocab * m.hidden * fmt.lmHeadBytes) / vocabTp;
  // Rotary cos/sin cache, one per model in the model dtype (visible in vLLM's "model weights" figure).
  const rope = m.maxPositions * (m.ropeDim ?? (m.mla ? m.mla.qkRopeHeadDim : m.headDim)) * 2;
  const encoders = load.encoders === false ? 0 : (m.encoders ?? []).reduce((s, e) => s + (e.params * 2) / (e.sharding === 'tp' && !load.encodersReplicated ? tp : 1), 0);
  // MTP layers are decoder layers like the model's own: the average layer's bytes per parameter stands in for their mix.
  const mtp = load.mtp && m.mtp ? (m.mtp.params * fmt.linearBytes) / tp : 0;
  let worst = 0;
  const stages = stageLayers(m.layers, pp);
  stages.forEach((layers, s) => {
    let bytes = rope;
    if (s === 0) bytes += embedding + encoders;
    if (s === stages.length - 1) bytes += lmHead + params.finalNorm * 2 + mtp + (m.tiedEmbeddings && pp > 1 ? embedding : 0);
    for (const i of layers) {
      const l = params.perLayer[i];
      const b = fmt.attentionBytes;
      bytes += (l.attention * b) / tp + l.kvProj * b * kvShare(l.kvHeads, tp) + l.replicated * b;
      bytes += (l.mlp * fmt.linearBytes) / denseShards(par);
      if (l.experts) bytes += (l.experts * fmt.expertBytes) / expertShards(par);
      bytes += l.router * 2 + l.norms * 2;
    }
    worst = Math.max(worst, bytes);
  });
  return worst;
}

/** Share of `heads` heads one TP rank holds: 1/TP, or one whole head once TP exceeds them. */
export function kvShare(heads: number, tp: number): number {
  return tp > heads ? Math.ceil(heads / tp) / heads : 1 / tp;
}

/**
 * Why a tensor-parallel size cannot shard this model's attention (vLLM's check): it must divide the query heads, and
 * divide the KV heads or be a multiple of them (KV heads are then replicated). MLA shards its heads freely.
 */
export function tensorParallelProblem(m: ModelSpec, tp: number): string | undefined {
  if (tp <= 1) return undefined;
  // Mamba-2 shards B/C by group: TP must divide n_groups unless it is 1 (vllm@9aaf83ef:mamba_mixer2.py:289).
  const groups = m.recurrent?.kind === 'mamba2' ? m.recurrent.convGroups?.groups : undefined;
  if (groups !== undefined && groups !== 1 && groups % tp !== 0) return `tensor parallel ${tp} does not divide the ${groups} Mamba-2 groups (n_groups must be divisible by TP, or 1)`;
  if (m.mla) return undefined;
  if (m.heads % tp !== 0) return `tensor parallel ${tp} does not divide the ${m.heads} attention heads`;
  if (m.kvHeads % tp !== 0 && tp % m.kvHeads !== 0) return `tensor parallel ${tp} neither divides nor is a multiple of the ${m.kvHeads} KV heads`;
  return undefined;
}

/** KV heads each TP rank stores: split when TP ≤ KV heads, else replicated (one head per rank). */
export function kvHeadsPerGpu(m: ModelSpec, tp: number): number {
  return m.kvHeads >= tp ? m.kvHeads / tp : 1;
}

/** Layer i's KV shape: its own (ModelSpec.layerKv) or the model-wide one (MLA's latent is one never-split head). */
export function layerKvOf(m: ModelSpec, i: number): LayerKv {
  return m.layerKv?.[i] ?? { elements: kvElementsPerTokenPerLayer(m), heads: m.mla ? 1 : m.kvHeads };
}

/** Bytes per token of a KV shape on one GPU at a KV element size (fp8 layouts and fixed-format side caches included). */
export function layerKvBytesPerGpu(kv: LayerKv, kvBytes: number, tp: number): number {
  const share = kv.heads >= tp ? 1 / tp : 1 / kv.heads;
  const main = kvBytes === 1 && kv.fp8Bytes ? kv.fp8Bytes : kv.elements * kvBytes;
  return main * share + (kv.fixedBytes ?? 0);
}

/** Bytes per token of one (model-wide shaped) layer's KV on one GPU. MLA's latent is not split by TP. */
export function kvBytesPerTokenPerLayerPerGpu(m: ModelSpec, kvBytes: number, tp: number): number {
  if (m.mla && !m.layerKv) return kvElementsPerTokenPerLayer(m) * kvBytes;
  if (!m.layerKv) return 2 * kvHeadsPerGpu(m, tp) * m.headDim * kvBytes;
  // Per-layer shapes: the average KV layer (latency reads one layer's KV per step).
  let sum = 0;
  let n = 0;
  m.attention.forEach((a, i) => { if (keepsKv(a)) { sum += layerKvBytesPerGpu(layerKvOf(m, i), kvBytes, tp); n++; } });
  return n ? sum / n : 0;
}

/**
 * Whole-model KV bytes per token of the layers whose KV grows with the context (full attention). Sliding-window and
 * chunked-local layers hold at most their window: windowKvBytesPerToken. Recurrent layers hold a fixed state.
 */
export function kvBytesPerToken(m: ModelSpec, kvBytes: number): number {
  let sum = 0;
  m.attention.forEach((a, i) => { if (a.kind === 'full') sum += layerKvBytesPerGpu(layerKvOf(m, i), kvBytes, 1); });
  return sum;
}

/** Whole-model KV bytes per token of the sliding-window and chunked-local layers, held only within their window. */
export function windowKvBytesPerToken(m: ModelSpec, kvBytes: number): number {
  let sum = 0;
  m.attention.forEach((a, i) => { if (a.kind === 'sliding' || a.kind === 'chunked') sum += layerKvBytesPerGpu(layerKvOf(m, i), kvBytes, 1); });
  return sum;
}

/** Layers that keep attention KV (growing or windowed), and layers with a recurrent state. */
export function layerCounts(m: ModelSpec): { attention: number; recurrent: number } {
  let attention = 0;
  let recurrent = 0;
  for (const a of m.attention) {
    if (a.kind === 'recurrent') recurrent++;
    else if (keepsKv(a)) attention++;
  }
  return { attention, recurrent };
}

/** One recurrent layer's state bytes per request on one GPU (vLLM's MambaSpec page before padding). */
export function recurrentLayerStateBytesPerGpu(m: ModelSpec, tp: number): number {
  const r = m.recurrent;
  if (!r) return 0;
  const groups = r.convGroups ? (r.convGroups.groups % tp === 0 ? r.convGroups.groups : Math.ceil(r.convGroups.groups / tp) * tp) * r.convGroups.channelsPerGroup : 0;
  const conv = r.convRows * ((r.convChannels + groups) / tp) * r.convDtypeBytes;
  return conv + (r.stateElements / tp) * r.stateDtypeBytes;
}

/** Recurrent state bytes per request on the busiest GPU (its stage's recurrent layers). */
export function stateBytesPerRequestPerGpu(m: ModelSpec, par: Parallelism): number {
  if (!m.recurrent) return 0;
  const perLayer = recurrentLayerStateBytesPerGpu(m, par.tp);
  return Math.max(...stageLayers(m.layers, par.pp).map((ls) => ls.filter((i) => m.attention[i].kind === 'recurrent').length)) * perLayer;
}

/** Fixed-window bytes per request beside the growing KV (LayerKv.windowBytes), summed over `layers`. */
function windowBytesPerRequest(m: ModelSpec, layers: Iterable<number>): number {
  let sum = 0;
  if (m.layerKv) for (const i of layers) if (keepsKv(m.attention[i])) sum += m.layerKv[i]?.windowBytes ?? 0;
  return sum;
}

/** Whole-model fixed state per request (TP 1, unpadded): recurrent state plus fixed KV windows (DeepSeek-V4). The
 *  JSON's model.stateBytesPerRequest. */
export function stateBytesPerRequest(m: ModelSpec): number {
  return layerCounts(m).recurrent * recurrentLayerStateBytesPerGpu(m, 1) + windowBytesPerRequest(m, m.attention.keys());
}

/**
 * KV bytes one request of `len` tokens occupies on the busiest GPU: sliding-window layers hold at most their window
 * plus one prefill chunk (vLLM: ceil((window − 1 + max_num_batched_tokens)/block) + 1 blocks), chunked-local layers one
 * chunk, fixed windows beside a layer's growing KV (LayerKv.windowBytes) in full; recurrent layers' state is apart
 * (stateBytesPerRequestPerGpu).
 */
export function kvBytesForRequestPerGpu(m: ModelSpec, kvBytes: number, par: Parallelism, len: number, chunk: number, block = 16): number {
  const uniform = m.layerKv ? 0 : kvBytesPerTokenPerLayerPerGpu(m, kvBytes, par.tp);
  let worst = 0;
  for (const layers of stageLayers(m.layers, par.pp)) {
    let bytes = windowBytesPerRequest(m, layers);
    for (const i of layers) {
      const a = m.attention[i];
      if (!keepsKv(a)) continue;
      const perToken = m.layerKv ? layerKvBytesPerGpu(layerKvOf(m, i), kvBytes, par.tp) : uniform;
      if (a.kind === 'sliding') bytes += perToken * Math.min(len, (Math.ceil((a.window - 1 + chunk) / block) + 1) * block);
      else if (a.kind === 'chunked') bytes += perToken * Math.min(len, a.chunk + chunk);
      else bytes += perToken * len;
    }
    worst = Math.max(worst, bytes);
  }
  return worst;
}

/**
 * Largest max_model_len whose single request fits `pool` bytes of KV on the busiest GPU, never above `limit` (the
 * longest context the model and engine accept: a longer one would be refused at startup whatever the memory).
 * Binary search over the request-size function; block-aligned below the limit.
 */
export function maxModelLenThatFits(m: ModelSpec, kvBytes: number, par: Parallelism, chunk: number, block: number, pool: number, limit: number): number {
  const hi0 = Math.max(1, Math.floor(limit));
  if (kvBytesForRequestPerGpu(m, kvBytes, par, hi0, chunk, block) <= pool) return hi0;
  let lo = 0;
  let hi = hi0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (kvBytesForRequestPerGpu(m, kvBytes, par, mid, chunk, block) <= pool) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo / block) * block;
}

/**
 * The max_model_len to suggest for a longest-that-fits length: whole multiples of 1024 above 8192 (the lengths people
 * set, and a little slack for what the estimate cannot see), the length itself below that or when it is the model's
 * own limit. The estimator's message and the fix title both use it, so they name the same number.
 */
export function settableMaxModelLen(fits: number, limit: number): number {
  if (fits >= limit) return limit;
  return fits > 8192 ? Math.floor(fits / 1024) * 1024 : fits;
}

/** Per-token KV bytes on the busiest GPU with every KV layer counted (how vLLM and SGLang divide the pool into tokens). */
export function kvBytesPerTokenPerGpu(m: ModelSpec, kvBytes: number, par: Parallelism): number {
  let worst = 0;
  for (const layers of stageLayers(m.layers, par.pp)) {
    let bytes = 0;
    for (const i of layers) if (keepsKv(m.attention[i])) bytes += layerKvBytesPerGpu(layerKvOf(m, i), kvBytes, par.tp);
    worst = Math.max(worst, bytes);
  }
  return worst;
}

/** Activation bytes of the forward pass: a base plus bytes per token per MLP width (per GPU). */
export interface MlpActivation {
  baseBytes: number;
  bytesPerTokenWidth: number;
}

/** vLLM V1 (torch.compile, fused activations), fitted on the 0.19 startup logs: CodeLlama 0.77, Granite 0.75–0.85, Phi-2
 *  0.79 GiB at 8192 tokens — 0.47 GiB + tokens × width × 4 B (the gate/up output in bf16). */
export const V1_MLP: MlpActivation = { baseBytes: 0.47 * GiB, bytesPerTokenWidth: 4 };
/** vLLM V0 (before 0.8; eager intermediates), from its startup logs with chunked prefill off (profiled tokens =
 *  max_model_len): Llama-3.1-8B on an RTX 3090 at 20 000 and 29 000 tokens 2.07 / 2.99 GiB (7.75 / 7.72 B per token per
 *  width), Qwen2.5-1.5B on a T4 at 32 768 tokens 2.02 GiB (7.4), Qwen3-4B at 10 000 tokens 0.74 GiB (8.2). */
export const V0_MLP: MlpActivation = { baseBytes: 0, bytesPerTokenWidth: 7.7 };

/**
 * Peak activation memory of a profiling run (a dummy forward of max_num_batched_tokens, then a sampler run over `rows`
 * logits rows). Sampler phase fitted on vLLM 0.19 startup logs (H100, max_num_batched_tokens 8192, max_num_seqs 1024;
 * calibration set vllm-startup-logs.csv): 0.14 GiB + rows × vocab × 14.3 B (fp32 logits plus probability/log-prob
 * copies ≈ 3.6 × 4 B; Llama-3.1-8B 1.89, Qwen2.5-7B 2.21, Gemma 3.62–3.65 GiB). Only the last pipeline stage computes
 * logits. MoE uses the widest routed expert batch (tokens × top-k).
 */
export function activationPeakBytes(m: ModelSpec, maxNumBatchedTokens: number, rows: number, par: Parallelism, forward: MlpActivation = V1_MLP): number {
  const sampler = 0.14 * GiB + rows * m.vocab * 14.3;
  const width = (m.moe ? Math.max(m.intermediate, m.moe.topK * m.moe.expertIntermediate) : m.intermediate) / par.tp;
  const mlp = forward.baseBytes + maxNumBatchedTokens * width * forward.bytesPerTokenWidth;
  return par.pp > 1 ? Math.max(mlp, 0.5 * sampler) : Math.max(sampler, mlp);
}

/** The common profiling run: a dummy forward of the token budget, then max_num_seqs logits rows (capped by the budget). */
export function profiledActivationPeak(m: ModelSpec, maxNumBatchedTokens: number, maxNumSeqs: number, par: Parallelism, forward: MlpActivation = V1_MLP): number {
  return activationPeakBytes(m, maxNumBatchedTokens, Math.min(maxNumSeqs, maxNumBatchedTokens), par, forward);
}

/**
 * Memory outside torch's allocator during the profiling run (vLLM's "non-torch memory"). From the calibration logs:
 * ≈ 0.25 GiB at TP 1; ≈ 2.1 GiB per GPU at TP ≥ 2 over NVLink (custom all-reduce + NCCL buffers);
 * PCIe cards without custom all-reduce ≈ 0.3 GiB; pipeline stages add almost nothing (0.07 GiB seen at PP 2/4).
 */
export function nonTorchBytes(tp: number, gpu: GpuSpec): number {
  if (tp <= 1) return 0.25 * GiB;
  return gpu.intraNode.kind === 'pcie' ? 0.3 * GiB : 2.1 * GiB;
}

/**
 * CUDA-graph pool: vLLM 0.19 logs 0.7–1.1 GiB at TP 1 growing with depth (Gemma-2-2B 26 layers 0.71, Llama-3.1-8B
 * 32 layers 0.91, Gemma-2-9B 42 layers 1.09 GiB) and ~20 % less per GPU under TP (0.76 at TP 2, 0.67 at TP 4).
 */
export function cudaGraphBytes(m: ModelSpec, par: Parallelism): number {
  const layersPerStage = Math.ceil(m.layers / par.pp);
  return (0.35 * GiB + layersPerStage * 0.0165 * GiB) * (par.tp > 1 ? 0.8 : 1);
}

/** CUDA context, cuBLAS and attention workspaces present before the engine measures anything (0.6–0.7 GiB on H100, machine.json). */
export const cudaContextBytes = 0.65 * GiB;
