/** Tensor parallelism that does not divide the attention heads (or suit the KV heads / experts). */
import { GiB } from '../estimator/memory';
import { rangeFor } from './estimatorIssues';
import { nextTp, resolving } from './fixes';
import type { Finding, FixIntent, Rule } from './types';

export const tpDivisibilityRule: Rule = {
  code: 'tp-divisibility',
  description: 'TP must divide the attention heads; KV heads must divide or be a multiple of TP',
  defaultSeverity: 'error',
  refusesStart: true,
  check(ctx) {
    const { estimate: e, plan } = ctx;
    const out: Finding[] = e.issues.filter((i) => i.code === this.code).map((i) => {
      const tp = e.serving.tensorParallel;
      const lower = [8, 4, 2, 1].find((t) => t < tp && e.model.heads % t === 0 && (e.model.kvHeads % t === 0 || t % e.model.kvHeads === 0));
      const higher = nextTp(e.model.heads, e.model.kvHeads, tp, e.model.mla);
      // Each TP with the GPUs it uses (the replica's count scales with TP), offered only when the re-estimate starts
      // and fits: TP 2 instead of 3 may not hold a 70B model's weights.
      const perTp = e.hardware.count / tp;
      const fixes = [lower, higher].filter((t): t is number => t !== undefined).map((t): FixIntent | undefined => {
        const hardware = { gpusPerReplica: Math.round(perTp * t) };
        const after = ctx.whatIf([{ knob: 'tensorParallel', value: t }], hardware);
        if (!after?.memory.fits) return undefined;
        return {
          title: `Set tensor parallel size to ${t} on ${hardware.gpusPerReplica} × ${e.hardware.gpu} (divides ${e.model.heads} heads) — weights ${(after.memory.weightsBytesPerGpu / GiB).toFixed(1)} GiB per GPU, KV ${Math.round(after.memory.kvCapacityTokens / 1000)}k tokens`,
          changes: [{ knob: 'tensorParallel', value: t }], hardware,
        };
      });
      return { rule: this.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source), fixes: resolving(ctx, this.code, fixes) };
    });
    // Experts split evenly only when EP divides their count.
    const ep = e.serving.expertParallel;
    if (e.model.experts && ep > 1 && e.model.experts % ep !== 0) {
      out.push({ rule: this.code, severity: 'error', message: `expert parallel ${ep} does not divide the ${e.model.experts} experts`, range: rangeFor(plan, plan.knobs.expertParallel?.source) });
    }
    return out;
  },
};
