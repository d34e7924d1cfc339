/**
 * accelerate config YAML keys (`accelerate config` output; accelerate/commands/config/config_args.py ClusterConfig,
 * utils/dataclasses.py FullyShardedDataParallelPlugin / DeepSpeedPlugin) that change memory or speed.
 */
import type { TrainingKeyTable } from './types';

export const accelerateKeys: TrainingKeyTable = {
  format: 'accelerate',
  label: 'accelerate',
  // ClusterConfig.from_yaml_file raises on top-level keys it does not know ("had unknown keys").
  rejectsUnknown: true,
  keys: [
    { name: 'distributed_type', type: 'string', enum: ['NO', 'MULTI_GPU', 'MULTI_CPU', 'MULTI_NPU', 'MULTI_XPU', 'MULTI_MLU', 'MULTI_SDAA', 'MULTI_MUSA', 'DEEPSPEED', 'FSDP', 'XLA', 'MEGATRON_LM'], description: 'How processes share the work.', field: 'sharding', effect: 'MULTI_GPU (DDP) replicates all model states on every GPU; DEEPSPEED/FSDP shard them.' },
    { name: 'num_processes', type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, description: 'Processes (GPUs) in total across machines.', field: 'hardware.gpusPerNode', effect: 'With sharding, per-GPU model states divide by it.' },
    { name: 'num_machines', type: 'integer', minimum: 1, maximum: 100_000, default: 1, description: 'Nodes.', field: 'hardware.nodes' },
    { name: 'mixed_precision', type: 'string', enum: ['no', 'fp16', 'bf16', 'fp8'], default: 'no', description: 'Autocast dtype (parameters keep the dtype they were loaded in).', field: 'precision', effect: '16-bit activations; fp32 master weights stay.' },
    { name: 'deepspeed_config', type: 'object', description: 'DeepSpeed plugin settings.' },
    { name: 'deepspeed_config.zero_stage', type: 'integer', enum: [0, 1, 2, 3], default: 2, description: 'ZeRO stage.', field: 'sharding.stage', effect: 'Each stage shards one more kind of model state.' },
    { name: 'deepspeed_config.offload_optimizer_device', type: 'string', enum: ['none', 'cpu', 'nvme'], default: 'none', description: 'Optimizer-state offload.', field: 'sharding.offloadOptimizer', effect: 'Master copy and states leave the GPU.' },
    { name: 'deepspeed_config.offload_param_device', type: 'string', enum: ['none', 'cpu', 'nvme'], default: 'none', description: 'Parameter offload (stage 3).', field: 'sharding.offloadParams', effect: 'Parameter shards leave the GPU.' },
    { name: 'deepspeed_config.gradient_accumulation_steps', type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, description: 'Micro-batches per optimizer step.', field: 'gradAccum' },
    { name: 'deepspeed_config.deepspeed_config_file', type: 'string', description: 'A DeepSpeed JSON used instead of these keys (read and merged).', field: 'sharding' },
    { name: 'deepspeed_config.zero3_init_flag', type: 'boolean', description: 'Build the model already partitioned (load-time host/GPU memory).' },
    { name: 'fsdp_config', type: 'object', description: 'FSDP plugin settings.' },
    { name: 'fsdp_config.fsdp_sharding_strategy', type: ['string', 'integer'], description: 'FULL_SHARD (1), SHARD_GRAD_OP (2), NO_SHARD (3), HYBRID_SHARD (4), HYBRID_SHARD_ZERO2 (5).', field: 'sharding.stage', effect: 'FULL_SHARD ≈ ZeRO-3, SHARD_GRAD_OP ≈ ZeRO-2.' },
    { name: 'fsdp_config.fsdp_reshard_after_forward', type: ['boolean', 'string'], description: 'FSDP2: true ≈ FULL_SHARD, false ≈ SHARD_GRAD_OP (also takes the strategy names).', field: 'sharding.stage' },
    { name: 'fsdp_config.fsdp_offload_params', type: 'boolean', default: false, description: 'CPU offload of parameters, gradients and the step.', field: 'sharding.offloadParams', effect: 'Model states leave the GPU; slower steps.' },
    { name: 'fsdp_config.fsdp_version', type: 'integer', enum: [1, 2], default: 1, description: 'FSDP1 or FSDP2.' },
    { name: 'fsdp_config.fsdp_activation_checkpointing', type: 'boolean', default: false, description: 'Checkpoint the wrapped layers (FSDP2 and FSDP1 via accelerate).', field: 'gradientCheckpointing', effect: 'Keeps one hidden state per layer.' },
  ],
  otherKeys: ['compute_environment', 'debug', 'downcast_bf16', 'enable_cpu_affinity', 'gpu_ids', 'machine_rank', 'main_process_ip', 'main_process_port', 'main_training_function', 'rdzv_backend',
    'same_network', 'tpu_env', 'tpu_use_cluster', 'tpu_use_sudo', 'use_cpu', 'dynamo_config', 'megatron_lm_config', 'ipex_config', 'mpirun_config', 'fp8_config', 'parallelism_config',
    'tpu_name', 'tpu_zone', 'commands', 'command_file', 'deepspeed_config.deepspeed_multinode_launcher', 'deepspeed_config.deepspeed_hostfile', 'deepspeed_config.gradient_clipping',
    'deepspeed_config.zero3_save_16bit_model', 'deepspeed_config.offload_optimizer_nvme_path', 'deepspeed_config.offload_param_nvme_path', 'deepspeed_config.deepspeed_moe_layer_cls_names',
    'fsdp_config.fsdp_auto_wrap_policy', 'fsdp_config.fsdp_transformer_layer_cls_to_wrap', 'fsdp_config.fsdp_backward_prefetch', 'fsdp_config.fsdp_backward_prefetch_policy',
    'fsdp_config.fsdp_forward_prefetch', 'fsdp_config.fsdp_state_dict_type', 'fsdp_config.fsdp_sync_module_states', 'fsdp_config.fsdp_use_orig_params',
    'fsdp_config.fsdp_cpu_ram_efficient_loading', 'fsdp_config.fsdp_min_num_params'],
};
