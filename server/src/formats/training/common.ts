/** Pieces every training reader shares: the plan's skeleton, precision and optimizer from their keys. */
import type { OptimizerName, TrainingFormat, TrainingPlan } from '../../plan/training';
import { byDefault } from '../../plan/types';
import type { Sourced } from '../../plan/types';
import { hfOptimizer, hfOptimizerNames } from './optimizers';
import type { Values } from './values';

/** A plan with the framework's defaults, each stated with its source; readers overwrite what the file says. */
export function skeleton(format: TrainingFormat, d: { method: [TrainingPlan['method']['value'], string]; precision: [TrainingPlan['precision']['value'], string]; optimizer: [OptimizerName, string]; seqLen: [number, string]; microBatch: [number, string]; gradAccum: [number, string]; checkpointing: [boolean, string] }): TrainingPlan {
  return {
    format,
    method: byDefault(...d.method),
    precision: byDefault(...d.precision),
    optimizer: byDefault(...d.optimizer),
    seqLen: byDefault(...d.seqLen),
    microBatch: byDefault(...d.microBatch),
    gradAccum: byDefault(...d.gradAccum),
    gradientCheckpointing: byDefault(...d.checkpointing),
    sharding: { kind: 'none', stage: byDefault(0, 'no DeepSpeed or FSDP: every GPU holds all model states (DDP)') },
    hardware: {},
    linked: [],
    unmodelled: [],
    unread: [],
  };
}

/** A Hugging Face OptimizerNames value (axolotl `optimizer`, LLaMA-Factory / Trainer `optim`). */
export function hfOptim(values: Values, plan: TrainingPlan, map: unknown, key: string): void {
  const s = values.str(map, key);
  if (!s) return;
  const o = hfOptimizer(s.value);
  if (o.value) {
    plan.optimizer = { value: o.value, source: s.source };
    return;
  }
  if (o.known) {
    plan.unmodelled.push({ key, range: fileRange(s) });
    plan.unread.push({ what: `${key}: ${s.value}`, why: 'this optimizer\'s state is not modelled; AdamW is assumed', source: s.source });
    return;
  }
  values.oneOf(s, hfOptimizerNames, 'Hugging Face optimizer name');
}

export const set = <K extends keyof TrainingPlan>(plan: TrainingPlan, k: K, v: TrainingPlan[K] | undefined): void => {
  if (v !== undefined) plan[k] = v;
};

export const fileRange = (s: Sourced<unknown>) => (s.source.kind === 'file' ? s.source.range : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
