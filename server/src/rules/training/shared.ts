/** What the training rules share: where a finding lands, how a number reads, and a fix intent with its measured effect. */
import { trainingIntentPart } from '../../edits/training';
import type { TrainingEstimate } from '../../estimator/training/types';
import type { TrainingPlan } from '../../plan/training';
import type { Provenance, SourceRange } from '../../plan/types';
import type { FixIntent } from '../types';
import type { TrainingKnobChange, TrainingRuleContext } from './types';

export const TOP: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
export const rangeOf = (src: Provenance | undefined): SourceRange | undefined => (src?.kind === 'file' ? src.range : undefined);

/** A field's key in this file; a value that came from a linked file (its range is in that file) does not count. */
export function keyRange(plan: TrainingPlan, field: string, src: Provenance | undefined): SourceRange | undefined {
  if (plan.linked.some((l) => l.fields?.includes(field))) return undefined;
  return rangeOf(src);
}

/** The key the user would change, else the model key, else the top of the file. */
export function landOn(plan: TrainingPlan, ...ranges: Array<SourceRange | undefined>): SourceRange {
  return ranges.find((r) => r) ?? rangeOf(plan.model?.source) ?? TOP;
}

export const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
export const peakChange = (b: TrainingEstimate, a: TrainingEstimate) => `peak ${gib(b.peakBytesPerGpu)} → ${gib(a.peakBytesPerGpu)} per GPU${!b.fits && a.fits ? ', fits' : ''}`;
export const tps = (e: TrainingEstimate) => `${Math.round(e.tokensPerSecond).toLocaleString('en-US')} tokens/s`;

/** A quick fix when this file can be written back to say it; its title states what it sets and what it buys. */
export function trainingFix(ctx: TrainingRuleContext, what: string, changes: TrainingKnobChange[], after: TrainingEstimate, preferred = false): FixIntent | undefined {
  const part = trainingIntentPart({ format: ctx.plan.format, changes }, ctx.plan);
  if (!part) return undefined;
  return { title: `Set ${what} — ${peakChange(ctx.estimate, after)}`, changes: [], training: part, ...(preferred ? { preferred } : {}) };
}

/** `micro_batch_size: 2, gradient_accumulation_steps: 8` as this file spells the keys. */
export function spelled(ctx: TrainingRuleContext, changes: TrainingKnobChange[]): string {
  const part = trainingIntentPart({ format: ctx.plan.format, changes }, ctx.plan);
  if (!part) return changes.map((c) => `${c.knob} ${String(c.value)}`).join(', ');
  return part.sets.map((s) => (s.remove ? `no ${s.path.join('.')}` : `${s.path.join('.')}: ${String(s.value)}`)).join(', ');
}
