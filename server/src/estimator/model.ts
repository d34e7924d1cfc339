/**
 * Hugging Face `config.json` → ModelSpec: the shapes that decide weight bytes, KV bytes and FLOPs.
 * Field names follow transformers' configuration classes; per-family quirks are commented where they apply.
 */
import { weightFormatFromConfig } from './quantization';
import { readEncoders } from './encoders';
import { familyFor } from './families';
import { unmodelledFields } from './unmodelledFields';
import type { LayerAttention, LayerParams, ModelParams, ModelSpec, MoeShape } from './modelSpec';
import { ModelConfigError } from './modelConfigError';
import { layerTotal, mtpWrapperParams } from './families/deepseekBlocks';

export type { EncoderTower, LayerAttention, LayerKv, LayerParams, MlaShape, ModelParams, ModelSpec, MoeShape, MtpLayers, RecurrentState } from './modelSpec';
export { keepsKv } from './modelSpec';
export { ModelConfigError };

type Json = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Multimodal wrappers (Gemma 3, Llama 4, Mistral 3) keep the language model under `text_config`. */
function textConfig(config: Json): Json {
  const t = config.text_config;
  if (t && typeof t === 'object' && !Array.isArray(t)) {
    return { ...(t as Json), quantization_config: config.quantization_config ?? (t as Json).quantization_config };
  }
  return config;
}

/** SGLang's adjust_mem_fraction_for_vlm reads getattr(vision_config, "num_hidden_layers", 24) and "hidden_size" (1024). */
function visionConfigOf(raw: Json): ModelSpec['visionConfig'] {
  const v = raw.vision_config;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const vc = v as Json;
  return { layers: num(vc.num_hidden_layers) ?? 24, hidden: num(vc.hidden_size) ?? 1024 };
}

export function modelFromConfig(id: string, raw: Json, sideFiles: { hfQuantConfig?: Json } = {}): ModelSpec {
  const c = textConfig(raw);
  const assumptions: string[] = [];
  const modelType = String(c.model_type ?? raw.model_type ?? 'unknown');
  const architecture = String((Array.isArray(raw.architectures) && raw.architectures[0]) || modelType);
  const family = familyFor(modelType, architecture, c, raw);
  const hidden = num(c.hidden_size) ?? num(c.n_embd) ?? num(c.d_model);
  // A projector's output width is the language model's hidden size (0 when absent: the tower stays uncounted).
  const encoders = readEncoders(raw, architecture, hidden ?? 0);
  const unmodelled = unmodelledFields(raw, c, modelType, architecture, { familyExact: !!family, encodersCounted: !!encoders });
  if (unmodelled && !unmodelled.textModelExact) {
    assumptions.push(`model_type "${modelType}" (${architecture}) is not modelled exactly: read as a generic decoder from hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads and intermediate_size — parameters, weights and KV are rough (${unmodelled.items.length} thing(s) not modelled, see the unmodelled-architecture warning)`);
  } else if (unmodelled) {
    assumptions.push(`weights count ${architecture}'s language model only: its ${unmodelled.towers.join(', ')} (encoder and projector) not counted`);
  }

  // Nemotron-3-Ultra's config has no num_hidden_layers: its layer count is the length of layers_block_type
  // (transformers NemotronHConfig.num_hidden_layers); families/nemotronH.ts reads the layers themselves.
  const blockTypes = Array.isArray(c.layers_block_type) ? c.layers_block_type.length : undefined;
  const layers = num(c.num_hidden_layers) ?? num(c.n_layer) ?? num(c.num_layers) ?? blockTypes;
  const heads = num(c.num_attention_heads) ?? num(c.n_head);
  if (!layers || !hidden || !heads || layers < 1 || hidden < 1 || heads < 1) {
    throw new ModelConfigError('config.json lacks num_hidden_layers, hidden_size or num_attention_heads (or they are not positive numbers)');
  }
  if (layers > 10_000 || hidden > 1_000_000 || heads > 10_000) {
    throw new ModelConfigError(`implausible model shape (layers ${layers}, hidden ${hidden}, heads ${heads})`);
  }
  // Falcon: num_kv_heads with the new decoder architecture (40B/180B), one shared KV head for multi_query (7B).
  const falconKv = modelType === 'falcon' ? (c.new_decoder_architecture === true ? num(c.num_kv_heads) : c.multi_query === true ? 1 : undefined) : undefined;
  let kvHeads = num(c.num_key_value_heads) ?? num(c.multi_query_group_num) ?? falconKv;
  if (!kvHeads) {
    kvHeads = heads;
    if (!c.kv_lora_rank) assumptions.push('num_key_value_heads absent: multi-head attention (KV heads = attention heads)');
  }
  const headDim = num(c.head_dim) ?? Math.floor(hidden / heads);
  const vocab = num(c.vocab_size) ?? 32000;
  if (!num(c.vocab_size)) assumptions.push('vocab_size absent: 32000 assumed');
  let intermediate = num(c.intermediate_size) ?? num(c.n_inner) ?? 4 * hidden;
  if (modelType === 'llama4_text' && num(c.intermediate_size_mlp)) intermediate = num(c.intermediate_size_mlp)!;
  // transformers' default is tied; the Llama-style configs that omit the field are untied in practice, Gemma and
  // Falcon (FalconForCausalLM shares word_embeddings with lm_head) are tied.
  const tiedEmbeddings = c.tie_word_embeddings === true || (c.tie_word_embeddings === undefined && /^(gemma|falcon)/.test(modelType));
  const dtypeName = String(c.torch_dtype ?? c.dtype ?? raw.torch_dtype ?? 'bfloat16');
  const dtype = dtypeName.includes('float32') ? 'fp32' : dtypeName.includes('float16') && !dtypeName.includes('b') ? 'fp16' : 'bf16';
  if (dtype === 'fp32') assumptions.push('checkpoint is float32; engines load it as 16-bit (dtype auto → fp16/bf16)');

  const attention = layerAttention(c, layers, modelType);
  const mla = num(c.kv_lora_rank)
    ? {
        kvLoraRank: num(c.kv_lora_rank)!,
        qkRopeHeadDim: num(c.qk_rope_head_dim) ?? 64,
        qkNopeHeadDim: num(c.qk_nope_head_dim) ?? 128,
        vHeadDim: num(c.v_head_dim) ?? 128,
        qLoraRank: num(c.q_lora_rank) ?? null,
      }
    : null;
  const moe = moeShape(c, layers, modelType, intermediate);

  const spec: ModelSpec = {
    id,
    modelType,
    architecture,
    layers,
    hidden,
    heads,
    kvHeads,
    headDim,
    intermediate,
    vocab,
    tiedEmbeddings,
    maxPositions: num(c.max_position_embeddings) ?? num(c.n_positions) ?? num(c.seq_length) ?? 4096,
    ...(c.rope_scaling && typeof c.rope_scaling === 'object' && !Array.isArray(c.rope_scaling) ? { ropeScaling: c.rope_scaling as Record<string, unknown> } : {}),
    dtypeBytes: 2,
    dtype: dtype === 'fp32' ? 'bf16' : dtype,
    attention,
    mla,
    moe,
    gatedMlp: !/^(phi|gpt2|gpt_neox|opt|falcon|starcoder2)$/.test(modelType),
    qkvBias: c.attention_bias === true || modelType === 'qwen2' || modelType === 'qwen2_moe' || modelType === 'gpt_oss',
    normsPerLayer: /^gemma[23]/.test(modelType) ? 4 : 2,
    qkNorm: /^qwen3/.test(modelType) || modelType === 'gemma3_text',
    weightFormat: weightFormatFromConfig(c, sideFiles.hfQuantConfig),
    assumptions,
    ...(unmodelled ? { unmodelled } : {}),
    ...(encoders?.length ? { encoders } : {}),
    ...(visionConfigOf(raw) ? { visionConfig: visionConfigOf(raw) } : {}),
  };
  if (!family) return withDeepseekMtp(spec, c);
  const exact = family.read(spec, c, raw);
  return { ...exact, family: family.name };
}

function layerAttention(c: Json, layers: number, modelType: string): LayerAttention[] {
  const window = num(c.sliding_window);
  const types = Array.isArray(c.layer_types) ? (c.layer_types as unknown[]) : null;
  if (types && types.length === layers && window) {
    return types.map((t) => (String(t).includes('sliding') ? { kind: 'sliding', window } : { kind: 'full' }));
  }
  if (modelType === 'gemma2' && window) {
    // Gemma 2 interleaves local (even layers) and global attention; config.json has no per-layer list.
    return Array.from({ length: layers }, (_, i) => (i % 2 === 0 ? { kind: 'sliding', window } : { kind: 'full' }));
  }
  if (modelType === 'gemma3_text' && window) {
    const pattern = num(c.sliding_window_pattern) ?? 6; // 5 local : 1 global
    return Array.from({ length: layers }, (_, i) => ((i + 1) % pattern === 0 ? { kind: 'full' } : { kind: 'sliding', window }));
  }
  if (modelType === 'llama4_text' && num(c.attention_chunk_size)) {
    // Llama 4: every 4th layer is global (NoPE); the others use chunked local attention.
    const chunk = num(c.attention_chunk_size)!;
    const nope = Array.isArray(c.no_rope_layers) ? (c.no_rope_layers as unknown[]) : null;
    return Array.from({ length: layers }, (_, i) => {
      const global = nope ? nope[i] === 0 : (i + 1) % 4 === 0;
      return global ? { kind: 'full' } : { kind: 'chunked', chunk };
    });
  }
  // Mistral v0.1 / Phi-3 apply one window to every layer; Qwen2 only when use_sliding_window is true.
  const useWindow = window && (c.use_sliding_window === undefined ? modelType !== 'qwen2' && modelType !== 'qwen3' : c.use_sliding_window === true);
  return Array.from({ length: layers }, () => (useWindow ? { kind: 'sliding', window: window! } : { kind: 'full' }));
}

function moeShape(c: Json, layers: number, modelType: string, dense: number): MoeShape | null {
  const numExperts = num(c.n_routed_experts) ?? num(c.num_local_experts) ?? num(c.num_experts);
  if (!numExperts || numExperts < 2) return null;
  const topK = num(c.num_experts_per_tok) ?? num(c.moe_top_k) ?? 2;
  const expertIntermediate = num(c.moe_intermediate_size) ?? (modelType === 'llama4_text' ? num(c.intermediate_size) : undefined) ?? dense;
  let sharedIntermediate = 0;
  if (num(c.n_shared_experts)) sharedIntermediate = num(c.n_shared_experts)! * expertIntermediate;
  else if (num(c.shared_expert_intermediate_size)) sharedIntermediate = num(c.shared_expert_intermediate_size)!;
  else if (modelType === 'llama4_text') sharedIntermediate = num(c.intermediate_size) ?? 0;

  const firstDense = num(c.first_k_dense_replace) ?? 0;
  const freq = num(c.moe_layer_freq) ?? 1;
  const step = num(c.interleave_moe_layer_step) ?? num(c.decoder_sparse_step) ?? 1;
  const mlpOnly = new Set(Array.isArray(c.mlp_only_layers) ? (c.mlp_only_layers as number[]) : []);
  const moeLayers = Array.from({ length: layers }, (_, i) => {
    if (i < firstDense || mlpOnly.has(i)) return false;
    if (modelType === 'llama4_text') return (i + 1) % step === 0;
    return (i - firstDense) % freq === 0 && (i + 1) % step === 0;
  });
  return { numExperts, topK, expertIntermediate, sharedIntermediate, moeLayers, expertBias: modelType === 'gpt_oss' };
}

/**
 * DeepSeek-V3/R1 (deepseek_v3, read by the generic MLA + MoE path): each of its num_nextn_predict_layers MTP layers is
 * one more MoE decoder layer like the last one inside DeepSeek's MTP wrapper (vLLM deepseek_mtp.py
 * DeepSeekMultiTokenPredictorLayer; the embedding and head are the main model's). 11.7 B for V3 (the README's 14 B
 * counts the shared embedding and head too).
 */
function withDeepseekMtp(spec: ModelSpec, c: Json): ModelSpec {
  const nextn = num(c.num_nextn_predict_layers) ?? 0;
  if (spec.modelType !== 'deepseek_v3' || nextn < 1 || !spec.mla) return spec;
  const last = countParams(spec).perLayer[spec.layers - 1];
  return { ...spec, mtp: { params: nextn * (layerTotal(last) + mtpWrapperParams(spec.hidden)), kvLayers: nextn } };
}

/** Exact parameter count by tensor shapes (tied embeddings counted once; MTP layers and encoders apart). */
export function countParams(m: ModelSpec): ModelParams {
  const h = m.hidden;
  const embedding = m.vocab * h;
  const lmHead = m.tiedEmbeddings ? 0 : m.vocab * h;
  const finalNorm = h + (m.extraParams ?? 0);
  const perLayer = m.layerParams ?? uniformLayerParams(m);
  let total = embedding + lmHead + finalNorm;
  let active = total;
  for (const l of perLayer) {
    const common = l.attention + l.kvProj + l.replicated + l.mlp + l.router + l.norms;
    total += common + l.experts;
    active += common + l.activeExperts;
  }
  const encoders = (m.encoders ?? []).reduce((s, e) => s + e.params, 0);
  return { total, active, embedding, lmHead, perLayer, finalNorm, encoders, mtp: m.mtp?.params ?? 0 };
}

/** The generic reader's layers: one shape for every layer (MLA or GQA attention, dense or MoE MLP). */
function uniformLayerParams(m: ModelSpec): LayerParams[] {
  const h = m.hidden;
  const out: LayerParams[] = [];
  for (let i = 0; i < m.layers; i++) {
    let attention: number;
    let kvProj = 0;
    let replicated = 0;
    if (m.mla) {
      const a = m.mla;
      const qHead = a.qkNopeHeadDim + a.qkRopeHeadDim;
      const q = a.qLoraRank ? h * a.qLoraRank + a.qLoraRank + a.qLoraRank * m.heads * qHead : h * m.heads * qHead;
      const kvA = h * (a.kvLoraRank + a.qkRopeHeadDim) + a.kvLoraRank;
      const kvB = a.kvLoraRank * m.heads * (a.qkNopeHeadDim + a.vHeadDim);
      // vLLM fuses q_a and kv_a into one replicated GEMM (DeepSeekV2FusedQkvAProjLinear, disable_tp).
      replicated = h * (a.kvLoraRank + a.qkRopeHeadDim) + (a.qLoraRank ? h * a.qLoraRank : 0);
      attention = q + kvA + kvB + m.heads * a.vHeadDim * h - replicated;
    } else {
      const qOut = m.heads * m.headDim;
      const kvOut = m.kvHeads * m.headDim;
      kvProj = 2 * h * kvOut;
      attention = h * qOut + qOut * h;
      if (m.qkvBias) attention += qOut + 2 * kvOut + (m.modelType === 'gpt_oss' ? h : 0);
      if (m.modelType === 'gpt_oss') attention += m.heads; // attention sinks
      if (m.qkNorm) attention += 2 * m.headDim;
    }
    const isMoe = m.moe?.moeLayers[i] ?? false;
    const matrices = m.gatedMlp ? 3 : 2;
    let mlp = 0;
    let experts = 0;
    let router = 0;
    let activeExperts = 0;
    if (isMoe && m.moe) {
      const e = m.moe;
      const perExpert = matrices * h * e.expertIntermediate + (e.expertBias ? 2 * e.expertIntermediate + h : 0);
      experts = e.numExperts * perExpert;
      activeExperts = e.topK * perExpert;
      router = h * e.numExperts + (e.expertBias ? e.numExperts : 0);
      if (e.sharedIntermediate) {
        mlp = matrices * h * e.sharedIntermediate;
        if (m.modelType === 'qwen2_moe') mlp += h; // shared_expert_gate
      }
    } else {
      mlp = matrices * h * m.intermediate + (m.gatedMlp ? 0 : m.intermediate + h);
    }
    out.push({ attention, kvProj, kvHeads: m.kvHeads, replicated, mlp, experts, activeExperts, router, norms: m.normsPerLayer * h });
  }
  return out;
}

/** KV-cache elements per token per layer, for the whole model (before TP split). */
export function kvElementsPerTokenPerLayer(m: ModelSpec): number {
  if (m.mla) return m.mla.kvLoraRank + m.mla.qkRopeHeadDim; // one latent, shared by K and V
  return 2 * m.kvHeads * m.headDim;
}

/** The model with its recurrent state in the dtype a --mamba-ssm(-cache)-dtype flag names (`auto`: unchanged). */
export function withStateDtype(m: ModelSpec, dtype: string | undefined): ModelSpec {
  if (!m.recurrent || !dtype || dtype === 'auto') return m;
  const bytes = /32|float$/.test(dtype) ? 4 : /16/.test(dtype) ? 2 : undefined;
  if (!bytes) return m;
  return { ...m, recurrent: { ...m.recurrent, stateDtypeBytes: bytes, dtypeSource: `${dtype} as set` } };
}
