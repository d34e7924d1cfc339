/** TGI launcher flags and their environment-variable forms (MAX_TOTAL_TOKENS ↔ --max-total-tokens). */
import type { EngineKnobs, KeyOccurrence, Sourced } from '../plan/types';
import { sourced } from '../plan/types';
import { OptionEntry, readOptions } from './engineOptions';
import { tgiKeys } from './keys/tgi';
import { loraFrom } from './lora';
import type { FormatProblem, ReadContext } from './types';

/** The environment variable TGI reads for a launcher flag: --max-total-tokens → MAX_TOTAL_TOKENS. */
export const tgiEnvName = (flag: string): string => flag.replace(/-/g, '_').toUpperCase();

/** TGI environment variables that are launcher options (others — HF_TOKEN, CUDA_VISIBLE_DEVICES — are not). */
export function tgiEnvOptions(env: OptionEntry[]): OptionEntry[] {
  const names = new Set(tgiKeys.keys.flatMap((k) => [k.name, ...(k.aliases ?? [])]).map(tgiEnvName));
  names.add('MAX_INPUT_LENGTH');
  return env.filter((e) => names.has(e.key)).map((e) => ({ ...e, key: e.key.toLowerCase().replace(/_/g, '-') }));
}

export function tgiOptions(options: OptionEntry[], ctx: ReadContext = {}): { knobs: EngineKnobs; keys: KeyOccurrence[]; model?: Sourced<string>; problems: FormatProblem[] } {
  const res = readOptions(tgiKeys, options, { coerce: true });
  const lora = loraFrom('tgi', res.values, ctx);
  if (lora) res.knobs.lora = lora;
  const m = res.values.get('model-id');
  const model = m && typeof m.value === 'string' ? sourced(m.value, { kind: 'file', range: m.entry.valueRange, key: m.entry.key }) : undefined;
  return { knobs: res.knobs, keys: res.keys, model, problems: res.problems };
}
