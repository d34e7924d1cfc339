/**
 * torchtune recipe config keys that change memory or speed. Defaults are the recipes' own (`cfg.get(key, default)` in
 * recipes/lora_finetune_single_device.py, full_finetune_distributed.py and friends, torchtune 0.6).
 */
import type { TrainingKeyTable } from './types';

export const torchtuneKeys: TrainingKeyTable = {
  format: 'torchtune',
  label: 'torchtune',
  // OmegaConf configs: recipes read the keys they know and ignore the rest.
  rejectsUnknown: false,
  keys: [
    { name: 'model', type: 'object', description: 'Model builder (`_component_`) and its arguments.' },
    { name: 'model._component_', type: 'string', description: 'Model builder: torchtune.models.<family>.<size> (full), lora_<…> (LoRA), qlora_<…> (QLoRA: NF4 base).', field: 'method', effect: 'lora_/qlora_ builders freeze the base: only adapters have gradients and optimizer states.' },
    { name: 'model.lora_rank', type: 'integer', minimum: 1, maximum: 65536, description: 'LoRA rank.', field: 'lora.rank', effect: 'Adapter parameters grow linearly with the rank.' },
    { name: 'model.lora_alpha', type: 'number', minimum: 0, maximum: 1e6, description: 'LoRA scaling numerator.', field: 'lora.alpha' },
    { name: 'model.lora_dropout', type: 'number', minimum: 0, maximum: 1, default: 0, description: 'LoRA dropout.' },
    { name: 'model.lora_attn_modules', type: 'array', description: 'Attention projections with adapters: q_proj, k_proj, v_proj, output_proj.', field: 'lora.targets', effect: 'More targets: more adapter parameters.' },
    { name: 'model.apply_lora_to_mlp', type: 'boolean', default: false, description: 'Adapters on the MLP (w1, w2, w3).', field: 'lora.targets', effect: 'The MLP holds about two thirds of a layer\'s linear parameters.' },
    { name: 'model.apply_lora_to_output', type: 'boolean', default: false, description: 'An adapter on the output projection.', field: 'lora.targets' },
    { name: 'model.use_dora', type: 'boolean', default: false, description: 'DoRA adapters.', field: 'lora.dora', effect: 'Extra magnitude vectors and weight-norm activations.' },
    { name: 'model.quantize_base', type: 'boolean', default: false, description: 'NF4 base weights (what the qlora_ builders set).', field: 'quantBits', effect: 'Base weights ≈ 0.5 bytes per parameter plus scales.' },
    { name: 'tokenizer.max_seq_len', type: 'integer', minimum: 1, maximum: 16_777_216, defaultNote: 'none: every sample keeps its own length', description: 'Longest tokenized sample (truncated beyond).', field: 'seqLen', effect: 'Activations and the logits grow linearly with it.' },
    { name: 'max_seq_len', type: 'integer', minimum: 1, maximum: 16_777_216, description: 'Top-level sequence length some configs interpolate into the tokenizer.', field: 'seqLen' },
    { name: 'dataset.packed', type: 'boolean', default: false, description: 'Pack samples into max_seq_len rows (needs tokenizer.max_seq_len).', field: 'samplePacking', effect: 'Every row is full.' },
    { name: 'batch_size', type: 'integer', minimum: 1, maximum: 65536, description: 'Sequences per GPU per step.', field: 'microBatch', effect: 'Activations and the logits grow linearly with it.' },
    { name: 'gradient_accumulation_steps', type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, description: 'Micro-batches per optimizer step (not with optimizer_in_bwd).', field: 'gradAccum', effect: 'No memory cost.' },
    { name: 'enable_activation_checkpointing', type: 'boolean', default: false, description: 'Checkpoint every transformer layer.', field: 'gradientCheckpointing', effect: 'Keeps one hidden state per layer instead of all its activations; ≈ 33 % more compute.' },
    { name: 'enable_activation_offloading', type: 'boolean', default: false, description: 'Offload saved activations to CPU on a side stream.', effect: 'Saved activations leave the GPU (not modelled).' },
    { name: 'optimizer_in_bwd', type: 'boolean', default: false, description: 'Step each parameter in its backward hook.', field: 'optimizerInBackward', effect: 'Gradients are freed as they are used: the full gradient set is never held.' },
    { name: 'optimizer', type: 'object', description: 'Optimizer component and its arguments.' },
    { name: 'optimizer._component_', type: 'string', description: 'torch.optim.AdamW, bitsandbytes.optim.PagedAdamW8bit, torchao.optim.AdamW8bit, torch.optim.SGD, …', field: 'optimizer', effect: 'AdamW: 8 bytes of state per trainable parameter in fp32 (4 in bf16); 8-bit: 2.' },
    { name: 'optimizer.fused', type: 'boolean', default: false, description: 'torch.optim.AdamW fused kernel (no foreach temporaries).', field: 'optimizer', effect: 'The foreach implementation\'s group-sized temporaries go away.' },
    { name: 'dtype', type: 'string', enum: ['bf16', 'fp32', 'fp16'], defaultNote: 'fp32 when absent (training.get_dtype); the shipped configs set bf16', description: 'Training dtype: torchtune trains in pure bf16 (no fp32 master copy).', field: 'precision', effect: 'bf16: 2 bytes per parameter, gradient and (for AdamW) state element.' },
    { name: 'fsdp_cpu_offload', type: 'boolean', default: false, description: 'Distributed recipes: FSDP2 CPU offload of parameters, gradients and the optimizer step.', field: 'sharding.offloadParams', effect: 'Model states leave the GPU; steps slow down on PCIe.' },
    { name: 'fsdp_reshard_after_forward', type: 'boolean', default: true, description: 'Distributed recipes: free gathered parameters after forward (false ≈ ZeRO-2).', field: 'sharding.stage' },
    { name: 'loss._component_', type: 'string', description: 'Loss; torchtune.modules.loss.CEWithChunkedOutputLoss upcasts the logits chunk by chunk.', field: 'logitsLoss', effect: 'Chunked: only one chunk of fp32 logits at a time.' },
    { name: 'checkpointer.checkpoint_dir', type: 'string', description: 'Folder of the base checkpoint.', field: 'model' },
    { name: 'compile', type: 'boolean', default: false, description: 'torch.compile the model and loss.', effect: 'Usually lower activation memory and faster steps (not modelled).' },
  ],
  otherKeys: ['output_dir', 'tokenizer', 'tokenizer._component_', 'tokenizer.path', 'tokenizer.merges_file', 'tokenizer.prompt_template', 'checkpointer', 'checkpointer._component_', 'checkpointer.checkpoint_files',
    'checkpointer.recipe_checkpoint', 'checkpointer.output_dir', 'checkpointer.model_type', 'checkpointer.adapter_checkpoint', 'resume_from_checkpoint', 'save_adapter_weights_only', 'dataset',
    'dataset._component_', 'dataset.source', 'dataset.split', 'dataset.data_files', 'dataset.column_map', 'dataset.train_on_input', 'seed', 'shuffle', 'optimizer.lr', 'optimizer.weight_decay',
    'optimizer.betas', 'optimizer.eps', 'optimizer.foreach', 'lr_scheduler', 'loss', 'epochs', 'max_steps_per_epoch', 'clip_grad_norm', 'device', 'metric_logger', 'log_every_n_steps',
    'log_peak_memory_stats', 'log_level', 'profiler', 'custom_sharded_layers', 'model.embed_dim', 'cpu_offload', 'save_every_n_steps', 'run_val_every_n_steps',
    'dataset_val', 'tensor_parallel_dim', 'tensor_parallel_plan', 'data_parallel_shard_dim', 'data_parallel_replicate_dim', 'context_parallel_dim', 'collate_fn', 'teacher_model',
    'ref_model', 'low_cpu_ram', 'quantizer'],
};
