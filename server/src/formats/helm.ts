/**
 * Helm values that run engines:
 * - the vLLM production-stack chart: `servingEngineSpec.modelSpec[]` (helm/templates/deployment-vllm-multi.yaml maps
 *   `vllmConfig` keys to flags and appends `extraArgs` after them, so a duplicate in extraArgs wins);
 * - llm-d's model service: `modelArtifacts.uri` plus `decode:` / `prefill:` roles with containers and parallelism.
 */
import { isMap, isScalar, isSeq, Node } from 'yaml';
import { sourced } from '../plan/types';
import type { DeploymentPlan, EngineKnobs, HardwareSites, Sourced } from '../plan/types';
import { argv, engineFromImage, tokensOf, Token } from './commandLine';
import { applyDirective, findDirective } from './directive';
import { entries, ParsedDocument, rangeOf } from './document';
import type { OptionEntry } from './engineOptions';
import { gpuFromLabel } from './gpuLabels';
import { envEntries, gpuResourceSites, markSharedDirective } from './kubernetes';
import { containerLaunch, launchOptions } from './launch';
import { planFromOptions } from './planBuilder';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { argvWriteBack, mappingWriteBack, stringSites } from './writeBack';
import { vllmOptions } from './vllm';
import { applyLmcacheEnv } from './offload';
import { imageFacts } from './imageTag';
import { keyIndex } from './keys/types';
import { kubernetesPod } from './podSpec';
import { productionStackPod } from './productionStackPod';
import { vllmKeys } from './keys/vllm';

const get = (node: unknown, path: string[]): unknown => path.reduce<unknown>((n, p) => (isMap(n) ? n.get(p, true) : undefined), node);
const str = (n: unknown) => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);
const num = (doc: ParsedDocument, n: unknown, key: string): Sourced<number> | undefined => {
  const v = Number(str(n));
  return n && Number.isFinite(v) ? sourced(v, { kind: 'file', range: rangeOf(doc, n as Node), key }) : undefined;
};

/**
 * production-stack `vllmConfig` keys → the vLLM flags the chart emits for them (helm/templates/deployment-vllm-multi.yaml
 * at a6c01db: enablePrefixCaching, enableChunkedPrefill, maxModelLen, dtype, tensorParallelSize, maxNumSeqs,
 * gpuMemoryUtilization, maxLoras; also runner, convert and v0, which no plan knob maps to). Any other key is ignored by
 * the chart, so options it does not map go into `extraArgs`.
 */
const VLLM_CONFIG_FLAGS: Record<string, string> = {
  maxModelLen: 'max-model-len', dtype: 'dtype', tensorParallelSize: 'tensor-parallel-size', maxNumSeqs: 'max-num-seqs',
  gpuMemoryUtilization: 'gpu-memory-utilization', enablePrefixCaching: 'enable-prefix-caching', enableChunkedPrefill: 'enable-chunked-prefill',
  maxLoras: 'max-loras',
};

/** The plan knobs production-stack maps from `vllmConfig` (others go to `extraArgs`), derived from the flag map. */
const KNOB_CONFIG_KEYS: Partial<Record<keyof EngineKnobs, string>> = Object.fromEntries(
  Object.entries(VLLM_CONFIG_FLAGS).flatMap(([configKey, flag]) => {
    const knob = keyIndex(vllmKeys).get(flag)?.knob;
    return knob ? [[knob, configKey]] : [];
  }),
);

/**
 * production-stack's `lmcacheConfig`: `enabled: true` makes the chart pass `--kv-transfer-config
 * {"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}` (config-formats research, production-stack@a6c01db), and
 * `cpuOffloadingBufferSize` (GB) becomes the container's LMCACHE_MAX_LOCAL_CPU_SIZE with LMCACHE_LOCAL_CPU=True (the
 * chart's env block, as we read the template). The connector option is placed on `enabled`, the size on its value;
 * a `--kv-transfer-config` in extraArgs comes after and wins, so none is added then.
 */
function lmcacheConfig(doc: ParsedDocument, spec: unknown, options: OptionEntry[]): OptionEntry[] {
  const enabled = get(spec, ['lmcacheConfig', 'enabled']);
  if (str(enabled) !== 'true') return [];
  if (!options.some((o) => o.key.replace(/^-+/, '').replace(/_/g, '-') === 'kv-transfer-config')) {
    const r = rangeOf(doc, enabled as Node);
    options.push({ key: 'kv-transfer-config', value: JSON.stringify({ kv_connector: 'LMCacheConnectorV1', kv_role: 'kv_both' }), keyRange: r, valueRange: r });
  }
  const size = get(spec, ['lmcacheConfig', 'cpuOffloadingBufferSize']);
  return str(size) ? [{ key: 'LMCACHE_MAX_LOCAL_CPU_SIZE', value: str(size)!, keyRange: rangeOf(doc, size as Node), valueRange: rangeOf(doc, size as Node) }] : [];
}

function productionStack(doc: ParsedDocument, root: unknown, ctx: ReadContext): { plans: DeploymentPlan[]; problems: FormatProblem[] } {
  const plans: DeploymentPlan[] = [];
  const problems: FormatProblem[] = [];
  const specs = get(root, ['servingEngineSpec', 'modelSpec']);
  for (const spec of isSeq(specs) ? specs.items : []) {
    const name = str(get(spec, ['name'])) ?? 'model';
    if (str(get(spec, ['enabled'])) === 'false') continue;
    const options: OptionEntry[] = [];
    const url = get(spec, ['modelURL']);
    if (str(url)) options.push({ key: 'model', value: str(url), keyRange: rangeOf(doc, url as Node), valueRange: rangeOf(doc, url as Node) });
    const cfg = get(spec, ['vllmConfig']);
    for (const e of entries(cfg)) {
      const flag = VLLM_CONFIG_FLAGS[e.key];
      if (flag) options.push({ key: flag, value: e.value, keyRange: rangeOf(doc, e.keyNode), valueRange: rangeOf(doc, (e.valueNode ?? e.keyNode) as Node) });
    }
    const extra = get(cfg, ['extraArgs']);
    const extraTokens: Token[] = tokensOf(doc, extra);
    const launch = containerLaunch({ name, tokens: extraTokens, env: [], engineHint: 'vllm' });
    options.push(...(launch?.options ?? []));
    const lmcacheEnv = lmcacheConfig(doc, spec, options);
    const o = vllmOptions(options, ctx);
    applyLmcacheEnv(o.knobs, [...lmcacheEnv, ...envEntries(doc, get(spec, ['env']))]);
    let gpu: Sourced<string> | undefined;
    const selectorSites: HardwareSites['gpuSelectors'] = [];
    const terms = get(spec, ['nodeSelectorTerms']);
    for (const term of isSeq(terms) ? terms.items : []) {
      const exprs = get(term, ['matchExpressions']);
      for (const ex of isSeq(exprs) ? exprs.items : []) {
        const key = str(get(ex, ['key']));
        const values = get(ex, ['values']);
        const first = isSeq(values) ? values.items[0] : undefined;
        const g = key && str(first) ? gpuFromLabel(key, str(first)!) : undefined;
        if (g && !gpu) gpu = sourced(g, { kind: 'file', range: rangeOf(doc, first as Node), key: key! });
        if (g) selectorSites.push({ label: key!, value: str(first)!, range: rangeOf(doc, first as Node), alternatives: isSeq(values) ? values.items.length - 1 : 0 });
      }
    }
    const wb = mappingWriteBack(doc, cfg);
    // Options the chart does not map go to extraArgs: after its last item, or in a new list after vllmConfig's keys.
    const extraArgs = argvWriteBack(extraTokens)
      ?? (wb?.kind === 'mapping' && !extra ? { kind: 'argv' as const, mode: 'block' as const, after: { line: wb.afterLine, character: 0 }, indent: `${wb.indent}  `, quote: '', equals: false, opening: `${wb.indent}extraArgs:` } : undefined);
    const writeBack = wb?.kind === 'mapping' ? { ...wb, keyNames: KNOB_CONFIG_KEYS, fallback: extraArgs } : undefined;
    const count = num(doc, get(spec, ['requestGPU']), 'requestGPU');
    const replicas = num(doc, get(spec, ['replicaCount']), 'replicaCount');
    const r = planFromOptions(name, { engine: 'vllm', ...o }, { gpu, count, replicas }, ctx, { writeBack, image: imageFacts(doc, get(spec, ['repository']), get(spec, ['tag'])) ?? imageFacts(doc, get(spec, ['vllmImage'])) });
    r.plan.hardwareSites = {
      gpuCount: count?.source.kind === 'file' ? [{ range: count.source.range, form: 'number' }] : [],
      replicas: replicas?.source.kind === 'file' ? replicas.source.range : undefined,
      gpuSelectors: selectorSites,
      selectsGpuType: true,
    };
    r.plan.strings = stringSites(doc, root, extraTokens);
    const pod = productionStackPod(doc, get(root, ['servingEngineSpec']), spec);
    if (pod) r.plan.pod = pod;
    plans.push(r.plan);
    problems.push(...r.problems);
  }
  return { plans, problems };
}

/** What the llm-d-modelservice chart is assumed to add to a role's pod: nothing the pod checks read. */
const LLMD_POD_NOTE = 'llm-d role: the pod is the role\'s volumes and the container\'s resources, mounts and probes as written (assumed: the llm-d-modelservice chart adds no /dev/shm volume or probes of its own; its guides write them in the values)';

export function llmd(doc: ParsedDocument, root: unknown, ctx: ReadContext): { plans: DeploymentPlan[]; problems: FormatProblem[] } {
  const plans: DeploymentPlan[] = [];
  const problems: FormatProblem[] = [];
  const uri = get(root, ['modelArtifacts', 'uri']);
  const model = str(uri) ? sourced(str(uri)!.replace(/^hf:\/\//, ''), { kind: 'file' as const, range: rangeOf(doc, uri as Node), key: 'modelArtifacts.uri' }) : undefined;
  for (const role of ['decode', 'prefill']) {
    const r = get(root, [role]);
    if (!isMap(r) || str(get(r, ['create'])) === 'false') continue;
    const containers = get(r, ['containers']);
    const c = isSeq(containers) ? containers.items[0] : undefined;
    if (!c) continue;
    const image = str(get(c, ['image']));
    const tokens = argv(doc, get(c, ['command']), get(c, ['args']));
    const launch = containerLaunch({ name: role, tokens, env: envEntries(doc, get(c, ['env'])), image, engineHint: image ? engineFromImage(image) ?? 'vllm' : 'vllm' })
      ?? { engine: 'vllm' as const, options: [], launcher: 'vllm serve' };
    const o = launchOptions(launch, envEntries(doc, get(c, ['env'])), ctx);
    const tensor = num(doc, get(r, ['parallelism', 'tensor']), `${role}.parallelism.tensor`);
    if (tensor && !o.knobs.tensorParallel) o.knobs.tensorParallel = tensor;
    const limit = num(doc, get(c, ['resources', 'limits', 'nvidia.com/gpu']), 'nvidia.com/gpu');
    const replicas = num(doc, get(r, ['replicas']), `${role}.replicas`);
    const res = planFromOptions(`${role}`, o, { count: limit, replicas }, ctx, { fallbackModel: model, writeBack: argvWriteBack(launch.tokens ?? []), image: imageFacts(doc, get(c, ['image'])) });
    res.plan.hardwareSites = { gpuCount: gpuResourceSites(doc, c), replicas: replicas?.source.kind === 'file' ? replicas.source.range : undefined, gpuSelectors: [], selectsGpuType: true };
    res.plan.strings = stringSites(doc, root, tokens, get(c, ['env']));
    // The role renders as a pod spec (its `volumes`, the container's resources, mounts and probes as written).
    const pod = kubernetesPod(doc, r, c);
    if (pod) res.plan.pod = { ...pod, notes: [LLMD_POD_NOTE] };
    if (tensor && o.knobs.tensorParallel !== tensor && tensor.source.kind === 'file') res.plan.linked = { tensorParallel: [tensor.source.range] };
    if (tensor && o.knobs.tensorParallel && tensor.value !== o.knobs.tensorParallel.value && tensor.source.kind === 'file') {
      problems.push({ code: 'llmd-parallelism-mismatch', severity: 'error', message: `${role}.parallelism.tensor (${tensor.value}) differs from --tensor-parallel-size (${o.knobs.tensorParallel.value}).`, range: tensor.source.range });
    }
    plans.push(res.plan);
    problems.push(...res.problems);
  }
  return { plans, problems };
}

export const helmReader: FormatReader = {
  name: 'helm',
  detect(doc) {
    const root = doc.docs[0]?.contents;
    if (!isMap(root) || doc.docs.length !== 1) return false;
    return isSeq(get(root, ['servingEngineSpec', 'modelSpec'])) || (isMap(get(root, ['modelArtifacts'])) && (isMap(get(root, ['decode'])) || isMap(get(root, ['prefill']))));
  },
  read(doc, ctx) {
    const root = doc.docs[0].contents;
    const r = isSeq(get(root, ['servingEngineSpec', 'modelSpec'])) ? productionStack(doc, root, ctx) : llmd(doc, root, ctx);
    const directive = findDirective(doc.text);
    for (const p of r.plans) applyDirective(p, directive);
    markSharedDirective(r.plans);
    return { format: 'helm', plans: r.plans, problems: r.problems };
  },
};
