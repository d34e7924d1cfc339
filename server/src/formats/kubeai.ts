/**
 * KubeAI's `Model` (kubeai.org/v1, substratusai/kubeai api/k8s/v1/model_types.go): `spec.url` (hf://org/model;
 * ollama://, s3://, gs://, oss://, pvc:// name models whose size the file does not give), `spec.engine` (VLLM,
 * OLlama, FasterWhisper, Infinity), `spec.resourceProfile` `<profile>:<count>`, `spec.args` (appended to the
 * engine's command: KubeAI's vLLM pod runs `vllm serve`-equivalent `--model=<url path> --served-model-name=<name>`
 * then these, internal/modelcontroller/engine_vllm.go), `spec.env` (a string map), `spec.minReplicas` /
 * `spec.maxReplicas` (the autoscaler's bounds).
 */
import { Document, isScalar, Node, Scalar } from 'yaml';
import { sourced } from '../plan/types';
import type { Sourced, WriteBack } from '../plan/types';
import { tokensOf } from './commandLine';
import { ParsedDocument, position, rangeOf } from './document';
import { envEntries, getter, str } from './kubernetes';
import type { LauncherObjects } from './kubeLaunchers';
import { containerLaunch, launchOptions } from './launch';
import { planFromOptions } from './planBuilder';
import type { FormatProblem } from './types';
import { argvWriteBack, mappingWriteBack, stringSites } from './writeBack';
import { kubeaiPod } from './operatorPods';

/**
 * KubeAI's resource profile names → catalog GPUs, as KubeAI's chart (charts/kubeai/values.yaml `resourceProfiles`)
 * names its defaults, one GPU per unit of the count (`nvidia.com/gpu: 1` in each profile's limits). A cluster can
 * define its own profiles under any name: those are not guessed. `nvidia-gpu-h100` does not say SXM or PCIe; the
 * SXM part (the one the clouds' 8-GPU nodes carry) is assumed.
 */
const PROFILE_GPUS: Record<string, string> = {
  'nvidia-gpu-l4': 'L4', 'nvidia-gpu-h100': 'H100-SXM', 'nvidia-gpu-h200': 'H200', 'nvidia-gpu-a100-80gb': 'A100-80GB',
  'nvidia-gpu-a100-40gb': 'A100-40GB', 'nvidia-gpu-gh200': 'GH200', 'nvidia-gpu-t4': 'T4', 'nvidia-gpu-l40s': 'L40S',
  'amd-gpu-mi300x': 'MI300X',
};

const isModel = (d: Document) => {
  const g = getter(d.contents);
  return str(g(['kind'])) === 'Model' && /^kubeai\.org\//.test(str(g(['apiVersion'])) ?? '');
};

/** The `<count>` of `<profile>:<count>`, as a range of its own so that an edit rewrites the digits only. */
function profileParts(doc: ParsedDocument, node: unknown): { profile: string; profileRange: ReturnType<typeof rangeOf>; count?: Sourced<number> } | undefined {
  const text = str(node);
  if (!text || !isScalar(node)) return undefined;
  const colon = text.lastIndexOf(':');
  const profile = colon >= 0 ? text.slice(0, colon) : text;
  const whole = rangeOf(doc, node as Node);
  const start = ((node as Scalar).range?.[0] ?? 0) + ((node as Scalar).type === 'QUOTE_DOUBLE' || (node as Scalar).type === 'QUOTE_SINGLE' ? 1 : 0);
  const n = colon >= 0 ? Number(text.slice(colon + 1)) : 1;
  const count = colon >= 0 && Number.isInteger(n)
    ? sourced(n, { kind: 'file' as const, range: { start: position(doc.lineCounter, start + colon + 1), end: position(doc.lineCounter, start + text.length) }, key: 'spec.resourceProfile' })
    : undefined;
  return { profile, profileRange: { start: whole.start, end: position(doc.lineCounter, start + profile.length) }, count };
}

export const kubeaiObjects: LauncherObjects = {
  name: 'kubeai',
  claims(_doc, d) {
    return isModel(d);
  },
  read(doc, d, _all, ctx) {
    const g = getter(d.contents);
    const name = str(g(['metadata', 'name'])) ?? 'model';
    const problems: FormatProblem[] = [];
    const engineNode = g(['spec', 'engine']);
    const engine = str(engineNode) ?? 'VLLM';
    if (engine.toUpperCase() !== 'VLLM') {
      problems.push({ code: 'kubeai-engine-unmodelled', severity: 'info', message: `${name}: KubeAI engine ${engine} is not one Deploy Advisor models (it reads KubeAI's VLLM engine); no estimate for this model.`, range: rangeOf(doc, (engineNode ?? d.contents) as Node) });
      return { plans: [], problems };
    }
    const profileNode = g(['spec', 'resourceProfile']);
    if (/^cpu(:|$)/.test(str(profileNode) ?? '')) {
      problems.push({ code: 'kubeai-engine-unmodelled', severity: 'info', message: `${name}: resource profile ${str(profileNode)} runs vLLM on CPUs, which Deploy Advisor does not model; no estimate for this model.`, range: rangeOf(doc, profileNode as Node) });
      return { plans: [], problems };
    }
    const urlNode = g(['spec', 'url']);
    const url = str(urlNode) ?? '';
    const argsNode = g(['spec', 'args']);
    const tokens = tokensOf(doc, argsNode);
    const env = envEntries(doc, g(['spec', 'env']));
    const launch = containerLaunch({ name, tokens, env, engineHint: 'vllm' }) ?? { engine: 'vllm' as const, options: [], launcher: 'vllm serve', tokens };
    const hf = /^hf:\/\/(.+)$/.exec(url);
    if (hf) launch.model = { text: hf[1].replace(/\/$/, ''), range: rangeOf(doc, urlNode as Node) };
    const missing = hf ? undefined : { severity: 'warning' as const, message: url ? `${name}: ${url} is not a Hugging Face id (hf://org/model), so the model's size is unknown.` : `${name}: no spec.url.` };
    const profile = profileParts(doc, profileNode);
    const gpuId = profile && PROFILE_GPUS[profile.profile];
    if (profile && !gpuId) {
      problems.push({ code: 'kubeai-profile-unknown', severity: 'info', message: `${name}: resource profile ${profile.profile} is not one of KubeAI's default profiles; its GPU is the cluster's own definition, which this file does not show (the GPU setting or a deploy-advisor: gpu= comment states it).`, range: profile.profileRange });
    }
    const gpu = gpuId ? sourced(gpuId, { kind: 'file' as const, range: profile!.profileRange, key: 'spec.resourceProfile' }) : undefined;
    // The autoscaler runs up to maxReplicas: capacity and cost are read at that bound.
    const repKey = ['maxReplicas', 'replicas', 'minReplicas'].find((k) => isScalar(g(['spec', k])) && Number(str(g(['spec', k]))) > 0);
    const repNode = repKey ? g(['spec', repKey]) : undefined;
    const replicas = repKey ? sourced(Number(str(repNode)), { kind: 'file' as const, range: rangeOf(doc, repNode as Node), key: `spec.${repKey}` }) : undefined;
    // New flags join `args` (KubeAI's examples write `--flag=value`), or open it after the spec's last key.
    const spec = mappingWriteBack(doc, g(['spec']));
    const writeBack: WriteBack | undefined = argvWriteBack(tokens)
      ?? (spec?.kind === 'mapping' && !argsNode ? { kind: 'argv', mode: 'block', after: { line: spec.afterLine, character: 0 }, indent: `${spec.indent}  `, quote: '', equals: true, opening: `${spec.indent}args:` } : undefined);
    const r = planFromOptions(name, launchOptions(launch, env, ctx), { gpu, count: profile?.count, replicas }, ctx, { writeBack, missingModel: missing, engineNote: 'vllm: KubeAI engine VLLM' });
    if (missing) for (const p of r.problems) if (p.code === 'missing-model') p.range = rangeOf(doc, (urlNode ?? d.contents) as Node);
    r.plan.hardwareSites = {
      gpuCount: profile?.count?.source.kind === 'file' ? [{ range: profile.count.source.range, form: 'number' }] : [],
      replicas: replicas?.source.kind === 'file' ? replicas.source.range : undefined,
      gpuSelectors: [],
      selectsGpuType: false,
    };
    r.plan.strings = stringSites(doc, d.contents, tokens, g(['spec', 'env']));
    r.plan.pod = kubeaiPod(doc, g(['spec']), str(profileNode));
    return { plans: [r.plan], problems: [...problems, ...r.problems] };
  },
};
