/**
 * training-does-not-fit: the estimator's verdict, on the key of the component that breaks the fit, with every
 * component per GPU — and the one change that makes it fit when there is one (checkpointing, a smaller micro-batch
 * with more accumulation, an 8-bit optimizer, ZeRO-3, QLoRA; in that order: cheapest in accuracy and speed first).
 * The smaller micro-batch is offered here as a quick fix (it keeps the effective batch); the others have their own
 * findings and fixes.
 */
import type { ComponentBytes, TrainingEstimate } from '../../estimator/training/types';
import type { TrainingTweak } from '../../estimator/training/whatIf';
import type { TrainingPlan } from '../../plan/training';
import type { SourceRange } from '../../plan/types';
import { gib, keyRange, landOn, peakChange, rangeOf, spelled, trainingFix } from './shared';
import type { TrainingKnobChange, TrainingRule, TrainingRuleContext } from './types';

/** The key a component's size answers to, so the finding lands where the user would change it. */
function componentKey(p: TrainingPlan, c: keyof ComponentBytes | undefined): SourceRange | undefined {
  switch (c) {
    case 'activations': return keyRange(p, 'microBatch', p.microBatch.source) ?? keyRange(p, 'gradientCheckpointing', p.gradientCheckpointing.source) ?? rangeOf(p.seqLen.source);
    case 'logits': return rangeOf(p.seqLen.source) ?? keyRange(p, 'microBatch', p.microBatch.source);
    case 'optimizer': return rangeOf(p.optimizer.source) ?? rangeOf(p.method.source);
    case 'gradients': return rangeOf(p.method.source);
    case 'weights': return rangeOf(p.quantBits?.source) ?? rangeOf(p.precision.source) ?? rangeOf(p.method.source);
    default: return undefined;
  }
}

/** The largest micro-batch below the plan's (halving, accumulation doubled) that fits. */
function smallerMicroBatch(ctx: TrainingRuleContext): { mb: number; accum: number; after: TrainingEstimate } | undefined {
  const x = ctx.inputs;
  for (let f = 2; x.microBatch / f >= 1 && Number.isInteger(x.microBatch / f); f *= 2) {
    const after = ctx.whatIf({ microBatch: x.microBatch / f, gradAccum: x.gradAccum * f });
    if (after.fits) return { mb: x.microBatch / f, accum: x.gradAccum * f, after };
  }
  return undefined;
}

function oneChange(ctx: TrainingRuleContext): { label: string; after: TrainingEstimate } | undefined {
  const x = ctx.inputs;
  const tries: Array<[string, TrainingTweak, boolean]> = [
    ['gradient checkpointing on', { gradientCheckpointing: true }, !x.gradientCheckpointing],
    ['an 8-bit AdamW', { optimizer: 'adamw-8bit' }, ['adamw', 'adamw-fused', 'paged-adamw-32bit'].includes(x.optimizer)],
    [`${x.sharding.kind === 'fsdp' ? 'FSDP FULL_SHARD' : 'ZeRO-3'} across the ${x.gpus} GPUs`, { sharding: { ...x.sharding, kind: x.sharding.kind === 'fsdp' ? 'fsdp' : 'zero', stage: 3 } }, x.gpus > 1 && x.sharding.stage < 3],
    ['QLoRA (4-bit base)', { method: 'qlora', quantBits: 4 }, x.method === 'lora' || x.method === 'full'],
  ];
  for (const [label, t, applies] of tries) {
    if (!applies) continue;
    const after = ctx.whatIf(t);
    if (after.fits) return { label, after };
  }
  return undefined;
}

export const doesNotFitRule: TrainingRule = {
  code: 'training-does-not-fit',
  check(ctx) {
    const e = ctx.estimate;
    const issue = e.issues.find((i) => i.code === 'training-does-not-fit');
    if (!issue) return [];
    const parts = (Object.entries(e.components) as Array<[keyof ComponentBytes, number]>).filter(([, b]) => b > 0).map(([k, b]) => `${k} ${gib(b)}`).join(', ');
    const smaller = smallerMicroBatch(ctx);
    const one = smaller ? { label: `micro-batch ${smaller.mb} with accumulation ${smaller.accum} (same effective batch)`, after: smaller.after } : oneChange(ctx);
    const changes: TrainingKnobChange[] | undefined = smaller && [{ knob: 'microBatch', value: smaller.mb }, { knob: 'gradAccum', value: smaller.accum }];
    const fix = smaller && changes ? trainingFix(ctx, spelled(ctx, changes), changes, smaller.after, true) : undefined;
    const p = ctx.plan;
    return [{
      rule: this.code, severity: 'error',
      message: `${issue.message} (per GPU: ${parts})${one ? `; one change makes it fit: ${one.label} — ${peakChange(e, one.after)}` : '; no single change of checkpointing, micro-batch, optimizer, sharding or QLoRA makes it fit'}`,
      range: landOn(p, componentKey(p, issue.component)),
      ...(fix ? { fixes: [fix] } : {}),
    }];
  },
};
