/**
 * How each engine holds the recurrent state of hybrid models (attention layers beside gated-DeltaNet, Mamba-2 or KDA
 * layers) and what that leaves for KV. Source: the project's research note on 2026 architectures, §1 (vLLM v1
 * vllm@9aaf83ef, SGLang sglang@8905cbd4), restated where each rule is applied.
 */
import type { EngineModel } from './engines/types';
import { kvBytesPerTokenPerGpu, layerCounts, layerKvBytesPerGpu, layerKvOf, Parallelism, recurrentLayerStateBytesPerGpu, stageLayers } from './memory';
import { keepsKv, ModelSpec } from './model';

/** How vLLM keeps recurrent state for prefix caching (MambaModelConfig): `none` by default for hybrids. */
export type MambaCacheMode = 'none' | 'align' | 'all';

export interface HybridPoolInputs {
  model: ModelSpec;
  engine: EngineModel['name'];
  kvElem: number;
  par: Parallelism;
  /** The engine's KV budget per GPU (its pool formula before the state is split off). */
  poolBytes: number;
  maxModelLen: number;
  /** The engine's block size before the hybrid alignment (vLLM 16). */
  blockSize: number;
  /** Prefix caching as the user set it (vLLM turns it off for hybrids unless asked; SGLang's radix cache is on by default). */
  prefixCachingSet: boolean | undefined;
  maxNumSeqs: number;
  /** SGLang --mamba-full-memory-ratio (default 0.9), --max-mamba-cache-size, --disable-radix-cache. */
  sglang?: { fullMemoryRatio?: number; maxMambaCacheSize?: number; disableRadixCache?: boolean };
}

export interface HybridPool {
  /** Tokens per KV block (vLLM raises it until one block holds a whole recurrent state). */
  blockTokens: number;
  /** Tokens the attention KV holds as the engine logs it (vLLM "GPU KV cache size", SGLang max_total_num_tokens). */
  capacityTokens: number;
  /** Max-length requests that run at once, limited by whichever of KV and state runs out first. */
  maxConcurrency: number;
  /** One request's state on one GPU as stored (vLLM: padded to a whole attention block). */
  statePerRequestPerGpu: number;
  /** Bytes per GPU set apart for state outside the KV pool (SGLang's state pool, TensorRT-LLM's slots); 0 for vLLM. */
  statePoolBytes: number;
  /** Requests the separate state pool lets run at once (absent for vLLM, whose state shares the KV blocks). */
  stateRequestLimit?: number;
  mambaCacheMode?: MambaCacheMode;
  /** What the engine does, for the assumptions. */
  note: string;
}

const cdiv = (a: number, b: number): number => Math.ceil(a / b);
const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

/** Layers of each kind on the busiest pipeline stage (vLLM groups a stage's layers). */
function stageCounts(m: ModelSpec, par: Parallelism): { attention: number; recurrent: number } {
  let best = { attention: 0, recurrent: 0 };
  for (const ls of stageLayers(m.layers, par.pp)) {
    const c = { attention: 0, recurrent: 0 };
    for (const i of ls) {
      if (m.attention[i].kind === 'recurrent') c.recurrent++;
      else if (keepsKv(m.attention[i])) c.attention++;
    }
    if (c.attention + c.recurrent > best.attention + best.recurrent) best = c;
  }
  return best;
}

/**
 * The Mamba-2 scan's chunk, to which vLLM's `all` mode aligns blocks (lcm(mamba chunk size, align), platforms/
 * interface.py:628-638): every Nemotron-H config here has chunk_size 128, and only Mamba-2 models (SupportsMambaPrefixCaching)
 * take the `all` mode, so it is the only chunk the estimate needs (the note's 4,224-token Super block is 128 × 33).
 */
const MAMBA2_SCAN_CHUNK = 128;

/**
 * vLLM v1: one pool shared by attention and recurrent groups. Block size: `align × ceil(state page / (align × one
 * token's attention page))` so one block holds one request's state (platforms/interface.py _align_hybrid_block_size;
 * align = the attention backend's smallest block, 16 for FlashAttention, 64 for FlashMLA). Layers are grouped by kind
 * with the smaller count as the group size (the larger when they differ by < 1.5×, kv_cache_utils.py:1057-1176);
 * num_blocks = pool ÷ page ÷ group size; a request takes cdiv(len, B) blocks per attention group and 1 block (2 in
 * `align` mode, cdiv(max_model_len, B) in `all` mode) per recurrent group. The logged "GPU KV cache size" is
 * max_concurrency × max_model_len (kv_cache_utils.py:1709-1738).
 */
function vllmPool(x: HybridPoolInputs): HybridPool {
  const m = x.model;
  const r = m.recurrent!;
  const firstKv = m.attention.findIndex(keepsKv);
  const attnPage1 = layerKvBytesPerGpu(layerKvOf(m, firstKv), x.kvElem, x.par.tp);
  const statePage = recurrentLayerStateBytesPerGpu(m, x.par.tp);
  const align = Math.max(m.mla ? 64 : 16, x.blockSize);
  // Prefix caching is off for hybrids unless asked (config/model.py is_prefix_caching_supported); asked, Nemotron-H
  // (SupportsMambaPrefixCaching) caches every block's state, the others keep two states aligned to block boundaries.
  const mode: MambaCacheMode = x.prefixCachingSet ? (r.kind === 'mamba2' ? 'all' : 'align') : 'none';
  const unit = mode === 'all' ? (MAMBA2_SCAN_CHUNK * align) / gcd(MAMBA2_SCAN_CHUNK, align) : align;
  const blockTokens = unit * cdiv(statePage, unit * attnPage1);
  const page = blockTokens * attnPage1;
  const counts = stageCounts(m, x.par);
  const big = Math.max(counts.attention, counts.recurrent);
  const small = Math.min(counts.attention, counts.recurrent);
  const groupSize = big < 1.5 * small ? big : small;
  const attnGroups = cdiv(counts.attention, groupSize);
  const stateGroups = cdiv(counts.recurrent, groupSize);
  const numBlocks = Math.max(0, Math.floor(Math.floor(x.poolBytes / page) / groupSize));
  const stateBlocks = mode === 'all' ? cdiv(x.maxModelLen, blockTokens) : mode === 'align' ? 2 : 1;
  const perRequest = attnGroups * cdiv(x.maxModelLen, blockTokens) + stateGroups * stateBlocks;
  const maxConcurrency = numBlocks / perRequest;
  return {
    blockTokens, capacityTokens: Math.floor(maxConcurrency * x.maxModelLen), maxConcurrency,
    // A state block spans one page in each of the group's layer tensors (the last group's padding slots included).
    statePerRequestPerGpu: stateGroups * stateBlocks * page * groupSize,
    statePoolBytes: 0, mambaCacheMode: mode,
    note: `vLLM hybrid KV pool: ${counts.attention} attention + ${counts.recurrent} recurrent layers in groups of ${groupSize}; blocks of ${blockTokens} tokens so one block holds a request's state; each request takes ${stateGroups * stateBlocks} state block(s) beside its KV blocks${mode === 'none' ? ' (prefix caching off, as vLLM defaults for hybrid models)' : ` (prefix caching on: mamba_cache_mode ${mode})`}`,
  };
}

/**
 * SGLang: a separate state pool. The memory after weights splits by --mamba-full-memory-ratio r (default 0.9): the state
 * pool gets r/(1 + r) of it, the token KV pool the rest; slots = state pool ÷ one request's state; with the radix cache
 * on (default) the extra_buffer strategy keeps 5 slots per running request, 1 without it
 * (sglang@8905cbd4:python/sglang/srt/mem_cache/kv_cache_configurator.py:1572-1813).
 */
function sglangPool(x: HybridPoolInputs): HybridPool {
  const state = stateBytesPerGpu(x);
  const ratio = x.sglang?.fullMemoryRatio ?? 0.9;
  const slotsPerRequest = x.sglang?.disableRadixCache ? 1 : 5;
  const slotsSet = x.sglang?.maxMambaCacheSize ?? (x.sglang?.disableRadixCache && x.maxNumSeqs < 4096 ? x.maxNumSeqs : undefined);
  const budget = Math.max(0, x.poolBytes);
  const statePoolBytes = slotsSet !== undefined ? Math.min(budget, slotsSet * state) : (budget * ratio) / (1 + ratio);
  const slots = state > 0 ? Math.floor(statePoolBytes / state) : 0;
  const perToken = kvBytesPerTokenPerGpu(x.model, x.kvElem, x.par);
  const capacityTokens = Math.floor((budget - statePoolBytes) / perToken);
  const maxConcurrency = Math.min(Math.floor(slots / slotsPerRequest), capacityTokens / x.maxModelLen);
  return {
    blockTokens: 1, capacityTokens, maxConcurrency, statePerRequestPerGpu: state, statePoolBytes, stateRequestLimit: Math.floor(slots / slotsPerRequest),
    note: `SGLang hybrid pools: ${slots} recurrent-state slots (${slotsSet !== undefined ? 'as set' : `mamba-full-memory-ratio ${ratio}: ${Math.round((100 * ratio) / (1 + ratio))} % of the pool`}), ${slotsPerRequest} per running request${slotsPerRequest > 1 ? ' with the radix cache on' : ''}; the rest holds ${capacityTokens} KV tokens`,
  };
}

/** TensorRT-LLM's MambaHybridCacheManager allocates state slots for max_batch_size before the KV cache. */
function trtllmPool(x: HybridPoolInputs): HybridPool {
  const state = stateBytesPerGpu(x);
  const statePoolBytes = Math.min(Math.max(0, x.poolBytes), state * x.maxNumSeqs);
  const perToken = kvBytesPerTokenPerGpu(x.model, x.kvElem, x.par);
  const capacityTokens = Math.floor(Math.max(0, x.poolBytes - statePoolBytes) / perToken);
  return {
    blockTokens: x.blockSize, capacityTokens, maxConcurrency: Math.min(x.maxNumSeqs, capacityTokens / x.maxModelLen), statePerRequestPerGpu: state, statePoolBytes,
    stateRequestLimit: state > 0 ? Math.floor(statePoolBytes / state) : x.maxNumSeqs,
    note: `TensorRT-LLM hybrid cache: recurrent state for max_batch_size ${x.maxNumSeqs} requests set apart before the KV cache`,
  };
}

/** Unpadded state of one request on the busiest GPU. */
function stateBytesPerGpu(x: HybridPoolInputs): number {
  return stageCounts(x.model, x.par).recurrent * recurrentLayerStateBytesPerGpu(x.model, x.par.tp);
}

/** The pool of a hybrid model as `engine` sizes it, or undefined for an engine that does not serve hybrid models. */
export function hybridPool(x: HybridPoolInputs): HybridPool | undefined {
  if (!x.model.recurrent || layerCounts(x.model).recurrent === 0) return undefined;
  if (x.engine === 'vllm') return vllmPool(x);
  if (x.engine === 'sglang') return sglangPool(x);
  if (x.engine === 'trtllm') return trtllmPool(x);
  return undefined;
}
