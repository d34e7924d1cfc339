/**
 * training-zero-shard: on several GPUs, model states kept whole on each (DDP, ZeRO-1/2, FSDP SHARD_GRAD_OP) where
 * ZeRO-3 / FSDP FULL_SHARD would make the plan fit — or fit on fewer GPUs than the plan uses. The sharding lives in a
 * DeepSpeed JSON or accelerate/FSDP settings, often another file: the finding says what to set, without a quick fix.
 */
import { trainingEvidence } from '../../evidence/trainingPapers';
import type { ShardingSetup } from '../../estimator/training/types';
import { gib, keyRange, landOn, peakChange, rangeOf } from './shared';
import type { TrainingRule } from './types';

export const zeroShardRule: TrainingRule = {
  code: 'training-zero-shard',
  check(ctx) {
    const e = ctx.estimate;
    const x = ctx.inputs;
    if (x.gpus < 2 || x.sharding.stage === 3) return [];
    const kind = x.sharding.kind === 'fsdp' ? 'fsdp' : 'zero';
    const sharding: ShardingSetup = { ...x.sharding, kind, stage: 3 };
    const what = kind === 'fsdp' ? 'FSDP FULL_SHARD' : 'ZeRO stage 3';
    const p = ctx.plan;
    const linked = p.linked.find((l) => l.fields?.some((f) => f.startsWith('sharding')));
    const range = landOn(p, keyRange(p, 'sharding.stage', p.sharding.stage.source), linked?.range, rangeOf(p.hardware.gpusPerNode?.source));
    const where = linked ? ` (in ${linked.path})` : '';
    const after = ctx.whatIf({ sharding });
    if (!e.fits) {
      if (!after.fits) return [];
      return [{ rule: this.code, severity: 'warning', range,
        message: `${what}${where} would make this fit on the ${x.gpus} GPUs: parameters, gradients and optimizer states split ${x.gpus} ways, ${peakChange(e, after)}. ${trainingEvidence('zero')}` }];
    }
    // Fits already: the fewest GPUs (halving, within the node count it has) on which the sharded plan still fits.
    let fewest = x.gpus;
    for (let n = Math.floor(x.gpus / 2); n >= 1 && x.gpus % n === 0; n = Math.floor(n / 2)) {
      const t = ctx.whatIf({ sharding, gpus: n, gpusPerNode: Math.min(n, x.gpusPerNode) });
      if (!t.fits) break;
      fewest = n;
      if (n === 1) break;
    }
    if (fewest === x.gpus || fewest === 1) return [];
    const less = ctx.whatIf({ sharding, gpus: fewest, gpusPerNode: Math.min(fewest, x.gpusPerNode) });
    return [{ rule: this.code, severity: 'info', range,
      message: `With ${what}${where} this fits on ${fewest} GPUs instead of ${x.gpus}: peak ${gib(less.peakBytesPerGpu)} of ${gib(less.capacityBytes)} per GPU (now ${gib(e.peakBytesPerGpu)}). ${trainingEvidence('zero')}` }];
  },
};
