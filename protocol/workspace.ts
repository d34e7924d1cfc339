/**
 * One row per serving workload of a repository, and their totals: built by server/src/workspace/summary.ts, shown by
 * the Deployments view (client/) and written by `deploy-advisor check --format json`. Shared by client and server.
 */

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
  verdict: 'fits' | 'does-not-fit' | 'will-not-start' | 'unknown';
  verdictText: string;
  /** KV capacity ÷ the tokens the workload keeps in flight (concurrency × (prompt + output)); < 1: requests queue.
   *  Absent when unknown. */
  kvHeadroom?: number;
  kvCapacityTokens?: number;
  /** All replicas, catalog or file price. */
  pricePerHour?: number;
  worst?: 'error' | 'warning' | 'info';
  findings: number;
  /** Where the workload's model is named, to open on click (0-based LSP positions). */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  reason?: string;
}

export interface WorkspaceTotals {
  workloads: number;
  gpus: number;
  pricePerHour: number;
  pricePerMonth: number;
  byVerdict: Record<string, number>;
}
