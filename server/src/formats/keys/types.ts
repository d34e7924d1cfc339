/**
 * One source of truth per engine for its configuration keys: type, default, description and memory effect.
 * The JSON Schemas in schemas/ are generated from these tables (npm run schemas; a test checks they agree), and the
 * readers map keys onto DeploymentPlan knobs through `knob`.
 */
import type { EngineKnobs } from '../../plan/types';

export type KeyType = 'integer' | 'number' | 'boolean' | 'string' | 'object' | 'array';

export interface KeySpec {
  /** Canonical spelling as the engine documents it. */
  name: string;
  type: KeyType;
  /** Other spellings the engine accepts for the same option (short flags, legacy names). */
  aliases?: string[];
  enum?: Array<string | number>;
  /** Literal default, or a sentence when it depends on version, GPU or model. */
  default?: string | number | boolean | null;
  defaultNote?: string;
  description: string;
  /** What it does to memory or latency (hover text, later issues). */
  effect?: string;
  /** The plan knob this key sets. */
  knob?: keyof EngineKnobs;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  /** vLLM human-readable integers (`32k`, `1M`). */
  humanInt?: boolean;
  /** Takes one or more values (argparse nargs='+' / '*'): several command-line words, a YAML list, or one string. */
  list?: boolean;
  /** Nested keys (TensorRT-LLM kv_cache_config and friends). */
  properties?: KeySpec[];
}

export interface EngineKeyTable {
  engine: 'vllm' | 'sglang' | 'trtllm' | 'tgi' | 'tei';
  /** How keys are spelled in files: vLLM/SGLang accept `_` for `-`; TRT-LLM uses snake_case only. */
  normalize(key: string): string;
  keys: KeySpec[];
  /** Option names the engine accepts that Deploy Advisor does not interpret (no "unknown key" finding for them). */
  otherOptions: string[];
}

export function keyIndex(table: EngineKeyTable): Map<string, KeySpec> {
  const m = new Map<string, KeySpec>();
  for (const k of table.keys) {
    m.set(table.normalize(k.name), k);
    for (const a of k.aliases ?? []) m.set(table.normalize(a), k);
  }
  return m;
}
