/** Ranking and explaining the plans the search found (search.ts). */
import { planLayout } from '../../../protocol/optimize';
import type { OptimizeRequest, PlanRow } from './types';

export const byCost = (a: PlanRow, b: PlanRow) => a.costPerMillionOutputTokens - b.costPerMillionOutputTokens || a.gpusPerReplica * a.replicas - b.gpusPerReplica * b.replicas;

export const round = (x: number) => Math.round(x * 1000) / 1000;

/** How far a plan misses the SLO, as the sum of relative shortfalls (0 = meets it). */
export function sloMiss(p: Pick<PlanRow, 'ttftMs' | 'tpotMs' | 'outputTokensPerSec'>, slo: OptimizeRequest['slo']): number {
  let miss = 0;
  if (slo.ttftMs !== undefined && p.ttftMs > slo.ttftMs) miss += p.ttftMs / slo.ttftMs - 1;
  if (slo.tpotMs !== undefined && p.tpotMs > slo.tpotMs) miss += p.tpotMs / slo.tpotMs - 1;
  if (slo.minThroughput !== undefined && p.outputTokensPerSec < slo.minThroughput) miss += slo.minThroughput / Math.max(1e-9, p.outputTokensPerSec) - 1;
  return miss;
}

/** Items no other item beats on both keys (lower is better on each). */
export function paretoBy<T>(items: T[], x: (t: T) => number, y: (t: T) => number): T[] {
  const sorted = [...items].sort((a, b) => x(a) - x(b) || y(a) - y(b));
  const out: T[] = [];
  let bestY = Infinity;
  for (const t of sorted) {
    if (y(t) < bestY) {
      out.push(t);
      bestY = y(t);
    }
  }
  return out;
}

export function whyRunnerUpLost(best: PlanRow, second: PlanRow): string {
  const pct = Math.round((second.costPerMillionOutputTokens / best.costPerMillionOutputTokens - 1) * 100);
  const describe = (p: PlanRow) => `${p.replicas > 1 ? `${p.replicas} × ` : ''}${p.gpusPerReplica} × ${p.gpu} ${p.engine} (${planLayout(p)}, ${p.weightDtype} weights, ${p.kvCacheDtype} KV)`;
  const reason = second.costPerHour > best.costPerHour && second.outputTokensPerSec >= best.outputTokensPerSec
    ? `its ${second.outputTokensPerSec.toFixed(0)} tok/s do not make up for $${second.costPerHour.toFixed(2)}/h vs $${best.costPerHour.toFixed(2)}/h`
    : `it serves ${second.outputTokensPerSec.toFixed(0)} tok/s at $${second.costPerHour.toFixed(2)}/h vs ${best.outputTokensPerSec.toFixed(0)} tok/s at $${best.costPerHour.toFixed(2)}/h`;
  return `runner-up ${describe(second)} costs ${pct}% more per output token than ${describe(best)}: ${reason}`;
}
