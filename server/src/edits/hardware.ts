/**
 * The hardware part of a fix or an applied plan → edits wherever the file states it: GPUs per pod (limits and
 * requests, every pod template of a group, a Compose device count, Helm `requestGPU`), a LeaderWorkerSet's group size,
 * replicas, and the node labels that select the GPU type or instance type; the directive comment or a profile's
 * `hardware:` keys. What the file has no place for comes back as a note, never silently dropped.
 */
import { defaultDeps } from '../estimator/estimate';
import { cloudOf, gpuFromLabel, instanceFor, instanceOf, isInstanceLabel, labelValueFor } from '../formats/gpuLabels';
import type { DeploymentPlan, EngineKnobs, HardwareChange, SourceRange, Sourced } from '../plan/types';
import type { FixIntent } from '../rules/types';
import { Lines, offsetText, quoteAt, sameStart, TextEdit, yamlScalar } from './text';

// The built-in catalog: label vocabularies and instance types name built-in GPUs only.
const catalog = defaultDeps.gpus;
const catalogId = (name: string) => catalog.find(name)?.id ?? name;
const gpuName = (id: string) => catalog.find(id)?.name.replace(/^NVIDIA |^AMD /, '') ?? id;

type Knobs = Partial<Record<keyof EngineKnobs, unknown>>;

/** GPUs a replica's engine uses, as the readers' gpu-count check counts them: TP × PP × DP (DP attention splits the
 *  TP GPUs instead). */
function gpusUsed(k: Knobs): number {
  const n = (v: unknown) => (typeof v === 'number' && v > 0 ? v : 1);
  const dp = k.attentionDataParallel === true ? 1 : n(k.dataParallel);
  return n(k.tensorParallel) * n(k.pipelineParallel) * dp;
}

const knobValues = (plan: DeploymentPlan): Knobs => Object.fromEntries(Object.entries(plan.knobs).map(([k, v]) => [k, (v as Sourced<unknown> | undefined)?.value]));

const PARALLEL_KNOBS = new Set<keyof EngineKnobs>(['tensorParallel', 'pipelineParallel', 'dataParallel', 'attentionDataParallel']);

/** The hardware a fix changes: its own, or (a fix that changes only the parallel layout) the GPU count that keeps the
 *  file's count equal to what the engine uses, where it was before. */
function wanted(plan: DeploymentPlan, fix: FixIntent): HardwareChange {
  const hw = { ...fix.hardware };
  if (hw.gpusPerReplica === undefined && fix.changes.some((c) => PARALLEL_KNOBS.has(c.knob))) {
    const before = knobValues(plan);
    const after: Knobs = { ...before, ...Object.fromEntries(fix.changes.map((c) => [c.knob, c.value])) };
    const count = plan.hardware.count?.value;
    if (count !== undefined && count === gpusUsed(before) && gpusUsed(after) !== count) hw.gpusPerReplica = gpusUsed(after);
  }
  return hw;
}

const directiveKey = (s: Sourced<unknown> | undefined) => (s?.source.kind === 'file' && s.source.key.startsWith('deploy-advisor: ') ? s.source.key.slice('deploy-advisor: '.length) : undefined);

/** A value where the plan's own hardware field says the file states it (the directive comment, a profile key), when
 *  it is not one of the sites already edited. */
function ownSite(lines: Lines, s: Sourced<unknown> | undefined, value: string | number, edited: SourceRange[]): TextEdit | undefined {
  if (s?.source.kind !== 'file' || edited.some((r) => sameStart(r, (s.source as { range: SourceRange }).range))) return undefined;
  const range = s.source.range;
  const key = directiveKey(s);
  return { range, newText: key ? `${key}=${value}` : yamlScalar(value, quoteAt(offsetText(lines, range))) };
}

function replaceNumber(lines: Lines, range: SourceRange, n: number): TextEdit {
  return { range, newText: yamlScalar(n, quoteAt(offsetText(lines, range))) };
}

/** A Compose `device_ids` list with the first `n` device ids, in the list's own style. */
function deviceIds(lines: Lines, range: SourceRange, n: number): TextEdit {
  const current = offsetText(lines, range);
  const q = /["']/.exec(current)?.[0] ?? '';
  const ids = Array.from({ length: n }, (_, i) => (q ? `${q}${i}${q}` : `"${i}"`));
  if (current.trimStart().startsWith('[')) return { range, newText: `[${ids.join(', ')}]` };
  return { range, newText: ids.map((id) => `- ${id}`).join(`\n${' '.repeat(range.start.character)}`) };
}

/** GPUs per pod and pods per replica for `count` GPUs a replica: one pod where the file runs one; a LeaderWorkerSet
 *  fills pods of the size the file gives them (or the node's GPUs), one pod when the count fits in it. */
function layout(count: number, pods: number, perPodNow: number, perPodMax: number): { perPod: number; pods: number } | undefined {
  if (count <= perPodMax) return { perPod: count, pods: 1 };
  if (count % perPodMax === 0) return { perPod: perPodMax, pods: count / perPodMax };
  if (count % pods === 0 && count / pods <= perPodMax) return { perPod: count / pods, pods };
  return perPodNow > 0 && count % perPodNow === 0 ? { perPod: perPodNow, pods: count / perPodNow } : undefined;
}

/**
 * `notes`: parts the file has no place for (it names no GPU type, states no replica count), said so the user can see
 * to them. `blockers`: parts the file states but cannot be rewritten to (GKE has no L40S; GPUs that do not split over
 * a group's pods): applying the rest would leave a file whose knobs and hardware disagree, so the fix is not offered.
 */
export function hardwareEdits(lines: Lines, plan: DeploymentPlan, fix: FixIntent): { edits: TextEdit[]; notes: string[]; blockers: string[] } {
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  const blockers: string[] = [];
  // JSON has no comments: there the note alone says what the file cannot.
  const json = /^\s*[{[]/.test(lines.find((l) => l.trim() && !/^\s*#/.test(l)) ?? '');
  const noted = json ? '' : ' (noted in its deploy-advisor comment)';
  const hw = wanted(plan, fix);
  const sites = plan.hardwareSites;
  const gpuNow = catalogId(plan.hardware.gpu.value);
  const gpu = hw.gpu !== undefined ? catalogId(hw.gpu) : gpuNow;
  const gpuChanges = gpu !== gpuNow;
  const pods = sites?.podsPerReplica?.value ?? 1;
  const countNow = plan.hardware.count?.value;
  const countChanges = hw.gpusPerReplica !== undefined && hw.gpusPerReplica !== (countNow ?? gpusUsed(knobValues(plan)));
  const perPodNow = countNow !== undefined ? countNow / pods : undefined;

  // The node the pods run on now, where an instance-type label says it: its GPUs bound a pod's.
  const instanceSite = sites?.gpuSelectors.find((s) => isInstanceLabel(s.label));
  const nodeNow = instanceSite ? instanceOf(instanceSite.value) : undefined;
  const nodeGpus = nodeNow && nodeNow.gpu === gpu ? nodeNow.count : undefined;

  // GPUs per pod, pods per replica.
  let perPod = perPodNow;
  if (countChanges) {
    const count = hw.gpusPerReplica!;
    const shape = sites?.podsPerReplica ? layout(count, pods, perPodNow ?? count, nodeGpus ?? perPodNow ?? count) : { perPod: count, pods: 1 };
    if (!shape) {
      blockers.push(`${count} GPUs do not split evenly over the group's pods (${pods} × ${perPodNow})`);
    } else if (shape.pods !== pods && !sites?.podsPerReplica?.range) {
      blockers.push(`the plan needs ${shape.pods} pods of ${shape.perPod} GPUs per replica, and the file states no group size: set it`);
    } else {
      perPod = shape.perPod;
      if (shape.pods !== pods) edits.push(replaceNumber(lines, sites!.podsPerReplica!.range!, shape.pods));
      for (const s of sites?.gpuCount ?? []) edits.push(s.form === 'deviceIds' ? deviceIds(lines, s.range, shape.perPod) : replaceNumber(lines, s.range, shape.perPod));
      const own = ownSite(lines, plan.hardware.count, count, (sites?.gpuCount ?? []).map((s) => s.range));
      if (own) edits.push(own);
      if (!sites?.gpuCount.length && !own) {
        const where = sites ? 'the file requests no GPUs' : plan.hardware.count ? `the GPU count comes from ${provenance(plan.hardware.count)}` : '';
        if (sites || plan.hardware.count) notes.push(`${where}: give each replica ${count} GPU${count > 1 ? 's' : ''}`);
      }
    }
  }

  // The GPU type (and the instance type, which also bounds a pod's GPUs).
  const selectorRanges: SourceRange[] = [];
  // A pod that requests no GPUs is read as using its instance's all: then the instance must have exactly the count.
  const exact = !sites?.gpuCount.length && plan.hardware.count?.source.kind === 'inferred';
  for (const s of sites?.gpuSelectors ?? []) {
    if (isInstanceLabel(s.label)) {
      const inst = instanceOf(s.value);
      const need = perPod ?? 1;
      if (inst && inst.gpu === gpu && (exact ? inst.count === need : inst.count >= need)) continue;
      const cloud = cloudOf(s.value);
      const next = cloud && instanceFor(cloud, gpu, need, exact);
      selectorRanges.push(s.range);
      if (next) edits.push({ range: s.range, newText: yamlScalar(next, quoteAt(offsetText(lines, s.range))) });
      else blockers.push(`no ${cloud?.toUpperCase() ?? ''} instance type known here has ${exact ? 'exactly ' : ''}${need} × ${gpuName(gpu)} (the file selects ${s.label}: ${s.value}${exact ? ' and requests no GPUs' : ''})`);
      continue;
    }
    if (!gpuChanges) continue;
    selectorRanges.push(s.range);
    const value = labelValueFor(s.label, s.value, gpu);
    const readsBack = value !== undefined && catalogId(gpuFromLabel(s.label, value) ?? '') === gpu;
    if (readsBack) edits.push({ range: s.range, newText: yamlScalar(value!, quoteAt(offsetText(lines, s.range))) });
    else blockers.push(`${s.label} has no value known here for ${gpuName(gpu)}`);
    if (s.alternatives > 0) notes.push(`the ${s.label} expression lists ${s.alternatives} more value(s): check they name ${gpuName(gpu)} nodes`);
  }
  // Where the file names no GPU type, the directive comment says it (so the file is checked on the plan's GPU), and
  // the note says what the cluster needs.
  const directive: string[] = [];
  const shared = sites?.directiveShared === true;
  if (gpuChanges && !selectorRanges.length && shared) {
    // The directive would move the file's other workloads too: this one's GPU must be selected on its own.
    blockers.push(`the file names no GPU type for this workload${plan.hardware.gpu.source.kind === 'file' ? ' but the deploy-advisor comment shared by its other workloads' : ''}: select ${gpuName(gpu)} nodes for it first`);
  } else if (gpuChanges) {
    const own = ownSite(lines, plan.hardware.gpu, gpu, selectorRanges);
    if (own) edits.push(own);
    else if (!selectorRanges.length) {
      directive.push(`gpu=${gpu}`);
      notes.push(noGpuSite(plan, gpu, noted));
    }
  }

  // Replicas.
  if (hw.replicas !== undefined && hw.replicas !== plan.hardware.replicas.value) {
    if (sites?.replicas) edits.push(replaceNumber(lines, sites.replicas, hw.replicas));
    const own = shared ? undefined : ownSite(lines, plan.hardware.replicas, hw.replicas, sites?.replicas ? [sites.replicas] : []);
    if (own) edits.push(own);
    if (!sites?.replicas && !own) {
      if (!shared) directive.push(`replicas=${hw.replicas}`);
      notes.push(`the file states no replica count: run ${hw.replicas} replica${hw.replicas > 1 ? 's' : ''}${shared ? '' : noted}`);
    }
  }
  const d = directive.length && !json ? directiveEdit(lines, directive) : undefined;
  if (d) edits.push(d);
  return { edits, notes, blockers };
}

const DIRECTIVE = /^\s*(?:#|\/\/)\s*deploy-advisor:/;

/** Adds `key=value` pairs to the file's `# deploy-advisor:` comment (formats/directive.ts reads the first one in
 *  200 lines), or a new one as the first line. */
function directiveEdit(lines: Lines, pairs: string[]): TextEdit {
  const line = lines.slice(0, 200).findIndex((l) => DIRECTIVE.test(l));
  if (line >= 0) {
    const end = { line, character: lines[line].replace(/\s+$/, '').length };
    return { range: { start: end, end }, newText: ` ${pairs.join(' ')}` };
  }
  const start = { line: 0, character: 0 };
  return { range: { start, end: start }, newText: `# deploy-advisor: ${pairs.join(' ')}\n` };
}

function provenance(s: Sourced<unknown>): string {
  switch (s.source.kind) {
    case 'setting': return `the ${s.source.name} setting`;
    case 'profile': return `the profile ${s.source.file}`;
    case 'cli': return `the ${s.source.flag} flag`;
    case 'file': return `${s.source.key}`;
    default: return 'a default';
  }
}

/** Where the file names no GPU type: what to set, in its own terms. */
function noGpuSite(plan: DeploymentPlan, gpu: string, noted: string): string {
  const now = plan.hardware.gpu;
  const assumed = now.source.kind === 'file' ? '' : ` (${gpuName(catalogId(now.value))} comes from ${provenance(now)})`;
  if (plan.hardwareSites && !plan.hardwareSites.selectsGpuType) return `the file names no GPU type${assumed}: run it on a host with ${gpuName(gpu)} GPUs${noted}`;
  const label = labelValueFor('nvidia.com/gpu.product', '', gpu);
  const how = plan.hardwareSites ? `; schedule it on ${gpuName(gpu)} nodes${label ? ` (e.g. a node selector nvidia.com/gpu.product: ${label})` : ''}` : '';
  return `the file names no GPU type${assumed}: the plan runs on ${gpuName(gpu)}${noted}${how}`;
}
