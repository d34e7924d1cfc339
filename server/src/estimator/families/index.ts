/** The family readers, tried in order; the first that matches reads the config (model.ts modelFromConfig). */
import { falcon } from './falcon';
import { lfm2 } from './lfm2';
import { nemotronH } from './nemotronH';
import type { FamilyReader, Json } from './types';

export const FAMILY_READERS: readonly FamilyReader[] = [nemotronH, lfm2, falcon];

export function familyFor(modelType: string, architecture: string, text: Json, raw: Json): FamilyReader | undefined {
  return FAMILY_READERS.find((f) => f.matches(modelType, architecture, text, raw));
}
