/**
 * gpu-memory-utilization near 1 leaves nothing for what vLLM does not count: other processes on the GPU, CUDA graphs
 * captured after profiling, allocator fragmentation (users' OOMs at 0.98, vllm-project/vllm#57475).
 */
import { GiB } from '../estimator/memory';
import { rangeFor } from './estimatorIssues';
import { present, utilizationFix } from './fixes';
import type { Rule } from './types';

export const utilizationHeadroomRule: Rule = {
  code: 'utilization-headroom',
  description: 'Memory utilization leaves almost no room for other processes on the GPU',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const u = plan.knobs.gpuMemoryUtilization;
    if (!u || u.source.kind !== 'file' || (e.serving.engine !== 'vllm' && e.serving.engine !== 'sglang')) return [];
    const left = (1 - u.value) * e.hardware.memoryBytesPerGpu;
    if (left >= 2 * GiB && u.value < 0.97) return [];
    return [{
      rule: this.code, severity: this.defaultSeverity,
      message: `${u.value} leaves ${(left / GiB).toFixed(1)} GiB per GPU outside the engine: another process on the GPU, or CUDA graphs captured after profiling, will run out of memory.`,
      range: rangeFor(plan, u.source),
      fixes: present([utilizationFix(ctx, 0.92)]),
    }];
  },
};
