/** The model does not fit: weights + activations + overhead leave no KV cache (estimator issue `does-not-fit`). */
import { combinedFixes } from './combinedFixes';
import { rangeFor } from './estimatorIssues';
import { fp8WeightsChange, fp8WeightsFix, headroomUtilizationChange, headroomUtilizationFix, resolving, resolvingOnly, tpUpChange, tpUpFix } from './fixes';
import { GiB } from '../estimator/memory';
import type { Rule } from './types';

export const doesNotFitRule: Rule = {
  code: 'does-not-fit',
  description: 'Weights and overheads exceed the GPU memory the engine may use',
  defaultSeverity: 'error',
  refusesStart: true,
  check(ctx) {
    const { estimate: e, plan } = ctx;
    const lean = resolvingOnly(ctx, this.code);
    return e.issues.filter((i) => i.code === this.code).map((i) => ({
      rule: this.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source),
      fixes: [
        ...resolving(ctx, this.code, [tpUpFix(lean), fp8WeightsFix(lean), headroomUtilizationFix(lean)]),
        ...combinedFixes(ctx, this.code, [fp8WeightsChange(e), headroomUtilizationChange(e), tpUpChange(e, plan.hardware.count?.value)],
          (b, a) => `fits: weights ${(b.memory.weightsBytesPerGpu / GiB).toFixed(1)} → ${(a.memory.weightsBytesPerGpu / GiB).toFixed(1)} GiB per GPU, KV ${Math.round(a.memory.kvCapacityTokens / 1000)}k tokens`),
      ],
    }));
  },
};
