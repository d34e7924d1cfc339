/**
 * vLLM V1 (vllm/v1/worker/gpu_worker.py determine_available_memory):
 *   available KV = gpu_memory_utilization × total − (weights + activation peak of the profiling run + non-torch)
 * and, from v0.21 on, − the CUDA-graph estimate (before that the graphs are captured after the pool is allocated).
 * The calibration logs (v0.19, H100) reproduce the logged KV budget to ~0.01 GiB with this formula. V0 (before 0.8,
 * worker.determine_num_available_blocks) budgets the same way; its defaults and profiling run differ (below).
 */
import { GiB, profiledActivationPeak, V0_MLP, V1_MLP } from '../memory';
import type { ReservedComponentName } from '../memoryPlan';
import { atLeast, deduct, EngineModel } from './types';

/** The V1 engine is the default from 0.8. */
const v1 = (version: number[]): boolean => atLeast(version, 0, 8);

/** From v0.21 the CUDA-graph estimate is inside the budget; before, the graphs are captured after the pool is allocated. */
const graphsInBudget = (version: number[]): boolean => atLeast(version, 0, 21);
// LoRA slots are created inside load_model (LoRAModelManager), so they are part of the logged model memory and come
// off the budget like the weights (gpu_model_runner.load_model, DeviceMemoryProfiler).
// The drafter loads inside the same DeviceMemoryProfiler as the target (gpu_model_runner.load_model), so it is part of
// "Model loading took" and subtracted before the KV budget; listed last so a plan without one sums bit-identically.
const DEDUCTS: readonly ReservedComponentName[] = ['weights', 'loraSlots', 'activations', 'nonTorch', 'drafter'];
const DEDUCTS_WITH_GRAPHS: readonly ReservedComponentName[] = [...DEDUCTS, 'cudaGraphs'];

export const vllm: EngineModel = {
  name: 'vllm',
  newestVersion: '0.21',
  // The oldest startup logs in the calibration set are vLLM 0.5.
  oldestVersion: '0.5',
  knobNames: { utilization: 'gpu-memory-utilization', maxNumSeqs: 'max-num-seqs', maxNumBatchedTokens: 'max-num-batched-tokens', maxModelLen: 'max-model-len', cudaGraphMaxBatch: 'max-cudagraph-capture-size' },
  defaults(gpu, version, _tp, _pp, maxModelLen) {
    if (!v1(version)) {
      // V0 (engine/arg_utils + config.SchedulerConfig, 0.5–0.7): chunked prefill only for contexts above 32K, whose budget
      // is 2048 tokens (512 before 0.6); otherwise one step holds a whole max_model_len prompt (the estimator raises the
      // budget to max_model_len whenever vLLM's chunked prefill is off). 256 sequences, no prefix caching by default.
      const chunked = maxModelLen > 32768;
      return {
        gpuMemoryUtilization: 0.9, maxNumSeqs: 256,
        maxNumBatchedTokens: chunked && !atLeast(version, 0, 6) ? 512 : 2048,
        chunkedPrefill: chunked, prefixCaching: false, blockSize: 16, cudaGraphs: true, overlapScheduling: false,
        // V0 worker/model_runner _BATCH_SIZES_TO_CAPTURE: 1, 2, 4, 8…256; a larger decode batch runs eager.
        cudaGraphMaxBatch: 256,
      };
    }
    // arg_utils._set_default_args: GPUs with ≥ 70 GiB whose device name does not say "a100" get 1024 seqs / 8192
    // tokens, others 256 / 2048 (so the A800 80GB, an Ampere part, gets the large defaults).
    const big = gpu.usableBytes >= 70 * GiB && !/a100/i.test(gpu.name);
    return {
      // config/cache.py: 0.9 through the v0.11–v0.19 line; 0.92 on current main (config/cache.py@002f10e).
      gpuMemoryUtilization: atLeast(version, 0, 20) ? 0.92 : 0.9,
      maxNumSeqs: big ? 1024 : 256,
      maxNumBatchedTokens: big ? 8192 : 2048,
      chunkedPrefill: true,
      prefixCaching: true,
      blockSize: 16,
      cudaGraphs: true,
      // V1 capture sizes end at 512 (config/vllm.py: max_cudagraph_capture_size = min(2 × max_num_seqs, 512) in the
      // 0.11+ line): a decode batch never exceeds max_num_seqs, so the cap binds only above 512 sequences.
      cudaGraphMaxBatch: 512,
      // --async-scheduling (step k+1 scheduled while step k runs) is on by default from v0.14.0 (its release notes;
      // --no-async-scheduling turns it off), opt-in before: the measured 0.12 line ran without it. With it the
      // scheduler's CPU time hides behind the GPU step (overheadHiddenByOverlap): on the InferenceX gpt-oss runs of
      // 0.10–0.18 (most on 0.15–0.18) TPOT 9.6–19.8 → 3.9–11.5 % median error, TTFT bias −17…−19 → −12…−14 %.
      overlapScheduling: atLeast(version, 0, 14),
    };
  },
  poolDeducts: (version) => (graphsInBudget(version) ? DEDUCTS_WITH_GRAPHS : DEDUCTS),
  kvPool(mem, version) {
    const poolBytes = deduct(mem.utilization * mem.totalBytes, mem, vllm.poolDeducts(version));
    return {
      poolBytes,
      get formula() { return `${mem.utilization} × ${gib(mem.totalBytes)} − weights ${gib(mem.weightsBytes)} − activation peak ${gib(mem.activationBytes)} − non-torch ${gib(mem.nonTorchBytes)}${mem.drafterBytes ? ` − drafter ${gib(mem.drafterBytes)}` : ''}${graphsInBudget(version) ? ` − CUDA graphs ${gib(mem.cudaGraphBytes)}` : ''}`; },
    };
  },
  poolSource: 'vLLM gpu_worker.determine_available_memory: gpu_memory_utilization × total − weights − activation peak − non-torch (− CUDA graphs from 0.21)',
  // V1's gpu_model_runner._dummy_sampler_run profiles max_num_seqs rows (capped by the token budget); V0's profile_run
  // samples the last token of each of its max_num_seqs sequences.
  activationPeak: (m, tokens, seqs, par, _gpu, version) => profiledActivationPeak(m, tokens, seqs, par, v1(version) ? V1_MLP : V0_MLP),
  scheduling: 'mixed',
  kvAdmission: 'on-demand',
  stepOverheadSec: 1.0e-3,
  overheadHiddenByOverlap: true,
};

export const gib = (b: number) => `${(b / GiB).toFixed(2)} GiB`;
