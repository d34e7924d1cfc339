/**
 * The drafter of speculative decoding as the engines load it: its weights beside the target's, the KV its attention
 * layers add to every token of the shared pool, and the lookahead slots each running sequence holds.
 *
 * Sources (engine code followed):
 * - vLLM v1 spec_decode/eagle.py `EagleProposer.load_model`: the EAGLE head's embed_tokens is the target's when the
 *   shapes match; its lm_head is the target's except for EAGLE-3, whose checkpoint carries its own over
 *   `draft_vocab_size` rows. llama_eagle.py: `fc` 2·d → d, then ordinary Llama decoder layers. llama_eagle3.py: `fc`
 *   3·d_target → d (the target's three auxiliary hidden states), the first layer's qkv_proj reads 2·d ([embeds; hidden]),
 *   an extra `hidden_norm`.
 * - vLLM deepseek_mtp.py `DeepSeekMultiTokenPredictor`: all `num_nextn_predict_layers` layers are built and step i uses
 *   layer i % n, so the MTP weights and draft KV layers do not grow with num_speculative_tokens (model.ts counts them).
 * - vLLM draft-model proposer: a whole second model with its own layers; config/speculative.py
 *   `_verify_and_get_draft_tp` takes draft_tensor_parallel_size (default the target's TP; 1 replicates the draft on
 *   every rank).
 * - vLLM gpu_model_runner.py `initialize_attn_backend` / `get_kv_cache_spec` read every AttentionLayerBase of the
 *   VllmConfig, the drafter's included: one pool, whose bytes per token grow by the draft's layers (research note §3.1,
 *   open question 1: the grouping is recalled, not re-read).
 * - vLLM v1/core/sched/scheduler.py: `num_lookahead_tokens = num_speculative_tokens` for EAGLE-style methods (eagle,
 *   eagle3, mtp) and draft models, 0 for ngram / suffix / medusa; `allocate_slots` reserves them per running request.
 * - SGLang eagle_worker.py: the draft ModelRunner is built after the target's, which has already sized its pool from
 *   mem_fraction_static (so draft weights take the share outside it: the +2 GiB reserve of
 *   server_args._handle_gpu_memory_settings); `set_embed_and_head` shares the target's embedding and head (EAGLE-3:
 *   the embedding only). Its draft KV scales the per-token cell by (1 + draft layers / target layers)
 *   (DefaultPoolConfigurator), which is the same bytes per token as adding the draft's layers.
 */
import type { EngineName } from '../plan/types';
import { keepsKv } from './model';
import type { ModelSpec } from './model';
import { countParams } from './model';
import { kvBytesPerTokenPerGpu, layerKvBytesPerGpu, layerKvOf, Parallelism, weightBytesPerGpu } from './memory';
import { bf16Format, WeightFormat, weightFormatFromConfig } from './quantization';
import type { SpeculativeConfig } from './speculative';

type Json = Record<string, unknown>;

export interface DrafterMemory {
  /** Drafter weights on one GPU, beside the target's. */
  weightsBytesPerGpu: number;
  /** KV bytes per token the drafter's attention layers add on one GPU. */
  kvBytesPerTokenPerGpu: number;
  /** Draft layers that keep KV. */
  kvLayers: number;
  /** KV slots each running sequence holds beyond its tokens (the draft tokens verified next step). */
  lookaheadTokens: number;
  /** GPUs the drafter is sharded over. */
  tp: number;
  /** How it was counted (an assumption of the estimate). */
  note: string;
  /** What is not counted, when something is not (a finding). */
  unmodelled?: string;
}

export interface DrafterInputs {
  spec: SpeculativeConfig;
  target: ModelSpec;
  /** The target's weight format (MTP layers are the checkpoint's own and share it). */
  format: WeightFormat;
  kvElem: number;
  par: Parallelism;
  engine: EngineName;
  /** The draft checkpoint's config.json when its id is known (catalog or Hub lookup). */
  draftConfig?: Json;
  /** The draft checkpoint read as a model (draft_model / STANDALONE). */
  draftModel?: ModelSpec;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const gb = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

/** Methods that draft without a network: nothing loaded, no draft KV, no lookahead slots. */
const MODEL_FREE = /^(ngram|suffix|lookahead|ngram_gpu)$/;

/** The shape of an EAGLE head: Llama decoder layers of the draft's own config, or the target's when it is not known. */
export interface EagleShape {
  hidden: number;
  targetHidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  layers: number;
  /** Rows of the EAGLE-3 head's own lm_head (0: the target's is shared). */
  ownVocab: number;
}

/** An EAGLE head's shape from its config.json (LlamaForCausalLMEagle3 / EagleLlamaForCausalLM), or the target's. */
export function eagleShape(method: string, target: ModelSpec, c?: Json): EagleShape {
  const eagle3 = method === 'eagle3';
  const hidden = num(c?.hidden_size) ?? target.hidden;
  const heads = num(c?.num_attention_heads) ?? target.heads;
  return {
    hidden,
    targetHidden: num(c?.target_hidden_size) ?? target.hidden,
    heads,
    kvHeads: num(c?.num_key_value_heads) ?? (c ? heads : target.kvHeads),
    headDim: num(c?.head_dim) ?? (c ? hidden / heads : target.headDim),
    // An MoE target's EAGLE head is a dense Llama layer: the target's dense width stands in when the draft is unknown.
    intermediate: num(c?.intermediate_size) ?? target.intermediate,
    layers: num(c?.num_hidden_layers) ?? 1,
    ownVocab: eagle3 ? num(c?.draft_vocab_size) ?? num(c?.vocab_size) ?? target.vocab : 0,
  };
}

/**
 * Parameters of an EAGLE head as vLLM builds it (llama_eagle.py / llama_eagle3.py), split into what TP shards
 * (attention, MLP, the EAGLE-3 lm_head) and what every rank holds whole (fc, norms).
 */
export function eagleParams(method: string, s: EagleShape): { sharded: number; replicated: number } {
  const eagle3 = method === 'eagle3';
  const qkvOut = (s.heads + 2 * s.kvHeads) * s.headDim;
  let sharded = 0;
  let replicated = 0;
  for (let i = 0; i < s.layers; i++) {
    // EAGLE-3's first layer reads [embeds; hidden] (2·d) into qkv_proj.
    const qkvIn = eagle3 && i === 0 ? 2 * s.hidden : s.hidden;
    sharded += qkvIn * qkvOut + s.heads * s.headDim * s.hidden + 3 * s.hidden * s.intermediate;
    replicated += (eagle3 && i === 0 ? 3 : 2) * s.hidden; // input, (hidden_norm,) post-attention norms
  }
  replicated += (eagle3 ? 3 * s.targetHidden : 2 * s.hidden) * s.hidden + s.hidden; // fc + final norm
  sharded += s.ownVocab * s.hidden;
  return { sharded, replicated };
}

/** Bytes per token of `layers` KV layers shaped like the target's first full-attention layer, on one GPU. */
function targetShapedKv(target: ModelSpec, kvElem: number, tp: number, layers: number): number {
  const i = target.attention.findIndex((a) => keepsKv(a) && a.kind === 'full');
  const index = i >= 0 ? i : target.attention.findIndex((a) => keepsKv(a));
  return index < 0 ? 0 : layers * layerKvBytesPerGpu(layerKvOf(target, index), kvElem, tp);
}

/** Lookahead slots per running sequence (vLLM / TensorRT-LLM: k for every method that runs a draft network). */
function lookahead(engine: DrafterInputs['engine'], k: number): number {
  // SGLang sizes its draft slots beside the pool (model_runner.init_memory_pool: + max_num_reqs × (steps × topk +
  // draft tokens)), not out of each request's KV.
  return engine === 'sglang' ? 0 : k;
}

const none = (tp: number, note: string, unmodelled?: string): DrafterMemory => ({ weightsBytesPerGpu: 0, kvBytesPerTokenPerGpu: 0, kvLayers: 0, lookaheadTokens: 0, tp, note, ...(unmodelled ? { unmodelled } : {}) });

/** The drafter's memory for a speculative config (zero for the model-free methods). */
export function drafterMemory(x: DrafterInputs): DrafterMemory {
  const method = x.spec.method.toLowerCase();
  const k = Math.max(1, Math.floor(x.spec.numTokens));
  const tp = x.spec.draftTensorParallel ?? x.par.tp;
  if (MODEL_FREE.test(method)) return none(tp, `speculative ${method}: drafts by lookup, no drafter weights, draft KV or lookahead slots`);
  if (method === 'mtp') {
    const mtp = x.target.mtp;
    if (!mtp) return none(tp, 'MTP drafting: no MTP layers in the checkpoint', 'speculative MTP is set but the checkpoint declares no MTP layers (num_nextn_predict_layers / mtp_num_hidden_layers): the engine will refuse it, and no drafter is counted');
    // MTP layers are decoder layers like the model's own: the average layer's bytes per parameter stands in for their mix.
    const weights = (mtp.params * x.format.linearBytes) / x.par.tp;
    const kv = targetShapedKv(x.target, x.kvElem, x.par.tp, mtp.kvLayers);
    return {
      weightsBytesPerGpu: weights, kvBytesPerTokenPerGpu: kv, kvLayers: mtp.kvLayers, lookaheadTokens: lookahead(x.engine, k), tp: x.par.tp,
      note: `MTP drafter: the checkpoint's ${mtp.kvLayers} MTP layer(s), ${(mtp.params / 1e9).toFixed(2)} B parameters (${gb(weights)} per GPU), ${mtp.kvLayers} more KV layer(s) in the pool (${k} draft tokens reuse them)`,
    };
  }
  if (method === 'eagle' || method === 'eagle3') {
    const s = eagleShape(method, x.target, x.draftConfig);
    const p = eagleParams(method, s);
    // EAGLE heads are shipped unquantized (bf16) whatever the target's format; vLLM reads the draft's own quant config.
    const weights = (p.sharded * 2) / tp + p.replicated * 2;
    const kvShape = { elements: 2 * s.kvHeads * s.headDim, heads: s.kvHeads };
    const kv = s.layers * layerKvBytesPerGpu(kvShape, x.kvElem, tp);
    const shape = x.draftConfig ? `from ${x.spec.draftModel}'s config` : `assumed: ${x.spec.draftModel ? `${x.spec.draftModel}'s config is not known` : 'no draft checkpoint named'}, so one Llama layer of the target's width (hidden ${s.hidden}, ${s.heads}/${s.kvHeads} heads, MLP ${s.intermediate})${method === 'eagle3' ? ` and its own lm_head over the full ${s.ownVocab}-token vocabulary` : ''}`;
    return {
      weightsBytesPerGpu: weights, kvBytesPerTokenPerGpu: kv, kvLayers: s.layers, lookaheadTokens: lookahead(x.engine, k), tp,
      note: `${method.toUpperCase()} drafter (${shape}): ${((p.sharded + p.replicated) / 1e9).toFixed(2)} B parameters in bf16 (${gb(weights)} per GPU at TP ${tp}), ${s.layers} more KV layer(s) in the pool`,
    };
  }
  if (method === 'draft_model') {
    const d = x.draftModel;
    if (!d) return none(tp, 'draft model: not counted', `the draft model${x.spec.draftModel ? ` ${x.spec.draftModel}` : ''} is not known (neither in the catalog nor looked up): its weights and its own KV layers are not counted, so the KV pool is overstated`);
    const dpar: Parallelism = { tp, pp: 1, ep: 1 };
    // The draft checkpoint's own format (vLLM builds the draft with its own quant config); 16-bit when it is not known.
    const format = x.draftConfig ? weightFormatFromConfig(x.draftConfig) : bf16Format;
    const weights = weightBytesPerGpu(d, format, dpar, countParams(d));
    const kv = kvBytesPerTokenPerGpu(d, x.kvElem, dpar);
    const layers = d.attention.filter(keepsKv).length;
    return {
      weightsBytesPerGpu: weights, kvBytesPerTokenPerGpu: kv, kvLayers: layers, lookaheadTokens: lookahead(x.engine, k), tp,
      note: `draft model ${x.spec.draftModel}: ${gb(weights)} of weights per GPU at TP ${tp} (${format.name}), its ${layers} KV layers share the pool (the same page size as the target's assumed)`,
    };
  }
  return none(tp, `speculative ${method}: drafter not counted`, `the ${method} drafter's weights and KV are not modelled (not counted)`);
}
