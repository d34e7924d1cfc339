/**
 * What /dev/shm a pod needs when its engine spans several GPUs. Facts (serving-features.md §6):
 * - Docker gives a container 64 MiB of /dev/shm unless `--shm-size` or `--ipc=host` says otherwise, and Kubernetes
 *   the same unless a `medium: Memory` emptyDir is mounted there (or hostIPC); with that little, NCCL can segfault in
 *   ncclShmOpen while it initializes its shared-memory transport — PyTorch's CI moved to `--shm-size=2gb` for it
 *   ("Should prevent crashes during NCCL initialization", pytorch/tutorials 0ba3e39).
 * - vLLM's docs since v0.4 ask for `--ipc=host` or `--shm-size`: "PyTorch … uses shared memory to share data between
 *   processes under the hood, particularly for tensor parallel inference" (docs.vllm.ai deploying_with_docker).
 * - vLLM broadcasts every step from the engine to its workers through a shared-memory ring buffer of max_chunks 10 ×
 *   max_chunk_bytes 24 MiB = 240 MiB (vllm/distributed/device_communicators/shm_broadcast.py MessageQueue.__init__;
 *   older builds 10 × 10 MiB): a floor below which the queue cannot be created.
 * NCCL's own shared-memory buffers are not sized here: the recommended size is PyTorch CI's 2 GiB, not a computed need.
 */
import type { EngineName } from '../plan/types';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

export const DEFAULT_SHM_BYTES = 64 * MiB;
export const VLLM_BROADCAST_SHM_BYTES = 10 * 24 * MiB;
export const RECOMMENDED_SHM_BYTES = 2 * GiB;

export interface ShmNeed {
  /** Below this (vLLM) or at it (the 64 MiB default, other engines) the engine fails. */
  floorBytes: number;
  /** `below`: too small when size < floor; `atMost`: too small when size ≤ floor (the default itself fails). */
  floorKind: 'below' | 'atMost';
  floorSource: string;
  /** What the fix writes. */
  recommendedBytes: number;
  recommendedSource: string;
}

/** The shared memory an engine of `gpusInPod` GPUs in one pod needs, or undefined with one GPU (no NCCL peers). */
export function shmNeed(engine: EngineName, gpusInPod: number): ShmNeed | undefined {
  if (!(gpusInPod > 1)) return undefined;
  const recommended = { recommendedBytes: RECOMMENDED_SHM_BYTES, recommendedSource: 'PyTorch CI --shm-size=2gb against NCCL init crashes (pytorch/tutorials 0ba3e39)' };
  if (engine === 'vllm') {
    return { floorBytes: VLLM_BROADCAST_SHM_BYTES, floorKind: 'below', floorSource: "vLLM's engine→worker broadcast ring, 10 × 24 MiB (shm_broadcast.py MessageQueue)", ...recommended };
  }
  return { floorBytes: DEFAULT_SHM_BYTES, floorKind: 'atMost', floorSource: 'the 64 MiB container default, with which NCCL can segfault in ncclShmOpen', ...recommended };
}

export function shmTooSmall(sizeBytes: number, need: ShmNeed): boolean {
  return need.floorKind === 'below' ? sizeBytes < need.floorBytes : sizeBytes <= need.floorBytes;
}
