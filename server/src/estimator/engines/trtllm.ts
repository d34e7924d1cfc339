/**
 * TensorRT-LLM: kv_cache_config.free_gpu_memory_fraction (default 0.9) of the memory still free after the engine has
 * loaded weights and reserved activations — a fraction of *free*, not of total (AIConfigurator memory_fraction_of_free).
 */
import { cudaContextBytes } from '../memory';
import { EngineModel } from './types';
import { gib } from './vllm';

export const trtllm: EngineModel = {
  name: 'trtllm',
  newestVersion: '1.2',
  knobNames: { utilization: 'kv_cache_config.free_gpu_memory_fraction', maxNumSeqs: 'max_batch_size', maxNumBatchedTokens: 'max_num_tokens', maxModelLen: 'max_seq_len' },
  defaults() {
    // LlmArgs defaults: max_batch_size 2048, max_num_tokens 8192, chunked context off, block reuse on.
    return { gpuMemoryUtilization: 0.9, maxNumSeqs: 2048, maxNumBatchedTokens: 8192, chunkedPrefill: false, prefixCaching: true, blockSize: 32, cudaGraphs: true };
  },
  kvPool(mem) {
    const free = mem.totalBytes - mem.weightsBytes - mem.activationBytes - mem.nonTorchBytes - cudaContextBytes;
    return {
      poolBytes: mem.utilization * free,
      laterBytes: 0,
      get formula() { return `${mem.utilization} × (${gib(mem.totalBytes)} − weights ${gib(mem.weightsBytes)} − activations ${gib(mem.activationBytes)} − runtime ${gib(mem.nonTorchBytes + cudaContextBytes)})`; },
    };
  },
  scheduling: 'mixed',
  stepOverheadSec: 0.6e-3,
};
