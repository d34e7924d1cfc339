/**
 * One setting changed, the whole estimate re-run: what the training rules, their fix titles and the hovers state as
 * "peak before → after". Pure; the inputs are not touched.
 */
import { estimateTraining } from './estimate';
import type { LoraSetup, TrainingEstimate, TrainingInputs } from './types';

export type TrainingTweak = Partial<Pick<TrainingInputs, 'gradientCheckpointing' | 'microBatch' | 'gradAccum' | 'optimizer' | 'sharding' | 'method' | 'quantBits' | 'lora' | 'gpus' | 'gpusPerNode' | 'gpu' | 'precision' | 'seqLen' | 'attention'>>;

/** The LoRA setup a full fine-tune switched to QLoRA gets: rank 16, alpha 32 on every linear layer (QLoRA's recipe
 *  adapts all linear layers; axolotl's and TRL's QLoRA examples use r 16–64). */
export const QLORA_FROM_FULL: LoraSetup = { rank: 16, alpha: 32, targets: 'all-linear', dora: false, adapterDtype: 'fp32' };

export function withTweak(x: TrainingInputs, t: TrainingTweak): TrainingInputs {
  const y: TrainingInputs = { ...x, ...t };
  if (t.quantBits !== undefined) y.doubleQuant = t.quantBits === 4;
  if ((y.method === 'lora' || y.method === 'qlora') && !y.lora) y.lora = QLORA_FROM_FULL;
  return y;
}

export function trainingWhatIf(x: TrainingInputs, t: TrainingTweak): TrainingEstimate {
  return estimateTraining(withTweak(x, t));
}
