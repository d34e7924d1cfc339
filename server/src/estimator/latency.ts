/**
 * Latency: a per-operator roofline of one engine step, calibrated on our H100 microbenchmarks
 * (calibration set h100/results.csv and machine.json; see README "Accuracy"), and a closed-loop steady-state model of continuous batching on top of it.
 * Its ceilings scale to other GPUs per quantity (gpuPhysics.ts): bandwidth-bound terms by the GPU's achievable-HBM and
 * streaming shares, FLOP-bound terms by its sustained tensor share per dtype, launch-bound terms not at all.
 */
import type { Dtype, GpuSpec } from '../catalog/gpus';
import type { EngineModel, ResolvedKnobs } from './engines/types';
import type { ModelParams, ModelSpec } from './model';
import { denseShards, denseTokenFactor, expertShards, expertTokenFactor, kvBytesPerTokenPerLayerPerGpu, kvHeadsPerGpu, kvShare, layerKvBytesPerGpu, layerKvOf, Parallelism, recurrentLayerStateBytesPerGpu } from './memory';
import { keepsKv } from './model';
import { DEFAULT_GEMM_STREAM_FRACTION, DEFAULT_MOE_STREAM_FRACTION, gemmStreamFraction, hbmFraction, moeStreamFraction, sustainedFraction } from './gpuPhysics';
import { dequantComputeShare, lowBitComputeShare, WeightFormat } from './quantization';
import { KvBudget, simulateClosedLoop } from './scheduler';
import type { ResolvedClient } from './benchmarkClient';
import { sixteenBitDtype } from './sixteenBit';
import type { Speculation } from './speculative';

/**
 * Weight-streaming efficiency of a GEMM falls for small matrices (launch and tail effects): fitted on the H100's M ≤ 128
 * cuBLAS sweep — 4096×4096 bf16 streams at 1.44 TB/s, 4096×14336 at 2.1, the 128256×4096 LM head at 2.74 —
 * as 0.92 × s / (s + 33 MB) of the achievable bandwidth. The asymptote (0.92) is bandwidth-bound and per GPU
 * (gpuPhysics.ts gemmStreamFraction, H200 1.04); the half-size (33 MB) is launch and tail time, kept the same on
 * every GPU. The H200's own sweep (CUDA graph, no per-call launch gap) streams small matrices faster still — 4096²
 * at 2.5 TB/s — but the H100's was timed per call (do_bench), so that gap is the timing method, not the GPU, and
 * the serving rows were fitted with the per-call curve.
 */
const STREAM_SCALE = DEFAULT_GEMM_STREAM_FRACTION;
const STREAM_HALF_BYTES = 33e6;
/* Sustained tensor-core efficiency for large GEMMs is per GPU (gpuPhysics.ts sustainedFraction): short sweeps peak
 * higher (H100 761 / 1406 TFLOP/s bf16 / fp8) but long prefills are power-capped. FP4 (NVFP4/MXFP4) GEMM rates are
 * the datasheets' dense FP4 figures (catalog/gpus.ts) × the stated 0.6: no FP4 GEMM was measured here. */
/**
 * Grouped expert GEMMs stream the touched experts' weights nearly as well as dense GEMMs once each expert sees a few
 * tokens: on our H100 (bench/calibration/moe-layer-h100.csv, scripts/device/moe_layer.py; torch._grouped_mm under a
 * CUDA graph) the two expert GEMMs of a layer stream 2.5–2.8 TB/s at decode batches of 16–256 tokens for Qwen3-30B-A3B,
 * DeepSeek-V2-Lite/V3, Mixtral and gpt-oss shapes, 1.3–2.3 TB/s for a single token.
 */
const MOE_STREAM_EFFICIENCY = DEFAULT_MOE_STREAM_FRACTION;
/* That share is per GPU (gpuPhysics.ts moeStreamFraction; this constant is the H100 fit, the default): the same torch
 * grouped GEMMs are only 1.0–1.2× faster on the H200 than on the H100 (bench/calibration/moe-layer-h200.csv) where the
 * achievable bandwidth is 1.42× — the kernel, not HBM, limits them, so a datasheet bandwidth ratio overstates the
 * gain (H200 0.67). */
/** Grouped expert GEMMs at prefill sizes (8192 tokens) reach 400–590 TFLOP/s on the same H100 — 0.41–0.60 of bf16
 *  peak, more with fewer, larger experts (Mixtral) — against 0.7 for a dense GEMM: 0.6 of the dense rate. */
const MOE_COMPUTE_SHARE = 0.6;
/** Routing GEMM, top-k/softmax, align/sort, activation and combine kernels per MoE layer as engines fuse them (vLLM's
 *  fused_moe path: ~8 kernels × ~4 µs). Our less fused torch layer (~14 kernels) spends 54 µs beside its GEMMs. */
const MOE_FIXED_SEC = 32e-6;

/** One MoE layer's routed experts on one GPU (weights per expert slice, how many experts it holds of how many). */
export interface MoeSlice {
  experts: number;
  localExperts: number;
  topK: number;
  hidden: number;
  /** Parameters of one expert's slice on this GPU and their bytes each. */
  expertParams: number;
  bytesPerParam: number;
}

/**
 * Seconds for the routed experts of one MoE layer over `tokens` tokens: one fused/grouped kernel streams the weights of
 * every expert the batch touches (expected distinct experts among the local ones when the picks spread uniformly) and
 * multiplies each routed token once, plus the fixed routing kernels and the permute traffic.
 */
export function moeExpertsSeconds(s: MoeSlice, tokens: number, bw: number, peak: number, streamFraction = MOE_STREAM_EFFICIENCY): number {
  const routed = tokens * s.topK;
  const local = busiestRankPicks(routed, s.experts / s.localExperts);
  const touched = s.localExperts * (1 - Math.pow(1 - 1 / s.localExperts, local));
  const streamed = touched * s.expertParams * s.bytesPerParam;
  const tm = streamed / (bw * streamFraction * (streamed / (streamed + STREAM_HALF_BYTES)));
  const tc = (2 * local * s.expertParams) / (peak * MOE_COMPUTE_SHARE);
  return Math.sqrt(tm * tm + tc * tc) + MOE_FIXED_SEC + (routed * s.hidden * 2 * 4) / bw;
}

/**
 * Routed picks on the busiest of `ranks` expert-parallel ranks when `picks` spread uniformly: mean + σ·√(2 ln ranks)
 * (the Gaussian bound on the largest of `ranks` binomial shares). The ranks meet at the combine, so the layer takes as
 * long as that rank: at a decode batch of 4 × top-8 over 8 ranks it holds ~8 picks, twice the mean; at prefill sizes
 * the excess vanishes. One rank (TP-sliced experts) is balanced by construction. Uniform routing is a lower bound:
 * a trained router on real text skews further (what EPLB rebalances), unmeasured here and not modelled.
 */
export function busiestRankPicks(picks: number, ranks: number): number {
  if (ranks <= 1) return picks;
  const mean = picks / ranks;
  return Math.min(picks, mean + Math.sqrt(mean * (1 - 1 / ranks) * 2 * Math.log(ranks)));
}

/** Achievable HBM bandwidth and sustained tensor-core rate of `dtype` GEMMs on a GPU (the roofline's two ceilings):
 *  datasheet figures × the GPU's own measured shares, or the stated defaults (gpuPhysics.ts). A dtype without a
 *  datasheet rate falls back to the 16-bit rate at that dtype's share. */
export function rooflineRates(gpu: GpuSpec, dtype: Dtype): { bw: number; peak: number } {
  return { bw: gpu.memBandwidth * hbmFraction(gpu), peak: (gpu.tflops[dtype] ?? gpu.tflops.bf16 ?? gpu.tflops.fp16 ?? 1e14) * sustainedFraction(gpu, dtype) };
}
/**
 * Share of bf16 peak a fused causal attention kernel reaches in prefill, by the work it can spread over the SMs
 * (query tokens × query heads on the GPU): 0.62 × w / (w + 40 000). Fitted on our H100
 * (bench/calibration/attention-prefill-h100.csv from scripts/device/attention_prefill.py): cuDNN's fused attention —
 * the FlashAttention-3 class engines run on Hopper — reaches 258 TFLOP/s for one 1k-token prompt over 32 heads
 * (w = 33k), 481–525 at w = 131k and 587–597 from w = 524k (16–32k prompts); FlashAttention-2 stays at 150–337.
 */
function attentionPrefillEfficiency(queryTokenHeads: number): number {
  return (0.62 * queryTokenHeads) / (queryTokenHeads + 40_000);
}

/** Seconds of prefill attention in one layer: `tokens` queries over `heads` heads each attending `attended` keys on
 *  average (QKᵀ with `qkDim`, PV with `vDim`), at the fused kernel's efficiency on a GPU of `peakBf16` FLOP/s. */
export function attentionPrefillSeconds(tokens: number, attended: number, heads: number, qkDim: number, vDim: number, peakBf16: number): number {
  if (tokens <= 0 || attended <= 0) return 0;
  return (2 * tokens * attended * heads * (qkDim + vDim)) / (peakBf16 * attentionPrefillEfficiency(tokens * heads));
}

/**
 * The rate the prefill-attention curve is a share of: the datasheet 16-bit rate, not the power-capped sustained one.
 * The curve holds on the H200 as fitted on the H100 (bench/calibration/attention-prefill-h200.csv: median 4.6 %,
 * signed −0.6 %, against 4.3 % on the H100) although the H200 sustains 3 % less on 8192³ GEMMs: one layer's attention
 * is too short to meet the power cap, and both parts have the same SMs and clocks. Scaling it by the sustained
 * share made the H200 rows worse (5.0 %, signed +4 %). Other GPUs: the curve × their datasheet rate, an assumption.
 */
export function attentionPeak(gpu: GpuSpec): number {
  return gpu.tflops.bf16 ?? gpu.tflops.fp16 ?? 1e14;
}

/** Decode attention streams the KV cache near the copy bandwidth: Llama-8B B=32 ctx 8192 adds 34 GB in 10.9 ms (part C). */
const ATTENTION_DECODE_EFFICIENCY = 0.95;

/** Seconds for decode attention to read `kvBytes` of KV cache at the achievable bandwidth `bw`. */
export function attentionDecodeSeconds(kvBytes: number, bw: number): number {
  return kvBytes / (bw * ATTENTION_DECODE_EFFICIENCY);
}
/** Element-wise passes per layer (norms, residual adds, RoPE, activation), each reading and writing M × hidden bf16. */
const ELEMENTWISE_PASSES = 10;
/** One-shot all-reduce latency: ~8 µs over NVLink with custom all-reduce, ~30 µs through PCIe/NCCL. */
const ALLREDUCE_LATENCY_NVLINK = 8e-6;
const ALLREDUCE_LATENCY_PCIE = 30e-6;
const ALLREDUCE_LATENCY_NETWORK = 25e-6;
/** Kernel launches per layer without CUDA graphs × ~4 µs each (enforce-eager). */
export const EAGER_LAUNCH_SEC_PER_LAYER = 12 * 4e-6;

/**
 * Whether a step launches its kernels one by one: always under enforce-eager, and for a pure-decode batch above the
 * engine's CUDA-graph cap (vLLM max_cudagraph_capture_size, SGLang cuda_graph_max_bs, TensorRT-LLM
 * cuda_graph_config.max_batch_size), which no captured graph covers: vLLM's gpu_model_runner and SGLang's
 * cuda_graph_runner.can_run fall back to the eager forward. Steps that carry prompt tokens get no launch term, as
 * before: mixed batches run piecewise graphs or eager in every engine, and their launches hide behind the prefill's GEMMs.
 */
export function runsEager(knobs: Pick<ResolvedKnobs, 'cudaGraphs' | 'cudaGraphMaxBatch'>, decodeSeqs: number, prefillTokens: number): boolean {
  return !knobs.cudaGraphs || (prefillTokens === 0 && decodeSeqs > (knobs.cudaGraphMaxBatch ?? Infinity));
}

export interface Gemm {
  k: number;
  n: number;
  bytesPerParam: number;
}

/** Seconds for one dense GEMM over `tokens` rows: its weights streamed at the size-dependent efficiency and the
 *  activations read and written, against its FLOPs at the sustained rate `peak`, combined as a smooth roofline. */
export function denseGemmSeconds(g: Gemm, tokens: number, bw: number, peak: number, streamScale = STREAM_SCALE): number {
  if (tokens <= 0) return 0;
  const w = g.k * g.n * g.bytesPerParam;
  const tm = (w / (streamScale * (w / (w + STREAM_HALF_BYTES))) + tokens * (g.k + g.n) * 2) / bw;
  const tc = (2 * tokens * g.k * g.n) / peak;
  return Math.sqrt(tm * tm + tc * tc);
}

/** A prompt-carrying step's host launch time on one pipeline stage (engines/types.ts eagerPromptHostSecPerMoeLayer): 0 where the engine graphs it. */
export function eagerPromptHostSec(engine: EngineModel, m: ModelSpec, pp = 1): { seconds: number; moeLayers: number } {
  const moeLayers = m.moe ? m.moe.moeLayers.filter(Boolean).length : 0;
  return { seconds: ((engine.eagerPromptHostSecPerMoeLayer ?? 0) * moeLayers) / Math.max(1, pp), moeLayers };
}

export interface StepModel {
  /** Seconds for one engine step: `decodeSeqs` sequences at `decodeCtx`, plus `prefillTokens` query tokens whose
   *  queries attend on average `prefillCtx` keys, sampling `sampled` tokens. `verifyTokens` of the query tokens verify
   *  drafts (they run in the decode CUDA graphs); the rest are prompt tokens. */
  step(decodeSeqs: number, decodeCtx: number, prefillTokens: number, prefillCtx: number, sampled: number, verifyTokens?: number): number;
  computeDtype: Dtype;
}

export interface LatencyContext {
  model: ModelSpec;
  params: ModelParams;
  format: WeightFormat;
  kvElementBytes: number;
  gpu: GpuSpec;
  par: Parallelism;
  engine: EngineModel;
  knobs: ResolvedKnobs;
  /** Nodes one replica spans: groups wider than a node put their collectives on the network. */
  nodes: number;
  /** Seconds every forward step reads CPU-offloaded weights over the host link (estimator/offload.ts). */
  hostStreamSec?: number;
}

/** What the GEMMs run in: the format's own type where the GPU runs it natively, else its 16-bit type (fp16 on GPUs
 *  without bf16 tensor cores, sixteenBit.ts). */
export function gemmComputeDtype(format: WeightFormat, gpu: GpuSpec): Dtype {
  if (!format.weightOnly && gpu.native.includes(format.compute)) return format.compute;
  return sixteenBitDtype(gpu);
}

export function buildStepModel(ctx: LatencyContext): StepModel {
  const { model: m, format: f, gpu, par } = ctx;
  const tp = par.tp;
  const dtype = gemmComputeDtype(f, gpu);
  const { bw, peak: gemmPeak } = rooflineRates(gpu, dtype);
  // FP8 weights without FP8 tensor cores: 16-bit math on weights dequantized in the kernel (quantization.ts).
  const peak = gemmPeak * dequantComputeShare(f, gpu);
  const moeStream = moeStreamFraction(gpu);
  const peakBf16 = attentionPeak(gpu);
  const h = m.hidden;

  const streamScale = gemmStreamFraction(gpu);
  const gemmTime = (g: Gemm, tokens: number): number => denseGemmSeconds(g, tokens, bw, peak * lowBitComputeShare(f, gpu, g.bytesPerParam), streamScale);
  const expertPeak = peak * lowBitComputeShare(f, gpu, f.expertBytes);

  // Fused projections as engines run them (QKV in one GEMM, gate+up in one GEMM), per GPU.
  const ab = f.attentionBytes;
  const attnGemms: Gemm[] = m.mla
    ? [
        { k: h, n: (m.mla.qLoraRank ?? 0) + m.mla.kvLoraRank + m.mla.qkRopeHeadDim, bytesPerParam: ab },
        { k: m.mla.qLoraRank ?? h, n: (m.heads / tp) * (m.mla.qkNopeHeadDim + m.mla.qkRopeHeadDim), bytesPerParam: ab },
        { k: m.mla.kvLoraRank, n: (m.heads / tp) * (m.mla.qkNopeHeadDim + m.mla.vHeadDim), bytesPerParam: ab },
        { k: (m.heads / tp) * m.mla.vHeadDim, n: h, bytesPerParam: ab },
      ]
    : [
        { k: h, n: ((m.heads / tp) + 2 * kvHeadsPerGpu(m, tp)) * m.headDim, bytesPerParam: ab },
        { k: (m.heads / tp) * m.headDim, n: h, bytesPerParam: ab },
      ];
  // Data-parallel ranks that share layers (memory.ts dpShared) step together: those layers see every rank's tokens,
  // split over all tp × dp GPUs.
  const denseTp = denseShards(par);
  const denseTokens = denseTokenFactor(par);
  const moeTokens = expertTokenFactor(par);
  const mlpGemms = (width: number, bytes: number): Gemm[] =>
    m.gatedMlp ? [{ k: h, n: (2 * width) / denseTp, bytesPerParam: bytes }, { k: width / denseTp, n: h, bytesPerParam: bytes }]
      : [{ k: h, n: width / denseTp, bytesPerParam: bytes }, { k: width / denseTp, n: h, bytesPerParam: bytes }];
  const denseMlp = mlpGemms(m.intermediate, f.linearBytes);
  const sharedMlp = m.moe?.sharedIntermediate ? mlpGemms(m.moe.sharedIntermediate, f.linearBytes) : [];
  // One expert's slice on a GPU: whole experts under EP, a 1/TP (or 1/(TP × DP)) slice of every expert otherwise.
  const expertParams = m.moe ? ((m.gatedMlp ? 3 : 2) * h * m.moe.expertIntermediate) / (par.ep > 1 ? 1 : expertShards(par)) : 0;
  const dpGroup = tp * (par.dp ?? 1);
  const moeSlice: MoeSlice | undefined = m.moe
    ? { experts: m.moe.numExperts, localExperts: m.moe.numExperts / Math.max(1, par.ep), topK: m.moe.topK, hidden: h, expertParams, bytesPerParam: f.expertBytes }
    : undefined;
  const lmHead: Gemm = { k: h, n: m.vocab / denseTp, bytesPerParam: f.lmHeadBytes };
  const kvPerLayer = kvBytesPerTokenPerLayerPerGpu(m, ctx.kvElementBytes, tp);
  const qkDim = m.mla ? m.mla.qkNopeHeadDim + m.mla.qkRopeHeadDim : m.headDim;
  const vDim = m.mla ? m.mla.vHeadDim : m.headDim;

  const network = { bw: gpu.interNode, alpha: ALLREDUCE_LATENCY_NETWORK };
  const intra = gpu.intraNode.kind === 'pcie' ? { bw: gpu.intraNode.bandwidth, alpha: ALLREDUCE_LATENCY_PCIE } : { bw: gpu.intraNode.bandwidth, alpha: ALLREDUCE_LATENCY_NVLINK };
  // GPUs per node of this replica: a TP or EP group larger than that crosses the network; PP stages cross it when
  // the replica spans nodes (engines place TP inside a node and PP across nodes).
  const perNode = Math.ceil((tp * par.pp * (par.dp ?? 1)) / Math.max(1, ctx.nodes));
  const tpLink = tp > perNode ? network : intra;
  const dpLink = dpGroup > perNode ? network : intra;
  const epLink = par.ep > perNode ? network : intra;
  const ppLink = ctx.nodes > 1 ? network : intra;
  const ring = (group: number, link: { bw: number; alpha: number }, tokens: number): number => (group > 1 ? link.alpha + (tokens * h * 2 * 2 * (group - 1)) / group / (link.bw * 0.7) : 0);
  const allReduce = (tokens: number): number => ring(tp, tpLink, tokens);
  // A layer the ranks share: gather every rank's tokens before it and reduce-scatter after, about one all-reduce of
  // all ranks' tokens over the whole group, in place of the rank's own MLP all-reduce.
  const sharedReduce = (factor: number, tokens: number): number => (factor === 1 ? allReduce(tokens) : ring(dpGroup, dpLink, tokens * factor));
  const moeReduce = (tokens: number): number => (par.ep > 1 ? allReduce(tokens) : sharedReduce(moeTokens, tokens));
  // Dispatch and combine move tokens between expert-parallel ranks only where the ranks hold different tokens (DP
  // attention: DeepEP, TensorRT-LLM's NVLink all-to-all). Under tensor-parallel attention every rank already holds the
  // whole batch after the attention all-reduce: vLLM (all2all kernels only with DP > 1), SGLang (--ep-size without an
  // a2a backend) and TensorRT-LLM (all-to-all only with attention DP) run the local experts on it and sum the ranks'
  // outputs with the all-reduce of moeReduce.
  const allToAll = (tokens: number): number => (par.ep > 1 && par.dpShared && m.moe ? epLink.alpha + (tokens * m.moe.topK * h * 2 * (par.ep - 1)) / par.ep / (epLink.bw * 0.7) : 0);

  // Pre-compute per-layer costs that do not depend on the step (attention window sizes, MoE flags). A family-read model
  // (exact per-layer parameters: hybrids, per-layer blocks, latent MoE) streams each layer's own weights: its mixer as
  // one GEMM of the layer's per-GPU mixer weights, its MLP as a gated/plain pair, its experts by their own size; a
  // recurrent layer reads and writes its state once per decode step instead of a KV cache.
  const stateBytes = recurrentLayerStateBytesPerGpu(m, tp);
  const eagerPromptHost = eagerPromptHostSec(ctx.engine, m, par.pp).seconds;
  const layers = m.attention.map((a, i) => {
    const lp = m.layerParams?.[i];
    const kv = keepsKv(a) ? (m.layerKv ? layerKvBytesPerGpu(layerKvOf(m, i), ctx.kvElementBytes, tp) : kvPerLayer) : 0;
    if (!lp) return { a, moe: m.moe?.moeLayers[i] ?? false, kv };
    const mixer = lp.attention / tp + lp.kvProj * kvShare(Math.max(1, lp.kvHeads), tp) + lp.replicated;
    const perExpert = lp.experts && m.moe ? lp.experts / m.moe.numExperts : 0;
    return {
      a, moe: lp.experts > 0, kv,
      gemms: [
        ...(mixer > 0 ? [{ k: h, n: mixer / h, bytesPerParam: ab }] : []),
        ...(lp.mlp > 0 ? mlpGemms(lp.mlp / ((m.gatedMlp ? 3 : 2) * h), f.linearBytes) : []),
      ],
      slice: perExpert && moeSlice ? { ...moeSlice, expertParams: perExpert / (par.ep > 1 ? 1 : expertShards(par)) } : undefined,
    };
  });

  return {
    computeDtype: dtype,
    step(decodeSeqs, decodeCtx, prefillTokens, prefillCtx, sampled, verifyTokens = 0) {
      const tokens = decodeSeqs + prefillTokens;
      let t = 0;
      const attnLinear = attnGemms.reduce((s, g) => s + gemmTime(g, tokens), 0);
      const dense = denseMlp.reduce((s, g) => s + gemmTime(g, tokens * denseTokens), 0);
      let moeLayer = 0;
      if (m.moe) {
        moeLayer = moeExpertsSeconds(moeSlice!, tokens * moeTokens, bw, expertPeak, moeStream)
          + sharedMlp.reduce((s, g) => s + gemmTime(g, tokens * denseTokens), 0) + 2 * allToAll(tokens);
      }
      const elementwise = (tokens * h * 2 * 2 * ELEMENTWISE_PASSES) / bw;
      for (const l of layers) {
        const window = l.a.kind === 'sliding' ? l.a.window : l.a.kind === 'chunked' ? l.a.chunk : Infinity;
        let mixing: number;
        if (l.a.kind === 'recurrent') mixing = (2 * decodeSeqs * stateBytes) / bw;
        else if (l.a.kind === 'none') mixing = 0;
        else {
          const attnDecode = attentionDecodeSeconds(decodeSeqs * Math.min(decodeCtx, window) * l.kv, bw);
          mixing = attnDecode + attentionPrefillSeconds(prefillTokens, Math.min(prefillCtx, window), m.heads / tp, qkDim, vDim, peakBf16);
        }
        if (!('gemms' in l)) {
          t += attnLinear + mixing + (l.moe ? moeLayer + moeReduce(tokens) : dense + sharedReduce(denseTokens, tokens)) + elementwise + allReduce(tokens);
          continue;
        }
        const linear = l.gemms!.reduce((sum, g) => sum + gemmTime(g, tokens), 0);
        const experts = l.slice ? moeExpertsSeconds(l.slice, tokens * moeTokens, bw, expertPeak, moeStream) + 2 * allToAll(tokens) + moeReduce(tokens) : sharedReduce(denseTokens, tokens);
        t += linear + mixing + experts + elementwise + allReduce(tokens);
      }
      t += gemmTime(lmHead, Math.max(1, sampled) * denseTokens);
      if (par.pp > 1) t += (par.pp - 1) * (ppLink.alpha + (tokens * h * 2) / ppLink.bw);
      if (eagerPromptHost > 0 && prefillTokens > verifyTokens) t = Math.max(t, eagerPromptHost);
      // Scheduler CPU time an overlapping scheduler spends while the GPU runs the previous step costs only what it exceeds.
      const host = ctx.engine.overheadHiddenByOverlap && ctx.knobs.overlapScheduling ? Math.max(0, ctx.engine.stepOverheadSec - t) : ctx.engine.stepOverheadSec;
      t += (ctx.hostStreamSec ?? 0) + host + (runsEager(ctx.knobs, decodeSeqs, prefillTokens) ? EAGER_LAUNCH_SEC_PER_LAYER * m.layers : 0);
      return t;
    },
  };
}

export interface ServingLoad {
  inputLen: number;
  outputLen: number;
  concurrency: number;
  prefixHitRate: number;
  /** How requests arrive (scheduler.ts): a benchmark's clients start `together`; a steady request rate is `spread`. */
  arrivals?: 'together' | 'spread';
  /** Simulate two rounds only (cheap; for capacity checks, not reported figures). */
  quick?: boolean;
  speculation?: Speculation;
  /** The benchmark client (benchmarkClient.ts), requests already per data-parallel rank. Absent: the default workload,
   *  BENCHMARK_ROUNDS requests per client at exactly the given lengths, the mean. */
  client?: Pick<ResolvedClient, 'requests' | 'lengthSpread' | 'statistic'>;
  /** One rank's KV pool, admitted against as the engine does (scheduler.ts); absent: the sequence cap alone. */
  kv?: KvBudget;
}

export interface ServingLatency {
  ttftMs: number;
  tpotMs: number;
  outputTokensPerSec: number;
  /** Time of one prefill alone and one decode step at this batch, for the report. */
  prefillAloneMs: number;
  decodeStepMs: number;
}

/**
 * Requests each benchmark client sends before the run ends. A benchmark's mean TTFT includes the first round, in which
 * all clients start together and queue behind each other's prefill; with ten rounds (num-prompts = 10 × concurrency,
 * a common benchmark setting) that burst is a tenth of the samples. Engines that keep cohorts in lockstep (SGLang's
 * separate prefill batches) pay the burst every round anyway. On the serving measurements 7–10 rounds fit equally
 * (TTFT median 33–34 %), 5 rounds 37 %, 20 rounds 42 %; TPOT is within a point across them.
 * This is the default workload of every file (no `client`: 10 × C requests, all clients together, exact lengths, the
 * mean); a workload's `client` (benchmarkClient.ts) sets its own request count, length spread and statistic.
 */
export const BENCHMARK_ROUNDS = 10;
/** Client → HTTP server → tokenizer → engine → first streamed chunk, outside the GPU: ~20 ms (the batch-1 GB200
 *  TensorRT-LLM rows sit 45–55 ms above their prefill through a Dynamo frontend; vLLM's own server is leaner). */
export const FRONTEND_SEC = 0.02;
/** Simulated output tokens per estimate: bounds the work (≈ 10 ns each); large loads simulate two rounds and weight
 *  them, and only beyond two rounds' worth do the steady-state formulas stand in. */
const MAX_SIMULATED_TOKENS = 4_000_000;
// A client sending more than BENCHMARK_ROUNDS requests per client (vllm bench's 1000 prompts at concurrency 8) is
// simulated over BENCHMARK_ROUNDS rounds at most: by then the later requests have settled into their steady pattern, and
// the rest are weighted as repeats of them, which keeps an estimate within a few milliseconds.

/**
 * TTFT, TPOT and throughput of a closed-loop load: one request alone is a prefill then decode steps; several are
 * simulated step by step (scheduler.ts), or, for very large loads, solved as a steady state (steadyState below).
 */
export function servingLatency(stepModel: StepModel, engine: EngineModel, knobs: ResolvedKnobs, load: ServingLoad): ServingLatency {
  const I = Math.max(1, load.inputLen);
  const O = Math.max(1, load.outputLen);
  const client = load.client;
  // Fewer requests than clients: only that many are ever in flight.
  const N = Math.max(1, Math.min(load.concurrency, client?.requests ?? Infinity));
  const spread = client && client.lengthSpread < 1;
  const computed = Math.max(1, Math.round(I * (1 - Math.min(0.99, Math.max(0, load.prefixHitRate)))));
  const budget = Math.max(1, knobs.chunkedPrefill ? knobs.maxNumBatchedTokens : Math.max(knobs.maxNumBatchedTokens, I));
  const prefillAlone = prefill(stepModel, 0, 0, computed, I, budget);
  const spec = load.speculation;
  // One client sends identical requests one after another (every statistic is the one request's figure), unless their
  // lengths spread: then the simulation walks them.
  if (N === 1 && !spread) {
    const tpot = spec
      ? (stepModel.step(1, I + O / 2, spec.k, I + O / 2, spec.k + 1, spec.k) + spec.k * spec.draftCostPerToken * stepModel.step(1, I + O / 2, 0, 0, 1)) / spec.tokensPerStep
      : stepModel.step(1, I + O / 2, 0, 0, 1);
    const lifetime = prefillAlone + FRONTEND_SEC + (O - 1) * tpot;
    const held = heldFirstChunkSec(knobs, O, tpot, spec);
    return { ttftMs: (prefillAlone + FRONTEND_SEC + held) * 1e3, tpotMs: reportedTpot(tpot, O, held) * 1e3, outputTokensPerSec: O / lifetime, prefillAloneMs: prefillAlone * 1e3, decodeStepMs: tpot * 1e3 };
  }
  const decodeStepMs = stepModel.step(N, I + O / 2, 0, 0, N) * 1e3;
  const affordableRounds = Math.floor(MAX_SIMULATED_TOKENS / (N * O));
  if (affordableRounds >= 2 || (N === 1 && spread)) {
    const clientLoad = client ? { requests: client.requests, lengthSpread: client.lengthSpread, statistic: client.statistic } : {};
    const sim = simulateClosedLoop(stepModel, engine, { ...knobs, maxNumBatchedTokens: budget }, { inputLen: I, computedLen: computed, outputLen: O, concurrency: N, rounds: BENCHMARK_ROUNDS, simulatedRounds: load.quick ? 2 : Math.max(2, Math.min(affordableRounds, BENCHMARK_ROUNDS)), arrivals: load.arrivals, speculation: spec, kv: load.kv, ...clientLoad });
    return { ttftMs: (sim.ttftSec + FRONTEND_SEC) * 1e3, tpotMs: sim.tpotSec * 1e3, outputTokensPerSec: sim.outputTokensPerSec, prefillAloneMs: prefillAlone * 1e3, decodeStepMs };
  }
  if (spread) return servingLatency(stepModel, engine, knobs, { ...load, inputLen: Math.round(I * (1 + client!.lengthSpread) / 2), outputLen: Math.max(1, Math.round(O * (1 + client!.lengthSpread) / 2)), client: { ...client!, lengthSpread: 1 } });
  // Beyond max_num_seqs (or KV room) requests queue: each waits whole lifetimes of the running ones. Too large to
  // simulate, a client's spread and statistic are not modelled here: the steady state's mean at the mean lengths.
  // KV room at a request's mean holding: its prompt and half its output on demand, prompt + output when reserved.
  const kvRunning = load.kv ? Math.floor(load.kv.poolBytes / (load.kv.fixedBytes + load.kv.bytesPerToken * (engine.kvAdmission === 'reserve' ? I + O : I + O / 2))) : Infinity;
  const running = Math.min(N, Math.max(1, Math.min(knobs.maxNumSeqs, kvRunning)));
  const s = steadyState(stepModel, knobs.scheduling ?? engine.scheduling, knobs.overlapScheduling, running, I, computed, O, budget);
  if (spec) s.tpot = (s.tpot * (1 + spec.k * spec.draftCostPerToken) + (stepModel.step(running, I + O / 2, running * spec.k, I, running, running * spec.k) - stepModel.step(running, I + O / 2, 0, 0, running))) / spec.tokensPerStep;
  // SGLang --scheduler-recv-interval N: an arrival waits (N − 1) / 2 decode steps on average for the next poll.
  s.ttft += (((knobs.recvInterval ?? 1) - 1) / 2) * s.tpot;
  // TensorRT-LLM attention-DP balancing (scheduler.ts): half the hold until every rank has a prompt, then the batching wait.
  const b = knobs.attentionDpBalance;
  if (b) s.ttft += Math.min(((b.ranks - 1) / b.ranks) * ((s.ttft + (O - 1) * s.tpot) / running), b.timeoutIters * s.tpot) / 2 + b.batchingWaitIters * s.tpot;
  const lifetime = s.ttft + FRONTEND_SEC + (O - 1) * s.tpot;
  const queued = ((N - running) / running) * lifetime;
  const held = heldFirstChunkSec(knobs, O, s.tpot, spec);
  return { ttftMs: (s.ttft + FRONTEND_SEC + queued + held) * 1e3, tpotMs: reportedTpot(s.tpot, O, held) * 1e3, outputTokensPerSec: (running * O) / lifetime, prefillAloneMs: prefillAlone * 1e3, decodeStepMs };
}

/** Seconds a request's first streamed chunk is held past its first token (knobs.firstChunkIterations decode
 *  iterations, each `tpot` × the tokens it yields, at most the request's own iterations). The simulation tracks it per
 *  request; the closed forms use this. */
function heldFirstChunkSec(knobs: ResolvedKnobs, outputLen: number, tpot: number, spec: Speculation | undefined): number {
  const hold = knobs.firstChunkIterations ?? 0;
  if (hold <= 0 || outputLen <= 1) return 0;
  const perIteration = spec ? spec.tokensPerStep : 1;
  return Math.min(hold, Math.ceil((outputLen - 1) / perIteration)) * perIteration * tpot;
}

/** TPOT as a benchmark client computes it, (latency − its TTFT) / (output − 1): a held first chunk shortens it. */
function reportedTpot(tpot: number, outputLen: number, heldSec: number): number {
  return outputLen > 1 ? Math.max(0, ((outputLen - 1) * tpot - heldSec) / (outputLen - 1)) : tpot;
}

/**
 * Steady state of a closed loop, for loads too large to simulate: requests finish at rate λ = N / (TTFT + (O−1)·TPOT)
 * and every step carries the running decodes plus, on average, λ·τ·I prompt tokens.
 * - mixed scheduling: prompt chunks ride in the decode steps (TPOT = the mixed step); a new prompt waits for the step in
 *   progress, then its own chunks, plus an M/D/1 wait on the prefill budget's utilisation;
 * - prefill-first: prefill batches pause decoding; TPOT = decode step stretched by the prefill share.
 * An overlap scheduler adds one step to the wait: the step after the one in progress was formed before the arrival.
 */
function steadyState(stepModel: StepModel, scheduling: EngineModel['scheduling'], overlap: boolean, N: number, I: number, computed: number, O: number, budget: number): { ttft: number; tpot: number } {
  const ctx = I + O / 2;
  let ttft = prefill(stepModel, 0, 0, computed, I, budget);
  let tpot = stepModel.step(1, ctx, 0, 0, 1);
  for (let iter = 0; iter < 60; iter++) {
    const lifetime = ttft + (O - 1) * tpot;
    const lambda = N / lifetime;
    const decoding = Math.max(1, (N * ((O - 1) * tpot)) / lifetime);
    const decodeStep = stepModel.step(decoding, ctx, 0, 0, decoding);
    let newTpot: number;
    let newTtft: number;
    if (scheduling === 'mixed') {
      const room = Math.max(1, budget - decoding);
      const perStep = Math.min(room, lambda * computed * tpot);
      newTpot = stepModel.step(decoding, ctx, perStep, computed / 2, decoding + perStep / computed);
      const rho = Math.min(0.95, perStep / room);
      const chunks = Math.ceil(computed / room);
      const own = chunks * stepModel.step(decoding, ctx, Math.min(room, computed + perStep), computed / 2, decoding + 1);
      newTtft = (overlap ? 2 : 1) * newTpot + own * (1 + rho / (2 * (1 - rho)));
    } else {
      const batchTokens = Math.min(budget, Math.max(computed, lambda * decodeStep * computed));
      const batchTime = prefill(stepModel, 0, 0, batchTokens, I, budget);
      const share = Math.min(0.95, (lambda * computed * batchTime) / batchTokens);
      newTpot = decodeStep / (1 - share);
      newTtft = (overlap ? 1.5 : 0.5) * decodeStep + batchTime * (1 + share / (2 * (1 - share)));
    }
    const done = Math.abs(newTpot - tpot) < 1e-7 && Math.abs(newTtft - ttft) < 1e-7;
    tpot = 0.5 * (tpot + newTpot);
    ttft = 0.5 * (ttft + newTtft);
    if (done) break;
  }
  return { ttft, tpot };
}

/** A prompt of `tokens` new tokens (of `len` total) processed in chunks of at most `budget` tokens. */
export function prefill(s: StepModel, decodeSeqs: number, decodeCtx: number, tokens: number, len: number, budget: number): number {
  let t = 0;
  const offset = len - tokens;
  for (let done = 0; done < tokens; done += budget) {
    const chunk = Math.min(budget, tokens - done);
    t += s.step(decodeSeqs, decodeCtx, chunk, offset + done + chunk / 2, done + chunk >= tokens ? 1 : 0);
  }
  return t;
}
