/**
 * Qwen3-Next / Qwen3.5 / Qwen3.6 (and Qwen3.8, a `qwen3_5_moe_text` config at top level): gated DeltaNet layers with
 * every `full_attention_interval`-th layer full attention, dense or MoE MLPs, MTP layers beside the model. Source: the
 * project's research note on 2026 architectures §2.1, from vLLM vllm@9aaf83ef (qwen3_next.py, qwen3_5.py,
 * qwen3_5_mtp.py, layers/mamba/gdn_linear_attn.py, layers/mamba/mamba_utils.py, models/config.py).
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerParams, ModelSpec, RecurrentState } from '../modelSpec';
import { FamilyReader, Json, num } from './types';

/** Text model types of the family: Qwen3-Next, and the language models of the Qwen3.5/3.6 wrappers (or bare). */
const TYPES = /^(qwen3_next|qwen3_5(_moe)?(_text)?)$/;

const need = (c: Json, k: string): number => {
  const v = num(c[k]);
  if (v === undefined || v <= 0) throw new ModelConfigError(`${String(c.model_type)} config lacks ${k} (gated DeltaNet shape)`);
  return v;
};

/** Bytes per element of a torch dtype name; undefined when the name is absent or not a float type. */
function dtypeBytes(name: unknown): number | undefined {
  const s = typeof name === 'string' ? name.replace(/^torch\./, '') : '';
  if (/^(float32|fp32)$/.test(s)) return 4;
  if (/^(bfloat16|float16|bf16|fp16|half)$/.test(s)) return 2;
  return undefined;
}

/**
 * Which layers are full attention: `layer_types` when given, else every `full_attention_interval`-th layer
 * (transformers Qwen3NextConfig: linear unless (i + 1) % interval == 0; its default interval is 4).
 */
function layerKinds(c: Json, layers: number, assumptions: string[]): Array<'full' | 'linear'> {
  const types = Array.isArray(c.layer_types) ? (c.layer_types as unknown[]).map(String) : undefined;
  if (types) {
    if (types.length !== layers) throw new ModelConfigError(`layer_types has ${types.length} entries for ${layers} layers`);
    return types.map((t) => {
      if (t === 'full_attention') return 'full';
      if (t === 'linear_attention') return 'linear';
      throw new ModelConfigError(`layer_types entry "${t}" is neither full_attention nor linear_attention`);
    });
  }
  let interval = num(c.full_attention_interval);
  if (!interval) {
    interval = 4;
    assumptions.push('neither layer_types nor full_attention_interval given: every 4th layer full attention (transformers Qwen3NextConfig default)');
  }
  return Array.from({ length: layers }, (_, i) => ((i + 1) % interval! === 0 ? 'full' : 'linear'));
}

/** One full-attention layer's token mixer (Qwen3NextAttention, qwen3_next.py:205-319). */
function fullAttention(c: Json, d: number): Pick<LayerParams, 'attention' | 'kvProj' | 'kvHeads'> & { qkNorms: number } {
  const heads = need(c, 'num_attention_heads');
  const kvHeads = num(c.num_key_value_heads) ?? heads;
  const hd = num(c.head_dim) ?? d / heads;
  // attn_output_gate (vLLM's default when the config is silent) makes q_proj emit a sigmoid gate beside q (line 243).
  const gate = c.attn_output_gate === false ? 1 : 2;
  const bias = c.qkv_bias === true || c.attention_bias === true;
  return {
    // q (+ gate) and o projections; the q/k RMSNorms over head_dim are replicated.
    attention: d * gate * heads * hd + heads * hd * d + (bias ? gate * heads * hd : 0),
    kvProj: 2 * d * kvHeads * hd + (bias ? 2 * kvHeads * hd : 0),
    kvHeads,
    qkNorms: 2 * hd,
  };
}

interface Gdn {
  nk: number; nv: number; dk: number; dv: number; kernel: number;
}

function gdnShape(c: Json): Gdn {
  return {
    nk: need(c, 'linear_num_key_heads'), nv: need(c, 'linear_num_value_heads'), dk: need(c, 'linear_key_head_dim'),
    dv: need(c, 'linear_value_head_dim'), kernel: need(c, 'linear_conv_kernel_dim'),
  };
}

/**
 * One gated-DeltaNet mixer (gdn_linear_attn.py:262-457): in_proj_qkvz, in_proj_ba, a bias-free depthwise conv over
 * q, k and v, out_proj — all TP-split; A_log and dt_bias (per value head) and the gated RMSNorm's weight are small
 * vectors kept with the norms.
 */
function gdnLayer(g: Gdn, d: number): { attention: number; norms: number } {
  const convChannels = 2 * g.nk * g.dk + g.nv * g.dv;
  return {
    attention: d * (2 * g.nk * g.dk + 2 * g.nv * g.dv) + d * 2 * g.nv + convChannels * g.kernel + g.nv * g.dv * d,
    norms: 2 * g.nv + g.dv,
  };
}

/**
 * The MLP of layer i: a Qwen3-Next sparse MoE block (qwen3_next.py:85-202: replicated router and shared-expert gate,
 * TP-split shared expert, routed experts) unless the layer is in mlp_only_layers, off decoder_sparse_step, or the
 * model is dense (Qwen3.5 dense: a SwiGLU MLP of intermediate_size, qwen3_5.py:155-170).
 */
function mlpOf(c: Json, d: number, i: number): Pick<LayerParams, 'mlp' | 'experts' | 'activeExperts' | 'router'> {
  const experts = num(c.num_experts) ?? 0;
  const step = num(c.decoder_sparse_step) ?? 1;
  const mlpOnly = Array.isArray(c.mlp_only_layers) ? (c.mlp_only_layers as unknown[]) : [];
  const sparse = experts > 0 && !mlpOnly.includes(i) && (i + 1) % step === 0;
  if (!sparse) return { mlp: 3 * d * need(c, 'intermediate_size'), experts: 0, activeExperts: 0, router: 0 };
  const width = need(c, 'moe_intermediate_size');
  const shared = num(c.shared_expert_intermediate_size) ?? 0;
  const topK = need(c, 'num_experts_per_tok');
  return {
    mlp: 3 * d * shared,
    experts: experts * 3 * d * width,
    activeExperts: topK * 3 * d * width,
    router: d * experts + (shared ? d : 0),
  };
}

function read(base: ModelSpec, c: Json, raw: Json): ModelSpec {
  const d = base.hidden;
  const assumptions = [...base.assumptions];
  const kinds = layerKinds(c, base.layers, assumptions);
  const g = gdnShape(c);
  const gdn = gdnLayer(g, d);
  const full = fullAttention(c, d);
  const layerParams: LayerParams[] = kinds.map((k, i) => ({
    ...(k === 'full'
      ? { attention: full.attention, kvProj: full.kvProj, kvHeads: full.kvHeads, norms: 2 * d + full.qkNorms }
      : { attention: gdn.attention, kvProj: 0, kvHeads: full.kvHeads, norms: 2 * d + gdn.norms }),
    replicated: 0,
    ...mlpOf(c, d, i),
  }));
  const attention: LayerAttention[] = kinds.map((k) => (k === 'full' ? { kind: 'full' } : { kind: 'recurrent' }));

  // vLLM keeps the conv state in the model dtype (--mamba-cache-dtype auto) and the delta state in
  // --mamba-ssm-cache-dtype, which for Qwen3.5 comes from text_config.mamba_ssm_dtype (models/config.py:595-619) and
  // otherwise defaults to the conv dtype (mamba_utils.py:84-96); SGLang reads the same field, default float32.
  const ssm = dtypeBytes(c.mamba_ssm_dtype);
  const recurrent: RecurrentState = {
    kind: 'gated-deltanet',
    convRows: g.kernel - 1,
    convChannels: 2 * g.nk * g.dk + g.nv * g.dv,
    stateElements: g.nv * g.dv * g.dk,
    convDtypeBytes: 2,
    stateDtypeBytes: ssm ?? 2,
    dtypeSource: ssm
      ? `conv state in the model dtype, delta state in mamba_ssm_dtype ${String(c.mamba_ssm_dtype)} (vLLM models/config.py, SGLang configs/mamba_utils.py)`
      : 'conv and delta state in the model dtype: the config names no mamba_ssm_dtype (vLLM default; SGLang would keep the delta state in float32)',
  };

  // MTP (qwen3_5_mtp.py:59-120): fc over [embedding; hidden], three norms, then full-attention decoder layers with the
  // model's MLP/MoE; it shares the target's embedding and LM head unless mtp_use_dedicated_embeddings.
  const mtpLayers = num(c.mtp_num_hidden_layers) ?? num(c.num_nextn_predict_layers) ?? 0;
  let mtp: ModelSpec['mtp'];
  if (mtpLayers > 0) {
    const m = mlpOf(c, d, 0);
    const layer = full.attention + full.kvProj + full.qkNorms + 2 * d + m.mlp + m.experts + m.router;
    const dedicated = c.mtp_use_dedicated_embeddings === true ? base.vocab * d : 0;
    if (dedicated) assumptions.push('mtp_use_dedicated_embeddings: the MTP layers counted with their own embedding table (vocab × hidden)');
    mtp = { params: 2 * d * d + 3 * d + mtpLayers * layer + dedicated, kvLayers: mtpLayers };
  }

  const tied = c.tie_word_embeddings ?? raw.tie_word_embeddings;
  return {
    ...base,
    tiedEmbeddings: tied === true,
    qkNorm: true,
    qkvBias: c.qkv_bias === true || c.attention_bias === true,
    attention,
    layerParams,
    recurrent,
    ...(mtp ? { mtp } : {}),
    assumptions,
  };
}

export const qwenGatedDeltaNet: FamilyReader = {
  name: 'Qwen3-Next / Qwen3.5 (gated DeltaNet + attention)',
  matches: (modelType) => TYPES.test(modelType),
  read,
};
