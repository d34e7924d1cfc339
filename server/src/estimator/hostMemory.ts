/**
 * Host RAM a replica needs beside its GPUs, as named tiers (a budget of its own: the pod's memory limit, not GPU
 * memory). Each tier's formula follows the engine code cited beside it; the KV tiers also say how many tokens they hold.
 */
import type { EngineKnobs, EngineName, HostKvCache } from '../plan/types';
import type { WeightOffload } from './offload';

const GiB = 2 ** 30;

export type HostTierName = 'weightOffload' | 'swap' | 'kvOffload' | 'diskKv' | 'loraCache' | 'mmProcessorCache' | 'engineProcesses';

/** The tiers' names as the report and the markdown print them. */
export const hostTierLabels: Record<HostTierName, string> = {
  weightOffload: 'CPU weight offload', swap: 'Swap space (V0)', kvOffload: 'Host KV tier', diskKv: 'Disk KV tier (not RAM)',
  loraCache: 'CPU LoRA cache', mmProcessorCache: 'Multimodal processor cache', engineProcesses: 'Engine processes (lower bound)',
};

/** Whether a replica uses host memory beyond its engine processes (what makes the report show its host tiers). */
export const hasHostTiers = (h: HostMemory | undefined): h is HostMemory => !!h?.tiers.some((t) => t.name !== 'engineProcesses');

export interface HostTier {
  name: HostTierName;
  /** Bytes for the whole replica (every GPU's and process's share together). */
  bytes: number;
  /** `disk`: LMCache's local disk tier (no RAM; listed for its tokens). */
  medium: 'ram' | 'disk';
  /** KV tokens the tier holds (one copy per engine: TP ranks hold slices of the same tokens). */
  tokens?: number;
  /** Allocated while the engine starts (pinned buffers), not filled later as traffic comes. */
  atStartup: boolean;
  source: string;
  /** The knob that sets it, when one does (fixes and hovers point at it). */
  knob?: keyof EngineKnobs;
}

export interface HostMemory {
  tiers: HostTier[];
  /** RAM tiers summed, per replica. */
  ramBytes: number;
}

export interface HostMemoryInputs {
  engine: EngineName;
  /** The engine version in force (`0.19.0`), for V0-only allocations. */
  version: string;
  tp: number;
  pp: number;
  /** Engines (data-parallel ranks) in the replica, each with its own tp × pp workers. */
  dp: number;
  kvBytesPerTokenPerGpu: number;
  kvPoolBytesPerGpu: number;
  blockTokens: number;
  offload?: WeightOffload;
  swapSpaceGiB?: number;
  hostKv?: HostKvCache;
  loraHostBytesPerWorker?: number;
  /** A multimodal model whose processor runs in vLLM's front end (its processor cache is host RAM). */
  multimodal?: boolean;
}

/** RSS of one process holding a CUDA context, measured: torch 2.11 + CUDA 13 context + a cuBLAS GEMM = 0.73 GiB
 *  (bench/calibration/host-link-h200.json). The engines import far more than torch: a lower bound per process. */
export const PROCESS_RSS_BYTES = 0.73 * GiB;
/** vLLM mm_processor_cache_gb default, per API process and engine core (serving-features §2.1: vllm/config/multimodal.py). */
const MM_PROCESSOR_CACHE_GIB = 4;
/** LMCache max_local_cpu_size default, GB per worker (lmcache/v1/config.py _CONFIG_DEFINITIONS); chunk 256 tokens. */
const LMCACHE_DEFAULT_CPU_GB = 5.0;
/** SGLang --hicache-ratio default (server_args). */
const HICACHE_DEFAULT_RATIO = 2.0;
/** vLLM swap_space default, GiB per GPU (config/cache.py CacheConfig.swap_space). */
const SWAP_DEFAULT_GIB = 4;

/** vLLM before 0.8 ran V0 by default, which allocates its swap blocks (V1, default from 0.8, preempts by recompute). */
export function vllmRunsV0(version: string): boolean {
  const [maj, min] = version.split('.').map((x) => Number.parseInt(x, 10));
  return Number.isFinite(maj) && Number.isFinite(min) && maj === 0 && min < 8;
}

/** Processes of one replica that hold a CUDA context or the Python serving stack. */
export function engineProcesses(engine: EngineName, tp: number, pp: number, dp: number): number {
  const workers = tp * pp;
  switch (engine) {
    // V1: an API server, an engine core per DP rank, and a worker process per GPU when an engine has more than one
    // (one GPU runs in the engine core: v1/executor UniProcExecutor vs MultiprocExecutor).
    case 'vllm': return 1 + dp * (1 + (workers > 1 ? workers : 0));
    // SGLang: tokenizer manager and detokenizer, then one scheduler process per rank (srt/entrypoints/engine.py).
    case 'sglang': return 2 + workers * dp;
    default: return 1 + workers * dp;
  }
}

/** KV tokens and host bytes of a host KV tier, per replica. */
function kvTier(x: HostMemoryInputs, kv: HostKvCache): HostTier[] {
  const ranks = x.tp * x.pp;
  const perToken = x.kvBytesPerTokenPerGpu;
  const tokensOf = (bytesPerRank: number) => (perToken > 0 ? Math.floor(bytesPerRank / perToken) : 0);
  const tier = (bytesPerRank: number, tokensPerEngine: number, source: string, knobAtStart = true): HostTier => ({
    name: 'kvOffload', bytes: bytesPerRank * ranks * x.dp, medium: 'ram', tokens: tokensPerEngine * x.dp, atStartup: knobAtStart, source, knob: 'hostKvCache',
  });
  switch (kv.kind) {
    case 'native': {
      if (kv.cpuBlocks) {
        const blockTokens = kv.cpuBlockTokens ?? x.blockTokens;
        const perRank = kv.cpuBlocks.value * blockTokens * perToken;
        return [tier(perRank, kv.cpuBlocks.value * blockTokens, `vLLM OffloadingConnector: num_cpu_blocks ${kv.cpuBlocks.value} × ${blockTokens} tokens × KV bytes per token per rank (vllm/v1/kv_offload CPU backend), pinned`)];
      }
      // vllm/config/kv_offloading.py NativeOffloadingParser: kv_bytes_per_rank = size GiB × 2³⁰ / (TP × PP).
      const total = (kv.totalGiB?.value ?? 0) * GiB;
      return [tier(total / ranks, tokensOf(total / ranks), `vLLM --kv-offloading-size ${kv.totalGiB?.value ?? 0} GiB per engine split over TP × PP = ${ranks} ranks (config/kv_offloading.py NativeOffloadingParser), pinned`)];
    }
    case 'lmcache': {
      if (kv.localCpu === false && !kv.diskGB) return [];
      // Through --kv-offloading-backend lmcache the size is the engine's total split per rank (LMCacheOffloadingParser);
      // configured directly, max_local_cpu_size is GB per worker (taken as 2³⁰ bytes).
      const perRank = kv.totalGiB ? (kv.totalGiB.value * GiB) / ranks : (kv.perRankGB?.value ?? LMCACHE_DEFAULT_CPU_GB) * GiB;
      const chunk = kv.chunkTokens ?? 256;
      const chunked = (bytes: number) => Math.floor(tokensOf(bytes) / chunk) * chunk;
      const out: HostTier[] = kv.localCpu === false ? [] : [tier(perRank, chunked(perRank), `LMCache local CPU backend: max_local_cpu_size ${(perRank / GiB).toFixed(1)} GB per worker${kv.perRankGB || kv.totalGiB ? '' : ' (default 5.0)'} × ${ranks * x.dp} workers, ${chunk}-token chunks (lmcache/v1/config.py)`, false)];
      if (kv.diskGB) {
        const disk = kv.diskGB.value * GiB;
        out.push({ name: 'diskKv', bytes: disk * ranks * x.dp, medium: 'disk', tokens: chunked(disk) * x.dp, atStartup: false, source: `LMCache local disk: max_local_disk_size ${kv.diskGB.value} GB per worker`, knob: 'hostKvCache' });
      }
      return out;
    }
    case 'hicache': {
      // sglang/srt/mem_cache/memory_pool_host.py HostKVCache.__init__: --hicache-size GB per rank (× 10⁹ ÷ size per
      // token) overrides device pool tokens × --hicache-ratio; pinned, mirroring the device pool's layout.
      const devicePoolTokens = tokensOf(x.kvPoolBytesPerGpu);
      const sized = kv.perRankGB && kv.perRankGB.value > 0;
      const ratio = kv.ratio?.value ?? HICACHE_DEFAULT_RATIO;
      const tokens = sized ? tokensOf(kv.perRankGB!.value * 1e9) : Math.floor(devicePoolTokens * ratio);
      const how = sized ? `--hicache-size ${kv.perRankGB!.value} GB per rank` : `--hicache-ratio ${ratio}${kv.ratio ? '' : ' (default)'} × the device pool's ${devicePoolTokens} tokens`;
      return [tier(tokens * perToken, tokens, `SGLang hierarchical cache: ${how} (mem_cache/memory_pool_host.py HostKVCache), pinned`)];
    }
  }
}

export function hostMemory(x: HostMemoryInputs): HostMemory {
  const workers = x.tp * x.pp * x.dp;
  const tiers: HostTier[] = [];
  if (x.offload && x.offload.offloadedBytesPerGpu > 0) {
    tiers.push({ name: 'weightOffload', bytes: x.offload.offloadedBytesPerGpu * workers, medium: 'ram', atStartup: true, knob: 'cpuOffloadGb',
      source: 'cpu-offload-gb per GPU × GPUs, pinned at load (vLLM model_executor/models/utils.py maybe_offload_to_cpu); one vLLM release was seen to take ~1.9× this (vllm-project/vllm#56410), not counted' });
  }
  if (x.engine === 'vllm' && vllmRunsV0(x.version)) {
    const swap = x.swapSpaceGiB ?? SWAP_DEFAULT_GIB;
    if (swap > 0) tiers.push({ name: 'swap', bytes: swap * GiB * workers, medium: 'ram', atStartup: true, knob: 'swapSpace', source: `swap-space ${swap} GiB${x.swapSpaceGiB === undefined ? ' (default)' : ''} per GPU × ${workers} GPUs: V0's CPU swap blocks (config/cache.py CacheConfig.swap_space)` });
  }
  if (x.hostKv) tiers.push(...kvTier(x, x.hostKv));
  if (x.loraHostBytesPerWorker && x.loraHostBytesPerWorker > 0) {
    tiers.push({ name: 'loraCache', bytes: x.loraHostBytesPerWorker * workers, medium: 'ram', atStartup: false, source: 'CPU LoRA cache: max-cpu-loras adapters at their ranks per worker, pinned (vllm/lora/model_manager.py; estimator/lora.ts)' });
  }
  if (x.multimodal && x.engine === 'vllm') {
    tiers.push({ name: 'mmProcessorCache', bytes: MM_PROCESSOR_CACHE_GIB * GiB * (1 + x.dp), medium: 'ram', atStartup: false, source: `multimodal processor cache: mm_processor_cache_gb ${MM_PROCESSOR_CACHE_GIB} GiB (default) × (1 API server + ${x.dp} engine core${x.dp > 1 ? 's' : ''}) (vllm/config/multimodal.py)` });
  }
  const procs = engineProcesses(x.engine, x.tp, x.pp, x.dp);
  tiers.push({ name: 'engineProcesses', bytes: procs * PROCESS_RSS_BYTES, medium: 'ram', atStartup: true, source: `${procs} engine processes × 0.73 GiB, the measured RSS of a process with torch and a CUDA context (a lower bound: the engine's own imports are not counted)` });
  let ram = 0;
  for (const t of tiers) if (t.medium === 'ram') ram += t.bytes;
  return { tiers, ramBytes: ram };
}
