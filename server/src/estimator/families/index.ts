/** The family readers, tried in order; the first that matches reads the config (model.ts modelFromConfig). */
import { mllama } from './mllama';
import { qwenVl } from './qwenVl';
import type { FamilyReader, Json } from './types';

export const FAMILY_READERS: readonly FamilyReader[] = [mllama, qwenVl];

export function familyFor(modelType: string, architecture: string, text: Json, raw: Json): FamilyReader | undefined {
  return FAMILY_READERS.find((f) => f.matches(modelType, architecture, text, raw));
}
