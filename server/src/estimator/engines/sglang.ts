/**
 * SGLang (model_runner.profile_max_num_token): pool = free memory after load − total × (1 − mem_fraction_static),
 * i.e. ≈ mem_fraction_static × total − weights − context. The default fraction (server_args._handle_gpu_memory_settings,
 * 0.5.x as mirrored by AIConfigurator's derive_sglang_mem_fraction_static) reserves
 *   512 MB + 1.5 × chunked_prefill_size MB + (TP × PP / 8) × 1024 MB + cuda_graph_max_bs × 2 MB,
 * at least 10 GiB on GPUs above 60 GB.
 */
import { activationPeakBytes, GiB, cudaContextBytes } from '../memory';
import type { ReservedComponentName } from '../memoryPlan';
import { atLeast, deduct, EngineModel } from './types';
import { gib } from './vllm';

/** server_args: --cuda-graph-max-bs by GPU memory (256 above 60 GB, else 160). */
const cudaGraphMaxBs = (totalBytes: number): number => (totalBytes > 60 * GiB ? 256 : 160);

/** Only the weights come off mem_fraction_static × total (with the CUDA context); activations, CUDA graphs and
 *  non-torch buffers live in the 1 − mem_fraction_static share. */
const DEDUCTS: readonly ReservedComponentName[] = ['weights'];

export function sglangChunkedPrefill(totalBytes: number): number {
  const gb = totalBytes / 1e9;
  return gb < 35 ? 2048 : gb < 60 ? 4096 : gb < 160 ? 8192 : 16384;
}

export const sglang: EngineModel = {
  name: 'sglang',
  newestVersion: '0.5',
  // server_args defaults are modelled from the 0.4 tiers on (the overlap scheduler arrived in 0.4).
  oldestVersion: '0.4',
  knobNames: { utilization: 'mem-fraction-static', maxNumSeqs: 'max-running-requests', maxNumBatchedTokens: 'chunked-prefill-size', maxModelLen: 'context-length' },
  defaults(gpu, version, tp, pp) {
    const chunk = sglangChunkedPrefill(gpu.usableBytes);
    // The overlap scheduler (event_loop_overlap) is on by default from 0.4 (--disable-overlap-schedule turns it off).
    const overlap = atLeast(version, 0, 4);
    if (!atLeast(version, 0, 5)) {
      // server_args.py ≤ 0.4.x: a fixed fraction by TP size.
      const fraction = tp >= 16 ? 0.79 : tp >= 8 ? 0.81 : tp >= 4 ? 0.85 : tp >= 2 ? 0.87 : 0.88;
      return { gpuMemoryUtilization: fraction, maxNumSeqs: 4096, maxNumBatchedTokens: chunk, chunkedPrefill: true, prefixCaching: true, blockSize: 1, cudaGraphs: true, overlapScheduling: overlap };
    }
    let reservedMB = 512 + 1.5 * chunk + ((tp * pp) / 8) * 1024 + cudaGraphMaxBs(gpu.usableBytes) * 2;
    if (gpu.usableBytes > 60e9) reservedMB = Math.max(reservedMB, 10 * 1024);
    const fraction = Math.round(((gpu.usableBytes / 2 ** 20 - reservedMB) / (gpu.usableBytes / 2 ** 20)) * 1000) / 1000;
    return { gpuMemoryUtilization: fraction, maxNumSeqs: 4096, maxNumBatchedTokens: chunk, chunkedPrefill: true, prefixCaching: true, blockSize: 1, cudaGraphs: true, overlapScheduling: overlap };
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
  activationPeak: (m, tokens, seqs, par, gpu) => activationPeakBytes(m, tokens, Math.min(seqs, cudaGraphMaxBs(gpu.usableBytes)), par),
  // server_args.enable_mixed_chunk defaults to False: a prefill (extend) batch runs on its own, pausing decodes, and
  // the scheduler takes prefill first. A cohort that arrives together is prefilled together and then decodes in
  // lockstep, so its TTFT carries the whole cohort's prefill and its TPOT is the pure decode step — which is what the
  // H100 measurements show (Qwen3-32B TP2 1024/128 c64: TTFT 2.5 s and TPOT 30 ms, where vLLM, which mixes chunks
  // into decode steps, measures 0.39 s and 46 ms). Median errors on the serving rows, mixed → prefill-first:
  // TTFT 44.7 → 37.2 %, TPOT 9.8 → 8.7 %.
  scheduling: 'prefill-first',
  stepOverheadSec: 1.0e-3,
};
