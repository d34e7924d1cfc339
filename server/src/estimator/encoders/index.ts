/** The encoder readers, tried in order; the first that matches counts the wrapper's towers (model.ts modelFromConfig). */
import type { EncoderTower } from '../modelSpec';
import { gemmaVision } from './gemmaVision';
import { llamaVision } from './llamaVision';
import { minicpmVision } from './minicpmVision';
import { minimaxVision } from './minimaxVision';
import { moonVit } from './moonVit';
import { pixtral } from './pixtral';
import { qwenVision } from './qwenVision';
import { siglip2Vision } from './siglip2Vision';
import type { EncoderReader, Json } from './types';
import { whisperAudio } from './whisperAudio';

export const ENCODER_READERS: readonly EncoderReader[] = [qwenVision, moonVit, gemmaVision, llamaVision, pixtral, minimaxVision, whisperAudio, siglip2Vision, minicpmVision];

/** The towers of a multimodal wrapper, or undefined when no reader knows it (or it has none). */
export function readEncoders(raw: Json, architecture: string, textHidden: number): EncoderTower[] | undefined {
  return ENCODER_READERS.find((r) => r.matches(raw, architecture))?.read(raw, textHidden);
}
