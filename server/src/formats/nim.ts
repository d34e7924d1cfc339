/**
 * NVIDIA NIM for LLMs: the NIM operator's `NIMService` (apps.nvidia.com/v1alpha1: `spec.image.repository` / `tag`,
 * `spec.env`, `spec.resources`, `spec.replicas`, `spec.nodeSelector`), the nim-llm Helm chart's values (`image`,
 * `env`, `resources`, `replicaCount`, `model.*`; NVIDIA/nim-deploy helm/nim-llm), and a plain Deployment running a
 * `nvcr.io/nim/...` image. A NIM configures its engine through `NIM_*` variables (NIM LLM docs, "Configuring a
 * NIM": NIM_MAX_MODEL_LEN, NIM_TENSOR_PARALLEL_SIZE, NIM_PIPELINE_PARALLEL_SIZE, NIM_MAX_NUM_SEQS,
 * NIM_ENABLE_KV_CACHE_REUSE, NIM_MODEL_PROFILE, NIM_MODEL_NAME) and picks a profile — a vLLM or a TensorRT-LLM
 * engine for a GPU, precision and parallelism — at startup from the GPUs it finds. The engine is read from
 * NIM_MODEL_PROFILE when it names one (`vllm-bf16-tp2`, `tensorrt_llm-h100-fp8-tp2-pp1-latency`); otherwise vLLM is
 * assumed, and a finding says so.
 */
import { Document, isMap, isScalar, isSeq, Node } from 'yaml';
import { sourced } from '../plan/types';
import type { EngineKnobs, EngineName, Sourced, SourceRange } from '../plan/types';
import { ParsedDocument, rangeOf } from './document';
import type { OptionEntry } from './engineOptions';
import { applyDirective, findDirective } from './directive';
import { envEntries, getter, gpuFromPodSpec, gpuLimit, gpuResourceSites, gpuSelectorSites, markSharedDirective, str, workloadOf } from './kubernetes';
import type { LauncherObjects, LauncherRead } from './kubeLaunchers';
import { keyTables, launchOptions } from './launch';
import { planFromOptions } from './planBuilder';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { envWriteBack, stringSites } from './writeBack';
import { nimHelmPod, nimServicePod } from './operatorPods';
import { kubernetesPod } from './podSpec';
import type { PodFacts } from '../plan/pod';

const NIM_IMAGE = /^nvcr\.io\/nim\//;

/**
 * NIM images → the Hugging Face checkpoint each serves (the NGC catalog's model cards for these NIMs name them).
 * Only repositories listed here are read as a model; any other NIM gets a finding instead of a guess.
 */
export const NIM_MODELS: Record<string, string> = {
  'meta/llama-3.1-8b-instruct': 'meta-llama/Llama-3.1-8B-Instruct',
  'meta/llama-3.1-70b-instruct': 'meta-llama/Llama-3.1-70B-Instruct',
  'meta/llama-3.1-405b-instruct': 'meta-llama/Llama-3.1-405B-Instruct',
  'meta/llama3-8b-instruct': 'meta-llama/Meta-Llama-3-8B-Instruct',
  'meta/llama3-70b-instruct': 'meta-llama/Meta-Llama-3-70B-Instruct',
  'meta/llama-3.2-1b-instruct': 'meta-llama/Llama-3.2-1B-Instruct',
  'meta/llama-3.2-3b-instruct': 'meta-llama/Llama-3.2-3B-Instruct',
  'meta/llama-3.3-70b-instruct': 'meta-llama/Llama-3.3-70B-Instruct',
  'mistralai/mistral-7b-instruct-v0.3': 'mistralai/Mistral-7B-Instruct-v0.3',
  'mistralai/mixtral-8x7b-instruct-v01': 'mistralai/Mixtral-8x7B-Instruct-v0.1',
  'deepseek-ai/deepseek-r1': 'deepseek-ai/DeepSeek-R1',
  'nvidia/llama-3.1-nemotron-70b-instruct': 'nvidia/Llama-3.1-Nemotron-70B-Instruct-HF',
};

/** NIM variables → plan knobs. NIM_KV_CACHE_PERCENT is read by neither engine as a plan knob (see below). */
export const NIM_ENV_KNOBS: Partial<Record<keyof EngineKnobs, string>> = {
  maxModelLen: 'NIM_MAX_MODEL_LEN', tensorParallel: 'NIM_TENSOR_PARALLEL_SIZE', pipelineParallel: 'NIM_PIPELINE_PARALLEL_SIZE',
  maxNumSeqs: 'NIM_MAX_NUM_SEQS', enablePrefixCaching: 'NIM_ENABLE_KV_CACHE_REUSE',
};

/** Profile names' GPU part (`tensorrt_llm-h100-fp8-tp2-pp1-latency`) → catalog GPUs. */
const PROFILE_GPUS: Record<string, string> = { h100: 'H100-SXM', h200: 'H200', a100: 'A100-80GB', l40s: 'L40S', a10g: 'A10G', l4: 'L4', b200: 'B200', gh200: 'GH200' };

function profileEngine(profile: string): EngineName | undefined {
  if (/tensorrt[_-]?llm|trt[_-]?llm/i.test(profile)) return 'trtllm';
  if (/vllm/i.test(profile)) return 'vllm';
  if (/sglang/i.test(profile)) return 'sglang';
  return undefined;
}

interface NimSource {
  name: string;
  /** `repository` (or a whole `image:` string) and a separate tag, when split. */
  image: unknown;
  env: unknown;
  /** The object holding `resources:` (the container, the NIMService spec, the chart's values). */
  resources: unknown;
  podSpec: unknown;
  replicas: unknown;
  replicasKey: string;
  /** Pods per replica (a multi-node NIM in a LeaderWorkerSet), each with the GPUs of `resources`. */
  podsPerReplica?: number;
  podsRange?: SourceRange;
  /** The other pod templates' NIM containers (LeaderWorkerSet workers): their GPU entries change with the leader's. */
  others?: unknown[];
  root: unknown;
}

const range0: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function readNim(doc: ParsedDocument, s: NimSource, ctx: ReadContext): LauncherRead {
  const problems: FormatProblem[] = [];
  const image = str(s.image) ?? '';
  const imageRange = isScalar(s.image) ? rangeOf(doc, s.image as Node) : range0;
  const repo = image.replace(NIM_IMAGE, '').replace(/[:@].*$/, '').toLowerCase();
  const env = envEntries(doc, s.env);
  const at = (name: string) => env.find((e) => e.key === name);
  // The model: NIM_MODEL_NAME (the multi-LLM NIM takes hf://org/model), else the image's own model.
  const named = at('NIM_MODEL_NAME');
  const namedId = named && /^hf:\/\/(.+)$/.exec(String(named.value))?.[1];
  const id = namedId ?? NIM_MODELS[repo];
  const model: Sourced<string> | undefined = namedId ? sourced(namedId, { kind: 'file', range: named!.valueRange, key: 'NIM_MODEL_NAME' })
    : id ? sourced(id, { kind: 'file', range: imageRange, key: 'image.repository' }) : undefined;
  const missing = model ? undefined : { severity: 'warning' as const, message: `${s.name}: NIM image ${image} is not in Deploy Advisor's table of NIM models, so its model is unknown (NIM_MODEL_NAME=hf://org/model on the multi-LLM NIM names it).` };
  const profile = at('NIM_MODEL_PROFILE');
  const profileText = String(profile?.value ?? '');
  const engine = profileEngine(profileText) ?? 'vllm';
  if (!profileEngine(profileText)) {
    problems.push({
      code: 'nim-engine-assumed', severity: 'info',
      message: `${s.name}: NIM picks a vLLM or a TensorRT-LLM profile at startup from the GPUs it finds${profile ? ` (NIM_MODEL_PROFILE ${profileText} does not name the engine)` : ''}; estimated as vLLM. Set NIM_MODEL_PROFILE to a named profile (list them with list-model-profiles) to fix the engine.`,
      range: profile ? profile.valueRange : imageRange,
    });
  }
  // NIM variables → the engine's own option names, at the variable's value.
  const table = keyTables[engine];
  const options: OptionEntry[] = [];
  for (const [knob, variable] of Object.entries(NIM_ENV_KNOBS) as Array<[keyof EngineKnobs, string]>) {
    const e = at(variable);
    const key = table.keys.find((k) => k.knob === knob)?.name;
    if (!e || !key) continue;
    const value = knob === 'enablePrefixCaching' ? /^(1|true|yes|on)$/i.test(String(e.value).trim()) : e.value;
    options.push({ key, value, keyRange: e.keyRange, valueRange: e.valueRange });
  }
  const kvPercent = at('NIM_KV_CACHE_PERCENT');
  if (kvPercent) {
    problems.push({ code: 'nim-kv-cache-percent', severity: 'info', message: `${s.name}: NIM_KV_CACHE_PERCENT (${kvPercent.value}) is not modelled: how the selected profile turns it into the engine's memory fraction is not documented for every profile; the engine's default fraction is used.`, range: kvPercent.valueRange });
  }
  const o = launchOptions({ engine, options, launcher: 'nim' }, env, ctx);
  // A named profile states its parallelism (`-tp2-pp1`) where the variables do not. Inferred, not a file value: a fix
  // must not overwrite the profile's name with a number.
  for (const [knob, re] of [['tensorParallel', /(?:^|-)tp(\d+)(?:-|$)/], ['pipelineParallel', /(?:^|-)pp(\d+)(?:-|$)/]] as const) {
    const m = re.exec(profileText);
    if (m && !o.knobs[knob]) o.knobs[knob] = sourced(Number(m[1]), { kind: 'inferred', note: `NIM_MODEL_PROFILE ${profileText}` });
  }
  const selected = gpuFromPodSpec(doc, s.podSpec);
  const profileGpu = /(?:^|-)(h100|h200|a100|l40s|a10g|l4|b200|gh200)(?:-|$)/i.exec(profileText)?.[1]?.toLowerCase();
  const gpu = selected.gpu ?? (profileGpu ? sourced(PROFILE_GPUS[profileGpu], { kind: 'file' as const, range: profile!.valueRange, key: 'NIM_MODEL_PROFILE' }) : undefined);
  const perPod = gpuLimit(doc, s.resources);
  const count = perPod && (s.podsPerReplica ?? 1) > 1 ? sourced(perPod.value * s.podsPerReplica!, perPod.source) : perPod;
  const replicas = isScalar(s.replicas) && Number.isFinite(Number(str(s.replicas))) ? sourced(Number(str(s.replicas)), { kind: 'file' as const, range: rangeOf(doc, s.replicas as Node), key: s.replicasKey }) : undefined;
  const wb = envWriteBack(doc, s.env);
  const r = planFromOptions(s.name, o, { gpu, count, replicas }, ctx, {
    fallbackModel: model,
    // Fixes write NIM variables (NIM_MAX_MODEL_LEN), not engine flags: a NIM has no command line of its own.
    writeBack: wb?.kind === 'env' ? { ...wb, names: NIM_ENV_KNOBS } : undefined,
    engineNote: profileEngine(profileText) ? `${engine} from NIM_MODEL_PROFILE` : 'vllm (assumed: NIM picks its profile at startup)',
    missingModel: missing,
  });
  if (missing) for (const p of r.problems) if (p.code === 'missing-model') p.range = imageRange;
  r.plan.hardwareSites = {
    gpuCount: [s.resources, ...(s.others ?? [])].flatMap((x) => gpuResourceSites(doc, x)),
    podsPerReplica: (s.podsPerReplica ?? 1) > 1 || s.podsRange ? { value: s.podsPerReplica ?? 1, range: s.podsRange } : undefined,
    replicas: replicas?.source.kind === 'file' ? replicas.source.range : undefined,
    gpuSelectors: gpuSelectorSites(doc, [s.podSpec]),
    selectsGpuType: true,
  };
  r.plan.strings = stringSites(doc, s.root, [], s.env);
  return { plans: [r.plan], problems: [...problems, ...r.problems] };
}

const isNimService = (d: Document) => {
  const g = getter(d.contents);
  return str(g(['kind'])) === 'NIMService' && /^apps\.nvidia\.com\//.test(str(g(['apiVersion'])) ?? '');
};

/** The NIM containers of a plain workload (a Deployment running nvcr.io/nim/...). */
function nimContainers(doc: ParsedDocument, d: Document): unknown[] {
  const w = workloadOf(doc, d);
  return w ? w.containers.filter((c) => NIM_IMAGE.test(str(getter(c)(['image'])) ?? '')) : [];
}

export const nimObjects: LauncherObjects = {
  name: 'nim',
  claims(doc, d) {
    return isNimService(d) || nimContainers(doc, d).length > 0;
  },
  read(doc, d, _all, ctx) {
    const g = getter(d.contents);
    const name = str(g(['metadata', 'name'])) ?? 'nim';
    if (isNimService(d)) {
      const img = g(['spec', 'image']);
      const repo = isScalar(img) ? img : g(['spec', 'image', 'repository']);
      return withPod(readNim(doc, { name, image: repo, env: g(['spec', 'env']), resources: g(['spec']), podSpec: g(['spec']), replicas: g(['spec', 'replicas']), replicasKey: 'spec.replicas', root: d.contents }, ctx), nimServicePod(doc, g(['spec'])));
    }
    const w = workloadOf(doc, d)!;
    const c = nimContainers(doc, d)[0];
    const cg = getter(c);
    // A workload running the NIM image is a pod of the file's own: checked as any Kubernetes pod.
    const others = (w.otherPodSpecs ?? []).flatMap((spec) => { const cs = getter(spec)(['containers']); const first = isSeq(cs) ? cs.items[0] : undefined; return kubernetesPod(doc, spec, first) ?? []; });
    const pod = kubernetesPod(doc, w.podSpec, c);
    return withPod(readNim(doc, { name, image: cg(['image']), env: cg(['env']), resources: c, podSpec: w.podSpec, replicas: g(['spec', 'replicas']), replicasKey: 'spec.replicas', podsPerReplica: w.podsPerReplica, podsRange: w.sizeRange, others: (w.otherPodSpecs ?? []).flatMap((spec) => { const cs = getter(spec)(['containers']); return isSeq(cs) ? cs.items : []; }), root: d.contents }, ctx), pod && (others.length ? { ...pod, alsoPods: others } : pod));
  },
};

function withPod(r: LauncherRead, pod: PodFacts | undefined): LauncherRead {
  if (pod) for (const p of r.plans) p.pod = pod;
  return r;
}

/** The nim-llm chart's values: `image.repository` names a NIM, at the top of a values file. */
const nimValues = (doc: ParsedDocument) => {
  const root = doc.docs[0]?.contents;
  return doc.docs.length === 1 && isMap(root) && !getter(root)(['apiVersion']) && NIM_IMAGE.test(str(getter(root)(['image', 'repository'])) ?? '');
};

export const nimHelmReader: FormatReader = {
  name: 'helm',
  detect: nimValues,
  read(doc, ctx) {
    const root = doc.docs[0].contents;
    const g = getter(root);
    const name = str(g(['model', 'name'])) ?? str(g(['nameOverride'])) ?? 'nim-llm';
    const r = withPod(readNim(doc, { name, image: g(['image', 'repository']), env: g(['env']), resources: root, podSpec: root, replicas: g(['replicaCount']), replicasKey: 'replicaCount', root }, ctx), nimHelmPod(doc, root));
    const directive = findDirective(doc.text);
    for (const p of r.plans) applyDirective(p, directive);
    markSharedDirective(r.plans);
    return { format: 'helm', plans: r.plans, problems: r.problems };
  },
};
