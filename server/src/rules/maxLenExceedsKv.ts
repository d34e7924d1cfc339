/** One max_model_len request does not fit the KV pool: vLLM refuses to start (estimator issue `max-len-exceeds-kv`). */
import { combinedFixes } from './combinedFixes';
import { rangeFor } from './estimatorIssues';
import {
  fp8WeightsChange, fp8WeightsFix, headroomUtilizationChange, headroomUtilizationFix, kvCapacityEffect, kvFp8Change, kvFp8Fix, maxLenFix, resolving,
  resolvingOnly, tpUpChange, tpUpFix,
} from './fixes';
import type { Rule } from './types';

export const maxLenExceedsKvRule: Rule = {
  code: 'max-len-exceeds-kv',
  description: "The KV pool cannot hold one request of max_model_len (the engine's startup error)",
  defaultSeverity: 'error',
  refusesStart: true,
  check(ctx) {
    const { estimate: e, plan } = ctx;
    const lean = resolvingOnly(ctx, this.code);
    return e.issues.filter((i) => i.code === this.code).map((i) => {
      const finding = { rule: this.code, technique: 'kv-quantization' as const, severity: i.severity, message: i.message, range: rangeFor(plan, i.source) };
      const len = maxLenFix(ctx);
      const cut = resolving(ctx, this.code, [len && { ...len, preferred: true }]);
      // A length beyond the model's own context is refused whatever the memory: only the cut to it is advice.
      if (e.serving.maxModelLen > e.model.contextLimit) return { ...finding, fixes: cut };
      // Cutting the context always resolves it; the others keep the length the file asked for — alone, or when no
      // single one suffices, the smallest combination that does (FP8 weights + FP8 KV on a 24 GB GPU at 128k) — on
      // the same GPUs first, then with more.
      const singles = resolving(ctx, this.code, [kvFp8Fix(lean), fp8WeightsFix(lean), headroomUtilizationFix(lean)]);
      const keeps = combinedFixes(ctx, this.code, [fp8WeightsChange(e), kvFp8Change(e), headroomUtilizationChange(e), tpUpChange(e, plan.hardware.count?.value)],
        (b, a) => `${kvCapacityEffect(b, a).replace(/, fits$/, '')}, keeps the ${a.serving.maxModelLen}-token context`);
      return { ...finding, fixes: [...cut, ...singles, ...keeps, ...resolving(ctx, this.code, [tpUpFix(lean)])] };
    });
  },
};
