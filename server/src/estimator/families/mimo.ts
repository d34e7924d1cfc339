/**
 * MiMo-7B (`mimo`, MiMoForCausalLM): a Qwen2 decoder (q/k/v biases, SwiGLU) whose checkpoint adds MTP layers that vLLM
 * loads only as a draft model. vLLM builds the main model with the Qwen2 code (vllm/model_executor/models/mimo.py) and
 * the draft with MiMoMTPModel (vllm/model_executor/models/mimo_mtp.py: token/hidden norms, input_proj 2d → d, one
 * Qwen2 decoder layer, final norm); research note §2.9.
 */
import type { LayerParams } from '../modelSpec';
import { type FamilyReader, num } from './types';

export const mimo: FamilyReader = {
  name: 'MiMo (Qwen2 decoder + MTP layers)',
  matches: (modelType) => modelType === 'mimo',
  read(base, c) {
    const d = base.hidden;
    const q = base.heads * base.headDim;
    const kv = base.kvHeads * base.headDim;
    const bias = c.attention_bias !== false; // Qwen2 layers always carry q/k/v biases
    const layer: LayerParams = {
      attention: 2 * d * q + (bias ? q : 0),
      kvProj: 2 * d * kv + (bias ? 2 * kv : 0),
      kvHeads: base.kvHeads,
      replicated: 0,
      mlp: 3 * d * base.intermediate,
      experts: 0,
      activeExperts: 0,
      router: 0,
      norms: 2 * d,
    };
    const decoder = layer.attention + layer.kvProj + layer.mlp + layer.norms;
    const mtpLayers = num(c.num_nextn_predict_layers) ?? 0;
    // Each MTP layer: two input norms, input_proj (2d → d, no bias), a decoder layer, a final norm; it shares the main
    // model's embedding and LM head.
    const mtpParams = mtpLayers * (decoder + 2 * d * d + 3 * d);
    return {
      ...base,
      qkvBias: bias,
      layerParams: Array.from({ length: base.layers }, () => ({ ...layer })),
      ...(mtpLayers ? { mtp: { params: mtpParams, kvLayers: mtpLayers } } : {}),
    };
  },
};
