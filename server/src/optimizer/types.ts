import type { EngineName } from '../plan/types';

/** What the search must serve, and the limits it searches within. */
export interface OptimizeRequest {
  inputLen: number;
  outputLen: number;
  /** Requests in flight across the deployment (closed loop), or an open-loop arrival rate; one of the two. */
  concurrency?: number;
  requestRate?: number;
  slo: { ttftMs?: number; tpotMs?: number; minThroughput?: number };
  /** GPU ids to consider (default: the catalog's datacenter GPUs and the file's own GPU). */
  gpus?: string[];
  /** GPUs across all replicas. */
  maxGpus: number;
  engines: EngineName[];
  /** Plans to return. */
  limit: number;
}

export type { PlanRow } from '../../../protocol/optimize';
import type { PlanRow } from '../../../protocol/optimize';

export interface OptimizeResult {
  plans: PlanRow[];
  /** Verified plans meeting the SLO that no other beats on both cost and TPOT. */
  frontier: PlanRow[];
  /** Candidates the search decided on: each screened, or ruled out with its layout when the weights alone do not fit. */
  searched: number;
  /** Full estimates run on the candidates the screen could not rule out. */
  verified: number;
  notes: string[];
  /** What was searched for, in words: "no SLO set: cheapest that fits 32 concurrent 2k/300 requests". */
  searchedFor: string;
}
