import type { EngineName } from '../plan/types';

/** What the search must serve, and the limits it searches within. */
export interface OptimizeRequest {
  inputLen: number;
  outputLen: number;
  /** Requests in flight across the deployment (closed loop), or an open-loop arrival rate; one of the two. */
  concurrency?: number;
  requestRate?: number;
  slo: { ttftMs?: number; tpotMs?: number; minThroughput?: number };
  /** GPU ids to consider (default: the whole catalog). */
  gpus?: string[];
  /** GPUs across all replicas. */
  maxGpus: number;
  engines: EngineName[];
  /** Plans to return. */
  limit: number;
}

/** One deployment the search found; field names are the CLI's `--json` contract. */
export interface PlanRow {
  engine: EngineName;
  gpu: string;
  gpusPerReplica: number;
  replicas: number;
  tensorParallel: number;
  pipelineParallel: number;
  expertParallel: number;
  weightDtype: string;
  kvCacheDtype: string;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  /** Not in the contract list: the context length the plan was sized for (needed to reproduce it). */
  maxModelLen: number;
  ttftMs: number;
  tpotMs: number;
  outputTokensPerSec: number;
  costPerHour: number;
  costPerMillionOutputTokens: number;
  meetsSlo: boolean;
}

export interface OptimizeResult {
  plans: PlanRow[];
  /** Verified plans meeting the SLO that no other beats on both cost and TPOT. */
  frontier: PlanRow[];
  /** Candidates the search decided on (each either bounded and ranked, or ruled out with its memory group). */
  searched: number;
  /** Full estimates run on the candidates the bounds could not rule out. */
  verified: number;
  notes: string[];
}
