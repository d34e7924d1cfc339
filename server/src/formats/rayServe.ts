/**
 * Ray Serve LLM: a Serve config (`serve run config.yaml`) whose applications build `ray.serve.llm` apps from
 * `args.llm_configs[]` (or `prefill_config` / `decode_config` for build_pd_openai_app), and a KubeRay `RayService`
 * that embeds the same config as `spec.serveConfigV2: |`. Each LLMConfig is one plan: `model_loading_config`
 * (`model_id`, `model_source`), `engine_kwargs` (vLLM's AsyncEngineArgs fields, snake_case), `accelerator_type`, and
 * `deployment_config` (`num_replicas`, or `autoscaling_config.min_replicas` / `max_replicas`).
 * Fields: ray-project/ray python/ray/llm/_internal/serve/configs/server_models.py (LLMConfig, ModelLoadingConfig).
 */
import { Document, isMap, isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { sourced } from '../plan/types';
import type { DeploymentPlan, HardwareSites, Sourced } from '../plan/types';
import { rayGpu } from './acceleratorNames';
import { applyDirective, findDirective } from './directive';
import { ParsedDocument, rangeOf } from './document';
import { embeddedYaml } from './embeddedYaml';
import type { OptionEntry } from './engineOptions';
import { vllmKeys } from './keys/vllm';
import { gpuFromPodSpec, gpuSelectorSites, markSharedDirective } from './kubernetes';
import { planFromOptions } from './planBuilder';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { vllmOptions } from './vllm';
import { mappingWriteBack } from './writeBack';
import { optionEntries } from './yamlOptions';

const get = (node: unknown, path: Array<string | number>): unknown =>
  path.reduce<unknown>((n, p) => (typeof p === 'number' ? (isSeq(n) ? n.items[p] : undefined) : isMap(n) ? (n as YAMLMap).get(p, true) : undefined), node);
const str = (n: unknown) => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);
const num = (doc: ParsedDocument, n: unknown, key: string): Sourced<number> | undefined => {
  const v = Number(str(n));
  return isScalar(n) && Number.isFinite(v) ? sourced(v, { kind: 'file', range: rangeOf(doc, n as Node), key }) : undefined;
};
const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The LLMConfigs of one Serve application, with the name each plan gets. */
function llmConfigs(app: unknown): Array<{ name: string; node: unknown }> {
  const appName = str(get(app, ['name'])) ?? 'app';
  const list = get(app, ['args', 'llm_configs']);
  const out = (isSeq(list) ? list.items : []).map((node, i, all) => ({ name: all.length > 1 ? `${appName}[${i}]` : appName, node }));
  for (const role of ['prefill_config', 'decode_config']) {
    const node = get(app, ['args', role]);
    if (node) out.push({ name: `${appName} ${role.replace('_config', '')}`, node });
  }
  return out;
}

/** `deployment_config.num_replicas`, else the autoscaler's `max_replicas` (the most it runs), else `min_replicas`. */
function replicas(doc: ParsedDocument, cfg: unknown): Sourced<number> | undefined {
  for (const path of [['num_replicas'], ['autoscaling_config', 'max_replicas'], ['autoscaling_config', 'min_replicas']]) {
    const r = num(doc, get(cfg, ['deployment_config', ...path]), `deployment_config.${path.join('.')}`);
    if (r) return r;
  }
  return undefined;
}

function readConfig(doc: ParsedDocument, name: string, cfg: unknown, ctx: ReadContext, fallback: WorkerGpu | undefined): { plan?: DeploymentPlan; problems: FormatProblem[] } {
  const problems: FormatProblem[] = [];
  if (isScalar(cfg)) {
    // A path to an LLMConfig file of its own (build_openai_app loads it); that file is read when opened.
    problems.push({ code: 'launcher-not-read', severity: 'info', message: `${name}: the LLM config in ${str(cfg)} is a file of its own, not read here; open it to check it.`, range: rangeOf(doc, cfg as Node) });
    return { problems };
  }
  if (!isMap(cfg)) return { problems };
  const source = get(cfg, ['model_loading_config', 'model_source']);
  const id = get(cfg, ['model_loading_config', 'model_id']);
  // model_source defaults to model_id (ModelLoadingConfig); a mapping (`bucket_uri`) is remote storage.
  const modelNode = isScalar(source) ? source : isScalar(id) && !source ? id : undefined;
  if (isMap(source)) problems.push({ code: 'launcher-not-read', severity: 'info', message: `${name}: the model loads from remote storage (${str(get(source, ['bucket_uri'])) ?? 'model_source'}); name its Hugging Face id in a # deploy-advisor: line or profile to estimate.`, range: rangeOf(doc, source as Node) });
  const kwargs = get(cfg, ['engine_kwargs']);
  const options: OptionEntry[] = optionEntries(doc, kwargs, vllmKeys).filter((e) => vllmKeys.normalize(e.key) !== 'model');
  if (modelNode) options.unshift({ key: 'model', value: str(modelNode), keyRange: rangeOf(doc, modelNode as Node), valueRange: rangeOf(doc, modelNode as Node) });
  const o = vllmOptions(options, ctx, { fromMapping: true });
  const accNode = get(cfg, ['accelerator_type']);
  const acc = str(accNode) ? rayGpu(str(accNode)!) : undefined;
  if (acc?.ambiguous) problems.push({ code: 'launcher-not-read', severity: 'info', message: acc.ambiguous, range: rangeOf(doc, accNode as Node) });
  const gpu = acc ? sourced(acc.gpu, { kind: 'file' as const, range: rangeOf(doc, accNode as Node), key: 'accelerator_type' }) : fallback?.gpu;
  // One GPU per tensor × pipeline rank: LLMConfig's default placement bundles (server_models.py placement_bundles).
  const tp = o.knobs.tensorParallel?.value ?? 1;
  const pp = o.knobs.pipelineParallel?.value ?? 1;
  const count = sourced(tp * pp, { kind: 'inferred' as const, note: 'one GPU per tensor × pipeline rank (Ray Serve LLM placement bundles)' });
  const reps = replicas(doc, cfg);
  const r = planFromOptions(name, { engine: 'vllm', ...o }, { gpu, count, replicas: reps }, ctx, {
    writeBack: mappingWriteBack(doc, kwargs, { snake: true }),
    engineNote: 'vLLM behind Ray Serve LLM (engine_kwargs)',
    missingModel: { severity: 'warning', message: `${name}: no model_loading_config.model_id or model_source.` },
  });
  // accelerator_type is rewritten in Ray's vocabulary; without it, the worker groups' node selectors are.
  const selectors = acc ? [{ label: 'ray:accelerator_type', value: str(accNode)!, range: rangeOf(doc, accNode as Node), alternatives: 0 }] : fallback?.sites ?? [];
  r.plan.hardwareSites = { gpuCount: [], replicas: reps?.source.kind === 'file' ? reps.source.range : undefined, gpuSelectors: selectors, selectsGpuType: true };
  return { plan: r.plan, problems: [...problems, ...r.problems] };
}

/** The applications of a Serve config root, read into plans. */
function readServeConfig(doc: ParsedDocument, root: unknown, ctx: ReadContext, fallback?: WorkerGpu): { plans: DeploymentPlan[]; problems: FormatProblem[] } {
  const plans: DeploymentPlan[] = [];
  const problems: FormatProblem[] = [];
  const apps = get(root, ['applications']);
  for (const app of isSeq(apps) ? apps.items : []) {
    for (const { name, node } of llmConfigs(app)) {
      const r = readConfig(doc, name, node, ctx, fallback);
      problems.push(...r.problems);
      if (r.plan) plans.push(r.plan);
    }
  }
  return { plans, problems };
}

const isServeConfig = (root: unknown) => {
  const apps = get(root, ['applications']);
  return isSeq(apps) && apps.items.some((a) => llmConfigs(a).length > 0 || /ray\.serve\.llm/.test(str(get(a, ['import_path'])) ?? ''));
};

const isRayService = (d: Document) => str(get(d.contents, ['kind'])) === 'RayService' && /llm_configs|ray\.serve\.llm/.test(str(get(d.contents, ['spec', 'serveConfigV2'])) ?? '');

interface WorkerGpu {
  gpu?: Sourced<string>;
  sites: HardwareSites['gpuSelectors'];
}

/** The GPU the RayService's worker groups select (node selector or affinity), for configs that name no accelerator_type. */
function workerGpu(doc: ParsedDocument, service: unknown): WorkerGpu {
  const groups = get(service, ['spec', 'rayClusterConfig', 'workerGroupSpecs']);
  const specs = (isSeq(groups) ? groups.items : []).map((g) => get(g, ['template', 'spec']));
  return { gpu: specs.map((s) => gpuFromPodSpec(doc, s).gpu).find(Boolean), sites: gpuSelectorSites(doc, specs) };
}

export const rayServeReader: FormatReader = {
  name: 'ray-serve',
  detect(doc) {
    return (doc.docs.length === 1 && isServeConfig(doc.docs[0].contents)) || doc.docs.some(isRayService);
  },
  read(doc, ctx) {
    const plans: DeploymentPlan[] = [];
    const problems: FormatProblem[] = [];
    if (doc.docs.length === 1 && isServeConfig(doc.docs[0].contents)) {
      const r = readServeConfig(doc, doc.docs[0].contents, ctx);
      plans.push(...r.plans);
      problems.push(...r.problems);
    }
    for (const d of doc.docs.filter(isRayService)) {
      const node = get(d.contents, ['spec', 'serveConfigV2']);
      const inner = embeddedYaml(doc, node);
      if (!inner || 'unreadable' in inner) {
        problems.push({ code: 'launcher-not-read', severity: 'info', message: `serveConfigV2 is ${inner && 'unreadable' in inner ? inner.unreadable : 'not a string'}; Deploy Advisor reads it as a literal block (\`serveConfigV2: |\`), where every key keeps its place in this file.`, range: node ? rangeOf(doc, node as Node) : top });
        continue;
      }
      problems.push(...inner.doc.problems.map((p) => ({ code: 'syntax', severity: 'error' as const, message: `serveConfigV2: ${p.message}`, range: p.range })));
      const r = readServeConfig(inner.doc, inner.doc.docs[0]?.contents, ctx, workerGpu(doc, d.contents));
      plans.push(...r.plans);
      problems.push(...r.problems);
    }
    const directive = findDirective(doc.text);
    for (const p of plans) applyDirective(p, directive);
    markSharedDirective(plans);
    return { format: 'ray-serve', plans, problems };
  },
};
