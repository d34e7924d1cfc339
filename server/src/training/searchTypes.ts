/** The cheapest-setup search for a fine-tuning job: what it is asked, and what it returns (shared by CLI, LSP, report). */
import type { TrainingMethod, TrainingPrecision } from '../plan/training';

/** What the job must achieve. Absent both: the cheapest per token (the whole job's cost for any token budget). */
export interface TrainingTarget {
  /** At least this many training tokens per second (all GPUs together): ranked by $/h. */
  tokensPerSecond?: number;
  /** The job's token budget (tokens seen, all epochs): ranked by the job's total $. */
  tokens?: number;
  /** With `tokens`: the job must finish within this many hours. */
  maxHours?: number;
}

export interface TrainingSearchOptions {
  target: TrainingTarget;
  /** Methods the search may use (default: the file's only; a method changes what is trained). */
  methods?: TrainingMethod[];
  /** GPU ids to consider (default: the catalog's datacenter GPUs and the file's own GPU). */
  gpus?: string[];
  /** GPUs per node tried (default 1, 2, 4, 8: within one node). */
  counts?: number[];
  /** Plans returned (default 10). */
  limit?: number;
}

export type ShardingChoice = { kind: 'none' | 'zero' | 'fsdp'; stage: 0 | 1 | 2 | 3 };

/** One setup with its figures. Bytes and $ are rounded for display only by the adapters. */
export interface TrainingPlanRow {
  gpu: string;
  gpus: number;
  method: TrainingMethod;
  precision: TrainingPrecision;
  sharding: ShardingChoice;
  /** ZeRO/FSDP offload to host memory (only the file's own setup has one; the search proposes none). */
  offload: 'none' | 'optimizer' | 'params';
  gradientCheckpointing: boolean;
  microBatch: number;
  gradAccum: number;
  effectiveBatch: number;
  peakBytesPerGpu: number;
  capacityBytesPerGpu: number;
  tokensPerSecond: number;
  stepSeconds: number;
  costPerHour: number;
  /** $ per million training tokens at this rate. */
  costPerMillionTokens: number;
  /** With a token budget: hours and $ for the whole job. */
  hours?: number;
  totalCost?: number;
  /** Whether it meets the target (always true for `plans`; the file's own setup may not). */
  meetsTarget: boolean;
  fits: boolean;
  /** True when this is the file's own setup, unchanged. */
  isFile: boolean;
  /** What differs from the file, knob by knob (empty for the file's own setup). */
  changes: Array<{ knob: string; from: string | number | boolean; to: string | number | boolean }>;
}

export interface TrainingSearchResult {
  /** Setups that fit and meet the target, cheapest first (ties: fewer changes first). */
  plans: TrainingPlanRow[];
  /** The file's own setup, estimated as it stands. */
  current?: TrainingPlanRow;
  /** Setups estimated (micro-batches the pruning skipped not counted). */
  searched: number;
  /** What was searched for, in words. */
  searchedFor: string;
  notes: string[];
}
