import type { GpuSpec } from '../../catalog/gpus';
import type { Parallelism } from '../memory';
import type { ModelSpec } from '../model';
import type { ReservedComponentName } from '../memoryPlan';

/** Knob values after the engine's defaults for this version and GPU are applied. */
export interface ResolvedKnobs {
  gpuMemoryUtilization: number;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  chunkedPrefill: boolean;
  prefixCaching: boolean;
  blockSize: number;
  cudaGraphs: boolean;
  /** The largest decode batch captured in a CUDA graph; a pure-decode step of more sequences (per rank) runs eager.
   *  Absent or Infinity where the engine's cap is not modelled. */
  cudaGraphMaxBatch?: number;
  /** The next step's batch is formed while the GPU runs the current one (TRT-LLM's and SGLang's overlap schedulers):
   *  a request arriving mid-step misses the step already formed and starts a step later. */
  overlapScheduling: boolean;
  /** SGLang --scheduler-recv-interval (SchedulerRecvSkipper): new requests are received after N decode steps, or at
   *  once after a prefill or while idle. Absent or 1: every step. */
  recvInterval?: number;
  /** Overrides the engine's scheduling where a flag changes it (SGLang --enable-mixed-chunk). */
  scheduling?: 'mixed' | 'prefill-first';
  /** Iterations a streaming request runs past its first token before its first chunk leaves the server (TensorRT-LLM
   *  stream_interval − 1 without postprocess workers). Absent or 0: the first token streams at once. */
  firstChunkIterations?: number;
  /** TensorRT-LLM attention_dp_config.enable_balance under attention DP (py_executor _balance_adp_requests): a rank's
   *  new context requests wait until every rank has one, at most timeoutIters iterations, then batchingWaitIters more
   *  while every rank also decodes. Absent: admitted at once. */
  attentionDpBalance?: { ranks: number; timeoutIters: number; batchingWaitIters: number };
}

/** What of the deployment beyond its layout an engine's defaults read (SGLang's automatic mem_fraction_static). */
export interface DefaultsFeatures {
  /** The speculative method, as Deploy Advisor names it (speculative.ts). */
  speculativeMethod?: string;
  /** Attention data-parallel ranks (SGLang --enable-dp-attention with --dp-size). */
  attentionDpRanks?: number;
  /** The config's vision_config as SGLang reads it for its VLM adjustment (num_hidden_layers, hidden_size). */
  vision?: { layers: number; hidden: number };
  /** config.json's first architecture (TGI's launcher picks its prefill default by model). */
  architecture?: string;
  /** The file's --chunked-prefill-size and --cuda-graph-max-bs: the reserve reads the values in force. */
  chunkedPrefillSize?: number;
  cudaGraphMaxBs?: number;
}

/** The per-GPU figures an engine's KV sizing starts from. */
export interface MemoryInputs {
  totalBytes: number;
  weightsBytes: number;
  activationBytes: number;
  nonTorchBytes: number;
  cudaGraphBytes: number;
  /** LoRA adapter slots (absent: LoRA off). */
  loraSlotBytes?: number;
  /** The speculative drafter's weights (absent: none). */
  drafterBytes?: number;
  utilization: number;
}

/** The MemoryInputs field that carries each component an engine may subtract (a new component needs its field here).
 *  Feature budgets ride in the field of the component they are part of (memoryPlan.ts PART_OF). */
const inputOf: Record<ReservedComponentName, keyof MemoryInputs> = {
  weights: 'weightsBytes', activations: 'activationBytes', nonTorch: 'nonTorchBytes', cudaGraphs: 'cudaGraphBytes', loraSlots: 'loraSlotBytes',
  tower: 'weightsBytes', encoderCache: 'activationBytes', encoderActivations: 'activationBytes', drafter: 'drafterBytes',
};

/** `start` minus the named components, one after the other in the engine's order (each engine's budget arithmetic). */
export function deduct(start: number, mem: MemoryInputs, names: readonly ReservedComponentName[]): number {
  let left = start;
  for (const name of names) left -= mem[inputOf[name]] ?? 0;
  return left;
}

export interface KvPool {
  poolBytes: number;
  /** What the engine subtracted, for the report ("weights 14.99 GiB + activations 1.89 GiB + ..."); engines build it lazily
   *  (a getter), since the optimizer sizes pools by the hundred thousand and never reads it. */
  formula: string;
}

export interface EngineModel {
  name: 'vllm' | 'sglang' | 'trtllm' | 'tgi' | 'tei';
  /** Newest version whose behaviour is modelled; the default for --engine-version. */
  newestVersion: string;
  /** Oldest version whose behaviour is modelled (older ones are estimated as this one, and the estimate says so). */
  oldestVersion?: string;
  /** Knob names as the engine spells them (for messages). */
  knobNames: { utilization: string; maxNumSeqs: string; maxNumBatchedTokens: string; maxModelLen: string; cudaGraphMaxBatch?: string };
  defaults(gpu: GpuSpec, version: number[], tp: number, pp: number, maxModelLen: number, features?: DefaultsFeatures): ResolvedKnobs;
  /** The components the KV budget subtracts, in the engine's order; the others it leaves outside the budget. */
  poolDeducts(version: number[]): readonly ReservedComponentName[];
  /** Sizes the pool from `poolDeducts` (the optimizer's screen calls it directly, so it stays a few subtractions). */
  kvPool(mem: MemoryInputs, version: number[]): KvPool;
  /** Where the pool formula comes from (the engine function it mirrors). */
  poolSource: string;
  /** Activation peak per GPU the engine accounts for (its profiling run, or what it keeps beside the pool). */
  activationPeak(m: ModelSpec, maxNumBatchedTokens: number, maxNumSeqs: number, par: Parallelism, gpu: GpuSpec, version: number[]): number;
  /** `mixed`: decodes and prefill chunks share each step (vLLM V1, TRT-LLM in-flight batching);
   *  `prefill-first`: prefill batches run on their own and pause decoding (SGLang and TGI defaults). */
  scheduling: 'mixed' | 'prefill-first';
  /**
   * How the scheduler admits requests against the KV pool. `on-demand`: a request is admitted while its prompt fits
   * beside what the running requests hold now, KV blocks grow with each token, and when they run out the newest request
   * is preempted and recomputed later (vLLM V1 scheduler.py `_preempt_request`, recompute). `ratio`: SGLang's
   * PrefillAdder — on demand, but a new request needs its prompt + output free beside a decaying share of the running
   * requests' remaining outputs, and `retract_decode` preempts on overflow (scheduler.ts has the constants).
   * `reserve`: a request is admitted only when prompt + max output fit beside every running request's reservation, and
   * none is ever evicted (TensorRT-LLM's default capacity scheduler GUARANTEED_NO_EVICT; TGI's block allocator reserves
   * max_new_tokens at admission).
   */
  kvAdmission: 'on-demand' | 'ratio' | 'reserve';
  /** Per-step CPU/launch overhead not hidden by CUDA graphs, seconds. */
  stepOverheadSec: number;
  /**
   * The overhead is scheduler CPU time that an overlapping scheduler runs during the previous step, so with overlap on
   * a step costs max(GPU, CPU) (vLLM: fitted on 0.12 runs without --async-scheduling). Unset: the figure was fitted
   * with the engine's overlap scheduler on and is what remains of it (TensorRT-LLM, SGLang).
   */
  overheadHiddenByOverlap?: boolean;
  /**
   * Host time of one eager forward pass per MoE layer, seconds: a step that carries prompt tokens runs outside the
   * captured CUDA graphs, so its kernels are launched one by one from Python and the step takes max(GPU time, this ×
   * the MoE layers). Unset: the engine's prompt steps are graphed or their launches hide behind the GPU work.
   */
  eagerPromptHostSecPerMoeLayer?: number;
}

export function parseVersion(v: string | undefined, fallback: string): number[] {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(v ?? '') ?? /(\d+)\.(\d+)(?:\.(\d+))?/.exec(fallback)!;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** -1, 0, 1 as a is older than, the same minor as, or newer than b. */
export function compareMinor(a: number[], b: number[]): number {
  return a[0] !== b[0] ? Math.sign(a[0] - b[0]) : Math.sign(a[1] - b[1]);
}

export function atLeast(v: number[], major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}
