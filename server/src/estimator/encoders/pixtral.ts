/**
 * The Pixtral vision encoder of the Mistral 3 wrappers (Mistral-Small-3.1 / 3.2, Devstral-Small-2, Magistral-Small):
 * vLLM mistral3.py builds vision_config `model_type pixtral` as PixtralHFVisionModel (pixtral.py): a bias-free Conv2d
 * patch embed, an RMSNorm before the blocks, blocks of RMSNorms, bias-free q/k/v/o (QKVParallelLinear +
 * RowParallelLinear) and a bias-free gated SiLU MLP (MergedColumnParallelLinear + RowParallelLinear), 2-D RoPE (no
 * position table) — each TP rank holds a shard. The projector (Mistral3MultiModalProjector): an RMSNorm over the vision
 * width and the patch merger's `merge²·h → h` nn.Linear (full copy on every rank), then linear_1 `h → text` and
 * linear_2 `text → text` (ColumnParallelLinear + RowParallelLinear, biased when `multimodal_projector_bias`).
 * Checked: Mistral-Small-3.1-24B's tower + projector (439.0 M) plus its text model give the published 24.01 B.
 */
import type { EncoderTower } from '../modelSpec';
import type { EncoderReader } from './types';
import { blockParams, linear, norm, num, sub } from './vitParams';

export const pixtral: EncoderReader = {
  name: 'Pixtral vision encoder',
  matches: (raw, architecture) => architecture === 'Mistral3ForConditionalGeneration' || (architecture === 'LlavaForConditionalGeneration' && sub(raw, 'vision_config')?.model_type === 'pixtral'),
  read(raw, textHidden): EncoderTower[] | undefined {
    const v = sub(raw, 'vision_config');
    if (!v) return undefined;
    const h = num(v.hidden_size);
    const inter = num(v.intermediate_size);
    const depth = num(v.num_hidden_layers);
    const patch = num(v.patch_size);
    const heads = num(v.num_attention_heads);
    const headDim = num(v.head_dim) ?? (h && heads ? h / heads : undefined);
    const text = num(textHidden);
    const mergeSize = num(raw.spatial_merge_size);
    if (!h || !inter || !depth || !patch || !headDim || !heads || !text) return undefined;
    // The Pixtral-12B Llava wrapper has no patch merger (spatial_merge_size is a Mistral 3 field).
    if (raw.architectures && (raw.architectures as unknown[])[0] === 'Mistral3ForConditionalGeneration' && !mergeSize) return undefined;
    const channels = num(v.num_channels) ?? 3;
    const block = blockParams({ hidden: h, intermediate: inter, qkvWidth: heads * headDim, attnBias: false, mlpBias: false, gated: true, norm: 'rms' });
    // Mistral3Config defaults multimodal_projector_bias to false, LlavaConfig (Pixtral-12B) to true.
    const bias = mergeSize ? raw.multimodal_projector_bias === true : raw.multimodal_projector_bias !== false;
    const tower = channels * patch * patch * h + norm(h, 'rms') + depth * block;
    const merger = mergeSize ? norm(h, 'rms') + linear(h * mergeSize ** 2, h, false) : 0;
    const projector = linear(h, text, bias) + linear(text, text, bias);
    return [
      { params: tower + projector, sharding: 'tp', source: 'Pixtral encoder + projector linears (vLLM mistral3.py / pixtral.py PixtralHFVisionModel, Mistral3MultiModalProjector): parallel linears, TP-sharded' },
      ...(merger ? [{ params: merger, sharding: 'replicated' as const, source: 'Mistral 3 patch merger + projector norm (vLLM mistral3.py Mistral3PatchMerger: nn.Linear): a full copy on every rank' }] : []),
    ];
  },
};
