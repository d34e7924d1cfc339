/**
 * training-qlora-consumer-gpu (info): a LoRA or full fine-tune that does not fit, where QLoRA (frozen base in 4-bit
 * NF4, LoRA adapters on it) fits one 24 GB consumer GPU (RTX 4090). The fix switches the file to QLoRA; its title
 * states the peak on the plan's own GPU too.
 */
import { trainingEvidence } from '../../evidence/trainingPapers';
import { QLORA_FROM_FULL } from '../../estimator/training/whatIf';
import { gib, keyRange, landOn, peakChange, rangeOf, spelled, trainingFix } from './shared';
import type { TrainingKnobChange, TrainingRule } from './types';

/** The 24 GB class the finding measures against. */
export const CONSUMER_GPU = 'RTX-4090';

export const qloraConsumerGpuRule: TrainingRule = {
  code: 'training-qlora-consumer-gpu',
  check(ctx) {
    const e = ctx.estimate;
    const x = ctx.inputs;
    if (e.fits || (x.method !== 'lora' && x.method !== 'full') || x.quantBits === 4) return [];
    const gpu = ctx.gpus.find(CONSUMER_GPU);
    if (!gpu) return [];
    const fromFull = x.method === 'full';
    const tweak = { method: 'qlora' as const, quantBits: 4 as const, ...(fromFull ? { lora: QLORA_FROM_FULL } : {}) };
    const consumer = ctx.whatIf({ ...tweak, gpu, gpus: 1, gpusPerNode: 1, sharding: { kind: 'none', stage: 0, offloadOptimizer: 'none', offloadParams: 'none' } });
    if (!consumer.fits) return [];
    const here = ctx.whatIf(tweak);
    const changes: TrainingKnobChange[] = [{ knob: 'qlora', value: true, fromFull }];
    const fix = here.fits ? trainingFix(ctx, spelled(ctx, changes), changes, here) : undefined;
    const p = ctx.plan;
    const adapter = fromFull ? ' with LoRA r 16, alpha 32 on every linear layer' : '';
    return [{
      rule: this.code, severity: 'info',
      message: `QLoRA (4-bit NF4 base${adapter}) would fit one ${gpu.name}: peak ${gib(consumer.peakBytesPerGpu)} of ${gib(consumer.capacityBytes)}; on this ${e.gpu.id} ${peakChange(e, here)}. ${trainingEvidence('qlora')}`,
      range: landOn(p, keyRange(p, 'quantBits', p.quantBits?.source), keyRange(p, 'method', p.method.source), rangeOf(p.model?.source)),
      ...(fix ? { fixes: [fix] } : {}),
    }];
  },
};
