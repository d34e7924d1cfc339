/**
 * Falcon (`falcon`: Falcon-7B/40B/180B, Falcon2-11B): fused QKV, a GELU MLP of two matrices, LayerNorms with bias.
 * Shapes as vLLM builds them (vllm/model_executor/models/falcon.py: FalconAttention, FalconMLP, FalconDecoderLayer,
 * FalconForCausalLM) — read by symbol, no pinned commit.
 */
import type { LayerParams } from '../modelSpec';
import { FamilyReader, num } from './types';

export const falcon: FamilyReader = {
  name: 'Falcon',
  matches: (modelType) => modelType === 'falcon',
  read(base, c) {
    const d = base.hidden;
    const heads = base.heads;
    // FalconAttention: head_dim = hidden / heads; KV heads from num_kv_heads with the new decoder architecture
    // (40B/180B), one shared head with multi_query (7B), else one per query head.
    const headDim = Math.floor(d / heads);
    const newArch = c.new_decoder_architecture === true;
    const kvHeads = newArch ? num(c.num_kv_heads) ?? heads : c.multi_query === true ? 1 : heads;
    const bias = c.bias === true;
    // FalconMLP: dense_h_to_4h / dense_4h_to_h (transformers' ffn_hidden_size, 4 × hidden when absent).
    const width = num(c.ffn_hidden_size) ?? 4 * d;
    // FalconDecoderLayer: parallel attention with the new architecture has ln_attn + ln_mlp (num_ln_in_parallel_attn
    // defaults to 2 there); other parallel layers one input_layernorm; sequential layers input + post-attention norms.
    const parallel = c.parallel_attn !== false;
    const lnCount = num(c.num_ln_in_parallel_attn) ?? (newArch ? 2 : 1);
    const norms = parallel ? (lnCount === 2 ? 2 : 1) : 2;
    const q = heads * headDim;
    const kv = kvHeads * headDim;
    const layer: LayerParams = {
      attention: d * q + (bias ? q : 0) + d * d + (bias ? d : 0),
      kvProj: 2 * d * kv + (bias ? 2 * kv : 0),
      kvHeads,
      replicated: 0,
      mlp: 2 * d * width + (bias ? width + d : 0),
      experts: 0, activeExperts: 0, router: 0,
      // LayerNorm: weight and bias.
      norms: norms * 2 * d,
    };
    return {
      ...base,
      kvHeads,
      headDim,
      intermediate: width,
      gatedMlp: false,
      qkvBias: bias,
      qkNorm: false,
      normsPerLayer: norms,
      mla: null,
      moe: null,
      // FalconConfig's max_position_embeddings default (2048) when the file omits it, as vLLM reads the config.
      maxPositions: num(c.max_position_embeddings) ?? 2048,
      // FalconForCausalLM ties lm_head to word_embeddings unless tie_word_embeddings is false (only Falcon2-11B).
      tiedEmbeddings: c.tie_word_embeddings !== false,
      // ln_f's bias beside the final norm's weight.
      extraParams: (base.extraParams ?? 0) + d,
      attention: Array.from({ length: base.layers }, () => ({ kind: 'full' })),
      layerParams: Array.from({ length: base.layers }, () => ({ ...layer })),
    };
  },
};
