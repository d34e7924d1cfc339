/**
 * Kubernetes workloads that run a serving engine: Deployment, StatefulSet, Pod, Job, LeaderWorkerSet (multi-node
 * groups) and KServe InferenceService. One plan per workload; other objects in a multi-document file are ignored.
 */
import { Document, isMap, isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { applyDirective, findDirective } from './directive';
import { entries, ParsedDocument, rangeOf } from './document';
import type { OptionEntry } from './engineOptions';
import { gpuFromInstanceType, gpuFromLabel } from './gpuLabels';
import { ContainerSpec, containerLaunch, launchOptions } from './launch';
import { HardwareFacts, planFromOptions } from './planBuilder';
import { argv, engineFromImage } from './commandLine';
import { sourced } from '../plan/types';
import type { DeploymentPlan, HardwareSites, SourceRange, Sourced } from '../plan/types';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { launchWriteBack, stringSites } from './writeBack';
import { imageFacts } from './imageTag';
import { withExtraOptions } from './trtllmExtraOptions';
import { kubernetesPod } from './podSpec';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Pod', 'Job', 'LeaderWorkerSet', 'InferenceService', 'DaemonSet', 'ReplicaSet']);

type Get = (path: Array<string | number>) => unknown;

export function getter(node: unknown): Get {
  return (path) => {
    let n: unknown = node;
    for (const p of path) {
      if (typeof p === 'number') n = isSeq(n) ? n.items[p] : undefined;
      else n = isMap(n) ? (n as YAMLMap).get(p, true) : undefined;
      if (n === undefined) return undefined;
    }
    return n;
  };
}

export const str = (n: unknown): string | undefined => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);

/** `env: [{name, value}]` → options with the value's range. */
export function envEntries(doc: ParsedDocument, env: unknown): OptionEntry[] {
  if (isSeq(env)) {
    return env.items.flatMap((item) => {
      const g = getter(item);
      const name = str(g(['name']));
      const value = g(['value']);
      return name && isScalar(value) ? [{ key: name, value: String(value.value), keyRange: rangeOf(doc, g(['name']) as Node), valueRange: rangeOf(doc, value as Node) }] : [];
    });
  }
  // compose-style mapping or list of "K=V"
  if (isMap(env)) return entries(env).map((e) => ({ key: e.key, value: e.value === null ? '' : String(e.value), keyRange: rangeOf(doc, e.keyNode), valueRange: rangeOf(doc, (e.valueNode ?? e.keyNode) as Node) }));
  return [];
}

/** Node-selector and required node-affinity `In` values of a pod spec, each with its label. */
function selectorCandidates(podSpec: unknown): Array<{ label: string; node: Node; alternatives: number }> {
  const g = getter(podSpec);
  const out: Array<{ label: string; node: Node; alternatives: number }> = [];
  for (const e of entries(g(['nodeSelector']))) if (isScalar(e.valueNode)) out.push({ label: e.key, node: e.valueNode as Node, alternatives: 0 });
  const terms = g(['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']);
  for (const term of isSeq(terms) ? terms.items : []) {
    const exprs = getter(term)(['matchExpressions']);
    for (const ex of isSeq(exprs) ? exprs.items : []) {
      const eg = getter(ex);
      const key = str(eg(['key']));
      const values = eg(['values']);
      if (key && str(eg(['operator'])) === 'In' && isSeq(values) && values.items[0]) out.push({ label: key, node: values.items[0] as Node, alternatives: values.items.length - 1 });
    }
  }
  return out;
}

/** The selectors that name a GPU or an instance type with GPUs: where an edit moves the pods to another GPU. */
export function gpuSelectorSites(doc: ParsedDocument, podSpecs: unknown[]): HardwareSites['gpuSelectors'] {
  return podSpecs.flatMap((spec) => selectorCandidates(spec))
    .filter((c) => gpuFromLabel(c.label, str(c.node) ?? '') || gpuFromInstanceType(c.label, str(c.node) ?? ''))
    .map((c) => ({ label: c.label, value: str(c.node) ?? '', range: rangeOf(doc, c.node), alternatives: c.alternatives }));
}

/** GPU type and GPUs per node from a pod spec's node selector, node affinity and instance-type labels. */
export function gpuFromPodSpec(doc: ParsedDocument, podSpec: unknown): { gpu?: Sourced<string>; perNode?: number } {
  for (const { label, node } of selectorCandidates(podSpec)) {
    const value = str(node) ?? '';
    const direct = gpuFromLabel(label, value);
    if (direct) return { gpu: sourced(direct, { kind: 'file', range: rangeOf(doc, node), key: label }) };
    const inst = gpuFromInstanceType(label, value);
    if (inst) return { gpu: sourced(inst.gpu, { kind: 'file', range: rangeOf(doc, node), key: label }), perNode: inst.perInstance };
  }
  return {};
}

const GPU_RESOURCES = ['nvidia.com/gpu', 'amd.com/gpu'];

/** `resources.limits["nvidia.com/gpu"]` (or amd.com/gpu; requests as a fallback). */
export function gpuLimit(doc: ParsedDocument, container: unknown): Sourced<number> | undefined {
  const g = getter(container);
  for (const where of ['limits', 'requests']) {
    for (const key of GPU_RESOURCES) {
      const n = g(['resources', where, key]);
      const v = Number(str(n));
      if (n && Number.isFinite(v)) return sourced(v, { kind: 'file', range: rangeOf(doc, n as Node), key: `resources.${where}.${key}` });
    }
  }
  return undefined;
}

/** Every GPU entry of a container's limits and requests (both state the count, and must agree). */
export function gpuResourceSites(doc: ParsedDocument, container: unknown): HardwareSites['gpuCount'] {
  const g = getter(container);
  return ['limits', 'requests'].flatMap((where) => GPU_RESOURCES.map((key) => g(['resources', where, key])))
    .filter((n) => isScalar(n) && Number.isFinite(Number(str(n))))
    .map((n) => ({ range: rangeOf(doc, n as Node), form: 'number' as const }));
}

function containerSpec(doc: ParsedDocument, c: unknown): ContainerSpec {
  const g = getter(c);
  const image = str(g(['image']));
  return { name: str(g(['name'])) ?? 'container', tokens: argv(doc, g(['command']), g(['args'])), env: envEntries(doc, g(['env'])), image, engineHint: image ? engineFromImage(image) : undefined };
}

export interface Workload {
  kind: string;
  name: string;
  podSpec: unknown;
  containers: unknown[];
  /** Pods per replica (LeaderWorkerSet group size) and where the file states it. */
  podsPerReplica: number;
  sizeRange?: SourceRange;
  replicas?: Sourced<number>;
  kserveModel?: unknown;
  /** The other pod templates of a group (LeaderWorkerSet workers): their GPUs and selectors change with the leader's. */
  otherPodSpecs?: unknown[];
  /** The document, for the file's quote style. */
  root: unknown;
}

const seqItems = (n: unknown) => (isSeq(n) ? n.items : []);

export function workloadOf(doc: ParsedDocument, d: Document): Workload | undefined {
  const g = getter(d.contents);
  const kind = str(g(['kind']));
  if (!kind || !WORKLOAD_KINDS.has(kind) || !str(g(['apiVersion']))) return undefined;
  const name = str(g(['metadata', 'name'])) ?? kind;
  const replicasNode = g(['spec', 'replicas']);
  const replicas = replicasNode && Number.isFinite(Number(str(replicasNode))) ? sourced(Number(str(replicasNode)), { kind: 'file' as const, range: rangeOf(doc, replicasNode as Node), key: 'spec.replicas' }) : undefined;
  switch (kind) {
    case 'Pod':
      return { kind, name, podSpec: g(['spec']), containers: seqItems(g(['spec', 'containers'])), podsPerReplica: 1, root: d.contents };
    case 'LeaderWorkerSet': {
      const leader = g(['spec', 'leaderWorkerTemplate', 'leaderTemplate', 'spec']);
      const worker = g(['spec', 'leaderWorkerTemplate', 'workerTemplate', 'spec']);
      const tmpl = leader ?? worker;
      const sizeNode = g(['spec', 'leaderWorkerTemplate', 'size']);
      const size = Number(str(sizeNode)) || 1;
      return {
        kind, name, podSpec: tmpl, containers: seqItems(getter(tmpl)(['containers'])), podsPerReplica: size, replicas, root: d.contents,
        sizeRange: isScalar(sizeNode) ? rangeOf(doc, sizeNode as Node) : undefined, otherPodSpecs: leader && worker ? [worker] : [],
      };
    }
    case 'InferenceService': {
      const model = g(['spec', 'predictor', 'model']);
      const containers = seqItems(g(['spec', 'predictor', 'containers']));
      return { kind, name, podSpec: g(['spec', 'predictor']), containers: model ? [model] : containers, podsPerReplica: 1, kserveModel: model, root: d.contents };
    }
    default:
      return { kind, name, podSpec: g(['spec', 'template', 'spec']), containers: seqItems(g(['spec', 'template', 'spec', 'containers'])), podsPerReplica: 1, replicas, root: d.contents };
  }
}

function readWorkload(doc: ParsedDocument, w: Workload, ctx: ReadContext): { plan?: DeploymentPlan; problems: FormatProblem[] } {
  for (const c of w.containers) {
    const spec = containerSpec(doc, c);
    if (w.kserveModel) spec.engineHint = 'vllm'; // KServe's Hugging Face runtime serves generative models with vLLM
    const launch = containerLaunch(spec);
    if (!launch) continue;
    if (w.kserveModel) {
      // --model_id (KServe spelling) or storageUri hf://org/model name the model.
      const id = launch.options.find((o) => /^-*model[_-]id$/.test(o.key));
      const uri = getter(w.kserveModel)(['storageUri']);
      if (id) launch.model = { text: String(id.value), range: id.valueRange };
      else if (str(uri)?.startsWith('hf://')) launch.model = { text: str(uri)!.slice(5), range: rangeOf(doc, uri as Node) };
      launch.options = launch.options.filter((o) => !/^-*(model[_-]id|model[_-]name|backend|model[_-]dir)$/.test(o.key));
    }
    const launched = launchOptions(launch, spec.env, ctx);
    // trtllm-serve's --extra_llm_api_options file, when a ConfigMap of this manifest holds it.
    const extra = launch.engine === 'trtllm' ? withExtraOptions(doc, w.podSpec, c, launch, launched, ctx) : undefined;
    const o = extra?.options ?? launched;
    const { gpu, perNode } = gpuFromPodSpec(doc, w.podSpec);
    const limit = gpuLimit(doc, c);
    const perPod = limit ?? (perNode ? sourced(perNode, { kind: 'inferred' as const, note: 'GPUs of the instance type' }) : undefined);
    const count = perPod && w.podsPerReplica > 1 ? sourced(perPod.value * w.podsPerReplica, perPod.source) : perPod;
    const hw: HardwareFacts = { gpu, count, replicas: w.replicas };
    const r = planFromOptions(w.name, o, hw, ctx, { writeBack: extra?.writeBack ?? launchWriteBack(doc, launch, getter(c)(['env'])), image: imageFacts(doc, getter(c)(['image'])) });
    const others = (w.otherPodSpecs ?? []).flatMap((spec) => seqItems(getter(spec)(['containers'])));
    r.plan.hardwareSites = {
      gpuCount: [c, ...others].flatMap((x) => gpuResourceSites(doc, x)),
      podsPerReplica: w.podsPerReplica > 1 || w.sizeRange ? { value: w.podsPerReplica, range: w.sizeRange } : undefined,
      replicas: w.replicas?.source.kind === 'file' ? w.replicas.source.range : undefined,
      gpuSelectors: gpuSelectorSites(doc, [w.podSpec, ...(w.otherPodSpecs ?? [])]),
      selectsGpuType: true,
    };
    r.plan.strings = stringSites(doc, w.root, spec.tokens, getter(c)(['env']));
    const pod = kubernetesPod(doc, w.podSpec, c);
    const alsoPods = (w.otherPodSpecs ?? []).flatMap((s) => kubernetesPod(doc, s, seqItems(getter(s)(['containers']))[0]) ?? []);
    if (pod) r.plan.pod = alsoPods.length ? { ...pod, alsoPods } : pod;
    return r;
  }
  return { problems: [] };
}

/** Several workloads in one file read one directive comment (formats/directive.ts). */
export function markSharedDirective(plans: DeploymentPlan[]): void {
  if (plans.length > 1) for (const p of plans) if (p.hardwareSites) p.hardwareSites.directiveShared = true;
}

export const kubernetesReader: FormatReader = {
  name: 'kubernetes',
  detect(doc) {
    return doc.docs.some((d) => {
      const w = workloadOf(doc, d);
      return !!w && w.containers.some((c) => !!containerLaunch(containerSpec(doc, c)) || !!w.kserveModel);
    });
  },
  read(doc, ctx) {
    const plans: DeploymentPlan[] = [];
    const problems: FormatProblem[] = [];
    const directive = findDirective(doc.text);
    for (const d of doc.docs) {
      const w = workloadOf(doc, d);
      if (!w) continue;
      const r = readWorkload(doc, w, ctx);
      problems.push(...r.problems);
      if (r.plan) {
        applyDirective(r.plan, directive);
        plans.push(r.plan);
      }
    }
    markSharedDirective(plans);
    return { format: 'kubernetes', plans, problems };
  },
};
