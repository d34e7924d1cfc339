/**
 * Engine options from any source (a YAML mapping, a command line, environment variables) checked the same way:
 * against the engine's JSON Schema with ajv (errors mapped back to the offending key's range), unknown keys with
 * "did you mean", duplicates, and then mapped onto DeploymentPlan knobs with their ranges.
 */
import type { EngineKnobs, KeyOccurrence, SourceRange, Sourced } from '../plan/types';
import { sourced } from '../plan/types';
import { parseHumanInt } from './humanInt';
import { coercingEngine, strictEngine } from '../schemas/validators.generated';
import { EngineKeyTable, keyIndex, KeySpec } from './keys/types';
import { contextOverrideFrom } from './ropeOverride';
import { speculativeFrom } from './speculative';
import { mmLimitsFrom, mmProcessorKwargsFrom } from './multimodal';
import { poolingFrom } from './pooling';
import type { FormatProblem, LocalModel, ReadContext } from './types';
import { didYouMean } from '../text/didYouMean';
import { flagChange } from '../catalog/flagHistory';

/** One option as written: `key` as spelled, its value, and where both are. */
export interface OptionEntry {
  key: string;
  value: unknown;
  keyRange: SourceRange;
  valueRange: SourceRange;
  /** Nested options (TensorRT-LLM kv_cache_config). */
  children?: OptionEntry[];
  /** The values of a list option (KeySpec.list), each with its own range. */
  items?: Array<{ text: string; range: SourceRange }>;
}

/** A key name spelled the way the file spells its keys (`max_model_len` beside other underscored keys). */
function inKeyStyle(name: string, written: string): string {
  if (written.includes('_') && !written.includes('-')) return name.replace(/-/g, '_');
  if (written.includes('-') && !written.includes('_')) return name.replace(/_/g, '-');
  return name;
}

export interface OptionsResult {
  knobs: EngineKnobs;
  keys: KeyOccurrence[];
  problems: FormatProblem[];
  /** Values by canonical key name (after `-`/`_` normalization), for format-specific checks. */
  values: Map<string, { value: unknown; entry: OptionEntry }>;
}

/**
 * @param coerce command lines and vLLM/SGLang YAML reach the engine as strings, so `"4"` is a valid integer there;
 *               TensorRT-LLM's pydantic models are strict.
 */
export function readOptions(table: EngineKeyTable, entries: OptionEntry[], opts: { coerce: boolean; skip?: Set<string>; fromMapping?: boolean }): OptionsResult {
  const problems: FormatProblem[] = [];
  const index = keyIndex(table);
  const known = [...index.keys()];
  const others = new Set(table.otherOptions.map(table.normalize));
  const values = new Map<string, { value: unknown; entry: OptionEntry }>();
  const data: Record<string, unknown> = {};
  const rangeByKey = new Map<string, OptionEntry>();
  // Options the engine renamed or dropped in some release (catalog/flagHistory.ts): not unknown — the flag rules say
  // what the version in force does with them.
  const legacy: OptionEntry[] = [];

  for (const e of entries) {
    const norm = table.normalize(e.key);
    if (opts.skip?.has(norm)) continue;
    const spec = index.get(norm);
    if (!spec && flagChange(table.engine, norm)) {
      legacy.push(e);
      continue;
    }
    if (!spec) {
      if (others.has(norm) || others.has(norm.replace(/^no-/, ''))) continue;
      const guess = didYouMean(norm, known);
      const meant = guess ? inKeyStyle(index.get(guess)!.name, e.key) : undefined;
      problems.push(meant
        ? { code: 'unknown-key', severity: 'error', refusesStart: true, message: `Unknown ${table.engine} option "${e.key}" — did you mean "${meant}"?`, range: e.keyRange, rename: { range: e.keyRange, from: e.key, to: meant } }
        : { code: 'unknown-key', severity: 'warning', message: `"${e.key}" is not a ${table.engine} option Deploy Advisor knows; ${table.engine} rejects unknown options.`, range: e.keyRange });
      continue;
    }
    const canonical = table.normalize(spec.name);
    if (e.value === undefined) {
      problems.push({ code: 'alias-value', severity: 'info', message: `"${e.key}" takes its value from a YAML alias, which Deploy Advisor does not follow; the engine default is assumed.`, range: e.valueRange });
      continue;
    }
    // In one YAML mapping, identical keys are already a YAML error ("Map keys must be unique"): report the -/_ twins.
    if (values.has(canonical) && !(opts.fromMapping && values.get(canonical)!.entry.key === e.key)) {
      const prev = values.get(canonical)!;
      const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
      const differ = shown(prev.value) !== shown(e.value);
      // vLLM and SGLang read their flags (and config-file keys, turned into flags) with argparse: the last one stands.
      const parser = table.engine === 'vllm' || table.engine === 'sglang' ? ' (argparse keeps the last value)' : '';
      problems.push({ code: 'duplicate-key', severity: 'warning', message: `"${e.key}" is set twice (also as "${prev.entry.key}")${differ ? `, ${shown(prev.value)} then ${shown(e.value)}` : ''}; the later one wins${parser}.`, range: e.keyRange });
    }
    values.set(canonical, { value: e.value, entry: e });
    data[canonical] = e.children ? Object.fromEntries(e.children.map((c) => [c.key, c.value])) : e.value;
    rangeByKey.set(canonical, e);
  }

  // Type, enum and range checks by the generated schema; instancePath /key[/child] → that value's range.
  // Compiled ahead of time from the same schemas (npm run schemas): no code is generated at run time.
  const validate = (opts.coerce ? coercingEngine : strictEngine)[table.engine];
  const copy = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  if (!validate(copy)) {
    for (const err of validate.errors ?? []) {
      if (err.keyword === 'anyOf' || err.keyword === 'additionalProperties') continue;
      const [top, child] = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const entry = top !== undefined ? rangeByKey.get(top) : undefined;
      const target = child !== undefined ? entry?.children?.find((c) => c.key === child) : entry;
      const allowed = err.keyword === 'enum' ? `: one of ${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
      problems.push({ code: 'invalid-value', severity: 'error', refusesStart: true, message: `${target?.key ?? top}: ${err.message}${allowed} (got ${JSON.stringify(target?.value)})`, range: target?.valueRange ?? entry?.valueRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    }
  }
  for (const e of entries) {
    const spec = index.get(table.normalize(e.key));
    if (spec?.properties && e.children) {
      const childIndex = new Map(spec.properties.map((p) => [p.name, p]));
      for (const c of e.children) {
        if (!childIndex.has(c.key)) {
          const guess = didYouMean(c.key, [...childIndex.keys()]);
          const meant = guess ? inKeyStyle(childIndex.get(guess)!.name, c.key) : undefined;
          problems.push({ code: 'unknown-key', severity: 'error', refusesStart: true, message: `Unknown ${e.key} option "${c.key}"${meant ? ` — did you mean "${meant}"?` : ''}`, range: c.keyRange, ...(meant ? { rename: { range: c.keyRange, from: c.key, to: meant } } : {}) });
        }
      }
    }
  }

  const knobs: EngineKnobs = {};
  const invalid = new Set(problems.filter((p) => p.code === 'invalid-value').map((p) => `${p.range.start.line}:${p.range.start.character}`));
  const setKnob = (spec: KeySpec, e: OptionEntry) => {
    if (!spec.knob || invalid.has(`${e.valueRange.start.line}:${e.valueRange.start.character}`)) return;
    const v = knobValue(spec, e.value);
    if (v !== undefined) (knobs as Record<string, Sourced<unknown>>)[spec.knob] = sourced(v, { kind: 'file', range: e.valueRange, key: e.key });
  };
  for (const { entry } of values.values()) {
    const spec = index.get(table.normalize(entry.key))!;
    setKnob(spec, entry);
    if (spec.properties && entry.children) {
      for (const c of entry.children) {
        const cs = spec.properties.find((p) => p.name === c.key);
        if (cs) setKnob(cs, c);
      }
    }
  }
  const keys: KeyOccurrence[] = [];
  for (const { entry } of values.values()) {
    const spec = index.get(table.normalize(entry.key))!;
    keys.push({ engine: table.engine, name: spec.name, keyRange: entry.keyRange, valueRange: entry.valueRange, knob: spec.knob, written: table.normalize(entry.key), value: entry.value });
    for (const c of entry.children ?? []) {
      const cs = spec.properties?.find((p) => p.name === c.key);
      if (cs) keys.push({ engine: table.engine, name: `${spec.name}.${cs.name}`, keyRange: c.keyRange, valueRange: c.valueRange, knob: cs.knob });
    }
  }
  for (const e of legacy) keys.push({ engine: table.engine, name: table.normalize(e.key), keyRange: e.keyRange, valueRange: e.valueRange, written: table.normalize(e.key), value: e.value });
  return { knobs, keys, problems, values };
}

function knobValue(spec: KeySpec, v: unknown): unknown {
  // A host KV tier is read from several keys together (formats/offload.ts), not from its switch alone.
  if (spec.knob === 'hostKvCache') return undefined;
  if (spec.knob === 'speculative') return speculativeFrom(v);
  if (spec.knob === 'ropeScaling') return contextOverrideFrom(v);
  if (spec.knob === 'mmLimits') return mmLimitsFrom(v);
  if (spec.knob === 'mmProcessorKwargs') return mmProcessorKwargsFrom(v);
  if (spec.knob === 'pooling') return poolingFrom(v);
  switch (spec.type) {
    case 'integer':
      return spec.humanInt ? parseHumanInt(v) : typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : undefined;
    case 'number':
      return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 'true' || v === '' ? true : v === 'false' ? false : undefined;
    default:
      return v === null || v === undefined ? undefined : String(v);
  }
}

export const isLocalPath = (ref: string) => /^(\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(ref);

/** The model an engine's options name (with the value's range), and its config.json when it is a local folder. */
export function modelFrom(res: OptionsResult, key: string, ctx: ReadContext): { model?: Sourced<string>; local?: LocalModel } {
  const m = res.values.get(key);
  if (!m || typeof m.value !== 'string') return {};
  return {
    model: sourced(m.value, { kind: 'file', range: m.entry.valueRange, key: m.entry.key }),
    local: isLocalPath(m.value) ? ctx.loadLocalConfig?.(m.value) : undefined,
  };
}
