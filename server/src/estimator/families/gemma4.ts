/**
 * Gemma 4 (`gemma4` wrapper, text `gemma4_text`): interleaved sliding-window and global layers with their own head
 * shapes, k=v global layers, and (26B-A4B) a routed MoE running beside the dense MLP of every layer.
 * vllm@9aaf83ef:vllm/model_executor/models/gemma4.py (attention 368-590, MoE 218-365, decoder layer 619-660).
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerKv, LayerParams } from '../modelSpec';
import { type FamilyReader, type Json, num } from './types';

/** Per-layer embeddings (Gemma-3n style PLE), KV-shared layers and the double-wide MLP change the layer structure;
 *  none of the checkpoints here uses them and their tensors were not read, so such a config stays unmodelled. */
function usesUnreadFeatures(c: Json): boolean {
  return (num(c.hidden_size_per_layer_input) ?? 0) > 0 || (num(c.num_kv_shared_layers) ?? 0) > 0 || c.use_double_wide_mlp === true;
}

export const gemma4: FamilyReader = {
  name: 'Gemma 4 (sliding + global attention, k=v global layers, MoE beside the dense MLP)',
  matches: (modelType, _arch, text) => (modelType === 'gemma4_text' || modelType === 'gemma4') && !usesUnreadFeatures(text),
  read(base, c) {
    const d = base.hidden;
    const heads = base.heads;
    const types = Array.isArray(c.layer_types) ? (c.layer_types as unknown[]).map(String) : null;
    if (!types || types.length !== base.layers) throw new ModelConfigError(`Gemma 4 config needs layer_types with one entry per layer (${base.layers})`);
    const window = num(c.sliding_window);
    if (!window) throw new ModelConfigError('Gemma 4 config lacks sliding_window');
    const slideHd = num(c.head_dim) ?? base.headDim;
    const slideKv = num(c.num_key_value_heads) ?? base.kvHeads;
    const kEqV = c.attention_k_eq_v === true;
    // Full layers take global_head_dim and, when k=v, num_global_key_value_heads (gemma4.py:368-418).
    const globalHd = num(c.global_head_dim) ?? slideHd;
    const globalKv = (kEqV ? num(c.num_global_key_value_heads) : undefined) ?? slideKv;
    const inter = num(c.intermediate_size) ?? base.intermediate;
    const moeOn = c.enable_moe_block === true && (num(c.num_experts) ?? 0) > 1;
    const experts = moeOn ? num(c.num_experts)! : 0;
    const topK = moeOn ? num(c.top_k_experts) ?? num(c.num_experts_per_tok) ?? 1 : 0;
    const moeInter = moeOn ? num(c.moe_intermediate_size) ?? inter : 0;

    const attention: LayerAttention[] = [];
    const layerKv: LayerKv[] = [];
    const layerParams: LayerParams[] = [];
    let vCopy = 0;
    types.forEach((t) => {
      const full = !t.includes('sliding');
      const hd = full ? globalHd : slideHd;
      const kv = full ? globalKv : slideKv;
      attention.push(full ? { kind: 'full' } : { kind: 'sliding', window });
      // vLLM stores V in the cache even where V = K (the k=v layers still write both halves of the page).
      layerKv.push({ elements: 2 * kv * hd, heads: kv });
      // k=v layers have no v_proj in the checkpoint, but vLLM loads k_proj into both the K and V slots of qkv_proj
      // (gemma4.py:408-418, 511-514): the GPU holds a V copy, so it is counted (what the weights occupy).
      if (full && kEqV) vCopy += d * kv * hd;
      const qo = 2 * d * heads * hd;
      // Four decoder norms + layer_scalar; q/k norms over head_dim (v norm has no weight); MoE layers add three norms.
      let norms = 4 * d + 1 + 2 * hd;
      let router = 0;
      if (moeOn) {
        norms += 3 * d;
        // Router: scale vector + projection, and per_expert_scale; all replicated (gemma4.py:218-365).
        router = d + d * experts + experts;
      }
      layerParams.push({
        attention: qo,
        kvProj: 2 * d * kv * hd,
        kvHeads: kv,
        replicated: 0,
        mlp: 3 * d * inter, // the dense GeGLU MLP runs on every layer, beside the MoE (gemma4.py:619-660)
        experts: experts * 3 * d * moeInter,
        activeExperts: topK * 3 * d * moeInter,
        router,
        norms,
      });
    });
    const full = attention.filter((a) => a.kind === 'full').length;
    const assumptions = [...base.assumptions];
    if (vCopy) assumptions.push(`Gemma 4's ${full} global layers share K and V (attention_k_eq_v): the checkpoint has no v_proj, but vLLM loads K into both K and V slots, so weights count that copy (+${(vCopy / 1e6).toFixed(1)} M parameters beyond the checkpoint) and the KV cache stores V`);
    return {
      ...base,
      heads,
      kvHeads: slideKv,
      headDim: slideHd,
      intermediate: inter,
      tiedEmbeddings: c.tie_word_embeddings !== false,
      normsPerLayer: 4,
      qkNorm: true,
      gatedMlp: true,
      attention,
      layerKv,
      layerParams,
      moe: moeOn
        ? { numExperts: experts, topK, expertIntermediate: moeInter, sharedIntermediate: inter, moeLayers: types.map(() => true), expertBias: false }
        : null,
      assumptions,
    };
  },
};
