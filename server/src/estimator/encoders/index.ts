/** The encoder readers, tried in order; the first that matches counts the wrapper's towers (model.ts modelFromConfig). */
import type { EncoderTower } from '../model';
import type { EncoderReader, Json } from './types';

export const ENCODER_READERS: readonly EncoderReader[] = [];

/** The towers of a multimodal wrapper, or undefined when no reader knows it (or it has none). */
export function readEncoders(raw: Json, architecture: string, textHidden: number): EncoderTower[] | undefined {
  return ENCODER_READERS.find((r) => r.matches(raw, architecture))?.read(raw, textHidden);
}
