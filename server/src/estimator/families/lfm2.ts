/**
 * LFM2 (`lfm2`: LiquidAI LFM2, and the text model of LFM2-VL / LFM2.5-VL): short-convolution layers between attention
 * layers, a SwiGLU MLP in every layer. Shapes as vLLM builds them (vllm/model_executor/models/lfm2.py: Lfm2MLP,
 * Lfm2Attention, Lfm2ShortConvDecoderLayer; the conv mixer vllm/model_executor/layers/mamba/short_conv.py ShortConv;
 * its state MambaStateShapeCalculator.short_conv_state_shape in mamba_utils.py) — read by symbol, no pinned commit.
 * Check: LFM2-1.2B comes to 1,170,340,608 parameters, the published "1.17 B".
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerParams, RecurrentState } from '../modelSpec';
import { FamilyReader, Json, num } from './types';

/**
 * Lfm2MLP's width: with block_auto_adjust_ff_dim, int(2·ff/3), times block_ffn_dim_multiplier, rounded up to a
 * multiple of block_multiple_of (LFM2-1.2B: 12288 → 8192). transformers 5 configs carry the same value as
 * intermediate_size.
 */
function mlpWidth(c: Json): number {
  let ff = num(c.block_ff_dim) ?? num(c.intermediate_size);
  if (!ff) throw new ModelConfigError('LFM2 config lacks block_ff_dim (intermediate_size)');
  if (c.block_auto_adjust_ff_dim !== false) {
    ff = Math.trunc((2 * ff) / 3);
    const mult = num(c.block_ffn_dim_multiplier);
    if (mult !== undefined) ff = Math.trunc(mult * ff);
    const of = num(c.block_multiple_of) ?? 256;
    ff = of * Math.ceil(ff / of);
  }
  return ff;
}

/** Which layers are attention: `layer_types` (full_attention / conv) or, in older configs, `full_attn_idxs`. */
function layerKinds(c: Json, layers: number): Array<'attention' | 'conv'> {
  if (Array.isArray(c.layer_types)) {
    if (c.layer_types.length !== layers) throw new ModelConfigError(`LFM2 layer_types has ${c.layer_types.length} entries for ${layers} layers`);
    return c.layer_types.map((t) => (String(t) === 'conv' ? 'conv' : 'attention'));
  }
  if (Array.isArray(c.full_attn_idxs)) {
    const attn = new Set(c.full_attn_idxs.map(Number));
    return Array.from({ length: layers }, (_, i) => (attn.has(i) ? 'attention' : 'conv'));
  }
  throw new ModelConfigError('LFM2 config has neither layer_types nor full_attn_idxs: which layers are attention is unknown');
}

export const lfm2: FamilyReader = {
  name: 'LFM2 (short convolution + attention)',
  matches: (modelType) => modelType === 'lfm2',
  read(base, c) {
    const d = num(c.block_dim) ?? base.hidden;
    const convDim = num(c.conv_dim) ?? d;
    const kernel = num(c.conv_L_cache) ?? 3;
    const convBias = c.conv_bias === true;
    const ff = mlpWidth(c);
    const kinds = layerKinds(c, base.layers);
    const q = base.heads * base.headDim;
    const kv = base.kvHeads * base.headDim;
    const layerParams: LayerParams[] = kinds.map((k) => {
      // Every layer: operator_norm + ffn_norm (RMSNorm d) and the SwiGLU MLP w1 (gate+up) / w2, no biases.
      const l: LayerParams = { attention: 0, kvProj: 0, kvHeads: base.kvHeads, replicated: 0, mlp: 3 * d * ff, experts: 0, activeExperts: 0, router: 0, norms: 2 * d };
      if (k === 'attention') {
        // Lfm2Attention: q/k/v/out without bias, per-head q_layernorm and k_layernorm.
        l.attention = d * q + q * d + 2 * base.headDim;
        l.kvProj = 2 * d * kv;
      } else {
        // ShortConv(dim = conv_dim): in_proj dim → 3·dim (B, C, x), depthwise conv of L_cache taps, out_proj dim → dim
        // (conv_dim equals hidden_size: the block's residual adds them).
        l.attention = 3 * convDim * convDim + convDim * kernel + convDim * convDim + (convBias ? 5 * convDim : 0);
      }
      return l;
    });
    const attention: LayerAttention[] = kinds.map((k) => (k === 'attention' ? { kind: 'full' } : { kind: 'recurrent' }));
    // short_conv_state_shape: (L_cache − 1) × conv_dim per layer, split by TP, in the conv dtype (the model dtype).
    const recurrent: RecurrentState = {
      kind: 'short-conv', convRows: kernel - 1, convChannels: convDim, stateElements: 0,
      convDtypeBytes: base.dtypeBytes, stateDtypeBytes: base.dtypeBytes, dtypeSource: 'conv state in the model dtype (vLLM short_conv_state_dtype)',
    };
    return {
      ...base,
      hidden: d,
      intermediate: ff,
      gatedMlp: true,
      qkvBias: false,
      qkNorm: true,
      normsPerLayer: 2,
      mla: null,
      moe: null,
      // Lfm2ForCausalLM shares embed_tokens with lm_head (the configs carry no tie flag; transformers' default is tied).
      tiedEmbeddings: c.tie_word_embeddings !== false && c.tie_embedding !== false,
      attention,
      layerParams,
      recurrent,
      assumptions: [...base.assumptions, `LFM2 short-convolution state: ${kernel - 1} × ${convDim} per conv layer in the model dtype`],
    };
  },
};
