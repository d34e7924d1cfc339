/** How each engine spells a plan knob and its values (from the key tables: one source of truth). */
import { keyTables } from '../formats/launch';
import type { KeySpec } from '../formats/keys/types';
import type { EngineKnobs, EngineName } from '../plan/types';

export interface KnobKey {
  /** Key path as written in the engine's files (`kv_cache_config.dtype` is nested for TensorRT-LLM). */
  path: string[];
  spec: KeySpec;
}

/** Knobs an engine sets through a key of another shape: vLLM switches expert parallelism on (EP = TP × DP). */
const WRITTEN_AS: Partial<Record<EngineName, Partial<Record<keyof EngineKnobs, string>>>> = { vllm: { expertParallel: 'enable-expert-parallel' } };

export function knobKey(engine: EngineName, knob: keyof EngineKnobs): KnobKey | undefined {
  const as = WRITTEN_AS[engine]?.[knob];
  if (as) {
    const k = keyTables[engine].keys.find((x) => x.name === as);
    return k && { path: [k.name], spec: k };
  }
  for (const k of keyTables[engine].keys) {
    if (k.knob === knob) return { path: [k.name], spec: k };
    for (const c of k.properties ?? []) if (c.knob === knob) return { path: [k.name, c.name], spec: c };
  }
  return undefined;
}

/** A plan value in the engine's own vocabulary (fp8 KV is `fp8_e4m3` for SGLang and `fp8_e4m3fn` for TGI). */
export function engineValue(engine: EngineName, knob: keyof EngineKnobs, value: string | number | boolean): string | number | boolean {
  if (knob === 'kvCacheDtype' && value === 'fp8') return engine === 'sglang' ? 'fp8_e4m3' : engine === 'tgi' ? 'fp8_e4m3fn' : 'fp8';
  if (knob === 'expertParallel' && WRITTEN_AS[engine]?.expertParallel) return Number(value) > 1;
  // vLLM states the runner by name (`--runner pooling`); SGLang's `--is-embedding` is a switch.
  if (knob === 'pooling' && engine === 'vllm') return value === true || value === 'pooling' ? 'pooling' : 'generate';
  return value;
}

/** Whether the engine's key takes this value (TGI's kv-cache-dtype has no `auto`: leaving it out is auto). */
export function expressible(engine: EngineName, knob: keyof EngineKnobs, value: string | number | boolean): boolean {
  const allowed = knobKey(engine, knob)?.spec.enum;
  return !allowed || allowed.includes(engineValue(engine, knob, value) as string | number);
}

/** "kv-cache-dtype: fp8" for titles. */
export function describeChange(engine: EngineName, knob: keyof EngineKnobs, value: string | number | boolean): string {
  const k = knobKey(engine, knob);
  const v = engineValue(engine, knob, value);
  return `${k ? k.path.join('.') : knob}: ${typeof v === 'object' ? JSON.stringify(v) : v}`;
}
