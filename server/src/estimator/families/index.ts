/** The family readers, tried in order; the first that matches reads the config (model.ts modelFromConfig). */
import type { FamilyReader, Json } from './types';
// Nemotron-NAS, the near-Llama decoders and the encoder-only models.
import { bert } from './bert';
import { chatglm } from './chatglm';
import { chatglmV1 } from './chatglmV1';
import { exaone4 } from './exaone4';
import { granitemoe } from './granitemoe';
import { hunyuan } from './hunyuan';
import { ministral3 } from './ministral3';
import { nemotronNas } from './nemotronNas';
import { olmo } from './olmo';
import { phimoe } from './phimoe';
import { smollm3 } from './smollm3';

export const FAMILY_READERS: readonly FamilyReader[] = [
  nemotronNas, olmo, exaone4, smollm3, hunyuan, phimoe, granitemoe, chatglm, chatglmV1, ministral3, bert,
];

export function familyFor(modelType: string, architecture: string, text: Json, raw: Json): FamilyReader | undefined {
  return FAMILY_READERS.find((f) => f.matches(modelType, architecture, text, raw));
}
