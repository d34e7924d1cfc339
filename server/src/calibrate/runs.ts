/**
 * A user's benchmark results → the runs `calibrate` fits on: each result's measured TTFT/TPOT beside the deployment
 * that produced it. A result file states its load (concurrency, lengths, client) and sometimes its parallelism and GPU;
 * the rest of the deployment comes from a config or an engine startup log beside it that serves the same model on the
 * same engine (the nearest folder first). A run whose GPU or tensor parallelism nothing states is skipped, saying so:
 * a factor fitted on a guessed deployment would calibrate the guess.
 */
import { modelKey } from '../measured/series';
import type { MeasuredRun } from '../formats/logs/types';
import { figure } from '../formats/logs/types';
import type { DeploymentPlan, EngineKnobs, Workload } from '../plan/types';

/** A file read for calibration: a benchmark result, an engine log, or a serving config (its plans). */
export interface CalibrationInput {
  /** Path relative to the folder calibrate reports against (forward slashes). */
  file: string;
  measured?: MeasuredRun;
  plans: DeploymentPlan[];
}

export interface CalibrationRun {
  file: string;
  /** The deployment at the result's load, ready to estimate. */
  plan: DeploymentPlan;
  measured: { ttftMs?: number; tpotMs?: number };
  /** Where the deployment came from when not from the result itself. */
  configFile?: string;
  notes: string[];
}

export interface SkippedFile {
  file: string;
  why: string;
}

const dirOf = (f: string) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '');
const lastSegment = (ref: string) => ref.replace(/\/+$/, '').split('/').pop()!.toLowerCase();
/** A Hub id and a local copy of it (`/models/gpt-oss-120b`) are the same model to a benchmark client. */
const sameModel = (a: string, b: string) => modelKey(a) === modelKey(b) || lastSegment(a) === lastSegment(b);
const stated = (s: { source: { kind: string } } | undefined) => !!s && s.source.kind !== 'default' && s.source.kind !== 'inferred';
/**
 * Written in the result itself: not a default that --gpu / --tensor-parallel or the repository config gave every file
 * (those yield to the deployment file paired with the result).
 */
const own = (s: { source: { kind: string } }) => s.source.kind === 'file';

interface Candidate {
  file: string;
  plan: DeploymentPlan;
}

/** Configs and logs that can stand for a result's deployment, nearest folder first, then by name. */
function candidatesFor(result: CalibrationInput, run: MeasuredRun, all: Candidate[]): Candidate[] {
  const engine = run.plan.engine.name;
  const model = run.plan.model.ref.value;
  const fits = all.filter((c) => sameModel(c.plan.model.ref.value, model) && (!stated(engine) || c.plan.engine.name.value === engine.value));
  const depth = (c: Candidate) => {
    // Distance up from the result's folder to the candidate's (a candidate in a sibling folder is not "beside" it).
    let d = dirOf(result.file);
    for (let up = 0; ; up++) {
      if (dirOf(c.file) === d) return up;
      if (!d) return Infinity;
      d = dirOf(d);
    }
  };
  return fits.map((c) => ({ c, d: depth(c) })).filter((x) => x.d < Infinity).sort((a, b) => a.d - b.d || a.c.file.localeCompare(b.c.file)).map((x) => x.c);
}

/** The deployment of `base` driven the way the result drove it, with the result's own stated knobs and GPU over it. */
function atResultLoad(base: DeploymentPlan, run: MeasuredRun): DeploymentPlan {
  const r = run.plan;
  const knobs: EngineKnobs = { ...base.knobs };
  for (const [k, v] of Object.entries(r.knobs) as Array<[keyof EngineKnobs, EngineKnobs[keyof EngineKnobs]]>) if (v && (own(v) || !stated(knobs[k]))) (knobs as Record<string, unknown>)[k] = v;
  const rw = r.workload;
  const workload: Workload = { ...base.workload };
  if (stated(rw.inputLen)) workload.inputLen = rw.inputLen;
  if (stated(rw.outputLen)) workload.outputLen = rw.outputLen;
  if (rw.requestRate && !stated(rw.concurrency)) {
    workload.requestRate = rw.requestRate;
  } else if (stated(rw.concurrency)) {
    workload.concurrency = rw.concurrency;
    delete workload.requestRate;
  }
  if (rw.client) workload.client = rw.client;
  // Prefix hits are a property of the client's prompts: random-token benchmarks share none.
  delete workload.prefixHitRate;
  return {
    ...base,
    hardware: { ...base.hardware, gpu: own(r.hardware.gpu) || !stated(base.hardware.gpu) ? r.hardware.gpu : base.hardware.gpu },
    engine: { ...base.engine, ...(r.engine.version ? { version: r.engine.version } : {}) },
    knobs,
    workload,
    slo: undefined,
    calibration: undefined,
  };
}

/**
 * The runs to fit, and every file that gives none with the reason. `inputs` are all the files read (results, logs,
 * configs), with paths relative to one root.
 */
export function calibrationRuns(inputs: CalibrationInput[]): { runs: CalibrationRun[]; skipped: SkippedFile[] } {
  const candidates: Candidate[] = inputs.flatMap((i) => (i.measured?.kind === 'benchmark-result' ? [] : i.plans.map((plan) => ({ file: i.file, plan }))));
  const runs: CalibrationRun[] = [];
  const skipped: SkippedFile[] = [];
  for (const input of inputs) {
    const run = input.measured;
    if (run?.kind !== 'benchmark-result') continue;
    const ttftMs = figure(run, 'ttftMs')?.value;
    const tpotMs = figure(run, 'tpotMs')?.value;
    if (!(ttftMs! > 0) && !(tpotMs! > 0)) {
      skipped.push({ file: input.file, why: 'reports no mean TTFT or TPOT' });
      continue;
    }
    if (!stated(run.plan.workload.concurrency) && !run.plan.workload.requestRate) {
      skipped.push({ file: input.file, why: 'does not state the load it ran (max_concurrency, request_rate or num_prompts)' });
      continue;
    }
    const [config, ...others] = candidatesFor(input, run, candidates);
    const notes: string[] = [];
    const plan = atResultLoad(config?.plan ?? run.plan, run);
    if (config && others.length) notes.push(`deployment from ${config.file} (also serving ${run.plan.model.ref.value}: ${others.map((o) => o.file).join(', ')})`);
    if (!stated(plan.hardware.gpu)) {
      skipped.push({ file: input.file, why: 'does not name its GPU: put the deployment file or the engine log beside it, or pass --gpu' });
      continue;
    }
    if (!stated(plan.knobs.tensorParallel) && !config) {
      skipped.push({ file: input.file, why: 'does not state its tensor parallelism: put the deployment file or the engine log beside it, or pass --tensor-parallel' });
      continue;
    }
    runs.push({ file: input.file, plan, measured: { ...(ttftMs! > 0 ? { ttftMs } : {}), ...(tpotMs! > 0 ? { tpotMs } : {}) }, ...(config ? { configFile: config.file } : {}), notes });
  }
  return { runs, skipped };
}
