/**
 * The editor's requests on a fine-tuning config: *Find Cheapest Plan* (deployAdvisor/optimize, its `training` answer)
 * and the report page (deployAdvisor/report). The search runs on the server's thread: it is bounded (training/search.ts)
 * and remembered per plan and target, so a report that follows the file's edits re-runs it only when the plan changed.
 */
import * as path from 'node:path';
import type { EstimatorDeps } from '../estimator/estimateTypes';
import type { Analysis } from '../pipeline';
import { cheapestView, searchForTraining, trainingReportData } from '../report/trainingData';
import type { TrainingSearchResult } from '../training/searchTypes';
import { trainingSetupEdits } from '../edits/trainingSetup';
import type { OptimizeResponse } from '../../../protocol/requests';
import type { TrainingReportData, TrainingSearchParams } from '../../../protocol/trainingReport';

const remembered = new Map<string, TrainingSearchResult | { error: string }>();
const REMEMBERED = 32;

function search(a: Analysis, deps: EstimatorDeps, p: TrainingSearchParams = {}): TrainingSearchResult | { error: string } | undefined {
  const t = a.training;
  if (!t?.estimate) return undefined;
  const key = JSON.stringify([t.plan, p, deps.gpus.gpus.map((g) => `${g.id}:${g.pricePerHour}:${g.usableBytes}`)]);
  const hit = remembered.get(key);
  if (hit) return hit;
  const r = searchForTraining(t, deps, { target: { tokensPerSecond: p.tokensPerSecond, tokens: p.tokens, maxHours: p.maxHours }, methods: p.methods });
  if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value as string);
  remembered.set(key, r);
  return r;
}

/** undefined when the document is not a training config. */
export function trainingReport(uri: string, a: Analysis, deps: EstimatorDeps): TrainingReportData[] | undefined {
  if (!a.training) return undefined;
  return trainingReportData(path.basename(new URL(uri).pathname), a.training, a.findings, search(a, deps));
}

/** undefined when the document is not a training config. Each setup carries the edit that rewrites `text` to it. */
export function trainingOptimize(uri: string, text: string, a: Analysis, deps: EstimatorDeps, p?: TrainingSearchParams): OptimizeResponse | undefined {
  const t = a.training;
  if (!t) return undefined;
  const r = search(a, deps, p);
  if (!r) return { plans: [], notes: [`No estimate for this training config: ${t.error ?? 'no base model'}.`], workloads: [] };
  if ('error' in r) return { plans: [], notes: [r.error], workloads: [] };
  const view = cheapestView(r);
  const plans = view.plans.map((v, i) => {
    if (v.isFile) return v;
    const e = trainingSetupEdits(r.plans[i], t.plan, text);
    return { ...v, ...(e.edits ? { edit: { changes: { [uri]: e.edits } } } : { noEdit: e.blocked }), ...(e.notes.length ? { editNotes: e.notes } : {}) };
  });
  return { plans: [], notes: r.notes, searched: r.searchedFor, workloads: [], training: { model: t.estimate!.model, ...view, plans } };
}
