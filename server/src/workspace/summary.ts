/**
 * One row per serving workload of a repository: what the Deployments view, `check --format json` and the report's
 * overview show. Pure: built from an Analysis (pipeline.ts), so every adapter shows the same verdict and figures.
 */
import type { Analysis } from '../pipeline';
import { workloadFindings } from '../pipeline';
import type { SourceRange } from '../plan/types';
import { deploymentVerdict, worstSeverity } from '../verdict';
import type { WorkloadSummary, WorkspaceTotals } from '../../../protocol/workspace';

/** Hours in a month as cloud price sheets count them (730 = 8760 / 12). */
export const HOURS_PER_MONTH = 730;

// The row's shape lives in protocol/ (the client draws it); re-exported for the server's and the CLI's imports.
export type { WorkloadSummary, WorkspaceTotals } from '../../../protocol/workspace';

export function summarizeAnalysis(file: string, a: Analysis): WorkloadSummary[] {
  return a.workloads.map((w, i) => {
    const plan = w.plan;
    const findings = workloadFindings(a, i);
    const src = plan.model.ref.source;
    const range: SourceRange = src.kind === 'file' ? src.range : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const base = { file, name: plan.name, engine: plan.engine.name.value, model: plan.model.ref.value, range, findings: findings.length, worst: worstSeverity(findings) };
    if (!w.estimate) {
      const reason = w.failure?.[0]?.message ?? 'not estimated';
      return { ...base, gpu: plan.hardware.gpu.value, gpusPerReplica: plan.hardware.count?.value ?? 1, replicas: plan.hardware.replicas.value, verdict: 'unknown', verdictText: `not estimated: ${reason}`, reason };
    }
    const e = w.estimate;
    const v = deploymentVerdict(e, findings, plan);
    const inFlight = (typeof e.latency.concurrency === 'number' ? e.latency.concurrency : 1) * (e.workload.inputLen + e.workload.outputLen);
    // An encoder served for pooling (TEI, BERT-style embedders) keeps no KV cache: no headroom to speak of.
    const noKvPool = !!e.pooling && e.memory.kvCapacityTokens === 0;
    return {
      ...base,
      gpu: e.hardware.gpu,
      gpusPerReplica: e.hardware.count,
      replicas: e.hardware.replicas,
      verdict: v.kind,
      verdictText: v.text,
      kvCapacityTokens: e.memory.kvCapacityTokens,
      kvHeadroom: inFlight > 0 && !noKvPool ? e.memory.kvCapacityTokens / inFlight : undefined,
      pricePerHour: e.hardware.pricePerHour * e.hardware.count * e.hardware.replicas,
    };
  });
}

export function totals(rows: WorkloadSummary[]): WorkspaceTotals {
  const byVerdict: Record<string, number> = {};
  let gpus = 0;
  let price = 0;
  for (const r of rows) {
    byVerdict[r.verdict] = (byVerdict[r.verdict] ?? 0) + 1;
    gpus += r.gpusPerReplica * r.replicas;
    price += r.pricePerHour ?? 0;
  }
  return { workloads: rows.length, gpus, pricePerHour: price, pricePerMonth: price * HOURS_PER_MONTH, byVerdict };
}
