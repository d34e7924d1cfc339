/**
 * The language models inside the Qwen-VL wrappers: Qwen2-VL / Qwen2.5-VL (`qwen2_vl`, `qwen2_5_vl`, flat configs or
 * a `*_text` text_config) are Qwen2 decoders — q/k/v with biases, SwiGLU MLP; Qwen3-VL (`qwen3_vl_text`,
 * `qwen3_vl_moe_text`) are Qwen3 / Qwen3-MoE decoders — per-head q/k RMSNorms, no biases, top-k experts without a
 * shared expert (vLLM qwen2_5_vl.py / qwen3_vl.py build their language model with Qwen2ForCausalLM /
 * Qwen3ForCausalLM / Qwen3MoeForCausalLM). M-RoPE changes position ids only, no weights or KV. The vision tower is
 * counted apart (encoders/qwenVision.ts).
 */
import type { LayerParams, ModelSpec } from '../model';
import type { FamilyReader, Json } from './types';

const QWEN2_TEXT = /^qwen2(_5)?_vl(_text)?$/;
const QWEN3_TEXT = /^qwen3_vl(_moe)?_text$/;

export const qwenVl: FamilyReader = {
  name: 'Qwen-VL language model (Qwen2 / Qwen3 decoder)',
  matches: (modelType) => QWEN2_TEXT.test(modelType) || QWEN3_TEXT.test(modelType),
  read(base: ModelSpec, text: Json, raw: Json): ModelSpec {
    const qwen2 = QWEN2_TEXT.test(base.modelType);
    const h = base.hidden;
    const qOut = base.heads * base.headDim;
    const kvOut = base.kvHeads * base.headDim;
    const layerParams: LayerParams[] = [];
    for (let i = 0; i < base.layers; i++) {
      const isMoe = base.moe?.moeLayers[i] ?? false;
      const e = base.moe;
      const perExpert = e ? 3 * h * e.expertIntermediate : 0;
      layerParams.push({
        attention: 2 * h * qOut + (qwen2 ? qOut + 2 * kvOut : 2 * base.headDim),
        kvProj: 2 * h * kvOut,
        kvHeads: base.kvHeads,
        replicated: 0,
        mlp: isMoe ? 0 : 3 * h * base.intermediate,
        experts: isMoe && e ? e.numExperts * perExpert : 0,
        activeExperts: isMoe && e ? e.topK * perExpert : 0,
        router: isMoe && e ? h * e.numExperts : 0,
        norms: 2 * h,
      });
    }
    // The wrapper may state tie_word_embeddings only at its top level.
    const tied = (text.tie_word_embeddings ?? raw.tie_word_embeddings) === true;
    return { ...base, layerParams, qkvBias: qwen2, qkNorm: !qwen2, gatedMlp: true, tiedEmbeddings: tied };
  },
};
