/**
 * NVIDIA Dynamo `DynamoGraphDeployment` (nvidia.com/v1alpha1): `spec.services.<Name>`, each a component with
 * `componentType` (frontend, worker, planner), `subComponentType` (prefill, decode), `replicas`, `resources` (GPUs as
 * `gpu: "1"`), `envs`, `multinode.nodeCount` and `extraPodSpec` (a pod spec whose `mainContainer` runs
 * `python3 -m dynamo.vllm|dynamo.sglang|dynamo.trtllm` with the engine's flags). One plan per worker; the frontend,
 * router and planner serve no model and get none. Fields: ai-dynamo/dynamo deploy/cloud/operator
 * api/v1alpha1/dynamocomponentdeployment_types.go (DynamoComponentDeploymentSharedSpec) and the examples under
 * components/backends/<engine>/deploy/ (agg.yaml, disagg.yaml).
 */
import { Document, isMap, isScalar, Node, YAMLMap } from 'yaml';
import { sourced } from '../plan/types';
import type { DeploymentPlan, EngineName, Sourced } from '../plan/types';
import { argv, engineFromImage, LaunchCommand, parseLaunch, Token } from './commandLine';
import { applyDirective, findDirective } from './directive';
import { entries, ParsedDocument, rangeOf } from './document';
import type { OptionEntry } from './engineOptions';
import { imageFacts } from './imageTag';
import { envEntries, gpuFromPodSpec, gpuSelectorSites, markSharedDirective } from './kubernetes';
import { keyTables, launchOptions } from './launch';
import { planFromOptions } from './planBuilder';
import { commands } from './shellScript';
import { withExtraOptions } from './trtllmExtraOptions';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { argvWriteBack, stringSites } from './writeBack';
import { dynamoPod } from './operatorPods';

const get = (node: unknown, path: string[]): unknown => path.reduce<unknown>((n, p) => (isMap(n) ? (n as YAMLMap).get(p, true) : undefined), node);
const str = (n: unknown) => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);
const num = (doc: ParsedDocument, n: unknown, key: string): Sourced<number> | undefined => {
  const v = Number(str(n));
  return isScalar(n) && Number.isFinite(v) ? sourced(v, { kind: 'file', range: rangeOf(doc, n as Node), key }) : undefined;
};

/** `python3 -m dynamo.<engine>` (older releases: `dynamo.sglang.worker`, `dynamo.sglang.decode_worker`). */
const MODULES: Array<{ module: RegExp; engine: EngineName }> = [
  { module: /^dynamo\.vllm(\..*)?$/, engine: 'vllm' },
  { module: /^dynamo\.sglang(\..*)?$/, engine: 'sglang' },
  { module: /^dynamo\.trtllm(\..*)?$/, engine: 'trtllm' },
];

/**
 * Flags Dynamo's worker adds to the engine's own parser (its endpoint, disaggregation role, KV connector, parsers):
 * components/src/dynamo/vllm/args.py, components/src/dynamo/sglang/args.py and
 * components/src/dynamo/trtllm/utils/trtllm_utils.py. They are not engine options and are not checked as such.
 */
const DYNAMO_FLAGS = new Set([
  'endpoint', 'is-prefill-worker', 'is-decode-worker', 'migration-limit', 'connector', 'custom-jinja-template', 'dyn-tool-call-parser',
  'dyn-reasoning-parser', 'use-vllm-tokenizer', 'use-sglang-tokenizer', 'multimodal-processor', 'multimodal-encode-worker', 'multimodal-worker',
  'multimodal-encode-prefill-worker', 'mm-prompt-template', 'dump-config-to', 'store-kv', 'request-plane', 'event-plane', 'enable-local-indexer',
  'dyn-endpoint-types', 'embedding-worker', 'served-model-name', 'next-endpoint', 'encode-endpoint', 'modality', 'allowed-local-media-path',
  'max-file-size-mb', 'publish-events-and-metrics', 'disaggregation-strategy', 'override-engine-args', 'gpus-per-node', 'kv-block-size',
]);

/**
 * dynamo.trtllm spells the LLM-API fields it forwards with dashes (trtllm_utils.py cmd_line_args): the names they
 * set. `--free-gpu-memory-fraction` is kv_cache_config.free_gpu_memory_fraction, read like trtllm-serve's
 * `--kv_cache_free_gpu_memory_fraction`.
 */
const TRTLLM_FLAGS: Record<string, string> = {
  'model-path': 'model', 'tensor-parallel-size': 'tensor_parallel_size', 'pipeline-parallel-size': 'pipeline_parallel_size',
  'expert-parallel-size': 'moe_expert_parallel_size', 'enable-attention-dp': 'enable_attention_dp', 'max-batch-size': 'max_batch_size',
  'max-num-tokens': 'max_num_tokens', 'max-seq-len': 'max_seq_len', 'max-beam-width': 'max_beam_width',
  'free-gpu-memory-fraction': 'kv_cache_free_gpu_memory_fraction',
};

type Role = 'prefill' | 'decode' | 'aggregated';

interface Worker {
  engine: EngineName;
  /** The worker's words after the module: the engine's flags and Dynamo's. */
  tokens: Token[];
}

/** The command that runs a Dynamo worker module, and the engine it wraps (from the module, else the image). */
function workerOf(doc: ParsedDocument, tokens: Token[], image: string | undefined): Worker | undefined {
  const cmds = commands(doc, tokens);
  // Another Dynamo module (dynamo.frontend, dynamo.planner, dynamo.router) serves no model of its own.
  const modules = cmds.flatMap((cmd) => cmd.filter((t, i) => cmd[i - 1]?.text === '-m' && /^dynamo\./.test(t.text)));
  if (modules.length && !modules.some((m) => MODULES.some((x) => x.module.test(m.text)))) return undefined;
  for (const cmd of cmds) {
    const at = cmd.findIndex((t, i) => t.text === '-m' && MODULES.some((m) => m.module.test(cmd[i + 1]?.text ?? '')));
    if (at >= 0) return { engine: MODULES.find((m) => m.module.test(cmd[at + 1].text))!.engine, tokens: cmd.slice(at + 2) };
    // The engine's own launcher (`vllm serve`) run by a Dynamo component.
    const own = parseLaunch(cmd, keyTables);
    if (own) return { engine: own.engine, tokens: cmd };
  }
  // Flags alone, run by the image's entrypoint.
  const hint = image ? engineFromImage(image) : undefined;
  return hint && tokens[0]?.text.startsWith('--') ? { engine: hint, tokens } : undefined;
}

function roleOf(service: unknown, name: string, launch: LaunchCommand): Role {
  const sub = str(get(service, ['subComponentType']))?.toLowerCase();
  if (sub === 'prefill' || sub === 'decode') return sub;
  const flag = (k: string) => launch.options.find((o) => o.key.replace(/_/g, '-') === k);
  if (flag('is-prefill-worker')) return 'prefill';
  if (flag('is-decode-worker')) return 'decode';
  const mode = String(flag('disaggregation-mode')?.value ?? '');
  if (mode === 'prefill' || mode === 'decode') return mode;
  if (/prefill/i.test(name)) return 'prefill';
  if (/decode/i.test(name)) return 'decode';
  return 'aggregated';
}

/** `resources.limits.gpu` (or requests), Dynamo's own spelling of the GPU count: a string. */
function gpuSites(doc: ParsedDocument, service: unknown): Array<{ node: Node; where: string }> {
  return ['limits', 'requests'].flatMap((where) => {
    const n = get(service, ['resources', where, 'gpu']);
    return isScalar(n) && Number.isFinite(Number(str(n))) ? [{ node: n as Node, where }] : [];
  });
}

function readService(doc: ParsedDocument, root: unknown, name: string, service: unknown, ctx: ReadContext): { plan?: DeploymentPlan; problems: FormatProblem[] } {
  const problems: FormatProblem[] = [];
  const type = str(get(service, ['componentType']))?.toLowerCase();
  // `main` marked the graph's entry (the frontend) in early releases.
  if (type && type !== 'worker') return { problems };
  const pod = get(service, ['extraPodSpec']);
  const main = get(pod, ['mainContainer']);
  const image = str(get(main, ['image']));
  const worker = workerOf(doc, argv(doc, get(main, ['command']), get(main, ['args'])), image);
  if (!worker) return { problems };
  const env: OptionEntry[] = [...envEntries(doc, get(service, ['envs'])), ...envEntries(doc, get(main, ['env']))];
  const launch = parseLaunch(worker.tokens, keyTables, worker.engine) ?? { engine: worker.engine, options: [], launcher: `dynamo.${worker.engine}`, tokens: worker.tokens };
  const role = roleOf(service, name, launch);
  if (worker.engine === 'trtllm') {
    for (const o of launch.options) {
      const k = o.key.replace(/^-+/, '');
      if (TRTLLM_FLAGS[k]) o.key = TRTLLM_FLAGS[k];
    }
    const modelFlag = launch.options.find((o) => o.key === 'model');
    if (modelFlag && typeof modelFlag.value === 'string') launch.model = { text: modelFlag.value, range: modelFlag.valueRange };
    // What is still dashed is Dynamo's own (its endpoint, disaggregation mode, parsers).
    launch.options = launch.options.filter((o) => o.key !== 'model' && (!o.key.includes('-') || o.key === 'extra-engine-args'));
  } else {
    launch.options = launch.options.filter((o) => !DYNAMO_FLAGS.has(o.key.replace(/^-+/, '').replace(/_/g, '-')));
  }
  const launched = launchOptions(launch, env, ctx);
  // dynamo.trtllm's --extra-engine-args file, merged as trtllm-serve merges its options file (trtllm/main.py calls
  // the same update_llm_args_with_extra_dict): from a ConfigMap of this manifest, or said not read.
  const extra = worker.engine === 'trtllm' ? withExtraOptions(doc, pod, main, launch, launched, ctx) : undefined;
  const o = extra?.options ?? launched;
  const sites = gpuSites(doc, service);
  const perPod = sites[0] ? num(doc, sites[0].node, `resources.${sites[0].where}.gpu`) : undefined;
  const nodesNode = get(service, ['multinode', 'nodeCount']);
  const nodes = num(doc, nodesNode, 'multinode.nodeCount');
  const count = perPod && nodes && nodes.value > 1 ? sourced(perPod.value * nodes.value, perPod.source) : perPod;
  const { gpu } = gpuFromPodSpec(doc, pod);
  const replicas = num(doc, get(service, ['replicas']), `${name}.replicas`);
  const trtCli = worker.engine === 'trtllm';
  const r = planFromOptions(name, o, { gpu, count, replicas }, ctx, {
    // dynamo.trtllm's flags are dashed where the key table's are not: new ones are not written for it.
    writeBack: trtCli ? extra?.writeBack : argvWriteBack(launch.tokens ?? []),
    image: imageFacts(doc, get(main, ['image'])),
    engineNote: `${o.engine} from the ${name} service's dynamo.${worker.engine} worker (${role === 'aggregated' ? 'aggregated prefill and decode' : `${role} worker`})`,
  });
  if (nodes && nodes.value > 1) r.plan.hardware.nodes = nodes;
  r.plan.hardwareSites = {
    gpuCount: sites.map((s) => ({ range: rangeOf(doc, s.node), form: 'number' as const })),
    podsPerReplica: nodes ? { value: nodes.value, range: nodes.source.kind === 'file' ? nodes.source.range : undefined } : undefined,
    replicas: replicas?.source.kind === 'file' ? replicas.source.range : undefined,
    gpuSelectors: gpuSelectorSites(doc, [pod]),
    selectsGpuType: true,
  };
  // Container args, env values and Dynamo's `gpu` quantity are strings in the CRD.
  const strings = stringSites(doc, root, launch.tokens ?? [], get(main, ['env']));
  const envStrings = stringSites(doc, root, [], get(service, ['envs'])).ranges;
  r.plan.strings = { ranges: [...strings.ranges, ...envStrings, ...sites.map((s) => rangeOf(doc, s.node))], quote: strings.quote };
  r.plan.pod = dynamoPod(doc, service);
  return { plan: r.plan, problems: [...problems, ...r.problems] };
}

const isGraph = (d: Document) => str(get(d.contents, ['kind'])) === 'DynamoGraphDeployment' && isMap(get(d.contents, ['spec', 'services']));

export const dynamoReader: FormatReader = {
  name: 'dynamo',
  detect(doc) {
    return doc.docs.some(isGraph);
  },
  read(doc, ctx) {
    const plans: DeploymentPlan[] = [];
    const problems: FormatProblem[] = [];
    const directive = findDirective(doc.text);
    for (const d of doc.docs.filter(isGraph)) {
      for (const e of entries(get(d.contents, ['spec', 'services']))) {
        const r = readService(doc, d.contents, e.key, e.valueNode, ctx);
        problems.push(...r.problems);
        if (r.plan) {
          applyDirective(r.plan, directive);
          plans.push(r.plan);
        }
      }
    }
    markSharedDirective(plans);
    return { format: 'dynamo', plans, problems };
  },
};
