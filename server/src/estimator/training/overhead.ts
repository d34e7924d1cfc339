/**
 * What a training process holds beside the tensors it allocates.
 * - CUDA context (driver, kernels' modules, cuDNN/cuBLAS handles), outside PyTorch's allocator: measured 0.75 GiB
 *   on an H200 with torch 2.11 / CUDA 13 (bench/calibration/train-memory-h200.csv `context` = device used −
 *   reserved, every row); taken for every GPU (the driver's share differs by a few hundred MiB across generations).
 * - cuBLAS / cuBLASLt workspaces, allocated through PyTorch's allocator (counted in max_memory_allocated): measured
 *   0.07 GiB (base_alloc rose 2.30 → 2.37 GiB after the first case).
 * - Allocator fragmentation: the caching allocator's reserved memory exceeded the allocated peak by 2–10 % without
 *   checkpointing and 20–30 % with it in those rows, but it releases cached blocks and retries before it reports an
 *   out-of-memory, so a run needs far less than `reserved`: a reserve of 5 % of the allocated peak is assumed.
 */
const GiB = 2 ** 30;

export const CUDA_CONTEXT_BYTES = 0.75 * GiB;
export const CUBLAS_WORKSPACE_BYTES = 0.07 * GiB;
export const FRAGMENTATION_FRACTION = 0.05;

export interface OverheadBytes {
  /** Inside torch.cuda.max_memory_allocated. */
  allocated: number;
  /** Outside it: CUDA context + fragmentation reserve. */
  outside: number;
}

export function overheadBytes(allocatedPeakWithoutOverhead: number): OverheadBytes {
  const allocated = CUBLAS_WORKSPACE_BYTES;
  return { allocated, outside: CUDA_CONTEXT_BYTES + FRAGMENTATION_FRACTION * (allocatedPeakWithoutOverhead + allocated) };
}
