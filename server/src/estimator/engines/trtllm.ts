/**
 * TensorRT-LLM: kv_cache_config.free_gpu_memory_fraction (default 0.9) of the memory still free after the engine has
 * loaded weights and reserved activations — a fraction of *free*, not of total (AIConfigurator memory_fraction_of_free).
 */
import { cudaContextBytes, profiledActivationPeak } from '../memory';
import type { ReservedComponentName } from '../memoryPlan';
import { atLeast, deduct, EngineModel } from './types';
import { gib } from './vllm';

/** What is allocated before the KV cache takes its fraction of the free memory (CUDA graphs are captured after). */
// MTP / EAGLE / draft weights load with the model, before the KV cache is sized from what is free (listed last so a
// plan without a drafter sums bit-identically).
const DEDUCTS: readonly ReservedComponentName[] = ['weights', 'activations', 'nonTorch', 'drafter'];

export const trtllm: EngineModel = {
  name: 'trtllm',
  newestVersion: '1.2',
  knobNames: { utilization: 'kv_cache_config.free_gpu_memory_fraction', maxNumSeqs: 'max_batch_size', maxNumBatchedTokens: 'max_num_tokens', maxModelLen: 'max_seq_len', cudaGraphMaxBatch: 'cuda_graph_config.max_batch_size' },
  defaults(_gpu, version) {
    // LlmArgs defaults: max_batch_size 2048, max_num_tokens 8192, chunked context off, block reuse on. From 1.0 the
    // PyTorch backend is trtllm-serve's default and runs the overlap scheduler (disable_overlap_scheduler false):
    // PyExecutor forms batch k+1 while the GPU runs batch k. Modelled, the TensorRT-LLM rows' median TTFT bias moves
    // from −29 % to −9 % (all serving rows within 15 %: 141 → 161 of 619; median unchanged at 34 %), TPOT 9.0 → 8.6 %.
    return { gpuMemoryUtilization: 0.9, maxNumSeqs: 2048, maxNumBatchedTokens: 8192, chunkedPrefill: false, prefixCaching: true, blockSize: 32, cudaGraphs: true, overlapScheduling: atLeast(version, 1, 0),
      // cuda_graph_config's own default batch list is not modelled: only a max_batch_size written in the file caps graphs.
      cudaGraphMaxBatch: Infinity };
  },
  poolDeducts: () => DEDUCTS,
  kvPool(mem) {
    const free = deduct(mem.totalBytes, mem, DEDUCTS) - cudaContextBytes;
    return {
      poolBytes: mem.utilization * free,
      get formula() { return `${mem.utilization} × (${gib(mem.totalBytes)} − weights ${gib(mem.weightsBytes)}${mem.drafterBytes ? ` − drafter ${gib(mem.drafterBytes)}` : ''} − activations ${gib(mem.activationBytes)} − runtime ${gib(mem.nonTorchBytes + cudaContextBytes)})`; },
    };
  },
  poolSource: 'TensorRT-LLM kv_cache_config.free_gpu_memory_fraction × (total − weights − activations − runtime)',
  activationPeak: (m, tokens, seqs, par) => profiledActivationPeak(m, tokens, seqs, par),
  scheduling: 'mixed',
  kvAdmission: 'reserve',
  stepOverheadSec: 0.6e-3,
};
