/**
 * A log's findings linked to the config that produced it: among the config files beside the log, the one that serves
 * the same model on the same engine; each engine warning gets a related-information link to the key its fix changes
 * (or, when the config leaves that key to the default, to the model line, where the key would go).
 */
import type { Analysis } from '../pipeline';
import type { EngineKnobs, SourceRange } from '../plan/types';
import type { Finding } from '../rules/types';

export interface ConfigCandidate {
  uri: string;
  analysis: Analysis;
}

/** The knob each warning's fix changes first, in the order tried. */
const FIX_KNOBS: Record<string, Array<keyof EngineKnobs>> = {
  'engine-preemption': ['gpuMemoryUtilization', 'kvCacheDtype', 'maxNumSeqs'],
  'engine-kv-cache-full': ['kvCacheDtype', 'gpuMemoryUtilization', 'maxModelLen'],
  'engine-chunked-prefill-off': ['enableChunkedPrefill', 'maxNumBatchedTokens'],
  'measured-differs': ['gpuMemoryUtilization', 'tensorParallel'],
};

const sameModel = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function linkToConfig(log: Analysis, candidates: ConfigCandidate[]): Finding[] {
  const run = log.measured?.run;
  if (!run) return log.findings;
  const model = run.plan.model.ref.value;
  const match = candidates.flatMap((c) => c.analysis.workloads.map((w) => ({ uri: c.uri, plan: w.plan })))
    .find((x) => x.plan.engine.name.value === run.plan.engine.name.value && sameModel(x.plan.model.ref.value, model));
  if (!match) return log.findings;
  const name = match.uri.split('/').pop();
  return log.findings.map((f) => {
    const knobs = FIX_KNOBS[f.rule];
    if (!knobs) return f;
    let range: SourceRange | undefined;
    let key: string | undefined;
    for (const k of knobs) {
      const s = match.plan.knobs[k];
      if (s?.source.kind === 'file') {
        range = s.source.range;
        key = s.source.key;
        break;
      }
    }
    const modelSrc = match.plan.model.ref.source;
    if (!range && modelSrc.kind === 'file') range = modelSrc.range;
    if (!range) return f;
    return { ...f, related: [{ uri: match.uri, range, message: key ? `${key} in ${name}, the config serving ${model}` : `${name} serves ${model}: the fix goes in this file` }] };
  });
}
