/**
 * KServe: a `ServingRuntime` / `ClusterServingRuntime` and the `InferenceService`s that run on it, read as the pod
 * KServe builds from the pair. The service's `spec.predictor.model` is merged into the runtime's `kserve-container`
 * as pkg/utils/utils.go MergeRuntimeContainers does (kserve/kserve v0.14): a strategic merge patch of the predictor's
 * container over the runtime's (env merged by name, resources key by key, the predictor's command replacing), then
 * `Args = runtime.Args ++ predictor.Args` (concatenated, not replaced). `{{.Name}}`-style placeholders in the args are
 * the service's metadata (pkg/controller/v1beta1/inferenceservice/components/predictor.go replacePlaceholders).
 * A runtime is the one `model.runtime` names, else the one whose `supportedModelFormats` has the model format with
 * `autoSelect: true` and the highest `priority` (pkg/apis/serving/v1beta1/predictor_model.go GetSupportingRuntimes:
 * format names compared case-insensitively; namespaced runtimes before cluster ones).
 * A service whose runtime is not in the file is read as today (kubernetes.ts: KServe's Hugging Face runtime, vLLM
 * backend) with that assumption stated.
 */
import { Document, isMap, isSeq, Node } from 'yaml';
import { sourced } from '../plan/types';
import type { Sourced } from '../plan/types';
import { argv, engineFromImage, Token, tokensOf } from './commandLine';
import { ParsedDocument, rangeOf } from './document';
import type { OptionEntry } from './engineOptions';
import { imageFacts } from './imageTag';
import { envEntries, getter, gpuFromPodSpec, gpuLimit, gpuResourceSites, gpuSelectorSites, kubernetesReader, str } from './kubernetes';
import type { LauncherObjects, LauncherRead } from './kubeLaunchers';
import { containerLaunch, launchOptions } from './launch';
import { planFromOptions } from './planBuilder';
import type { FormatProblem, ReadContext } from './types';
import { argvWriteBack, stringSites } from './writeBack';
import { kubernetesPod, layeredPod } from './podSpec';

const RUNTIME_KINDS = new Set(['ServingRuntime', 'ClusterServingRuntime']);
/** Where KServe's storage initializer puts the model of `storageUri` (pkg/constants DefaultModelLocalMountPath). */
const MODEL_MOUNT = '/mnt/models';
const seq = (n: unknown) => (isSeq(n) ? n.items : []);
const isKserve = (d: Document) => /^serving\.kserve\.io\//.test(str(getter(d.contents)(['apiVersion'])) ?? '');

interface Runtime {
  name: string;
  kind: string;
  spec: unknown;
  container: unknown;
  formats: Array<{ name: string; autoSelect: boolean; priority: number }>;
  root: unknown;
}

function runtimeOf(d: Document): Runtime | undefined {
  const g = getter(d.contents);
  const kind = str(g(['kind'])) ?? '';
  if (!RUNTIME_KINDS.has(kind) || !isKserve(d)) return undefined;
  const containers = seq(g(['spec', 'containers']));
  const container = containers.find((c) => str(getter(c)(['name'])) === 'kserve-container') ?? containers[0];
  const formats = seq(g(['spec', 'supportedModelFormats'])).map((f) => {
    const fg = getter(f);
    return { name: str(fg(['name'])) ?? '', autoSelect: str(fg(['autoSelect'])) === 'true', priority: Number(str(fg(['priority']))) || 0 };
  });
  return { name: str(g(['metadata', 'name'])) ?? kind, kind, spec: g(['spec']), container, formats, root: d.contents };
}

const predictorModel = (d: Document) => (str(getter(d.contents)(['kind'])) === 'InferenceService' && isKserve(d) ? getter(d.contents)(['spec', 'predictor', 'model']) : undefined);

/** The runtime KServe picks for a service's model, among the file's runtimes. */
export function runtimeFor(model: unknown, runtimes: Runtime[]): Runtime | undefined {
  const mg = getter(model);
  const named = str(mg(['runtime']));
  if (named) return runtimes.find((r) => r.name === named);
  const format = (str(mg(['modelFormat', 'name'])) ?? '').toLowerCase();
  const candidates = runtimes
    .map((r) => ({ r, f: r.formats.find((f) => f.autoSelect && f.name.toLowerCase() === format) }))
    .filter((x) => x.f)
    .sort((a, b) => (b.f!.priority - a.f!.priority) || (a.r.kind === 'ServingRuntime' ? -1 : 0) - (b.r.kind === 'ServingRuntime' ? -1 : 0));
  return candidates[0]?.r;
}

/** `{{.Name}}`, `{{.Namespace}}`, `{{.Labels.x}}`, `{{.Annotations.x}}` → the service's metadata (others kept). */
export function expandPlaceholders(tokens: Token[], meta: unknown): Token[] {
  const mg = getter(meta);
  const value = (path: string): string | undefined => {
    const [head, ...rest] = path.split('.');
    if (head === 'Name') return str(mg(['name']));
    if (head === 'Namespace') return str(mg(['namespace']));
    if ((head === 'Labels' || head === 'Annotations') && rest.length) return str(mg([head.toLowerCase(), rest.join('.')]));
    return undefined;
  };
  return tokens.map((t) => ({ ...t, text: t.text.replace(/\{\{\s*\.([A-Za-z.\-/_]+)\s*\}\}/g, (m, p: string) => value(p) ?? m) }));
}

/** Env merged by name, the predictor's entries replacing the runtime's (strategic merge, patchMergeKey `name`). */
function mergedEnv(runtime: OptionEntry[], predictor: OptionEntry[]): OptionEntry[] {
  const names = new Set(predictor.map((e) => e.key));
  return [...runtime.filter((e) => !names.has(e.key)), ...predictor];
}

/** The engine a runtime's image runs: KServe's Hugging Face server (huggingfaceserver) serves generative models with vLLM. */
const hfServer = (image: string | undefined) => !!image && /huggingfaceserver/.test(image);

/** KServe spellings of the Hugging Face server (`--model_id`, `--model_name`, `--backend`, `--model_dir`) that are not engine args. */
const KSERVE_ONLY = /^-*(model[_-]id|model[_-]name|backend|model[_-]dir)$/;

function readPair(doc: ParsedDocument, isvc: Document, model: unknown, rt: Runtime | undefined, ctx: ReadContext): LauncherRead {
  const problems: FormatProblem[] = [];
  const ig = getter(isvc.contents);
  const mg = getter(model);
  const rc = rt ? getter(rt.container) : getter(undefined);
  const name = str(ig(['metadata', 'name'])) ?? rt?.name ?? 'kserve';
  const imageNode = mg(['image']) ?? rc(['image']);
  const image = str(imageNode);
  const command = mg(['command']) ?? rc(['command']);
  const runtimeTokens = argv(doc, command, rc(['args']));
  const tokens = expandPlaceholders([...runtimeTokens, ...tokensOf(doc, mg(['args']), runtimeTokens)], ig(['metadata']));
  const env = mergedEnv(envEntries(doc, rc(['env'])), envEntries(doc, mg(['env'])));
  const hf = hfServer(image);
  const launch = containerLaunch({ name, tokens, env, image, engineHint: image ? engineFromImage(image) ?? (hf ? 'vllm' : undefined) : undefined });
  if (!launch) {
    problems.push({ code: 'kserve-runtime-unread', severity: 'info', message: `${name}: runtime ${rt?.name ?? ''} runs no engine Deploy Advisor reads (its container has no vLLM, SGLang, TGI or TensorRT-LLM command).`, range: rangeOf(doc, (mg(['runtime']) ?? mg(['modelFormat', 'name']) ?? model) as Node) });
    return { plans: [], problems };
  }
  // The model: --model_id (Hugging Face server), else the engine's --model / positional — which, when it is the
  // storage initializer's mount, is whatever storageUri names.
  const uri = mg(['storageUri']);
  const id = launch.options.find((o) => /^-*model[_-]id$/.test(o.key));
  if (id) launch.model = { text: String(id.value), range: id.valueRange };
  const mounted = !launch.model || launch.model.text.startsWith(MODEL_MOUNT) || launch.options.some((o) => /^-*model[_-]dir$/.test(o.key));
  let missing: { severity: FormatProblem['severity']; message: string } | undefined;
  if (!id && mounted) {
    const u = str(uri);
    if (u?.startsWith('hf://')) launch.model = { text: u.slice(5).replace(/\/$/, ''), range: rangeOf(doc, uri as Node) };
    else {
      launch.model = undefined;
      missing = { severity: 'warning', message: u ? `${name}: storageUri ${u} is not a Hugging Face id (hf://org/model), so the model's size is unknown; state it with an hf:// storageUri or --model_id.` : `${name}: no model found (no storageUri and no --model).` };
    }
  }
  if (hf) launch.options = launch.options.filter((o) => !KSERVE_ONLY.test(o.key));
  const o = launchOptions(launch, env, ctx);
  // The predictor's args come after the runtime's to override them (the reason KServe concatenates): a repeat there
  // is the intended override, not a mistake.
  const predictorStarts = new Set(tokens.slice(runtimeTokens.length).map((t) => `${t.range.start.line}:${t.range.start.character}`));
  o.problems = o.problems.filter((p) => !(p.code === 'duplicate-key' && predictorStarts.has(`${p.range.start.line}:${p.range.start.character}`)));
  const podSpecs = [ig(['spec', 'predictor']), rt?.spec].filter((x) => x !== undefined);
  const selected = podSpecs.map((s) => gpuFromPodSpec(doc, s)).find((x) => x.gpu) ?? {};
  // Resources merge key by key: the predictor's GPU entry wins over the runtime container's.
  const own = gpuLimit(doc, model);
  const count = own ?? gpuLimit(doc, rt?.container) ?? (selected.perNode ? sourced(selected.perNode, { kind: 'inferred' as const, note: 'GPUs of the instance type' }) : undefined);
  // The autoscaler runs between minReplicas and maxReplicas: capacity and cost are read at the upper bound (a
  // minReplicas of 0 is scale-to-zero, not a size).
  const repKey = ['maxReplicas', 'minReplicas'].find((k) => Number(str(ig(['spec', 'predictor', k]))) > 0);
  const repNode = repKey ? ig(['spec', 'predictor', repKey]) : undefined;
  const replicas: Sourced<number> | undefined = repKey ? sourced(Number(str(repNode)), { kind: 'file', range: rangeOf(doc, repNode as Node), key: `spec.predictor.${repKey}` }) : undefined;
  const r = planFromOptions(name, o, { gpu: selected.gpu, count, replicas }, ctx, {
    // New flags go after the last merged arg: the predictor's when it has any, else the runtime's.
    writeBack: argvWriteBack(tokens),
    image: imageFacts(doc, imageNode),
    engineNote: rt ? `${o.engine} from runtime ${rt.name}` : undefined,
    missingModel: missing,
  });
  if (missing) for (const p of r.problems) if (p.code === 'missing-model') p.range = rangeOf(doc, (uri ?? model) as Node);
  r.plan.hardwareSites = {
    gpuCount: own ? gpuResourceSites(doc, model) : gpuResourceSites(doc, rt?.container),
    replicas: replicas?.source.kind === 'file' ? replicas.source.range : undefined,
    gpuSelectors: gpuSelectorSites(doc, podSpecs),
    selectsGpuType: true,
  };
  const isvcStrings = stringSites(doc, isvc.contents, tokens, mg(['env']));
  const runtimeStrings = stringSites(doc, rt?.root, [], rc(['env']));
  r.plan.strings = { ranges: [...isvcStrings.ranges, ...runtimeStrings.ranges], quote: isvcStrings.quote };
  const pod = mergedPod(doc, ig(['spec', 'predictor']), model, rt);
  if (pod) r.plan.pod = pod;
  return { plans: [r.plan], problems: [...problems, ...r.problems] };
}

/**
 * The pod KServe builds from the pair: the predictor's container fields over the runtime container's (resources key by
 * key, probes field by field, mounts by mountPath) and the predictor's pod fields over the runtime's (volumes by name,
 * hostIPC) — pkg/controller/v1beta1/inferenceservice/components/predictor.go, MergeRuntimeContainers and MergePodSpec
 * (strategic merge patches). Fixes change a value where it is written (the predictor's memory limit, the runtime's
 * volume); a /dev/shm volume neither writes goes into the runtime — with its mount on the runtime's container — unless
 * only the predictor keeps a volumes list.
 */
function mergedPod(doc: ParsedDocument, predictor: unknown, model: unknown, rt: Runtime | undefined) {
  if (!rt) return kubernetesPod(doc, predictor, model);
  const layers = [{ podSpec: predictor, container: model }, { podSpec: rt.spec, container: rt.container }];
  const has = (n: unknown, k: string) => isSeq(getter(n)([k]));
  const intoPredictor = has(predictor, 'volumes') && !has(rt.spec, 'volumes');
  return layeredPod(doc, layers, intoPredictor ? 0 : 1) ?? layeredPod(doc, layers, intoPredictor ? 1 : 0);
}

/** A runtime with no service in the file: its own container, when it launches an engine. */
function readRuntimeAlone(doc: ParsedDocument, rt: Runtime, ctx: ReadContext): LauncherRead {
  const c = getter(rt.container);
  const image = str(c(['image']));
  const tokens = argv(doc, c(['command']), c(['args']));
  const env = envEntries(doc, c(['env']));
  const hf = hfServer(image);
  const launch = containerLaunch({ name: rt.name, tokens, env, image, engineHint: image ? engineFromImage(image) ?? (hf ? 'vllm' : undefined) : undefined });
  if (!launch) return { plans: [], problems: [] };
  if (hf) launch.options = launch.options.filter((o) => !KSERVE_ONLY.test(o.key));
  const o = launchOptions(launch, env, ctx);
  // The model is the one a service's storageUri mounts: without that service there is nothing to size, but the
  // runtime's own options are still checked.
  if (!launch.model || launch.model.text.startsWith(MODEL_MOUNT) || hf) {
    const info: FormatProblem = { code: 'kserve-runtime-no-model', severity: 'info', message: `${rt.name}: the runtime serves the model an InferenceService's storageUri mounts at ${MODEL_MOUNT}; with that InferenceService in this file it is sized as one deployment.`, range: rangeOf(doc, (c(['name']) ?? rt.container) as Node) };
    return { plans: [], problems: [info, ...o.problems] };
  }
  const count = gpuLimit(doc, rt.container);
  const r = planFromOptions(rt.name, o, { gpu: gpuFromPodSpec(doc, rt.spec).gpu, count }, ctx, { writeBack: argvWriteBack(tokens), image: imageFacts(doc, c(['image'])) });
  r.plan.hardwareSites = { gpuCount: gpuResourceSites(doc, rt.container), gpuSelectors: gpuSelectorSites(doc, [rt.spec]), selectsGpuType: true };
  r.plan.strings = stringSites(doc, rt.root, tokens, c(['env']));
  const pod = kubernetesPod(doc, rt.spec, rt.container);
  if (pod) r.plan.pod = pod;
  return { plans: [r.plan], problems: r.problems };
}

export const kserveObjects: LauncherObjects = {
  name: 'kserve',
  claims(_doc, d) {
    return !!runtimeOf(d) || predictorModel(d) !== undefined;
  },
  read(doc, d, all, ctx) {
    const runtimes = all.map(runtimeOf).filter((r): r is Runtime => !!r);
    const rt = runtimeOf(d);
    if (rt) {
      const used = all.some((x) => { const m = predictorModel(x); const r = m !== undefined ? runtimeFor(m, runtimes) : undefined; return r?.name === rt.name && r.kind === rt.kind; });
      return used ? { plans: [], problems: [] } : readRuntimeAlone(doc, rt, ctx);
    }
    const model = predictorModel(d);
    const chosen = runtimeFor(model, runtimes);
    if (chosen) return readPair(doc, d, model, chosen, ctx);
    // Not in the file: read as before (kubernetes.ts), and say what that assumes.
    const r = kubernetesReader.read({ ...doc, docs: [d] }, ctx);
    const named = getter(model)(['runtime']);
    const format = str(getter(model)(['modelFormat', 'name']));
    const what = str(named) ? `runtime ${str(named)} is not in this file` : `no runtime in this file serves model format ${format ?? '(none)'}`;
    const problems: FormatProblem[] = r.plans.length && isMap(model)
      ? [{ code: 'kserve-runtime-assumed', severity: 'info', message: `${what}: read as KServe's Hugging Face runtime (huggingfaceserver, vLLM backend), with only the predictor's args; args the runtime adds are not seen.`, range: rangeOf(doc, (named ?? getter(model)(['modelFormat', 'name']) ?? model) as Node) }]
      : [];
    return { plans: r.plans, problems: [...problems, ...r.problems] };
  },
};
