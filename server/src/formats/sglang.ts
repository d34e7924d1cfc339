/** SGLang `python -m sglang.launch_server --config file.yaml` (keys are the long flag names). */
import { isMap } from 'yaml';
import { EngineKnobs, KeyOccurrence, Sourced, sourced } from '../plan/types';
import { entries } from './document';
import { applyDirective, findDirective } from './directive';
import { modelFrom, OptionEntry, readOptions } from './engineOptions';
import { sglangKeys } from './keys/sglang';
import { loraFrom } from './lora';
import { hostKvFrom } from './offload';
import { sglangSpeculative } from './speculative';
import type { FormatProblem, FormatReader, LocalModel, ReadContext } from './types';
import { optionEntries } from './yamlOptions';
import { planFromOptions } from './planBuilder';
import { mappingWriteBack } from './writeBack';

export function sglangOptions(options: OptionEntry[], ctx: ReadContext, fromMapping = false): { knobs: EngineKnobs; keys: KeyOccurrence[]; model?: Sourced<string>; local?: LocalModel; problems: FormatProblem[] } {
  const res = readOptions(sglangKeys, options, { coerce: true, fromMapping });
  const knobs = res.knobs;
  const v = (k: string) => res.values.get(k);
  const { model, local } = modelFrom(res, 'model-path', ctx);
  const chunk = knobs.maxNumBatchedTokens;
  if (chunk && chunk.value === -1) {
    delete knobs.maxNumBatchedTokens;
    knobs.enableChunkedPrefill = sourced(false, chunk.source);
  }
  const radix = v('disable-radix-cache');
  if (radix && (radix.value === true || radix.value === 'true')) knobs.enablePrefixCaching = sourced(false, { kind: 'file', range: radix.entry.valueRange, key: radix.entry.key });
  const algo = v('speculative-algorithm');
  if (algo) {
    const spec = sglangSpeculative(algo.value, v('speculative-num-draft-tokens')?.value, v('speculative-num-steps')?.value, v('speculative-draft-model-path')?.value);
    if (spec) knobs.speculative = sourced(spec, { kind: 'file', range: algo.entry.valueRange, key: algo.entry.key });
  }
  const lora = loraFrom('sglang', res.values, ctx);
  if (lora) knobs.lora = lora;
  const hostKv = hostKvFrom('sglang', res.values);
  if (hostKv) knobs.hostKvCache = hostKv;
  return { knobs, keys: res.keys, model, local, problems: res.problems };
}

export const sglangReader: FormatReader = {
  name: 'sglang',
  detect(doc) {
    const root = doc.docs[0]?.contents;
    if (!isMap(root) || doc.docs.length !== 1) return false;
    const keys = new Set(entries(root).map((e) => sglangKeys.normalize(e.key)));
    return keys.has('model-path') || keys.has('mem-fraction-static') || keys.has('tp-size') || (keys.has('context-length') && !keys.has('apiVersion'));
  },
  read(doc, ctx) {
    const o = sglangOptions(optionEntries(doc, doc.docs[0].contents, sglangKeys), ctx, true);
    const { plan, problems } = planFromOptions(undefined, { engine: 'sglang', ...o }, {}, ctx, {
      writeBack: mappingWriteBack(doc, doc.docs[0].contents), engineNote: 'SGLang config file',
      missingModel: { severity: 'info', message: 'No `model-path:` key: add it (or a `# deploy-advisor:` line) so Deploy Advisor can estimate.' },
    });
    applyDirective(plan, findDirective(doc.text));
    return { format: 'sglang', plans: [plan], problems };
  },
};
