/** Tensor parallelism that does not divide the attention heads (or suit the KV heads / experts). */
import { rangeFor } from './estimatorIssues';
import { nextTp } from './fixes';
import type { Finding, Rule } from './types';

export const tpDivisibilityRule: Rule = {
  code: 'tp-divisibility',
  description: 'TP must divide the attention heads; KV heads must divide or be a multiple of TP',
  defaultSeverity: 'error',
  refusesStart: true,
  check({ estimate: e, plan }) {
    const out: Finding[] = e.issues.filter((i) => i.code === this.code).map((i) => {
      const tp = e.serving.tensorParallel;
      const lower = [8, 4, 2, 1].find((t) => t < tp && e.model.heads % t === 0 && (e.model.kvHeads % t === 0 || t % e.model.kvHeads === 0));
      const higher = nextTp(e.model.heads, e.model.kvHeads, tp, e.model.mla);
      const fixes = [lower, higher].filter((t): t is number => t !== undefined).map((t) => ({ title: `Set tensor parallel size to ${t} (divides ${e.model.heads} heads)`, changes: [{ knob: 'tensorParallel' as const, value: t }] }));
      return { rule: this.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source), fixes };
    });
    // Experts split evenly only when EP divides their count.
    const ep = e.serving.expertParallel;
    if (e.model.experts && ep > 1 && e.model.experts % ep !== 0) {
      out.push({ rule: this.code, severity: 'error', message: `expert parallel ${ep} does not divide the ${e.model.experts} experts`, range: rangeFor(plan, plan.knobs.expertParallel?.source) });
    }
    return out;
  },
};
