/**
 * A setup the training search found → edits of the config, written by the same per-framework writers as the quick
 * fixes (edits/training.ts), so the edited file reads back as that setup. What a training config does not hold — the
 * GPU type and count, which the launcher or the job spec sets — becomes a note; a change no writer spells (precision,
 * sharding, offload, full → LoRA) blocks the edit rather than leave a file that trains something else.
 */
import type { TrainingPlan } from '../plan/training';
import type { TrainingKnobChange } from '../rules/training/types';
import type { TrainingPlanRow } from '../training/searchTypes';
import { keyPathEdits } from './keyPathSet';
import type { TextEdit } from './text';
import { trainingKeySets } from './training';

export interface TrainingSetupEdit {
  /** Absent when the setup cannot be written into this file (`blocked` says why). */
  edits?: TextEdit[];
  /** What to do outside the file (run on another GPU or count). */
  notes: string[];
  blocked?: string;
}

const WHERE_ELSE: Record<string, string> = {
  precision: 'the precision',
  sharding: 'the ZeRO / FSDP sharding',
  offload: 'the offload',
};

export function trainingSetupEdits(row: TrainingPlanRow, plan: TrainingPlan, text: string): TrainingSetupEdit {
  const notes: string[] = [];
  const changes: TrainingKnobChange[] = [];
  const gpuChange = row.changes.some((c) => c.knob === 'gpu' || c.knob === 'gpus');
  if (gpuChange) notes.push(`run it on ${row.gpus} × ${row.gpu}: the launcher or the job spec sets the GPUs, not this file`);
  for (const c of row.changes) {
    switch (c.knob) {
      case 'gpu': case 'gpus': case 'effectiveBatch': break;
      case 'microBatch': changes.push({ knob: 'microBatch', value: Number(c.to) }); break;
      case 'gradAccum': changes.push({ knob: 'gradAccum', value: Number(c.to) }); break;
      case 'gradientCheckpointing': changes.push({ knob: 'gradientCheckpointing', value: c.to === true }); break;
      case 'method':
        if (c.to !== 'qlora') return { notes, blocked: `${c.from} → ${c.to} is not written here: change the method in the file` };
        changes.push({ knob: 'qlora', value: true, fromFull: c.from === 'full' });
        break;
      default:
        return { notes, blocked: `${WHERE_ELSE[c.knob] ?? c.knob} (${c.from} → ${c.to}) is not written here: change it in the file or the DeepSpeed / accelerate config it uses` };
    }
  }
  if (!changes.length) return { edits: [], notes };
  const format = plan.format;
  const sets = format ? trainingKeySets({ format, changes }, plan) : undefined;
  const edits = sets && keyPathEdits(text, sets);
  if (!edits) return { notes, blocked: 'this file cannot take these changes (a linked DeepSpeed or accelerate config decides them, or the format has no key for them)' };
  return { edits, notes };
}
