/**
 * training-micro-batch-can-double (info): the plan fits with room for twice the micro-batch (still under 90 % of the
 * GPU) and gradient accumulation is even, so doubling the micro-batch and halving the accumulation keeps the effective
 * batch; fewer, larger steps (better GPU use); the fix says the peak it costs.
 */
import { trainingEvidence } from '../../evidence/trainingPapers';
import { gib, keyRange, landOn, spelled, tps, trainingFix } from './shared';
import type { TrainingKnobChange, TrainingRule } from './types';

export const microBatchCanDoubleRule: TrainingRule = {
  code: 'training-micro-batch-can-double',
  check(ctx) {
    const e = ctx.estimate;
    const x = ctx.inputs;
    if (!e.fits || e.peakBytesPerGpu > 0.9 * e.capacityBytes) return [];
    // Only where the effective batch can stay as it is: a bigger effective batch changes the training run itself
    // (learning rate, convergence), which is not a memory question.
    const even = x.gradAccum >= 2 && x.gradAccum % 2 === 0;
    if (!even) return [];
    const after = ctx.whatIf({ microBatch: x.microBatch * 2, gradAccum: x.gradAccum / 2 });
    if (!after.fits || after.peakBytesPerGpu > 0.9 * after.capacityBytes) return [];
    const changes: TrainingKnobChange[] = [{ knob: 'microBatch', value: x.microBatch * 2 }, { knob: 'gradAccum', value: x.gradAccum / 2 }];
    const fix = trainingFix(ctx, spelled(ctx, changes), changes, after);
    const p = ctx.plan;
    const keep = ` and gradient accumulation ${x.gradAccum} → ${x.gradAccum / 2} keeps the effective batch of ${e.effectiveBatch}`;
    return [{
      rule: this.code, severity: 'info',
      message: `Micro-batch ${x.microBatch} could be ${x.microBatch * 2}${keep}: peak ${gib(e.peakBytesPerGpu)} → ${gib(after.peakBytesPerGpu)} of ${gib(e.capacityBytes)} per GPU, activations ${gib(e.components.activations)} → ${gib(after.components.activations)}${Math.round(e.tokensPerSecond) !== Math.round(after.tokensPerSecond) ? `; ${tps(e)} → ${tps(after)}` : ''}. ${trainingEvidence('micro-batch')}`,
      range: landOn(p, keyRange(p, 'microBatch', p.microBatch.source)),
      ...(fix ? { fixes: [fix] } : {}),
    }];
  },
};
