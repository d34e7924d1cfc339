/**
 * Hover on a fine-tuning config's key: what the key does (its framework's key table: meaning and default), what it
 * comes to in this estimate, and the usual alternative — the whole estimate re-run with that one setting changed
 * (estimator/training/whatIf.ts). Pure: text and position in, Markdown out; lsp/hover.ts only forwards it.
 */
import { isMap } from 'yaml';
import { GiB } from '../estimator/memory';
import type { TrainingTweak } from '../estimator/training/whatIf';
import { trainingWhatIf } from '../estimator/training/whatIf';
import type { TrainingEstimate, TrainingInputs } from '../estimator/training/types';
import { Entry, entries, ParsedDocument, rangeContains, rangeOf } from '../formats/document';
import { trainingKeyTables } from '../formats/keys/training/tables';
import { trainingKeyIndex, TrainingKeySpec } from '../formats/keys/training/types';
import type { TrainingPlan } from '../plan/training';
import type { SourceRange } from '../plan/types';
import type { TrainingAnalysis } from '../trainingPipeline';
import { shardingLabel } from './search';

type Pos = { line: number; character: number };

const inside = (p: Pos, r: SourceRange) => rangeContains(r, p);
const gib = (b: number) => `${(b / GiB).toFixed(1)} GiB`;
const params = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : `${Math.round(n / 1e3)} k`);
const verdict = (e: TrainingEstimate) => `peak ${gib(e.peakBytesPerGpu)} of ${gib(e.capacityBytes)} per GPU — ${e.fits ? 'fits' : 'does not fit'}`;
/** Model states: what precision, sharding, method and offload move. */
const states = (e: TrainingEstimate) => `weights ${gib(e.components.weights)}, gradients ${gib(e.components.gradients)}, optimizer ${gib(e.components.optimizer)}`;
const shardingOf = (x: TrainingInputs) => shardingLabel({ kind: x.sharding.kind, stage: x.sharding.stage });

/** The key (dotted path) under the cursor, on its name or its scalar value; the innermost mapping wins. */
export function trainingKeyAt(doc: ParsedDocument, pos: Pos): { path: string; entry: Entry; range: SourceRange } | undefined {
  const walk = (map: unknown, prefix: string): { path: string; entry: Entry; range: SourceRange } | undefined => {
    for (const e of entries(map)) {
      const path = prefix ? `${prefix}.${e.key}` : e.key;
      const kr = rangeOf(doc, e.keyNode);
      if (inside(pos, kr)) return { path, entry: e, range: kr };
      if (isMap(e.valueNode)) {
        const hit = walk(e.valueNode, path);
        if (hit) return hit;
      } else if (e.valueNode) {
        const vr = rangeOf(doc, e.valueNode);
        if (inside(pos, vr)) return { path, entry: e, range: vr };
      }
    }
    return undefined;
  };
  return walk(doc.docs[0]?.contents, '');
}

/** "With X: <component> a, peak b of c per GPU — fits." */
function alternative(label: string, x: TrainingInputs, t: TrainingTweak, what: (e: TrainingEstimate) => string): string {
  const e = trainingWhatIf(x, t);
  return `With ${label}: ${what(e)}, ${verdict(e)}.`;
}

const steps = (e: TrainingEstimate) => `step ${e.stepSeconds.toFixed(2)} s, ${Math.round(e.tokensPerSecond).toLocaleString('en-US')} tokens/s`;
const actsAndLogits = (e: TrainingEstimate) => `activations ${gib(e.components.activations)}, logits ${gib(e.components.logits)}`;

/** "Here" and the alternative for the plan field a key sets. */
function effectLines(field: string, x: TrainingInputs, e: TrainingEstimate): string[] {
  const here = (s: string) => `Here: ${s}, ${verdict(e)}.`;
  switch (field) {
    case 'microBatch': {
      const m = x.microBatch;
      const to = !e.fits && m > 1 ? Math.max(1, Math.floor(m / 2)) : m * 2;
      const lines = [here(`micro-batch ${m}: ${actsAndLogits(e)}`)];
      // At micro-batch 1 with no fit there is no smaller one; a larger one only adds to what does not fit.
      if (e.fits || m > 1) lines.push(alternative(`micro-batch ${to} (accumulation ${x.gradAccum} kept)`, x, { microBatch: to }, actsAndLogits));
      return lines;
    }
    case 'seqLen': {
      const s = x.seqLen;
      const to = e.fits ? s * 2 : Math.max(1, Math.floor(s / 2));
      return [here(`${s} tokens per sequence: ${actsAndLogits(e)}`), alternative(`sequence length ${to}`, x, { seqLen: to }, actsAndLogits)];
    }
    case 'gradientCheckpointing': {
      const on = x.gradientCheckpointing;
      const alt = trainingWhatIf(x, { gradientCheckpointing: !on });
      const pct = Math.round((alt.stepSeconds / e.stepSeconds - 1) * 100);
      return [here(`checkpointing ${on ? 'on' : 'off'}: activations ${gib(e.components.activations)}, ${steps(e)}`),
        `With gradient checkpointing ${on ? 'off' : 'on'}: activations ${gib(alt.components.activations)}, ${verdict(alt)}; ${steps(alt)} (${Math.abs(pct)} % ${pct >= 0 ? 'slower' : 'faster'} per step).`];
    }
    case 'optimizer': {
      const to = x.optimizer === 'adamw-8bit' || x.optimizer === 'paged-adamw-8bit' ? 'adamw' : 'adamw-8bit';
      return [here(`${x.optimizer}: optimizer states ${gib(e.components.optimizer)} for ${params(e.trainableParams)} trainable parameters`),
        alternative(to, x, { optimizer: to }, (a) => `optimizer states ${gib(a.components.optimizer)}`)];
    }
    case 'method':
    case 'quantBits': {
      const lines = [here(`${x.method}${x.quantBits ? ` on a ${x.quantBits}-bit base` : ''}: ${params(e.trainableParams)} of ${params(e.totalParams)} parameters train; ${states(e)}`)];
      const t: TrainingTweak | undefined = x.method === 'full' || x.method === 'freeze' ? { method: 'qlora', quantBits: 4 }
        : x.method === 'lora' ? { method: 'qlora', quantBits: 4 } : { method: 'lora', quantBits: undefined };
      const label = t.method === 'qlora' ? (x.method === 'lora' ? 'QLoRA (4-bit base, same adapter)' : 'QLoRA (4-bit base, rank 16 on all linear layers)') : 'LoRA on a 16-bit base';
      lines.push(alternative(label, x, t, states));
      return lines;
    }
    case 'lora.rank': {
      if (!x.lora) return [];
      const to = x.lora.rank * 2;
      return [here(`rank ${x.lora.rank}: ${params(e.trainableParams)} adapter parameters, gradients ${gib(e.components.gradients)}, optimizer ${gib(e.components.optimizer)}`),
        alternative(`rank ${to}`, x, { lora: { ...x.lora, rank: to } }, (a) => `${params(a.trainableParams)} adapter parameters`)];
    }
    case 'lora.alpha':
      return x.lora ? [`Here: scale alpha / r = ${(x.lora.alpha / x.lora.rank).toFixed(2)}; alpha changes no tensor's size, only the adapter's update scale.`] : [];
    case 'lora.targets': {
      if (!x.lora) return [];
      const t = x.lora.targets;
      const lines = [here(`${t === 'all-linear' ? 'every linear layer' : t.join(', ')}: ${params(e.trainableParams)} adapter parameters, activations ${gib(e.components.activations)}`)];
      if (t !== 'all-linear') lines.push(alternative('adapters on every linear layer', x, { lora: { ...x.lora, targets: 'all-linear' } }, (a) => `${params(a.trainableParams)} adapter parameters, activations ${gib(a.components.activations)}`));
      return lines;
    }
    case 'lora.dora':
    case 'lora.modulesToSave':
      return [here(`${params(e.trainableParams)} trainable parameters; gradients ${gib(e.components.gradients)}, optimizer ${gib(e.components.optimizer)}, activations ${gib(e.components.activations)}`)];
    case 'precision': {
      const to = x.precision === 'bf16' ? 'mixed' : 'bf16';
      const label = to === 'bf16' ? 'pure bf16 (no fp32 master copy)' : 'bf16 mixed precision (fp32 master weights, gradients and states)';
      return [here(`${x.precision}: ${states(e)}`), alternative(label, x, { precision: to }, states)];
    }
    case 'gradAccum':
      return [`Here: effective batch ${e.effectiveBatch} = micro-batch ${x.microBatch} × accumulation ${x.gradAccum} × ${x.gpus} GPU(s), ${e.tokensPerStep.toLocaleString('en-US')} tokens per step; ${steps(e)}. No memory cost: ${verdict(e)}.`];
    case 'sharding':
    case 'sharding.stage': {
      const lines = [here(`${shardingOf(x)} on ${x.gpus} GPU(s): ${states(e)}`)];
      if (x.gpus === 1) {
        lines.push('On one GPU there is nothing to shard across: every stage holds the same (give the GPUs with accelerate --num_processes or the CLI\'s --gpus).');
        return lines;
      }
      const kind = x.sharding.kind === 'none' ? 'zero' : x.sharding.kind;
      const stage = x.sharding.stage < 3 ? 3 : 2;
      lines.push(alternative(shardingLabel({ kind, stage }), x, { sharding: { ...x.sharding, kind, stage } }, states));
      return lines;
    }
    case 'sharding.offloadOptimizer': {
      const off = x.sharding.offloadOptimizer !== 'none';
      const lines = [here(`optimizer ${off ? `offloaded (${x.sharding.offloadOptimizer})` : 'on the GPU'}: optimizer ${gib(e.components.optimizer)} on the GPU, ${gib(e.hostBytesPerNode)} in host memory per node`)];
      if (off || x.sharding.stage > 0) {
        const alt = trainingWhatIf(x, { sharding: { ...x.sharding, offloadOptimizer: off ? 'none' : 'cpu' } });
        lines.push(`With ${off ? 'no offload' : 'offload to cpu'}: optimizer ${gib(alt.components.optimizer)} on the GPU, ${gib(alt.hostBytesPerNode)} in host memory, ${verdict(alt)}.`);
      }
      return lines;
    }
    case 'sharding.offloadParams': {
      const off = x.sharding.offloadParams !== 'none';
      const lines = [here(`parameters ${off ? `offloaded (${x.sharding.offloadParams})` : 'on the GPU'}: weights ${gib(e.components.weights)} on the GPU, ${gib(e.hostBytesPerNode)} in host memory per node`)];
      if (off || (x.sharding.stage === 3 && x.sharding.kind !== 'none')) {
        const alt = trainingWhatIf(x, { sharding: { ...x.sharding, offloadParams: off ? 'none' : 'cpu', offloadOptimizer: off ? x.sharding.offloadOptimizer : 'cpu' } });
        lines.push(`With ${off ? 'no parameter offload' : 'parameters offloaded to cpu'}: weights ${gib(alt.components.weights)} on the GPU, ${gib(alt.hostBytesPerNode)} in host memory, ${verdict(alt)}.`);
      }
      return lines;
    }
    case 'hardware.gpusPerNode':
    case 'hardware.nodes': {
      const to = x.gpus * 2;
      const perNode = field === 'hardware.nodes' ? x.gpusPerNode : x.gpusPerNode * 2;
      return [here(`${x.gpus} GPU(s), ${shardingOf(x)}: ${states(e)}; ${steps(e)}`),
        alternative(`${to} GPUs`, x, { gpus: to, gpusPerNode: perNode }, (a) => `${states(a)}; ${steps(a)}`)];
    }
    case 'attention': {
      const to = x.attention === 'eager' ? 'sdpa' : 'eager';
      return [here(`${x.attention} attention: activations ${gib(e.components.activations)}`), alternative(`${to} attention`, x, { attention: to }, (a) => `activations ${gib(a.components.activations)}`)];
    }
    case 'samplePacking':
      return [here(`${x.samplePacking ? 'packed: every row holds' : 'unpacked: each row is padded up to'} ${x.seqLen} tokens, ${e.tokensPerStep.toLocaleString('en-US')} tokens per step; ${actsAndLogits(e)}`)];
    case 'logitsLoss':
      return [here(`logits ${gib(e.components.logits)} at the loss`)];
    case 'model':
      return [here(`${e.model}: ${params(e.totalParams)} parameters, ${params(e.trainableParams)} trainable; ${states(e)}`)];
    case 'tf32':
      return ['Here: speed only; no tensor changes size.'];
    default:
      return [];
  }
}

/** What the reader itself says about a key it read but does not model, or a value it could not read. Matched by
 *  range: a linked file's notes carry ranges in that file, which must not land on this one's keys. */
function readerNotes(plan: TrainingPlan, keyRange: SourceRange, valueRange: SourceRange): string[] {
  const same = (a: SourceRange, b: SourceRange) => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
  return [
    ...plan.unmodelled.filter((u) => same(u.range, keyRange)).map((u) => `Read, not modelled: \`${u.key}\`.`),
    ...plan.unread.filter((u) => u.source.kind === 'file' && same(u.source.range, valueRange)).map((u) => `Not read: ${u.what} — ${u.why}.`),
  ];
}

/** The plan field a key sets here: a linked file's values win over this file's for the fields it decides. */
function linkedNote(plan: TrainingPlan, field: string): string | undefined {
  const l = plan.linked.find((f) => f.fields?.some((x) => x === field || x.startsWith(`${field}.`)));
  return l ? `The estimate takes ${field} from ${l.path}.` : undefined;
}

/** Files that go beside a launch naming the model elsewhere (as trainingPipeline.ts treats them). */
const COMPANION = new Set<TrainingPlan['format']>(['deepspeed', 'accelerate', 'hf-trainer']);

export interface TrainingHover {
  markdown: string;
  range: SourceRange;
}

/** undefined when the cursor is on no key the framework's table knows. */
export function trainingHover(doc: ParsedDocument, t: TrainingAnalysis, pos: Pos): TrainingHover | undefined {
  const at = trainingKeyAt(doc, pos);
  if (!at) return undefined;
  const table = trainingKeyTables[t.plan.format];
  const spec: TrainingKeySpec | undefined = trainingKeyIndex(table).get(at.path);
  const notes = readerNotes(t.plan, rangeOf(doc, at.entry.keyNode), rangeOf(doc, at.entry.valueNode ?? at.entry.keyNode));
  if (!spec) return notes.length ? { markdown: [`**${at.path}** · ${table.label}`, '', ...notes].join('\n'), range: at.range } : undefined;
  const lines = [`**${at.path}** · ${table.label}`, '', spec.description];
  const def = spec.default !== undefined ? String(spec.default) : spec.defaultNote;
  if (def) lines.push('', `Default: ${def}`);
  if (spec.effect) lines.push('', spec.effect);
  if (notes.length) lines.push('', ...notes);
  if (spec.field) {
    const linked = linkedNote(t.plan, spec.field);
    if (linked && t.plan.format !== 'deepspeed' && !(spec.field === 'sharding' && at.path.endsWith('deepspeed'))) lines.push('', linked);
    const here = t.estimate && t.inputs ? effectLines(spec.field, t.inputs, t.estimate) : [];
    if (here.length) lines.push('', ...here);
    else if (!t.estimate) lines.push('', COMPANION.has(t.plan.format) && !t.plan.model ? `No figures here: ${table.label} configs name no model. They show on the keys of the training config that links this one.` : `No estimate here: ${t.error ?? 'no base model'}.`);
  }
  return { markdown: lines.join('\n'), range: at.range };
}
