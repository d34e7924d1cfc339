/**
 * CPU weight offload (vLLM / SGLang `--cpu-offload-gb`). vLLM's `maybe_offload_to_cpu`
 * (vllm/model_executor/models/utils.py; OffloadConfig in vllm/config/offload.py) walks the parameters in construction
 * order and copies each one to pinned CPU memory until the per-GPU budget is spent; the GPU parameter becomes a
 * zero-copy (UVA) view, so every forward step reads those bytes over the host link. So: GPU weights shrink by
 * min(budget, weights), host RAM grows by as much per GPU, and each step pays offloaded bytes ÷ the link's
 * zero-copy rate. SGLang's `--cpu-offload-gb` budget is the same GiB per GPU (model_runner: cpu_offload_gb × 2³⁰).
 */
import type { HostLink } from '../catalog/hostLinks';

const GiB = 2 ** 30;

export interface WeightOffload {
  /** Weight bytes per GPU that live in host RAM (≤ the GPU's weights). */
  offloadedBytesPerGpu: number;
  /** Seconds each forward step spends reading them over the host link. */
  streamSecPerStep: number;
  /** Weights per GPU with nothing offloaded. */
  weightsBytesPerGpu: number;
  link: HostLink;
}

/** The offload a `--cpu-offload-gb` budget makes of `weightsBytesPerGpu` (the GPU's weights without it). */
export function weightOffload(budgetGiB: number, weightsBytesPerGpu: number, link: HostLink): WeightOffload | undefined {
  if (!(budgetGiB > 0)) return undefined;
  const offloaded = Math.min(budgetGiB * GiB, Math.max(0, weightsBytesPerGpu));
  return { offloadedBytesPerGpu: offloaded, streamSecPerStep: offloaded / link.zeroCopy, weightsBytesPerGpu, link };
}

export function describeOffload(o: WeightOffload): string {
  const all = o.offloadedBytesPerGpu >= o.weightsBytesPerGpu ? ' (every weight: the budget exceeds them)' : '';
  return `CPU weight offload: ${(o.offloadedBytesPerGpu / GiB).toFixed(2)} GiB of ${(o.weightsBytesPerGpu / GiB).toFixed(2)} GiB weights per GPU in pinned host RAM${all}, read every step over ${o.link.source}: +${(o.streamSecPerStep * 1e3).toFixed(1)} ms per step`;
}
