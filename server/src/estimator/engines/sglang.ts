/**
 * SGLang (model_runner.profile_max_num_token): pool = free memory after load − total × (1 − mem_fraction_static),
 * i.e. ≈ mem_fraction_static × total − weights − context. The default fraction (server_args._handle_gpu_memory_settings,
 * 0.5.x as mirrored by AIConfigurator's derive_sglang_mem_fraction_static) reserves
 *   512 MB + 1.5 × chunked_prefill_size MB + (TP × PP / 8) × 1024 MB + cuda_graph_max_bs × 2 MB,
 * at least 10 GiB on GPUs above 60 GB.
 */
import { activationPeakBytes, GiB, cudaContextBytes } from '../memory';
import type { ReservedComponentName } from '../memoryPlan';
import { atLeast, deduct, DefaultsFeatures, EngineModel } from './types';
import { gib } from './vllm';

/**
 * server_args._handle_gpu_memory_settings (0.5 line; ../shared/research/config-formats.md §2): chunked_prefill_size and
 * cuda_graph_max_bs by the GPU's total memory in MiB (get_device_memory_capacity), the graph cap doubled from TP 4:
 *   < 20 GiB 2048 / 8 · < 35 GiB 2048 / 24 (80) · < 60 GiB 4096 / 32 (160) · < 90 GiB (H100, A100-80G) 8192 / 256 (512)
 *   · < 160 GiB (H20, H200) 8192 / 256 (512) · else (B200, B300, MI300X) 16384 / 512.
 * The InferenceX recipes' note agrees (silicon-launch-recipes.md §1.7: chunk 8192 on H100/H200, 16384 on B200/B300).
 */
const MEMORY_TIERS: ReadonlyArray<{ belowGiB: number; chunk: number; graphBs: number; graphBsTp4: number }> = [
  { belowGiB: 20, chunk: 2048, graphBs: 8, graphBsTp4: 8 },
  { belowGiB: 35, chunk: 2048, graphBs: 24, graphBsTp4: 80 },
  { belowGiB: 60, chunk: 4096, graphBs: 32, graphBsTp4: 160 },
  { belowGiB: 160, chunk: 8192, graphBs: 256, graphBsTp4: 512 },
  { belowGiB: Infinity, chunk: 16384, graphBs: 512, graphBsTp4: 512 },
];
const tierOf = (totalBytes: number) => MEMORY_TIERS.find((t) => totalBytes < t.belowGiB * GiB)!;

/** --cuda-graph-max-bs when not set: the largest decode batch under a CUDA graph. */
export const sglangCudaGraphMaxBs = (totalBytes: number, tp: number): number => (tp >= 4 ? tierOf(totalBytes).graphBsTp4 : tierOf(totalBytes).graphBs);

/** Only the weights come off mem_fraction_static × total (with the CUDA context); activations, CUDA graphs and
 *  non-torch buffers live in the 1 − mem_fraction_static share. */
// The LoRA memory pool is allocated by init_lora_manager after load_model and before init_memory_pool (model_runner.py),
// so it comes off the same budget.
const DEDUCTS: readonly ReservedComponentName[] = ['weights', 'loraSlots'];

/**
 * mem_fraction_static when not set, as server_args._handle_gpu_memory_settings (0.5 line) computes it, in MiB:
 * reserved = 512 + 1.5 × max(chunk, 2048) + 2 × cuda_graph_max_bs + TP × PP / 8 × 1024; DP attention adds
 * 3 × cuda_graph_max_bs × dp ("more padding for some operations"), and 1.5 × that again past a graph batch of 300;
 * floored at 10 GiB on GPUs above 60 GB; then +6 GiB for a STANDALONE draft model, +2 GiB for other drafters (EAGLE,
 * MTP; not NGRAM). fraction = round((total − reserved) / total, 3). A multimodal model (a vision_config) is then scaled
 * by adjust_mem_fraction_for_vlm: 0.95 × clamp(1 − 0.1 × (ratio − 1), 0.8, 1.05), ratio = layers × hidden² of the
 * vision_config over ViT-L/14's 24 × 1024² (its getattr defaults: 24 layers, hidden 1024).
 */
export function sglangAutoFraction(totalBytes: number, tp: number, pp: number, chunk: number, graphBs: number, f: DefaultsFeatures = {}): number {
  const totalMB = totalBytes / 2 ** 20;
  let reservedMB = 512 + 1.5 * Math.max(chunk, 2048) + ((tp * pp) / 8) * 1024 + graphBs * 2;
  const dp = f.attentionDpRanks ?? 1;
  if (dp > 1) reservedMB += graphBs * dp * 3 + (graphBs > 300 ? graphBs * dp * 1.5 : 0);
  if (totalBytes > 60e9) reservedMB = Math.max(reservedMB, 10 * 1024);
  reservedMB += drafterReserveGiB(f.speculativeMethod) * 1024;
  let fraction = Math.round(((totalMB - reservedMB) / totalMB) * 1000) / 1000;
  if (f.vision) {
    const ratio = (f.vision.layers * f.vision.hidden ** 2) / (24 * 1024 ** 2);
    fraction *= 0.95 * Math.min(1.05, Math.max(0.8, 1 - 0.1 * (ratio - 1)));
  }
  return fraction;
}

/** GiB the automatic fraction keeps for a drafter: 6 for a STANDALONE draft model, 2 for EAGLE / MTP, none for n-grams. */
const drafterReserveGiB = (method?: string): number => (method === 'draft_model' ? 6 : method && method !== 'ngram' ? 2 : 0);

/** The assumption an automatic fraction states when a drafter or a vision tower changed it (undefined: neither did). */
export function sglangFractionNote(fraction: number, f: Pick<DefaultsFeatures, 'speculativeMethod' | 'vision'>): string | undefined {
  const reserve = drafterReserveGiB(f.speculativeMethod);
  if (!reserve && !f.vision) return undefined;
  return `mem-fraction-static ${fraction.toFixed(3)}: SGLang's automatic fraction${reserve ? `, less its ${reserve} GiB drafter reserve` : ''}${f.vision ? ', scaled down for the vision tower (adjust_mem_fraction_for_vlm)' : ''}`;
}

/** --chunked-prefill-size when not set. */
export function sglangChunkedPrefill(totalBytes: number): number {
  return tierOf(totalBytes).chunk;
}

export const sglang: EngineModel = {
  name: 'sglang',
  newestVersion: '0.5',
  // server_args defaults are modelled from the 0.4 tiers on (the overlap scheduler arrived in 0.4).
  oldestVersion: '0.4',
  knobNames: { utilization: 'mem-fraction-static', maxNumSeqs: 'max-running-requests', maxNumBatchedTokens: 'chunked-prefill-size', maxModelLen: 'context-length', cudaGraphMaxBatch: 'cuda-graph-max-bs' },
  defaults(gpu, version, tp, pp, _maxModelLen, features = {}) {
    const chunk = sglangChunkedPrefill(gpu.usableBytes);
    const graphBs = sglangCudaGraphMaxBs(gpu.usableBytes, tp);
    // The overlap scheduler (event_loop_overlap) is on by default from 0.4 (--disable-overlap-schedule turns it off).
    const overlap = atLeast(version, 0, 4);
    if (!atLeast(version, 0, 5)) {
      // server_args.py ≤ 0.4.x: a fixed fraction by TP size.
      const fraction = tp >= 16 ? 0.79 : tp >= 8 ? 0.81 : tp >= 4 ? 0.85 : tp >= 2 ? 0.87 : 0.88;
      return { gpuMemoryUtilization: fraction, maxNumSeqs: 4096, maxNumBatchedTokens: chunk, chunkedPrefill: true, prefixCaching: true, blockSize: 1, cudaGraphs: true, overlapScheduling: overlap, cudaGraphMaxBatch: graphBs };
    }
    const fraction = sglangAutoFraction(gpu.usableBytes, tp, pp, features.chunkedPrefillSize ?? chunk, features.cudaGraphMaxBs ?? graphBs, features);
    return { gpuMemoryUtilization: fraction, maxNumSeqs: 4096, maxNumBatchedTokens: chunk, chunkedPrefill: true, prefixCaching: true, blockSize: 1, cudaGraphs: true, overlapScheduling: overlap, cudaGraphMaxBatch: graphBs };
  },
  poolDeducts: () => DEDUCTS,
  kvPool(mem) {
    const poolBytes = deduct(mem.utilization * mem.totalBytes, mem, DEDUCTS) - cudaContextBytes;
    return {
      poolBytes,
      get formula() { return `${mem.utilization} × ${gib(mem.totalBytes)} − weights ${gib(mem.weightsBytes)} − CUDA context ${gib(cudaContextBytes)}`; },
    };
  },
  poolSource: 'SGLang model_runner.profile_max_num_token: mem_fraction_static × total − weights − CUDA context',
  // Activations and CUDA graphs live in the (1 − mem_fraction_static) share left outside the pool; the logits at their
  // peak are one CUDA-graph decode batch, not the max-running-requests bound (4096).
  activationPeak: (m, tokens, seqs, par, gpu) => activationPeakBytes(m, tokens, Math.min(seqs, sglangCudaGraphMaxBs(gpu.usableBytes, par.tp)), par),
  // server_args.enable_mixed_chunk defaults to False: a prefill (extend) batch runs on its own, pausing decodes, and
  // the scheduler takes prefill first. A cohort that arrives together is prefilled together and then decodes in
  // lockstep, so its TTFT carries the whole cohort's prefill and its TPOT is the pure decode step — which is what the
  // H100 measurements show (Qwen3-32B TP2 1024/128 c64: TTFT 2.5 s and TPOT 30 ms, where vLLM, which mixes chunks
  // into decode steps, measures 0.39 s and 46 ms). Median errors on the serving rows, mixed → prefill-first:
  // TTFT 44.7 → 37.2 %, TPOT 9.8 → 8.7 %.
  scheduling: 'prefill-first',
  kvAdmission: 'ratio',
  stepOverheadSec: 1.0e-3,
  // Extend (prompt) batches run the eager forward: cuda_graph_runner captures decode batches only (piecewise CUDA graphs
  // for extend are opt-in). A DeepSeek-style MoE layer launches dozens of small kernels from Python (MLA projections
  // and norms, per-token-group FP8/FP4 activation quantization, routing, the fused MoE, shared experts, all-reduce).
  // Fitted on the InferenceX SGLang DeepSeek-R1 runs at 4 clients of 1k-token prompts, where each prompt runs alone:
  // 172–227 ms TTFT measured on B200 (0.5.5–0.5.9, FP8 and FP4, TP 4 and 8) against a GPU roofline of 27–45 ms;
  // 58 MoE layers × 2 ms = 116 ms. The H200 runs (245–260 ms, flashinfer MLA) sit ≈ 110 ms above even so.
  // 8k-token prompts, whose GPU time exceeds it, are unchanged.
  // Dense layers' launches hide behind their GEMMs on every SGLang run measured (up to 0.3 ms a layer moves none).
  eagerPromptHostSecPerMoeLayer: 2.0e-3,
};
