/** The `measured` block of `estimate --json` for a log or result file: a public contract, field names fixed (issue 23). */
import { figure, FigureName, MeasuredRun } from '../formats/logs/types';

export interface MeasuredJson {
  engine?: string;
  engineVersion?: string;
  weightsBytesPerGpu?: number;
  kvPoolBytesPerGpu?: number;
  kvCapacityTokens?: number;
  maxConcurrency?: number;
  ttftMs?: number;
  tpotMs?: number;
  outputTokensPerSec?: number;
}

const FIELDS: Array<keyof MeasuredJson & FigureName> = ['weightsBytesPerGpu', 'kvPoolBytesPerGpu', 'kvCapacityTokens', 'maxConcurrency', 'ttftMs', 'tpotMs', 'outputTokensPerSec'];

export function measuredJson(run: MeasuredRun): MeasuredJson {
  const out: MeasuredJson = {};
  if (run.engine) out.engine = run.engine;
  if (run.engineVersion) out.engineVersion = run.engineVersion.value;
  for (const name of FIELDS) {
    const f = figure(run, name);
    if (f) out[name] = name.endsWith('Bytes') || name.endsWith('BytesPerGpu') || name === 'kvCapacityTokens' ? Math.round(f.value) : f.value;
  }
  return out;
}
