/** Predicted TTFT / TPOT / throughput against the plan's SLO (from a profile). */
import { rangeFor } from './estimatorIssues';
import { fp8WeightsFix, kvFp8Fix, prefixCachingFix, present, speculativeFix, tpUpFix } from './fixes';
import type { Estimate } from '../estimator/estimate';
import type { Finding, FixIntent, Rule } from './types';

export const sloRule: Rule = {
  code: 'slo-miss',
  description: 'Predicted latency or throughput misses the SLO',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const slo = plan.slo;
    if (!slo) return [];
    const out: Finding[] = [];
    const tp = () => tpUpFix(ctx);
    // A quick fix for an SLO miss must meet that SLO in the re-estimate.
    const meets = (fixes: FixIntent[], ok: (a: Estimate) => boolean) => fixes.filter((f) => { const a = ctx.whatIf(f.changes, f.hardware); return !!a && ok(a); });
    const miss = (what: string, predicted: string, target: string, src: Parameters<typeof rangeFor>[1], fixes: FixIntent[]) =>
      out.push({ rule: this.code, technique: fixes[0]?.technique, severity: this.defaultSeverity, message: `Predicted ${what} ${predicted} misses the SLO of ${target} (concurrency ${e.latency.concurrency}, ${e.workload.inputLen} in / ${e.workload.outputLen} out).`, range: rangeFor(plan, src), fixes });
    if (slo.ttftMs && slo.ttftMs.value > 0 && e.latency.ttftMs > slo.ttftMs.value) {
      miss('TTFT', `${e.latency.ttftMs.toFixed(0)} ms`, `${slo.ttftMs.value} ms`, slo.ttftMs.source, meets(present([e.workload.prefixHitRate > 0 && !e.serving.prefixCaching ? prefixCachingFix(ctx) : undefined, tp()]), (a) => a.latency.ttftMs <= slo.ttftMs!.value));
    }
    if (slo.tpotMs && slo.tpotMs.value > 0 && e.latency.tpotMs > slo.tpotMs.value) {
      miss('TPOT', `${e.latency.tpotMs.toFixed(1)} ms`, `${slo.tpotMs.value} ms`, slo.tpotMs.source, meets(present([fp8WeightsFix(ctx), tp(), speculativeFix(ctx)]), (a) => a.latency.tpotMs <= slo.tpotMs!.value));
    }
    const throughput = e.latency.outputTokensPerSec * e.hardware.replicas;
    if (slo.minThroughput && slo.minThroughput.value > 0 && throughput < slo.minThroughput.value) {
      miss('throughput', `${throughput.toFixed(0)} tokens/s`, `${slo.minThroughput.value} tokens/s`, slo.minThroughput.source, meets(present([kvFp8Fix(ctx), tp()]), (a) => a.latency.outputTokensPerSec * a.hardware.replicas >= slo.minThroughput!.value));
    }
    return out;
  },
};
