/**
 * Files a training config names (a DeepSpeed JSON): where to look for them, and merging what they say into the plan.
 * Trainers resolve these paths against the working directory they are launched from, which is usually the project
 * root above the config (axolotl's examples say `deepspeed: deepspeed_configs/zero3_bf16.json` from the repository
 * root; LLaMA-Factory's `examples/deepspeed/ds_z3_config.json`): so the file's own folder first, then the folders above it.
 */
import { isMap } from 'yaml';
import type { TrainingPlan } from '../../plan/training';
import type { SourceRange, Sourced } from '../../plan/types';
import { parseText } from '../document';
import { deepspeedKeys } from '../keys/training/deepspeed';
import { deepspeedFrom, DeepspeedKnobs } from './deepspeed';
import type { TrainingReadContext } from './types';
import { Values } from './values';

/** How many folders above the config's own are searched. */
const ANCESTORS = 4;

function fsPath(uri: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(uri) || /^[A-Za-z]:[\\/]/.test(uri)) return uri.replace(/\\/g, '/');
  try {
    const p = decodeURIComponent(new URL(uri).pathname);
    return /^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p;
  } catch {
    return uri;
  }
}

function normalize(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return (abs ? '/' : '') + out.join('/');
}

/** Paths to try for `written`, in order: absolute as is; relative against the config's folder and those above it. */
export function linkedCandidates(uri: string, written: string): string[] {
  const w = written.trim().replace(/\\/g, '/');
  if (w.startsWith('/') || /^[A-Za-z]:\//.test(w)) return [w];
  const file = fsPath(uri);
  const parts = file.split('/');
  parts.pop();
  const out: string[] = [];
  for (let up = 0; up <= ANCESTORS && parts.length - up >= 0; up++) {
    const dir = parts.slice(0, parts.length - up).join('/');
    const c = normalize(dir ? `${dir}/${w}` : w);
    if (!out.includes(c)) out.push(c);
    if (parts.length - up <= 1) break;
  }
  return out;
}

/** Stage and offload guessed from a name such as zero3_bf16_cpuoffload_all.json, when the file itself cannot be read. */
function fromName(plan: TrainingPlan, written: string): void {
  const name = written.split('/').pop() ?? written;
  const m = /(?:zero|_z|^z|ds_z)[_-]?([0-3])/i.exec(name);
  const note = `from the name "${written}" (the file could not be read)`;
  if (m) plan.sharding = { kind: 'zero', stage: { value: Number(m[1]) as 0 | 1 | 2 | 3, source: { kind: 'inferred', note } } };
  if (m && /offload/i.test(name)) {
    plan.sharding.offloadOptimizer = { value: 'cpu', source: { kind: 'inferred', note } };
    if (/param|_all|offload_all/i.test(name)) plan.sharding.offloadParams = { value: 'cpu', source: { kind: 'inferred', note } };
  }
}

/**
 * Merges the DeepSpeed config the key `entry` names (a path, or an inline object for the Trainer) into `plan`.
 * Values from a linked file keep ranges in that file: LinkedFile.fields lists which plan fields they are, and its
 * problems land on the linking key here, prefixed with the file's path.
 */
export function linkDeepspeed(plan: TrainingPlan, values: Values, map: unknown, key: string, ctx: TrainingReadContext): void {
  const entry = values.entry(map, key);
  if (!entry || entry.value === null || entry.value === undefined || entry.value === '') return;
  const linkRange: SourceRange = values.valueRange(entry);
  let ds: DeepspeedKnobs;
  if (isMap(entry.valueNode)) {
    // An inline DeepSpeed object (TrainingArguments accepts a dict): read in this file, with this file's ranges.
    const inline = new Values(values.doc, deepspeedKeys);
    ds = deepspeedFrom(inline, entry.valueNode);
    values.problems.push(...inline.problems);
    plan.linked.push({ path: '(inline)', range: linkRange, format: 'deepspeed', fields: ds.fields });
  } else if (typeof entry.value === 'string') {
    const written = entry.value.trim();
    const found = ctx.readFile ? linkedCandidates(values.doc.uri, written).map((p) => ({ p, text: safeRead(ctx, p) })).find((c) => c.text !== undefined) : undefined;
    if (!found) {
      const why = ctx.readFile ? 'not found next to the file or in the folders above it' : 'files beside the config cannot be read here (untrusted or virtual workspace)';
      plan.linked.push({ path: written, range: linkRange });
      plan.unread.push({ what: written, why, source: values.src(entry, key) });
      fromName(plan, written);
      const assumed = plan.sharding.kind === 'zero' ? `ZeRO stage ${plan.sharding.stage.value} is assumed from its name` : 'the DeepSpeed settings are unknown';
      values.problems.push({ code: 'training-linked-unread', severity: 'info', message: `${written}: ${why}; ${assumed}.`, range: linkRange });
      return;
    }
    const doc = parseText(found.p, found.text!);
    const root = doc.docs[0]?.contents;
    const linkedValues = new Values(doc, deepspeedKeys);
    if (!isMap(root) || doc.problems.length) {
      plan.linked.push({ path: written, range: linkRange, uri: found.p });
      const why = doc.problems[0]?.message ?? 'not a JSON object';
      plan.unread.push({ what: written, why, source: values.src(entry, key) });
      values.problem('error', `${written}: ${why}`, linkRange);
      return;
    }
    ds = deepspeedFrom(linkedValues, root);
    for (const p of linkedValues.problems) values.problems.push({ ...p, message: `${written} line ${p.range.start.line + 1}: ${p.message}`, range: linkRange, rename: undefined });
    plan.linked.push({ path: written, range: linkRange, uri: found.p, format: 'deepspeed', fields: ds.fields });
  } else {
    values.problem('error', `"${key}" must be the path of a DeepSpeed JSON config.`, linkRange);
    return;
  }
  merge(plan, ds, values, linkRange);
}

function safeRead(ctx: TrainingReadContext, p: string): string | undefined {
  try {
    return ctx.readFile?.(p);
  } catch {
    return undefined;
  }
}

function merge(plan: TrainingPlan, ds: DeepspeedKnobs, values: Values, linkRange: SourceRange): void {
  plan.sharding = ds.sharding;
  plan.unread.push(...ds.unread);
  if (ds.optimizer) plan.optimizer = ds.optimizer;
  // DeepSpeed's bf16/fp16 optimizers always keep fp32 master weights: a trainer in bf16 runs mixed under DeepSpeed.
  const p = plan.precision.value;
  if (ds.precision) plan.precision = ds.precision;
  else if (p === 'bf16') plan.precision = { value: 'mixed', source: plan.precision.source };
  const mismatch = (label: string, dsv: Sourced<number> | undefined, mine: Sourced<number>) => {
    if (dsv && dsv.value !== mine.value) {
      values.problem('warning', `The DeepSpeed config sets ${label} to ${dsv.value} but this file to ${mine.value}; the Hugging Face trainer stops on the mismatch (write "auto" in the DeepSpeed config).`, linkRange);
    }
  };
  mismatch('train_micro_batch_size_per_gpu', ds.microBatch, plan.microBatch);
  mismatch('gradient_accumulation_steps', ds.gradAccum, plan.gradAccum);
}
