/**
 * Hugging Face text-embeddings-inference (huggingface/text-embeddings-inference@0d124dc9, v1.9.x): a pooling-only
 * server with no KV cache and no memory fraction. It loads the weights, then warms up on one batch of
 * `--max-batch-tokens` tokens (backends/src/lib.rs warmup: on GPU the budget cut into max-input-length requests), and
 * allocates nothing sized from free memory afterwards — "text-embeddings-inference cannot infer this number
 * automatically" (router/src/main.rs on --max-batch-tokens). Batches are formed under that token budget and at most
 * max-batch-requests (else max-concurrent-requests) requests (core/src/queue.rs). No tensor parallelism; candle's CUDA
 * backend captures no CUDA graphs.
 *
 * `kvPool` reports the memory left beside the weights and the warm-up peak: TEI never allocates it (poolingPoint.ts
 * shows it as unused); it is what says whether the model and its batch fit.
 */
import { activationPeakBytes, cudaContextBytes, V0_MLP } from '../memory';
import type { ReservedComponentName } from '../memoryPlan';
import { deduct, EngineModel } from './types';
import { gib } from './vllm';

const DEDUCTS: readonly ReservedComponentName[] = ['weights', 'activations', 'nonTorch'];

export const tei: EngineModel = {
  name: 'tei',
  newestVersion: '1.9',
  knobNames: { utilization: 'GPU memory', maxNumSeqs: 'max-concurrent-requests', maxNumBatchedTokens: 'max-batch-tokens', maxModelLen: 'the model\'s max input length' },
  defaults() {
    // router/src/main.rs defaults: max-batch-tokens 16384, max-concurrent-requests 512.
    return { gpuMemoryUtilization: 1.0, maxNumSeqs: 512, maxNumBatchedTokens: 16384, chunkedPrefill: false, prefixCaching: false, blockSize: 16, cudaGraphs: false, overlapScheduling: false, cudaGraphMaxBatch: Infinity };
  },
  poolDeducts: () => DEDUCTS,
  kvPool(mem) {
    const poolBytes = deduct(mem.totalBytes * mem.utilization, mem, DEDUCTS) - cudaContextBytes;
    return {
      poolBytes,
      get formula() { return `no KV cache: ${gib(mem.totalBytes)} − weights ${gib(mem.weightsBytes)} − warm-up batch ${gib(mem.activationBytes)} − runtime ${gib(mem.nonTorchBytes + cudaContextBytes)} left unallocated`; },
    };
  },
  poolSource: 'TEI backends/src/lib.rs warmup: weights + one batch of --max-batch-tokens; no KV cache',
  // Candle's eager forward keeps its intermediates (V0-style, no fused activations) and computes no logits: the warm-up
  // batch's MLP activations alone, with no sampler rows.
  activationPeak: (m, tokens, _seqs, par) => activationPeakBytes(m, tokens, 0, par, V0_MLP),
  scheduling: 'prefill-first',
  kvAdmission: 'reserve',
  stepOverheadSec: 1.5e-3,
};
