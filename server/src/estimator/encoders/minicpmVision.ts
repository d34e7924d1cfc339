/**
 * MiniCPM-V 2 (`minicpmv`, MiniCPMV): a timm SigLIP-So400m/14 tower at 384 px (`vision_encoder`
 * "vit_so400m_patch14_siglip_384.webli") and a perceiver resampler of `query_num` queries into the language model.
 * The config names the timm model instead of giving its shape, so the shape is timm's for that name: width 1152, 27
 * blocks, MLP 4304, patch 14, 27 × 27 learned positions (SigLIP-So400m, 428 M with its pooling head). vLLM's
 * MiniCPMV2_0 (vllm/model_executor/models/minicpmv.py, read by symbol) builds it with timm.create_model and drops the
 * last block when `drop_vision_last_layer` is set; the checkpoint has no pooling head (its 3.43 B in all are the 3.01 B
 * language model, these 0.41 B and the resampler). Resampler2 (vllm/model_executor/models/resampler.py): queries,
 * a bias-free kv projection from 1152 to the text width, one nn.MultiheadAttention, three LayerNorms and a square
 * output projection. Both are plain torch modules: every rank holds them whole.
 */
import type { EncoderTower } from '../modelSpec';
import type { EncoderReader } from './types';
import { blockParams, linear, norm, num } from './vitParams';

/** timm's shape of the one tower name MiniCPM-V 2 configs give. */
const TIMM_TOWERS: Record<string, { hidden: number; depth: number; intermediate: number; patch: number; image: number }> = {
  'vit_so400m_patch14_siglip_384.webli': { hidden: 1152, depth: 27, intermediate: 4304, patch: 14, image: 384 },
};

export const minicpmVision: EncoderReader = {
  name: 'MiniCPM-V 2 (timm SigLIP + resampler)',
  matches: (raw) => raw.model_type === 'minicpmv',
  read(raw, textHidden): EncoderTower[] | undefined {
    const t = TIMM_TOWERS[String(raw.vision_encoder)];
    const text = num(textHidden);
    const queries = num(raw.query_num) ?? 64;
    if (!t || !text) return undefined;
    const depth = t.depth - (raw.drop_vision_last_layer === true ? 1 : 0);
    const h = t.hidden;
    const positions = Math.floor(t.image / t.patch) ** 2;
    const tower = linear(3 * t.patch * t.patch, h, true) + positions * h + depth * blockParams({ hidden: h, intermediate: t.intermediate, attnBias: true, mlpBias: true, gated: false, norm: 'layer' }) + norm(h, 'layer');
    const resampler = queries * text + linear(h, text, false) + 3 * linear(text, text, true) + linear(text, text, true) + 3 * norm(text, 'layer') + text * text;
    return [{ params: tower + resampler, sharding: 'replicated', source: 'MiniCPM-V 2: timm SigLIP-So400m/14-384 (last block dropped) + Resampler2, plain torch modules on every rank (vLLM minicpmv.py)' }];
  },
};
