/** The family readers, tried in order; the first that matches reads the config (model.ts modelFromConfig). */
import { falcon } from './falcon';
import { lfm2 } from './lfm2';
import { nemotronH } from './nemotronH';
import type { FamilyReader, Json } from './types';
import { gemma4 } from './gemma4';
import { minimaxM2 } from './minimax';
import { minimaxM3 } from './minimaxM3';
import { minimaxLightning } from './minimaxLightning';
import { mimo } from './mimo';
import { mimoV2 } from './mimoV2';
import { qwenGatedDeltaNet } from './qwenGatedDeltaNet';
import { qwenTextWrappers } from './qwenTextWrappers';
import { qwenV1 } from './qwenV1';

export const FAMILY_READERS: readonly FamilyReader[] = [
  gemma4, minimaxM2, minimaxM3, minimaxLightning, mimo, mimoV2, qwenGatedDeltaNet, qwenTextWrappers, qwenV1,
  nemotronH, lfm2, falcon,
];

export function familyFor(modelType: string, architecture: string, text: Json, raw: Json): FamilyReader | undefined {
  return FAMILY_READERS.find((f) => f.matches(modelType, architecture, text, raw));
}
