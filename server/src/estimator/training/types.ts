/**
 * The training estimator's resolved inputs (a TrainingPlan with every default filled in and stated) and its result.
 * Byte counts are per GPU unless a name says otherwise.
 */
import type { GpuSpec } from '../../catalog/gpus';
import type { ModelParams, ModelSpec } from '../modelSpec';
import type { AttentionImpl, OptimizerName, TrainingMethod, TrainingPlan, TrainingPrecision } from '../../plan/training';

export type AdapterDtype = 'fp32' | 'bf16' | 'fp16';

export interface LoraSetup {
  rank: number;
  alpha: number;
  /** Module names (`q_proj`, …); `all-linear` expanded by modules.ts. */
  targets: string[] | 'all-linear';
  dora: boolean;
  adapterDtype: AdapterDtype;
}

export interface ShardingSetup {
  /** `zero`: DeepSpeed (16-bit parameters, fp32 master copy inside the optimizer); `fsdp`: PyTorch FSDP (the module's
   *  own dtype, sharded); `none`: DDP or one GPU (every rank holds everything). */
  kind: 'zero' | 'fsdp' | 'none';
  stage: 0 | 1 | 2 | 3;
  offloadOptimizer: 'none' | 'cpu' | 'nvme';
  offloadParams: 'none' | 'cpu' | 'nvme';
}

export interface TrainingInputs {
  spec: ModelSpec;
  params: ModelParams;
  method: TrainingMethod;
  lora?: LoraSetup;
  /** Base weights in 4-bit NF4 (QLoRA) or 8-bit (LLM.int8) through bitsandbytes. */
  quantBits?: 4 | 8;
  /** bitsandbytes double quantization of the 4-bit absmax scales (bnb_4bit_use_double_quant). */
  doubleQuant: boolean;
  precision: TrainingPrecision;
  optimizer: OptimizerName;
  /** SGD with a momentum buffer (torch.optim.SGD momentum > 0). */
  sgdMomentum: boolean;
  optimizerInBackward: boolean;
  seqLen: number;
  microBatch: number;
  gradAccum: number;
  gradientCheckpointing: boolean;
  samplePacking: boolean;
  attention: AttentionImpl;
  sharding: ShardingSetup;
  /** Data-parallel GPUs (all GPUs of all nodes) and GPUs per node. */
  gpus: number;
  gpusPerNode: number;
  gpu: GpuSpec;
  /** Cross-entropy over the whole logits tensor (transformers' ForCausalLMLoss) or in chunks (torchtune's
   *  CEWithChunkedOutputLoss, 8 chunks). */
  lossChunks: number;
  /** The framework whose defaults apply where they differ (QLoRA's fp32 upcast, the loss). */
  format: TrainingPlan['format'];
}

export interface ComponentBytes {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  logits: number;
  overhead: number;
}

export type PeakPhase = 'forward' | 'loss-backward' | 'backward' | 'optimizer-step';

export interface TrainingEstimate {
  model: string;
  gpu: GpuSpec;
  gpus: number;
  method: TrainingMethod;
  precision: TrainingPrecision;
  optimizer: OptimizerName;
  totalParams: number;
  trainableParams: number;
  /** Each component's size per GPU (what it holds when it is largest). */
  components: ComponentBytes;
  /** Bytes per GPU in each phase, allocated by PyTorch (torch.cuda.max_memory_allocated in that phase). */
  phases: Record<PeakPhase, number>;
  peakPhase: PeakPhase;
  /** torch.cuda.max_memory_allocated predicted. */
  allocatedPeakBytes: number;
  /** The allocated peak plus the CUDA context and the allocator's fragmentation reserve: what the GPU must hold. */
  peakBytesPerGpu: number;
  capacityBytes: number;
  fits: boolean;
  /** Host memory the offloaded states take (per node), 0 without offload. */
  hostBytesPerNode: number;
  tokensPerStep: number;
  effectiveBatch: number;
  flopsPerToken: number;
  stepSeconds: number;
  tokensPerSecond: number;
  assumptions: string[];
  issues: TrainingIssue[];
}

export interface TrainingIssue {
  code: 'training-does-not-fit' | 'training-near-capacity' | 'training-unmodelled';
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** The component that breaks the fit (the largest at the peak), for does-not-fit. */
  component?: keyof ComponentBytes;
}
