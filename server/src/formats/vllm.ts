/**
 * vLLM `vllm serve --config file.yaml`: top-level keys are CLI flags; `_` and `-` are interchangeable
 * (vllm/utils/argparse_utils.py rewrites `_` to `-`). Integers accept human-readable suffixes (`32k` = 32000, `32K` = 32768).
 */
import { isMap } from 'yaml';
import { defaultWorkload } from '../plan/defaults';
import { byDefault, DeploymentPlan, EngineKnobs, Sourced, sourced } from '../plan/types';
import { entries, rangeOf } from './document';
import { applyDirective, findDirective } from './directive';
import type { SpeculativeConfig } from '../estimator/speculative';
import type { FormatProblem, FormatReader, LocalModel, ReadContext } from './types';

type KnobKey = keyof EngineKnobs;
type Kind = 'int' | 'float' | 'bool' | 'string';

/** The vLLM flags that change memory or latency, and the plan knob each one sets. */
const FLAGS: Record<string, { knob: KnobKey; kind: Kind }> = {
  'tensor-parallel-size': { knob: 'tensorParallel', kind: 'int' },
  'pipeline-parallel-size': { knob: 'pipelineParallel', kind: 'int' },
  'data-parallel-size': { knob: 'dataParallel', kind: 'int' },
  dtype: { knob: 'dtype', kind: 'string' },
  quantization: { knob: 'quantization', kind: 'string' },
  'kv-cache-dtype': { knob: 'kvCacheDtype', kind: 'string' },
  'max-model-len': { knob: 'maxModelLen', kind: 'int' },
  'max-num-seqs': { knob: 'maxNumSeqs', kind: 'int' },
  'max-num-batched-tokens': { knob: 'maxNumBatchedTokens', kind: 'int' },
  'gpu-memory-utilization': { knob: 'gpuMemoryUtilization', kind: 'float' },
  'enable-prefix-caching': { knob: 'enablePrefixCaching', kind: 'bool' },
  'enable-chunked-prefill': { knob: 'enableChunkedPrefill', kind: 'bool' },
  'enforce-eager': { knob: 'enforceEager', kind: 'bool' },
  'block-size': { knob: 'blockSize', kind: 'int' },
};

export const normalizeFlag = (key: string) => key.trim().replace(/^--/, '').replace(/_/g, '-');

/** vLLM's human_readable_int: `1k` = 1000, `1K` = 1024, `25.6k` = 25600; binary suffixes take integers only. */
export function parseHumanInt(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)\s*$/.exec(v);
  if (!m) return undefined;
  const [, n, suffix] = m;
  if (!suffix) return Number(n);
  const power = 'kmgt'.indexOf(suffix.toLowerCase()) + 1;
  if (suffix === suffix.toUpperCase()) return n.includes('.') ? undefined : Number(n) * 1024 ** power;
  return Math.round(Number(n) * 1000 ** power);
}

const isLocalPath = (ref: string) => /^(\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(ref);

export const vllmReader: FormatReader = {
  name: 'vllm',
  detect(doc) {
    const root = doc.docs[0]?.contents;
    if (!isMap(root) || doc.docs.length !== 1) return false;
    const keys = entries(root).map((e) => normalizeFlag(e.key));
    // Kubernetes objects and CI workflows have none of these flags at top level.
    return keys.some((k) => k in FLAGS && k !== 'quantization');
  },
  read(doc, ctx: ReadContext) {
    const problems: FormatProblem[] = [];
    const knobs: EngineKnobs = {};
    let modelRef: Sourced<string> | undefined;
    let local: LocalModel | undefined;
    for (const e of entries(doc.docs[0].contents)) {
      const flag = normalizeFlag(e.key);
      const src = { kind: 'file' as const, range: rangeOf(doc, e.valueNode ?? e.keyNode), key: e.key };
      if (flag === 'model') {
        modelRef = sourced(String(e.value), src);
        if (isLocalPath(modelRef.value)) local = ctx.loadLocalConfig?.(modelRef.value);
        continue;
      }
      if (flag === 'enable-expert-parallel') continue; // resolved below: EP = TP × DP
      if (flag === 'speculative-config') {
        const spec = speculativeFrom(e.value);
        if (spec) knobs.speculative = sourced(spec, src);
        else problems.push({ code: 'invalid-value', severity: 'error', message: `${e.key}: expected a mapping or JSON object with method and num_speculative_tokens`, range: src.range });
        continue;
      }
      const spec = FLAGS[flag];
      if (!spec) continue;
      const value = coerce(e.value, spec.kind);
      if (value === undefined) {
        problems.push({ code: 'invalid-value', severity: 'error', message: `${e.key}: expected ${spec.kind === 'int' ? 'an integer' : spec.kind === 'float' ? 'a number' : spec.kind === 'bool' ? 'true or false' : 'a string'}, got ${JSON.stringify(e.value)}`, range: src.range });
        continue;
      }
      (knobs as Record<string, Sourced<unknown>>)[spec.knob] = sourced(value, src);
    }
    const ep = entries(doc.docs[0].contents).find((e) => normalizeFlag(e.key) === 'enable-expert-parallel');
    if (ep?.value === true) {
      const size = (knobs.tensorParallel?.value ?? 1) * (knobs.dataParallel?.value ?? 1);
      knobs.expertParallel = sourced(size, { kind: 'file', range: rangeOf(doc, ep.valueNode), key: ep.key });
    }
    if (!modelRef) {
      modelRef = byDefault('Qwen/Qwen3-0.6B', 'no model: key — vLLM takes the model from the command line; its default is Qwen/Qwen3-0.6B');
      problems.push({ code: 'missing-model', severity: 'info', message: 'No `model:` key: the model comes from the `vllm serve <model>` command line. Add `model:` so Deploy Advisor can estimate.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    }
    const plan: DeploymentPlan = {
      name: modelRef.value,
      model: { ref: modelRef, config: local?.config, hfQuantConfig: local?.hfQuantConfig },
      hardware: { gpu: ctx.gpu ?? byDefault('H100-SXM', 'GPU H100 SXM (default; set deployAdvisor.gpu or a deploy-advisor: gpu= comment)'), count: ctx.gpuCount, replicas: byDefault(1, 'one replica') },
      engine: { name: byDefault('vllm', 'vLLM config file') },
      knobs,
      workload: defaultWorkload(),
    };
    applyDirective(plan, findDirective(doc.text));
    return { format: 'vllm', plans: [plan], problems };
  },
};

function coerce(v: unknown, kind: Kind): unknown {
  switch (kind) {
    case 'int': {
      const n = parseHumanInt(v);
      return n !== undefined && Number.isFinite(n) ? n : undefined;
    }
    case 'float':
      return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'string':
      return v === null || v === undefined ? undefined : String(v);
  }
}

/** `speculative-config` as a nested mapping (newer vLLM) or a JSON string (every version). */
export function speculativeFrom(v: unknown): SpeculativeConfig | undefined {
  let obj = v;
  if (typeof v === 'string') {
    try {
      obj = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const o = obj as Record<string, unknown>;
  const model = typeof o.model === 'string' ? o.model : undefined;
  const method = typeof o.method === 'string' ? o.method : model ? (/eagle/i.test(model) ? 'eagle' : 'draft_model') : 'ngram';
  const numTokens = Number(o.num_speculative_tokens ?? 1);
  if (!Number.isFinite(numTokens) || numTokens < 1) return undefined;
  return { method, numTokens };
}
