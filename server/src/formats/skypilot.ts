/**
 * SkyPilot task YAML (`sky launch` / SkyServe `sky serve up`): `resources.accelerators` (`H100:8`, `{H100: 8}`, a
 * list or set of candidates), `num_nodes`, `envs`, `service.replicas` / `service.replica_policy`, and the engine's
 * command line inside the `run:` script, with `$VAR` / `${VAR}` taken from `envs`. One plan per task document.
 * Task YAML fields: skypilot-org/skypilot docs/source/reference/yaml-spec.rst (`resources`, `envs`, `run`, `service`).
 */
import { isMap, isScalar, isSeq, Node, Scalar, YAMLMap } from 'yaml';
import { sourced } from '../plan/types';
import type { DeploymentPlan, SourceRange, Sourced } from '../plan/types';
import { skypilotGpu } from './acceleratorNames';
import { parseLaunch, Token } from './commandLine';
import { applyDirective, findDirective } from './directive';
import { entries, ParsedDocument, position, rangeOf } from './document';
import type { OptionEntry } from './engineOptions';
import { markSharedDirective } from './kubernetes';
import { containerLaunch, keyTables, launchOptions } from './launch';
import { planFromOptions } from './planBuilder';
import { launchCommand, scriptTokens } from './shellScript';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { argvWriteBack, quoteStyle } from './writeBack';

const get = (node: unknown, path: string[]): unknown => path.reduce<unknown>((n, p) => (isMap(n) ? (n as YAMLMap).get(p, true) : undefined), node);
const str = (n: unknown) => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);

/** Keys of a task YAML besides `run` (one of them must be there: a bare `run:` is no one's in particular). */
const TASK_KEYS = ['resources', 'num_nodes', 'setup', 'envs', 'service', 'workdir', 'file_mounts', 'secrets'];

/** One accelerator request: the name and count as written, each with its range, and how many other candidates. */
interface Accelerator {
  name: string;
  nameRange: SourceRange;
  count: number;
  /** Where the count is written (absent: `H100` alone, one GPU). */
  countRange?: SourceRange;
  alternatives: number;
}

/** `NAME[:COUNT]` inside a one-line scalar: the name's and the count's own ranges. */
function fromSpec(doc: ParsedDocument, node: Scalar): Accelerator | undefined {
  const text = String(node.value).trim();
  const m = /^([A-Za-z0-9][\w.-]*)(?::\s*([\d.]+))?$/.exec(text);
  if (!m) return undefined;
  const [start] = node.range ?? [0];
  const raw = doc.text.slice(start, node.range?.[1] ?? start);
  const at = raw.indexOf(m[1]);
  if (at < 0 || raw.includes('\n')) return { name: m[1], nameRange: rangeOf(doc, node as Node), count: m[2] ? Number(m[2]) : 1, alternatives: 0 };
  const r = (from: number, len: number): SourceRange => ({ start: position(doc.lineCounter, start + from), end: position(doc.lineCounter, start + from + len) });
  const countAt = m[2] ? raw.indexOf(m[2], at + m[1].length) : -1;
  return { name: m[1], nameRange: r(at, m[1].length), count: m[2] ? Number(m[2]) : 1, countRange: countAt >= 0 ? r(countAt, m[2]!.length) : undefined, alternatives: 0 };
}

/** `accelerators:` as a string, a `{NAME: COUNT}` mapping (several keys: any of them), or a list (in order of preference). */
function accelerators(doc: ParsedDocument, node: unknown): Accelerator | undefined {
  if (isScalar(node)) return fromSpec(doc, node as Scalar);
  if (isMap(node)) {
    const all = entries(node);
    const first = all[0];
    if (!first) return undefined;
    // `{L4:1, A10G:1}` (SkyPilot's own examples) is a flow mapping of `NAME:COUNT` keys with no values.
    if (first.value === null && first.key.includes(':')) {
      const a = fromSpec(doc, first.keyNode);
      return a && { ...a, alternatives: all.length - 1 };
    }
    const n = Number(first.value ?? 1);
    return { name: first.key, nameRange: rangeOf(doc, first.keyNode), count: Number.isFinite(n) ? n : 1, countRange: isScalar(first.valueNode) && first.value !== null ? rangeOf(doc, first.valueNode as Node) : undefined, alternatives: all.length - 1 };
  }
  if (isSeq(node) && isScalar(node.items[0])) {
    const a = fromSpec(doc, node.items[0] as Scalar);
    return a && { ...a, alternatives: node.items.length - 1 };
  }
  return undefined;
}

/** `$VAR` and `${VAR}`: the names SkyPilot itself sets on every node, from the task's resources. */
function skypilotVars(acc: Accelerator | undefined, nodes: number): Map<string, string> {
  // SkyPilot exports these into `run` (docs/source/running-jobs/environment-variables.rst).
  return new Map([['SKYPILOT_NUM_GPUS_PER_NODE', String(acc?.count ?? 0)], ['SKYPILOT_NUM_NODES', String(nodes)]]);
}

interface EnvValue {
  value: string;
  node?: Node;
}

const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * The script's words with variables replaced by their values. A word that is one variable of `envs` takes that
 * value's range, so that findings and fixes land on the value where it is set; words with variables the task does not
 * define keep them (and are reported).
 */
function expand(doc: ParsedDocument, tokens: Token[], vars: Map<string, EnvValue>): Token[] {
  return tokens.map((t) => {
    const whole = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(t.text);
    const v = whole ? vars.get(whole[1] ?? whole[2]) : undefined;
    if (v?.node) return { ...t, text: v.value, range: rangeOf(doc, v.node) };
    return { ...t, text: t.text.replace(VAR, (m, a?: string, b?: string) => vars.get((a ?? b)!)?.value ?? m) };
  });
}

function readTask(doc: ParsedDocument, root: unknown, index: number, ctx: ReadContext): { plan?: DeploymentPlan; problems: FormatProblem[] } {
  const problems: FormatProblem[] = [];
  const run = get(root, ['run']);
  // `any_of` / `ordered` list candidate resources: the first one's accelerators.
  const candidates = ['any_of', 'ordered'].map((k) => get(root, ['resources', k])).find(isSeq);
  const accNode = get(root, ['resources', 'accelerators']) ?? (isSeq(candidates) ? get(candidates.items[0], ['accelerators']) : undefined);
  const acc = accelerators(doc, accNode);
  const nodesNode = get(root, ['num_nodes']);
  const nodes = Number(str(nodesNode) ?? 1) || 1;
  const envNode = get(root, ['envs']);
  const vars = new Map<string, EnvValue>([...skypilotVars(acc, nodes)].map(([k, value]) => [k, { value }]));
  const envList: OptionEntry[] = [];
  for (const e of entries(envNode)) {
    if (e.value === null || e.value === undefined) continue; // `HF_TOKEN:` left empty for `--env` / `--secret`
    vars.set(e.key, { value: String(e.value), node: e.valueNode ?? undefined });
    envList.push({ key: e.key, value: String(e.value), keyRange: rangeOf(doc, e.keyNode), valueRange: rangeOf(doc, (e.valueNode ?? e.keyNode) as Node) });
  }
  // The launch command is found in the script's own words (new flags go after its last one); its variables expanded.
  const written = launchCommand(doc, scriptTokens(doc, run), (c) => !!parseLaunch(expand(doc, c, vars), keyTables));
  const cmd = expand(doc, written, vars);
  const launch = containerLaunch({ name: 'run', tokens: cmd, env: envList });
  if (!launch) return { problems };
  // Words left with a `$` name a variable the task does not define (passed with `sky launch --env`, or a secret).
  const unresolved = (text: string) => /\$\{?[A-Za-z_]/.test(text);
  // SkyPilot's own run-time variables (SKYPILOT_NODE_RANK, SKYPILOT_NODE_IPS) are not the task's to define.
  for (const o of launch.options.filter((x) => typeof x.value === 'string' && unresolved(x.value) && !/^\$\{?SKYPILOT_/.test(x.value))) {
    problems.push({ code: 'launcher-not-read', severity: 'info', message: `${o.key} takes ${String(o.value)}, which envs does not define (set with \`sky launch --env\`?): the engine default is assumed.`, range: o.valueRange });
  }
  launch.options = launch.options.filter((x) => !(typeof x.value === 'string' && unresolved(x.value)));
  if (launch.model && unresolved(launch.model.text)) {
    problems.push({ code: 'launcher-not-read', severity: 'warning', message: `The model is ${launch.model.text}, which envs does not define: set it in envs (or a # deploy-advisor: line) to estimate.`, range: launch.model.range });
    launch.model = undefined;
  }
  const o = launchOptions(launch, envList, ctx);
  const name = str(get(root, ['name'])) ?? (index ? `task ${index + 1}` : undefined);
  const gpu = acc ? sourced(skypilotGpu(acc.name), { kind: 'file' as const, range: acc.nameRange, key: 'resources.accelerators' }) : undefined;
  const perNode = acc && acc.count >= 1 ? acc.count : undefined;
  const count = perNode ? sourced(perNode * nodes, { kind: 'file' as const, range: acc!.countRange ?? acc!.nameRange, key: nodes > 1 ? `resources.accelerators × num_nodes (${nodes})` : 'resources.accelerators' }) : undefined;
  if (acc && acc.count < 1) problems.push({ code: 'launcher-not-read', severity: 'info', message: `${acc.name}:${acc.count} is a fraction of a GPU; the estimate assumes the whole GPU.`, range: acc.countRange ?? acc.nameRange });
  if (acc && acc.alternatives > 0) problems.push({ code: 'launcher-not-read', severity: 'info', message: `SkyPilot may launch on any of ${acc.alternatives + 1} accelerator candidates; the estimate is for the first, ${acc.name}.`, range: acc.nameRange });
  const replicas = replicaCount(doc, root);
  const r = planFromOptions(name, o, { gpu, count, replicas }, ctx, { writeBack: argvWriteBack(written), engineNote: `${o.engine} from the task's run: script` });
  if (nodes > 1) r.plan.hardware.nodes = sourced(nodes, { kind: 'file', range: rangeOf(doc, nodesNode as Node), key: 'num_nodes' });
  r.plan.hardwareSites = {
    gpuCount: acc?.countRange && nodes === 1 ? [{ range: acc.countRange, form: 'number' }] : [],
    replicas: replicas?.source.kind === 'file' ? replicas.source.range : undefined,
    // The accelerator name: an edit to another GPU writes SkyPilot's name for it (formats/acceleratorNames.ts).
    gpuSelectors: acc ? [{ label: 'skypilot:accelerators', value: acc.name, range: acc.nameRange, alternatives: acc.alternatives }] : [],
    selectsGpuType: true,
  };
  // Variables of envs that the command line reads are strings to SkyPilot (and to the shell).
  r.plan.strings = { ranges: cmd.filter((t) => envList.some((e) => e.valueRange.start.line === t.range.start.line && e.valueRange.start.character === t.range.start.character)).map((t) => t.range), quote: quoteStyle(root) };
  return { plan: r.plan, problems: [...problems, ...r.problems] };
}

/** `service.replicas`, or the autoscaler's `replica_policy.max_replicas` (the most it runs), else `min_replicas`. */
function replicaCount(doc: ParsedDocument, root: unknown): Sourced<number> | undefined {
  for (const path of [['service', 'replicas'], ['service', 'replica_policy', 'max_replicas'], ['service', 'replica_policy', 'min_replicas']]) {
    const n = get(root, path);
    const v = Number(str(n));
    if (isScalar(n) && Number.isFinite(v)) return sourced(v, { kind: 'file', range: rangeOf(doc, n as Node), key: path.join('.') });
  }
  return undefined;
}

function isTask(doc: ParsedDocument, root: unknown): boolean {
  if (!isMap(root) || root.has('apiVersion') || root.has('kind')) return false;
  const run = get(root, ['run']);
  if (!isScalar(run) || typeof run.value !== 'string' || !TASK_KEYS.some((k) => (root as YAMLMap).has(k))) return false;
  return !!parseLaunch(scriptTokens(doc, run), keyTables);
}

export const skypilotReader: FormatReader = {
  name: 'skypilot',
  detect(doc) {
    return doc.docs.some((d) => isTask(doc, d.contents));
  },
  read(doc, ctx) {
    const plans: DeploymentPlan[] = [];
    const problems: FormatProblem[] = [];
    const directive = findDirective(doc.text);
    doc.docs.forEach((d, i) => {
      if (!isTask(doc, d.contents)) return;
      const r = readTask(doc, d.contents, i, ctx);
      problems.push(...r.problems);
      if (r.plan) {
        applyDirective(r.plan, directive);
        plans.push(r.plan);
      }
    });
    markSharedDirective(plans);
    return { format: 'skypilot', plans, problems };
  },
};
