/** KV capacity holds fewer requests than the workload keeps in flight (estimator issue `kv-limits-concurrency`). */
import { combinedFixes } from './combinedFixes';
import { rangeFor } from './estimatorIssues';
import {
  dpAttentionChange, dpAttentionFix, fp8WeightsChange, fp8WeightsFix, headroomUtilizationChange, headroomUtilizationFix, kvCapacityEffect, kvFp8Change, kvFp8Fix, resolving,
  resolvingOnly, tpUpChange, tpUpFix,
} from './fixes';
import type { Rule } from './types';

export const kvLimitsConcurrencyRule: Rule = {
  code: 'kv-limits-concurrency',
  description: "KV capacity allows fewer concurrent requests than the workload's concurrency",
  defaultSeverity: 'warning',
  check(ctx) {
    const { estimate: e, plan } = ctx;
    const lean = resolvingOnly(ctx, this.code);
    return e.issues.filter((i) => i.code === this.code).map((i) => {
      const fp8 = kvFp8Fix(lean);
      return {
        rule: this.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source),
        fixes: [
          // On the same GPUs first (alone, else the smallest combination), then with more GPUs.
          ...resolving(ctx, this.code, [fp8 && { ...fp8, preferred: true }, dpAttentionFix(lean), fp8WeightsFix(lean), headroomUtilizationFix(lean)]),
          ...combinedFixes(ctx, this.code, [kvFp8Change(e), fp8WeightsChange(e), dpAttentionChange(ctx), headroomUtilizationChange(e), tpUpChange(e, plan.hardware.count?.value)],
            (b, a) => `${kvCapacityEffect(b, a)}, room for all ${a.latency.concurrency} requests in flight`),
          ...resolving(ctx, this.code, [tpUpFix(lean)]),
        ],
      };
    });
  },
};
