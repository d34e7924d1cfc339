/**
 * A family reader turns the generic reading of a config.json (model.ts modelFromConfig) into the exact one for an
 * architecture the uniform decoder cannot describe: per-layer parameters as the engine shards them, which layers keep
 * KV and in what shape, the recurrent state, the MTP layers. One family per file, each citing the engine code it
 * follows; registered in families/index.ts.
 */
import type { ModelSpec } from '../modelSpec';

export type Json = Record<string, unknown>;

export interface FamilyReader {
  /** Short name shown in assumptions and hovers ("Qwen3.5 (gated DeltaNet + attention)"). */
  name: string;
  /** Whether this reader owns the config: `text` is the language model's config (a wrapper's text_config), `raw` the file. */
  matches(modelType: string, architecture: string, text: Json, raw: Json): boolean;
  /**
   * The exact ModelSpec, built from the generic one (`base`: shapes read from the usual fields, weight format, dtype).
   * Must fill `layerParams` and `attention` for every layer, and `recurrent`, `layerKv`, `mtp` where they apply.
   * Throws ModelConfigError for a config it recognises but cannot read (a missing layer pattern).
   */
  read(base: ModelSpec, text: Json, raw: Json): ModelSpec;
}

export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
