/**
 * One row per serving workload of a repository: what the Deployments view, `check --format json` and the report's
 * overview show. Pure: built from an Analysis (pipeline.ts), so every adapter shows the same verdict and figures.
 */
import type { Analysis } from '../pipeline';
import { workloadFindings } from '../pipeline';
import type { SourceRange } from '../plan/types';
import { deploymentVerdict, VerdictKind, worstSeverity } from '../verdict';
import type { Severity } from '../estimator/estimate';

/** Hours in a month as cloud price sheets count them (730 = 8760 / 12). */
export const HOURS_PER_MONTH = 730;

export interface WorkloadSummary {
  /** Path relative to the scanned root (or the workspace folder), `/`-separated. */
  file: string;
  name: string;
  engine: string;
  model: string;
  gpu: string;
  /** GPUs per replica, and replicas. */
  gpusPerReplica: number;
  replicas: number;
  /** `unknown`: the workload could not be estimated (unknown model or GPU, bad config); `reason` says why. */
  verdict: VerdictKind | 'unknown';
  verdictText: string;
  /** KV capacity ÷ the tokens the workload keeps in flight (concurrency × (prompt + output)); < 1: requests queue.
   *  Absent when unknown. */
  kvHeadroom?: number;
  kvCapacityTokens?: number;
  /** All replicas, catalog or file price. */
  pricePerHour?: number;
  worst?: Severity;
  findings: number;
  /** Where the workload's model is named, to open on click. */
  range: SourceRange;
  reason?: string;
}

export interface WorkspaceTotals {
  workloads: number;
  gpus: number;
  pricePerHour: number;
  pricePerMonth: number;
  byVerdict: Record<string, number>;
}

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
    return {
      ...base,
      gpu: e.hardware.gpu,
      gpusPerReplica: e.hardware.count,
      replicas: e.hardware.replicas,
      verdict: v.kind,
      verdictText: v.text,
      kvCapacityTokens: e.memory.kvCapacityTokens,
      kvHeadroom: inFlight > 0 ? e.memory.kvCapacityTokens / inFlight : undefined,
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
