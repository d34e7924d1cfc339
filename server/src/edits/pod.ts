/**
 * Pod changes of a fix (plan/pod.ts PodChange) as text edits in the manifest's own layout: a Memory emptyDir and its
 * /dev/shm mount added to the lists the pod spec and the container already have (block or flow), or those lists opened
 * where they are missing; a sizeLimit, memory limit or probe threshold rewritten in place in the unit and quotes it was
 * written with; Compose `shm_size` and memory limits likewise.
 */
import type { ComposePod, KubernetesPod, ListSite, MappingSite, PodChange, ProbeFacts, ProbeName, ProductionStackPod, YamlStyle } from '../plan/pod';
import type { DeploymentPlan, SourceRange } from '../plan/types';
import { formatComposeSize, formatKubernetesQuantity } from '../formats/quantity';
import { insertLines, Lines, offsetText, quoteAt, quoted, TextEdit } from './text';
import { keysOf, removeOne } from './remove';

const SHM_VOLUME = 'dshm';

export interface PodEdits {
  edits: TextEdit[];
  blockers: string[];
}

/** A value rewritten in place, quoted as it was. */
function replaceValue(lines: Lines, range: SourceRange, text: string): TextEdit {
  const q = quoteAt(offsetText(lines, range));
  return { range, newText: q ? quoted(text, q) : text };
}

const scalar = (s: string, style: YamlStyle) => (style.quote ? quoted(s, style.quote) : s);

/** A YAML mapping, one `key: value` per line or nested, as block lines at `indent`. */
type Tree = Array<[string, string | Tree]>;
function blockLines(tree: Tree, indent: string, style: YamlStyle): string[] {
  return tree.flatMap(([k, v]) => (typeof v === 'string' ? [`${indent}${k}: ${scalar(v, style)}`] : [`${indent}${k}:`, ...blockLines(v, indent + ' '.repeat(style.step), style)]));
}
const flowMap = (tree: Tree, style: YamlStyle): string => `{${tree.map(([k, v]) => `${k}: ${typeof v === 'string' ? scalar(v, style) : flowMap(v, style)}`).join(', ')}}`;

/** One list item (a mapping) appended to an existing list, or the list opened under `key` in `parent`. */
function addItem(lines: Lines, list: ListSite | undefined, parent: MappingSite, key: string, item: Tree, style: YamlStyle): TextEdit {
  const asItem = (dashIndent: string) => {
    const [first, ...rest] = blockLines(item, `${dashIndent}  `, style);
    return [`${dashIndent}- ${first.trimStart()}`, ...rest].join('\n');
  };
  if (list?.style === 'flow') return { range: { start: list.end, end: list.end }, newText: `${list.empty ? '' : ', '}${flowMap(item, style)}` };
  if (list?.style === 'block') return insertLines(lines, list.afterLine, asItem(list.indent));
  return insertLines(lines, parent.afterLine, `${parent.indent}${key}:\n${asItem(parent.indent + ' '.repeat(style.seqIndent))}`);
}

function kubernetesShm(lines: Lines, pod: KubernetesPod, bytes: number, out: PodEdits): void {
  if (pod.hostIpc?.value) return;
  const size = formatKubernetesQuantity(bytes, pod.shm?.sizeLimit && offsetText(lines, (pod.shm.sizeLimit.source as { range: SourceRange }).range));
  if (pod.shm) {
    if (pod.shm.medium !== 'Memory') {
      out.blockers.push(`the volume "${pod.shm.volumeName}" at /dev/shm is not a medium: Memory emptyDir; change it by hand`);
      return;
    }
    if (pod.shm.sizeLimit?.source.kind === 'file') {
      if (pod.shm.sizeLimit.value < bytes) out.edits.push(replaceValue(lines, pod.shm.sizeLimit.source.range, size));
    } else if (pod.shm.emptyDirFields) {
      out.edits.push(insertLines(lines, pod.shm.emptyDirFields.afterLine, `${pod.shm.emptyDirFields.indent}sizeLimit: ${scalar(size, pod.style)}`));
    }
    return;
  }
  const volume: Tree = [['name', SHM_VOLUME], ['emptyDir', [['medium', 'Memory'], ['sizeLimit', size]]]];
  const mount: Tree = [['name', SHM_VOLUME], ['mountPath', '/dev/shm']];
  out.edits.push(addItem(lines, pod.sites.volumeMounts, pod.sites.container, 'volumeMounts', mount, pod.style));
  out.edits.push(addItem(lines, pod.sites.volumes, pod.sites.podSpec, 'volumes', volume, pod.style));
}

/** A memory limit rewritten in place, in the unit it is written in; nothing when it is not written or already enough. */
function memoryLimitEdit(lines: Lines, limit: KubernetesPod['memoryLimit'], bytes: number, out: PodEdits): void {
  if (!limit || limit.source.kind !== 'file' || limit.value >= bytes) return;
  out.edits.push(replaceValue(lines, limit.source.range, formatKubernetesQuantity(bytes, offsetText(lines, limit.source.range))));
}

/** A probe's failureThreshold: rewritten where written, added to the probe, or the probe opened (a chart default). */
function probeEdit(lines: Lines, name: ProbeName, probe: ProbeFacts | undefined, threshold: number, style: YamlStyle, out: PodEdits): void {
  if (!probe) out.blockers.push(`the container has no ${name}`);
  else if (probe.failureThreshold?.source.kind === 'file') out.edits.push(replaceValue(lines, probe.failureThreshold.source.range, String(threshold)));
  else if (probe.fields) out.edits.push(insertLines(lines, probe.fields.afterLine, `${probe.fields.indent}failureThreshold: ${threshold}`));
  else if (probe.opening) out.edits.push(insertLines(lines, probe.opening.afterLine, `${probe.opening.indent}${name}:\n${probe.opening.indent}${' '.repeat(style.step)}failureThreshold: ${threshold}`));
  else out.blockers.push(`the file has no place for ${name}.failureThreshold`);
}

/**
 * production-stack: the chart mounts its shm emptyDir when vllmConfig has tensorParallelSize, so the fix writes that
 * key (TP given in extraArgs moves there, leaving the command line the same) and raises shmSize when it is too small.
 */
function productionStackShm(lines: Lines, plan: DeploymentPlan, pod: ProductionStackPod, bytes: number, out: PodEdits): void {
  if (!pod.shmMounted) {
    const tp = plan.knobs.tensorParallel?.value ?? 1;
    out.edits.push(...keysOf(plan, 'tensorParallel').map((k) => removeOne(lines, k)));
    const site = pod.sites.vllmConfig;
    out.edits.push(site
      ? insertLines(lines, site.afterLine, `${site.indent}tensorParallelSize: ${tp}`)
      : insertLines(lines, pod.sites.modelSpec.afterLine, `${pod.sites.modelSpec.indent}vllmConfig:\n${pod.sites.modelSpec.indent}${' '.repeat(pod.style.step)}tensorParallelSize: ${tp}`));
  }
  if (pod.shmSize.value >= bytes) return;
  const written = pod.shmSize.source.kind === 'file' ? pod.shmSize.source.range : undefined;
  const q = formatKubernetesQuantity(bytes, written && offsetText(lines, written));
  out.edits.push(written ? replaceValue(lines, written, q) : insertLines(lines, pod.sites.modelSpec.afterLine, `${pod.sites.modelSpec.indent}shmSize: ${scalar(q, pod.style)}`));
}

function composeChange(lines: Lines, pod: ComposePod, c: PodChange, out: PodEdits): void {
  if (c.kind === 'shm') {
    if (pod.ipc?.value === 'host') return;
    const current = pod.shmSize?.source.kind === 'file' ? pod.shmSize.source.range : undefined;
    const size = formatComposeSize(c.bytes, current && offsetText(lines, current));
    out.edits.push(current ? replaceValue(lines, current, size) : insertLines(lines, pod.service.afterLine, `${pod.service.indent}shm_size: ${scalar(size, pod.style)}`));
  } else if (c.kind === 'memoryLimit') {
    const limit = pod.memoryLimit;
    if (limit?.source.kind === 'file' && limit.value < c.bytes) out.edits.push(replaceValue(lines, limit.source.range, formatComposeSize(c.bytes, offsetText(lines, limit.source.range))));
  } else {
    out.blockers.push('Compose healthchecks do not restart a container; there is no probe to change');
  }
}

/** Edits for a fix's pod changes, and what the file has no place for. */
export function podEdits(lines: Lines, plan: DeploymentPlan, changes: PodChange[] | undefined): PodEdits {
  const out: PodEdits = { edits: [], blockers: [] };
  if (!changes?.length) return out;
  const pod = plan.pod;
  if (!pod) return { edits: [], blockers: ['this file states no pod to change'] };
  for (const c of changes) {
    switch (pod.kind) {
      case 'compose':
        composeChange(lines, pod, c, out);
        break;
      case 'production-stack':
        if (c.kind === 'shm') productionStackShm(lines, plan, pod, c.bytes, out);
        else if (c.kind === 'memoryLimit') memoryLimitEdit(lines, pod.memoryLimit, c.bytes, out);
        else probeEdit(lines, c.probe, pod.probes[c.probe], c.failureThreshold, pod.style, out);
        break;
      case 'managed':
        if (c.kind === 'shm') out.blockers.push(`the ${pod.operator} sets up /dev/shm itself; the resource has no key for it`);
        else if (c.kind === 'memoryLimit') memoryLimitEdit(lines, pod.memoryLimit, c.bytes, out);
        else probeEdit(lines, c.probe, pod.probes[c.probe], c.failureThreshold, pod.style, out);
        break;
      default:
        for (const p of [pod, ...(pod.alsoPods ?? [])]) {
          if (c.kind === 'shm') kubernetesShm(lines, p, c.bytes, out);
          else if (c.kind === 'memoryLimit') memoryLimitEdit(lines, p.memoryLimit, c.bytes, out);
          else if (p === pod) probeEdit(lines, c.probe, p.probes[c.probe], c.failureThreshold, p.style, out);
        }
    }
  }
  return out;
}
