/**
 * An encoder reader counts the vision (or audio) tower and projector of a multimodal wrapper as the engine loads it:
 * its parameters from the wrapper's `vision_config`, and whether each rank holds a shard or a full copy. One tower
 * family per file, each citing the engine code it follows; registered in encoders/index.ts.
 */
import type { EncoderTower } from '../modelSpec';

export type Json = Record<string, unknown>;

export interface EncoderReader {
  name: string;
  /** Whether this reader knows the wrapper (`raw` is the whole config.json; `architecture` its architectures[0]). */
  matches(raw: Json, architecture: string): boolean;
  /** The towers, or undefined when the config lacks what the count needs (the tower then stays "not counted"). */
  read(raw: Json, textHidden: number): EncoderTower[] | undefined;
}
