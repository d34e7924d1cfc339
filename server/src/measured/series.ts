/**
 * The report's "Measured" section (issue 23 item 4): the benchmark results that belong to a deployment, each beside
 * the estimate of that deployment re-run at the result's own load and client — its concurrency (or request rate),
 * input/output lengths, request count, length spread and statistic — so a point compares what the client printed with
 * what the estimator says that client would print. Pure: the adapters gather the runs, the pipeline estimates.
 */
import { median } from './median';
import { catalogId } from '../catalog/models';
import { gpuKey } from '../catalog/gpus';
import { describeClient, resolveClient } from '../estimator/benchmarkClient';
import type { Estimate, EstimatorDeps } from '../estimator/estimate';
import { figure, FigureName, MeasuredRun } from '../formats/logs/types';
import { cachedEstimate } from '../pipeline';
import { BenchmarkClient, DeploymentPlan, engineLabels, sourced } from '../plan/types';
import type { MeasuredMetric, MeasuredPoint, MeasuredSection, MeasuredValue } from '../../../protocol/report';

/** A result file as an adapter read it: its path as the section shows it (relative to the deployment file's folder) and what it measured. */
export interface MeasuredSource {
  path: string;
  run: MeasuredRun;
}

export interface MeasuredInput {
  sources: MeasuredSource[];
  /** What the adapter could not read (files over its size cap, its file cap hit): stated in the section. */
  notes?: string[];
}

export const MATCHING_RULE = 'A result is shown when it is saved in this file\'s folder or below it (not below another config of its model) and serves the same model (Hub ids compared case-insensitively, in the catalog\'s spelling) and, where it states them, the same engine, tensor parallelism and GPU; a result that leaves one of these unstated is shown with a note saying which. Results of other deployments are not shown.';

/** Hub ids name repositories case-insensitively (catalog/models.ts catalogId); a trailing slash is no part of the id. */
export function modelKey(id: string): string {
  const trimmed = id.trim().replace(/\/+$/, '');
  return (catalogId(trimmed) ?? trimmed).toLowerCase();
}

type Match = { ok: true; notes: string[] } | { ok: false; reason: string };

/** Whether a result ran this deployment: the model always, engine / TP / GPU where the result states them. */
export function matchRun(run: MeasuredRun, plan: DeploymentPlan, e: Estimate): Match {
  if (run.kind !== 'benchmark-result') return { ok: false, reason: 'not a benchmark result' };
  const model = modelKey(run.plan.model.ref.value);
  if (model !== modelKey(plan.model.ref.value) && model !== modelKey(e.model.id)) return { ok: false, reason: `model ${run.plan.model.ref.value}` };
  const unstated: string[] = [];
  const engine = run.plan.engine.name;
  if (engine.source.kind !== 'file') unstated.push('the engine');
  else if (engine.value !== e.serving.engine) return { ok: false, reason: `engine ${engineLabels[engine.value]}` };
  const tp = run.plan.knobs.tensorParallel;
  if (!tp || tp.source.kind !== 'file') unstated.push('the tensor parallelism');
  else if (tp.value !== e.serving.tensorParallel) return { ok: false, reason: `TP ${tp.value}` };
  const gpu = run.plan.hardware.gpu;
  if (gpu.source.kind !== 'file') unstated.push('the GPU');
  else if (gpuKey(gpu.value) !== gpuKey(e.hardware.gpu)) return { ok: false, reason: `GPU ${gpu.value}` };
  const notes = unstated.length ? [`the result does not state ${listed(unstated)}: read as this deployment's (TP ${e.serving.tensorParallel} on ${e.hardware.gpu})`] : [];
  const version = run.engineVersion?.value;
  if (version && !version.startsWith(e.serving.engineVersion)) notes.push(`measured on ${engineLabels[e.serving.engine]} ${version}; the estimate models ${e.serving.engineVersion}`);
  return { ok: true, notes };
}

const listed = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** The statistic a result's latency figures are read in: the mean where it reports one (both clients' default), else the median. */
export function statisticOf(run: MeasuredRun): 'mean' | 'median' {
  if (figure(run, 'ttftMs') || figure(run, 'tpotMs')) return 'mean';
  return figure(run, 'ttftMedianMs') || figure(run, 'tpotMedianMs') ? 'median' : 'mean';
}

const FIGURES: Record<'mean' | 'median', Record<MeasuredMetric, FigureName>> = {
  mean: { ttftMs: 'ttftMs', tpotMs: 'tpotMs', outputTokensPerSec: 'outputTokensPerSec' },
  median: { ttftMs: 'ttftMedianMs', tpotMs: 'tpotMedianMs', outputTokensPerSec: 'outputTokensPerSec' },
};

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** This deployment re-run at the result's load, with the result's client reporting the result's statistic. */
export function planAtLoad(plan: DeploymentPlan, run: MeasuredRun, path: string): DeploymentPlan | undefined {
  const load = run.load;
  if (!load?.concurrency && !load?.requestRate) return undefined;
  const at = { kind: 'inferred' as const, note: `the load of ${path}` };
  const client: BenchmarkClient = { ...(run.plan.workload.client?.value ?? { kind: 'closed-loop' }), statistic: statisticOf(run) };
  const w = plan.workload;
  return {
    ...plan,
    workload: {
      ...w,
      inputLen: load.inputLen ? sourced(load.inputLen, at) : w.inputLen,
      outputLen: load.outputLen ? sourced(load.outputLen, at) : w.outputLen,
      concurrency: load.concurrency ? sourced(load.concurrency, at) : w.concurrency,
      requestRate: load.concurrency ? undefined : sourced(load.requestRate!, at),
      client: sourced(client, at),
      // Prefix hits are a property of the client's prompts: random-token benchmarks share none (as calibrate reads them).
      prefixHitRate: undefined,
    },
  };
}

/** The section for one deployment, or undefined when no result belongs to it. */
export function measuredSeries(plan: DeploymentPlan, e: Estimate, input: MeasuredInput, deps?: EstimatorDeps): MeasuredSection | undefined {
  const points: MeasuredPoint[] = [];
  const sources: MeasuredSection['sources'] = [];
  const notes = [...(input.notes ?? [])];
  let excluded = 0;
  for (const { path, run } of input.sources) {
    const m = matchRun(run, plan, e);
    if (!m.ok) {
      if (run.kind === 'benchmark-result') excluded++;
      continue;
    }
    const at = planAtLoad(plan, run, path);
    if (!at) {
      notes.push(`${path}: states neither a concurrency nor a request rate, so it has no place on the curves`);
      continue;
    }
    const r = cachedEstimate(at, deps);
    if (!r.ok) {
      notes.push(`${path}: no estimate at its load (${r.issues.map((i) => i.message).join(' ')})`);
      continue;
    }
    const x = r.estimate;
    const statistic = statisticOf(run);
    const predicted: Record<MeasuredMetric, number> = { ttftMs: x.latency.ttftMs, tpotMs: x.latency.tpotMs, outputTokensPerSec: x.latency.outputTokensPerSec * x.hardware.replicas };
    const point: MeasuredPoint = {
      source: sources.length,
      concurrency: run.load!.concurrency ?? round(x.latency.concurrency, 1),
      ...(run.load!.concurrency ? {} : { requestRate: run.load!.requestRate }),
      inputLen: x.workload.inputLen,
      outputLen: x.workload.outputLen,
      ...(run.load!.requests ? { requests: run.load!.requests } : {}),
      statistic,
      client: describeClient(resolveClient(at.workload.client!.value, x.latency.concurrency), Math.round(x.latency.concurrency)),
      notes: [...m.notes, ...(run.load!.inputLen && run.load!.outputLen ? [] : [`the result does not state its lengths: the deployment's ${x.workload.inputLen} in / ${x.workload.outputLen} out assumed`])],
    };
    for (const metric of ['ttftMs', 'tpotMs', 'outputTokensPerSec'] as const) {
      const f = figure(run, FIGURES[statistic][metric]);
      if (!f || !(f.value > 0) || !(predicted[metric] > 0)) continue;
      const v: MeasuredValue = { measured: round(f.value), predicted: round(predicted[metric]), errorPct: round((100 * (predicted[metric] - f.value)) / f.value, 1), line: f.line };
      point[metric] = v;
    }
    if (!point.ttftMs && !point.tpotMs && !point.outputTokensPerSec) continue;
    sources.push({ path, format: run.format, ...(run.engineVersion ? { engineVersion: run.engineVersion.value } : {}) });
    points.push(point);
  }
  if (!points.length) return undefined;
  points.sort((a, b) => a.concurrency - b.concurrency || sources[a.source].path.localeCompare(sources[b.source].path));
  if (excluded) notes.push(`${excluded} result(s) of other deployments (another model, engine, TP or GPU) not shown`);
  if (e.hardware.replicas > 1) notes.push(`the deployment has ${e.hardware.replicas} replicas: a result's concurrency is read per replica, its throughput against all of them`);
  const medianAbsErrorPct: MeasuredSection['medianAbsErrorPct'] = {};
  for (const metric of ['ttftMs', 'tpotMs', 'outputTokensPerSec'] as const) {
    const errs = points.flatMap((p) => (p[metric] ? [Math.abs(p[metric]!.errorPct)] : []));
    if (errs.length) medianAbsErrorPct[metric] = round(median(errs), 1);
  }
  return { rule: MATCHING_RULE, points, sources, medianAbsErrorPct, excluded, notes };
}
