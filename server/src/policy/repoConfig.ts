/**
 * `.deploy-advisor.yaml`: the repository's own settings, shared by `check` and the editor (schemas/
 * deploy-advisor-config.schema.json, validated by the precompiled validator). Pure: text in, config and problems out;
 * node/repoConfig.ts finds and caches the file.
 */
import { parse } from 'yaml';
import type { ErrorObject } from 'ajv';
import type { EngineName, Slo, Sourced, Workload } from '../plan/types';
import { sourced } from '../plan/types';
import type { Finding } from '../rules/types';
import type { ReadContext } from '../formats/types';
import type { Severity } from '../estimator/estimate';
import type { CalibrationEntry, PlanCalibration } from '../plan/calibration';
import { repoConfig as validate } from '../schemas/validators.generated';

export const CONFIG_FILE_NAMES = ['.deploy-advisor.yaml', '.deploy-advisor.yml'];

export interface RepoConfig {
  rules?: Record<string, Severity | 'off'>;
  gpu?: string;
  gpuCount?: number;
  workload?: { inputLen?: number; outputLen?: number; concurrency?: number | 'max'; requestRate?: number };
  slo?: { ttftMs?: number; tpotMs?: number; minThroughput?: number };
  engineVersions?: Partial<Record<EngineName, string>>;
  ignore?: string[];
  /** Factors `calibrate` fitted, or the path (relative to this file) of a YAML file holding them under `calibration:`. */
  calibration?: CalibrationEntry[] | string;
}

export interface LoadedConfig {
  /** Absolute path of the file; its folder is the base of `ignore:`. */
  file: string;
  config: RepoConfig;
  /** Why (part of) the file was not used; empty when valid. An invalid file is not applied at all. */
  problems: string[];
  /** The calibration the plans below this config are estimated with (a pointed-at file already read). */
  calibration?: PlanCalibration;
}

const describe = (e: ErrorObject) => `${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`;

export function parseRepoConfig(file: string, text: string): LoadedConfig {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100 }) ?? {};
  } catch (e) {
    return { file, config: {}, problems: [`not valid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  if (!validate(data)) return { file, config: {}, problems: (validate.errors ?? []).map(describe) };
  const config = data as RepoConfig;
  return { file, config, problems: [], ...(Array.isArray(config.calibration) && config.calibration.length ? { calibration: { file, entries: config.calibration } } : {}) };
}

/**
 * The entries of a calibration file a config points at (`calibration: calib.yaml`): a YAML file whose `calibration:`
 * list has the config's own schema. Problems are the config's: a pointer to nothing or to an invalid file applies none.
 */
export function parseCalibrationFile(file: string, text: string | undefined): { calibration?: PlanCalibration; problems: string[] } {
  if (text === undefined) return { problems: [`calibration file ${file} could not be read`] };
  const read = parseRepoConfig(file, text);
  if (read.problems.length) return { problems: read.problems.map((p) => `calibration file ${file}: ${p}`) };
  if (!Array.isArray(read.config.calibration)) return { problems: [`calibration file ${file} has no calibration: list`] };
  return { calibration: read.calibration ?? { file, entries: [] }, problems: [] };
}

/** The defaults the config gives, as a reader's context (the file, its profile and its directive still win). */
export function configContext(c: RepoConfig, file: string): Partial<ReadContext> {
  const src = (key: string) => ({ kind: 'profile' as const, file, key });
  const ctx: Partial<ReadContext> = {};
  if (c.gpu) ctx.gpu = sourced(c.gpu, src('gpu'));
  if (c.gpuCount) ctx.gpuCount = sourced(c.gpuCount, src('gpuCount'));
  const w: Partial<Workload> = {};
  if (c.workload?.inputLen) w.inputLen = sourced(c.workload.inputLen, src('workload.inputLen'));
  if (c.workload?.outputLen) w.outputLen = sourced(c.workload.outputLen, src('workload.outputLen'));
  if (c.workload?.concurrency) w.concurrency = sourced(c.workload.concurrency, src('workload.concurrency'));
  if (c.workload?.requestRate) w.requestRate = sourced(c.workload.requestRate, src('workload.requestRate'));
  if (Object.keys(w).length) ctx.workload = w;
  const slo: Slo = {};
  for (const k of ['ttftMs', 'tpotMs', 'minThroughput'] as const) if (c.slo?.[k]) slo[k] = sourced(c.slo[k]!, src(`slo.${k}`));
  if (Object.keys(slo).length) ctx.slo = slo;
  return ctx;
}

/** The engine release for a plan whose file does not say one (readers set the version from image tags first). */
export function configEngineVersion(c: RepoConfig, engine: EngineName, file: string): Sourced<string> | undefined {
  const v = c.engineVersions?.[engine];
  return v ? sourced(v.replace(/^v/, ''), { kind: 'profile', file, key: `engineVersions.${engine}` }) : undefined;
}

/** Rule severities: `off` drops a rule's findings, the others replace the rule's own severity. */
export function applySeverities(findings: Finding[], rules: RepoConfig['rules']): Finding[] {
  if (!rules || !Object.keys(rules).length) return findings;
  return findings.flatMap((f) => {
    const s = rules[f.rule];
    if (!s) return [f];
    return s === 'off' ? [] : [{ ...f, severity: s }];
  });
}
