/** What a training rule sees and what its fixes change, in plan terms (edits/training.ts spells them per framework). */
import type { TrainingEstimate, TrainingInputs } from '../../estimator/training/types';
import type { TrainingTweak } from '../../estimator/training/whatIf';
import type { TrainingFormat, TrainingPlan } from '../../plan/training';
import type { GpuCatalog } from '../../catalog/gpus';
import type { Finding } from '../types';

export type TrainingKnobChange =
  | { knob: 'gradientCheckpointing'; value: boolean }
  | { knob: 'microBatch'; value: number }
  | { knob: 'gradAccum'; value: number }
  | { knob: 'optimizer'; value: 'adamw-8bit' }
  /** To QLoRA: 4-bit base and an adapter (from full: rank 16, alpha 32 on all linear layers). */
  | { knob: 'qlora'; value: true; fromFull: boolean };

export interface TrainingFix {
  format: TrainingFormat;
  changes: TrainingKnobChange[];
}

export interface TrainingRuleContext {
  plan: TrainingPlan;
  inputs: TrainingInputs;
  estimate: TrainingEstimate;
  whatIf(t: TrainingTweak): TrainingEstimate;
  gpus: GpuCatalog;
}

export interface TrainingRule {
  code: string;
  check(ctx: TrainingRuleContext): Finding[];
}
