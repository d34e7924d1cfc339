/** The family readers, tried in order; the first that matches reads the config (model.ts modelFromConfig). */
import type { FamilyReader, Json } from './types';
import { qwenGatedDeltaNet } from './qwenGatedDeltaNet';
import { qwenTextWrappers } from './qwenTextWrappers';
import { qwenV1 } from './qwenV1';

export const FAMILY_READERS: readonly FamilyReader[] = [qwenGatedDeltaNet, qwenTextWrappers, qwenV1];

export function familyFor(modelType: string, architecture: string, text: Json, raw: Json): FamilyReader | undefined {
  return FAMILY_READERS.find((f) => f.matches(modelType, architecture, text, raw));
}
