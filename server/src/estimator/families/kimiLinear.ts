/**
 * Kimi-Linear and Kimi-K3 (`kimi_linear`; K3's KimiK3ForConditionalGeneration keeps it under `text_config`): Kimi Delta
 * Attention (KDA) layers beside MLA layers, DeepSeek-style MoE — in K3 a latent MoE whose experts run at
 * `routed_expert_hidden_size` — and K3's attention residuals. Shapes as vLLM builds them:
 * vllm@9aaf83ef:vllm/model_executor/layers/kda.py:86-260 and models/kimi_linear.py:614-640; K3 from vllm@006193b5
 * `vllm/models/kimi_k3/nvidia/model.py` (KimiDecoderLayer, KimiK3DeltaAttention, KimiMoE, KimiLinearModel) and
 * sglang@29481685:python/sglang/srt/models/kimi_k3.py:1206-1470, 1703-1800; research note §2.3.
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerParams, ModelSpec, MoeShape, RecurrentState } from '../modelSpec';
import { emptyLayer, mlaParams, moeParams } from './deepseekBlocks';
import { FamilyReader, Json, num } from './types';

const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/** `kda_layers` / `full_attn_layers` are 1-based layer numbers (vllm@9aaf83ef:vllm/transformers_utils/configs/kimi_linear.py:144-148). */
function layerKinds(la: Json, layers: number): Array<'kda' | 'mla'> {
  const list = (v: unknown, what: string): number[] => {
    if (!Array.isArray(v) || v.some((x) => !Number.isInteger(x) || (x as number) < 1 || (x as number) > layers)) {
      throw new ModelConfigError(`linear_attn_config.${what} must list 1-based layer numbers up to ${layers}`);
    }
    return v as number[];
  };
  const kda = new Set(list(la.kda_layers, 'kda_layers'));
  const full = new Set(list(la.full_attn_layers, 'full_attn_layers'));
  return Array.from({ length: layers }, (_, i) => {
    const n = i + 1;
    if (kda.has(n) === full.has(n)) throw new ModelConfigError(`linear_attn_config: layer ${n} must be in exactly one of kda_layers and full_attn_layers`);
    return kda.has(n) ? 'kda' : 'mla';
  });
}

/** Whether a compressed-tensors `ignore` entry (a name or `re:` pattern) covers a module path. */
function ignored(ignore: string[], module: string): boolean {
  return ignore.some((p) => {
    if (!p.startsWith('re:')) return module === p || module.startsWith(`${p}.`);
    try { return new RegExp(p.slice(3)).test(module); } catch { return false; }
  });
}

/**
 * K3's MXFP4 export quantizes only the routed experts (and the latent projections beside them): its `ignore` list keeps
 * self_attn, shared experts and the dense MLP 16-bit. The generic reading of a compressed-tensors fp4 group is NVFP4
 * on every linear. MXFP4: one e8m0 scale per 32 values.
 */
function mxfp4Format(base: ModelSpec, c: Json): ModelSpec['weightFormat'] {
  const q = obj(c.quantization_config);
  const groups = Object.values(obj(q?.config_groups) ?? {}).map(obj);
  if (!q || !(String(q.format ?? '').includes('mxfp4') || groups.some((g) => String(g?.format ?? '').includes('mxfp4')))) return base.weightFormat;
  const ignore = Array.isArray(q.ignore) ? q.ignore.map(String) : [];
  const b = 0.5 + 1 / 32;
  const attention = ignored(ignore, 'model.layers.1.self_attn.q_proj') ? 2 : b;
  const mlp = ignored(ignore, 'model.layers.1.mlp.shared_experts.gate_proj') && ignored(ignore, 'model.layers.0.mlp.gate_proj') ? 2 : b;
  return { ...base.weightFormat, name: 'mxfp4', linearBytes: mlp, expertBytes: b, attentionBytes: attention, compute: 'bf16', weightOnly: true, notes: [...base.weightFormat.notes, 'MXFP4 routed experts (compressed-tensors mxfp4-pack-quantized, e8m0 scale per 32)'] };
}

function read(base: ModelSpec, c: Json): ModelSpec {
  const la = obj(c.linear_attn_config);
  const a = base.mla;
  const kHeads = num(la?.num_heads);
  const kDim = num(la?.head_dim);
  const kernel = num(la?.short_conv_kernel_size);
  const experts = num(c.num_experts);
  const topK = num(c.num_experts_per_token) ?? num(c.num_experts_per_tok);
  const expertIntermediate = num(c.moe_intermediate_size);
  if (!la || !a || !kHeads || !kDim || !kernel || !experts || !topK || !expertIntermediate) {
    throw new ModelConfigError('kimi_linear: expected linear_attn_config (num_heads, head_dim, short_conv_kernel_size, kda_layers, full_attn_layers), kv_lora_rank and num_experts / num_experts_per_token / moe_intermediate_size');
  }
  const d = base.hidden;
  const kinds = layerKinds(la, base.layers);
  const P = kHeads * kDim;

  // KDA: q/k/v/b column-parallel, forget gate f_a (replicated) → f_b, output gate full rank (K3 g_proj) or low rank
  // (g_a replicated → g_b); dt_bias, three depthwise convs and A_log split over heads; o_norm; o_proj row-parallel.
  const fullRankGate = la.use_full_rank_gate === true;
  const kda = {
    attention: 3 * d * P + d * kHeads + kDim * P + (fullRankGate ? d * P : kDim * P) + P + 3 * P * kernel + kHeads + P * d,
    replicated: d * kDim + (fullRankGate ? 0 : d * kDim),
    norms: kDim,
  };
  const mla = mlaParams(d, base.heads, a);
  // K3's MLA output gate g_proj d → H·v, column-parallel (sglang@29481685 kimi_k3.py:1703-1800).
  const mlaGate = c.mla_use_output_gate === true ? d * base.heads * a.vHeadDim : 0;
  // Attention residuals (attn_res_block_size): per layer two norms and two d → 1 projections; one pair at the output.
  const attnRes = num(c.attn_res_block_size) ? 4 * d : 0;

  const firstDense = num(c.first_k_dense_replace) ?? 0;
  const freq = num(c.moe_layer_freq) ?? 1;
  const moeLayers = kinds.map((_, i) => i >= firstDense && (i - firstDense) % freq === 0);
  const shared = (num(c.num_shared_experts) ?? 0) * expertIntermediate;
  // Latent MoE: routed experts are built at routed_expert_hidden_size, behind replicated down/up projections
  // (ReplicatedLinear) and a norm of the latent (vllm@006193b5 KimiMoE).
  const latent = num(c.routed_expert_hidden_size);
  const expertHidden = latent ?? d;
  const moeBlock = { hidden: expertHidden, experts, topK, expertIntermediate, sharedIntermediate: 0, routerBias: true };

  const layerParams = kinds.map((kind, i): LayerParams => {
    const l = emptyLayer(base.kvHeads);
    if (kind === 'kda') Object.assign(l, kda);
    else Object.assign(l, { attention: mla.sharded + mlaGate, replicated: mla.replicated, norms: mla.norms });
    l.norms += 2 * d + attnRes;
    if (!moeLayers[i]) return { ...l, mlp: 3 * d * base.intermediate };
    const m = moeParams(moeBlock);
    return {
      ...l,
      ...m,
      mlp: 3 * d * shared,
      router: d * experts + experts,
      replicated: l.replicated + (latent ? 2 * d * latent : 0),
      norms: l.norms + (latent && c.latent_moe_use_norm !== false ? latent : 0),
    };
  });
  const moe: MoeShape = { numExperts: experts, topK, expertIntermediate, sharedIntermediate: shared, moeLayers, expertBias: false };
  // KDA state (vllm@9aaf83ef mamba_utils.py:237-267): three conv states (K − 1) × heads·head_dim in the model dtype
  // (--mamba-cache-dtype), and a heads × head_dim × head_dim recurrent state that is always float32 (lines 119-125).
  const recurrent: RecurrentState = {
    kind: 'kda', convRows: kernel - 1, convChannels: 3 * P, stateElements: kHeads * kDim * kDim,
    convDtypeBytes: 2, stateDtypeBytes: 4, dtypeSource: 'KDA: conv states in the model dtype, the recurrent state always float32 (vLLM mamba_utils.py:119-125)',
  };
  const kdaCount = kinds.filter((k) => k === 'kda').length;
  return {
    ...base,
    weightFormat: mxfp4Format(base, c),
    moe,
    attention: kinds.map((k): LayerAttention => (k === 'kda' ? { kind: 'recurrent' } : { kind: 'full' })),
    layerParams,
    recurrent,
    ...(attnRes ? { extraParams: 2 * d } : {}),
    assumptions: [...base.assumptions, `Kimi-Linear: ${kdaCount} KDA layers keep a fixed state per request, ${base.layers - kdaCount} MLA layers the ${a.kvLoraRank + a.qkRopeHeadDim}-value latent per token (not split by TP)${latent ? `; routed experts run at the ${latent}-wide latent behind replicated projections` : ''}`],
  };
}

export const kimiLinear: FamilyReader = {
  name: 'Kimi-Linear (KDA + MLA)',
  matches: (modelType, architecture, text) => modelType === 'kimi_linear' || (architecture === 'KimiLinearForCausalLM' && !!obj(text.linear_attn_config)),
  read: (base, text) => read(base, text),
};
