/** The family readers, tried in order; the first that matches reads the config (model.ts modelFromConfig). */
import { deepseekSparse } from './deepseekSparse';
import { deepseekV4 } from './deepseekV4';
import { glm4Moe } from './glm4Moe';
import { kimiLinear } from './kimiLinear';
import type { FamilyReader, Json } from './types';

export const FAMILY_READERS: readonly FamilyReader[] = [deepseekSparse, deepseekV4, kimiLinear, glm4Moe];

export function familyFor(modelType: string, architecture: string, text: Json, raw: Json): FamilyReader | undefined {
  return FAMILY_READERS.find((f) => f.matches(modelType, architecture, text, raw));
}
