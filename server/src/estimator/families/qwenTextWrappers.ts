/**
 * Qwen vision-language wrappers whose language model is an architecture the generic reader already reads exactly,
 * under another model_type: vLLM builds Qwen2-VL / Qwen2.5-VL's language model as Qwen2ForCausalLM
 * (vllm@9aaf83ef:vllm/model_executor/models/qwen2_5_vl.py, qwen2_vl.py: init_vllm_registered_model with
 * architectures ["Qwen2ForCausalLM"]) and Qwen3-VL's as Qwen3 / Qwen3-MoE (qwen3_vl.py Qwen3LLMForCausalLM,
 * qwen3_vl_moe.py Qwen3MoeLLMForCausalLM). The layers are the generic Qwen2/Qwen3 shapes (model.ts countParams); what
 * this reader fixes is what the wrapper's model_type hides: Qwen2's q/k/v biases, Qwen2's sliding-window rule, and
 * tied embeddings stated only at the wrapper's top level. The vision towers are counted apart (estimator/encoders/).
 */
import type { LayerAttention, ModelSpec } from '../modelSpec';
import type { FamilyReader, Json } from './types';
import { num } from './types';

/** Wrapper (or text) model_type → the text architecture vLLM builds. */
const TEXT_OF: ReadonlyMap<string, 'qwen2' | 'qwen3' | 'qwen3_moe'> = new Map([
  ['qwen2_vl', 'qwen2'], ['qwen2_vl_text', 'qwen2'], ['qwen2_5_vl', 'qwen2'], ['qwen2_5_vl_text', 'qwen2'],
  ['qwen3_vl', 'qwen3'], ['qwen3_vl_text', 'qwen3'], ['qwen3_vl_moe', 'qwen3_moe'], ['qwen3_vl_moe_text', 'qwen3_moe'],
]);

function read(base: ModelSpec, c: Json, raw: Json): ModelSpec {
  const text = TEXT_OF.get(base.modelType)!;
  // Qwen2 and Qwen3 slide only when use_sliding_window is true (vLLM drops sliding_window otherwise,
  // config/model.py get_sliding_window); the wrappers all say false.
  const window = num(c.sliding_window);
  const slide = c.use_sliding_window === true && window !== undefined;
  const attention: LayerAttention[] = Array.from({ length: base.layers }, () => (slide ? { kind: 'sliding', window: window! } : { kind: 'full' }));
  // The text config states tie_word_embeddings in the 2B/4B Qwen3-VL configs, the wrapper's top level in all of them.
  const tied = c.tie_word_embeddings ?? raw.tie_word_embeddings;
  return {
    ...base,
    attention,
    tiedEmbeddings: tied === true,
    // Qwen2Attention builds q/k/v with bias=True whatever attention_bias says; Qwen3 reads attention_bias.
    qkvBias: text === 'qwen2' ? true : c.attention_bias === true,
    qkNorm: text !== 'qwen2',
  };
}

export const qwenTextWrappers: FamilyReader = {
  name: 'Qwen2-VL / Qwen2.5-VL / Qwen3-VL language model (Qwen2 / Qwen3 / Qwen3-MoE)',
  matches: (modelType) => TEXT_OF.has(modelType),
  read,
};
