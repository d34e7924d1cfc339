/**
 * What each engine can run on each GPU, so the search proposes only deployments the engine starts and runs as
 * estimated — and that the tool's own rules do not flag (`kv-dtype-not-native`, TensorRT-LLM FP8 below SM 89).
 *
 * Engine facts (from the engines' docs and kernels; copied here, not read at run time):
 * - vLLM, SGLang and TGI run FP8 checkpoints and `--quantization fp8` on GPUs without FP8 tensor cores (Ampere,
 *   SM 8.0–8.6) through the Marlin W8A16 kernels: weights stay 1 byte, the GEMMs dequantize them to 16 bits
 *   (vLLM's fp8 method "falls back to weight-only FP8 via Marlin on Ampere"; SGLang enables Marlin FP8 on SM < 89;
 *   TGI 2.1+ "FP8 Marlin" for A100/A10).
 * - TensorRT-LLM's FP8 (weights and KV) needs FP8 tensor cores, SM 89+ (Ada, Hopper, Blackwell); it has no
 *   weight-only FP8 path on Ampere.
 * - An FP8 KV cache on a GPU without FP8 tensor cores is stored in FP8 but dequantized for attention, slower than
 *   the 16-bit cache (the estimator's `kv-dtype-not-native` warning): the search does not propose it there.
 * - TGI's `--kv-cache-dtype fp8_e4m3fn` is CUDA-only (launcher docs).
 * - TGI shards a model only by tensor parallelism (`--num-shard`); it has no pipeline parallelism.
 */
import type { GpuSpec } from '../catalog/gpus';
import type { EngineName } from '../plan/types';

/** Whether FP8 tensor cores run the format natively (the catalog's `native` formats). */
const nativeFp8 = (gpu: GpuSpec) => gpu.native.includes('fp8');

/**
 * Whether the engine runs FP8 weights on this GPU: natively (W8A8) where the GPU has FP8 tensor cores, as Marlin
 * W8A16 (weight-only, 16-bit math) on NVIDIA Ampere for vLLM, SGLang and TGI; TensorRT-LLM only natively.
 */
export function runsFp8Weights(engine: EngineName, gpu: GpuSpec): boolean {
  // TEI has no quantization flag: it runs the checkpoint at --dtype.
  if (engine === 'tei') return false;
  if (nativeFp8(gpu)) return engine !== 'trtllm' || gpu.vendor === 'nvidia';
  return engine !== 'trtllm' && gpu.vendor === 'nvidia' && gpu.arch === 'ampere';
}

/** Whether the search may propose an FP8 KV cache for this engine on this GPU: native FP8 only. */
export function runsFp8Kv(engine: EngineName, gpu: GpuSpec): boolean {
  // TEI keeps no KV cache.
  if (!nativeFp8(gpu) || engine === 'tei') return false;
  if (engine === 'tgi' || engine === 'trtllm') return gpu.vendor === 'nvidia';
  return true;
}

/** Whether the engine runs on the GPU at all: TensorRT-LLM is NVIDIA-only, and its support matrix starts at Ampere
 *  (no Volta V100 or Turing T4). */
export function runsOn(engine: EngineName, gpu: GpuSpec): boolean {
  return engine !== 'trtllm' || (gpu.vendor === 'nvidia' && gpu.arch !== 'volta' && gpu.arch !== 'turing');
}

/** Whether the engine splits layers over pipeline stages (TGI shards by tensor parallelism only). */
export function runsPipeline(engine: EngineName): boolean {
  return engine !== 'tgi' && engine !== 'tei';
}
