/**
 * axolotl YAML (`axolotl train config.yml`): base_model, adapter / LoRA keys, 4/8-bit loading, sequence_len,
 * micro_batch_size, accumulation, checkpointing, precision, optimizer, attention, DeepSpeed (a linked JSON) and FSDP.
 */
import type { TrainingPlan } from '../../plan/training';
import type { Sourced } from '../../plan/types';
import type { ParsedDocument } from '../document';
import { axolotlKeys } from '../keys/training/axolotl';
import { fileRange, hfOptim, set, skeleton } from './common';
import { fsdpFrom } from './fsdp';
import { linkDeepspeed } from './linked';
import type { TrainingReadContext, TrainingReader } from './types';
import { checkKeys } from './unknownKeys';
import { Values } from './values';

/** Keys no serving config has: with base_model, one of them makes the file axolotl's. */
const AXOLOTL_TRAINING = ['sequence_len', 'micro_batch_size', 'sample_packing', 'adapter', 'lora_r', 'lora_target_linear', 'num_epochs', 'load_in_4bit', 'load_in_8bit', 'gradient_accumulation_steps', 'dataset_prepared_path', 'pad_to_sequence_len'];

export const axolotlReader: TrainingReader = {
  format: 'axolotl',
  detect(keys) {
    return (keys.has('base_model') && AXOLOTL_TRAINING.some((k) => keys.has(k))) || (keys.has('sequence_len') && keys.has('micro_batch_size'));
  },
  read(doc: ParsedDocument, ctx: TrainingReadContext) {
    const v = new Values(doc, axolotlKeys);
    const root = doc.docs[0].contents;
    checkKeys(v, root);
    // Defaults: axolotl's schema (src/axolotl/utils/schemas/): sequence_len 512, micro_batch_size 1, accumulation 1,
    // gradient_checkpointing false, bf16 "auto", optimizer adamw_torch_fused (adamw_hf before transformers dropped it).
    const plan = skeleton('axolotl', {
      method: ['full', 'no adapter: full fine-tune (axolotl)'],
      precision: ['bf16', 'axolotl default bf16: auto — the model loaded in bf16 where the GPU supports it'],
      optimizer: ['adamw-fused', 'axolotl default optimizer adamw_torch_fused'],
      seqLen: [512, 'axolotl default sequence_len 512'],
      microBatch: [1, 'axolotl default micro_batch_size 1'],
      gradAccum: [1, 'axolotl default gradient_accumulation_steps 1'],
      checkpointing: [false, 'axolotl default gradient_checkpointing false'],
    });
    set(plan, 'model', v.str(root, 'base_model'));

    const adapter = v.oneOf(v.str(root, 'adapter'), ['lora', 'qlora', 'llama-adapter'], 'axolotl adapter');
    const l4 = v.bool(root, 'load_in_4bit');
    const l8 = v.bool(root, 'load_in_8bit');
    if (l4?.value && l8?.value) v.problem('error', 'load_in_4bit and load_in_8bit cannot both be true.', fileRange(l8));
    if (l4?.value) plan.quantBits = { value: 4, source: l4.source };
    else if (l8?.value) plan.quantBits = { value: 8, source: l8.source };
    if (adapter?.value === 'qlora') {
      plan.method = { value: 'qlora', source: adapter.source };
      if (!l4?.value) {
        // axolotl's config validation requires load_in_4bit for qlora.
        v.problem('error', 'adapter: qlora needs load_in_4bit: true (axolotl refuses the config otherwise).', fileRange(adapter));
        plan.quantBits = { value: 4, source: adapter.source };
      }
    } else if (adapter?.value === 'lora') {
      plan.method = l4?.value ? { value: 'qlora', source: l4.source } : { value: 'lora', source: adapter.source };
    } else if (adapter?.value === 'llama-adapter') {
      plan.unmodelled.push({ key: 'adapter', range: fileRange(adapter) });
    }
    if (plan.method.value === 'lora' || plan.method.value === 'qlora') {
      const linear = v.bool(root, 'lora_target_linear');
      const mods = v.list(root, 'lora_target_modules');
      plan.lora = {
        rank: v.int(root, 'lora_r'),
        alpha: v.num(root, 'lora_alpha'),
        targets: linear?.value ? { value: 'all-linear', source: linear.source } : mods,
        dora: v.bool(root, 'peft_use_dora'),
        modulesToSave: v.list(root, 'lora_modules_to_save'),
      };
      if (!plan.lora.rank) v.problem('warning', 'No lora_r: axolotl needs a LoRA rank for a LoRA adapter.', fileRange(adapter ?? plan.method));
    }

    precision(v, plan, root);
    set(plan, 'tf32', v.bool(root, 'tf32'));
    hfOptim(v, plan, root, 'optimizer');
    set(plan, 'seqLen', v.int(root, 'sequence_len'));
    set(plan, 'microBatch', v.int(root, 'micro_batch_size'));
    const accum = v.int(root, 'gradient_accumulation_steps');
    const batch = v.int(root, 'batch_size');
    if (accum) plan.gradAccum = accum;
    else if (batch) {
      // normalize_config: gradient_accumulation_steps = batch_size // micro_batch_size.
      plan.gradAccum = { value: Math.max(1, Math.floor(batch.value / plan.microBatch.value)), source: batch.source };
    }
    const gc = v.entry(root, 'gradient_checkpointing');
    if (gc && typeof gc.value === 'string' && /^(offload|offload_disk|unsloth)$/i.test(gc.value.trim())) {
      plan.gradientCheckpointing = v.at(true, gc, 'gradient_checkpointing');
      plan.unmodelled.push({ key: `gradient_checkpointing: ${gc.value}`, range: v.keyRange(gc) });
    } else set(plan, 'gradientCheckpointing', v.bool(root, 'gradient_checkpointing'));
    set(plan, 'samplePacking', v.bool(root, 'sample_packing'));

    const flash = v.bool(root, 'flash_attention');
    const sdp = v.bool(root, 'sdp_attention');
    const eager = v.bool(root, 'eager_attention');
    if (flash?.value) plan.attention = { value: 'flash', source: flash.source };
    else if (sdp?.value) plan.attention = { value: 'sdpa', source: sdp.source };
    else if (eager?.value) plan.attention = { value: 'eager', source: eager.source };

    const fused = v.bool(root, 'liger_fused_linear_cross_entropy') ?? v.bool(root, 'cut_cross_entropy');
    const chunked = v.bool(root, 'chunked_cross_entropy');
    if (fused?.value) plan.logitsLoss = { value: 'fused', source: fused.source };
    else if (chunked?.value) plan.logitsLoss = { value: 'chunked', source: chunked.source };

    const fsdp = fsdpFrom(v, root);
    const fsdpConfig = v.map(root, 'fsdp_config')?.node;
    if (fsdpConfig) checkKeys(v, fsdpConfig, 'fsdp_config');
    if (fsdp.sharding) plan.sharding = fsdp.sharding;
    if (fsdp.checkpointing?.value) plan.gradientCheckpointing = fsdp.checkpointing;
    const ds = v.entry(root, 'deepspeed');
    if (ds && ds.value) {
      if (fsdp.sharding) v.problem('error', 'deepspeed and fsdp cannot both be set (axolotl refuses the config).', v.keyRange(ds));
      linkDeepspeed(plan, v, root, 'deepspeed', ctx);
    }
    plan.unmodelled.push(...v.unmodelled(root));
    return { format: 'axolotl' as const, plan, problems: v.problems };
  },
};

/** bf16 / fp16 / bfloat16 / float16. axolotl loads the model in the autocast dtype (cfg.torch_dtype), so bf16 trains
 *  parameters, gradients and states in bf16; fp16 keeps trainable parameters fp32 (the grad scaler needs them). */
function precision(v: Values, plan: TrainingPlan, root: unknown): void {
  const bf16e = v.entry(root, 'bf16');
  let bf16: Sourced<boolean> | undefined;
  if (bf16e && typeof bf16e.value === 'string' && bf16e.value.trim().toLowerCase() === 'auto') bf16 = v.at(true, bf16e, 'bf16');
  else bf16 = v.bool(root, 'bf16');
  const fp16 = v.bool(root, 'fp16');
  const bfloat16 = v.bool(root, 'bfloat16');
  const float16 = v.bool(root, 'float16');
  if (bf16?.value && fp16?.value) v.problem('error', 'bf16 and fp16 cannot both be true.', fileRange(fp16));
  if (fp16?.value || float16?.value) plan.precision = { value: 'mixed-fp16', source: (fp16?.value ? fp16 : float16)!.source };
  else if (bf16?.value || bfloat16?.value) plan.precision = { value: 'bf16', source: (bf16?.value ? bf16 : bfloat16)!.source };
  else if (bf16 && !bf16.value) plan.precision = { value: 'fp32', source: bf16.source };
}
