/**
 * DeepSpeed JSON keys that change memory or speed (deepspeed/runtime/config.py, zero/config.py, zero/offload_config.py;
 * docs: deepspeed.ai/docs/config-json). `"auto"` is the Hugging Face integration's placeholder: the trainer fills it in
 * from its own arguments (transformers integrations/deepspeed.py HfTrainerDeepSpeedConfig).
 */
import type { TrainingKeyTable } from './types';

export const deepspeedKeys: TrainingKeyTable = {
  format: 'deepspeed',
  label: 'DeepSpeed',
  // Unknown top-level keys are ignored; the zero_optimization and offload sections are pydantic models that forbid extras.
  rejectsUnknown: false,
  keys: [
    { name: 'train_micro_batch_size_per_gpu', type: ['integer', 'string'], minimum: 1, maximum: 65536, description: 'Sequences per GPU per step (`auto`: the trainer\'s per-device batch).', field: 'microBatch', effect: 'Activations and the logits grow linearly with it.' },
    { name: 'gradient_accumulation_steps', type: ['integer', 'string'], minimum: 1, maximum: 1_000_000, description: 'Micro-batches per optimizer step.', field: 'gradAccum', effect: 'No memory cost.' },
    { name: 'train_batch_size', type: ['integer', 'string'], minimum: 1, maximum: 100_000_000, description: 'Global batch = micro-batch × accumulation × data-parallel GPUs.' },
    { name: 'bf16', type: 'object', description: 'bf16 training: bf16 weights and activations, fp32 master weights and optimizer states inside the ZeRO optimizer.' },
    { name: 'bf16.enabled', type: ['boolean', 'string'], default: false, description: 'Turn bf16 on (`auto`: from the trainer\'s --bf16).', field: 'precision', effect: '16-bit weights and activations; fp32 master copy sharded by ZeRO.' },
    { name: 'fp16', type: 'object', description: 'fp16 training with dynamic loss scaling.' },
    { name: 'fp16.enabled', type: ['boolean', 'string'], default: false, description: 'Turn fp16 on (`auto`: from the trainer\'s --fp16).', field: 'precision', effect: 'As bf16, with loss scaling.' },
    { name: 'optimizer', type: 'object', description: 'DeepSpeed\'s optimizer (absent: the trainer\'s).' },
    { name: 'optimizer.type', type: 'string', description: 'Adam, AdamW, OneBitAdam, Lamb, Lion, … (CPU Adam when the optimizer is offloaded).', field: 'optimizer', effect: 'Adam/AdamW: 8 bytes of fp32 state per parameter, sharded from ZeRO-1 on.' },
    { name: 'zero_optimization', type: 'object', description: 'ZeRO settings.' },
    { name: 'zero_optimization.stage', type: 'integer', enum: [0, 1, 2, 3], default: 0, description: 'ZeRO stage: 1 shards optimizer states, 2 also gradients, 3 also parameters.', field: 'sharding.stage', effect: 'Each stage divides one more kind of model state by the number of GPUs.' },
    { name: 'zero_optimization.offload_optimizer', type: 'object', description: 'Optimizer-state offload (stages 1–3).' },
    { name: 'zero_optimization.offload_optimizer.device', type: 'string', enum: ['none', 'cpu', 'nvme'], default: 'none', description: 'Where optimizer states and the fp32 master copy live.', field: 'sharding.offloadOptimizer', effect: 'cpu/nvme: the 12–16 bytes per parameter of master copy and states leave the GPU; the step runs on CPU.' },
    { name: 'zero_optimization.offload_param', type: 'object', description: 'Parameter offload (stage 3 only).' },
    { name: 'zero_optimization.offload_param.device', type: 'string', enum: ['none', 'cpu', 'nvme'], default: 'none', description: 'Where 16-bit parameters live between uses (stage 3).', field: 'sharding.offloadParams', effect: 'cpu/nvme: parameter shards leave the GPU; only the layers in use are gathered.' },
    { name: 'zero_optimization.stage3_max_live_parameters', type: ['integer', 'string'], minimum: 0, default: 1e9, description: 'Stage 3: most parameters held gathered at once.', effect: 'Caps the gathered-parameter working set.' },
    { name: 'zero_optimization.stage3_prefetch_bucket_size', type: ['integer', 'string'], minimum: 0, default: 5e7, description: 'Stage 3: parameters prefetched ahead.', effect: 'Adds its size in gathered 16-bit parameters.' },
    { name: 'zero_optimization.reduce_bucket_size', type: ['integer', 'string'], minimum: 0, default: 5e8, description: 'Gradient reduce bucket (elements).', effect: 'A communication buffer of this many elements (2 bytes each in 16-bit).' },
    { name: 'zero_optimization.allgather_bucket_size', type: ['integer', 'string'], minimum: 0, default: 5e8, description: 'Stages 1–2: all-gather bucket (elements).', effect: 'A communication buffer of this many elements.' },
    { name: 'activation_checkpointing', type: 'object', description: 'DeepSpeed activation checkpointing (Megatron-style models only; HF models use gradient_checkpointing).' },
  ],
  otherKeys: ['steps_per_print', 'wall_clock_breakdown', 'gradient_clipping', 'prescale_gradients', 'zero_allow_untested_optimizer', 'scheduler', 'communication_data_type', 'flops_profiler',
    'tensorboard', 'wandb', 'csv_monitor', 'comms_logger', 'amp', 'data_types', 'checkpoint', 'aio', 'zero_force_ds_cpu_optimizer', 'dump_state', 'elasticity', 'compression_training',
    'bf16.immediate_grad_update', 'bf16.bf16_master_weights_and_grads', 'bf16.bf16_optimizer_states', 'fp16.loss_scale', 'fp16.loss_scale_window', 'fp16.initial_scale_power', 'fp16.hysteresis', 'fp16.min_loss_scale', 'fp16.auto_cast',
    'optimizer.params', 'zero_optimization.overlap_comm', 'zero_optimization.contiguous_gradients', 'zero_optimization.allgather_partitions', 'zero_optimization.reduce_scatter',
    'zero_optimization.sub_group_size', 'zero_optimization.stage3_param_persistence_threshold', 'zero_optimization.stage3_max_reuse_distance',
    'zero_optimization.stage3_gather_16bit_weights_on_model_save', 'zero_optimization.stage3_gather_fp16_weights_on_model_save', 'zero_optimization.round_robin_gradients',
    'zero_optimization.zero_hpz_partition_size', 'zero_optimization.zero_quantized_weights', 'zero_optimization.zero_quantized_gradients', 'zero_optimization.mics_shard_size',
    'zero_optimization.offload_optimizer.pin_memory', 'zero_optimization.offload_optimizer.nvme_path', 'zero_optimization.offload_optimizer.buffer_count', 'zero_optimization.offload_optimizer.fast_init',
    'zero_optimization.offload_optimizer.ratio', 'zero_optimization.offload_param.pin_memory', 'zero_optimization.offload_param.nvme_path', 'zero_optimization.offload_param.buffer_count',
    'zero_optimization.offload_param.buffer_size', 'zero_optimization.offload_param.max_in_cpu', 'zero_optimization.cpu_offload', 'zero_optimization.memory_efficient_linear',
    'zero_optimization.load_from_fp32_weights', 'zero_optimization.elastic_checkpoint', 'zero_optimization.ignore_unused_parameters', 'zero_optimization.legacy_stage1',
    'activation_checkpointing.partition_activations', 'activation_checkpointing.cpu_checkpointing', 'activation_checkpointing.contiguous_memory_optimization',
    'activation_checkpointing.number_checkpoints', 'activation_checkpointing.synchronize_checkpoint_boundary', 'activation_checkpointing.profile'],
};
