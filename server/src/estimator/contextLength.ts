/**
 * The longest context an engine derives from a model's config, whether it refuses a longer max length at startup,
 * and the RoPE-scaling (YaRN) extension a model family's card documents.
 *
 * vLLM (vllm/config/model.py `_get_and_verify_max_len`): the derived length is max_position_embeddings, times
 * rope_scaling.factor unless the RoPE type is su / longrope / llama3 (their max_position_embeddings already is the
 * scaled length) or the model is Gemma 3; for YaRN the base is rope_scaling.original_max_position_embeddings. A
 * max_model_len above it raises ValueError at startup ("User-specified max_model_len (…) is greater than the derived
 * max_model_len …") unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1, which only warns. `--hf-overrides` replaces config
 * attributes (rope_scaling among them) before this check.
 * SGLang (sglang/srt/configs/model_config.py `get_context_length` and `ModelConfig.__init__`): max_position_embeddings
 * times rope_scaling.factor, except when rope_scaling names original_max_position_embeddings or is llama3 (factor 1);
 * a --context-length above it raises ValueError unless SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN=1.
 * TGI and TensorRT-LLM: the research notes (config-formats.md §3 TGI, §4 TensorRT-LLM) record only that
 * max-total-tokens / max_seq_len default to the model's max_position_embeddings, not that a longer value is refused
 * at startup; there a longer value is a warning (outputs past the trained length degrade), never "will not start".
 */
import type { EngineName } from '../plan/types';
import type { ModelSpec } from './model';

/** A config override that lengthens the derived context: vLLM `hf-overrides` / `rope-scaling`, SGLang `json-model-override-args`. */
export interface ContextOverride {
  ropeScaling: Record<string, unknown>;
  /** `max_position_embeddings` overridden too (SGLang reads the length from it). */
  maxPositions?: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The longest max length the engine accepts for this model (and override) without an environment override. */
export function derivedMaxLen(engine: EngineName, m: Pick<ModelSpec, 'maxPositions' | 'ropeScaling' | 'modelType'>, o?: ContextOverride): number {
  const base = o?.maxPositions ?? m.maxPositions;
  const rope = o?.ropeScaling ?? m.ropeScaling;
  if (!rope) return base;
  const type = String(rope.rope_type ?? rope.type ?? 'default');
  const factor = num(rope.factor) ?? 1;
  switch (engine) {
    case 'vllm': {
      if (type === 'su' || type === 'longrope' || type === 'llama3' || /gemma3/.test(m.modelType)) return base;
      const start = type === 'yarn' ? num(rope.original_max_position_embeddings) ?? base : base;
      return Math.floor(start * factor);
    }
    case 'sglang':
      return 'original_max_position_embeddings' in rope || type === 'llama3' ? base : Math.floor(base * factor);
    default:
      return base;
  }
}

/** Whether the engine refuses a max length above the derived one, and the variable that lets it through. */
export function longContextPolicy(engine: EngineName): { refuses: boolean; allowEnv?: string } {
  switch (engine) {
    case 'vllm': return { refuses: true, allowEnv: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN' };
    case 'sglang': return { refuses: true, allowEnv: 'SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN' };
    default: return { refuses: false };
  }
}

/** A YaRN extension the model's own card documents: static YaRN over `originalMaxPositions`, factor up to `maxFactor`. */
export interface YarnExtension {
  originalMaxPositions: number;
  maxFactor: number;
}

/**
 * Qwen3 (dense and MoE, 40,960 positions) and Qwen2.5 / QwQ (32,768 or 40,960): their model cards' "Processing Long
 * Texts" sections enable YaRN with `{"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}`
 * for up to 131,072 tokens (and advise a smaller factor for shorter contexts, e.g. 2.0 for 65,536). No other
 * catalog family documents a RoPE override, so none is offered for them. Models already scaled (a rope_scaling in
 * config.json, or more positions than 40,960: the 2507 releases, the R1 distills) get none either.
 */
export function yarnExtension(m: { id: string; modelType: string; maxPositions: number; ropeScaled: boolean }): YarnExtension | undefined {
  if (m.ropeScaled || m.maxPositions > 40960) return undefined;
  const qwen3 = /^qwen3(_moe)?$/.test(m.modelType) && /qwen3/i.test(m.id);
  const qwen25 = m.modelType === 'qwen2' && /qwen2\.5|qwq/i.test(m.id) && !/-vl|math/i.test(m.id);
  return qwen3 || qwen25 ? { originalMaxPositions: 32768, maxFactor: 4 } : undefined;
}

/** The override that gives `length` tokens with a model's YaRN extension (factor rounded up to a whole number). */
export function yarnOverride(engine: EngineName, ext: YarnExtension, length: number): { factor: number; value: string } | undefined {
  const factor = Math.max(2, Math.ceil(length / ext.originalMaxPositions));
  if (factor > ext.maxFactor) return undefined;
  const rope = { rope_type: 'yarn', factor, original_max_position_embeddings: ext.originalMaxPositions };
  // SGLang reads its length from max_position_embeddings (the factor is ignored when the original length is named),
  // so its override states the scaled length too; its YaRN kernel takes the original length from rope_scaling.
  const value = engine === 'sglang' ? { rope_scaling: rope, max_position_embeddings: factor * ext.originalMaxPositions } : { rope_scaling: rope };
  return { factor, value: JSON.stringify(value) };
}
