/**
 * How far to trust an estimate's latency: the median absolute error the accuracy harness measured on the serving runs
 * of the same engine and GPU class, or — where fewer than MIN_GROUP_RUNS runs back a group — on every serving run.
 * The figures are data (measuredErrorTable.ts, written by `node out/bench/accuracy.js --emit-error-table`); the
 * product never reads ../shared at run time.
 */
import type { EngineName } from '../plan/types';
import { engineLabels } from '../plan/types';
import { MEASURED_ERROR_TABLE } from './measuredErrorTable';

export type GpuErrorClass = 'hopper-h100' | 'hopper-h200' | 'blackwell' | 'other';

export interface MeasuredError {
  /** Median |estimate − measured| / measured, in %. */
  ttftPct: number;
  tpotPct: number;
  /** Measured runs behind the figures (each gives one TTFT and one TPOT). */
  runs: number;
}

export interface MeasuredErrorTable {
  overall: MeasuredError;
  groups: Partial<Record<EngineName, Partial<Record<GpuErrorClass, MeasuredError>>>>;
}

/** Fewer runs than this and a group's median says more about its few models than about the engine on that GPU. */
export const MIN_GROUP_RUNS = 20;

/** The GPU classes the measured runs cover; every other part (A100, L40S, MI300X, RTX, GH200) falls back to overall. */
export function gpuErrorClass(gpuId: string): GpuErrorClass {
  if (/^H100|^H800/.test(gpuId)) return 'hopper-h100';
  if (gpuId === 'H200') return 'hopper-h200';
  if (/^G?B[23]00$/.test(gpuId)) return 'blackwell';
  return 'other';
}

const CLASS_LABELS: Record<Exclude<GpuErrorClass, 'other'>, string> = { 'hopper-h100': 'H100-class', 'hopper-h200': 'H200', blackwell: 'B200-class' };

export interface StatedError extends MeasuredError {
  /** True when the figure is the engine × GPU class group's own, false when it is the overall one. */
  scoped: boolean;
  /** The runs it was measured on, as the estimate says it: "196 measured TensorRT-LLM B200-class runs". */
  basis: string;
}

export function measuredErrorFor(engine: EngineName, gpuId: string, table: MeasuredErrorTable = MEASURED_ERROR_TABLE): StatedError {
  const cls = gpuErrorClass(gpuId);
  const where = cls === 'other' ? gpuId : CLASS_LABELS[cls];
  const g = table.groups[engine]?.[cls];
  if (g && g.runs >= MIN_GROUP_RUNS) return { ...g, scoped: true, basis: `${g.runs} measured ${engineLabels[engine]} ${where} runs` };
  const have = g ? `only ${g.runs}` : 'no';
  return { ...table.overall, scoped: false, basis: `all ${table.overall.runs} measured serving runs (${have} ${engineLabels[engine]} ${where} runs, fewer than ${MIN_GROUP_RUNS})` };
}

/**
 * The memory figures' stated error, against which a startup log's own figures are judged: weights per GPU within 2 %
 * (test/unit/catalog.test.ts holds every startup-log row to it; the median is 0.01 %), the KV pool and KV capacity
 * within 3 % (README "Accuracy": KV capacity in tokens, median 0.05 %, target ≤ 3 %).
 */
export const MEMORY_STATED_ERROR = { weightsPct: 2, kvPct: 3 } as const;
