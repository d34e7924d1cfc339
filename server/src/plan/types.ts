import type { ContextOverride } from '../estimator/contextLength';
import type { SpeculativeConfig } from '../estimator/speculative';
import type { PodFacts } from './pod';
import type { PlanCalibration } from './calibration';

/**
 * The normalized deployment plan: what every format reader produces and the estimator consumes.
 * Every value remembers where it came from, so findings land on the exact key and fixes can edit it.
 */

/** Zero-based line/character positions, as LSP uses them. */
export interface SourceRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export type Provenance =
  | { kind: 'file'; range: SourceRange; key: string }
  | { kind: 'default'; note: string }
  | { kind: 'setting'; name: string }
  /** A deployment profile beside the file (`x.deploy.yaml`). */
  | { kind: 'profile'; file: string; key: string }
  | { kind: 'cli'; flag: string }
  | { kind: 'inferred'; note: string };

export interface Sourced<T> {
  value: T;
  source: Provenance;
}

/** `tei`: Hugging Face text-embeddings-inference, a pooling-only server (embeddings, reranking, classification). */
export type EngineName = 'vllm' | 'sglang' | 'trtllm' | 'tgi' | 'tei';
export const engineNames: EngineName[] = ['vllm', 'sglang', 'trtllm', 'tgi', 'tei'];
/** The engines' names as their projects write them, for messages and hovers. */
export const engineLabels: Record<EngineName, string> = { vllm: 'vLLM', sglang: 'SGLang', trtllm: 'TensorRT-LLM', tgi: 'TGI', tei: 'TEI' };

/** Engine knobs as the user wrote them (absent = engine default, resolved by the estimator per version and GPU). */
export interface EngineKnobs {
  tensorParallel?: Sourced<number>;
  pipelineParallel?: Sourced<number>;
  /** Expert-parallel size; vLLM's `enable-expert-parallel` sets it to TP × DP. */
  expertParallel?: Sourced<number>;
  /** vLLM --data-parallel-size, SGLang --dp-size: data-parallel ranks (estimator/dataParallel.ts says what each engine shares). */
  dataParallel?: Sourced<number>;
  /** SGLang --enable-dp-attention, TensorRT-LLM enable_attention_dp: the ranks split the TP GPUs; MoE layers span them all. */
  attentionDataParallel?: Sourced<boolean>;
  /** Compute dtype for unquantized weights (`auto`, `bfloat16`, `float16`, `float32`). */
  dtype?: Sourced<string>;
  quantization?: Sourced<string>;
  kvCacheDtype?: Sourced<string>;
  maxModelLen?: Sourced<number>;
  maxNumSeqs?: Sourced<number>;
  maxNumBatchedTokens?: Sourced<number>;
  /** vLLM gpu_memory_utilization, SGLang mem_fraction_static, TRT-LLM free_gpu_memory_fraction, TGI cuda_memory_fraction. */
  gpuMemoryUtilization?: Sourced<number>;
  enablePrefixCaching?: Sourced<boolean>;
  enableChunkedPrefill?: Sourced<boolean>;
  /** SGLang --enable-mixed-chunk: prompt chunks share steps with decodes (off: prefill batches run on their own). */
  mixedChunk?: Sourced<boolean>;
  enforceEager?: Sourced<boolean>;
  /** vLLM max-cudagraph-capture-size, SGLang cuda-graph-max-bs, TensorRT-LLM cuda_graph_config.max_batch_size: the
   *  largest decode batch run under a CUDA graph; larger batches run eager. */
  cudaGraphMaxBatch?: Sourced<number>;
  /** TRT-LLM disable_overlap_scheduler / SGLang --disable-overlap-schedule: schedule each step only after the previous one ends. */
  disableOverlap?: Sourced<boolean>;
  /** vLLM --async-scheduling / --no-async-scheduling: schedule step k+1 while step k runs (on by default from 0.14). */
  asyncScheduling?: Sourced<boolean>;
  /** SGLang --scheduler-recv-interval: during decoding the scheduler takes in new requests every N steps only. */
  schedulerRecvInterval?: Sourced<number>;
  /** TensorRT-LLM stream_interval: a streaming request's responses leave every N iterations. */
  streamInterval?: Sourced<number>;
  /** TensorRT-LLM num_postprocess_workers: detokenization and streaming in worker processes (0: the executor's own). */
  postprocessWorkers?: Sourced<number>;
  /** TensorRT-LLM attention_dp_config.enable_balance: hold new prompts until every attention-DP rank has one. */
  attentionDpBalance?: Sourced<boolean>;
  /** TensorRT-LLM attention_dp_config.timeout_iters: the longest such hold, in iterations. */
  attentionDpTimeoutIters?: Sourced<number>;
  /** TensorRT-LLM attention_dp_config.batching_wait_iters: iterations more to gather prompts once every rank has one. */
  attentionDpBatchingWaitIters?: Sourced<number>;
  blockSize?: Sourced<number>;
  /** vLLM --mamba-ssm-cache-dtype / SGLang --mamba-ssm-dtype: the dtype of hybrid models' recurrent (SSM / delta) state. */
  mambaSsmDtype?: Sourced<string>;
  /** SGLang --mamba-full-memory-ratio: the state pool's share of the memory after weights, as r / (1 + r). */
  mambaFullMemoryRatio?: Sourced<number>;
  /** SGLang --max-mamba-cache-size: recurrent-state slots, fixed. */
  maxMambaCacheSize?: Sourced<number>;
  /** vLLM speculative-config / SGLang speculative-* / TRT-LLM speculative_config. */
  speculative?: Sourced<SpeculativeConfig>;
  /** vLLM `hf-overrides` / `rope-scaling`, SGLang `json-model-override-args`: a RoPE-scaling override (YaRN) that
   *  lengthens the context the engine derives from the model's config. */
  ropeScaling?: Sourced<ContextOverride>;
  /** LoRA serving (vLLM --enable-lora and its limits, SGLang --lora-paths / --max-loras-per-batch, TGI LORA_ADAPTERS);
   *  the source is the key that turns it on. estimator/lora.ts sizes the adapter slots. */
  lora?: Sourced<LoraKnobs>;
  /** vLLM --max-loras, SGLang --max-loras-per-batch: adapters resident on the GPU at once (LoRA slots). A knob of its
   *  own (not inside `lora`) so that fixes edit it like any other number. */
  maxLoras?: Sourced<number>;
  /** vLLM / SGLang --max-lora-rank: the rank every LoRA slot is padded to. */
  maxLoraRank?: Sourced<number>;
  /** vLLM --limit-mm-per-prompt (JSON `{"image": 2}` / `{"image": {"count": 2}}`, or the legacy `image=2,video=0`):
   *  items per prompt by modality; 0 turns a modality off (formats/multimodal.ts). */
  mmLimits?: Sourced<MmLimits>;
  /** vLLM --mm-processor-kwargs (JSON): the processor overrides as written; `max_pixels` / `min_pixels` size images. */
  mmProcessorKwargs?: Sourced<Record<string, unknown>>;
  /** vLLM --mm-encoder-tp-mode: `weights` (the tower sharded by TP) or `data` (a full tower on every rank). */
  mmEncoderTpMode?: Sourced<string>;
  /** vLLM --language-model-only / SGLang --language-only: the multimodal modules are not loaded. */
  languageModelOnly?: Sourced<boolean>;
  /** vLLM --skip-mm-profiling: the profiling run leaves out the encoder and its cache. */
  skipMmProfiling?: Sourced<boolean>;
  /** The engine runs the model for pooling (embeddings, scores, rewards) rather than generation: vLLM `--runner pooling`
   *  (older `--task embed|score|classify|reward`, or `--convert embed|classify|reward`), SGLang `--is-embedding`;
   *  false where the file says generation (`--runner generate`, `--task generate`). Absent: the engine decides from the
   *  architecture (formats/pooling.ts). */
  pooling?: Sourced<boolean>;
  /** vLLM / SGLang --cpu-offload-gb: GiB of weights per GPU kept in pinned host RAM and read over the host link every
   *  forward step (estimator/offload.ts). */
  cpuOffloadGb?: Sourced<number>;
  /** vLLM --swap-space: GiB of host RAM per GPU for V0's swap preemption (V1 allocates none). */
  swapSpace?: Sourced<number>;
  /** A KV tier in host memory (vLLM's OffloadingConnector or LMCache, SGLang's hierarchical cache); the source is the
   *  key that turns it on (formats/offload.ts reads it, estimator/hostMemory.ts sizes it). */
  hostKvCache?: Sourced<HostKvCache>;
}

/** A KV cache tier in host RAM (and LMCache's optional local disk), as written; absent sizes are the engine's default. */
export interface HostKvCache {
  /** `native`: vLLM's OffloadingConnector (--kv-offloading-backend native, or kv_connector OffloadingConnector);
   *  `lmcache`: LMCacheConnectorV1; `hicache`: SGLang --enable-hierarchical-cache. */
  kind: 'native' | 'lmcache' | 'hicache';
  /** vLLM --kv-offloading-size: GiB across the TP × PP ranks of one engine. */
  totalGiB?: Sourced<number>;
  /** OffloadingConnector kv_connector_extra_config.num_cpu_blocks (per rank), and its block_size when given. */
  cpuBlocks?: Sourced<number>;
  cpuBlockTokens?: number;
  /** LMCache max_local_cpu_size (GB per worker, LMCACHE_MAX_LOCAL_CPU_SIZE); SGLang --hicache-size (GB per rank). */
  perRankGB?: Sourced<number>;
  /** LMCache local_cpu (LMCACHE_LOCAL_CPU): false keeps no CPU tier. */
  localCpu?: boolean;
  /** LMCache max_local_disk_size (GB per worker, LMCACHE_MAX_LOCAL_DISK_SIZE) with a local_disk path. */
  diskGB?: Sourced<number>;
  /** LMCache chunk_size (LMCACHE_CHUNK_SIZE), tokens. */
  chunkTokens?: number;
  /** SGLang --hicache-ratio: host pool = ratio × device pool. */
  ratio?: Sourced<number>;
}

/** Items per prompt by modality (`image`, `video`, `audio`), and how the file spelled them (fixes keep the form). */
export interface MmLimits {
  counts: Record<string, number>;
  form: 'json' | 'legacy';
}

/** LoRA settings as written; an absent limit is the engine's default (estimator/lora.ts resolves it). The slot count
 *  and rank are the plan knobs maxLoras / maxLoraRank. */
export interface LoraKnobs {
  /** vLLM --max-cpu-loras, SGLang --max-loaded-loras: adapters cached in host RAM. */
  maxCpuLoras?: Sourced<number>;
  /** vLLM --lora-extra-vocab-size (before 0.12). */
  extraVocabSize?: Sourced<number>;
  /** vLLM / SGLang --lora-target-modules: the modules that get slots (absent: every supported module). */
  targetModules?: Sourced<string[]>;
  /** vLLM --fully-sharded-loras: the replicated half of each slot is sharded by TP too. */
  fullySharded?: Sourced<boolean>;
  /** Adapters the file names (vLLM --lora-modules, SGLang --lora-paths, TGI LORA_ADAPTERS), in order. */
  adapters: LoraAdapter[];
}

/** One adapter as written (`name=path`, a JSON object, or a hub id), with what its adapter_config.json says when the
 *  path is a local folder the reader could read. */
export interface LoraAdapter {
  name: string;
  /** Local path or hub id. */
  path: string;
  range: SourceRange;
  /** adapter_config.json `r`, `target_modules`, read by the format reader (ReadContext.loadLocalAdapter). */
  config?: { rank?: number; targetModules?: string[] };
}

export interface Workload {
  inputLen: Sourced<number>;
  outputLen: Sourced<number>;
  /** Requests kept in flight by a closed-loop client; `max` = as many as KV and max_num_seqs allow. */
  concurrency: Sourced<number | 'max'>;
  /** Fraction of prompt tokens served from the prefix cache (0..1). */
  prefixHitRate?: Sourced<number>;
  /** Open-loop arrival rate, requests/s; concurrency then follows from latency (Little's law). */
  requestRate?: Sourced<number>;
  /**
   * How a benchmark client drives the closed loop (estimator/benchmarkClient.ts). Absent: the file's default workload
   * as it always was — 10 requests per client (10 × C), all clients starting together, no warm-up, every request at
   * exactly inputLen / outputLen, the mean reported.
   */
  client?: Sourced<BenchmarkClient>;
  /** Images in each request's prompt (multimodal models): their tokens join the prompt (estimator/multimodal.ts). */
  imagesPerRequest?: Sourced<number>;
}

export const benchmarkPresets = ['vllm-bench', 'aiperf'] as const;
export type BenchmarkPreset = (typeof benchmarkPresets)[number];
export const benchmarkStatistics = ['mean', 'median', 'p90'] as const;
export type BenchmarkStatistic = (typeof benchmarkStatistics)[number];

/** A closed-loop benchmark client: C clients (the workload's concurrency), each sending its next request when one ends. */
export interface BenchmarkClient {
  kind: 'closed-loop';
  /** The client it models; its defaults fill what is not given (benchmarkClient.ts PRESETS). */
  preset?: BenchmarkPreset;
  /** Measured requests in all (N · C: vllm bench --num-prompts, aiperf --request-count). */
  requests?: number;
  /** Warm-up requests, a phase of their own before the measured run and excluded from its statistic. */
  warmup?: number;
  /** Range ratio r: prompt and output lengths uniform in [r·L, L] (benchmark_serving.py's --random-range-ratio as
   *  InferenceX runs it, 0.8); 1 = every request exactly L. */
  lengthSpread?: number;
  /** The figure reported over the per-request TTFT / TPOT. */
  statistic?: BenchmarkStatistic;
  /** `together`: the first C requests leave at once (both clients with --request-rate inf); `staggered`: spread
   *  over one request lifetime (no start-up burst). */
  firstWave?: 'together' | 'staggered';
}

/** Service-level objectives a plan must meet. */
/** A typo's fix: `from` → `to` inside `range` (a key, a model id, a GPU name as the file wrote it). */
export interface Rename {
  range: SourceRange;
  from: string;
  to: string;
}

export interface Slo {
  ttftMs?: Sourced<number>;
  tpotMs?: Sourced<number>;
  /** Output tokens per second across the deployment. */
  minThroughput?: Sourced<number>;
}

type Position = SourceRange['start'];

/**
 * Where and how a fix adds an option the file does not have yet, in the file's own syntax. Readers fill it in;
 * edits/ uses it. Options already in the file are edited in place through their source ranges.
 */
export type WriteBack =
  | {
      kind: 'mapping';
      /** Insert new `key: value` lines after this line, at this indentation. */
      afterLine: number;
      indent: string;
      /** `max-model-len` vs `max_model_len`; TensorRT-LLM is always snake_case. */
      keyStyle: 'dash' | 'underscore';
      /** Existing nested mappings (TensorRT-LLM `kv_cache_config`) by key, to add child keys into. */
      nested?: Record<string, { afterLine: number; indent: string }>;
      /** Knobs this mapping spells its own way (production-stack `vllmConfig.maxModelLen`); others go to `fallback`. */
      keyNames?: Partial<Record<keyof EngineKnobs, string>>;
      fallback?: WriteBack;
    }
  | {
      kind: 'argv';
      /** `block`: a YAML `- item` list; `flow`: `[a, b]`; `words`: one shell string. */
      mode: 'block' | 'flow' | 'words';
      /** End of the last token (flow, words) or its line (block). */
      after: Position;
      indent: string;
      quote: string;
      /** `--key=value` tokens rather than `--key value`. */
      equals: boolean;
      /** The list does not exist yet: this line (`extraArgs:`) opens it, once, above the new items. */
      opening?: string;
    }
  | {
      /** Environment variables (TGI reads every launcher flag as MAX_TOTAL_TOKENS-style variables): a Kubernetes
       *  `env:` list of name/value pairs, or a Compose `environment:` mapping. */
      kind: 'env';
      style: 'list' | 'mapping';
      afterLine: number;
      indent: string;
      /** Variables named their own way (NIM's NIM_MAX_MODEL_LEN): only these knobs can be added; absent = TGI's
       *  flag-as-variable spelling. */
      names?: Partial<Record<keyof EngineKnobs, string>>;
    };

/**
 * Hardware a fix or an applied optimizer plan changes. edits/ writes each part where the file states it (a pod's GPU
 * limit and request, a Compose device count, Helm `requestGPU`, replicas, the GPU selector label) or says that the
 * file has no place for it.
 */
export interface HardwareChange {
  /** Catalog GPU id (`H200`, `L4`). */
  gpu?: string;
  gpusPerReplica?: number;
  replicas?: number;
}

/**
 * Every place a file states the hardware a plan runs on, so that an applied plan or fix rewrites all of them (a pod
 * states its GPU count in limits and requests; a LeaderWorkerSet per pod template). `hardware` says what the values
 * are; this says where they are written.
 */
export interface HardwareSites {
  /** GPUs per pod: each `resources.limits` / `requests` GPU entry, a Compose device `count` or `device_ids` list,
   *  Helm `requestGPU`. */
  gpuCount: Array<{ range: SourceRange; form: 'number' | 'deviceIds' }>;
  /** Pods per replica sharing its GPUs (LeaderWorkerSet `size`, where the file states it); absent = one pod. */
  podsPerReplica?: { value: number; range?: SourceRange };
  /** `spec.replicas`, `replicaCount`, a role's `replicas`, Compose `deploy.replicas`. */
  replicas?: SourceRange;
  /** Node labels the pods select on that name the GPU or the instance type (`value` as written, unquoted). */
  gpuSelectors: Array<{ label: string; value: string; range: SourceRange; /** Further values of an `In` expression. */ alternatives: number }>;
  /** Whether the format can select a GPU type at all (Kubernetes node labels can; Compose cannot). */
  selectsGpuType: boolean;
  /** Other workloads of the file read the same `# deploy-advisor:` comment: the plan's GPU written there moves them too. */
  directiveShared?: boolean;
}

/** Values the file's schema types as strings (container argv items, env values), which edits must keep strings, and
 *  the quote character the file uses for strings. */
export interface StringSites {
  ranges: SourceRange[];
  quote: '"' | "'";
}

export interface DeploymentPlan {
  /** A name for the workload (Kubernetes object name, profile name, or the file name). */
  name: string;
  model: {
    /** Hub id or local path as written. */
    ref: Sourced<string>;
    /** The model's config.json, when it could be found (file, catalog, or a local folder). */
    config?: Record<string, unknown>;
    hfQuantConfig?: Record<string, unknown>;
  };
  hardware: {
    gpu: Sourced<string>;
    /** GPUs per replica. */
    count?: Sourced<number>;
    replicas: Sourced<number>;
    /** Nodes per replica. */
    nodes?: Sourced<number>;
    /** Price per GPU-hour overriding the catalog. */
    pricePerHour?: Sourced<number>;
  };
  engine: {
    name: Sourced<EngineName>;
    version?: Sourced<string>;
    /** VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 / SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN=1 in the container's environment:
     *  the engine accepts a max length above the model's own (with a warning) instead of refusing to start. */
    allowLongContext?: Sourced<boolean>;
    /** The container image, where the file writes it, and why its tag gives no version when it does not. */
    image?: { ref: string; ranges: SourceRange[]; note?: string };
  };
  knobs: EngineKnobs;
  workload: Workload;
  slo?: Slo;
  writeBack?: WriteBack;
  /** Efficiency factors fitted on the user's runs (the repository config's `calibration:`), per GPU and engine. */
  calibration?: PlanCalibration;
  /** Other places in the file that state a knob's value again (llm-d's `parallelism.tensor` beside
   *  `--tensor-parallel-size`): an edit of the knob rewrites them too, so the two never disagree. */
  linked?: Partial<Record<keyof EngineKnobs, SourceRange[]>>;
  /** Every engine option the file sets for this plan, for hovers, inlay hints and completion. */
  keys?: KeyOccurrence[];
  hardwareSites?: HardwareSites;
  strings?: StringSites;
  /** The pod around the engine (Kubernetes pod spec, Compose service): /dev/shm, memory limit, probes, and where fixes
   *  write them (formats/podSpec.ts). Absent for engine config files. */
  pod?: PodFacts;
}

/** An engine option as written in the file. */
export interface KeyOccurrence {
  engine: EngineName;
  /** Canonical key name in the engine's table. */
  name: string;
  keyRange: SourceRange;
  valueRange: SourceRange;
  knob?: keyof EngineKnobs;
  /** The key as the file spells it, normalized (`max-input-length` for TGI's legacy alias of max-input-tokens). */
  written?: string;
  /** The value as written, for options the plan keeps no knob of (a flag a later release renamed: its value moves
   *  to the new name). */
  value?: unknown;
}

export function sourced<T>(value: T, source: Provenance): Sourced<T> {
  return { value, source };
}

export const byDefault = <T>(value: T, note: string): Sourced<T> => sourced(value, { kind: 'default', note });
