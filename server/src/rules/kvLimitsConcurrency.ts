/** KV capacity holds fewer requests than the workload keeps in flight (estimator issue `kv-limits-concurrency`). */
import { rangeFor } from './estimatorIssues';
import { dpAttentionFix, kvFp8Fix, resolving, tpUpFix } from './fixes';
import type { Rule } from './types';

export const kvLimitsConcurrencyRule: Rule = {
  code: 'kv-limits-concurrency',
  description: "KV capacity allows fewer concurrent requests than the workload's concurrency",
  defaultSeverity: 'warning',
  check(ctx) {
    const { estimate: e, plan } = ctx;
    return e.issues.filter((i) => i.code === this.code).map((i) => {
      const fp8 = kvFp8Fix(ctx);
      return {
        rule: this.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source),
        fixes: resolving(ctx, this.code, [fp8 && { ...fp8, preferred: true }, dpAttentionFix(ctx), tpUpFix(ctx, e.model.heads, e.model.kvHeads, e.model.mla)]),
      };
    });
  },
};
