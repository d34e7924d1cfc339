/**
 * What a `config.json` holds that the estimator does not model. The generic reader (model.ts) sizes every layer as
 * Llama-style attention + MLP from a handful of fields; for an architecture it does not know, or a field that changes
 * what a layer is (recurrent mixers, sparse-attention indexers, compressed KV, per-layer block configs, latent MoE,
 * vision towers), that reading can be far off. This file names each such thing so the estimate says so instead of
 * giving a confident number.
 *
 * Field meanings are from the engines' model code as summarized in the project's research note on 2026 architectures
 * (vLLM vllm-project/vllm@9aaf83ef, SGLang sgl-project/sglang@8905cbd4 / @29481685, transformers NemotronHConfig).
 */

type Json = Record<string, unknown>;

/** model_type values model.ts reads exactly (their own branches for attention pattern, MoE layout, biases, norms). */
// MiniCPM (MiniCPMForCausalLM) is Llama-shaped: scale_emb / scale_depth / dim_model_base scale activations, not weights
// (MiniCPM-2B: 2.72 B, the card's 2.4 B without embeddings; the MoE-8x2B variant 13.6 B without embeddings).
// MiniCPM-V 2 (`minicpmv`) keeps that language model's fields at its top level (its tower: encoders/minicpmVision.ts).
export const EXACT_MODEL_TYPES = /^(llama|llama4_text|mistral|mixtral|qwen2|qwen2_moe|qwen3|qwen3_moe|phi3|gemma|gemma2|gemma3_text|deepseek_v2|deepseek_v3|gpt_oss|granite|codellama|phi|minicpm|minicpmv)$/;

/**
 * Other model_type values that are one of those architectures under another name: Kimi-K2 is DeepSeek-V3 (MLA + MoE;
 * its config maps to DeepseekV3ForCausalLM and the DeepSeek-V3 shapes reproduce its published 1,026 B parameters).
 */
const SAME_AS_EXACT = new Map([['kimi_k2', 'deepseek_v3']]);

/** Decoder classes the engines load with the Llama / Mistral / DeepSeek code whatever model_type says. */
const EXACT_ARCHITECTURES = /^(LlamaForCausalLM|MistralForCausalLM|DeepseekV2ForCausalLM|DeepseekV3ForCausalLM)$/;

/** Types whose MLA latent cache (`kv_lora_rank`) is the DeepSeek-V2/V3 layout model.ts reads. */
const MLA_TYPES = /^(deepseek_v2|deepseek_v3|kimi_k2)$/;
/** Types that carry MTP layers in normal use; model.params excludes them by contract (they load only for MTP drafting). */
const MTP_TYPES = /^(deepseek_v3|kimi_k2)$/;

/** What is not modelled, and how it was read instead. */
export interface Unmodelled {
  /** Each thing not modelled: `<field>: <what it means> — <what is missing>`. */
  items: string[];
  /** Encoders beside the language model that are not counted (`vision_config`, `audio_config`, …). */
  towers: string[];
  /** The language model itself is read exactly; only parts beside it (a vision tower) are missing. */
  textModelExact: boolean;
  /** What the estimate assumed instead, in one phrase. */
  assumed: string;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const has = (c: Json, k: string): boolean => c[k] !== undefined && c[k] !== null && c[k] !== false;
const keysLike = (c: Json, re: RegExp): string[] => Object.keys(c).filter((k) => re.test(k) && has(c, k));

/** A field check: the items it adds for this config (none when it does not apply). */
type Check = (c: Json, modelType: string) => string[];

/** Attention kinds model.ts's layerAttention reads from `layer_types` (sliding entries with sliding_window, else full). */
const ATTENTION_LAYER = /^(full|sliding)(_attention)?$|^attention$/;

/** What a `layer_types` entry the reader does not know is, in words. */
function layerKind(t: string): string {
  if (/linear/.test(t)) return `${t} (linear attention: a fixed recurrent state instead of KV)`;
  if (/mamba|ssm/.test(t)) return `${t} (Mamba: a fixed recurrent state instead of KV)`;
  if (/conv/.test(t)) return `${t} (short convolution: a small fixed state instead of KV)`;
  return `${t} (an attention kind not modelled: sparse, compressed or indexed KV)`;
}

function countBy(list: unknown[]): string {
  const counts = new Map<string, number>();
  for (const t of list) counts.set(String(t), (counts.get(String(t)) ?? 0) + 1);
  return [...counts].map(([t, n]) => `${n} ${t}`).join(', ');
}

const CHECKS: Check[] = [
  // Hybrid / recurrent layers.
  (c) => (typeof c.hybrid_override_pattern === 'string'
    ? [`hybrid_override_pattern "${String(c.hybrid_override_pattern).slice(0, 24)}${String(c.hybrid_override_pattern).length > 24 ? '…' : ''}": Mamba-2 (M), attention (*), MoE (E) and MLP (-) layers, one block each — the Mamba recurrent state per request and the missing KV of non-attention layers are not modelled`]
    : []),
  (c) => (Array.isArray(c.layers_block_type)
    ? [`layers_block_type (${countBy(c.layers_block_type)}): one block per layer (Mamba, attention, MoE or MLP) — the recurrent state per request and the missing KV of non-attention layers are not modelled`]
    : []),
  (c) => {
    const types = Array.isArray(c.layer_types) ? (c.layer_types as unknown[]) : [];
    const other = types.filter((t) => !ATTENTION_LAYER.test(String(t)));
    if (!other.length) return [];
    const kinds = [...new Set(other.map((t) => layerKind(String(t))))].join(', ');
    return [`layer_types (${countBy(types)}): ${other.length} of ${types.length} layers are ${kinds} — read as ordinary attention layers with a full KV cache, without any recurrent state`];
  },
  (c) => (num(c.full_attention_interval)
    ? [`full_attention_interval ${c.full_attention_interval}: only every ${c.full_attention_interval}th layer is full attention, the others linear attention — KV is counted for every layer`]
    : []),
  (c) => {
    const k = keysLike(c, /^linear_(num_key_heads|num_value_heads|key_head_dim|value_head_dim|conv_kernel_dim)$/);
    return k.length ? [`${k.join(', ')}: gated DeltaNet (linear attention) mixer — its weights and conv + delta state are not counted`] : [];
  },
  (c) => (has(c, 'linear_attn_config')
    ? ['linear_attn_config: Kimi Delta Attention layers beside MLA layers — their weights and recurrent state are not modelled; every layer is read as MLA']
    : []),
  (c) => {
    const k = keysLike(c, /^(mamba_|ssm_)/).filter((f) => !/_dtype$/.test(f));
    return k.length ? [`${k.slice(0, 4).join(', ')}${k.length > 4 ? ', …' : ''}: Mamba-2 mixer shapes — the mixer's weights and recurrent (conv + SSM) state are not counted`] : [];
  },
  (c) => {
    const k = keysLike(c, /^(mamba_ssm_dtype|mamba_ssm_cache_dtype)$/);
    return k.length ? [`${k.map((f) => `${f} ${String(c[f])}`).join(', ')}: the dtype the engines keep the recurrent state in — that state is not counted`] : [];
  },
  (c) => (Array.isArray(c.attn_type_list) && (c.attn_type_list as unknown[]).some((t) => t === 0)
    ? [`attn_type_list: ${(c.attn_type_list as unknown[]).filter((t) => t === 0).length} of ${(c.attn_type_list as unknown[]).length} layers are lightning (linear) attention — their recurrent state is not modelled and KV is counted for them`]
    : []),
  (c) => (has(c, 'full_attn_idxs') || has(c, 'conv_L_cache')
    ? ['full_attn_idxs / conv_L_cache: short-convolution layers between attention layers — their conv state is not modelled and KV is counted for every layer']
    : []),
  (c) => (has(c, 'hybrid_layer_pattern')
    ? ['hybrid_layer_pattern: sliding-window and full-attention layers with their own head counts (swa_*) — read as one attention shape on every layer, without the window']
    : []),
  (c) => (c.use_cla === true
    ? [`use_cla (cla_share_factor ${String(c.cla_share_factor ?? '?')}): layers share KV across layers — KV is counted for every layer`]
    : []),
  (c) => (Array.isArray(c.cross_attention_layers)
    ? [`cross_attention_layers (${(c.cross_attention_layers as unknown[]).length}): image cross-attention layers — their weights and fixed image KV are read as ordinary self-attention layers`]
    : []),
  // Sparse attention and compressed KV.
  (c) => {
    const k = keysLike(c, /^(index_topk|index_head_dim|index_n_heads)$/);
    return k.length ? [`${k.join(', ')}: sparse-attention lightning indexer — its weights (replicated on every GPU) and its per-token key cache are not counted`] : [];
  },
  (c) => (Array.isArray(c.compress_ratios)
    ? ['compress_ratios: per-layer compressed KV (4:1 / 128:1) plus a sliding-window cache — KV is counted uncompressed on every layer']
    : []),
  (c) => (has(c, 'sparse_attention_config')
    ? ['sparse_attention_config: block-sparse attention with an index-key cache — the index keys and indexer weights are not counted']
    : []),
  (c, t) => (num(c.kv_lora_rank) && !MLA_TYPES.test(t)
    ? [`kv_lora_rank on model_type "${t}": read as a DeepSeek-V2/V3 MLA latent cache; this architecture's attention layout is not checked`]
    : []),
  (c) => {
    const k = keysLike(c, /^(hc_mult|o_lora_rank|o_groups|num_hash_layers)$/);
    return k.length ? [`${k.join(', ')}: hyper-connections, grouped low-rank output projection and hash-routed layers — their weights are not counted`] : [];
  },
  // Per-layer shapes.
  (c) => (Array.isArray(c.block_configs)
    ? [`block_configs (${(c.block_configs as unknown[]).length} layers): per-layer attention (some no-op, no KV) and FFN widths — read as identical layers from the top-level fields`]
    : []),
  (c) => {
    // Gemma 4: the two counts are 0 when the feature is off.
    const counts = ['num_kv_shared_layers', 'hidden_size_per_layer_input'].filter((f) => (num(c[f]) ?? 0) > 0);
    const k = [...keysLike(c, /^(global_head_dim|num_global_key_value_heads|attention_k_eq_v|use_double_wide_mlp|enable_moe_block)$/), ...counts];
    return k.length ? [`${k.join(', ')}: full-attention layers with their own head size / KV heads (K = V), KV-shared layers, per-layer embeddings or an MoE beside the dense MLP — read as one attention shape and MLP on every layer`] : [];
  },
  (c) => (has(c, 'dense_intermediate_size')
    ? ['dense_intermediate_size: the dense layers\' MLP width differs from intermediate_size — not read']
    : []),
  // MoE layouts the generic MoE reader does not know.
  (c) => {
    const k = keysLike(c, /^(moe_latent_size|routed_expert_hidden_size)$/);
    return k.length ? [`${k.join(', ')}: latent MoE — experts run in a narrower latent width behind replicated projections; they are counted at hidden_size`] : [];
  },
  (c) => {
    const k = keysLike(c, /^(moe_shared_expert_intermediate_size|shared_intermediate_size|share_expert_dim|num_shared_experts|num_shared_expert|expert_intermediate_size|moe_topk|num_experts_per_token|top_k_experts)$/);
    return k.length ? [`${k.join(', ')}: MoE fields under names the reader does not know — shared-expert width, expert width or top-k fall back to defaults`] : [];
  },
  // MTP / draft layers (loaded only for MTP speculative decoding).
  (c, t) => {
    const k = keysLike(c, /^(num_nextn_predict_layers|mtp_num_hidden_layers|num_mtp_modules|mtp_transformer_layers|mtp_hybrid_override_pattern|mtp_layers_block_type)$/)
      .filter((f) => !(f === 'num_nextn_predict_layers' && MTP_TYPES.test(t)) && (num(c[f]) ?? 1) > 0);
    return k.length ? [`${k.join(', ')}: MTP draft layers — not counted (loaded only for MTP speculative decoding)`] : [];
  },
  // Fields of older or non-Llama layouts under other names.
  (c) => {
    const k = keysLike(c, /^(ffn_hidden_size|inner_hidden_size|padded_vocab_size|kv_channels|num_kv_heads|multi_query|multi_query_attention|new_decoder_architecture|parallel_attn|alibi)$/);
    return k.length ? [`${k.join(', ')}: MLP width, vocabulary, head size or KV heads under names the generic reader does not read — defaults may be used instead`] : [];
  },
];

/** Encoder-only models (BERT and kin): served for pooling, no KV cache grows. */
const ENCODER = /^(bert|roberta|xlm-roberta|distilbert|nomic_bert|new|modernbert|electra|deberta(-v2)?|mpnet)$/;

/** Wrapper keys that mean a vision (or audio) encoder the engine loads beside the language model. */
function encoderTowers(raw: Json, architecture: string): string[] {
  const towers = ['vision_config', 'visual', 'vision_tower', 'vision_encoder', 'audio_config'].filter((k) => has(raw, k));
  if (keysLike(raw, /^vt_/).length && !towers.includes('vision_config')) towers.push('vt_* (vision tower)');
  if (!towers.length && has(raw, 'text_config') && /ForConditionalGeneration$/.test(architecture)) towers.push(`${architecture} (its vision tower; this config omits vision_config)`);
  return towers;
}

/**
 * What is not modelled in this config, or undefined when the estimator reads it exactly.
 * `text` is the language model's config (the `text_config` of a multimodal wrapper, else the config itself).
 */
export function unmodelledFields(raw: Json, text: Json, modelType: string, architecture: string, read: { familyExact?: boolean; encodersCounted?: boolean } = {}): Unmodelled | undefined {
  const items: string[] = [];
  const towers = read.encodersCounted ? [] : encoderTowers(raw, architecture);
  if (read.familyExact) {
    // A family reader (estimator/families/) reads this language model exactly, its own fields included.
    for (const t of towers) items.push(`${t}: ${t === 'audio_config' ? 'audio' : 'vision'} encoder and projector — not counted in the weights`);
    return items.length ? { items, towers, textModelExact: true, assumed: towersAssumed(modelType) } : undefined;
  }
  const textArchitecture = String((Array.isArray(text.architectures) && text.architectures[0]) || architecture);
  const exactType = EXACT_MODEL_TYPES.test(modelType) || SAME_AS_EXACT.has(modelType) || EXACT_ARCHITECTURES.test(textArchitecture);
  if (ENCODER.test(modelType) || /^(Bert|Roberta|XLMRoberta|DistilBert|NomicBert|ModernBert)/.test(architecture)) {
    items.push(`model_type "${modelType}" is an encoder-only model: engines serve it for embeddings or scoring with no growing KV cache — read as a decoder with one`);
  } else if (!exactType) {
    items.push(`model_type "${modelType}" is not modelled`);
  }
  const fields = { ...raw, ...text };
  delete fields.text_config;
  for (const check of CHECKS) items.push(...check(fields, modelType));
  const textModelExact = items.length === 0;
  for (const t of towers) items.push(`${t}: ${t === 'audio_config' ? 'audio' : 'vision'} encoder and projector — not counted in the weights`);
  if (!items.length) return undefined;
  const assumed = textModelExact
    ? towersAssumed(modelType)
    : `a generic decoder: every layer with ${num(fields.kv_lora_rank) ? 'an MLA latent KV cache (kv_lora_rank + qk_rope_head_dim)' : 'full attention KV (num_key_value_heads × head_dim)'} and a gated MLP of intermediate_size (experts when the config names them)`;
  return { items, towers, textModelExact, assumed };
}

const towersAssumed = (modelType: string): string =>
  `the language model (model_type "${modelType}") alone: weights per GPU read low by the encoder's size (a vision tower is commonly 0.4–0.6 B parameters) and the KV room high by as much`;

/** How the warning for an architecture read only as a generic decoder begins (the verdict marks such numbers rough). */
const GENERIC_READ_PREFIX = 'Architecture not modelled';

const encoderName = (towers: string[]): string => (towers.every((t) => t === 'audio_config') ? 'Audio encoder' : 'Vision tower');

/** The warning's text: what is not modelled and what was assumed, with how much to trust the numbers. */
export function unmodelledMessage(u: Unmodelled, architecture: string): string {
  if (u.textModelExact) {
    return `${encoderName(u.towers)} not counted in the weights: ${architecture}'s language model is modelled, but not its ${u.towers.join(', ')}. Assumed instead: ${u.assumed}.`;
  }
  return `${GENERIC_READ_PREFIX} (${architecture}): ${u.items.join('; ')}. Assumed instead: ${u.assumed}. Parameters, weights per GPU, KV capacity and latency are rough and may be far off.`;
}
