/**
 * The memory side of an estimate as a list of named components per GPU, each from its own small function with the
 * source of its formula, and the engine's KV pool sized from them in the engine's own order (engines/*: `poolDeducts`
 * names what its budget subtracts, `kvPool` does the arithmetic). The estimate's memory figures, the report's memory
 * bar and the CLI's JSON all read this list, so a new component (hybrid state, LoRA slots, an encoder cache, a
 * drafter) appears everywhere at once.
 */
import type { GpuSpec } from '../catalog/gpus';
import type { EngineModel, KvPool } from './engines/types';
import { cudaGraphBytes, LoadedParts, nonTorchBytes, Parallelism, weightBytesPerGpu } from './memory';
import type { ModelParams, ModelSpec } from './model';
import type { WeightFormat } from './quantization';

/**
 * Budgets a serving feature reserves beside the KV pool, each with its issue as a name here and a function below:
 * `drafter` — the speculative drafter's weights (EAGLE heads, MTP layers, a draft model: drafter.ts).
 */
export type FeatureBudgetName = 'drafter';

/** A component the engine may subtract from its KV budget (everything but the pool itself). */
export type ReservedComponentName = 'weights' | 'activations' | 'nonTorch' | 'cudaGraphs' | FeatureBudgetName;

/** `state`: recurrent state carved out of the KV budget (hybrid models on SGLang and TensorRT-LLM). */
export type MemoryComponentName = ReservedComponentName | 'state' | 'kvPool';

/**
 * How the engine's KV sizing treats a component: `deducted` — subtracted from the budget before the pool is sized
 * (vLLM's weights, activation peak and non-torch memory); `outside` — left to the share outside the budget, where it
 * must still fit (vLLM's CUDA graphs before 0.21, SGLang's activations in 1 − mem_fraction_static); `pool` — the KV pool.
 * The CUDA context that SGLang, TensorRT-LLM and TGI subtract is part of those engines' pool formula, not a component:
 * the estimate counts it in no figure (vLLM's budget leaves it to 1 − gpu_memory_utilization).
 */
export type BudgetRole = 'deducted' | 'outside' | 'pool';

export interface MemoryComponent {
  name: MemoryComponentName;
  /** Bytes on the busiest GPU (the most loaded pipeline stage). */
  bytesPerGpu: number;
  budget: BudgetRole;
  /** Where the formula comes from (the engine code or the calibration logs it reproduces). */
  source: string;
}

/** A component before the engine has placed it in or outside its budget. */
type Reserved = Omit<MemoryComponent, 'budget' | 'name'> & { name: ReservedComponentName };

/** Weights under TP/PP/EP and the checkpoint's format (memory.ts weightBytesPerGpu). */
export function weightsComponent(model: ModelSpec, format: WeightFormat, par: Parallelism, params: ModelParams, load: LoadedParts = {}): Reserved {
  return { name: 'weights', bytesPerGpu: weightBytesPerGpu(model, format, par, params, load), source: 'vLLM linear-layer sharding: column/row-parallel split by TP, KV projections replicated past the KV heads, vocab padded to 64 × TP' };
}

/** The engine's profiling-run activation peak (engines/*.activationPeak over memory.ts activationPeakBytes). */
export function activationsComponent(engine: EngineModel, model: ModelSpec, maxNumBatchedTokens: number, maxNumSeqs: number, par: Parallelism, gpu: GpuSpec, version: number[]): Reserved {
  return { name: 'activations', bytesPerGpu: engine.activationPeak(model, maxNumBatchedTokens, maxNumSeqs, par, gpu, version), source: 'profiling run: a dummy forward of the token budget and a sampler pass, fitted on vLLM 0.19 startup logs' };
}

/**
 * Memory outside torch's allocator (memory.ts nonTorchBytes). Custom all-reduce and NCCL buffers exist whenever a GPU
 * talks to others: `commGpus` is a rank's TP group, or the expert group the data-parallel ranks share.
 */
export function nonTorchComponent(commGpus: number, gpu: GpuSpec): Reserved {
  return { name: 'nonTorch', bytesPerGpu: nonTorchBytes(commGpus, gpu), source: "vLLM's logged non-torch memory: NCCL and custom all-reduce buffers, workspaces" };
}

/** The CUDA-graph pool (memory.ts cudaGraphBytes); none in eager mode. */
export function cudaGraphsComponent(model: ModelSpec, par: Parallelism, captured: boolean): Reserved {
  return { name: 'cudaGraphs', bytesPerGpu: captured ? cudaGraphBytes(model, par) : 0, source: 'vLLM 0.19 logged CUDA-graph pool, growing with depth, ~20 % less per GPU under TP' };
}

/**
 * Recurrent state of hybrid models set apart from the KV pool (SGLang's state pool, TensorRT-LLM's state slots:
 * hybridPool.ts). vLLM keeps state in blocks of the shared pool, so there it is part of the pool, not a component.
 */
export interface StateSplit {
  /** Bytes the engine carves out of its KV budget for recurrent state. */
  bytes(poolBytes: number): number;
  source: string;
}

/** A feature's bytes per GPU and where its formula comes from. */
export interface FeatureBudget {
  bytesPerGpu: number;
  source: string;
}

/** Feature budgets present in this plan (the drafter's weights; LoRA slots and the encoder cache come with their items). */
export function featureBudgets(f: { drafter?: FeatureBudget } = {}): Reserved[] {
  return f.drafter ? [{ name: 'drafter', ...f.drafter }] : [];
}

/** What sizing the memory needs beyond the model and the GPU. */
export interface MemoryPlanInputs {
  model: ModelSpec;
  params: ModelParams;
  format: WeightFormat;
  par: Parallelism;
  gpu: GpuSpec;
  engine: EngineModel;
  version: number[];
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  cudaGraphs: boolean;
  utilization: number;
  /** GPUs one GPU exchanges activations with (its TP group, or the shared expert group). */
  commGpus: number;
  /** What the engine loads beside the language model (encoders, MTP layers). */
  load?: LoadedParts;
  /** The recurrent-state pool the engine carves out of the KV budget (hybrid models on SGLang / TensorRT-LLM). */
  state?: StateSplit;
  /** The speculative drafter's weights (drafter.ts), when the plan drafts with a network. */
  drafter?: FeatureBudget;
}

export interface MemoryPlan {
  /** Every component, the KV pool last; the pool is clamped at 0 (a negative budget is "does not fit"). */
  components: MemoryComponent[];
  /** The engine's pool as sized (possibly negative) and its formula. */
  pool: KvPool;
  /** Everything resident on the GPU together: the components summed in list order. */
  usedBytes: number;
}

/**
 * Builds the components and sizes the KV pool from them as the engine does. List order is the order vLLM subtracts
 * in (weights, activations, non-torch, CUDA graphs), so sums are bit-identical to the engines' own formulas.
 */
export function planMemory(x: MemoryPlanInputs): MemoryPlan {
  const reserved: Reserved[] = [
    weightsComponent(x.model, x.format, x.par, x.params, x.load),
    activationsComponent(x.engine, x.model, x.maxNumBatchedTokens, x.maxNumSeqs, x.par, x.gpu, x.version),
    nonTorchComponent(x.commGpus, x.gpu),
    cudaGraphsComponent(x.model, x.par, x.cudaGraphs),
    ...featureBudgets({ drafter: x.drafter }),
  ];
  const bytes = (name: ReservedComponentName) => reserved.find((c) => c.name === name)?.bytesPerGpu ?? 0;
  const pool = x.engine.kvPool({ totalBytes: x.gpu.usableBytes, weightsBytes: bytes('weights'), activationBytes: bytes('activations'), nonTorchBytes: bytes('nonTorch'), cudaGraphBytes: bytes('cudaGraphs'), drafterBytes: bytes('drafter'), utilization: x.utilization }, x.version);
  const deducts = x.engine.poolDeducts(x.version);
  const poolBytes = Math.max(0, pool.poolBytes);
  const state = x.state ? Math.min(poolBytes, x.state.bytes(poolBytes)) : 0;
  const components: MemoryComponent[] = [
    ...reserved.map((c): MemoryComponent => ({ ...c, budget: deducts.includes(c.name) ? 'deducted' : 'outside' })),
    ...(x.state ? [{ name: 'state' as const, bytesPerGpu: state, budget: 'pool' as const, source: x.state.source }] : []),
    { name: 'kvPool', bytesPerGpu: poolBytes - state, budget: 'pool', source: x.engine.poolSource },
  ];
  let usedBytes = 0;
  for (const c of components) usedBytes += c.bytesPerGpu;
  return { components, pool, usedBytes };
}

/** A component's bytes per GPU (0 when the list has none of that name). */
export function componentBytes(components: readonly MemoryComponent[], name: MemoryComponentName): number {
  return components.find((c) => c.name === name)?.bytesPerGpu ?? 0;
}

/** The components the JSON and the messages call overhead: all but the weights, the activation peak and the pools. */
const NOT_OVERHEAD: readonly MemoryComponentName[] = ['weights', 'activations', 'kvPool', 'state'];

/** Overhead bytes per GPU, summed in list order (non-torch + CUDA graphs + feature budgets). */
export function overheadBytes(components: readonly MemoryComponent[]): number {
  let sum = 0;
  for (const c of components) if (!NOT_OVERHEAD.includes(c.name)) sum += c.bytesPerGpu;
  return sum;
}
