/**
 * Efficiency factors fitted on a user's own runs (`deploy-advisor calibrate`, issue 23 item 3): the three quantities the
 * roofline rests on, per GPU and engine, as multipliers of the estimator's own values — never a row's figure.
 * - `bandwidth` scales the GPU's achievable HBM bandwidth: every bandwidth-bound term (weight streaming, KV reads,
 *   element-wise passes) — decode, TPOT.
 * - `compute` scales the GPU's tensor-core rates (GEMMs and prefill attention): FLOP-bound terms — prefill, TTFT.
 * - `stepOverheadMs` replaces the engine's per-step host time (scheduler, sampling, launch not hidden by CUDA graphs):
 *   the launch-bound term of every step.
 * Memory is never calibrated: pools, weights and KV follow the engine's accounting, and a log that disagrees is a
 * finding (measured/compare.ts), not a factor.
 */
import type { GpuSpec } from '../catalog/gpus';
import type { CalibrationEntry, EfficiencyFactors, PlanCalibration } from '../plan/calibration';
import type { EngineName } from '../plan/types';
import type { EngineModel } from './engines/types';
import type { IssueLog } from './issues';

/**
 * How far a fit may move each quantity from the built-in figure. Not measured: a guard. A factor beyond ×4 means the
 * runs were not what their files say (another GPU, TP or engine), so the fit stops there and the held-out error shows it.
 */
export const FACTOR_BOUNDS = { bandwidth: [0.25, 4], compute: [0.25, 4], stepOverheadMs: [0, 50] } as const;

const clamp = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x));

/** The entry for this GPU and engine, if the calibration has one. */
export function calibrationFor(c: PlanCalibration | undefined, gpu: GpuSpec, engine: EngineName): CalibrationEntry | undefined {
  return c?.entries.find((e) => e.gpu.toLowerCase() === gpu.id.toLowerCase() && e.engine === engine);
}

/** The GPU as the factors see it: bandwidth and tensor rates scaled (memory sizes untouched). */
export function calibratedGpu(gpu: GpuSpec, f: EfficiencyFactors): GpuSpec {
  const b = f.bandwidth === undefined ? 1 : clamp(f.bandwidth, FACTOR_BOUNDS.bandwidth);
  const c = f.compute === undefined ? 1 : clamp(f.compute, FACTOR_BOUNDS.compute);
  if (b === 1 && c === 1) return gpu;
  const tflops = Object.fromEntries(Object.entries(gpu.tflops).map(([k, v]) => [k, v === undefined ? v : v * c])) as GpuSpec['tflops'];
  return { ...gpu, memBandwidth: gpu.memBandwidth * b, tflops };
}

export function calibratedEngine(engine: EngineModel, f: EfficiencyFactors): EngineModel {
  // A fitted overhead is what the runs showed with the engine as it ran: none of it is hidden again.
  return f.stepOverheadMs === undefined ? engine : { ...engine, stepOverheadSec: clamp(f.stepOverheadMs, FACTOR_BOUNDS.stepOverheadMs) / 1000, overheadHiddenByOverlap: false };
}

function describeFactors(f: EfficiencyFactors, engine: EngineModel): string {
  const parts: string[] = [];
  if (f.bandwidth !== undefined) parts.push(`bandwidth ×${f.bandwidth.toFixed(2)}`);
  if (f.compute !== undefined) parts.push(`compute ×${f.compute.toFixed(2)}`);
  if (f.stepOverheadMs !== undefined) parts.push(`step overhead ${f.stepOverheadMs.toFixed(2)} ms (built-in ${(engine.stepOverheadSec * 1000).toFixed(2)} ms)`);
  return parts.join(', ');
}

function heldOutText(e: CalibrationEntry): string {
  const h = e.error?.heldOut;
  if (!h) return e.error?.fit ? `fitted on ${e.error.fit.after.runs} run(s), none held out` : '';
  const m = (k: 'ttftPct' | 'tpotPct', label: string) => (h.before[k] !== undefined && h.after[k] !== undefined ? `${label} ${h.before[k]!.toFixed(0)} → ${h.after[k]!.toFixed(0)} %` : undefined);
  return `held-out median error on ${h.after.runs} run(s): ${[m('ttftPct', 'TTFT'), m('tpotPct', 'TPOT')].filter(Boolean).join(', ')}`;
}

/**
 * The GPU and engine the estimate uses: the calibrated ones when the plan carries factors for this pair, stated as an
 * assumption with where they come from.
 */
export function applyCalibration(c: PlanCalibration | undefined, gpu: GpuSpec, engine: EngineModel, log: IssueLog): { gpu: GpuSpec; engine: EngineModel; entry?: CalibrationEntry } {
  const entry = calibrationFor(c, gpu, engine.name);
  if (!entry) return { gpu, engine };
  const detail = [entry.sources?.length ? `${entry.sources.length} run(s)` : '', heldOutText(entry)].filter(Boolean).join('; ');
  log.assume(`Calibrated on your runs (${c!.file}): ${gpu.name} × ${engine.name} ${describeFactors(entry, engine)}${detail ? ` — ${detail}` : ''}`);
  return { gpu: calibratedGpu(gpu, entry), engine: calibratedEngine(engine, entry), entry };
}
