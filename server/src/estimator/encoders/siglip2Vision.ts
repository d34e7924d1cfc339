/**
 * LFM2-VL's SigLIP2 NaFlex tower and projector (transformers Siglip2VisionModel / Lfm2VlMultiModalProjector; vLLM
 * lfm2_vl.py, not line-read here): a biased linear patch embedding `channels·patch² → h`, a `num_patches × h`
 * position table (resized on the fly, no extra weights), LayerNorm blocks with biased attention and GELU MLP, a post
 * LayerNorm, no pooling head; projector: optional LayerNorm over `h·downsample²`, then `h·downsample² →
 * projector_hidden_size → text`. Sharding is assumed like the Qwen and SigLIP towers (vLLM's parallel linears): TP.
 */
import type { EncoderTower } from '../modelSpec';
import type { EncoderReader } from './types';
import { blockParams, linear, norm, num, sub } from './vitParams';

export const siglip2Vision: EncoderReader = {
  name: 'SigLIP2 NaFlex tower',
  matches: (_raw, architecture) => architecture === 'Lfm2VlForConditionalGeneration',
  read(raw, textHidden): EncoderTower[] | undefined {
    const v = sub(raw, 'vision_config');
    if (!v || v.vision_use_head === true) return undefined;
    const h = num(v.hidden_size);
    const inter = num(v.intermediate_size);
    const depth = num(v.num_hidden_layers);
    const patch = num(v.patch_size);
    const positions = num(v.num_patches);
    const down = num(raw.downsample_factor);
    const projHidden = num(raw.projector_hidden_size);
    const text = num(textHidden);
    if (!h || !inter || !depth || !patch || !positions || !down || !projHidden || !text) return undefined;
    const channels = num(v.num_channels) ?? 3;
    const block = blockParams({ hidden: h, intermediate: inter, attnBias: true, mlpBias: true, gated: false, norm: 'layer' });
    const tower = linear(channels * patch * patch, h, true) + positions * h + depth * block + norm(h, 'layer');
    const inDim = h * down * down;
    const bias = raw.projector_bias !== false;
    const projector = (raw.projector_use_layernorm === true ? norm(inDim, 'layer') : 0) + linear(inDim, projHidden, bias) + linear(projHidden, text, bias);
    return [{ params: tower + projector, sharding: 'tp', source: 'LFM2-VL SigLIP2 NaFlex tower + projector (vLLM lfm2_vl.py; sharding assumed TP like the other SigLIP towers)' }];
  },
};
