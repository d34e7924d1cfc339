/**
 * The pod around the engine, read with ranges: the /dev/shm mount (a volume's emptyDir `medium` and `sizeLimit`, or
 * `hostIPC`), the container's memory limit and request, its startup / readiness / liveness probes, and where a fix adds
 * what is missing, in the manifest's own layout (block or flow lists, indentation, quotes). Kubernetes pod specs
 * (Deployments, StatefulSets, LeaderWorkerSet templates, a KServe predictor) and Compose services.
 * Readers call `kubernetesPod(doc, podSpec, container)` / `composePod(doc, service)` and attach the result as plan.pod.
 */
import { isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { ComposePod, KubernetesPod, ListSite, MappingSite, ProbeFacts, ProbeName, YamlStyle } from '../plan/pod';
import { sourced, Sourced } from '../plan/types';
import { ParsedDocument, rangeOf } from './document';
import { composeSize, kubernetesQuantity } from './quantity';

const get = (node: unknown, key: string): unknown => (isMap(node) ? (node as YAMLMap).get(key, true) : undefined);
const str = (n: unknown) => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);
const lineText = (doc: ParsedDocument, line: number) => {
  const start = doc.lineCounter.lineStarts[line] ?? 0;
  const end = doc.lineCounter.lineStarts[line + 1] ?? doc.text.length + 1;
  return doc.text.slice(start, end - 1);
};

/** The last line a node's content is on (a block value's range ends at the start of the next line). */
function lastLine(doc: ParsedDocument, node: Node): number {
  const r = rangeOf(doc, node);
  let line = r.end.line;
  if (r.end.character === 0 && line > r.start.line) line -= 1;
  while (line > r.start.line && lineText(doc, line).trim() === '') line -= 1;
  return line;
}

/** Where new keys of a block mapping go: after its last line, at its keys' column. */
export function mappingSite(doc: ParsedDocument, map: unknown): MappingSite | undefined {
  if (!isMap(map) || (map as YAMLMap).flow || !map.items.length) return undefined;
  const first = map.items[0] as Pair<Node, Node>;
  const col = rangeOf(doc, first.key as Node).start.character;
  return { afterLine: lastLine(doc, map as unknown as Node), indent: ' '.repeat(col) };
}

function listSite(doc: ParsedDocument, seq: unknown): ListSite | undefined {
  if (!isSeq(seq)) return undefined;
  const r = rangeOf(doc, seq as Node);
  if ((seq as YAMLSeq).flow) {
    const closeAt = { line: r.end.line, character: Math.max(0, r.end.character - 1) };
    return { style: 'flow', end: closeAt, empty: seq.items.length === 0 };
  }
  if (!seq.items.length) return undefined;
  const first = rangeOf(doc, seq.items[0] as Node).start;
  const dash = /^(\s*)-\s*$/.exec(lineText(doc, first.line).slice(0, first.character));
  return { style: 'block', afterLine: lastLine(doc, seq as Node), indent: dash ? dash[1] : ' '.repeat(Math.max(0, first.character - 2)) };
}

function quoteOf(n: unknown): YamlStyle['quote'] {
  if (!isScalar(n)) return '';
  return (n as Scalar).type === 'QUOTE_DOUBLE' ? '"' : (n as Scalar).type === 'QUOTE_SINGLE' ? "'" : '';
}

/** Spaces per level and list indentation, read from the container list and the container's own nesting. */
export function styleOf(doc: ParsedDocument, listKeyCol: number | undefined, container: unknown): YamlStyle {
  let seqIndent = 0;
  let step = 2;
  if (isMap(container) && container.items.length) {
    const keyCol = rangeOf(doc, (container.items[0] as Pair<Node, Node>).key as Node).start;
    const dash = /^(\s*)-\s*$/.exec(lineText(doc, keyCol.line).slice(0, keyCol.character));
    if (dash && listKeyCol !== undefined) seqIndent = Math.max(0, dash[1].length - listKeyCol);
    for (const p of container.items as Array<Pair<Node, Node>>) {
      if (isMap(p.value) && !(p.value as YAMLMap).flow && p.value.items.length) {
        step = Math.max(1, rangeOf(doc, (p.value.items[0] as Pair<Node, Node>).key as Node).start.character - keyCol.character);
        break;
      }
    }
  }
  const name = get(container, 'name') ?? get(container, 'image');
  return { step, seqIndent, quote: quoteOf(name) };
}

export function fileNumber(doc: ParsedDocument, node: unknown, key: string, parse: (v: unknown) => number | undefined): Sourced<number> | undefined {
  if (!isScalar(node)) return undefined;
  const v = parse((node as Scalar).value);
  return v === undefined ? undefined : sourced(v, { kind: 'file', range: rangeOf(doc, node as Node), key });
}

export const seconds = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : undefined);

/** The probe at `key` of a mapping (`startupProbe` of a container; NIMService's `startupProbe.probe`), read as `name`. */
export function probeOf(doc: ParsedDocument, container: unknown, name: ProbeName, key: string = name): ProbeFacts | undefined {
  if (!isMap(container)) return undefined;
  const pair = container.items.find((p) => isScalar(p.key) && (p.key as Scalar).value === key) as Pair<Node, Node> | undefined;
  const probe = pair?.value;
  if (!pair || !isMap(probe)) return undefined;
  const field = (k: string) => fileNumber(doc, get(probe, k), `${name}.${k}`, seconds);
  const fields = mappingSite(doc, probe);
  if (!fields) return undefined;
  return {
    keyRange: rangeOf(doc, pair.key as Node), fields,
    initialDelaySeconds: field('initialDelaySeconds'), periodSeconds: field('periodSeconds'),
    failureThreshold: field('failureThreshold'), timeoutSeconds: field('timeoutSeconds'),
  };
}

const PROBE_FIELDS = ['initialDelaySeconds', 'periodSeconds', 'failureThreshold', 'timeoutSeconds'] as const;

/**
 * The probes of a container merged over lower layers, field by field (a strategic merge patch merges a probe's
 * fields; KServe merges the predictor's container over the runtime's so). The probe is the top layer's that writes it:
 * its key is where findings land and fields it lacks go into it.
 */
export function probesOf(doc: ParsedDocument, containers: unknown[], names: readonly ProbeName[] = ['startupProbe', 'readinessProbe', 'livenessProbe']): Partial<Record<ProbeName, ProbeFacts>> {
  const out: Partial<Record<ProbeName, ProbeFacts>> = {};
  for (const name of names) {
    const layers = containers.map((c) => probeOf(doc, c, name)).filter((p): p is ProbeFacts => !!p);
    if (!layers.length) continue;
    const merged: ProbeFacts = { keyRange: layers[0].keyRange, fields: layers[0].fields };
    for (const f of PROBE_FIELDS) {
      const v = layers.find((l) => l[f])?.[f];
      if (v) merged[f] = v;
    }
    out[name] = merged;
  }
  return out;
}

/** A Kubernetes quantity at `node`, with its range. */
export const quantityAt = (doc: ParsedDocument, node: unknown, key: string) => fileNumber(doc, node, key, kubernetesQuantity);

/** One layer of a pod that a controller merges (KServe: the InferenceService predictor over its ServingRuntime). */
export interface PodLayer {
  podSpec: unknown;
  container: unknown;
}

/** The pod facts of one container of a Kubernetes pod spec (a template's `spec`, a KServe predictor). */
export function kubernetesPod(doc: ParsedDocument, podSpec: unknown, container: unknown): KubernetesPod | undefined {
  return layeredPod(doc, [{ podSpec, container }], 0);
}

/**
 * The pod facts of pod layers merged top first (each field from the first layer that writes it; volumes and mounts
 * concatenated, the upper layer's entry winning by name / mountPath), with new volumes, mounts and fields written into
 * layer `writeTo`.
 */
export function layeredPod(doc: ParsedDocument, layers: PodLayer[], writeTo: number): KubernetesPod | undefined {
  const target = layers[writeTo];
  if (!target || !isMap(target.podSpec) || !isMap(target.container)) return undefined;
  const podSite = mappingSite(doc, target.podSpec);
  const containerSite = mappingSite(doc, target.container);
  if (!podSite || !containerSite) return undefined;
  const containersPair = (target.podSpec as YAMLMap).items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === 'containers') as Pair<Node, Node> | undefined;
  const style = styleOf(doc, containersPair ? rangeOf(doc, containersPair.key as Node).start.character : podSite.indent.length, target.container);
  const items = (n: unknown) => (isSeq(n) ? n.items : []);
  const mounts = layers.flatMap((l) => items(get(l.container, 'volumeMounts')));
  const volumes = layers.flatMap((l) => items(get(l.podSpec, 'volumes')));
  let shm: KubernetesPod['shm'];
  // The first mount at /dev/shm is the one in force (the upper layer's).
  const m = mounts.find((x) => str(get(x, 'mountPath'))?.replace(/\/+$/, '') === '/dev/shm');
  if (m) {
    const path = get(m, 'mountPath');
    const volumeName = str(get(m, 'name')) ?? '';
    const volume = volumes.find((v) => str(get(v, 'name')) === volumeName);
    const emptyDir = get(volume, 'emptyDir');
    shm = {
      volumeName, medium: str(get(emptyDir, 'medium')), mountRange: rangeOf(doc, path as Node),
      sizeLimit: fileNumber(doc, get(emptyDir, 'sizeLimit'), 'emptyDir.sizeLimit', kubernetesQuantity),
      emptyDirFields: mappingSite(doc, emptyDir),
    };
  }
  const hostIpcNode = layers.map((l) => get(l.podSpec, 'hostIPC')).find(isScalar);
  const hostIpc = isScalar(hostIpcNode) ? sourced(hostIpcNode.value === true || hostIpcNode.value === 'true', { kind: 'file' as const, range: rangeOf(doc, hostIpcNode as Node), key: 'hostIPC' }) : undefined;
  // Resources merge key by key: the first layer's limits.memory / requests.memory that is written.
  const resource = (where: 'limits' | 'requests') => layers.map((l) => fileNumber(doc, get(get(get(l.container, 'resources'), where), 'memory'), `resources.${where}.memory`, kubernetesQuantity)).find(Boolean);
  const first = (layers[0].container as YAMLMap).items?.[0] as Pair<Node, Node> | undefined;
  const nameNode = get(layers[0].container, 'name');
  const resources = get(target.container, 'resources');
  return {
    kind: 'kubernetes',
    ...(hostIpc ? { hostIpc } : {}),
    ...(shm ? { shm } : {}),
    memoryLimit: resource('limits'),
    memoryRequest: resource('requests'),
    probes: probesOf(doc, layers.map((l) => l.container)),
    containerRange: rangeOf(doc, (isScalar(nameNode) ? nameNode : first?.key ?? target.container) as Node),
    sites: {
      volumes: listSite(doc, get(target.podSpec, 'volumes')), podSpec: podSite, volumeMounts: listSite(doc, get(target.container, 'volumeMounts')), container: containerSite,
      resources: mappingSite(doc, resources), limits: mappingSite(doc, get(resources, 'limits')),
    },
    style,
  };
}

/** The pod facts of a Compose service: `shm_size`, `ipc`, the memory limit (`deploy.resources.limits.memory`, `mem_limit`). */
export function composePod(doc: ParsedDocument, service: unknown, serviceKey: Node): ComposePod | undefined {
  const site = mappingSite(doc, service);
  if (!site) return undefined;
  const ipcNode = get(service, 'ipc');
  const ipc = str(ipcNode) !== undefined ? sourced(str(ipcNode)!, { kind: 'file' as const, range: rangeOf(doc, ipcNode as Node), key: 'ipc' }) : undefined;
  const memory = fileNumber(doc, get(get(get(get(service, 'deploy'), 'resources'), 'limits'), 'memory'), 'deploy.resources.limits.memory', composeSize)
    ?? fileNumber(doc, get(service, 'mem_limit'), 'mem_limit', composeSize);
  return {
    kind: 'compose',
    shmSize: fileNumber(doc, get(service, 'shm_size'), 'shm_size', composeSize),
    ...(ipc ? { ipc } : {}),
    ...(memory ? { memoryLimit: memory } : {}),
    service: site, serviceRange: rangeOf(doc, serviceKey),
    style: { step: 2, seqIndent: 0, quote: quoteOf(get(service, 'image')) },
  };
}

