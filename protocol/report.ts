/** The visual report's data: built by the server (server/src/report/data.ts), drawn by report-view/, shared by both. */
import type { PlanRow } from './optimize';

export interface WhatIfRow {
  title: string;
  technique?: string;
  evidence?: string;
  changes: Array<{ knob: string; value: string | number | boolean }>;
  /** Finding index and fix index, so *Apply* performs exactly the quick fix's edit. */
  finding: number;
  fix: number;
  fits: boolean;
  kvCapacityTokens: number;
  maxConcurrency: number;
  ttftMs: number;
  tpotMs: number;
  outputTokensPerSec: number;
}

export interface ReportData {
  name: string;
  model: string;
  hardware: string;
  verdict: string;
  fits: boolean;
  memory: { capacityGiB: number; segments: Array<{ label: string; gib: number }> };
  /** Host RAM per replica by tier, when a tier beyond the engine processes is on (offload, swap, KV tiers, LoRA cache). */
  host?: { ramGiB: number; tiers: Array<{ label: string; gib: number; medium: 'ram' | 'disk'; tokens?: number; source: string }> };
  kv: { capacityTokens: number; neededTokens: number; maxConcurrency: number; maxModelLen: number };
  curves: { concurrency: number[]; ttftMs: number[]; tpotMs: number[]; outputTokensPerSec: number[] };
  operatingPoint: { concurrency: number; ttftMs: number; tpotMs: number; outputTokensPerSec: number };
  slo: { ttftMs?: number; tpotMs?: number; minThroughput?: number };
  whatIfs: WhatIfRow[];
  cheapest: CheapestPlans;
  assumptions: string[];
  /** Benchmark results in the workspace for this deployment, beside this deployment's estimate at each result's load
   *  (server/src/measured/series.ts); absent when none matches. */
  measured?: MeasuredSection;
}

export type MeasuredMetric = 'ttftMs' | 'tpotMs' | 'outputTokensPerSec';

/** One figure of a result: what it measured, what this deployment's estimate at its load says, signed error. */
export interface MeasuredValue {
  measured: number;
  predicted: number;
  /** (predicted − measured) / measured, in %. */
  errorPct: number;
  /** 1-based line of the result file that states the figure. */
  line: number;
}

export interface MeasuredPoint {
  /** Index into `sources`. */
  source: number;
  /** The clients the result ran (or, for a request-rate result, the requests in flight the estimate implies). */
  concurrency: number;
  requestRate?: number;
  inputLen: number;
  outputLen: number;
  requests?: number;
  /** The statistic the latency figures are (the estimate reports the same). */
  statistic: 'mean' | 'median';
  /** The benchmark client the prediction models (estimator/benchmarkClient.ts describeClient). */
  client: string;
  ttftMs?: MeasuredValue;
  tpotMs?: MeasuredValue;
  outputTokensPerSec?: MeasuredValue;
  /** What the result does not state that the matching rule would check (engine, TP, GPU). */
  notes: string[];
}

export interface MeasuredSection {
  /** The matching rule, as the section states it. */
  rule: string;
  /** Sorted by concurrency; several results at one concurrency are all kept. */
  points: MeasuredPoint[];
  /** The result's path relative to the deployment file's folder, and the reader that read it. */
  sources: Array<{ path: string; format: string; engineVersion?: string }>;
  /** Median of |errorPct| over the points that have the metric. */
  medianAbsErrorPct: Partial<Record<MeasuredMetric, number>>;
  /** Results read that belong to another deployment (not shown). */
  excluded: number;
  /** What else the section should say: files not read, bounds hit, results left to a nearer config. */
  notes: string[];
}

/** The optimizer's best plans for the workload within its engine; *Apply* sends a plan's `key` back. */
export interface CheapestPlans {
  engine: string;
  searched: number;
  /** Best first; when none meets the SLO, the closest misses (meetsSlo false). */
  plans: Array<PlanRow & { key: string }>;
  /** Why the runner-up lost, interconnect assumptions, what the search holds fixed. */
  notes: string[];
}

