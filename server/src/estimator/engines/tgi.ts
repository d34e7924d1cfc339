/**
 * Hugging Face TGI (flash_causal_lm.warmup): after a warm-up prefill of max_batch_prefill_tokens, TGI_WIGGLE_ROOM
 * (0.93 by default; older releases hard-coded 0.95) of the free memory minus (1 − CUDA_MEMORY_FRACTION) × total becomes
 * KV blocks — the rest is where the CUDA graphs are captured afterwards; MAX_TOTAL_TOKENS is then derived from it.
 */
import { cudaContextBytes, profiledActivationPeak } from '../memory';
import type { ReservedComponentName } from '../memoryPlan';
import { deduct, EngineModel } from './types';
import { gib } from './vllm';

const WIGGLE_ROOM = 0.93;
/** Allocated before the warm-up measures free memory (CUDA graphs are captured afterwards, in the remaining 7 %). */
// Adapters are loaded onto the GPU with the model (models/__init__.py), before the warm-up measures free memory.
const DEDUCTS: readonly ReservedComponentName[] = ['weights', 'loraSlots', 'activations', 'nonTorch'];

/** --max-batch-prefill-tokens when not set (launcher/src/main.rs; config-formats.md §3): 4096, 10 000 for Qwen2-VL and
 *  Qwen2.5-VL, 8000 for Gemma 3. */
export function tgiDefaultPrefillTokens(architecture = ''): number {
  if (/^Qwen2(_5)?_VLForConditionalGeneration$/.test(architecture)) return 10_000;
  if (/^Gemma3ForConditionalGeneration$/.test(architecture)) return 8000;
  return 4096;
}

export const tgi: EngineModel = {
  name: 'tgi',
  newestVersion: '3.3',
  knobNames: { utilization: 'cuda-memory-fraction', maxNumSeqs: 'max-concurrent-requests', maxNumBatchedTokens: 'max-batch-prefill-tokens', maxModelLen: 'max-total-tokens' },
  defaults(_gpu, _version, _tp, _pp, _maxModelLen, features = {}) {
    // launcher/src/main.rs: a model with a vision_config runs without prefix caching unless PREFIX_CACHING says
    // otherwise, and Qwen2-VL / Qwen2.5-VL and Gemma 3 get larger default prefill budgets (their image tokens).
    const vlm = !!features.vision;
    return {
      gpuMemoryUtilization: 1.0, maxNumSeqs: 128, maxNumBatchedTokens: tgiDefaultPrefillTokens(features.architecture), chunkedPrefill: true,
      prefixCaching: !vlm, blockSize: 16, cudaGraphs: true, overlapScheduling: false, cudaGraphMaxBatch: Infinity,
    };
  },
  poolDeducts: () => DEDUCTS,
  kvPool(mem) {
    const poolBytes = WIGGLE_ROOM * (deduct(mem.totalBytes * mem.utilization, mem, DEDUCTS) - cudaContextBytes);
    return {
      poolBytes,
      get formula() { return `${WIGGLE_ROOM} × (${mem.utilization} × ${gib(mem.totalBytes)} − weights ${gib(mem.weightsBytes)} − warm-up peak ${gib(mem.activationBytes)} − runtime ${gib(mem.nonTorchBytes + cudaContextBytes)})`; },
    };
  },
  poolSource: 'TGI flash_causal_lm.warmup: TGI_WIGGLE_ROOM × (CUDA_MEMORY_FRACTION × total − weights − warm-up peak − runtime)',
  activationPeak: (m, tokens, seqs, par) => profiledActivationPeak(m, tokens, seqs, par),
  scheduling: 'prefill-first',
  kvAdmission: 'reserve',
  stepOverheadSec: 1.5e-3,
};
