/**
 * The training search as JSON: `train --cheapest --json` adds `plans` (cheapest first) and `search` to the estimate's
 * JSON (additive to the `train --json` contract). Bytes are whole numbers, $ to 4 decimals, tokens/s whole.
 */
import type { TrainingPlanRow, TrainingSearchResult } from './searchTypes';

export interface TrainingPlanJson extends Omit<TrainingPlanRow, 'peakBytesPerGpu' | 'capacityBytesPerGpu'> {
  peakBytesPerGpu: number;
  capacityBytesPerGpu: number;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function planJson(p: TrainingPlanRow): TrainingPlanJson {
  return {
    ...p,
    peakBytesPerGpu: Math.round(p.peakBytesPerGpu), capacityBytesPerGpu: Math.round(p.capacityBytesPerGpu),
    tokensPerSecond: Math.round(p.tokensPerSecond), stepSeconds: Number(p.stepSeconds.toPrecision(4)),
    costPerHour: r4(p.costPerHour), costPerMillionTokens: Number.isFinite(p.costPerMillionTokens) ? r4(p.costPerMillionTokens) : -1,
    ...(p.hours !== undefined ? { hours: r4(p.hours), totalCost: r4(p.totalCost!) } : {}),
  };
}

export function trainingSearchJson(r: TrainingSearchResult): { plans: TrainingPlanJson[]; search: { searchedFor: string; searched: number; notes: string[]; current?: TrainingPlanJson } } {
  return {
    plans: r.plans.map(planJson),
    search: { searchedFor: r.searchedFor, searched: r.searched, notes: r.notes, ...(r.current ? { current: planJson(r.current) } : {}) },
  };
}
