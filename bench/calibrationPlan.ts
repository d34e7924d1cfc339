/** A calibration row as a deployment plan (every knob marked as given on the command line), and the error figures. */
import type { DeploymentPlan, EngineName } from '../server/src/plan/types';
import { byDefault, sourced } from '../server/src/plan/types';

export type KnobValues = Partial<Record<string, number | string | boolean | object>>;

export function plan(model: string, gpu: string, engine: EngineName, version: string, knobs: KnobValues, workload?: { isl: number; osl: number; conc: number }): DeploymentPlan {
  const cli = (flag: string) => ({ kind: 'cli' as const, flag });
  const k: DeploymentPlan['knobs'] = {};
  for (const [key, v] of Object.entries(knobs)) if (v !== undefined && v !== '') (k as Record<string, unknown>)[key] = sourced(v, cli(key));
  return {
    name: model,
    model: { ref: sourced(model, cli('model')) },
    hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')), version: sourced(version, cli('engine-version')) },
    knobs: k,
    workload: {
      inputLen: sourced(workload?.isl ?? 1024, cli('isl')),
      outputLen: sourced(workload?.osl ?? 256, cli('osl')),
      concurrency: sourced(workload?.conc ?? 1, cli('conc')),
    },
  };
}

/** Signed % error of an estimate against a measurement. */
export const pct = (est: number, meas: number) => (100 * (est - meas)) / meas;

export { median } from '../server/src/measured/median';
