/**
 * The Gemma 3 and Gemma 4 vision towers with their projectors.
 *
 * Gemma 3 (vLLM gemma3_mm.py, Gemma3ForConditionalGeneration): the tower is vLLM's own SiglipVisionModel (siglip.py:
 * QKVParallelLinear / RowParallelLinear attention, ColumnParallel fc1 + RowParallel fc2), so each TP rank holds a
 * shard; SigLIP-So400m layout: biased Conv2d patch embed, a `(image_size / patch)²` position table, LayerNorm blocks
 * with biased attention and a GELU MLP, a post LayerNorm, no pooling head (`vision_use_head` false). The projector
 * (Gemma3MultiModalProjector) is a plain `vision hidden × text hidden` parameter plus an RMSNorm over the vision
 * width: a full copy on every rank. Checked: Gemma-3-4B-it's tower + projector (419.8 M) plus its text model give
 * the published 4,300,079,472 parameters.
 *
 * Gemma 4 (research note §2.6 and §2.10; vllm@9aaf83ef:vllm/model_executor/models/gemma4_mm.py:856-903, 956-964): the
 * tower is transformers' Gemma4VisionModel through AutoModel, not TP-sharded, and `embed_vision` is a ReplicatedLinear:
 * both a full copy on every rank. Bias-free patch projection `3·patch²·h`, a `2 × position_embedding_size × h` position
 * table, blocks of q/k/v/o, per-head q/k norms, four RMSNorms and a gated GELU MLP. The norm count per block is the
 * note's assumption (its open question 5): an estimate (±5 %).
 */
import type { EncoderTower } from '../modelSpec';
import type { EncoderReader, Json } from './types';
import { architectureOf, blockParams, linear, norm, num, sub } from './vitParams';

function gemma3(v: Json, text: number): EncoderTower[] | undefined {
  const h = num(v.hidden_size);
  const inter = num(v.intermediate_size);
  const depth = num(v.num_hidden_layers);
  const patch = num(v.patch_size);
  const image = num(v.image_size);
  if (!h || !inter || !depth || !patch || !image || v.vision_use_head === true) return undefined;
  const channels = num(v.num_channels) ?? 3;
  const block = blockParams({ hidden: h, intermediate: inter, attnBias: true, mlpBias: true, gated: false, norm: 'layer' });
  const tower = channels * patch * patch * h + h + (image / patch) ** 2 * h + depth * block + norm(h, 'layer');
  return [
    { params: tower, sharding: 'tp', source: 'Gemma 3 SigLIP tower (vLLM gemma3_mm.py → siglip.py SiglipVisionModel, parallel linears): TP-sharded' },
    { params: h * text + h, sharding: 'replicated', source: 'Gemma 3 multi_modal_projector (vLLM gemma3_mm.py Gemma3MultiModalProjector: a plain parameter + RMSNorm): a full copy on every rank' },
  ];
}

function gemma4(raw: Json, v: Json, text: number): EncoderTower[] | undefined {
  // An audio tower beside it is not modelled: leave the whole wrapper "not counted" rather than half of it.
  if (sub(raw, 'audio_config')) return undefined;
  const h = num(v.hidden_size);
  const inter = num(v.intermediate_size);
  const depth = num(v.num_hidden_layers);
  const patch = num(v.patch_size);
  const positions = num(v.position_embedding_size);
  const heads = num(v.num_attention_heads);
  const headDim = num(v.head_dim);
  if (!h || !inter || !depth || !patch || !positions || !heads || !headDim) return undefined;
  const block = blockParams({ hidden: h, intermediate: inter, qkvWidth: heads * headDim, attnBias: false, mlpBias: false, gated: true, norm: 'rms', extra: 2 * headDim + 2 * h });
  const tower = 3 * patch * patch * h + 2 * positions * h + depth * block;
  return [{ params: tower + linear(h, text, false), sharding: 'replicated', source: 'Gemma 4 vision tower + embed_vision (est.: four RMSNorms per block assumed; vllm@9aaf83ef:vllm/model_executor/models/gemma4_mm.py:856-903, 956-964: transformers AutoModel + ReplicatedLinear): a full copy on every rank' }];
}

export const gemmaVision: EncoderReader = {
  name: 'Gemma vision tower',
  matches: (_raw, architecture) => /^Gemma[34]ForConditionalGeneration$/.test(architecture),
  read(raw, textHidden) {
    const v = sub(raw, 'vision_config');
    const text = num(textHidden);
    if (!v || !text) return undefined;
    return architectureOf(raw).startsWith('Gemma4') ? gemma4(raw, v, text) : gemma3(v, text);
  },
};
