/**
 * ChatGLM-6B v1 (`chatglm` with the GLM-v1 field names: `inner_hidden_size`, `max_sequence_length`,
 * `position_encoding_2d`, no padded_vocab_size / ffn_hidden_size): multi-head attention with a biased fused
 * query_key_value and biased dense output, a two-matrix GELU MLP (dense_h_to_4h → dense_4h_to_h, biased), LayerNorms
 * with bias (input, post-attention, final), and an LM head tied to the word embeddings (the config leaves
 * tie_word_embeddings at transformers' default, true). Counted from THUDM's modeling_chatglm.py for chatglm-6b
 * (GLMBlock, SelfAttention, GLU, ChatGLMModel) — 6.17 B, the model card's "6.2B".
 *
 * No engine here serves this layout: vLLM's and SGLang's chatglm.py are the GLM-2 model (`transformer.encoder.layers`,
 * `padded_vocab_size` rows; vLLM's own ChatGLMConfig would default padded_vocab_size to 65,024 against this
 * checkpoint's 130,528-row embedding), and vLLM's supported-model list names only chatglm2/chatglm3. The estimate
 * says so in its assumptions; it sizes the model as it would load (transformers, trust_remote_code).
 */
import { plainMlpParams, withoutAssumptions } from './plainLayers';
import { FamilyReader, num } from './types';

export const chatglmV1: FamilyReader = {
  name: 'ChatGLM-6B (GLM-v1 layout)',
  matches: (modelType, _architecture, text) =>
    modelType === 'chatglm' && num(text.padded_vocab_size) === undefined && num(text.ffn_hidden_size) === undefined &&
    (num(text.inner_hidden_size) !== undefined || text.position_encoding_2d !== undefined || num(text.max_sequence_length) !== undefined),
  read(base, c) {
    const d = base.hidden;
    const heads = base.heads;
    const headDim = Math.floor(d / heads);
    const width = num(c.inner_hidden_size) ?? 4 * d;
    const layerParams = Array.from({ length: base.layers }, () => ({
      // query_key_value (3 × hidden, biased) less its K/V part, and the biased dense output.
      attention: d * d + d + d * d + d,
      kvProj: 2 * d * d + 2 * d,
      kvHeads: heads,
      replicated: 0,
      mlp: plainMlpParams(d, width, true),
      experts: 0, activeExperts: 0, router: 0,
      // input_layernorm and post_attention_layernorm: weight + bias each.
      norms: 4 * d,
    }));
    const assumptions = withoutAssumptions(base.assumptions, 'num_key_value_heads absent');
    assumptions.push(`ChatGLM-6B v1 (GLM-v1 layout): vLLM and SGLang do not serve it (their chatglm.py is the ChatGLM2/3 layout; this checkpoint's transformer.layers.* tensors and ${base.vocab.toLocaleString('en-US')}-row vocabulary do not load there) — sized as transformers loads it (trust_remote_code); serve ChatGLM2/3-6B or GLM-4-9B with an engine instead`);
    return {
      ...base,
      kvHeads: heads,
      headDim,
      intermediate: width,
      gatedMlp: false,
      qkvBias: true,
      qkNorm: false,
      normsPerLayer: 2,
      mla: null,
      moe: null,
      tiedEmbeddings: c.tie_word_embeddings !== false,
      maxPositions: num(c.max_sequence_length) ?? base.maxPositions,
      // final_layernorm's bias beside its weight.
      extraParams: (base.extraParams ?? 0) + d,
      attention: Array.from({ length: base.layers }, () => ({ kind: 'full' })),
      layerParams,
      assumptions,
    };
  },
};
