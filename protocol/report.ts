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

