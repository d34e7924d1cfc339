/**
 * LLaMA-Factory YAML (`llamafactory-cli train config.yaml`): model_name_or_path, finetuning_type, LoRA keys,
 * on-the-fly quantization, cutoff_len, the Trainer's batch keys, precision, optim, flash_attn, packing, DeepSpeed.
 */
import { byDefault } from '../../plan/types';
import type { ParsedDocument } from '../document';
import { llamafactoryKeys } from '../keys/training/llamafactory';
import { fileRange, hfOptim, set, skeleton } from './common';
import { linkDeepspeed } from './linked';
import type { TrainingReadContext, TrainingReader } from './types';
import { checkKeys } from './unknownKeys';
import { Values } from './values';

export const llamafactoryReader: TrainingReader = {
  format: 'llamafactory',
  detect(keys) {
    return keys.has('finetuning_type') || (keys.has('model_name_or_path') && ['stage', 'template', 'cutoff_len', 'lora_target', 'dataset_dir'].some((k) => keys.has(k)));
  },
  read(doc: ParsedDocument, ctx: TrainingReadContext) {
    const v = new Values(doc, llamafactoryKeys);
    const root = doc.docs[0].contents;
    checkKeys(v, root);
    // Defaults: src/llamafactory/hparams/finetuning_args.py (finetuning_type lora, lora_rank 8, lora_alpha = 2 × rank,
    // lora_target all), data_args.py (cutoff_len 2048), TrainingArguments (per_device_train_batch_size 8, optim
    // adamw_torch). Gradient checkpointing is ON unless disable_gradient_checkpointing (model_utils/checkpointing.py,
    // prepare_model_for_training). Without bf16/fp16 the trainable parameters are fp32 and nothing autocasts.
    const plan = skeleton('llamafactory', {
      method: ['lora', 'LLaMA-Factory default finetuning_type lora'],
      precision: ['fp32', 'neither bf16 nor fp16: trainable parameters fp32, no autocast (LLaMA-Factory)'],
      optimizer: ['adamw', 'Hugging Face Trainer default optim adamw_torch'],
      seqLen: [2048, 'LLaMA-Factory default cutoff_len 2048'],
      microBatch: [8, 'Hugging Face Trainer default per_device_train_batch_size 8'],
      gradAccum: [1, 'Hugging Face Trainer default gradient_accumulation_steps 1'],
      checkpointing: [true, 'LLaMA-Factory turns gradient checkpointing on unless disable_gradient_checkpointing: true'],
    });
    set(plan, 'model', v.str(root, 'model_name_or_path'));
    const stage = v.oneOf(v.str(root, 'stage'), ['pt', 'sft', 'rm', 'ppo', 'dpo', 'kto'], 'LLaMA-Factory stage');
    if (stage && !['pt', 'sft'].includes(stage.value)) plan.unmodelled.push({ key: `stage: ${stage.value}`, range: fileRange(stage) });
    const ft = v.oneOf(v.str(root, 'finetuning_type'), ['lora', 'oft', 'freeze', 'full'], 'LLaMA-Factory finetuning_type');
    if (ft) {
      plan.method = { value: ft.value === 'oft' ? 'lora' : (ft.value as 'lora' | 'freeze' | 'full'), source: ft.source };
      if (ft.value === 'oft') plan.unmodelled.push({ key: 'finetuning_type: oft', range: fileRange(ft) });
    }
    const bits = v.int(root, 'quantization_bit');
    if (bits) {
      if (bits.value === 4 || bits.value === 8) plan.quantBits = { value: bits.value, source: bits.source };
      else plan.unmodelled.push({ key: `quantization_bit: ${bits.value}`, range: fileRange(bits) });
      if (bits.value === 4 && plan.method.value === 'lora') plan.method = { value: 'qlora', source: bits.source };
      const qm = v.oneOf(v.str(root, 'quantization_method'), ['bnb', 'bitsandbytes', 'hqq', 'eetq'], 'LLaMA-Factory quantization_method');
      // HQQ and EETQ store weights differently from bitsandbytes NF4 / int8: sized as bitsandbytes, and said so.
      if (qm && (qm.value === 'hqq' || qm.value === 'eetq')) plan.unmodelled.push({ key: `quantization_method: ${qm.value}`, range: fileRange(qm) });
      if (plan.method.value === 'full' || plan.method.value === 'freeze') v.problem('error', 'quantization_bit works with LoRA only: LLaMA-Factory refuses to train a quantized model in full or freeze mode.', fileRange(bits));
    }
    if (plan.method.value === 'lora' || plan.method.value === 'qlora') {
      const rank = v.int(root, 'lora_rank') ?? byDefault(8, 'LLaMA-Factory default lora_rank 8');
      const target = v.list(root, 'lora_target');
      plan.lora = {
        rank,
        alpha: v.num(root, 'lora_alpha') ?? byDefault(rank.value * 2, 'LLaMA-Factory default lora_alpha = 2 × lora_rank'),
        targets: target && target.value.length === 1 && target.value[0].toLowerCase() === 'all' ? { value: 'all-linear', source: target.source } : target ?? byDefault('all-linear', 'LLaMA-Factory default lora_target all'),
        dora: v.bool(root, 'use_dora'),
        modulesToSave: v.list(root, 'additional_target'),
      };
    }
    const pure = v.bool(root, 'pure_bf16');
    const bf16 = v.bool(root, 'bf16');
    const fp16 = v.bool(root, 'fp16');
    if (bf16?.value && fp16?.value) v.problem('error', 'bf16 and fp16 cannot both be true.', fileRange(fp16));
    // _setup_full_tuning / _setup_lora_tuning cast trainable parameters to fp32 unless pure_bf16 (or ZeRO-3 / FSDP).
    if (pure?.value) plan.precision = { value: 'bf16', source: pure.source };
    else if (bf16?.value) plan.precision = { value: 'mixed', source: bf16.source };
    else if (fp16?.value) plan.precision = { value: 'mixed-fp16', source: fp16.source };
    hfOptim(v, plan, root, 'optim');
    set(plan, 'tf32', v.bool(root, 'tf32'));
    set(plan, 'seqLen', v.int(root, 'cutoff_len'));
    set(plan, 'microBatch', v.int(root, 'per_device_train_batch_size'));
    set(plan, 'gradAccum', v.int(root, 'gradient_accumulation_steps'));
    const off = v.bool(root, 'disable_gradient_checkpointing');
    if (off) plan.gradientCheckpointing = { value: !off.value, source: off.source };
    const packing = v.bool(root, 'packing');
    const neat = v.bool(root, 'neat_packing');
    if (neat?.value) plan.samplePacking = neat;
    else if (packing) plan.samplePacking = packing;
    else if (stage?.value === 'pt') plan.samplePacking = { value: true, source: stage.source };
    const fa = v.oneOf(v.str(root, 'flash_attn'), ['auto', 'disabled', 'sdpa', 'fa2', 'fa3'], 'LLaMA-Factory flash_attn value');
    if (fa && fa.value !== 'auto') plan.attention = { value: fa.value === 'sdpa' ? 'sdpa' : fa.value === 'disabled' ? 'eager' : 'flash', source: fa.source };
    const liger = v.bool(root, 'enable_liger_kernel');
    if (liger?.value) plan.logitsLoss = { value: 'fused', source: liger.source };
    linkDeepspeed(plan, v, root, 'deepspeed', ctx);
    plan.unmodelled.push(...v.unmodelled(root));
    return { format: 'llamafactory' as const, plan, problems: v.problems };
  },
};
