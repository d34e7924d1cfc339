/** The family readers, tried in order; the first that matches reads the config (model.ts modelFromConfig). */
import type { FamilyReader, Json } from './types';
// Hybrid recurrent models.
import { kimiLinear } from './kimiLinear';
import { lfm2 } from './lfm2';
import { minimaxLightning } from './minimaxLightning';
import { nemotronH } from './nemotronH';
import { qwenGatedDeltaNet } from './qwenGatedDeltaNet';
// Per-layer shapes, windows and sparse attention.
import { deepseekSparse } from './deepseekSparse';
import { deepseekV4 } from './deepseekV4';
import { glm4Moe } from './glm4Moe';
import { gemma4 } from './gemma4';
import { mimo } from './mimo';
import { mimoV2 } from './mimoV2';
import { mllama } from './mllama';
import { minimaxM2 } from './minimax';
import { minimaxM3 } from './minimaxM3';
import { nemotronNas } from './nemotronNas';
// Decoders under other names, near-Llama decoders and encoder-only models.
import { bert } from './bert';
import { chatglm } from './chatglm';
import { chatglmV1 } from './chatglmV1';
import { exaone4 } from './exaone4';
import { falcon } from './falcon';
import { granitemoe } from './granitemoe';
import { hunyuan } from './hunyuan';
import { ministral3 } from './ministral3';
import { olmo } from './olmo';
import { opt } from './opt';
import { phimoe } from './phimoe';
import { qwenTextWrappers } from './qwenTextWrappers';
import { qwenV1 } from './qwenV1';
import { smollm3 } from './smollm3';
import { step3p7 } from './step3p7';

export const FAMILY_READERS: readonly FamilyReader[] = [
  qwenGatedDeltaNet, nemotronH, lfm2, minimaxLightning, kimiLinear,
  gemma4, mimo, mimoV2, minimaxM2, minimaxM3, nemotronNas, mllama, deepseekSparse, deepseekV4, glm4Moe,
  qwenTextWrappers, qwenV1, falcon, olmo, exaone4, smollm3, hunyuan, phimoe, granitemoe, chatglm, chatglmV1, ministral3, bert, opt, step3p7,
];

export function familyFor(modelType: string, architecture: string, text: Json, raw: Json): FamilyReader | undefined {
  return FAMILY_READERS.find((f) => f.matches(modelType, architecture, text, raw));
}
