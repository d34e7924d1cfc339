/** The model does not fit: weights + activations + overhead leave no KV cache (estimator issue `does-not-fit`). */
import { rangeFor } from './estimatorIssues';
import { fp8WeightsFix, resolving, tpUpFix } from './fixes';
import type { Rule } from './types';

export const doesNotFitRule: Rule = {
  code: 'does-not-fit',
  description: 'Weights and overheads exceed the GPU memory the engine may use',
  defaultSeverity: 'error',
  refusesStart: true,
  check(ctx) {
    const { estimate: e, plan } = ctx;
    return e.issues.filter((i) => i.code === this.code).map((i) => ({
      rule: this.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source),
      fixes: resolving(ctx, this.code, [tpUpFix(ctx, e.model.heads, e.model.kvHeads, e.model.mla), fp8WeightsFix(ctx)]),
    }));
  },
};
