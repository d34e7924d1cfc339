/**
 * What an estimate holds (the contract the rules, the LSP, the report and the CLI read) and what it needs.
 */
import type { LoraMemory, ResolvedLora } from './lora';
import type { GpuCatalog } from '../catalog/gpus';
import type { EngineName, Provenance } from '../plan/types';
import type { MemoryComponent } from './memoryPlan';
import type { HostMemory } from './hostMemory';
import type { WeightOffload } from './offload';
import type { PoolingPoint } from './poolingPoint';
import type { ModelKind } from './poolingModel';

export type Severity = 'error' | 'warning' | 'info';

/** A problem the estimator itself found (the rules layer turns these and the numbers into findings). */
export interface EstimateIssue {
  code: string;
  severity: Severity;
  message: string;
  /** Where the offending value came from, when known. */
  source?: Provenance;
  /** The value it most likely meant (a catalog id one typo away), for a rename fix. */
  meant?: { from: string; to: string };
  /** The engine refuses this configuration at startup (the verdict is "will not start"), not just runs it badly. */
  refusesStart?: boolean;
}

export interface Estimate {
  model: { id: string; architecture: string; modelType: string; params: number; activeParams: number; layers: number; kvBytesPerToken: number; maxPositions: number;
    /** The longest max length the engine accepts for this model as configured (its RoPE scaling and overrides applied). */
    contextLimit: number;
    /** config.json already scales RoPE (rope_scaling). */
    ropeScaled: boolean;
    /** Read only as a generic decoder (an architecture not modelled): every figure is rough. */
    genericRead: boolean;
    heads: number; kvHeads: number; mla: boolean; experts: number;
    /** Vision/audio towers and projectors the engine loads beside `params` (0 when none, or none counted). */
    visionParams: number;
    /** MTP draft layers in the checkpoint, beside `params` (weights only when MTP speculative decoding loads them). */
    mtpParams: number;
    /** Fixed recurrent state per request, whole model, TP 1, unpadded, in the engine's state dtypes (0: no recurrent layers). */
    stateBytesPerRequest: number;
    /** Layers that keep attention KV (full or windowed) and layers with a recurrent state instead. */
    attentionLayers: number; recurrentLayers: number;
    /** KV bytes per token of the sliding-window / chunked layers, held only within their window (not in kvBytesPerToken). */
    windowKvBytes: number;
    /** What the checkpoint is for by its config and id (poolingModel.ts); absent where neither says. */
    servingKind?: ModelKind };
  hardware: { gpu: string; gpuName: string; count: number; replicas: number; memoryBytesPerGpu: number; pricePerHour: number; nativeFormats: string[] };
  serving: {
    /** As configured: with DP attention (SGLang, TensorRT-LLM) the dataParallel ranks split these GPUs, else they multiply them. */
    engine: EngineName; engineVersion: string; tensorParallel: number; pipelineParallel: number; expertParallel: number; dataParallel: number;
    /** `maxNumSeqs` is the knob as set; this is one rank's share (they differ for SGLang's server-wide cap under DP attention). */
    maxNumSeqsPerRank: number;
    weightDtype: string; kvCacheDtype: string; computeDtype: string; maxModelLen: number; maxNumSeqs: number; maxNumBatchedTokens: number;
    gpuMemoryUtilization: number; chunkedPrefill: boolean; prefixCaching: boolean; cudaGraphs: boolean;
    /** Iterations a streaming request's first chunk waits past its first token (TensorRT-LLM stream_interval − 1
     *  without postprocess workers); 0: the first token streams at once. */
    firstChunkIterations: number;
  };
  memory: {
    weightsBytesPerGpu: number; activationBytesPerGpu: number; cudaGraphBytesPerGpu: number; nonTorchBytesPerGpu: number;
    overheadBytesPerGpu: number; kvPoolBytesPerGpu: number; kvBytesPerTokenPerGpu: number; kvCapacityTokens: number;
    kvBytesPerMaxLenRequest: number; maxConcurrency: number; maxModelLenThatFits: number; fits: boolean; poolFormula: string;
    /** Recurrent state of one request on the busiest GPU as the engine stores it (vLLM: padded to a whole KV block). */
    stateBytesPerRequestPerGpu: number;
    /** The tokens one KV block holds (vLLM raises it for hybrid models until a block holds a whole recurrent state). */
    kvBlockTokens: number;
    /** Every component per GPU, the KV pool last (memoryPlan.ts): the figures above, the report's bar and the JSON read it. */
    components: MemoryComponent[];
    /** LoRA serving (estimator/lora.ts): the settings as the engine resolves them and the memory they take; absent when off. */
    lora?: ResolvedLora & LoraMemory;
    /** --cpu-offload-gb: the weights kept in host RAM and what reading them costs each step (offload.ts). */
    cpuOffload?: WeightOffload;
  };
  /** Host RAM beside the GPUs, per replica, as named tiers (hostMemory.ts): a budget of its own (the pod's memory
   *  limit), never part of the GPU components. */
  host?: HostMemory;
  /** Multimodal models (estimator/multimodal.ts): what loads and what the encoder profile reserves. */
  multimodal?: {
    towerLoaded: boolean; towerReplicated: boolean;
    /** Tokens of the largest image (0: not modelled, or images off). */
    maxTokensPerImage: number;
    /** --limit-mm-per-prompt's image count (999 by default). */
    imageLimit: number;
    encoderBudgetTokens: number; profiledItems: number; imagesPerRequest: number;
  };
  latency: { ttftMs: number; tpotMs: number; outputTokensPerSec: number; concurrency: number; prefillAloneMs: number; decodeStepMs: number };
  workload: { inputLen: number; outputLen: number; concurrency: number | 'max'; prefixHitRate: number };
  /** Served for pooling (embeddings, scores): prompts per second at the workload's input length, and the KV it keeps. */
  pooling?: PoolingPoint;
  assumptions: string[];
  issues: EstimateIssue[];
}

export interface EstimatorDeps {
  gpus: GpuCatalog;
  /** Model configs beyond the built-in catalog (the opt-in Hub lookup), or why there are none. */
  models?: ModelSource;
}

/** A synchronous view of model configs fetched elsewhere; `version` changes whenever a lookup's answer may have. */
export interface ModelSource {
  readonly version: number;
  lookup(id: string): { config: Record<string, unknown>; note: string } | { status: string } | undefined;
}

export type EstimateResult = { ok: true; estimate: Estimate } | { ok: false; issues: EstimateIssue[]; assumptions: string[] };

/**
 * What to estimate: everything (default), or `memory` only — fit, KV capacity and the issues that follow from them,
 * with the latency left at zero. Fix searches use it to test many candidates cheaply; open-loop traffic (a request
 * rate) needs the latency for its concurrency, so it is always estimated in full.
 */
export interface EstimateOptions {
  scope?: 'all' | 'memory';
}

