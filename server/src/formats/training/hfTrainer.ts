/**
 * Hugging Face TrainingArguments / TRL SFTConfig written as YAML or JSON (HfArgumentParser.parse_yaml_file /
 * parse_json_file, TrlParser), with TRL's ModelConfig keys beside them: batch, accumulation, checkpointing,
 * precision, optim, DeepSpeed (a path or an inline object), FSDP, max_length, packing and the PEFT keys.
 */
import { entries, ParsedDocument } from '../document';
import { byDefault } from '../../plan/types';
import { hfTrainerKeys } from '../keys/training/hfTrainer';
import { fileRange, hfOptim, set, skeleton } from './common';
import { fsdpFrom } from './fsdp';
import { linkDeepspeed } from './linked';
import type { TrainingReadContext, TrainingReader } from './types';
import { checkKeys } from './unknownKeys';
import { Values } from './values';

const TRAINER = ['per_device_train_batch_size', 'gradient_accumulation_steps', 'num_train_epochs', 'max_steps', 'lr_scheduler_type', 'optim', 'gradient_checkpointing',
  'warmup_ratio', 'warmup_steps', 'logging_steps', 'save_strategy', 'save_steps', 'eval_strategy', 'evaluation_strategy', 'output_dir', 'learning_rate', 'per_device_eval_batch_size',
  'bf16', 'fp16', 'max_seq_length', 'max_length', 'packing', 'dataset_text_field', 'use_peft', 'lora_r', 'deepspeed', 'fsdp', 'report_to'];
const STRONG = ['per_device_train_batch_size', 'gradient_accumulation_steps', 'num_train_epochs', 'max_steps', 'lr_scheduler_type', 'optim', 'max_seq_length', 'packing', 'dataset_text_field'];
/** Keys only TRL has: the defaults then are SFTConfig's. */
const TRL = ['max_seq_length', 'max_length', 'packing', 'dataset_text_field', 'use_peft', 'lora_r', 'model_name_or_path', 'dataset_name', 'completion_only_loss', 'padding_free'];

export const hfTrainerReader: TrainingReader = {
  format: 'hf-trainer',
  detect(keys) {
    return TRAINER.filter((k) => keys.has(k)).length >= 3 && STRONG.some((k) => keys.has(k));
  },
  read(doc: ParsedDocument, ctx: TrainingReadContext) {
    const v = new Values(doc, hfTrainerKeys);
    const root = doc.docs[0].contents;
    checkKeys(v, root);
    const keys = new Set(entries(root).map((e) => e.key));
    const trl = TRL.some((k) => keys.has(k));
    // transformers training_args.py defaults: per_device_train_batch_size 8, accumulation 1, gradient_checkpointing
    // False, optim adamw_torch, no bf16/fp16; TRL sft_config.py: max_length 1024. Models load in fp32 unless a dtype is given.
    const plan = skeleton('hf-trainer', {
      method: ['full', 'no use_peft: full fine-tune'],
      precision: ['fp32', 'no bf16/fp16: fp32 training'],
      optimizer: ['adamw', 'TrainingArguments default optim adamw_torch'],
      seqLen: [1024, trl ? 'TRL SFTConfig default max_length 1024' : 'TrainingArguments has no sequence length; 1024 (TRL\'s default) assumed'],
      microBatch: [8, 'TrainingArguments default per_device_train_batch_size 8'],
      gradAccum: [1, 'TrainingArguments default gradient_accumulation_steps 1'],
      checkpointing: [false, 'TrainingArguments default gradient_checkpointing false'],
    });
    set(plan, 'model', v.str(root, 'model_name_or_path'));
    const peft = v.bool(root, 'use_peft');
    const l4 = v.bool(root, 'load_in_4bit');
    const l8 = v.bool(root, 'load_in_8bit');
    if (l4?.value && l8?.value) v.problem('error', 'load_in_4bit and load_in_8bit cannot both be true.', fileRange(l8));
    if (l4?.value) plan.quantBits = { value: 4, source: l4.source };
    else if (l8?.value) plan.quantBits = { value: 8, source: l8.source };
    if (peft?.value) {
      plan.method = l4?.value ? { value: 'qlora', source: l4.source } : { value: 'lora', source: peft.source };
      const mods = v.list(root, 'lora_target_modules');
      // TRL model_config.py: lora_r 16, lora_alpha 32; no target modules = PEFT's per-architecture defaults.
      plan.lora = {
        rank: v.int(root, 'lora_r') ?? byDefault(16, 'TRL ModelConfig default lora_r 16'),
        alpha: v.num(root, 'lora_alpha') ?? byDefault(32, 'TRL ModelConfig default lora_alpha 32'),
        targets: mods && mods.value.length === 1 && mods.value[0] === 'all-linear' ? { value: 'all-linear', source: mods.source } : mods,
        dora: v.bool(root, 'use_dora'),
        modulesToSave: v.list(root, 'lora_modules_to_save'),
      };
    } else if (l4?.value || l8?.value) {
      v.problem('warning', 'load_in_4bit/8bit without use_peft: a quantized model cannot be fine-tuned in full (TRL only quantizes with use_peft).', fileRange((l4?.value ? l4 : l8)!));
    }

    const bf16 = v.bool(root, 'bf16');
    const fp16 = v.bool(root, 'fp16');
    const dt = v.first(root, ['torch_dtype', 'dtype']);
    const dtype = dt ? v.oneOf(v.str(root, dt.key), ['auto', 'bfloat16', 'float16', 'float32'], 'model dtype') : undefined;
    if (bf16?.value && fp16?.value) v.problem('error', 'bf16 and fp16 cannot both be true.', fileRange(fp16));
    // Autocast leaves parameters in the dtype they were loaded in: bf16-loaded weights train in pure bf16.
    if (fp16?.value) plan.precision = { value: 'mixed-fp16', source: fp16.source };
    else if (dtype?.value === 'bfloat16' || (dtype?.value === 'auto' && bf16?.value)) plan.precision = { value: 'bf16', source: dtype.source };
    else if (bf16?.value) plan.precision = { value: 'mixed', source: bf16.source };

    hfOptim(v, plan, root, 'optim');
    set(plan, 'tf32', v.bool(root, 'tf32'));
    set(plan, 'seqLen', v.int(root, 'max_length') ?? v.int(root, 'max_seq_length'));
    set(plan, 'microBatch', v.int(root, 'per_device_train_batch_size'));
    set(plan, 'gradAccum', v.int(root, 'gradient_accumulation_steps'));
    set(plan, 'gradientCheckpointing', v.bool(root, 'gradient_checkpointing'));
    set(plan, 'samplePacking', v.bool(root, 'packing'));
    const attn = v.oneOf(v.str(root, 'attn_implementation'), ['eager', 'sdpa', 'flash_attention_2', 'flash_attention_3', 'flex_attention', 'kernels-community/vllm-flash-attn3'], 'attention implementation');
    if (attn) {
      if (attn.value === 'flex_attention') plan.unmodelled.push({ key: 'attn_implementation: flex_attention', range: fileRange(attn) });
      else plan.attention = { value: attn.value === 'eager' ? 'eager' : attn.value === 'sdpa' ? 'sdpa' : 'flash', source: attn.source };
    }
    const liger = v.bool(root, 'use_liger_kernel');
    if (liger?.value) plan.logitsLoss = { value: 'fused', source: liger.source };

    const fsdp = fsdpFrom(v, root);
    const fc = v.entry(root, 'fsdp_config');
    if (fc && typeof fc.value === 'string' && fc.value.trim()) {
      plan.linked.push({ path: fc.value.trim(), range: v.valueRange(fc) });
      plan.unread.push({ what: fc.value.trim(), why: 'fsdp_config files are not read; the fsdp option list applies', source: v.src(fc, 'fsdp_config') });
    }
    const fcMap = v.map(root, 'fsdp_config')?.node;
    if (fcMap) checkKeys(v, fcMap, 'fsdp_config');
    if (fsdp.sharding) plan.sharding = fsdp.sharding;
    if (fsdp.checkpointing?.value) plan.gradientCheckpointing = fsdp.checkpointing;
    const ds = v.entry(root, 'deepspeed');
    if (ds && ds.value) {
      if (fsdp.sharding) v.problem('error', 'deepspeed and fsdp cannot both be set (TrainingArguments refuses them together).', v.keyRange(ds));
      linkDeepspeed(plan, v, root, 'deepspeed', ctx);
    }
    plan.unmodelled.push(...v.unmodelled(root));
    return { format: 'hf-trainer' as const, plan, problems: v.problems };
  },
};

