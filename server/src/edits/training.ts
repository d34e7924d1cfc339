/**
 * A training fix → text edits: each plan-level change spelled as the framework's own key (axolotl
 * `gradient_checkpointing`, torchtune `enable_activation_checkpointing`, LLaMA-Factory `disable_gradient_checkpointing`,
 * …) and written by keyPathSet.ts. The readers in formats/training read these very keys back, so the edited file
 * gives the plan the fix meant (test/unit/trainingFixes.test.ts re-reads every one).
 */
import type { TrainingFormat, TrainingPlan } from '../plan/training';
import type { TrainingFix, TrainingKnobChange } from '../rules/training/types';
import { KeySet, keyPathEdits } from './keyPathSet';
import type { TextEdit } from './text';

/** Hugging Face optimizer name of bitsandbytes' 8-bit AdamW (transformers OptimizerNames.ADAMW_BNB). */
const HF_8BIT = 'adamw_bnb_8bit';
/** torchtune names the class: bitsandbytes' 8-bit AdamW (torchtune's low-memory recipes use it). */
const TORCHTUNE_8BIT = 'bitsandbytes.optim.AdamW8bit';

type Writer = (c: TrainingKnobChange, plan: TrainingPlan) => KeySet[] | undefined;

const hfStyle = (micro: string): Writer => (c) => {
  switch (c.knob) {
    case 'gradientCheckpointing': return [{ path: ['gradient_checkpointing'], value: c.value }];
    case 'microBatch': return [{ path: [micro], value: c.value }];
    case 'gradAccum': return [{ path: ['gradient_accumulation_steps'], value: c.value }];
    case 'optimizer': return undefined;
    case 'qlora': return undefined;
  }
};

const WRITERS: Partial<Record<TrainingFormat, Writer>> = {
  axolotl: (c, plan) => {
    switch (c.knob) {
      case 'microBatch': return [{ path: ['micro_batch_size'], value: c.value }];
      case 'optimizer': return [{ path: ['optimizer'], value: HF_8BIT }];
      case 'qlora': {
        const sets: KeySet[] = [{ path: ['adapter'], value: 'qlora' }, { path: ['load_in_4bit'], value: true }];
        if (plan.quantBits?.value === 8) sets.push({ path: ['load_in_8bit'], value: false });
        if (c.fromFull) sets.push({ path: ['lora_r'], value: 16 }, { path: ['lora_alpha'], value: 32 }, { path: ['lora_target_linear'], value: true });
        return sets;
      }
      default: return hfStyle('micro_batch_size')(c, plan);
    }
  },
  'hf-trainer': (c, plan) => {
    if (c.knob === 'optimizer') return [{ path: ['optim'], value: HF_8BIT }];
    // TRL ModelConfig: load_in_4bit beside use_peft. From a full fine-tune the adapter's targets would be PEFT's
    // defaults, not the all-linear adapter the estimate measured: no fix then.
    if (c.knob === 'qlora') return c.fromFull ? undefined : [{ path: ['load_in_4bit'], value: true }];
    return hfStyle('per_device_train_batch_size')(c, plan);
  },
  llamafactory: (c, plan) => {
    switch (c.knob) {
      // Checkpointing is LLaMA-Factory's default; a file turns it off with disable_gradient_checkpointing.
      case 'gradientCheckpointing': return [{ path: ['disable_gradient_checkpointing'], value: !c.value }];
      case 'optimizer': return [{ path: ['optim'], value: HF_8BIT }];
      // From full: the adapter the estimate measured (r 16, alpha 32, every linear layer: LLaMA-Factory's `all`).
      case 'qlora': return [...(c.fromFull ? [{ path: ['finetuning_type'], value: 'lora' }, { path: ['lora_rank'], value: 16 }, { path: ['lora_alpha'], value: 32 }, { path: ['lora_target'], value: 'all' }] : []), { path: ['quantization_bit'], value: 4 }];
      default: return hfStyle('per_device_train_batch_size')(c, plan);
    }
  },
  torchtune: (c) => {
    switch (c.knob) {
      case 'gradientCheckpointing': return [{ path: ['enable_activation_checkpointing'], value: c.value }];
      case 'microBatch': return [{ path: ['batch_size'], value: c.value }];
      case 'gradAccum': return [{ path: ['gradient_accumulation_steps'], value: c.value }];
      // The class only where the file names one. Its other arguments stay: bnb's AdamW8bit takes lr, betas, eps and
      // weight_decay as torch's does, but not `fused`, which goes.
      case 'optimizer': return [{ path: ['optimizer', '_component_'], value: TORCHTUNE_8BIT }, { path: ['optimizer', 'fused'], value: false, remove: true }];
      // The LoRA builders' quantize_base turns the frozen base NF4; a full builder has no adapter to add.
      case 'qlora': return c.fromFull ? undefined : [{ path: ['model', 'quantize_base'], value: true }];
    }
  },
};

/** The fields a linked file (DeepSpeed JSON, accelerate) decides: a fix would have to edit that file, not this one. */
const fieldOf: Record<TrainingKnobChange['knob'], string> = { gradientCheckpointing: 'gradientCheckpointing', microBatch: 'microBatch', gradAccum: 'gradAccum', optimizer: 'optimizer', qlora: 'method' };

export function trainingKeySets(fix: TrainingFix, plan: TrainingPlan): KeySet[] | undefined {
  const w = WRITERS[fix.format];
  if (!w) return undefined;
  const sets: KeySet[] = [];
  for (const c of fix.changes) {
    if (plan.linked.some((l) => l.fields?.includes(fieldOf[c.knob]))) return undefined;
    if (c.knob === 'optimizer' && fix.format === 'torchtune' && !torchtuneOptimizerWritable(plan)) return undefined;
    const s = w(c, plan);
    if (!s) return undefined;
    sets.push(...s);
  }
  return sets;
}

function torchtuneOptimizerWritable(plan: TrainingPlan): boolean {
  const src = plan.optimizer.source;
  return src.kind === 'file' && src.key.endsWith('_component_');
}

/** Whether this file can take the fix (the rules offer only these). */
export const trainingWritable = (fix: TrainingFix, plan: TrainingPlan) => !!trainingKeySets(fix, plan);

export function trainingEdits(fix: TrainingFix, plan: TrainingPlan, text: string): TextEdit[] | undefined {
  const sets = trainingKeySets(fix, plan);
  return sets && keyPathEdits(text, sets);
}

/** The FixIntent's training part: undefined when this file cannot take the fix. */
export function trainingIntentPart(fix: TrainingFix, plan: TrainingPlan): { changes: TrainingKnobChange[]; sets: KeySet[] } | undefined {
  const sets = trainingKeySets(fix, plan);
  return sets ? { changes: fix.changes, sets } : undefined;
}
