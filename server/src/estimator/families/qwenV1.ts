/**
 * Qwen (v1, `qwen`, QWenLMHeadModel: Qwen-7B/14B/72B, Qwen-VL-Chat's language model), as vLLM builds it
 * (vllm@9aaf83ef:vllm/model_executor/models/qwen.py QWenAttention, QWenMLP, QWenBlock, QWenModel, QWenLMHeadModel):
 * multi-head attention with one fused, biased c_attn (q, k, v) and a bias-free c_proj; a SwiGLU MLP whose width is
 * half of config `intermediate_size` (QWenBlock passes intermediate_size // 2: w1 and w2 each that wide, plus c_proj);
 * RMSNorms ln_1 / ln_2 / ln_f; vocabulary-parallel wte and lm_head (tied only if tie_word_embeddings).
 * Qwen-VL's visual tower (`visual`) is not part of the language model (estimator/encoders/).
 */
import type { LayerParams, ModelSpec } from '../modelSpec';
import { FamilyReader, Json, num } from './types';

/**
 * vLLM's derived max_model_len is the smallest of the length fields a config holds (config/model.py
 * _get_and_verify_max_len): Qwen-VL-Chat says max_position_embeddings 8192 but seq_length 2048.
 */
function maxLength(c: Json, fallback: number): number {
  const found = ['max_position_embeddings', 'seq_length', 'n_positions', 'max_seq_len', 'max_sequence_length', 'max_seq_length', 'seq_len']
    .map((k) => num(c[k])).filter((v): v is number => v !== undefined && v > 0);
  return found.length ? Math.min(...found) : fallback;
}

function read(base: ModelSpec, c: Json): ModelSpec {
  const d = base.hidden;
  const heads = base.heads;
  // QWenAttention: head_dim = hidden_size // num_attention_heads (kv_channels holds the same number); every head has
  // its own K and V.
  const headDim = Math.floor(d / heads);
  const width = Math.floor((num(c.intermediate_size) ?? 8 * d) / 2);
  const layer: LayerParams = {
    attention: d * heads * headDim + heads * headDim + heads * headDim * d,
    kvProj: 2 * d * heads * headDim + 2 * heads * headDim,
    kvHeads: heads,
    replicated: 0,
    mlp: 3 * d * width,
    experts: 0,
    activeExperts: 0,
    router: 0,
    norms: 2 * d,
  };
  return {
    ...base,
    kvHeads: heads,
    headDim,
    intermediate: width,
    maxPositions: maxLength(c, base.maxPositions),
    tiedEmbeddings: c.tie_word_embeddings === true,
    gatedMlp: true,
    qkvBias: true,
    qkNorm: false,
    normsPerLayer: 2,
    moe: null,
    mla: null,
    attention: Array.from({ length: base.layers }, () => ({ kind: 'full' as const })),
    layerParams: Array.from({ length: base.layers }, () => ({ ...layer })),
    // The generic reader's "multi-head assumed" line is this architecture's fact, not an assumption.
    assumptions: base.assumptions.filter((a) => !a.startsWith('num_key_value_heads absent')),
  };
}

export const qwenV1: FamilyReader = {
  name: 'Qwen (v1, QWenLMHeadModel)',
  matches: (modelType, architecture) => modelType === 'qwen' || architecture === 'QWenLMHeadModel',
  read,
};
