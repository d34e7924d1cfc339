/**
 * ChatGLM2 / ChatGLM3 / GLM-4-9B / CodeGeeX2 (`chatglm` with the GLM-2 field names: ChatGLMModel /
 * ChatGLMForConditionalGeneration): fused query_key_value with `multi_query_group_num` KV groups (when
 * `multi_query_attention`), biased by `add_qkv_bias` (or `add_bias_linear`); `ffn_hidden_size` SwiGLU MLP
 * (dense_h_to_4h is gate + up); RMSNorms (`rmsnorm`); embeddings and the untied output layer of `padded_vocab_size`
 * rows; `num_layers` layers and `seq_length` positions.
 * vLLM: vllm/model_executor/models/chatglm.py (GLMAttention: head_dim = hidden / heads, QKVParallelLinear bias =
 * add_bias_linear or add_qkv_bias, dense bias = add_bias_linear; GLMMLP; GLMBlock; ChatGLMModel embedding /
 * output_layer of padded_vocab_size) — read by symbol, no pinned commit. ChatGLM2-6B: 6.24 B (model card "6B").
 * The GLM-v1 layout (chatglm-6b) is chatglmV1.ts.
 */
import { gatedMlpParams, withoutAssumptions } from './plainLayers';
import { FamilyReader, num } from './types';

export const chatglm: FamilyReader = {
  name: 'ChatGLM2/3 (GLM-2 layout)',
  matches: (modelType, _architecture, text) => modelType === 'chatglm' && (num(text.padded_vocab_size) !== undefined || num(text.ffn_hidden_size) !== undefined),
  read(base, c) {
    const d = base.hidden;
    const heads = base.heads;
    // GLMAttention: head_dim = hidden / heads (kv_channels equals it in every released config).
    const headDim = Math.floor(d / heads);
    const groups = num(c.multi_query_group_num);
    const kvHeads = c.multi_query_attention === false || !groups ? heads : groups;
    const linearBias = c.add_bias_linear === true;
    const qkvBias = linearBias || c.add_qkv_bias === true;
    const width = num(c.ffn_hidden_size) ?? base.intermediate;
    const vocab = num(c.padded_vocab_size) ?? base.vocab;
    // RMSNorm (rmsnorm true, every GLM-2 checkpoint) holds a weight; LayerNorm a weight and a bias.
    const normVec = c.rmsnorm === false ? 2 * d : d;
    const q = heads * headDim;
    const kv = kvHeads * headDim;
    const layerParams = Array.from({ length: base.layers }, () => ({
      attention: d * q + (qkvBias ? q : 0) + q * d + (linearBias ? d : 0),
      kvProj: 2 * d * kv + (qkvBias ? 2 * kv : 0),
      kvHeads,
      replicated: 0,
      mlp: gatedMlpParams(d, width, linearBias),
      experts: 0, activeExperts: 0, router: 0,
      norms: 2 * normVec,
    }));
    const assumptions = withoutAssumptions(base.assumptions, 'vocab_size absent', 'num_key_value_heads absent');
    return {
      ...base,
      vocab,
      kvHeads,
      headDim,
      intermediate: width,
      gatedMlp: true,
      qkvBias,
      qkNorm: false,
      mla: null,
      moe: null,
      // ChatGLMModel's output_layer is its own tensor unless tie_word_embeddings says otherwise.
      tiedEmbeddings: c.tie_word_embeddings === true,
      // vLLM's ChatGLMConfig: seq_length is the model's context (its max_position_embeddings).
      maxPositions: num(c.seq_length) ?? base.maxPositions,
      // The final norm is a LayerNorm too when rmsnorm is false: its bias beside the weight. (post_layer_norm false
      // would drop it; no released GLM-2 checkpoint does.)
      extraParams: (base.extraParams ?? 0) + (c.rmsnorm === false ? d : 0),
      attention: Array.from({ length: base.layers }, () => ({ kind: 'full' })),
      layerParams,
      assumptions,
    };
  },
};
