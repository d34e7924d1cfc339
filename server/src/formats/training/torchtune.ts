/**
 * torchtune recipe configs (`tune run <recipe> --config file.yaml`): the model builder's `_component_` (full, lora_,
 * qlora_) and its LoRA arguments, the optimizer component, activation checkpointing, optimizer_in_bwd, batch size,
 * max_seq_len, dtype, packed datasets, the distributed recipes' FSDP keys and the checkpoint folder.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { TrainingPlan } from '../../plan/training';
import { byDefault } from '../../plan/types';
import type { SourceRange, Sourced } from '../../plan/types';
import { entries, ParsedDocument, position } from '../document';
import { torchtuneKeys } from '../keys/training/torchtune';
import { fileRange, set, skeleton } from './common';
import { componentOptimizer } from './optimizers';
import type { TrainingReader } from './types';
import { checkKeys } from './unknownKeys';
import { Values } from './values';

/** torchtune's module names → the Hugging Face modules they are (torchtune/models/convert_weights.py _FROM_HF). */
const HF_NAME: Record<string, string> = { q_proj: 'q_proj', k_proj: 'k_proj', v_proj: 'v_proj', output_proj: 'o_proj' };
const MLP = ['gate_proj', 'up_proj', 'down_proj'];

const component = (n: unknown): string | undefined => {
  const c = isMap(n) ? n.get('_component_', true) : undefined;
  return isScalar(c) && typeof c.value === 'string' ? c.value : undefined;
};

export const torchtuneReader: TrainingReader = {
  format: 'torchtune',
  detect(_keys, doc) {
    const root = doc.docs[0]?.contents;
    const comps = entries(root).map((e) => component(e.valueNode)).filter((c): c is string => !!c);
    return comps.some((c) => c.startsWith('torchtune.')) || (comps.length >= 2 && entries(root).some((e) => e.key === 'checkpointer'));
  },
  read(doc: ParsedDocument) {
    const v = new Values(doc, torchtuneKeys);
    const root = doc.docs[0].contents;
    checkKeys(v, root);
    // Recipe defaults (recipes/*.py, cfg.get): enable_activation_checkpointing False, optimizer_in_bwd False,
    // gradient_accumulation_steps 1; training.get_dtype(None) is fp32. No max_seq_len: samples keep their own length.
    const plan = skeleton('torchtune', {
      method: ['full', 'torchtune model builder without lora_/qlora_: full fine-tune'],
      precision: ['fp32', 'torchtune: no dtype, fp32 (training.get_dtype default)'],
      optimizer: ['adamw', 'no optimizer component: AdamW assumed'],
      seqLen: [2048, 'torchtune: no tokenizer.max_seq_len — samples keep their own length; 2048 assumed'],
      microBatch: [1, 'torchtune: no batch_size; 1 assumed'],
      gradAccum: [1, 'torchtune default gradient_accumulation_steps 1'],
      checkpointing: [false, 'torchtune default enable_activation_checkpointing false'],
    });
    const model = v.map(root, 'model')?.node;
    if (model) checkKeys(v, model, 'model');
    const builder = model ? v.str(model, '_component_', 'model') : undefined;
    if (builder) {
      plan.modelBuilder = builder;
      const fn = builder.value.split('.').pop() ?? '';
      if (fn.startsWith('qlora_')) {
        plan.method = { value: 'qlora', source: builder.source };
        plan.quantBits = { value: 4, source: builder.source };
      } else if (fn.startsWith('lora_')) plan.method = { value: 'lora', source: builder.source };
      else plan.method = { value: 'full', source: builder.source };
      const qb = v.bool(model, 'quantize_base', 'model');
      if (qb?.value && plan.method.value === 'lora') {
        plan.method = { value: 'qlora', source: qb.source };
        plan.quantBits = { value: 4, source: qb.source };
      }
    }
    if (model && (plan.method.value === 'lora' || plan.method.value === 'qlora')) {
      // Builder signature defaults (torchtune/models/llama3_1/_model_builders.py lora_llama3_1_8b): rank 8, alpha 16.
      const rank = v.int(model, 'lora_rank', 'model') ?? byDefault(8, 'torchtune LoRA builder default lora_rank 8');
      plan.lora = { rank, alpha: v.num(model, 'lora_alpha', 'model') ?? byDefault(16, 'torchtune LoRA builder default lora_alpha 16'), dora: v.bool(model, 'use_dora', 'model') };
      const attn = v.list(model, 'lora_attn_modules', 'model');
      const mlp = v.bool(model, 'apply_lora_to_mlp', 'model');
      const out = v.bool(model, 'apply_lora_to_output', 'model');
      const names = [...(attn?.value ?? []).map((n) => HF_NAME[n] ?? n), ...(mlp?.value ? MLP : []), ...(out?.value ? ['lm_head'] : [])];
      const src = attn ?? mlp ?? out;
      if (src) plan.lora.targets = { value: names, source: src.source };
    }

    const tok = v.map(root, 'tokenizer')?.node;
    set(plan, 'seqLen', (tok ? v.int(tok, 'max_seq_len', 'tokenizer') : undefined) ?? v.int(root, 'max_seq_len'));
    set(plan, 'microBatch', v.int(root, 'batch_size'));
    set(plan, 'gradAccum', v.int(root, 'gradient_accumulation_steps'));
    set(plan, 'gradientCheckpointing', v.bool(root, 'enable_activation_checkpointing'));
    const inBwd = v.bool(root, 'optimizer_in_bwd');
    if (inBwd) plan.optimizerInBackward = inBwd;
    if (inBwd?.value && plan.gradAccum.value > 1) v.problem('error', 'optimizer_in_bwd does not work with gradient accumulation (torchtune refuses gradient_accumulation_steps > 1).', fileRange(inBwd));

    const opt = v.map(root, 'optimizer')?.node;
    const oc = opt ? v.str(opt, '_component_', 'optimizer') : undefined;
    if (oc) {
      const fused = v.bool(opt, 'fused', 'optimizer');
      const o = componentOptimizer(oc.value, !!fused?.value);
      if (o) plan.optimizer = { value: o, source: o === 'adamw-fused' && fused?.value ? fused.source : oc.source };
      else plan.unread.push({ what: `optimizer._component_: ${oc.value}`, why: 'this optimizer\'s state is not modelled; AdamW is assumed', source: oc.source });
    }

    const dtype = v.oneOf(v.str(root, 'dtype'), ['bf16', 'fp32', 'fp16'], 'torchtune dtype');
    if (dtype?.value === 'fp16') v.problem('error', 'torchtune does not train in fp16 (its recipes accept bf16 or fp32).', fileRange(dtype));
    // torchtune has no autocast: dtype bf16 puts parameters, gradients and optimizer states in bf16.
    else if (dtype) plan.precision = { value: dtype.value === 'bf16' ? 'bf16' : 'fp32', source: dtype.source };

    const packed = datasetsPacked(v, root);
    if (packed) plan.samplePacking = packed;
    const loss = v.map(root, 'loss')?.node;
    const lc = loss ? v.str(loss, '_component_', 'loss') : undefined;
    if (lc && /CEWithChunkedOutputLoss|LinearCrossEntropyLoss/.test(lc.value)) plan.logitsLoss = { value: 'chunked', source: lc.source };

    sharding(v, plan, root, doc.text);
    modelRef(v, plan, root, doc);
    plan.unmodelled.push(...v.unmodelled(root));
    return { format: 'torchtune' as const, plan, problems: v.problems };
  },
};

function datasetsPacked(v: Values, root: unknown): Sourced<boolean> | undefined {
  const e = v.entry(root, 'dataset');
  if (!e) return undefined;
  const items = isSeq(e.valueNode) ? e.valueNode.items : [e.valueNode];
  let found: Sourced<boolean> | undefined;
  for (const it of items) {
    const p = isMap(it) ? v.bool(it, 'packed', 'dataset') : undefined;
    if (p && (!found || p.value)) found = p;
  }
  return found;
}

/** Distributed recipes shard every layer with FSDP2 fully_shard (full_finetune_distributed.py, lora_finetune_distributed.py). */
function sharding(v: Values, plan: TrainingPlan, root: unknown, text: string): void {
  const offload = v.bool(root, 'fsdp_cpu_offload');
  const reshard = v.bool(root, 'fsdp_reshard_after_forward');
  const usage = /\btune run\b[^\n]*?\b(\w+_distributed)\b/.exec(text);
  if (!offload && !reshard && !usage && !v.entry(root, 'custom_sharded_layers')) return;
  const note = usage ? `the usage comment runs the ${usage[1]} recipe, which shards with FSDP2 (FULL_SHARD)` : 'distributed-recipe keys: FSDP2 FULL_SHARD';
  plan.sharding = { kind: 'fsdp', stage: reshard ? { value: reshard.value ? 3 : 2, source: reshard.source } : { value: 3, source: { kind: 'inferred', note } } };
  if (offload) {
    const dev = { value: offload.value ? ('cpu' as const) : ('none' as const), source: offload.source };
    plan.sharding.offloadParams = dev;
    plan.sharding.offloadOptimizer = dev;
  }
}

/** checkpointer.checkpoint_dir, or the Hub id a `tune download <id> --output-dir <dir>` comment fetched into it. */
function modelRef(v: Values, plan: TrainingPlan, root: unknown, doc: ParsedDocument): void {
  const ck = v.map(root, 'checkpointer')?.node;
  const dir = ck ? v.str(ck, 'checkpoint_dir', 'checkpointer') : undefined;
  const resolved = dir ? interpolate(dir.value, root) : undefined;
  const re = /tune download\s+(\S+)\s+--output-dir\s+(\S+)/g;
  const trim = (s: string) => s.replace(/\/+$/, '');
  for (let m = re.exec(doc.text); m; m = re.exec(doc.text)) {
    if (resolved && trim(m[2]) !== trim(resolved)) continue;
    const start = m.index + m[0].indexOf(m[1]);
    const range: SourceRange = { start: position(doc.lineCounter, start), end: position(doc.lineCounter, start + m[1].length) };
    plan.model = { value: m[1], source: { kind: 'file', range, key: '# tune download' } };
    return;
  }
  if (dir) plan.model = { value: resolved ?? dir.value, source: dir.source };
}

/** OmegaConf `${key}` references to top-level scalars (torchtune configs write `${output_dir}/…`). */
function interpolate(s: string, root: unknown): string {
  return s.replace(/\$\{([\w.]+)\}/g, (all, key: string) => {
    const n = isMap(root) ? root.get(key, true) : undefined;
    return isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : all;
  });
}
