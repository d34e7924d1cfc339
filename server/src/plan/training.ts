import type { Provenance, Sourced, SourceRange } from './types';

/**
 * The normalized fine-tuning plan: what every training-config reader (axolotl, LLaMA-Factory, torchtune, TRL /
 * transformers TrainingArguments, DeepSpeed JSON, accelerate YAML) produces and the training estimator consumes — the
 * sibling of DeploymentPlan. Every value keeps where it came from, so findings land on the key and fixes edit it.
 * An absent field is the framework's default; the estimator resolves it and states it as an assumption.
 */

export const trainingFormats = ['axolotl', 'llamafactory', 'torchtune', 'hf-trainer', 'deepspeed', 'accelerate'] as const;
export type TrainingFormat = (typeof trainingFormats)[number];

/** `freeze` (LLaMA-Factory): only the last layers train, full-rank. */
export const trainingMethods = ['full', 'lora', 'qlora', 'freeze'] as const;
export type TrainingMethod = (typeof trainingMethods)[number];

/** `bf16`: parameters, gradients and optimizer states all bf16 (pure 16-bit); `mixed`: fp32 master parameters, fp32
 *  gradients and states, bf16 autocast (fp16 autocast: `mixed-fp16`); `fp32`: no autocast. */
export const trainingPrecisions = ['bf16', 'mixed', 'mixed-fp16', 'fp32'] as const;
export type TrainingPrecision = (typeof trainingPrecisions)[number];

/** `adamw`: PyTorch's foreach AdamW (temporaries the size of a parameter group); `adamw-fused`: fused kernel, none. */
export const optimizerNames = ['adamw', 'adamw-fused', 'adamw-8bit', 'paged-adamw-8bit', 'paged-adamw-32bit', 'adafactor', 'sgd', 'lion', 'lion-8bit'] as const;
export type OptimizerName = (typeof optimizerNames)[number];

export type AttentionImpl = 'flash' | 'sdpa' | 'eager';

export interface LoraTrainingKnobs {
  rank?: Sourced<number>;
  alpha?: Sourced<number>;
  /** Module names as written (`q_proj`, `v_proj`, …), or `all-linear` (axolotl lora_target_linear, LLaMA-Factory `all`,
   *  PEFT `all-linear`). Absent: the framework's default targets. torchtune's own names are given as the Hugging Face
   *  modules they are (output_proj → o_proj, w1/w3/w2 → gate_proj/up_proj/down_proj, output → lm_head). */
  targets?: Sourced<string[] | 'all-linear'>;
  dora?: Sourced<boolean>;
  /** Adapter weights' dtype; PEFT keeps them fp32 unless the file says otherwise. */
  adapterDtype?: Sourced<'fp32' | 'bf16' | 'fp16'>;
  /** Modules trained in full beside the adapters (PEFT modules_to_save: axolotl lora_modules_to_save, LLaMA-Factory
   *  additional_target): each adds its weights' gradients and optimizer states. */
  modulesToSave?: Sourced<string[]>;
}

/** Sharding of model states across the data-parallel GPUs. FSDP maps to the ZeRO stage it matches:
 *  FULL_SHARD = 3, SHARD_GRAD_OP = 2, NO_SHARD = 0; HYBRID_SHARD shards within a node (stage 3, `hybrid`). */
export interface ShardingKnobs {
  kind: 'zero' | 'fsdp' | 'none';
  stage: Sourced<0 | 1 | 2 | 3>;
  hybrid?: boolean;
  /** DeepSpeed offload_optimizer.device / FSDP cpu offload of parameters (which implies their optimizer states). */
  offloadOptimizer?: Sourced<'none' | 'cpu' | 'nvme'>;
  offloadParams?: Sourced<'none' | 'cpu' | 'nvme'>;
}

/** Another file this one names (axolotl `deepspeed: ds.json`, TrainingArguments `deepspeed`, accelerate
 *  `deepspeed_config_file`): the reader resolves it next to the file when it can and merges its knobs. */
export interface LinkedFile {
  path: string;
  range: SourceRange;
  /** Absent when the file could not be read (the plan says so in `unread`). */
  format?: TrainingFormat;
  /** The path that was read (resolved next to the config or in a folder above it). */
  uri?: string;
  /** The TrainingPlan fields whose values came from this file (`sharding.stage`, `precision`, …): their ranges are
   *  ranges in that file, not in the config. */
  fields?: string[];
}

export interface TrainingPlan {
  format: TrainingFormat;
  /** Base model: hub id or local path (axolotl base_model, LLaMA-Factory model_name_or_path, torchtune checkpointer dir…). */
  model?: Sourced<string>;
  /** torchtune's model builder (`torchtune.models.llama3_1.lora_llama3_1_8b`): names the architecture and size, which
   *  a local checkpoint folder does not. */
  modelBuilder?: Sourced<string>;
  method: Sourced<TrainingMethod>;
  lora?: LoraTrainingKnobs;
  /** Base weights loaded in 4 or 8 bits (load_in_4bit, quantization_bit, bnb 4-bit components). */
  quantBits?: Sourced<4 | 8>;
  precision: Sourced<TrainingPrecision>;
  /** TF32 matmuls for the fp32 math (axolotl / LLaMA-Factory / Trainer `tf32`): speed only, no memory effect. */
  tf32?: Sourced<boolean>;
  optimizer: Sourced<OptimizerName>;
  /** torchtune optimizer_in_bwd: each parameter's step runs in its backward hook, so gradients are never all held. */
  optimizerInBackward?: Sourced<boolean>;
  seqLen: Sourced<number>;
  microBatch: Sourced<number>;
  gradAccum: Sourced<number>;
  gradientCheckpointing: Sourced<boolean>;
  /** Several samples packed into one sequence of seqLen (tokens per step = micro-batch × seqLen exactly). */
  samplePacking?: Sourced<boolean>;
  attention?: Sourced<AttentionImpl>;
  /** How the loss sees the logits when not the plain full-vocabulary cross-entropy: `chunked` (torchtune
   *  CEWithChunkedOutputLoss, axolotl chunked_cross_entropy: fp32 upcast one chunk at a time), `fused` (Liger fused linear
   *  cross-entropy, Cut Cross-Entropy: the batch × seq × vocab logits are never materialized). */
  logitsLoss?: Sourced<'chunked' | 'fused'>;
  sharding: ShardingKnobs;
  /** GPUs per node and nodes (accelerate num_processes / num_machines; else the CLI's --gpus, else 1). */
  hardware: { gpu?: Sourced<string>; gpusPerNode?: Sourced<number>; nodes?: Sourced<number> };
  linked: LinkedFile[];
  /** Keys read but not modelled (e.g. `neftune_noise_alpha`), so findings can say so. */
  unmodelled: { key: string; range: SourceRange }[];
  /** Linked files or values that could not be read, with why. */
  unread: { what: string; why: string; source: Provenance }[];
}
