/**
 * Nemotron-H (`nemotron_h`: Nemotron-3 Nano / Super / Ultra / 3.5-Lightning, Nemotron-H-56B): Mamba-2, attention,
 * MoE and MLP layers, one sub-block per layer. Shapes as vLLM builds them,
 * vllm@9aaf83ef:vllm/model_executor/models/nemotron_h.py (layer classes 263-530, dispatch 533-538) and
 * vllm/model_executor/layers/mamba/mamba_mixer2.py:234-490; the research note on 2026 architectures, §2.2.
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerParams, ModelSpec, MoeShape, MtpLayers, RecurrentState } from '../modelSpec';
import { FamilyReader, Json, num } from './types';

type Block = 'mamba' | 'attention' | 'moe' | 'mlp';

const PATTERN_CHAR: Record<string, Block> = { M: 'mamba', '*': 'attention', E: 'moe', '-': 'mlp' };

/**
 * The layer layout: the `hybrid_override_pattern` string (M * E -) or, in newer configs (Ultra, 3.5-Lightning), the
 * `layers_block_type` list; the layer count is its length (transformers NemotronHConfig._pattern_to_list).
 */
function blocks(pattern: unknown, list: unknown, what: string): Block[] | undefined {
  if (typeof pattern === 'string' && pattern.length) {
    return [...pattern].map((ch) => {
      const b = PATTERN_CHAR[ch];
      if (!b) throw new ModelConfigError(`${what} holds "${ch}": not one of M (Mamba-2), * (attention), E (MoE), - (MLP)`);
      return b;
    });
  }
  if (Array.isArray(list) && list.length) {
    return list.map((t) => {
      const s = String(t);
      if (s !== 'mamba' && s !== 'attention' && s !== 'moe' && s !== 'mlp') throw new ModelConfigError(`${what} holds "${s}": not one of mamba, attention, moe, mlp`);
      return s;
    });
  }
  return undefined;
}

const empty = (kvHeads: number): LayerParams => ({ attention: 0, kvProj: 0, kvHeads, replicated: 0, mlp: 0, experts: 0, activeExperts: 0, router: 0, norms: 0 });

/** Bytes of a dtype name as the config spells it (torch names). */
function dtypeBytes(name: unknown): number | undefined {
  const s = String(name ?? '');
  if (/float32|fp32/.test(s)) return 4;
  if (/bfloat16|float16|bf16|fp16/.test(s)) return 2;
  return undefined;
}

interface Shapes {
  d: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  attnBias: boolean;
  // Mamba-2
  mHeads: number;
  mHeadDim: number;
  groups: number;
  state: number;
  kernel: number;
  convBias: boolean;
  projBias: boolean;
  // MoE / MLP
  experts: number;
  topK: number;
  expertWidth: number;
  sharedWidth: number;
  latent: number | undefined;
  mlpWidth: number;
  mlpBias: boolean;
}

function shapes(base: ModelSpec, c: Json): Shapes {
  const need = (k: string): number => {
    const v = num(c[k]);
    if (v === undefined) throw new ModelConfigError(`Nemotron-H config lacks ${k}`);
    return v;
  };
  return {
    d: base.hidden,
    heads: base.heads,
    kvHeads: num(c.num_key_value_heads) ?? base.heads,
    headDim: num(c.head_dim) ?? num(c.attention_head_dim) ?? Math.floor(base.hidden / base.heads),
    attnBias: c.attention_bias === true,
    mHeads: need('mamba_num_heads'),
    mHeadDim: need('mamba_head_dim'),
    groups: num(c.n_groups) ?? 1,
    state: need('ssm_state_size'),
    kernel: num(c.conv_kernel) ?? 4,
    // transformers' NemotronHConfig defaults: use_conv_bias true, use_bias false.
    convBias: c.use_conv_bias !== false,
    projBias: c.use_bias === true,
    experts: num(c.n_routed_experts) ?? 0,
    topK: num(c.num_experts_per_tok) ?? 0,
    expertWidth: num(c.moe_intermediate_size) ?? 0,
    sharedWidth: (num(c.moe_shared_expert_intermediate_size) ?? 0) * (num(c.n_shared_experts) ?? 1),
    latent: num(c.moe_latent_size) || undefined,
    mlpWidth: num(c.intermediate_size) ?? 0,
    mlpBias: c.mlp_bias === true,
  };
}

/** One layer's parameters: a pre-norm (RMSNorm, d) and its one mixer. */
function layerParams(b: Block, s: Shapes): LayerParams {
  const { d } = s;
  const l = empty(s.kvHeads);
  l.norms = d;
  if (b === 'mamba') {
    // MambaMixer2: in_proj d → (z, x, B, C, dt) = 2I + 2·G·N + heads; depthwise conv1d over x, B, C (K taps, + bias);
    // A, D, dt_bias per head; gated RMSNorm over I; out_proj I → d. TP splits projections and conv by heads/groups.
    const inner = s.mHeads * s.mHeadDim;
    const convDim = inner + 2 * s.groups * s.state;
    const inOut = inner + convDim + s.mHeads;
    l.attention = d * inOut + (s.projBias ? inOut : 0) + convDim * s.kernel + (s.convBias ? convDim : 0) + inner * d + (s.projBias ? d : 0);
    l.norms += 3 * s.mHeads + inner;
  } else if (b === 'attention') {
    // NemotronHAttention: q/k/v and o, no q/k norm (nemotron_h.py:411-485).
    const q = s.heads * s.headDim;
    const kv = s.kvHeads * s.headDim;
    l.attention = d * q + q * d + (s.attnBias ? q + d : 0);
    l.kvProj = 2 * d * kv + (s.attnBias ? 2 * kv : 0);
  } else if (b === 'mlp') {
    // NemotronHMLP: relu² up/down, not gated.
    l.mlp = 2 * d * s.mlpWidth + (s.mlpBias ? s.mlpWidth + d : 0);
  } else {
    // NemotronHMoE (nemotron_h.py:128-260): fp32 router + e_score_correction_bias, shared expert at d, relu² experts
    // of two matrices; with moe_latent_size the experts run at the latent width behind fc1/fc2_latent_proj, which are
    // ReplicatedLinear (194-209): whole on every rank.
    const width = s.latent ?? d;
    const perExpert = 2 * width * s.expertWidth;
    l.router = d * s.experts + s.experts;
    l.mlp = 2 * d * s.sharedWidth;
    l.replicated = s.latent ? 2 * d * s.latent : 0;
    l.experts = s.experts * perExpert;
    l.activeExperts = s.topK * perExpert;
  }
  return l;
}

const sum = (l: LayerParams): number => l.attention + l.kvProj + l.replicated + l.mlp + l.experts + l.router + l.norms;

/**
 * MTP layers (vllm@9aaf83ef:vllm/model_executor/models/nemotron_h_mtp.py:40-124, 213-309): the MTP pattern's layers
 * (`*E`: attention then MoE, each with its norm), enorm + hnorm + eh_proj (2d → d) before them and a final norm after,
 * sharing the main model's embedding and LM head. The main loader skips them (nemotron_h.py:937).
 */
function mtpLayers(c: Json, s: Shapes): MtpLayers | undefined {
  const n = num(c.num_nextn_predict_layers) ?? 0;
  if (n <= 0) return undefined;
  const pattern = blocks(c.mtp_hybrid_override_pattern, c.mtp_layers_block_type, 'the MTP pattern') ?? ['attention', 'moe'];
  const perLayer = pattern.reduce((t, b) => t + sum(layerParams(b, s)), 0) + 2 * s.d + 2 * s.d * s.d + s.d;
  return { params: n * perLayer, kvLayers: n * pattern.filter((b) => b === 'attention').length };
}

/**
 * Mamba-2 state per layer: conv `(K − 1) × (I + 2·G'·N)` (G' = n_groups rounded up to a multiple of TP) and SSM
 * `heads × head_dim × N` (vllm@9aaf83ef:vllm/model_executor/layers/mamba/mamba_utils.py:162-210). The conv state is in
 * the model dtype; the SSM state dtype comes from `mamba_ssm_cache_dtype`, float32 when the config is silent
 * (vllm/model_executor/models/config.py:398-425).
 */
function mambaState(c: Json, s: Shapes, modelBytes: number): RecurrentState {
  const configured = dtypeBytes(c.mamba_ssm_cache_dtype);
  return {
    kind: 'mamba2',
    convRows: s.kernel - 1,
    convChannels: s.mHeads * s.mHeadDim,
    convGroups: { groups: s.groups, channelsPerGroup: 2 * s.state },
    stateElements: s.mHeads * s.mHeadDim * s.state,
    convDtypeBytes: modelBytes,
    stateDtypeBytes: configured ?? 4,
    dtypeSource: configured
      ? `conv state in the model dtype, SSM state ${String(c.mamba_ssm_cache_dtype)} (config mamba_ssm_cache_dtype)`
      : 'conv state in the model dtype, SSM state float32 (vLLM\'s default for Nemotron-H when mamba_ssm_cache_dtype is absent)',
  };
}

export const nemotronH: FamilyReader = {
  name: 'Nemotron-H (Mamba-2 + attention + MoE)',
  matches: (modelType) => modelType === 'nemotron_h',
  read(base, c) {
    const layout = blocks(c.hybrid_override_pattern, c.layers_block_type, c.hybrid_override_pattern !== undefined ? 'hybrid_override_pattern' : 'layers_block_type');
    if (!layout) throw new ModelConfigError('Nemotron-H config has neither hybrid_override_pattern nor layers_block_type: its layer layout is unknown');
    const s = shapes(base, c);
    const layerParamsList = layout.map((b) => layerParams(b, s));
    const attention: LayerAttention[] = layout.map((b) => (b === 'attention' ? { kind: 'full' } : b === 'mamba' ? { kind: 'recurrent' } : { kind: 'none' }));
    const moeLayers = layout.map((b) => b === 'moe');
    const moe: MoeShape | null = moeLayers.some(Boolean)
      ? { numExperts: s.experts, topK: s.topK, expertIntermediate: s.expertWidth, sharedIntermediate: s.sharedWidth, moeLayers, expertBias: false }
      : null;
    const mtp = mtpLayers(c, s);
    const recurrent = layout.includes('mamba') ? mambaState(c, s, base.dtypeBytes) : undefined;
    const assumptions = [...base.assumptions];
    if (s.latent) assumptions.push(`latent MoE: experts run at moe_latent_size ${s.latent} behind fc1/fc2 latent projections replicated on every GPU (vLLM ReplicatedLinear)`);
    if (recurrent) assumptions.push(`Mamba-2 state: ${recurrent.dtypeSource}`);
    return {
      ...base,
      layers: layout.length,
      kvHeads: s.kvHeads,
      headDim: s.headDim,
      intermediate: s.mlpWidth,
      gatedMlp: false,
      qkvBias: s.attnBias,
      qkNorm: false,
      normsPerLayer: 1,
      mla: null,
      moe,
      attention,
      layerParams: layerParamsList,
      ...(recurrent ? { recurrent } : {}),
      ...(mtp ? { mtp } : {}),
      assumptions,
    };
  },
};
