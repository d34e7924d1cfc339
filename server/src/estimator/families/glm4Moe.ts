/**
 * GLM-4.5 / 4.6 / 4.7 (`glm4_moe`): GQA attention with q/k/v biases, optional per-head q/k norms (`use_qk_norm`) and
 * partial rotary (no parameters), DeepSeek-style MoE with shared experts after `first_k_dense_replace` dense layers, and
 * `num_nextn_predict_layers` MTP layers. Shapes as vLLM builds them: vllm@9aaf83ef:vllm/model_executor/models/glm4_moe.py
 * (Glm4MoeAttention, Glm4MoE with its ReplicatedLinear gate and e_score_correction_bias) and glm4_moe_mtp.py.
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerParams, ModelSpec } from '../modelSpec';
import { emptyLayer, layerTotal, moeParams, mtpWrapperParams } from './deepseekBlocks';
import { FamilyReader, Json, num } from './types';

function read(base: ModelSpec, c: Json): ModelSpec {
  const moe = base.moe;
  if (!moe) throw new ModelConfigError('glm4_moe: expected n_routed_experts');
  const d = base.hidden;
  const q = base.heads * base.headDim;
  const kv = base.kvHeads * base.headDim;
  const bias = c.attention_bias === true;
  const qkNorm = c.use_qk_norm === true ? 2 * base.headDim : 0;
  const moeBlock = { hidden: d, experts: moe.numExperts, topK: moe.topK, expertIntermediate: moe.expertIntermediate, sharedIntermediate: moe.sharedIntermediate, routerBias: true };
  const layer = (isMoe: boolean): LayerParams => ({
    ...emptyLayer(base.kvHeads),
    attention: d * q + q * d + (bias ? q : 0),
    kvProj: 2 * d * kv + (bias ? 2 * kv : 0),
    norms: 2 * d + qkNorm,
    ...(isMoe ? moeParams(moeBlock) : { mlp: 3 * d * base.intermediate }),
  });
  const nextn = num(c.num_nextn_predict_layers) ?? 0;
  return {
    ...base,
    qkvBias: bias,
    qkNorm: qkNorm > 0,
    layerParams: moe.moeLayers.map(layer),
    ...(nextn > 0 ? { mtp: { params: nextn * (layerTotal(layer(true)) + mtpWrapperParams(d)), kvLayers: nextn } } : {}),
  };
}

export const glm4Moe: FamilyReader = {
  name: 'GLM-4.5 (GQA + MoE)',
  matches: (modelType, architecture) => modelType === 'glm4_moe' || architecture === 'Glm4MoeForCausalLM',
  read: (base, text) => read(base, text),
};
