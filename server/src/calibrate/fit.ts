/**
 * Fits the estimator's efficiency factors (estimator/calibration.ts) per GPU and engine on a user's runs: the factors
 * that minimise the runs' summed |log error| of TTFT and TPOT (the median's estimator), found by coordinate descent with
 * a golden-section search per factor. Every third run of a group (by file name) is held out and judged only after the
 * fit, so the printed before/after on it says whether calibrating helped on runs it did not see.
 */
import { median } from '../measured/median';
import type { EstimatorDeps } from '../estimator/estimate';
import { estimate } from '../estimator/estimate';
import { FACTOR_BOUNDS } from '../estimator/calibration';
import { engines } from '../estimator/engines';
import type { CalibrationEntry, CalibrationError, EfficiencyFactors } from '../plan/calibration';
import type { EngineName } from '../plan/types';
import type { CalibrationRun, SkippedFile } from './runs';

/** Runs a group needs before the per-step overhead is fitted too: with fewer it trades off against bandwidth freely. */
export const MIN_RUNS_FOR_OVERHEAD = 4;
/** Runs a group needs before one is held out (below this every run is fitted on). */
export const MIN_RUNS_FOR_HOLD_OUT = 3;
/**
 * Pull of each factor towards the built-in value, per run, in log units: small enough never to outweigh a 1 % error on a
 * run, large enough that a factor no run constrains (compute when no run reports TTFT) stays at 1.
 */
const PRIOR = 0.002;
/**
 * Runs the search estimates at each trial (evenly spread over the fitted ones, by file name): each estimate simulates
 * the benchmark step by step (estimator/scheduler.ts), so a 200-run group would take minutes. The errors reported are
 * still over every run.
 */
export const MAX_SEARCH_RUNS = 24;

export interface RunPrediction {
  ttftMs?: number;
  tpotMs?: number;
}

export interface RunResult {
  file: string;
  heldOut: boolean;
  measured: RunPrediction;
  before: RunPrediction;
  after: RunPrediction;
  /** The config or engine log the deployment came from (absent: the result stated it all). */
  configFile?: string;
  notes: string[];
}

export interface GroupFit {
  gpu: string;
  gpuName: string;
  engine: EngineName;
  entry: CalibrationEntry;
  runs: RunResult[];
}

export interface CalibrationFit {
  groups: GroupFit[];
  skipped: SkippedFile[];
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function predict(run: CalibrationRun, deps: EstimatorDeps, gpu: string, engine: EngineName, f?: EfficiencyFactors): RunPrediction | undefined {
  const plan = f ? { ...run.plan, calibration: { file: '(fitting)', entries: [{ gpu, engine, ...f }] } } : run.plan;
  const r = estimate(plan, deps);
  return r.ok ? { ttftMs: r.estimate.latency.ttftMs, tpotMs: r.estimate.latency.tpotMs } : undefined;
}

const absLog = (p: number | undefined, m: number | undefined) => (p! > 0 && m! > 0 ? Math.abs(Math.log(p! / m!)) : 0);
const absPct = (p: number | undefined, m: number | undefined) => (p! > 0 && m! > 0 ? (100 * Math.abs(p! - m!)) / m! : undefined);

/** Median |error| in % of each metric over the runs, with the predictions `which` picks. */
export function errorOf(runs: RunResult[], which: 'before' | 'after'): CalibrationError {
  const ttft = runs.map((r) => absPct(r[which].ttftMs, r.measured.ttftMs)).filter((x): x is number => x !== undefined);
  const tpot = runs.map((r) => absPct(r[which].tpotMs, r.measured.tpotMs)).filter((x): x is number => x !== undefined);
  const out: CalibrationError = { runs: runs.length };
  if (ttft.length) out.ttftPct = round(median(ttft), 1);
  if (tpot.length) out.tpotPct = round(median(tpot), 1);
  return out;
}

/** Golden-section minimum of a unimodal-enough `f` on [lo, hi]. */
function goldenMin(f: (x: number) => number, lo: number, hi: number, iterations = 14): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo, b = hi;
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = f(c), fd = f(d);
  for (let i = 0; i < iterations; i++) {
    if (fc < fd) {
      b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c);
    } else {
      a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d);
    }
  }
  return (a + b) / 2;
}

/** `n` runs spread evenly over `runs` (all of them when there are no more). */
function spreadSample<T>(runs: T[], n: number): T[] {
  if (runs.length <= n) return runs;
  return Array.from({ length: n }, (_, i) => runs[Math.floor(((i + 0.5) * runs.length) / n)]);
}

function fitGroup(all: CalibrationRun[], deps: EstimatorDeps, gpu: string, engine: EngineName, builtInOverheadMs: number): EfficiencyFactors {
  const runs = spreadSample(all, MAX_SEARCH_RUNS);
  const withTtft = runs.some((r) => r.measured.ttftMs);
  const withTpot = runs.some((r) => r.measured.tpotMs);
  const fitOverhead = withTpot && runs.length >= MIN_RUNS_FOR_OVERHEAD;
  // Factors are searched in log space (×0.5 and ×2 are equally far from the built-in value).
  const x = { bandwidth: 0, compute: 0, overhead: builtInOverheadMs };
  const factors = (v: typeof x): EfficiencyFactors => ({
    ...(withTpot ? { bandwidth: Math.exp(v.bandwidth) } : {}),
    ...(withTtft ? { compute: Math.exp(v.compute) } : {}),
    ...(fitOverhead ? { stepOverheadMs: v.overhead } : {}),
  });
  const loss = (v: typeof x) => {
    const f = factors(v);
    let total = PRIOR * runs.length * (Math.abs(v.bandwidth) + Math.abs(v.compute) + Math.abs(Math.log((v.overhead + 0.1) / (builtInOverheadMs + 0.1))));
    for (const r of runs) {
      const p = predict(r, deps, gpu, engine, f);
      total += p ? absLog(p.ttftMs, r.measured.ttftMs) + absLog(p.tpotMs, r.measured.tpotMs) : 10;
    }
    return total;
  };
  const [bLo, bHi] = FACTOR_BOUNDS.bandwidth.map(Math.log);
  const [cLo, cHi] = FACTOR_BOUNDS.compute.map(Math.log);
  const oHi = 4 * builtInOverheadMs + 5;
  // The first round searches the whole range; the next ones refine around where it landed (each estimate simulates
  // the benchmark, so every evaluation saved counts).
  for (let round = 0; round < 3; round++) {
    const near = (v: number, lo: number, hi: number, w: number): [number, number] => (round ? [Math.max(lo, v - w), Math.min(hi, v + w)] : [lo, hi]);
    const iterations = round ? 6 : 10;
    if (withTpot) x.bandwidth = goldenMin((v) => loss({ ...x, bandwidth: v }), ...near(x.bandwidth, bLo, bHi, 0.12), iterations);
    if (withTtft) x.compute = goldenMin((v) => loss({ ...x, compute: v }), ...near(x.compute, cLo, cHi, 0.12), iterations);
    if (fitOverhead) x.overhead = goldenMin((v) => loss({ ...x, overhead: v }), ...near(x.overhead, 0, oHi, 0.15 * oHi), iterations);
  }
  const f = factors(x);
  return {
    ...(f.bandwidth !== undefined ? { bandwidth: round(f.bandwidth, 3) } : {}),
    ...(f.compute !== undefined ? { compute: round(f.compute, 3) } : {}),
    ...(f.stepOverheadMs !== undefined ? { stepOverheadMs: round(f.stepOverheadMs, 2) } : {}),
  };
}

/**
 * Groups the runs by the catalog GPU they resolve to and their engine, fits each group's factors on its fitted runs, and
 * judges them on all. `fitted` is the date written into each entry.
 */
export function fitCalibration(runs: CalibrationRun[], skipped: SkippedFile[], deps: EstimatorDeps, fitted: string): CalibrationFit {
  const groups = new Map<string, { gpu: string; gpuName: string; engine: EngineName; runs: CalibrationRun[] }>();
  const skip = [...skipped];
  for (const run of runs) {
    const g = deps.gpus.find(run.plan.hardware.gpu.value);
    if (!g) {
      skip.push({ file: run.file, why: `unknown GPU "${run.plan.hardware.gpu.value}"` });
      continue;
    }
    const engine = run.plan.engine.name.value;
    const key = `${g.id}\u0000${engine}`;
    if (!groups.has(key)) groups.set(key, { gpu: g.id, gpuName: g.name, engine, runs: [] });
    groups.get(key)!.runs.push(run);
  }
  const out: GroupFit[] = [];
  for (const grp of groups.values()) {
    const usable: Array<{ run: CalibrationRun; before: RunPrediction }> = [];
    for (const run of grp.runs.sort((a, b) => a.file.localeCompare(b.file))) {
      const before = predict(run, deps, grp.gpu, grp.engine);
      if (before) usable.push({ run, before });
      else skip.push({ file: run.file, why: 'the estimator could not estimate its deployment (estimate it for the reason)' });
    }
    if (!usable.length) continue;
    const holdOut = usable.length >= MIN_RUNS_FOR_HOLD_OUT;
    const heldOut = (i: number) => holdOut && i % 3 === 2;
    const fitRuns = usable.filter((_, i) => !heldOut(i)).map((u) => u.run);
    const factors = fitGroup(fitRuns, deps, grp.gpu, grp.engine, engines[grp.engine].stepOverheadSec * 1000);
    const results: RunResult[] = usable.map((u, i) => ({
      file: u.run.file, heldOut: heldOut(i), measured: u.run.measured, before: u.before,
      after: predict(u.run, deps, grp.gpu, grp.engine, factors) ?? u.before, ...(u.run.configFile ? { configFile: u.run.configFile } : {}), notes: u.run.notes,
    }));
    const fitRes = results.filter((r) => !r.heldOut);
    const heldRes = results.filter((r) => r.heldOut);
    const entry: CalibrationEntry = {
      gpu: grp.gpu, engine: grp.engine, ...factors, sources: results.map((r) => r.file), fitted,
      error: {
        fit: { before: errorOf(fitRes, 'before'), after: errorOf(fitRes, 'after') },
        ...(heldRes.length ? { heldOut: { before: errorOf(heldRes, 'before'), after: errorOf(heldRes, 'after') } } : {}),
      },
    };
    out.push({ gpu: grp.gpu, gpuName: grp.gpuName, engine: grp.engine, entry, runs: results });
  }
  return { groups: out.sort((a, b) => a.gpu.localeCompare(b.gpu) || a.engine.localeCompare(b.engine)), skipped: skip };
}
