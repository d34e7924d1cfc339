/** One max_model_len request does not fit the KV pool: vLLM refuses to start (estimator issue `max-len-exceeds-kv`). */
import { rangeFor } from './estimatorIssues';
import { kvFp8Fix, maxLenFix, resolving, utilizationFix } from './fixes';
import type { Estimate } from '../estimator/estimate';
import { GiB } from '../estimator/memory';
import type { Rule } from './types';

/** The highest utilization that still leaves 2 GiB per GPU outside the engine (see utilization-headroom), at most 0.95. */
const headroomTarget = (e: Estimate) => Math.min(0.95, Math.floor((1 - (2 * GiB) / e.hardware.memoryBytesPerGpu) * 100) / 100);

export const maxLenExceedsKvRule: Rule = {
  code: 'max-len-exceeds-kv',
  description: "The KV pool cannot hold one request of max_model_len (the engine's startup error)",
  defaultSeverity: 'error',
  refusesStart: true,
  check(ctx) {
    const { estimate: e, plan } = ctx;
    return e.issues.filter((i) => i.code === this.code).map((i) => {
      const len = maxLenFix(ctx);
      return {
        rule: this.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source),
        fixes: resolving(ctx, this.code, [len && { ...len, preferred: true }, kvFp8Fix(ctx), e.serving.engine === 'vllm' && headroomTarget(e) > e.serving.gpuMemoryUtilization + 0.01 ? utilizationFix(ctx, headroomTarget(e)) : undefined]),
      };
    });
  },
};
