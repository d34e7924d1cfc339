/**
 * Llama 3.2 Vision's language model (`mllama_text_model`, MllamaForConditionalGeneration's text_config): a Llama 3.1
 * decoder with image cross-attention layers inserted at `cross_attention_layers` (vLLM mllama.py MllamaTextModel,
 * MllamaCrossAttentionDecoderLayer; transformers modeling_mllama.py has the same tensors).
 *
 * Self-attention layers are Llama's (q/k/v/o without bias, SwiGLU MLP, two RMSNorms). A cross-attention layer has
 * q/k/v/o of the same shapes, per-head RMSNorms on q and k (head_dim each), a tanh gate on the attention and one on
 * the MLP (one scalar each), the same SwiGLU MLP and two RMSNorms. The token embedding has 8 rows beyond vocab_size
 * (`vocab_size + 8`, the image special tokens), the LM head `vocab_size`.
 *
 * KV: cross-attention layers keep no KV that grows with the text; their K/V come from the image — a fixed
 * `max_num_tiles × ((image_size / patch)² + 1)` tokens per image (6,404 for 560/14 and 4 tiles), held for the whole
 * request. They are modelled as attention kind `none` and that image KV is stated as an assumption, not counted:
 * vLLM sized it as encoder KV only on its V0 encoder-decoder runner (≤ v0.10); since v0.11 Mllama runs through the
 * Transformers backend (research note serving-features.md §2.4).
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerParams, ModelSpec } from '../modelSpec';
import type { FamilyReader, Json } from './types';
import { num } from './types';

/** Tokens of image K/V per image a cross-attention layer attends to (the vision encoder's output length). */
function imageTokens(raw: Json): number | undefined {
  const v = raw.vision_config && typeof raw.vision_config === 'object' ? (raw.vision_config as Json) : undefined;
  const tiles = num(v?.max_num_tiles);
  const image = num(v?.image_size);
  const patch = num(v?.patch_size);
  return tiles && image && patch ? tiles * ((image / patch) ** 2 + 1) : undefined;
}

export const mllama: FamilyReader = {
  name: 'Llama 3.2 Vision (self + image cross-attention)',
  matches: (modelType, architecture) => modelType === 'mllama_text_model' || (modelType === 'mllama' && architecture === 'MllamaForConditionalGeneration'),
  read(base: ModelSpec, text: Json, raw: Json): ModelSpec {
    const cross = Array.isArray(text.cross_attention_layers) ? (text.cross_attention_layers as unknown[]).map(num) : undefined;
    if (!cross || cross.some((i) => i === undefined || i >= base.layers)) {
      throw new ModelConfigError('Llama 3.2 Vision config lacks a valid cross_attention_layers list');
    }
    const crossSet = new Set(cross as number[]);
    const h = base.hidden;
    const qOut = base.heads * base.headDim;
    const kvOut = base.kvHeads * base.headDim;
    const mlp = 3 * h * base.intermediate;
    const layerParams: LayerParams[] = [];
    const attention: LayerAttention[] = [];
    for (let i = 0; i < base.layers; i++) {
      const isCross = crossSet.has(i);
      layerParams.push({
        attention: 2 * h * qOut + (isCross ? 2 * base.headDim : 0),
        kvProj: 2 * h * kvOut,
        kvHeads: base.kvHeads,
        replicated: 0,
        mlp,
        experts: 0,
        activeExperts: 0,
        router: 0,
        norms: 2 * h + (isCross ? 2 : 0),
      });
      attention.push(isCross ? { kind: 'none' } : { kind: 'full' });
    }
    const tokens = imageTokens(raw);
    const perImage = tokens ? crossSet.size * 2 * kvOut * tokens : undefined;
    const assumptions = [
      ...base.assumptions,
      `${crossSet.size} of ${base.layers} layers are image cross-attention: they keep no KV that grows with the text; their image K/V (${tokens ? `${tokens.toLocaleString('en-US')} tokens per image, ${perImage!.toLocaleString('en-US')} KV elements per image for the whole model` : 'tiles × patches per image'}) is fixed per request and not counted in the KV figures`,
    ];
    return {
      ...base,
      layerParams,
      attention,
      gatedMlp: true,
      qkvBias: false,
      qkNorm: false,
      // The embedding's 8 extra rows (vocab_size + 8) beyond the LM head's vocab.
      extraParams: (base.extraParams ?? 0) + 8 * h,
      assumptions,
    };
  },
};
