/**
 * MiMo-V2-Flash (`mimo_v2_flash`): sliding-window and full layers with their own head counts (`hybrid_layer_pattern`,
 * `swa_*`), K heads wider than V heads, learned attention-sink biases, a dense first layer then a 256-expert MoE.
 * vllm@9aaf83ef:vllm/model_executor/models/mimo_v2.py (MoE and router 107-210, attention 213-334: v_head_size 265,
 * sinks 287-291); research note §2.9.
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerKv, LayerParams } from '../modelSpec';
import { type FamilyReader, num } from './types';

export const mimoV2: FamilyReader = {
  name: 'MiMo-V2-Flash (sliding-window + full attention with sinks, MoE)',
  matches: (modelType) => modelType === 'mimo_v2_flash',
  read(base, c) {
    const L = base.layers;
    const d = base.hidden;
    const pattern = Array.isArray(c.hybrid_layer_pattern) ? (c.hybrid_layer_pattern as unknown[]) : null;
    if (!pattern || pattern.length !== L) throw new ModelConfigError(`MiMo-V2 config needs hybrid_layer_pattern with one entry per layer (${L})`);
    const window = num(c.sliding_window) ?? num(c.sliding_window_size);
    if (!window) throw new ModelConfigError('MiMo-V2 config lacks sliding_window');
    const full = { heads: base.heads, kv: base.kvHeads, k: num(c.head_dim) ?? base.headDim, v: num(c.v_head_dim) ?? base.headDim, sink: c.add_full_attention_sink_bias === true };
    const swa = {
      heads: num(c.swa_num_attention_heads) ?? full.heads,
      kv: num(c.swa_num_key_value_heads) ?? full.kv,
      k: num(c.swa_head_dim) ?? full.k,
      v: num(c.swa_v_head_dim) ?? full.v,
      sink: c.add_swa_attention_sink_bias === true,
    };
    const moeFlags = Array.isArray(c.moe_layer_freq) && c.moe_layer_freq.length === L ? (c.moe_layer_freq as unknown[]).map((x) => x !== 0) : null;
    const firstDense = num(c.first_k_dense_replace) ?? 0;
    const moeLayers = moeFlags ?? Array.from({ length: L }, (_, i) => i >= firstDense);
    const experts = num(c.n_routed_experts) ?? 1;
    const topK = num(c.num_experts_per_tok) ?? 1;
    const expertInter = num(c.moe_intermediate_size) ?? base.intermediate;
    const sharedInter = (num(c.n_shared_experts) ?? 0) * expertInter;

    const attention: LayerAttention[] = [];
    const layerKv: LayerKv[] = [];
    const layerParams: LayerParams[] = [];
    pattern.forEach((p, i) => {
      const sliding = p === 1;
      const a = sliding ? swa : full;
      attention.push(sliding ? { kind: 'sliding', window } : { kind: 'full' });
      layerKv.push({ elements: a.kv * (a.k + a.v), heads: a.kv });
      const moe = moeLayers[i];
      layerParams.push({
        // q (K head width), o from V-head width; the per-head sink bias is TP-split with the heads.
        attention: d * a.heads * a.k + a.heads * a.v * d + (a.sink ? a.heads : 0),
        kvProj: d * a.kv * (a.k + a.v),
        kvHeads: a.kv,
        replicated: 0,
        mlp: moe ? 3 * d * sharedInter : 3 * d * base.intermediate,
        experts: moe ? experts * 3 * d * expertInter : 0,
        activeExperts: moe ? topK * 3 * d * expertInter : 0,
        // Plain replicated nn.Linear router + e_score_correction_bias (noaux_tc).
        router: moe ? d * experts + experts : 0, // (the bias exists with topk_method noaux_tc, as in every config here)
        norms: 2 * d,
      });
    });
    return {
      ...base,
      attention,
      layerKv,
      layerParams,
      moe: { numExperts: experts, topK, expertIntermediate: expertInter, sharedIntermediate: sharedInter, moeLayers, expertBias: false },
    };
  },
};
