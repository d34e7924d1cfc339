/** Each training format's key table, for the features that look a key up by the file's format (hovers). */
import type { TrainingFormat } from '../../../plan/training';
import { accelerateKeys } from './accelerate';
import { axolotlKeys } from './axolotl';
import { deepspeedKeys } from './deepspeed';
import { hfTrainerKeys } from './hfTrainer';
import { llamafactoryKeys } from './llamafactory';
import { torchtuneKeys } from './torchtune';
import type { TrainingKeyTable } from './types';

export const trainingKeyTables: Record<TrainingFormat, TrainingKeyTable> = {
  axolotl: axolotlKeys, llamafactory: llamafactoryKeys, torchtune: torchtuneKeys, 'hf-trainer': hfTrainerKeys, deepspeed: deepspeedKeys, accelerate: accelerateKeys,
};
