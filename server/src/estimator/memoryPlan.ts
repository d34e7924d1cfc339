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
import type { LoraMemory } from './lora';
import type { ModelParams, ModelSpec } from './model';
import type { WeightFormat } from './quantization';

/**
 * Budgets a serving feature reserves beside the KV pool, each a name here and a function below: `loraSlots` — LoRA
 * adapter slots (estimator/lora.ts); `tower`, `encoderCache`, `encoderActivations` — the multimodal tower and the
 * encoder profile (estimator/multimodal.ts); `drafter` — the speculative drafter's weights (EAGLE heads, MTP layers, a
 * draft model: drafter.ts).
 */
export type FeatureBudgetName = 'loraSlots' | 'tower' | 'encoderCache' | 'encoderActivations' | 'drafter';

/** The component a feature budget is part of in the engine's own sums (vLLM counts the tower in its weights, the
 *  encoder cache and the ViT peak in the profiling run's torch peak): it shares that component's budget role. LoRA
 *  slots and the drafter are budget lines of their own (MemoryInputs.loraSlotBytes, drafterBytes). */
const PART_OF: Partial<Record<FeatureBudgetName, 'weights' | 'activations'>> = { tower: 'weights', encoderCache: 'activations', encoderActivations: 'activations' };

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

/** The weights left on the GPU once --cpu-offload-gb has moved some to host RAM (vLLM maybe_offload_to_cpu). */
function offloadedFrom(w: Reserved, offloaded: number | undefined): Reserved {
  if (!offloaded) return w;
  return { ...w, bytesPerGpu: Math.max(0, w.bytesPerGpu - offloaded), source: `${w.source}; less ${(offloaded / 2 ** 30).toFixed(2)} GiB held in host RAM by cpu-offload-gb` };
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

/** Feature budgets beside the language model: the multimodal tower and encoder profile (estimator/multimodal.ts). */
export interface FeatureInputs {
  /** Encoder cache bytes the profiling run holds (vLLM), and the ViT peak beyond it. */
  encoderCacheBytes?: number;
  encoderActivationBytes?: number;
}

/** The vision/audio tower as its own component: the weights with it minus the weights without it (busiest GPU). */
export function towerComponent(model: ModelSpec, format: WeightFormat, par: Parallelism, params: ModelParams, load: LoadedParts): Reserved | undefined {
  if (load.encoders === false || !model.encoders?.length) return undefined;
  const bytes = weightBytesPerGpu(model, format, par, params, load) - weightBytesPerGpu(model, format, par, params, { ...load, encoders: false });
  return { name: 'tower', bytesPerGpu: bytes, source: `vision/audio tower + projector in 16 bits on the first stage, ${load.encodersReplicated ? 'a full copy per rank (--mm-encoder-tp-mode data)' : 'sharded or replicated as the engine builds it'} (encoders/)` };
}

/** LoRA adapter slots (estimator/lora.ts loraMemory): allocated at load time, before the engine sizes its KV pool. */
export function loraSlotsComponent(lora: LoraMemory): Reserved {
  return { name: 'loraSlots', bytesPerGpu: lora.bytesPerGpu, source: lora.source };
}

/** A feature's bytes per GPU and where its formula comes from. */
export interface FeatureBudget {
  bytesPerGpu: number;
  source: string;
}

export function featureBudgets(f: FeatureInputs = {}, lora?: LoraMemory, drafter?: FeatureBudget): Reserved[] {
  const out: Reserved[] = lora && lora.bytesPerGpu > 0 ? [loraSlotsComponent(lora)] : [];
  if (drafter && drafter.bytesPerGpu > 0) out.push({ name: 'drafter', ...drafter });
  if (f.encoderCacheBytes) out.push({ name: 'encoderCache', bytesPerGpu: f.encoderCacheBytes, source: 'vLLM profile_run: dummy encoder outputs kept in encoder_cache (items × max(tokens per item, encoder budget) × hidden × dtype) while the language model is profiled' });
  if (f.encoderActivationBytes) out.push({ name: 'encoderActivations', bytesPerGpu: f.encoderActivationBytes, source: "ViT activations of the profiling run's dummy items beyond the encoder cache and the language model's peak (estimated, not fitted on logs)" });
  return out;
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
  features?: FeatureInputs;
  /** LoRA serving's GPU buffers (estimator/lora.ts), when LoRA is on. */
  lora?: LoraMemory;
  /** The speculative drafter's weights (drafter.ts), when the plan drafts with a network. */
  drafter?: FeatureBudget;
  /** Weight bytes per GPU that --cpu-offload-gb keeps in host RAM (offload.ts): they come off the GPU's weights. */
  offloadedWeightBytes?: number;
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
  const load = x.load ?? {};
  const tower = towerComponent(x.model, x.format, x.par, x.params, load);
  const reserved: Reserved[] = [
    offloadedFrom(weightsComponent(x.model, x.format, x.par, x.params, tower ? { ...load, encoders: false } : load), x.offloadedWeightBytes),
    ...(tower ? [tower] : []),
    activationsComponent(x.engine, x.model, x.maxNumBatchedTokens, x.maxNumSeqs, x.par, x.gpu, x.version),
    nonTorchComponent(x.commGpus, x.gpu),
    cudaGraphsComponent(x.model, x.par, x.cudaGraphs),
    ...featureBudgets(x.features, x.lora, x.drafter),
  ];
  // A feature budget is summed into the component it is part of, as the engine measures it.
  const bytes = (name: 'weights' | 'activations' | 'nonTorch' | 'cudaGraphs') => {
    let sum = 0;
    for (const c of reserved) if (c.name === name || PART_OF[c.name as FeatureBudgetName] === name) sum += c.bytesPerGpu;
    return sum;
  };
  const lora = reserved.find((c) => c.name === 'loraSlots')?.bytesPerGpu ?? 0;
  const enginePool = x.engine.kvPool({ totalBytes: x.gpu.usableBytes, weightsBytes: bytes('weights'), activationBytes: bytes('activations'), nonTorchBytes: bytes('nonTorch'), cudaGraphBytes: bytes('cudaGraphs'), loraSlotBytes: lora, drafterBytes: reserved.find((c) => c.name === 'drafter')?.bytesPerGpu ?? 0, utilization: x.utilization }, x.version);
  const pool: KvPool = lora > 0 ? { poolBytes: enginePool.poolBytes, get formula() { return `${enginePool.formula}; adapter slots ${(lora / 2 ** 30).toFixed(2)} GiB come off the budget with the weights`; } } : enginePool;
  const deducts = x.engine.poolDeducts(x.version);
  const role = (name: ReservedComponentName): BudgetRole => (deducts.includes(name) || deducts.includes(PART_OF[name as FeatureBudgetName] ?? name) ? 'deducted' : 'outside');
  const poolBytes = Math.max(0, pool.poolBytes);
  const state = x.state ? Math.min(poolBytes, x.state.bytes(poolBytes)) : 0;
  const components: MemoryComponent[] = [
    ...reserved.map((c): MemoryComponent => ({ ...c, budget: role(c.name) })),
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
const NOT_OVERHEAD: readonly MemoryComponentName[] = ['weights', 'tower', 'activations', 'kvPool', 'state'];

/** Overhead bytes per GPU, summed in list order (non-torch + CUDA graphs + feature budgets but the tower, which the
 *  figures count as weights). */
export function overheadBytes(components: readonly MemoryComponent[]): number {
  let sum = 0;
  for (const c of components) if (!NOT_OVERHEAD.includes(c.name)) sum += c.bytesPerGpu;
  return sum;
}
