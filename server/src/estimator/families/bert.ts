/**
 * Encoder-only BERT and RoBERTa / XLM-RoBERTa (`bert`, `roberta`, `xlm-roberta`: BGE, MiniLM, GTE, E5, bge-m3, the
 * bge / ms-marco rerankers), served for pooling — embeddings or scores — not generation.
 *
 * Tensors as vLLM loads them (vllm/model_executor/models/bert.py: BertEmbedding — word, absolute position and
 * token-type embeddings plus a LayerNorm; BertLayer — fused biased q/k/v, biased output dense + LayerNorm, biased
 * intermediate, biased output + LayerNorm; roberta.py: RobertaEmbedding with the same encoder layers) — read by symbol,
 * no pinned commit. The checkpoint's pooler (dense hidden × hidden + bias) is loaded only for sequence classification
 * (BertPoolingModel); BertEmbeddingModel skips `pooler.` weights. RobertaForSequenceClassification has no pooler but a
 * classification head (dense + out_proj). There is no LM head.
 *
 * KV: every layer's attention is bidirectional over the request's own tokens (EncoderOnlyAttention, "a special case
 * that doesn't need a KV Cache": get_kv_cache_spec returns None), so no layer keeps anything per request; the research
 * note's serving-features §4.1 records this. The estimate then runs at the scheduler's cap with no KV pool.
 */
import { attentionParams, plainMlpParams, withoutAssumptions } from './plainLayers';
import { FamilyReader, num } from './types';

const ROBERTA = /^(roberta|xlm-roberta)$/;

export const bert: FamilyReader = {
  name: 'BERT / RoBERTa encoder (pooling, no KV cache)',
  matches: (modelType, architecture) =>
    (modelType === 'bert' || ROBERTA.test(modelType)) && /^(Bert|Roberta|XLMRoberta)(Model|ForSequenceClassification)$/.test(architecture),
  read(base, c, raw) {
    const d = base.hidden;
    const roberta = ROBERTA.test(base.modelType);
    const classifier = /ForSequenceClassification$/.test(base.architecture);
    const positions = num(c.max_position_embeddings) ?? 512;
    // transformers' defaults: BertConfig type_vocab_size 2; RoBERTa / XLM-R configs carry 1.
    const typeVocab = num(c.type_vocab_size) ?? (roberta ? 1 : 2);
    const labels = c.id2label && typeof c.id2label === 'object' ? Object.keys(c.id2label as object).length : num(c.num_labels) ?? 1;
    const layerParams = Array.from({ length: base.layers }, () => ({
      ...attentionParams({ hidden: d, heads: base.heads, kvHeads: base.heads, headDim: base.headDim, qkvBias: true, oBias: true }),
      replicated: 0,
      mlp: plainMlpParams(d, base.intermediate, true),
      experts: 0, activeExperts: 0, router: 0,
      // Attention-output LayerNorm and output LayerNorm: weight + bias each.
      norms: 4 * d,
    }));
    // BertForSequenceClassification: pooler dense + classifier; RoBERTa's head: dense + out_proj.
    const head = classifier ? d * d + d + d * labels + labels : 0;
    // countParams adds one final-norm vector of `hidden`; an encoder has none, but its embedding LayerNorm (weight + bias)
    // stands in for it: the bias, the position and token-type tables and the head go in the model-level extras.
    const extras = positions * d + typeVocab * d + d + head;
    const assumptions = withoutAssumptions(base.assumptions, 'num_key_value_heads absent');
    assumptions.push(`encoder-only ${base.architecture}: served for pooling (${classifier ? 'scores' : 'embeddings'}), no KV cache — vLLM's EncoderOnlyAttention keeps nothing per request, so there is no KV pool and concurrency is the scheduler's cap; memory is weights + the profile's activation peak${classifier ? '' : '; the checkpoint\'s pooler is not loaded (BertEmbeddingModel skips it)'}`);
    // RoBERTa numbers positions from padding_idx + 1 (create_position_ids_from_input_ids), so two rows are never reached.
    const maxPositions = roberta ? positions - (num(c.pad_token_id ?? raw.pad_token_id) ?? 1) - 1 : positions;
    if (roberta) assumptions.push(`RoBERTa positions start at padding_idx + 1: the longest input is ${maxPositions} tokens (max_position_embeddings ${positions})`);
    return {
      ...base,
      kvHeads: base.heads,
      moe: null,
      mla: null,
      gatedMlp: false,
      qkvBias: true,
      qkNorm: false,
      normsPerLayer: 2,
      // No LM head: "tied" is how countParams and the weight sizing count none beside the word embeddings.
      tiedEmbeddings: true,
      maxPositions,
      extraParams: (base.extraParams ?? 0) + extras,
      attention: Array.from({ length: base.layers }, () => ({ kind: 'none' })),
      layerParams,
      assumptions,
    };
  },
};
