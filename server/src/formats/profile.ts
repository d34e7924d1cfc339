/**
 * Deploy Advisor's own deployment profile (`*.deploy.yaml`): model, hardware, engine options, workload and SLO.
 * schemas/profile.schema.json is its single source of truth; ajv errors land on the offending YAML node. A profile
 * beside another config file supplies the hardware, workload and SLO that file cannot state (`profileOverlay`).
 */
import { Document, isMap, Node } from 'yaml';
import { profile as validate } from '../schemas/validators.generated';
import { defaultWorkload } from '../plan/defaults';
import { benchmarkPresets, benchmarkStatistics, BenchmarkClient, BenchmarkPreset, BenchmarkStatistic, byDefault, DeploymentPlan, EngineName, Provenance, Slo, Sourced, sourced, Workload } from '../plan/types';
import { applyDirective, findDirective } from './directive';
import { entries, ParsedDocument, rangeOf } from './document';
import { OptionEntry } from './engineOptions';
import { keyTables, launchOptions } from './launch';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { optionEntries } from './yamlOptions';
import { mappingWriteBack } from './writeBack';

/** The YAML node at an ajv instancePath (`/hardware/count`), for exact ranges. */
export function nodeAt(d: Document, instancePath: string): Node | undefined {
  const path = instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
  const n = d.getIn(path, true) as Node | undefined;
  return n ?? (path.length ? nodeAt(d, `/${path.slice(0, -1).join('/')}`) : undefined);
}

export function schemaProblems(doc: ParsedDocument, d: Document, errors: typeof validate.errors, label = 'profile'): FormatProblem[] {
  // oneOf / if wrappers restate the errors of the branch that applied: report those alone.
  return (errors ?? []).filter((e) => e.keyword !== 'if' && (e.keyword !== 'oneOf' || !errors!.some((o) => o !== e && o.instancePath === e.instancePath))).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
    let node = nodeAt(d, e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const parent = nodeAt(d, e.instancePath);
      const pair = isMap(parent) ? parent.items.find((p) => (p.key as { value?: unknown })?.value === key) : undefined;
      node = (pair?.key as Node) ?? node;
    }
    return { code: 'schema', severity: 'error' as const, message: `${e.instancePath || label} ${e.message}${extra}`, range: rangeOf(doc, node) };
  });
}

type Src = (path: string) => Provenance;

/** Paths the schema rejected: their values are not used. */
let rejected = new Set<string>();

function num(d: Document, src: Src, path: string): Sourced<number> | undefined {
  const v = d.getIn(path.split('/').slice(1));
  return typeof v === 'number' && !rejected.has(path) ? sourced(v, src(path)) : undefined;
}

/** Hardware, workload and SLO of a profile (what another config file can borrow). */
function overlay(d: Document, src: Src): { hardware: Partial<DeploymentPlan['hardware']>; workload: Partial<Workload>; slo: Slo } {
  const gpu = d.getIn(['hardware', 'gpu']);
  const concurrency = d.getIn(['workload', 'concurrency']);
  return {
    hardware: {
      gpu: typeof gpu === 'string' ? sourced(gpu, src('/hardware/gpu')) : undefined,
      count: num(d, src, '/hardware/count'),
      replicas: num(d, src, '/hardware/replicas'),
      nodes: num(d, src, '/hardware/nodes'),
      pricePerHour: num(d, src, '/hardware/pricePerHour'),
    },
    workload: {
      inputLen: num(d, src, '/workload/inputLen'),
      outputLen: num(d, src, '/workload/outputLen'),
      concurrency: concurrency === 'max' ? sourced('max' as const, src('/workload/concurrency')) : num(d, src, '/workload/concurrency'),
      requestRate: num(d, src, '/workload/requestRate'),
      prefixHitRate: num(d, src, '/workload/prefixShare'),
      client: clientOf(d, src),
    },
    slo: { ttftMs: num(d, src, '/slo/ttftMs'), tpotMs: num(d, src, '/slo/tpotMs'), minThroughput: num(d, src, '/slo/minThroughput') },
  };
}

/** `workload.client:` as a preset name or its settings; values the schema rejected are left out (their defaults apply). */
function clientOf(d: Document, src: Src): Sourced<BenchmarkClient> | undefined {
  const v = d.getIn(['workload', 'client']);
  if (v === undefined) return undefined;
  // A map's own path is rejected for an unknown key alone (reported); its known keys are checked one by one below.
  if (typeof v === 'string') return !rejected.has('/workload/client') && benchmarkPresets.includes(v as BenchmarkPreset) ? sourced({ kind: 'closed-loop', preset: v as BenchmarkPreset }, src('/workload/client')) : undefined;
  if (!isMap(d.getIn(['workload', 'client'], true))) return undefined;
  const str = (key: string) => {
    const x = d.getIn(['workload', 'client', key]);
    return typeof x === 'string' && !rejected.has(`/workload/client/${key}`) ? x : undefined;
  };
  const preset = str('preset');
  const statistic = str('statistic');
  const firstWave = str('firstWave');
  const client: BenchmarkClient = {
    kind: 'closed-loop',
    preset: benchmarkPresets.includes(preset as BenchmarkPreset) ? (preset as BenchmarkPreset) : undefined,
    requests: num(d, src, '/workload/client/requests')?.value,
    warmup: num(d, src, '/workload/client/warmup')?.value,
    lengthSpread: num(d, src, '/workload/client/lengthSpread')?.value,
    statistic: benchmarkStatistics.includes(statistic as BenchmarkStatistic) ? (statistic as BenchmarkStatistic) : undefined,
    firstWave: firstWave === 'together' || firstWave === 'staggered' ? firstWave : undefined,
  };
  return sourced(client, src('/workload/client'));
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Applies a side profile's hardware, workload and SLO to a plan read from another file (the file's own values win). */
export function applyOverlay(plan: DeploymentPlan, o: ReturnType<typeof overlay>): void {
  const fromFile = (s?: Sourced<unknown>) => s?.source.kind === 'file';
  const hw = defined(o.hardware);
  if (hw.gpu && !fromFile(plan.hardware.gpu)) plan.hardware.gpu = hw.gpu;
  if (hw.count && !fromFile(plan.hardware.count)) plan.hardware.count = hw.count;
  if (hw.replicas && !fromFile(plan.hardware.replicas)) plan.hardware.replicas = hw.replicas;
  if (hw.nodes) plan.hardware.nodes = hw.nodes;
  if (hw.pricePerHour) plan.hardware.pricePerHour = hw.pricePerHour;
  plan.workload = { ...plan.workload, ...defined(o.workload) };
  plan.slo = { ...plan.slo, ...defined(o.slo) };
}

/** Parses a side profile's text for `applyOverlay` (problems are reported when the profile itself is opened). */
export function readOverlay(doc: ParsedDocument): ReturnType<typeof overlay> | undefined {
  const d = doc.docs[0];
  if (!d || !isMap(d.contents)) return undefined;
  const file = decodeURIComponent(doc.uri.split('/').pop() ?? 'profile');
  rejected = validate(d.toJSON()) ? new Set() : new Set((validate.errors ?? []).map((e) => e.instancePath));
  return overlay(d, (p) => ({ kind: 'profile', file, key: p.slice(1).replace(/\//g, '.') }));
}

export const profileReader: FormatReader = {
  name: 'profile',
  detect(doc) {
    const root = doc.docs[0]?.contents;
    if (!isMap(root) || doc.docs.length !== 1) return false;
    const keys = new Set(entries(root).map((e) => e.key));
    return /\.deploy\.ya?ml$/i.test(doc.uri) || (keys.has('model') && (keys.has('workload') || keys.has('slo') || (keys.has('hardware') && keys.has('engine'))));
  },
  read(doc, ctx: ReadContext) {
    const d = doc.docs[0];
    const problems: FormatProblem[] = [];
    const data = d.toJSON() as Record<string, unknown>;
    rejected = new Set();
    if (!validate(data)) {
      problems.push(...schemaProblems(doc, d, validate.errors));
      rejected = new Set((validate.errors ?? []).map((e) => e.instancePath));
    }
    const src: Src = (path) => ({ kind: 'file', range: rangeOf(doc, nodeAt(d, path)), key: path.slice(1).replace(/\//g, '.') });
    const engineName = (typeof d.getIn(['engine', 'name']) === 'string' ? d.getIn(['engine', 'name']) : 'vllm') as EngineName;
    const engine = keyTables[engineName] ? engineName : 'vllm';
    const optionsNode = d.getIn(['engine', 'options'], true);
    const options: OptionEntry[] = isMap(optionsNode) ? optionEntries(doc, optionsNode, keyTables[engine]) : [];
    const modelValue = d.getIn(['model']);
    if (typeof modelValue === 'string') {
      const modelNode = nodeAt(d, '/model');
      options.unshift({ key: engine === 'sglang' ? 'model-path' : engine === 'tgi' || engine === 'tei' ? 'model-id' : 'model', value: modelValue, keyRange: rangeOf(doc, modelNode), valueRange: rangeOf(doc, modelNode) });
    }
    const o = launchOptions({ engine, options, launcher: '' }, [], ctx);
    problems.push(...o.problems);
    const ov = overlay(d, src);
    const name = typeof d.getIn(['name']) === 'string' ? String(d.getIn(['name'])) : o.model?.value ?? 'profile';
    const version = d.getIn(['engine', 'version']);
    const plan: DeploymentPlan = {
      name,
      model: { ref: o.model ?? byDefault('(no model)', 'profile without model:'), config: o.local?.config, hfQuantConfig: o.local?.hfQuantConfig },
      hardware: { gpu: ctx.gpu ?? byDefault('H100-SXM', 'GPU H100 SXM (default)'), count: ctx.gpuCount, replicas: byDefault(1, 'one replica') },
      engine: { name: d.getIn(['engine', 'name']) ? sourced(engine, src('/engine/name')) : byDefault('vllm', 'engine vLLM (default)'), version: typeof version === 'string' ? sourced(version, src('/engine/version')) : undefined },
      knobs: o.knobs,
      keys: o.keys,
      workload: defaultWorkload(),
    };
    if (!o.model) problems.push({ code: 'missing-model', severity: 'error', message: 'A profile needs `model:` (a Hugging Face id or a local folder).', range: rangeOf(doc, d.contents as Node) });
    plan.writeBack = mappingWriteBack(doc, optionsNode, { snake: engine === 'trtllm', nestedKeys: ['kv_cache_config'] });
    applyOverlay(plan, ov);
    applyDirective(plan, findDirective(doc.text));
    return { format: 'profile', plans: [plan], problems };
  },
};
