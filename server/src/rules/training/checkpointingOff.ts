/**
 * training-checkpointing-off: activation checkpointing is off where turning it on makes the plan fit (warning), or
 * brings a peak above 90 % of the GPU under it (info). Checkpointing keeps each layer's input and rebuilds the layer
 * in the backward, so the activations shrink to one layer's worth at the cost of a second forward (~1/3 more compute).
 */
import { trainingEvidence } from '../../evidence/trainingPapers';
import { gib, keyRange, landOn, peakChange, rangeOf, spelled, trainingFix } from './shared';
import type { TrainingKnobChange, TrainingRule } from './types';

export const checkpointingOffRule: TrainingRule = {
  code: 'training-checkpointing-off',
  check(ctx) {
    const e = ctx.estimate;
    if (ctx.inputs.gradientCheckpointing) return [];
    const near = e.peakBytesPerGpu > 0.9 * e.capacityBytes;
    if (e.fits && !near) return [];
    const after = ctx.whatIf({ gradientCheckpointing: true });
    const fixes = !e.fits && after.fits;
    const under = e.fits && after.peakBytesPerGpu <= 0.9 * after.capacityBytes;
    if (!fixes && !under) return [];
    const changes: TrainingKnobChange[] = [{ knob: 'gradientCheckpointing', value: true }];
    const fix = trainingFix(ctx, spelled(ctx, changes), changes, after, true);
    const p = ctx.plan;
    return [{
      rule: this.code, severity: fixes ? 'warning' : 'info',
      message: `Gradient checkpointing is off: activations take ${gib(e.components.activations)} per GPU. On, they drop to ${gib(after.components.activations)} — ${peakChange(e, after)}; tokens/s ${Math.round(e.tokensPerSecond)} → ${Math.round(after.tokensPerSecond)} (each layer's forward runs twice). ${trainingEvidence('checkpointing')}`,
      range: landOn(p, keyRange(p, 'gradientCheckpointing', p.gradientCheckpointing.source), rangeOf(p.microBatch.source)),
      ...(fix ? { fixes: [fix] } : {}),
    }];
  },
};
