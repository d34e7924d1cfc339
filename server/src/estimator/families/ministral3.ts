/**
 * Ministral 3 / Mistral 3 text (`ministral3`: Devstral-2-123B, and the `text_config` of Devstral-Small-2-24B's
 * Mistral3ForConditionalGeneration): the Mistral (Llama) decoder — GQA attention without biases, SwiGLU MLP, two
 * RMSNorms — with YaRN and Llama-4-style attention temperature scaling (`rope_parameters.llama_4_scaling_beta`), which
 * change no tensor. vLLM builds it with its Mistral/Llama layers (vllm/model_executor/models/mistral.py
 * MistralForCausalLM) — read by symbol, no pinned commit. The vision tower of the Mistral-3 wrapper is an encoder
 * reader's (estimator/encoders/), not this family's.
 */
import { attentionParams, gatedMlpParams } from './plainLayers';
import { FamilyReader } from './types';

export const ministral3: FamilyReader = {
  name: 'Ministral 3 (Mistral decoder)',
  matches: (modelType) => modelType === 'ministral3',
  read(base) {
    const d = base.hidden;
    const layerParams = Array.from({ length: base.layers }, () => ({
      ...attentionParams({ hidden: d, heads: base.heads, kvHeads: base.kvHeads, headDim: base.headDim }),
      replicated: 0,
      mlp: gatedMlpParams(d, base.intermediate),
      experts: 0, activeExperts: 0, router: 0,
      norms: 2 * d,
    }));
    return { ...base, moe: null, mla: null, qkvBias: false, qkNorm: false, layerParams };
  },
};
