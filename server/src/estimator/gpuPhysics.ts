/**
 * How the roofline's ceilings scale from one GPU to another, per kind of quantity, instead of one datasheet ratio:
 * - bandwidth-bound (weight streaming, KV reads, element-wise passes): the datasheet HBM bandwidth × the share a
 *   large copy/read achieves on that GPU (`measured.hbmFraction`), dense GEMMs × the share of that bandwidth large
 *   weights stream at (`measured.gemmStreamFraction`), grouped expert GEMMs × theirs (`measured.moeStreamFraction`);
 * - FLOP-bound (large GEMMs, prefill attention, expert GEMMs at prefill sizes): the datasheet dense rate per dtype ×
 *   the share sustained under the power cap (`measured.sustained`);
 * - launch-bound (per-kernel and per-step fixed times, latency.ts and the engine models): the same on every
 *   generation — kernel launch and CUDA-graph replay do not get faster with HBM or tensor cores.
 * Measured values live on the GPU's catalog entry (catalog/gpus.ts, with their source); a GPU without them uses the
 * defaults below, which are the H100 SXM's measured shares (our first calibration GPU), stated as an assumption.
 */
import type { Dtype, GpuSpec } from '../catalog/gpus';

/** Achieved/peak HBM bandwidth where the GPU was not measured: the H100 SXM's 3.02 TB/s copy and 3.04 TB/s read of
 *  3.35 TB/s (calibration h100/machine.json; 3.02 sustained, h100/results.csv sustained_hbm_copy_4GiB). */
export const DEFAULT_HBM_FRACTION = 0.9;

/**
 * Sustained tensor-core share of the datasheet dense rate where the GPU was not measured: the H100 SXM's 687 of 989
 * TFLOP/s bf16 and 1294 of 1979 fp8 (fast accumulation) under the 700 W cap (h100/results.csv sustained_* rows).
 * int8 and fp4 were never measured: 0.6, an assumption — Blackwell's FP4 and AMD's rates are datasheet figures whose
 * sustained share nobody here has measured.
 */
export const DEFAULT_SUSTAINED: Partial<Record<Dtype, number>> = { bf16: 0.7, fp16: 0.7, fp8: 0.65, int8: 0.6, fp4: 0.6 };
const FALLBACK_SUSTAINED = 0.6;

/**
 * Share of the achievable bandwidth a large dense GEMM streams its weights at (the asymptote of latency.ts's
 * size curve; the curve's half-size — launch and tail effects — is the same on every GPU), where the GPU was not
 * measured: the H100 cuBLAS sweep's 0.92 (128256×4096 LM head at 2.74 TB/s).
 */
export const DEFAULT_GEMM_STREAM_FRACTION = 0.92;

/**
 * Share of the achievable bandwidth grouped expert GEMMs stream the touched experts at, where the GPU was not
 * measured: the H100's fit (bench/calibration/moe-layer-h100.csv: 2.5–2.8 TB/s at decode batches of 16–256 tokens).
 */
export const DEFAULT_MOE_STREAM_FRACTION = 0.85;

/** Achievable HBM bandwidth share of the datasheet figure on `gpu`. */
export function hbmFraction(gpu: GpuSpec): number {
  return gpu.measured?.hbmFraction ?? DEFAULT_HBM_FRACTION;
}

/** Sustained share of the datasheet dense rate of `dtype` on `gpu`. */
export function sustainedFraction(gpu: GpuSpec, dtype: Dtype): number {
  return gpu.measured?.sustained?.[dtype] ?? DEFAULT_SUSTAINED[dtype] ?? FALLBACK_SUSTAINED;
}

/** Share of the achievable bandwidth grouped expert GEMMs stream at on `gpu`. */
export function moeStreamFraction(gpu: GpuSpec): number {
  return gpu.measured?.moeStreamFraction ?? DEFAULT_MOE_STREAM_FRACTION;
}

/** Share of the achievable bandwidth large dense GEMMs stream their weights at on `gpu`. */
export function gemmStreamFraction(gpu: GpuSpec): number {
  return gpu.measured?.gemmStreamFraction ?? DEFAULT_GEMM_STREAM_FRACTION;
}
