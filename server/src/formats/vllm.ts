/**
 * vLLM `vllm serve --config file.yaml`: top-level keys are CLI flags; `_` and `-` are interchangeable
 * (vllm/utils/argparse_utils.py rewrites `_` to `-`). Integers accept human-readable suffixes (`32k` = 32000, `32K` = 32768).
 */
import { isMap } from 'yaml';
import { EngineKnobs, KeyOccurrence, Sourced, sourced } from '../plan/types';
import { entries } from './document';
import { applyDirective, findDirective } from './directive';
import { modelFrom, OptionEntry, readOptions } from './engineOptions';
import { vllmKeys } from './keys/vllm';
import { loraFrom } from './lora';
import { hostKvFrom } from './offload';
import type { FormatProblem, FormatReader, LocalModel, ReadContext } from './types';
import { optionEntries } from './yamlOptions';
import { planFromOptions } from './planBuilder';
import { mappingWriteBack } from './writeBack';

const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Flags that only vLLM uses (so a YAML with one of them is a vLLM config, not some other tool's). */
const VLLM_ONLY = new Set(['tensor-parallel-size', 'gpu-memory-utilization', 'max-model-len', 'kv-cache-dtype', 'max-num-seqs', 'max-num-batched-tokens', 'enable-prefix-caching', 'enable-chunked-prefill', 'enforce-eager', 'pipeline-parallel-size', 'speculative-config', 'enable-expert-parallel']);

/**
 * vLLM options from any source (YAML file, a Kubernetes args list, Helm values) → knobs, the model, and the engine's
 * own cross-field checks (config/scheduler.py verify_max_model_len, config/parallel.py _validate_parallel_config).
 */
export function vllmOptions(options: OptionEntry[], ctx: ReadContext, opts: { version?: string; fromMapping?: boolean } = {}): { knobs: EngineKnobs; keys: KeyOccurrence[]; model?: Sourced<string>; local?: LocalModel; problems: FormatProblem[] } {
  const res = readOptions(vllmKeys, options, { coerce: true, fromMapping: opts.fromMapping });
  const version = opts.version;
  const problems = res.problems;
  const knobs = res.knobs;
  const v = (k: string) => res.values.get(k);
  const { model, local } = modelFrom(res, 'model', ctx);
  // `--convert embed|classify|reward` adapts the model for a pooling task: with the runner left to `auto` it is served
  // for pooling (as_embedding_model / as_seq_cls_model wrap it for the pooling runner; docs.vllm.ai v0.10.1+ pooling page).
  const convert = v('convert');
  if (!knobs.pooling && convert && /^(embed|classify|reward)$/.test(String(convert.value))) knobs.pooling = sourced(true, { kind: 'file', range: convert.entry.valueRange, key: convert.entry.key });
  const ep = v('enable-expert-parallel');
  if (ep && (ep.value === true || ep.value === 'true' || ep.value === '')) {
    knobs.expertParallel = sourced((knobs.tensorParallel?.value ?? 1) * (knobs.dataParallel?.value ?? 1), { kind: 'file', range: ep.entry.valueRange, key: ep.entry.key });
  }
  // v0.11-era load_config_file drops `key: false` silently (only `--key` for true was emitted).
  if (version && /^0\.(\d|1[01])\./.test(`${version}.`)) {
    for (const { value, entry } of res.values.values()) {
      if (value === false) problems.push({ code: 'false-ignored', severity: 'warning', message: `vLLM ${version} ignores "${entry.key}: false" in a config file; write "no-${entry.key.replace(/_/g, '-')}: true".`, range: entry.keyRange });
    }
  }
  const num = (k: keyof EngineKnobs) => (knobs[k]?.value as number | undefined);
  const at = (k: keyof EngineKnobs) => (knobs[k]?.source.kind === 'file' ? (knobs[k]!.source as { range: typeof top }).range : top);
  const chunked = knobs.enableChunkedPrefill?.value ?? true;
  const mnbt = num('maxNumBatchedTokens');
  const mml = num('maxModelLen');
  const mns = num('maxNumSeqs');
  if (mnbt !== undefined && mml !== undefined && !chunked && mnbt < mml) {
    problems.push({ code: 'vllm-batched-tokens-below-max-len', severity: 'error', refusesStart: true, message: `With chunked prefill off, max-num-batched-tokens (${mnbt}) must be ≥ max-model-len (${mml}); vLLM refuses to start.`, range: at('maxNumBatchedTokens') });
  }
  if (mnbt !== undefined && mns !== undefined && mnbt < mns) {
    problems.push({ code: 'vllm-batched-tokens-below-seqs', severity: 'error', refusesStart: true, message: `max-num-batched-tokens (${mnbt}) must be ≥ max-num-seqs (${mns}); vLLM refuses to start.`, range: at('maxNumBatchedTokens') });
  }
  if (mnbt !== undefined && mns !== undefined && mml !== undefined && mnbt > mns * mml) {
    problems.push({ code: 'vllm-batched-tokens-excess', severity: 'warning', message: `max-num-batched-tokens (${mnbt}) exceeds max-num-seqs × max-model-len (${mns * mml}); the extra budget is never used.`, range: at('maxNumBatchedTokens') });
  }
  const partial = v('max-num-partial-prefills');
  if (partial && Number(partial.value) > 1 && !chunked) {
    problems.push({ code: 'vllm-partial-prefills-need-chunking', severity: 'error', refusesStart: true, message: 'max-num-partial-prefills > 1 requires chunked prefill.', range: partial.entry.valueRange });
  }
  const longPartial = v('max-long-partial-prefills');
  if (longPartial && Number(longPartial.value) > Number(partial?.value ?? 1)) {
    problems.push({ code: 'vllm-long-partial-prefills', severity: 'error', refusesStart: true, message: `max-long-partial-prefills (${longPartial.value}) must be ≤ max-num-partial-prefills (${partial?.value ?? 1}).`, range: longPartial.entry.valueRange });
  }
  const threshold = v('long-prefill-token-threshold');
  if (threshold && mml !== undefined && Number(threshold.value) > mml) {
    problems.push({ code: 'vllm-long-prefill-threshold', severity: 'error', refusesStart: true, message: `long-prefill-token-threshold (${threshold.value}) must be ≤ max-model-len (${mml}).`, range: threshold.entry.valueRange });
  }
  const eplb = v('enable-eplb');
  if (eplb && (eplb.value === true || eplb.value === '') && !knobs.expertParallel) {
    problems.push({ code: 'vllm-eplb-needs-ep', severity: 'error', refusesStart: true, message: 'enable-eplb requires enable-expert-parallel.', range: eplb.entry.keyRange });
  }
  const dcp = v('decode-context-parallel-size');
  if (dcp && Number(dcp.value) > 0 && (knobs.tensorParallel?.value ?? 1) % Number(dcp.value) !== 0) {
    problems.push({ code: 'vllm-dcp-divides-tp', severity: 'error', refusesStart: true, message: `tensor-parallel-size (${knobs.tensorParallel?.value ?? 1}) must be divisible by decode-context-parallel-size (${dcp.value}).`, range: dcp.entry.valueRange });
  }
  const kvt = v('kv-transfer-config');
  if (kvt) {
    let o = kvt.value;
    try {
      if (typeof o === 'string') o = JSON.parse(o);
    } catch {
      problems.push({ code: 'invalid-value', severity: 'error', refusesStart: true, message: 'kv-transfer-config must be JSON.', range: kvt.entry.valueRange });
    }
    if (o && typeof o === 'object' && (o as Record<string, unknown>).kv_connector && !(o as Record<string, unknown>).kv_role) {
      problems.push({ code: 'vllm-kv-role-required', severity: 'error', refusesStart: true, message: 'kv-transfer-config: kv_role (kv_producer, kv_consumer or kv_both) is required when kv_connector is set.', range: kvt.entry.valueRange });
    }
  }
  const lora = loraFrom('vllm', res.values, ctx);
  if (lora) knobs.lora = lora;
  const hostKv = hostKvFrom('vllm', res.values);
  if (hostKv) knobs.hostKvCache = hostKv;
  return { knobs, keys: res.keys, model, local, problems };
}

export const vllmReader: FormatReader = {
  name: 'vllm',
  detect(doc) {
    const root = doc.docs[0]?.contents;
    if (!isMap(root) || doc.docs.length !== 1) return false;
    const all = entries(root);
    const keys = all.map((e) => vllmKeys.normalize(e.key));
    // SGLang configs share some flags but always have model-path / mem-fraction-static / tp-size.
    if (keys.some((k) => k === 'model-path' || k === 'mem-fraction-static' || k === 'tp-size' || k === 'context-length')) return false;
    // A file of `model:` alone, an id or nothing (a config just started, or `vllm serve --config` with every other
    // option default), is vLLM's: no other tool's YAML we know holds nothing but a top-level scalar `model`.
    if (keys.length === 1 && keys[0] === 'model') return all[0].value === null || all[0].value === undefined || typeof all[0].value === 'string';
    return keys.some((k) => VLLM_ONLY.has(k));
  },
  read(doc, ctx: ReadContext) {
    const options = optionEntries(doc, doc.docs[0].contents, vllmKeys);
    const directive = findDirective(doc.text);
    const version = directive?.values.get('engine-version')?.value;
    const o = vllmOptions(options, ctx, { version, fromMapping: true });
    const hasModelKey = entries(doc.docs[0].contents).some((e) => e.key === 'model');
    const { plan, problems } = planFromOptions(undefined, { engine: 'vllm', ...o }, {}, ctx, {
      writeBack: mappingWriteBack(doc, doc.docs[0].contents), engineNote: 'vLLM config file',
      missingModel: hasModelKey
        ? { severity: 'info', message: '`model:` is empty: write a Hugging Face model id (completion lists the built-in catalog) or a local folder holding config.json.' }
        : { severity: 'info', message: 'No `model:` key: the model comes from the `vllm serve <model>` command line. Add `model:` (or a `# deploy-advisor:` line) so Deploy Advisor can estimate.' },
    });
    applyDirective(plan, directive);
    return { format: 'vllm', plans: [plan], problems };
  },
};
