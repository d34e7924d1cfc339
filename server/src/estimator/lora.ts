/**
 * LoRA serving memory, per engine, from the shapes of the buffers each engine allocates (pure: no I/O; the adapters'
 * ranks arrive in the plan, read by the format reader from adapter_config.json).
 *
 * vLLM (vllm/lora/layers/*.create_lora_weights, allocated in LoRAModelManager inside load_model, so they are part of
 * "model loading" and come off the KV budget): every targeted module gets stacked zero buffers of max_loras slots at
 * max_lora_rank, in lora_dtype (auto = the model dtype). Per slot and TP rank:
 *   column-parallel (qkv_proj 3 slices, gate_up_proj 2, single 1): A n·r·in (replicated; fully-sharded: r/t), B r·Σout/t
 *     (base_linear.py BaseLinearLayerWithLoRA, column_parallel_linear.py MergedQKVParallelLinearWithLoRA);
 *   row-parallel (o_proj, down_proj): A r·in/t, B r·out (replicated; fully-sharded: out/t) (row_parallel_linear.py);
 *   replicated linears (MLA's q_a / kv_a): both whole;
 *   FusedMoE: w13 A 2·E·r·hidden + B 2·E·I·r, w2 A E·r·I + B E·hidden·r over the rank's experts (E/EP whole, else all
 *     experts with I/t) (fused_moe.py FusedMoEWithLoRA);
 *   lm_head B the full vocab × r and the embedding A (vocab + extra) × r, whole on every rank (logits_processor.py,
 *     vocab_parallel_embedding.py), where targeted.
 * Before 0.12 (lora_extra_vocab_size, removed by vllm#28382) the base embedding grew by extra × max_loras rows and the
 * LM head by extra rows, and embeddings_tensors (max_loras, extra, hidden) sat beside both.
 * Punica metadata (punica_base.py PunicaWrapperBase.__init__, punica_gpu.py LoRAKernelMeta) and the fp32 shrink buffer of
 * one linear call (n_slices, tokens, r) (punica_gpu.add_lora_linear) are counted too; both are small.
 *
 * SGLang (python/sglang/srt/lora/mem_pool.py LoRAMemoryPool.get_lora_A_shape / get_lora_B_shape): per layer and
 * target module A (slots, stacked·r, in, /t for o_proj/down_proj), B (slots, out, r, /t unless row-parallel) — the
 * same per-slot bytes as vLLM's non-fully-sharded layout — with slots = max_loras_per_batch (default 8, one of them
 * the base model's), allocated by init_lora_manager before init_memory_pool: off the KV pool.
 *
 * TGI (server/text_generation_server/adapters/lora.py): every adapter of LORA_ADAPTERS is moved to the GPU at startup
 * at its own rank padded by punica_sgmv.pad_rank, before the warm-up sizes the KV blocks; no slot limit.
 */
import type { EngineName, LoraKnobs } from '../plan/types';
import { kvHeadsPerGpu, Parallelism, stageLayers } from './memory';
import type { ModelSpec } from './model';
import { atLeast } from './engines/types';

/** vLLM config/lora.py LoRAConfig: the ranks max_lora_rank may take. */
export const VLLM_LORA_RANKS = [1, 8, 16, 32, 64, 128, 256, 320, 512] as const;
/** vLLM LoRAConfig defaults: max_loras 1, max_lora_rank 16, lora_extra_vocab_size 256 (before 0.12). */
export const VLLM_LORA_DEFAULTS = { maxLoras: 1, maxLoraRank: 16, extraVocabSize: 256 } as const;
/** SGLang server_args: max_loras_per_batch 8. */
export const SGLANG_MAX_LORAS_PER_BATCH = 8;
/** The rank assumed where neither a flag nor a readable adapter_config.json gives one (vLLM's default max rank). */
export const ASSUMED_RANK = 16;
/** TGI punica_sgmv.MIN_SGMV_RANK: ranks are padded to a multiple of 8 (at least 8 × world size). */
const TGI_MIN_SGMV_RANK = 8;
/** vLLM lora_vocab_padding_size (before 0.12): the LM head's LoRA B rows are padded to a multiple of it. */
const VLLM_LORA_VOCAB_PADDING = 256;

/** A module family LoRA can target, by the packed names engines use (q/k/v → qkv_proj, gate/up → gate_up_proj). */
export type LoraModule = 'qkv_proj' | 'o_proj' | 'gate_up_proj' | 'down_proj' | 'experts' | 'embed_tokens' | 'lm_head';
const LINEAR_MODULES: readonly LoraModule[] = ['qkv_proj', 'o_proj', 'gate_up_proj', 'down_proj', 'experts'];

/** PEFT / engine module names → the packed family (unknown names are ignored: they target nothing we size). */
export function loraModuleOf(name: string): LoraModule | undefined {
  const n = name.split('.').pop()!.toLowerCase();
  if (/^(q|k|v|qkv|query_key_value|c_attn|wqkv|q_a|q_b|kv_a|kv_b|kv_a_proj_with_mqa|fused_qkv_a)(_proj)?$/.test(n)) return 'qkv_proj';
  if (/^(o|out|dense|c_proj|wo)(_proj)?$/.test(n)) return 'o_proj';
  if (/^(gate|up|gate_up|w1|w3|fc1|c_fc|dense_h_to_4h)(_proj)?$/.test(n)) return 'gate_up_proj';
  if (/^(down|w2|fc2|dense_4h_to_h)(_proj)?$/.test(n)) return 'down_proj';
  if (n === 'experts') return 'experts';
  if (n === 'embed_tokens' || n === 'wte' || n === 'word_embeddings') return 'embed_tokens';
  if (n === 'lm_head') return 'lm_head';
  return undefined;
}

/** LoRA settings after the engine's defaults. */
export interface ResolvedLora {
  engine: EngineName;
  /** GPU slots (vLLM max_loras, SGLang max_loras_per_batch, TGI: the adapters listed). */
  slots: number;
  /** The rank each slot is padded to. */
  rank: number;
  /** Adapters cached in host RAM per worker (vLLM max_cpu_loras, SGLang max_loaded_loras); 0 = none beyond the GPU. */
  cpuCached: number;
  /** Extra vocabulary per adapter (vLLM before 0.12), else 0. */
  extraVocab: number;
  modules: LoraModule[];
  fullySharded: boolean;
  /** Ranks the adapter configs state (one per readable adapter). */
  adapterRanks: number[];
  notes: string[];
}

/** Engine defaults applied to the file's LoRA settings; `undefined` when LoRA is off or the engine has none modelled. */
export function resolveLora(engine: EngineName, lora: LoraKnobs | undefined, maxLoras: number | undefined, maxLoraRank: number | undefined, version: number[], model: ModelSpec): ResolvedLora | undefined {
  if (!lora || engine === 'trtllm') return undefined;
  const notes: string[] = [];
  const adapterRanks = lora.adapters.map((a) => a.config?.rank).filter((r): r is number => r !== undefined);
  const adapterModules = lora.adapters.flatMap((a) => a.config?.targetModules ?? []);
  const named = lora.targetModules?.value;
  const all = named?.some((n) => n === 'all' || n === 'all-linear');
  let modules: LoraModule[];
  if (named && !all) modules = unique(named.map(loraModuleOf));
  else if (engine !== 'vllm' && adapterModules.length && !all) modules = unique(adapterModules.map(loraModuleOf));
  else {
    modules = [...LINEAR_MODULES];
    // vLLM ≤ 0.11 listed embed_tokens and lm_head among every decoder's supported LoRA modules (embedding_modules);
    // after the extra-vocab removal (0.12) whether they are still targeted by default is not confirmed: left out.
    if (engine === 'vllm' && !atLeast(version, 0, 12)) modules.push('embed_tokens', 'lm_head');
    else if (engine === 'vllm') notes.push('vLLM ≥ 0.12: embed_tokens / lm_head LoRA buffers counted only when --lora-target-modules names them (default not confirmed)');
  }
  if (!model.moe) modules = modules.filter((m) => m !== 'experts');
  else if (modules.includes('experts')) notes.push('LoRA on MoE experts counted as FusedMoEWithLoRA / SGLang MoE LoRA allocate it (per local expert); older engine versions without MoE LoRA are not distinguished');
  if (engine === 'vllm') {
    const slots = maxLoras ?? VLLM_LORA_DEFAULTS.maxLoras;
    return {
      engine, slots, rank: maxLoraRank ?? VLLM_LORA_DEFAULTS.maxLoraRank,
      // config/lora.py _validate_lora_config: max_cpu_loras None → max_loras.
      cpuCached: Math.max(slots, lora.maxCpuLoras?.value ?? slots),
      extraVocab: atLeast(version, 0, 12) ? 0 : lora.extraVocabSize?.value ?? VLLM_LORA_DEFAULTS.extraVocabSize,
      modules, fullySharded: !!lora.fullySharded?.value, adapterRanks, notes,
    };
  }
  if (engine === 'sglang') {
    const slots = maxLoras ?? SGLANG_MAX_LORAS_PER_BATCH;
    // server_args: max_lora_rank unset → the largest rank among --lora-paths (read from each adapter's config).
    let rank = maxLoraRank ?? (adapterRanks.length ? Math.max(...adapterRanks) : undefined);
    if (rank === undefined) {
      rank = ASSUMED_RANK;
      notes.push(`SGLang LoRA: no --max-lora-rank and no readable adapter_config.json; rank ${ASSUMED_RANK} assumed`);
    }
    return { engine, slots, rank, cpuCached: Math.max(slots, lora.maxCpuLoras?.value ?? 0), extraVocab: 0, modules, fullySharded: false, adapterRanks, notes };
  }
  // TGI: one resident copy per adapter at its padded rank; unknown ranks are assumed.
  const ranks = lora.adapters.map((a) => a.config?.rank ?? ASSUMED_RANK);
  if (lora.adapters.some((a) => a.config?.rank === undefined)) notes.push(`TGI LoRA: adapters without a readable adapter_config.json are sized at rank ${ASSUMED_RANK}`);
  return { engine, slots: lora.adapters.length, rank: ranks.length ? Math.max(...ranks) : ASSUMED_RANK, cpuCached: 0, extraVocab: 0, modules, fullySharded: false, adapterRanks, notes };
}

const unique = (xs: Array<LoraModule | undefined>): LoraModule[] => [...new Set(xs.filter((x): x is LoraModule => !!x))];

/** TGI punica_sgmv.pad_rank: at most MIN_SGMV_RANK × world size pads up to it, else up to a multiple of MIN_SGMV_RANK. */
export function tgiPaddedRank(rank: number, tp: number): number {
  const min = TGI_MIN_SGMV_RANK * tp;
  return rank <= min ? min : Math.ceil(rank / TGI_MIN_SGMV_RANK) * TGI_MIN_SGMV_RANK;
}

/** Elements of one slot's A and B buffers of one layer on one TP rank, at rank r (see the header for the shapes). */
export function layerSlotElements(m: ModelSpec, layer: number, modules: readonly LoraModule[], r: number, par: Parallelism, fullySharded = false): number {
  const t = par.tp;
  const has = (x: LoraModule) => modules.includes(x);
  const colA = (slices: number, input: number) => slices * (fullySharded ? r / t : r) * input;
  const column = (slices: number, input: number, outTotal: number) => colA(slices, input) + (r * outTotal) / t;
  const row = (input: number, output: number) => (r * input) / t + r * (fullySharded ? output / t : output);
  const H = m.hidden;
  let n = 0;
  if (has('qkv_proj')) {
    if (m.mla) {
      const a = m.mla;
      const qk = a.qkNopeHeadDim + a.qkRopeHeadDim;
      // Replicated q_a / kv_a (whole on every rank), column-parallel q_b (or q_proj) and kv_b.
      if (a.qLoraRank) n += r * H + a.qLoraRank * r + column(1, a.qLoraRank, m.heads * qk);
      else n += column(1, H, m.heads * qk);
      n += r * H + (a.kvLoraRank + a.qkRopeHeadDim) * r + column(1, a.kvLoraRank, m.heads * (a.qkNopeHeadDim + a.vHeadDim));
    } else {
      // MergedQKVParallelLinearWithLoRA: three A slices of the hidden size; B q heads / t and the rank's KV heads
      // (replicated once TP exceeds them).
      n += colA(3, H) + r * ((m.heads * m.headDim) / t + 2 * kvHeadsPerGpu(m, t) * m.headDim);
    }
  }
  if (has('o_proj')) n += row(m.heads * (m.mla ? m.mla.vHeadDim : m.headDim), H);
  const moeLayer = !!m.moe && (m.moe.moeLayers[layer] ?? true);
  const denseWidth = moeLayer ? m.moe!.sharedIntermediate : m.intermediate;
  if (denseWidth > 0) {
    const slices = m.gatedMlp ? 2 : 1;
    if (has('gate_up_proj')) n += column(slices, H, slices * denseWidth);
    if (has('down_proj')) n += row(denseWidth, H);
  }
  if (moeLayer && has('experts')) {
    const e = m.moe!;
    const local = par.ep > 1 ? Math.ceil(e.numExperts / par.ep) : e.numExperts;
    const I = par.ep > 1 ? e.expertIntermediate : e.expertIntermediate / t;
    const rA = fullySharded ? r / t : r;
    const slices = m.gatedMlp ? 2 : 1;
    n += local * (slices * rA * H + slices * I * r + r * I + (fullySharded ? H / t : H) * r);
  }
  return n;
}

/** One slot's LM-head and embedding elements (whole vocabulary on every rank), where targeted. */
function vocabSlotElements(m: ModelSpec, lora: ResolvedLora, r: number): number {
  let n = 0;
  const x = lora.extraVocab;
  if (lora.modules.includes('embed_tokens')) n += (m.vocab + x) * r + m.hidden * r + x * m.hidden;
  if (lora.modules.includes('lm_head')) {
    const rows = x ? Math.ceil((m.vocab + x) / VLLM_LORA_VOCAB_PADDING) * VLLM_LORA_VOCAB_PADDING : m.vocab;
    n += r * m.hidden + rows * r + x * m.hidden;
  }
  return n;
}

export interface LoraMemory {
  /** Every GPU-resident LoRA byte on the busiest GPU: the slots, the extra vocabulary rows, Punica buffers. */
  bytesPerGpu: number;
  /** One slot's bytes on the busiest GPU (the slots scale linearly). */
  bytesPerSlotPerGpu: number;
  /** Base-weight rows the extra vocabulary adds (vLLM before 0.12), included in bytesPerGpu. */
  extraVocabWeightBytesPerGpu: number;
  /** Punica index buffers and the transient fp32 shrink buffer (vLLM), included in bytesPerGpu. */
  metadataBytesPerGpu: number;
  /** Host RAM per worker process for the CPU-cached adapters (vLLM keeps pinned copies, each TP worker its own). */
  hostBytesPerWorker: number;
  source: string;
}

/**
 * The LoRA bytes on the busiest GPU and in host RAM. `dtypeBytes` is lora_dtype (auto: the model's activation dtype,
 * 2 for bf16/fp16 whatever the checkpoint's quantization); `tokens` is max_num_batched_tokens, `seqs` max_num_seqs.
 */
export function loraMemory(m: ModelSpec, lora: ResolvedLora, par: Parallelism, dtypeBytes: number, tokens: number, seqs: number): LoraMemory {
  const stages = stageLayers(m.layers, par.pp);
  const perSlotAt = (r: number, p: Parallelism, fs: boolean) => {
    let worst = 0;
    stages.forEach((layers, s) => {
      let n = 0;
      for (const i of layers) n += layerSlotElements(m, i, lora.modules, r, p, fs);
      if (s === 0 || s === stages.length - 1) n += vocabSlotElements(m, lora, r);
      worst = Math.max(worst, n);
    });
    return worst * dtypeBytes;
  };
  let slotBytes: number;
  let perSlot: number;
  if (lora.engine === 'tgi') {
    const ranks = lora.adapterRanks.length === lora.slots ? lora.adapterRanks : Array.from({ length: lora.slots }, (_, i) => lora.adapterRanks[i] ?? lora.rank);
    slotBytes = ranks.reduce((s, r) => s + perSlotAt(tgiPaddedRank(r, par.tp), par, false), 0);
    perSlot = lora.slots ? slotBytes / lora.slots : 0;
  } else {
    perSlot = perSlotAt(lora.rank, par, lora.fullySharded);
    slotBytes = perSlot * lora.slots;
  }
  // vLLM < 0.12: the embedding's extra rows (extra × max_loras, vocab-parallel) and the LM head's (extra, padded).
  const extraVocabWeight = lora.extraVocab ? ((lora.extraVocab * lora.slots + lora.extraVocab) * m.hidden * dtypeBytes) / par.tp : 0;
  // vLLM Punica: 5 int64 of T and 3 of max_num_seqs, two LoRAKernelMeta (2 int32 of T + 3 small), and one fp32 shrink
  // buffer (3 slices × T × r) of the widest linear call.
  const T = Math.ceil(tokens / 8) * 8;
  const metadata = lora.engine === 'vllm' ? 5 * 8 * T + 3 * 8 * seqs + 2 * (2 * 4 * T + 4 * (3 * lora.slots + 4)) + 3 * T * lora.rank * 4 : 0;
  // Host copies: whole adapters (TP-sliced only when activated), at the adapters' ranks where known.
  const single: Parallelism = { tp: 1, pp: 1, ep: 1 };
  const hostRank = lora.adapterRanks.length ? Math.max(...lora.adapterRanks) : lora.rank;
  const host = lora.cpuCached * perSlotAt(hostRank, single, false);
  return {
    bytesPerGpu: slotBytes + extraVocabWeight + metadata, bytesPerSlotPerGpu: perSlot, extraVocabWeightBytesPerGpu: extraVocabWeight,
    metadataBytesPerGpu: metadata, hostBytesPerWorker: host,
    source: lora.engine === 'vllm' ? 'vLLM lora/layers create_lora_weights: max_loras × max_lora_rank stacked A/B buffers per targeted module, per TP shard'
      : lora.engine === 'sglang' ? 'SGLang lora/mem_pool.py LoRAMemoryPool: max_loras_per_batch A/B buffers per layer and target module'
      : 'TGI adapters/lora.py: every LORA_ADAPTERS adapter resident on the GPU at its padded rank',
  };
}

/**
 * The most slots whose bytes stay within `share` of the memory they and the KV pool split (the engine takes the slots
 * off the KV budget, so slots + pool is fixed); 0 when even one slot is more.
 */
export function slotsWithinShare(mem: LoraMemory, kvPoolBytes: number, share: number): number {
  if (mem.bytesPerSlotPerGpu <= 0) return Infinity;
  // The extra-vocabulary rows (vLLM < 0.12) grow with the slots too; counted as fixed here (they are ~1 % of a slot).
  const fixed = mem.metadataBytesPerGpu + mem.extraVocabWeightBytesPerGpu;
  const budget = mem.bytesPerGpu + kvPoolBytes;
  return Math.max(0, Math.floor((share * budget - fixed) / mem.bytesPerSlotPerGpu));
}

/** The smallest rank vLLM accepts as max_lora_rank that holds `rank` (SGLang takes any rank). */
export function rankToSet(engine: EngineName, rank: number): number {
  if (engine !== 'vllm') return rank;
  return VLLM_LORA_RANKS.find((r) => r >= rank) ?? rank;
}
