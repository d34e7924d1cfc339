/** Predicted TTFT / TPOT / throughput against the plan's SLO (from a profile). */
import { rangeFor } from './estimatorIssues';
import { fp8WeightsFix, kvFp8Fix, prefixCachingFix, present, speculativeFix, tpUpFix } from './fixes';
import type { Finding, Rule } from './types';

export const sloRule: Rule = {
  code: 'slo-miss',
  description: 'Predicted latency or throughput misses the SLO',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const slo = plan.slo;
    if (!slo) return [];
    const out: Finding[] = [];
    const tp = () => tpUpFix(ctx, e.model.heads, e.model.kvHeads, e.model.mla);
    const miss = (what: string, predicted: string, target: string, src: Parameters<typeof rangeFor>[1], fixes: Finding['fixes']) =>
      out.push({ rule: this.code, severity: this.defaultSeverity, message: `Predicted ${what} ${predicted} misses the SLO of ${target} (concurrency ${e.latency.concurrency}, ${e.workload.inputLen} in / ${e.workload.outputLen} out).`, range: rangeFor(plan, src), fixes });
    if (slo.ttftMs && slo.ttftMs.value > 0 && e.latency.ttftMs > slo.ttftMs.value) {
      miss('TTFT', `${e.latency.ttftMs.toFixed(0)} ms`, `${slo.ttftMs.value} ms`, slo.ttftMs.source, present([e.workload.prefixHitRate > 0 && !e.serving.prefixCaching ? prefixCachingFix(ctx) : undefined, tp()]));
    }
    if (slo.tpotMs && slo.tpotMs.value > 0 && e.latency.tpotMs > slo.tpotMs.value) {
      miss('TPOT', `${e.latency.tpotMs.toFixed(1)} ms`, `${slo.tpotMs.value} ms`, slo.tpotMs.source, present([fp8WeightsFix(ctx), tp(), speculativeFix(ctx)]));
    }
    const throughput = e.latency.outputTokensPerSec * e.hardware.replicas;
    if (slo.minThroughput && slo.minThroughput.value > 0 && throughput < slo.minThroughput.value) {
      miss('throughput', `${throughput.toFixed(0)} tokens/s`, `${slo.minThroughput.value} tokens/s`, slo.minThroughput.source, present([kvFp8Fix(ctx), tp()]));
    }
    return out;
  },
};
