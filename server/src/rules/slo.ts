/** Predicted TTFT / TPOT / throughput against the plan's SLO (from a profile). */
import { rangeFor } from './estimatorIssues';
import type { Finding, Rule } from './types';

export const sloRule: Rule = {
  code: 'slo-miss',
  description: 'Predicted latency or throughput misses the SLO',
  defaultSeverity: 'warning',
  check({ plan, estimate: e }) {
    const slo = plan.slo;
    if (!slo) return [];
    const out: Finding[] = [];
    const miss = (what: string, predicted: string, target: string, src: Parameters<typeof rangeFor>[1]) =>
      out.push({ rule: this.code, severity: this.defaultSeverity, message: `Predicted ${what} ${predicted} misses the SLO of ${target} (concurrency ${e.latency.concurrency}, ${e.workload.inputLen} in / ${e.workload.outputLen} out).`, range: rangeFor(plan, src) });
    if (slo.ttftMs && e.latency.ttftMs > slo.ttftMs.value) miss('TTFT', `${e.latency.ttftMs.toFixed(0)} ms`, `${slo.ttftMs.value} ms`, slo.ttftMs.source);
    if (slo.tpotMs && e.latency.tpotMs > slo.tpotMs.value) miss('TPOT', `${e.latency.tpotMs.toFixed(1)} ms`, `${slo.tpotMs.value} ms`, slo.tpotMs.source);
    const throughput = e.latency.outputTokensPerSec * e.hardware.replicas;
    if (slo.minThroughput && throughput < slo.minThroughput.value) miss('throughput', `${throughput.toFixed(0)} tokens/s`, `${slo.minThroughput.value} tokens/s`, slo.minThroughput.source);
    return out;
  },
};
