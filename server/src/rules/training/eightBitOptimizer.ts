/**
 * training-8bit-optimizer: a plan that does not fit with 32-bit (or 16-bit) AdamW states, where bitsandbytes' 8-bit
 * AdamW (2 B per trainable parameter instead of 8) makes it fit.
 */
import { trainingEvidence } from '../../evidence/trainingPapers';
import { gib, keyRange, landOn, peakChange, rangeOf, spelled, trainingFix } from './shared';
import type { TrainingKnobChange, TrainingRule } from './types';

const STATEFUL_32 = new Set(['adamw', 'adamw-fused', 'paged-adamw-32bit']);

export const eightBitOptimizerRule: TrainingRule = {
  code: 'training-8bit-optimizer',
  check(ctx) {
    const e = ctx.estimate;
    if (e.fits || !STATEFUL_32.has(ctx.inputs.optimizer) || e.trainableParams === 0) return [];
    const after = ctx.whatIf({ optimizer: 'adamw-8bit' });
    if (!after.fits) return [];
    const changes: TrainingKnobChange[] = [{ knob: 'optimizer', value: 'adamw-8bit' }];
    const fix = trainingFix(ctx, spelled(ctx, changes), changes, after, true);
    const p = ctx.plan;
    return [{
      rule: this.code, severity: 'warning',
      message: `An 8-bit AdamW makes this fit: optimizer states ${gib(e.components.optimizer)} → ${gib(after.components.optimizer)} per GPU, ${peakChange(e, after)}. ${trainingEvidence('optimizer8bit')}`,
      range: landOn(p, keyRange(p, 'optimizer', p.optimizer.source), rangeOf(p.method.source)),
      ...(fix ? { fixes: [fix] } : {}),
    }];
  },
};
