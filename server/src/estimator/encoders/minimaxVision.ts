/**
 * The MiniMax-M3-VL vision tower (research note §2.10; vllm@00b7847c vllm/models/minimax_m3/common/vision_tower.py,
 * MiniMaxVLPatchEmbed / MiniMaxVLEncoderLayer / MiniMaxVLVisionTransformer, read by symbol): CLIP-style, a bias-free
 * Conv3d patch embed (temporal patch × patch²), pre/post LayerNorms, LayerNorm blocks with biased q/k/v/o and a biased
 * GELU MLP, 3-D RoPE (no position table); TP-sharded unless --mm-encoder-tp-mode data. The 2 × 2 patch-merge projector
 * to the text width was not read (note §4.5): counted as two biased linears `merge²·h → projector_hidden_size → text`,
 * an estimate, and sharded like the tower (an assumption).
 */
import type { EncoderTower } from '../modelSpec';
import type { EncoderReader } from './types';
import { blockParams, linear, norm, num, sub } from './vitParams';

export const minimaxVision: EncoderReader = {
  name: 'MiniMax-VL vision tower',
  matches: (raw, architecture) => raw.model_type === 'minimax_m3_vl' || /^MiniMaxM3.*ForConditionalGeneration$/.test(architecture),
  read(raw, textHidden): EncoderTower[] | undefined {
    const v = sub(raw, 'vision_config');
    const compression = v ? sub(v, 'img_token_compression_config') : undefined;
    if (!v || !compression) return undefined;
    const h = num(v.hidden_size);
    const inter = num(v.intermediate_size);
    const depth = num(v.num_hidden_layers);
    const patch = num(v.patch_size);
    const temporal = num(compression.temporal_patch_size);
    const merge = num(compression.spatial_merge_size);
    const projHidden = num(raw.projector_hidden_size);
    const text = num(textHidden);
    if (!h || !inter || !depth || !patch || !temporal || !merge || !projHidden || !text) return undefined;
    const channels = num(v.num_channels) ?? 3;
    const block = blockParams({ hidden: h, intermediate: inter, attnBias: true, mlpBias: true, gated: false, norm: 'layer' });
    const tower = channels * temporal * patch * patch * h + 2 * norm(h, 'layer') + depth * block;
    const bias = raw.multimodal_projector_bias !== false;
    const projector = linear(h * merge * merge, projHidden, bias) + linear(projHidden, text, bias);
    return [
      { params: tower, sharding: 'tp', source: 'MiniMax-M3-VL CLIP-style tower (vllm@00b7847c vllm/models/minimax_m3/common/vision_tower.py): TP-sharded' },
      { params: projector, sharding: 'tp', source: 'MiniMax-M3-VL patch-merge projector (est.: two biased linears assumed, not read; sharding assumed like the tower)' },
    ];
  },
};
