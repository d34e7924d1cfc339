/**
 * The pipeline with the repository's policy applied, one function for the editor and `check` so both show the same
 * findings: the config's defaults go into the read (below what the file, its profile and its directive state), then
 * suppression comments, then the config's rule severities.
 */
import type { EstimatorDeps } from '../estimator/estimate';
import { readText } from '../formats';
import type { ReadContext, ReadResult } from '../formats/types';
import { Analysis, evaluateText } from '../pipeline';
import { applySeverities, configContext, configEngineVersion, LoadedConfig } from './repoConfig';
import { applySuppressions, findSuppressions } from './suppressions';

/**
 * @param ctx the editor's settings (or nothing), below the config.
 * @param over what is above the config (check's --gpu and workload flags), still below the file.
 */
export function readWithConfig(uri: string, text: string, ctx: ReadContext, loaded?: LoadedConfig, over: Partial<ReadContext> = {}): ReadResult {
  const c = loaded && !loaded.problems.length ? configContext(loaded.config, loaded.file) : {};
  const read = readText(uri, text, { ...ctx, ...c, ...over, workload: { ...ctx.workload, ...c.workload, ...over.workload }, slo: { ...ctx.slo, ...c.slo, ...over.slo } });
  if (!loaded || loaded.problems.length) return read;
  for (const plan of read.plans) {
    if (loaded.calibration && !plan.calibration) plan.calibration = loaded.calibration;
    if (plan.engine.version) continue;
    const v = configEngineVersion(loaded.config, plan.engine.name.value, loaded.file);
    if (v) plan.engine.version = v;
  }
  return read;
}

/** Suppressions and severities over an analysis (the estimates are untouched; only what is reported changes). */
export function withPolicy(a: Analysis, text: string, loaded?: LoadedConfig): Analysis {
  const rules = loaded && !loaded.problems.length ? loaded.config.rules : undefined;
  const findings = applySeverities(applySuppressions(a.findings, findSuppressions(text)), rules);
  return findings === a.findings ? a : { ...a, findings };
}

export function analyzeWithPolicy(uri: string, text: string, ctx: ReadContext, deps: EstimatorDeps | undefined, loaded?: LoadedConfig, over?: Partial<ReadContext>): Analysis {
  return withPolicy(evaluateText(uri, text, readWithConfig(uri, text, ctx, loaded, over), ctx, deps), text, loaded);
}
