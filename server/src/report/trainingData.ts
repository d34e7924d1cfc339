/**
 * A fine-tuning config's analysis → the report page's data: the estimate's components as a stacked bar per GPU, the
 * phases of a step, step time and tokens/s, the findings, the assumptions, and the cheapest setups
 * (training/search.ts) — the training sibling of data.ts. Figures are the estimator's; nothing is computed here.
 */
import type { GpuCatalog } from '../catalog/gpus';
import type { ModelSource } from '../estimator/estimateTypes';
import { resolveTraining } from '../estimator/training/resolve';
import type { ComponentBytes, TrainingEstimate } from '../estimator/training/types';
import type { Finding } from '../rules/types';
import { searchTraining, shardingLabel, trainingPlanKey } from '../training/search';
import { changeText, setupText } from '../training/searchMarkdown';
import type { TrainingPlanRow, TrainingSearchOptions, TrainingSearchResult } from '../training/searchTypes';
import type { TrainingAnalysis } from '../trainingPipeline';
import type { TrainingCheapest, TrainingPlanView, TrainingReportData } from '../../../protocol/trainingReport';

const GiB = 2 ** 30;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** The bar's order and names. */
const BAR: Array<[keyof ComponentBytes, string]> = [
  ['weights', 'weights'], ['gradients', 'gradients'], ['optimizer', 'optimizer states + step temporaries'],
  ['activations', 'activations'], ['logits', 'logits + loss'], ['overhead', 'CUDA context, workspaces, fragmentation'],
];

export const REPORT_PLANS = 5;

export function planView(p: TrainingPlanRow): TrainingPlanView {
  return {
    key: trainingPlanKey(p), gpu: p.gpu, gpus: p.gpus, setup: setupText(p),
    peakGiB: round(p.peakBytesPerGpu / GiB), capacityGiB: round(p.capacityBytesPerGpu / GiB),
    tokensPerSecond: Math.round(p.tokensPerSecond), stepSeconds: round(p.stepSeconds, 3),
    costPerHour: round(p.costPerHour, 4), costPerMillionTokens: Number.isFinite(p.costPerMillionTokens) ? round(p.costPerMillionTokens, 4) : -1,
    ...(p.hours !== undefined ? { hours: round(p.hours, 2), totalCost: round(p.totalCost!, 2) } : {}),
    isFile: p.isFile, fits: p.fits, meetsTarget: p.meetsTarget, changes: p.changes.map(changeText),
  };
}

export function cheapestView(r: TrainingSearchResult, limit = r.plans.length): TrainingCheapest {
  return { searchedFor: r.searchedFor, searched: r.searched, plans: r.plans.slice(0, limit).map(planView), ...(r.current ? { current: planView(r.current) } : {}), notes: r.notes };
}

/** The search for a training analysis (its plan resolved again with the same deps), or why there is none. */
export function searchForTraining(t: TrainingAnalysis, deps: { gpus: GpuCatalog; models?: ModelSource }, options: TrainingSearchOptions): TrainingSearchResult | { error: string } {
  const res = resolveTraining(t.plan, deps);
  if (!res.ok) return { error: res.error };
  return searchTraining(res.inputs, deps.gpus, options);
}

export function memorySegments(e: TrainingEstimate): Array<{ label: string; gib: number }> {
  const used = BAR.reduce((s, [k]) => s + e.components[k], 0);
  return [
    ...BAR.map(([k, label]) => ({ label, gib: round(e.components[k] / GiB) })),
    { label: 'free', gib: round(Math.max(0, e.capacityBytes - used) / GiB) },
  ];
}

export function trainingReportData(name: string, t: TrainingAnalysis, findings: Finding[], searched?: TrainingSearchResult | { error: string }): TrainingReportData[] {
  const e = t.estimate;
  if (!e) return [];
  const p = t.plan;
  const sharding = shardingLabel({ kind: p.sharding.kind, stage: p.sharding.stage.value });
  const cheapest: TrainingCheapest = !searched ? { searchedFor: '', searched: 0, plans: [], notes: ['not searched'] }
    : 'error' in searched ? { searchedFor: '', searched: 0, plans: [], notes: [searched.error] } : cheapestView(searched, REPORT_PLANS);
  return [{
    kind: 'training',
    name,
    model: e.model,
    hardware: `${e.gpus} × ${e.gpu.id} · ${e.method} · ${e.precision} · ${sharding === 'none' ? (e.gpus > 1 ? 'DDP' : 'one GPU') : sharding} · micro-batch ${p.microBatch.value} × accumulation ${p.gradAccum.value}${p.gradientCheckpointing.value ? ' · gradient checkpointing' : ''}`,
    verdict: e.fits
      ? `fits · peak ${(e.peakBytesPerGpu / GiB).toFixed(1)} of ${(e.capacityBytes / GiB).toFixed(1)} GiB per GPU · ${Math.round(e.tokensPerSecond).toLocaleString('en-US')} tokens/s · ${e.stepSeconds.toFixed(2)} s/step`
      : `does not fit · needs ${(e.peakBytesPerGpu / GiB).toFixed(1)} GiB per GPU, ${e.gpu.id} holds ${(e.capacityBytes / GiB).toFixed(1)}`,
    fits: e.fits,
    memory: { capacityGiB: round(e.capacityBytes / GiB), peakGiB: round(e.peakBytesPerGpu / GiB), segments: memorySegments(e) },
    phases: { peak: e.peakPhase, rows: (Object.entries(e.phases) as Array<[string, number]>).map(([phase, b]) => ({ phase, gib: round(b / GiB) })) },
    throughput: { tokensPerStep: e.tokensPerStep, effectiveBatch: e.effectiveBatch, stepSeconds: round(e.stepSeconds, 3), tokensPerSecond: Math.round(e.tokensPerSecond), trainableParams: e.trainableParams, totalParams: e.totalParams },
    findings: findings.map((f) => ({ severity: f.severity, message: f.message })),
    cheapest,
    assumptions: e.assumptions,
  }];
}
