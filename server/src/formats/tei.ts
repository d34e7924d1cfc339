/**
 * text-embeddings-inference flags and their environment-variable forms (MAX_BATCH_TOKENS ↔ --max-batch-tokens), read
 * like TGI's: the image's entrypoint is `text-embeddings-router`, so a container often gives only flags or env.
 */
import type { EngineKnobs, KeyOccurrence, Sourced } from '../plan/types';
import { sourced } from '../plan/types';
import { OptionEntry, readOptions } from './engineOptions';
import { teiKeys } from './keys/tei';
import { tgiEnvName } from './tgi';
import type { FormatProblem } from './types';

/** TEI environment variables that are router options (others — HF_TOKEN, CUDA_VISIBLE_DEVICES — are not). */
export function teiEnvOptions(env: OptionEntry[]): OptionEntry[] {
  const names = new Set(teiKeys.keys.map((k) => tgiEnvName(k.name)));
  return env.filter((e) => names.has(e.key)).map((e) => ({ ...e, key: e.key.toLowerCase().replace(/_/g, '-') }));
}

export function teiOptions(options: OptionEntry[]): { knobs: EngineKnobs; keys: KeyOccurrence[]; model?: Sourced<string>; problems: FormatProblem[] } {
  const res = readOptions(teiKeys, options, { coerce: true });
  const m = res.values.get('model-id');
  const model = m && typeof m.value === 'string' ? sourced(m.value, { kind: 'file', range: m.entry.valueRange, key: m.entry.key }) : undefined;
  const knobs = res.knobs;
  // core/src/queue.rs: the batch capacity is max_batch_requests when set, else max_concurrent_requests.
  const cap = res.values.get('max-batch-requests');
  if (cap && /^\d+$/.test(String(cap.value).trim())) knobs.maxNumSeqs = sourced(Number(cap.value), { kind: 'file', range: cap.entry.valueRange, key: cap.entry.key });
  return { knobs, keys: res.keys, model, problems: res.problems };
}
