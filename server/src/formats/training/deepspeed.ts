/**
 * DeepSpeed JSON: ZeRO stage, offload devices, bf16/fp16, micro-batch, accumulation and optimizer. Read on its own
 * (a ds_config.json opened in the editor) and as the file an axolotl / LLaMA-Factory / Trainer / accelerate config
 * names (linked.ts merges it). `"auto"` values come from the trainer: they stay unknown here, listed in `unread`.
 */
import type { ShardingKnobs, TrainingPlan, TrainingPrecision, OptimizerName } from '../../plan/training';
import { byDefault } from '../../plan/types';
import type { Sourced } from '../../plan/types';
import type { ParsedDocument } from '../document';
import { deepspeedKeys } from '../keys/training/deepspeed';
import { fileRange } from './common';
import { deepspeedOptimizer } from './optimizers';
import type { TrainingReadContext, TrainingReader, TrainingReadResult } from './types';
import { checkKeys } from './unknownKeys';
import { isAuto, Values } from './values';

export interface DeepspeedKnobs {
  sharding: ShardingKnobs;
  /** Absent: neither bf16 nor fp16 says (or `auto`: the trainer's flag decides). */
  precision?: Sourced<TrainingPrecision>;
  microBatch?: Sourced<number>;
  gradAccum?: Sourced<number>;
  optimizer?: Sourced<OptimizerName>;
  unread: TrainingPlan['unread'];
  /** TrainingPlan fields these knobs set (for LinkedFile.fields). */
  fields: string[];
}

const OFFLOAD = ['none', 'cpu', 'nvme'] as const;

function device(values: Values, section: unknown, path: string): Sourced<'none' | 'cpu' | 'nvme'> | undefined {
  const d = values.str(section, 'device', path);
  if (!d) return undefined;
  const v = d.value.toLowerCase();
  if ((OFFLOAD as readonly string[]).includes(v)) return { value: v as 'none' | 'cpu' | 'nvme', source: d.source };
  values.problem('error', `DeepSpeed: "${path}.device" must be none, cpu or nvme (got "${d.value}").`, fileRange(d));
  return undefined;
}

/** The knobs of a DeepSpeed config object (`root`, a mapping in `values.doc`). */
export function deepspeedFrom(values: Values, root: unknown): DeepspeedKnobs {
  const fields: string[] = [];
  const unread: TrainingPlan['unread'] = [];
  checkKeys(values, root);
  const zero = values.map(root, 'zero_optimization')?.node;
  if (zero) checkKeys(values, zero, 'zero_optimization');
  const stage = zero ? values.int(zero, 'stage', 'zero_optimization') : undefined;
  const sharding: ShardingKnobs = { kind: 'zero', stage: (stage as Sourced<0 | 1 | 2 | 3> | undefined) ?? byDefault(0, 'DeepSpeed: no zero_optimization.stage, ZeRO stage 0 (DeepSpeed default)') };
  if (stage) fields.push('sharding.stage');
  const offOpt = zero ? values.map(zero, 'offload_optimizer') : undefined;
  const offParam = zero ? values.map(zero, 'offload_param') : undefined;
  if (offOpt) checkKeys(values, offOpt.node, 'zero_optimization.offload_optimizer');
  if (offParam) checkKeys(values, offParam.node, 'zero_optimization.offload_param');
  const optDev = offOpt ? device(values, offOpt.node, 'zero_optimization.offload_optimizer') : undefined;
  // zero_optimization.cpu_offload: true is the pre-0.3.16 spelling of offload_optimizer.device: cpu.
  const legacy = zero && !optDev ? values.bool(zero, 'cpu_offload', 'zero_optimization') : undefined;
  const paramDev = offParam ? device(values, offParam.node, 'zero_optimization.offload_param') : undefined;
  if (optDev) sharding.offloadOptimizer = optDev;
  else if (legacy?.value) sharding.offloadOptimizer = { value: 'cpu', source: legacy.source };
  if (paramDev) sharding.offloadParams = paramDev;
  if (sharding.offloadOptimizer) fields.push('sharding.offloadOptimizer');
  if (sharding.offloadParams) fields.push('sharding.offloadParams');
  const stageN = sharding.stage.value;
  if (sharding.offloadOptimizer && sharding.offloadOptimizer.value !== 'none' && stageN === 0 && offOpt) {
    values.problem('warning', 'DeepSpeed offloads the optimizer only with ZeRO stage 1, 2 or 3; at stage 0 offload_optimizer does nothing.', values.keyRange(offOpt.entry));
  }
  if (paramDev && paramDev.value !== 'none' && stageN !== 3 && offParam) {
    values.problem('warning', `offload_param works with ZeRO stage 3 only; at stage ${stageN} DeepSpeed keeps the parameters on the GPU.`, values.keyRange(offParam.entry));
    sharding.offloadParams = { value: 'none', source: paramDev.source };
  }

  // Precision: DeepSpeed's bf16/fp16 optimizers keep an fp32 master copy and fp32 states (mixed precision).
  let precision: Sourced<TrainingPrecision> | undefined;
  const flag = (name: 'bf16' | 'fp16') => {
    const sec = values.map(root, name)?.node;
    if (!sec) return undefined;
    const e = values.entry(sec, 'enabled');
    if (e && typeof e.value === 'string' && e.value.trim().toLowerCase() === 'auto') {
      unread.push({ what: `${name}.enabled`, why: '"auto": the trainer\'s own --' + name + ' flag decides', source: values.src(e, `${name}.enabled`) });
      return undefined;
    }
    return values.bool(sec, 'enabled', name);
  };
  const bf16 = flag('bf16');
  const fp16 = flag('fp16');
  if (bf16?.value && fp16?.value) values.problem('error', 'DeepSpeed: bf16 and fp16 cannot both be enabled.', fileRange(fp16));
  if (bf16?.value) precision = { value: 'mixed', source: bf16.source };
  else if (fp16?.value) precision = { value: 'mixed-fp16', source: fp16.source };
  if (precision) fields.push('precision');

  const batch = (key: 'train_micro_batch_size_per_gpu' | 'gradient_accumulation_steps', field: string, from: string) => {
    const r = values.number(root, key, '', { integer: true, auto: true });
    if (isAuto(r)) {
      unread.push({ what: key, why: `"auto": the trainer's ${from} is used`, source: values.src(r.entry, key) });
      return undefined;
    }
    if (r) fields.push(field);
    return r;
  };
  const microBatch = batch('train_micro_batch_size_per_gpu', 'microBatch', 'per-device batch size');
  const gradAccum = batch('gradient_accumulation_steps', 'gradAccum', 'gradient_accumulation_steps');
  const tbs = values.number(root, 'train_batch_size', '', { integer: true, auto: true });
  if (isAuto(tbs)) unread.push({ what: 'train_batch_size', why: '"auto": micro-batch × accumulation × GPUs', source: values.src(tbs.entry, 'train_batch_size') });

  let optimizer: Sourced<OptimizerName> | undefined;
  const opt = values.map(root, 'optimizer')?.node;
  const type = opt ? values.str(opt, 'type', 'optimizer') : undefined;
  if (type) {
    const o = deepspeedOptimizer(type.value);
    if (o) {
      optimizer = { value: o, source: type.source };
      fields.push('optimizer');
    } else {
      unread.push({ what: 'optimizer.type', why: `DeepSpeed optimizer "${type.value}" is not modelled; AdamW states are assumed`, source: type.source });
    }
  }
  return { sharding, precision, microBatch, gradAccum, optimizer, unread, fields };
}

const dsDefault = (value: unknown, note: string): Sourced<never> => byDefault(value as never, `DeepSpeed config alone: ${note}`);

export const deepspeedReader: TrainingReader = {
  format: 'deepspeed',
  detect(keys) {
    if (keys.has('zero_optimization')) return true;
    const batch = keys.has('train_micro_batch_size_per_gpu') || keys.has('train_batch_size');
    return batch && ['bf16', 'fp16', 'optimizer', 'gradient_accumulation_steps', 'steps_per_print', 'gradient_clipping', 'wall_clock_breakdown'].some((k) => keys.has(k));
  },
  read(doc: ParsedDocument, _ctx: TrainingReadContext): TrainingReadResult {
    const values = new Values(doc, deepspeedKeys);
    const root = doc.docs[0].contents;
    const ds = deepspeedFrom(values, root);
    const plan: TrainingPlan = {
      format: 'deepspeed',
      method: dsDefault('full', 'it does not say what trains; full fine-tune assumed'),
      precision: ds.precision ?? dsDefault('fp32', 'neither bf16 nor fp16 enabled: fp32'),
      optimizer: ds.optimizer ?? dsDefault('adamw', 'no optimizer section: the trainer\'s, AdamW assumed'),
      seqLen: dsDefault(2048, 'no sequence length in a DeepSpeed config; 2048 assumed'),
      microBatch: ds.microBatch ?? dsDefault(1, 'train_micro_batch_size_per_gpu not set; 1 assumed'),
      gradAccum: ds.gradAccum ?? dsDefault(1, 'gradient_accumulation_steps not set; 1 (DeepSpeed default)'),
      gradientCheckpointing: dsDefault(false, 'checkpointing is the model\'s setting, not DeepSpeed\'s; off assumed'),
      sharding: ds.sharding,
      hardware: {},
      linked: [],
      unmodelled: [],
      unread: ds.unread,
    };
    return { format: 'deepspeed', plan, problems: values.problems };
  },
};
