/**
 * A fix intent → minimal text edits in the file's own syntax. An option already in the file is changed in place
 * (its value, or its `--key=value` token); a new one is added after the last option, spelled and quoted like its
 * neighbours (argv items and env values always strings). The hardware it changes is written by ./hardware.ts.
 * Comments, order and formatting elsewhere are untouched.
 */
import type { DeploymentPlan, EngineKnobs, EngineName, Sourced, StringSites, WriteBack } from '../plan/types';
import type { FixIntent, KnobChange } from '../rules/types';
import { tgiEnvName } from '../formats/tgi';
import { hardwareEdits } from './hardware';
import { podEdits } from './pod';
import type { PodChange } from '../plan/pod';
import { RECOMMENDED_SHM_BYTES } from '../estimator/shm';
import { podShmTooSmall } from '../rules/shmTooSmall';
import { removalEdits } from './remove';
import { flagRewriteEdits } from './flagRewrite';
import { keyPathEdits } from './keyPathSet';
import { engineValue, expressible, knobKey } from './knobNames';
import { insertLines, isStringSite, Lines, offsetText, quoteAt, quoted, shellWord, stringScalar, TextEdit, yamlScalar } from './text';

export type { TextEdit } from './text';

/** An insertion that opens the list it adds to (`extraArgs:`): insertions at one point share one opening line. */
type Pending = TextEdit & { opening?: string };

function keyName(engine: EngineName, knob: keyof EngineKnobs, wb: WriteBack | undefined): string[] | undefined {
  if (wb?.kind === 'mapping' && wb.keyNames) {
    const own = wb.keyNames[knob];
    return own ? [own] : undefined;
  }
  const k = knobKey(engine, knob);
  if (!k) return undefined;
  return wb?.kind === 'mapping' && wb.keyStyle === 'underscore' ? k.path.map((p) => p.replace(/-/g, '_')) : k.path;
}

/** Changes an option that is already in the file. */
function replaceInPlace(lines: Lines, s: Sourced<unknown>, engine: EngineName, c: KnobChange, strings: StringSites | undefined): TextEdit | undefined {
  if (s.source.kind !== 'file') return undefined;
  const r = s.source.range;
  const current = offsetText(lines, r);
  const q = quoteAt(current);
  const inner = q ? current.slice(1, -1) : current;
  const v = engineValue(engine, c.knob, c.value);
  const flag = /^--?[\w.-]+/.exec(inner)?.[0];
  if (flag && typeof v === 'boolean' && s.value === !v && !inner.includes('=')) {
    // A boolean flag token: `--x` ↔ `--no-x`.
    const name = flag.replace(/^--(no-)?/, '');
    return { range: r, newText: `${q}--${v ? '' : 'no-'}${name}${q}` };
  }
  // `--key=4`, or a Compose `KEY=4` environment item: only the value after `=` changes.
  if ((flag || /^[A-Za-z_][A-Za-z0-9_]*=/.test(inner)) && inner.includes('=')) return { range: r, newText: q ? quoted(`${inner.slice(0, inner.indexOf('=') + 1)}${v}`, q) : `${inner.slice(0, inner.indexOf('=') + 1)}${v}` };
  // An argv item or env value stays a string (`"4"` → `"8"`, a bare `4` → `"8"`); an engine config key stays typed.
  return { range: r, newText: isStringSite(strings, r) ? stringScalar(v, q, strings!.quote) : yamlScalar(v, q) };
}

/** Adds an option the file does not have yet. */
function insert(lines: Lines, wb: WriteBack, engine: EngineName, c: KnobChange, fileQuote: string): Pending | undefined {
  const v = engineValue(engine, c.knob, c.value);
  if (wb.kind === 'mapping') {
    const path = keyName(engine, c.knob, wb);
    if (!path) return wb.fallback ? insert(lines, wb.fallback, engine, c, fileQuote) : undefined;
    if (path.length === 2) {
      const nested = wb.nested?.[path[0]];
      if (nested) return insertLines(lines, nested.afterLine, `${nested.indent}${path[1]}: ${yamlScalar(v, '')}`);
      return insertLines(lines, wb.afterLine, `${wb.indent}${path[0]}:\n${wb.indent}  ${path[1]}: ${yamlScalar(v, '')}`);
    }
    return insertLines(lines, wb.afterLine, `${wb.indent}${path[0]}: ${yamlScalar(v, '')}`);
  }
  const k = knobKey(engine, c.knob);
  if (!k || k.path.length > 1) return undefined;
  if (wb.kind === 'env') {
    // Kubernetes env values are strings.
    const name = wb.names ? wb.names[c.knob] : tgiEnvName(k.path[0]);
    if (!name) return undefined;
    return insertLines(lines, wb.afterLine, wb.style === 'list' ? `${wb.indent}- name: ${name}\n${wb.indent}  value: ${quoted(String(v), fileQuote)}` : `${wb.indent}${name}: ${stringScalar(v, '', fileQuote)}`);
  }
  const flag = `--${k.path[0]}`;
  const words = typeof v === 'boolean' ? [v ? flag : `--no-${k.path[0]}`] : wb.equals ? [`${flag}=${v}`] : [flag, String(v)];
  switch (wb.mode) {
    case 'block': {
      // A list that does not exist yet (production-stack `extraArgs`) is opened once, its items all quoted.
      const items = words.map((w) => `${wb.indent}- ${wb.opening ? quoted(w, fileQuote) : stringScalar(w, wb.quote, fileQuote)}`).join('\n');
      const e: Pending = insertLines(lines, wb.after.line, items);
      return wb.opening ? { ...e, opening: wb.opening } : e;
    }
    case 'flow':
      return { range: { start: wb.after, end: wb.after }, newText: words.map((w) => `, ${stringScalar(w, wb.quote, fileQuote)}`).join('') };
    case 'words':
      return { range: { start: wb.after, end: wb.after }, newText: words.map((w) => ` ${shellWord(w, wb.quote)}`).join('') };
  }
}

/** A rename edits exactly the `from` text inside its (one-line) range: quotes, `--` and `=value` around it stay. */
function renameEdit(lines: Lines, r: NonNullable<FixIntent['rename']>): TextEdit | undefined {
  if (r.range.start.line !== r.range.end.line) return undefined;
  const at = offsetText(lines, r.range).indexOf(r.from);
  if (at < 0) return undefined;
  const start = { line: r.range.start.line, character: r.range.start.character + at };
  return { range: { start, end: { line: start.line, character: start.character + r.from.length } }, newText: r.to };
}

/** A key the file writes with a value the reader rejected (`max-num-seqs: lots`): the fix replaces that value rather
 *  than adding the key a second time. */
function writtenButUnread(plan: DeploymentPlan, knob: keyof EngineKnobs): Sourced<unknown> | undefined {
  const k = plan.keys?.find((o) => o.knob === knob);
  return k && { value: undefined, source: { kind: 'file', range: k.valueRange, key: k.name } };
}

/** A fix (or an applied plan) as edits, with what the file has no place for; or why it cannot be applied. */
export type PlanEdits = { edits: TextEdit[]; notes: string[] } | { reason: string };

/** Edits for every change of a fix, or undefined when this file cannot express one of its knobs. Hardware the file
 *  has no place for is left out (planEdits says what). */
export function editsForFix(fix: FixIntent, plan: DeploymentPlan | undefined, text: string): TextEdit[] | undefined {
  const r = planEdits(fix, plan, text);
  return 'edits' in r ? r.edits : undefined;
}

/**
 * Edits for every knob change of a fix and for the hardware it changes (GPU count, type, replicas) wherever the file
 * states them; notes for the hardware parts the file has no place for.
 */
export function planEdits(fix: FixIntent, plan: DeploymentPlan | undefined, text: string): PlanEdits {
  const lines = text.split('\n');
  if (fix.rename) {
    const e = renameEdit(lines, fix.rename);
    return e ? { edits: [e], notes: [] } : { reason: 'the text to rename is no longer there' };
  }
  if (fix.training) {
    const e = keyPathEdits(text, fix.training.sets);
    return e ? { edits: e, notes: [] } : { reason: 'the keys to change are no longer where they were' };
  }
  if (!plan) return { reason: 'no workload in this file' };
  if (fix.flagRewrites) {
    const e = flagRewriteEdits(lines, plan, fix.flagRewrites);
    return e ? { edits: e, notes: [] } : { reason: 'the option to rewrite is no longer where it was' };
  }
  const engine = plan.engine.name.value;
  const fileQuote = plan.strings?.quote ?? '"';
  const edits: Pending[] = [];
  for (const c of fix.changes) {
    if (c.remove) {
      const gone = removalEdits(lines, plan, c.knob);
      if (!gone) return { reason: `this file does not set ${knobKey(engine, c.knob)?.path.join('.') ?? c.knob}` };
      edits.push(...gone);
      continue;
    }
    if (!expressible(engine, c.knob, c.value)) return { reason: `${engine} has no value ${String(c.value)} for ${knobKey(engine, c.knob)?.path.join('.') ?? c.knob}` };
    const existing = (plan.knobs as Record<string, Sourced<unknown> | undefined>)[c.knob] ?? writtenButUnread(plan, c.knob);
    const e = existing?.source.kind === 'file' ? replaceInPlace(lines, existing, engine, c, plan.strings) : plan.writeBack ? insert(lines, plan.writeBack, engine, c, fileQuote) : undefined;
    if (!e) return { reason: `this file has no place for ${knobKey(engine, c.knob)?.path.join('.') ?? c.knob}` };
    edits.push(e);
    for (const r of plan.linked?.[c.knob] ?? []) edits.push({ range: r, newText: yamlScalar(engineValue(engine, c.knob, c.value), quoteAt(offsetText(lines, r))) });
  }
  const hw = hardwareEdits(lines, plan, fix);
  if (hw.blockers.length) return { reason: hw.blockers.join('; ') };
  const implied = impliedShm(plan, fix);
  const pod = podEdits(lines, plan, implied ? [...(fix.pod ?? []), implied] : fix.pod);
  if (pod.blockers.length) return { reason: pod.blockers.join('; ') };
  edits.push(...pod.edits);
  if (implied && pod.edits.length) hw.notes.push(`also mounts ${implied.bytes / 2 ** 30} GiB of /dev/shm for the GPUs the engine now spans (shm-too-small)`);
  // A hardware site that is also a knob's (none today) would be edited twice: the knob's edit wins.
  const taken = new Set(edits.map((e) => posKey(e)));
  edits.push(...hw.edits.filter((e) => !taken.has(posKey(e))));
  return { edits: merge(edits), notes: hw.notes };
}

/**
 * A fix that spreads the engine over more GPUs of one pod (a larger TP or PP, more GPUs per replica) also needs the
 * /dev/shm they exchange data through: the same fix mounts it when the pod's is too small (rules/shmTooSmall.ts).
 */
function impliedShm(plan: DeploymentPlan, fix: FixIntent): Extract<PodChange, { kind: 'shm' }> | undefined {
  if (!plan.pod || fix.pod?.some((c) => c.kind === 'shm')) return undefined;
  // The GPUs the engine spans (TP × PP × DP), before and after: the GPUs a pod requests beyond them sit idle.
  const knob = (k: 'tensorParallel' | 'pipelineParallel' | 'dataParallel', from: 'plan' | 'fix') => {
    const c = from === 'fix' ? fix.changes.find((x) => x.knob === k) : undefined;
    return c ? (!c.remove && typeof c.value === 'number' ? c.value : 1) : plan.knobs[k]?.value ?? 1;
  };
  const spans = (from: 'plan' | 'fix') => knob('tensorParallel', from) * knob('pipelineParallel', from) * knob('dataParallel', from);
  const before = spans('plan');
  const after = spans('fix');
  if (!(after > before)) return undefined;
  const pods = Math.max(1, plan.hardwareSites?.podsPerReplica?.value ?? 1);
  return podShmTooSmall(plan.pod, plan.engine.name.value, Math.round(after / pods)) ? { kind: 'shm', bytes: RECOMMENDED_SHM_BYTES } : undefined;
}

const posKey = (e: TextEdit) => `${e.range.start.line}:${e.range.start.character}:${e.range.end.line}:${e.range.end.character}`;

/**
 * Insertions at the same point become one edit: items of a list they open first, under one opening line; then
 * deeper-indented lines first, since they continue the block that ends there (a nested key such as
 * kv_cache_config.dtype when that block is the file's last) and a shallower key would close it; otherwise in the
 * fix's order.
 */
function merge(edits: Pending[]): TextEdit[] {
  const byPos = new Map<string, Pending[]>();
  for (const e of edits) byPos.set(posKey(e), [...(byPos.get(posKey(e)) ?? []), e]);
  return [...byPos.values()].map((all) => {
    const opened = all.filter((e) => e.opening);
    const group: TextEdit[] = all.filter((e) => !e.opening);
    if (opened.length) {
      const lead = opened[0].newText.startsWith('\n');
      const items = opened.map((e) => e.newText.replace(/^\n/, '').replace(/\n$/, '')).join('\n');
      group.push({ range: opened[0].range, newText: lead ? `\n${opened[0].opening}\n${items}` : `${opened[0].opening}\n${items}\n` });
    }
    const [first] = group;
    const isInsert = first.range.start.line === first.range.end.line && first.range.start.character === first.range.end.character;
    if (group.length === 1 || !isInsert) return { range: first.range, newText: group[group.length - 1].newText };
    const indent = (e: TextEdit) => /^\n?( *)/.exec(e.newText)![1].length;
    return { range: first.range, newText: [...group].sort((a, b) => indent(b) - indent(a)).map((e) => e.newText).join('') };
  });
}
