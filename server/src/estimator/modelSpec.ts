/**
 * The model shape the estimator works from (ModelSpec) and its parts: per-layer attention, parameters and KV, recurrent
 * state, encoders, MTP layers. model.ts reads them from config.json and counts parameters.
 */
import type { WeightFormat } from './quantization';
import type { Unmodelled } from './unmodelledFields';

export type LayerAttention =
  | { kind: 'full' }
  | { kind: 'sliding'; window: number }
  /** Llama 4 chunked local attention: each token attends within its chunk. */
  | { kind: 'chunked'; chunk: number }
  /** A recurrent mixer (gated DeltaNet, Mamba-2, KDA): a fixed state per request (`ModelSpec.recurrent`), no KV. */
  | { kind: 'recurrent' }
  /** No token mixer that keeps anything per request (Nemotron-NAS no-op attention, Nemotron-H MLP/MoE-only layers). */
  | { kind: 'none' };

/** Layers that keep KV (growing or windowed): everything but recurrent and mixer-less layers. */
export const keepsKv = (a: LayerAttention): boolean => a.kind !== 'recurrent' && a.kind !== 'none';

/**
 * The KV one layer keeps per token, when the model's layers differ from its model-wide shape (Gemma 4's global
 * heads, MiMo-V2's sliding-window heads, DeepSeek sparse attention's index keys).
 */
export interface LayerKv {
  /** KV-dtype elements per token for the whole model: 2 × KV heads × head dim, K and V dims summed, or MLA's latent. */
  elements: number;
  /** Heads the elements split over under TP (each rank keeps ≥ 1, so they are replicated past it); 1 = never split. */
  heads: number;
  /** Bytes per token in a fixed format beside the KV dtype, replicated on every rank (a DSA indexer's fp8 key + fp32
   *  scale: 132 B; MiniMax-M3's bf16 index key: 256 B). */
  fixedBytes?: number;
  /** Bytes per token when the KV dtype is fp8 and the engine packs its own layout (DeepSeek fp8_ds_mla: 656 B). */
  fp8Bytes?: number;
  /** Bytes per request this layer holds in fixed windows beside its growing KV, whole model, replicated on every rank
   *  (DeepSeek-V4: every layer's 128-token sliding-window cache and its compressors' fp32 state windows). */
  windowBytes?: number;
}

/**
 * The fixed recurrent state one request keeps in each recurrent layer, whole model (vLLM mamba_utils.py state shapes,
 * vllm@9aaf83ef:vllm/model_executor/layers/mamba/mamba_utils.py:162-267; SGLang configs/mamba_utils.py, the same sums).
 */
export interface RecurrentState {
  /** gated DeltaNet (Qwen3-Next/3.5), Mamba-2 (Nemotron-H, Falcon-H1, Granite-4.0-H), Mamba-1 (Jamba), KDA (Kimi),
   *  lightning linear attention (MiniMax-M1/Text-01), short convolution (LFM2). */
  kind: 'gated-deltanet' | 'mamba2' | 'mamba1' | 'kda' | 'lightning' | 'short-conv';
  /** Conv state rows: conv kernel − 1 (vLLM adds one per speculative token). */
  convRows: number;
  /** Conv channels split by TP (GDN: 2·nk·dk + nv·dv; Mamba-2: heads × head dim; KDA: 3 × heads × head dim). */
  convChannels: number;
  /** Mamba-2's B/C channels: `groups` (rounded up to a multiple of TP when TP does not divide them) × `channelsPerGroup`. */
  convGroups?: { groups: number; channelsPerGroup: number };
  /** SSM / delta-rule state elements per layer (heads × two head dims), split by TP over heads. */
  stateElements: number;
  /** Bytes per element: conv state (model dtype unless --mamba-cache-dtype) and SSM state (often fp32 from the config). */
  convDtypeBytes: number;
  stateDtypeBytes: number;
  /** Where the state dtypes came from, for the assumptions. */
  dtypeSource: string;
}

/** A vision (or audio) encoder and its projector, as the engine loads it beside the language model. */
export interface EncoderTower {
  /** Parameters of tower + projector. */
  params: number;
  /** `tp`: column/row-parallel like the language model (norms and position tables replicated, counted as sharded);
   *  `replicated`: a full copy on every rank (transformers AutoModel towers, ReplicatedLinear projectors). */
  sharding: 'tp' | 'replicated';
  /** What it is and where its count comes from. */
  source: string;
}

/** Multi-token-prediction layers in the checkpoint, loaded only when speculative decoding uses them (method mtp). */
export interface MtpLayers {
  params: number;
  /** Decoder layers among them that keep KV (one per MTP layer in every model here). */
  kvLayers: number;
}

/**
 * One decoder layer's parameters as the engine shards them. The generic reader fills it from the uniform shape; a
 * family reader (estimator/families/) gives each layer exactly.
 */
export interface LayerParams {
  /** Token-mixer weights split by TP: attention q/o (and biases), recurrent in/out projections and convs. */
  attention: number;
  /** K/V projections: split by TP up to `kvHeads`, replicated past them (0 for MLA and recurrent layers). */
  kvProj: number;
  kvHeads: number;
  /** Linears every rank holds whole, stored like attention weights: MLA's fused q_a/kv_a, sparse-attention indexers,
   *  latent-MoE projections, DeepSeek-V4 compressors. */
  replicated: number;
  /** Dense MLP or shared experts, split by TP. */
  mlp: number;
  /** Routed experts: all of them, and the top-k share one token touches. */
  experts: number;
  activeExperts: number;
  /** Routers (kept 16-bit, replicated). */
  router: number;
  /** Norms and other small vectors (A_log, dt_bias, gates' scales), 16-bit, replicated. */
  norms: number;
}

export interface MlaShape {
  kvLoraRank: number;
  qkRopeHeadDim: number;
  qkNopeHeadDim: number;
  vHeadDim: number;
  qLoraRank: number | null;
}

export interface MoeShape {
  numExperts: number;
  topK: number;
  expertIntermediate: number;
  /** Total intermediate width of always-on shared experts (0 when none). */
  sharedIntermediate: number;
  /** Per layer: true when the layer's MLP is the MoE block. */
  moeLayers: boolean[];
  /** gpt-oss style: experts carry biases. */
  expertBias: boolean;
}

export interface ModelSpec {
  id: string;
  modelType: string;
  architecture: string;
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Dense MLP width (for MoE models: the width of the dense layers). */
  intermediate: number;
  vocab: number;
  tiedEmbeddings: boolean;
  maxPositions: number;
  /** config.json `rope_scaling` (the engines derive their longest context from it; estimator/contextLength.ts). */
  ropeScaling?: Record<string, unknown>;
  /** Checkpoint dtype bytes for unquantized tensors. */
  dtypeBytes: number;
  dtype: 'bf16' | 'fp16';
  attention: LayerAttention[];
  mla: MlaShape | null;
  moe: MoeShape | null;
  /** Gated MLP (gate+up+down) vs two-matrix MLP (fc1, fc2). */
  gatedMlp: boolean;
  qkvBias: boolean;
  /** RMSNorm/LayerNorm vectors per decoder layer (Gemma 2/3 have four). */
  normsPerLayer: number;
  /** Qwen3-style per-head q/k norms. */
  qkNorm: boolean;
  weightFormat: WeightFormat;
  /** Exact per-layer parameters from a family reader (estimator/families/); absent, countParams uses the uniform shape. */
  layerParams?: LayerParams[];
  /** Model-level parameters beside embeddings, LM head and final norm (DeepSeek-V4's hyper-connection head, Kimi-K3's
   *  attention-residual output), 16-bit, replicated. */
  extraParams?: number;
  /** Per-layer KV shapes when layers differ (absent: every KV layer has the model-wide shape). */
  layerKv?: LayerKv[];
  /** Recurrent state of the layers whose attention kind is `recurrent`. */
  recurrent?: RecurrentState;
  /** Vision/audio encoders the engine loads with the language model (not part of `params`). */
  encoders?: EncoderTower[];
  /** config.json's vision_config size as SGLang's VLM memory adjustment reads it (getattr defaults 24 layers, hidden 1024). */
  visionConfig?: { layers: number; hidden: number };
  /** MTP layers (not part of `params`; loaded only for MTP speculative decoding). */
  mtp?: MtpLayers;
  /** The family reader that read this config exactly (absent: the generic reader). */
  family?: string;
  /** Rotary dimensions per head, when not the whole head (MLA's rope part, DeepSeek-V4's 64 of 512): sizes the cos/sin cache. */
  ropeDim?: number;
  /** A KV dtype the engine uses whatever --kv-cache-dtype says (DeepSeek-V4: fp8 only in vLLM), and why. */
  kvDtypeFixed?: { dtype: 'fp8'; why: string };
  /** What was assumed because the config did not say. */
  assumptions: string[];
  /** What the config holds that is not modelled (absent when the architecture is read exactly). */
  unmodelled?: Unmodelled;
}

export interface ModelParams {
  total: number;
  /** Parameters touched per token (shared + top-k experts only). */
  active: number;
  embedding: number;
  lmHead: number;
  perLayer: LayerParams[];
  /** Final norm plus the model-level extras (ModelSpec.extraParams). */
  finalNorm: number;
  /** Vision/audio encoders and MTP layers: not in `total` (the language model as the engine loads it for text). */
  encoders: number;
  mtp: number;
}
