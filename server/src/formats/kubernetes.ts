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
import type { DeploymentPlan, Sourced } from '../plan/types';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { launchWriteBack } from './writeBack';
import { imageFacts } from './imageTag';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Pod', 'Job', 'LeaderWorkerSet', 'InferenceService', 'DaemonSet', 'ReplicaSet']);

type Get = (path: Array<string | number>) => unknown;

function getter(node: unknown): Get {
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

const str = (n: unknown): string | undefined => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);

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

/** GPU type and GPUs per node from a pod spec's node selector, node affinity and instance-type labels. */
export function gpuFromPodSpec(doc: ParsedDocument, podSpec: unknown): { gpu?: Sourced<string>; perNode?: number } {
  const g = getter(podSpec);
  const candidates: Array<[string, Node]> = [];
  for (const e of entries(g(['nodeSelector']))) if (isScalar(e.valueNode)) candidates.push([e.key, e.valueNode as Node]);
  const terms = g(['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']);
  for (const term of isSeq(terms) ? terms.items : []) {
    const exprs = getter(term)(['matchExpressions']);
    for (const ex of isSeq(exprs) ? exprs.items : []) {
      const eg = getter(ex);
      const key = str(eg(['key']));
      const values = eg(['values']);
      if (key && str(eg(['operator'])) === 'In' && isSeq(values) && values.items[0]) candidates.push([key, values.items[0] as Node]);
    }
  }
  for (const [label, node] of candidates) {
    const value = str(node) ?? '';
    const direct = gpuFromLabel(label, value);
    if (direct) return { gpu: sourced(direct, { kind: 'file', range: rangeOf(doc, node), key: label }) };
    const inst = gpuFromInstanceType(label, value);
    if (inst) return { gpu: sourced(inst.gpu, { kind: 'file', range: rangeOf(doc, node), key: label }), perNode: inst.perInstance };
  }
  return {};
}

/** `resources.limits["nvidia.com/gpu"]` (or amd.com/gpu; requests as a fallback). */
function gpuLimit(doc: ParsedDocument, container: unknown): Sourced<number> | undefined {
  const g = getter(container);
  for (const where of ['limits', 'requests']) {
    for (const key of ['nvidia.com/gpu', 'amd.com/gpu']) {
      const n = g(['resources', where, key]);
      const v = Number(str(n));
      if (n && Number.isFinite(v)) return sourced(v, { kind: 'file', range: rangeOf(doc, n as Node), key: `resources.${where}.${key}` });
    }
  }
  return undefined;
}

function containerSpec(doc: ParsedDocument, c: unknown): ContainerSpec {
  const g = getter(c);
  const image = str(g(['image']));
  return { name: str(g(['name'])) ?? 'container', tokens: argv(doc, g(['command']), g(['args'])), env: envEntries(doc, g(['env'])), image, engineHint: image ? engineFromImage(image) : undefined };
}

interface Workload {
  kind: string;
  name: string;
  podSpec: unknown;
  containers: unknown[];
  /** Pods per replica (LeaderWorkerSet group size). */
  podsPerReplica: number;
  replicas?: Sourced<number>;
  kserveModel?: unknown;
}

function workloadOf(doc: ParsedDocument, d: Document): Workload | undefined {
  const g = getter(d.contents);
  const kind = str(g(['kind']));
  if (!kind || !WORKLOAD_KINDS.has(kind) || !str(g(['apiVersion']))) return undefined;
  const name = str(g(['metadata', 'name'])) ?? kind;
  const replicasNode = g(['spec', 'replicas']);
  const replicas = replicasNode && Number.isFinite(Number(str(replicasNode))) ? sourced(Number(str(replicasNode)), { kind: 'file' as const, range: rangeOf(doc, replicasNode as Node), key: 'spec.replicas' }) : undefined;
  const seqItems = (n: unknown) => (isSeq(n) ? n.items : []);
  switch (kind) {
    case 'Pod':
      return { kind, name, podSpec: g(['spec']), containers: seqItems(g(['spec', 'containers'])), podsPerReplica: 1 };
    case 'LeaderWorkerSet': {
      const tmpl = g(['spec', 'leaderWorkerTemplate', 'leaderTemplate', 'spec']) ?? g(['spec', 'leaderWorkerTemplate', 'workerTemplate', 'spec']);
      const size = Number(str(g(['spec', 'leaderWorkerTemplate', 'size']))) || 1;
      return { kind, name, podSpec: tmpl, containers: seqItems(getter(tmpl)(['containers'])), podsPerReplica: size, replicas };
    }
    case 'InferenceService': {
      const model = g(['spec', 'predictor', 'model']);
      const containers = seqItems(g(['spec', 'predictor', 'containers']));
      return { kind, name, podSpec: g(['spec', 'predictor']), containers: model ? [model] : containers, podsPerReplica: 1, kserveModel: model };
    }
    default:
      return { kind, name, podSpec: g(['spec', 'template', 'spec']), containers: seqItems(g(['spec', 'template', 'spec', 'containers'])), podsPerReplica: 1, replicas };
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
    const o = launchOptions(launch, spec.env, ctx);
    const { gpu, perNode } = gpuFromPodSpec(doc, w.podSpec);
    const limit = gpuLimit(doc, c);
    const perPod = limit ?? (perNode ? sourced(perNode, { kind: 'inferred' as const, note: 'GPUs of the instance type' }) : undefined);
    const count = perPod && w.podsPerReplica > 1 ? sourced(perPod.value * w.podsPerReplica, perPod.source) : perPod;
    const hw: HardwareFacts = { gpu, count, replicas: w.replicas };
    return planFromOptions(w.name, o, hw, ctx, { writeBack: launchWriteBack(doc, launch, getter(c)(['env'])), image: imageFacts(doc, getter(c)(['image'])) });
  }
  return { problems: [] };
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
    return { format: 'kubernetes', plans, problems };
  },
};
