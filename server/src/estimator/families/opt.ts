/**
 * OPT (`opt`, OPTForCausalLM: facebook/opt-125m … opt-66b), as vLLM's opt.py builds it (read by symbol): learned
 * positions with OPT's offset of 2 rows (OPTLearnedPositionalEmbedding), biased q/k/v/o, LayerNorms with bias before
 * attention and MLP, a ReLU fc1 → fc2 MLP of `ffn_dim` with biases, a final LayerNorm, and the LM head tied to the
 * token embedding. opt-350m embeds in `word_embed_proj_dim` (512) with project_in / project_out to the hidden width.
 * The configs carry no head_dim, KV heads or rope: every head keeps K and V (multi-head attention).
 */
import { attentionParams, plainMlpParams } from './plainLayers';
import { FamilyReader, num } from './types';

export const opt: FamilyReader = {
  name: 'OPT (learned positions, biased multi-head attention, ReLU MLP)',
  matches: (modelType) => modelType === 'opt',
  read(base, c) {
    const d = base.hidden;
    const ffn = num(c.ffn_dim) ?? 4 * d;
    const proj = num(c.word_embed_proj_dim) ?? d;
    const layerParams = Array.from({ length: base.layers }, () => ({
      ...attentionParams({ hidden: d, heads: base.heads, kvHeads: base.heads, headDim: d / base.heads, qkvBias: true, oBias: true }),
      replicated: 0,
      mlp: plainMlpParams(d, ffn, true),
      experts: 0, activeExperts: 0, router: 0,
      norms: 4 * d,
    }));
    // Positions (max + 2 rows), the final LayerNorm's bias (countParams counts its weight), project_in/out for 350m;
    // the embedding itself is `proj` wide, counted by countParams at `hidden` — corrected here for 350m.
    const positions = (base.maxPositions + 2) * d;
    const projections = proj !== d ? 2 * proj * d - base.vocab * (d - proj) : 0;
    return {
      ...base, kvHeads: base.heads, headDim: d / base.heads, intermediate: ffn, gatedMlp: false, qkvBias: true, qkNorm: false,
      moe: null, mla: null, tiedEmbeddings: c.tie_word_embeddings !== false, normsPerLayer: 4, layerParams,
      extraParams: positions + d + projections,
      attention: Array.from({ length: base.layers }, () => ({ kind: 'full' as const })),
    };
  },
};
