/**
 * `train`'s flags over a TrainingPlan: flags override what the file says (each value remembered as coming from the
 * command line); with no file, a plan of the defaults (each stated as a default, so the estimate's assumptions name it).
 * The lead's `train <file>` wiring passes the reader's plan as `base`.
 */
import { optimizerNames, OptimizerName, TrainingMethod, TrainingPlan, TrainingPrecision } from '../plan/training';
import type { Provenance, Sourced } from '../plan/types';
import type { CommandValues } from './command';
import { UsageError } from './options';

const cli = (flag: string): Provenance => ({ kind: 'cli', flag: `--${flag}` });
const def = (note: string): Provenance => ({ kind: 'default', note });
const at = <T>(value: T, source: Provenance): Sourced<T> => ({ value, source });

/** The CLI's --optimizer values (the contract) → plan optimizer names. */
export const CLI_OPTIMIZERS = ['adamw', 'adamw-fused', 'adamw-8bit', 'paged-adamw-8bit', 'adafactor', 'sgd'] as const;
export const CLI_METHODS = ['full', 'lora', 'qlora'] as const;
export const CLI_PRECISIONS = ['bf16', 'mixed', 'fp32'] as const;

/** Defaults of `train <model>` with no file: a full fine-tune in bf16-autocast mixed precision on one GPU. */
export function defaultTrainingPlan(model?: string): TrainingPlan {
  return {
    format: 'hf-trainer',
    model: model ? at(model, cli('model id')) : undefined,
    method: at<TrainingMethod>('full', def('full fine-tuning')),
    precision: at<TrainingPrecision>('mixed', def('bf16 autocast over fp32 master weights (transformers Trainer bf16=True)')),
    optimizer: at<OptimizerName>('adamw', def('PyTorch AdamW, foreach implementation')),
    seqLen: at(2048, def('2048 tokens')),
    microBatch: at(1, def('micro-batch 1')),
    gradAccum: at(1, def('no gradient accumulation')),
    gradientCheckpointing: at(false, def('off (transformers default)')),
    sharding: { kind: 'none', stage: at<0 | 1 | 2 | 3>(0, def('no sharding')) },
    hardware: {},
    linked: [],
    unmodelled: [],
    unread: [],
  };
}

function str(values: CommandValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function int(values: CommandValues, name: string, min = 1, max = 10_000_000): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got ${v})`);
  return n;
}

function oneOf<T extends string>(values: CommandValues, name: string, allowed: readonly T[]): T | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got ${v})`);
  return v as T;
}

/** Applies the `train` flags over `base` (a file's plan) or over the defaults; returns a new plan. */
export function trainingPlanFromFlags(base: TrainingPlan | undefined, values: CommandValues, model?: string): TrainingPlan {
  const p: TrainingPlan = base ? structuredClone(base) : defaultTrainingPlan(model);
  if (model && base && !base.model) p.model = at(model, cli('model id'));
  const method = oneOf(values, 'method', CLI_METHODS);
  if (method) {
    p.method = at<TrainingMethod>(method, cli('method'));
    if (method === 'qlora' && !p.quantBits) p.quantBits = at<4 | 8>(4, cli('method'));
    if (method !== 'qlora' && p.quantBits && base?.quantBits?.source.kind !== 'file') p.quantBits = undefined;
  }
  const precision = oneOf(values, 'precision', CLI_PRECISIONS);
  if (precision) p.precision = at<TrainingPrecision>(precision, cli('precision'));
  const optimizer = oneOf(values, 'optimizer', CLI_OPTIMIZERS);
  if (optimizer) {
    if (!optimizerNames.includes(optimizer)) throw new UsageError(`--optimizer ${optimizer} is not modelled`);
    p.optimizer = at<OptimizerName>(optimizer, cli('optimizer'));
  }
  if (values['gradient-checkpointing'] === true) p.gradientCheckpointing = at(true, cli('gradient-checkpointing'));
  const seq = int(values, 'seq-len', 1, 10_000_000);
  if (seq !== undefined) p.seqLen = at(seq, cli('seq-len'));
  const mb = int(values, 'micro-batch', 1, 1_000_000);
  if (mb !== undefined) p.microBatch = at(mb, cli('micro-batch'));
  const ga = int(values, 'grad-accum', 1, 1_000_000);
  if (ga !== undefined) p.gradAccum = at(ga, cli('grad-accum'));
  const rank = int(values, 'lora-rank', 1, 65_536);
  const alphaText = str(values, 'lora-alpha');
  const targetsText = str(values, 'lora-targets');
  if (rank !== undefined || alphaText !== undefined || targetsText !== undefined) {
    if (p.method.value !== 'lora' && p.method.value !== 'qlora') throw new UsageError('--lora-rank, --lora-alpha and --lora-targets need --method lora or qlora');
    p.lora = { ...p.lora };
    if (rank !== undefined) p.lora.rank = at(rank, cli('lora-rank'));
    if (alphaText !== undefined) {
      const a = Number(alphaText);
      if (!Number.isFinite(a) || a <= 0) throw new UsageError(`--lora-alpha must be a positive number (got ${alphaText})`);
      p.lora.alpha = at(a, cli('lora-alpha'));
    }
    if (targetsText !== undefined) {
      const list = targetsText.split(',').map((t) => t.trim()).filter(Boolean);
      if (!list.length) throw new UsageError('--lora-targets needs module names, e.g. q_proj,v_proj (or all-linear)');
      p.lora.targets = at(list.length === 1 && list[0] === 'all-linear' ? 'all-linear' : list, cli('lora-targets'));
    }
  }
  const zero = oneOf(values, 'zero', ['0', '1', '2', '3'] as const);
  if (zero !== undefined) p.sharding = { ...p.sharding, kind: zero === '0' ? 'none' : 'zero', stage: at(Number(zero) as 0 | 1 | 2 | 3, cli('zero')) };
  const offload = oneOf(values, 'offload', ['none', 'optimizer', 'params'] as const);
  if (offload !== undefined) {
    if (offload !== 'none' && p.sharding.kind === 'none') throw new UsageError('--offload needs sharding: --zero 2 or 3 (or a DeepSpeed / FSDP config)');
    if (offload === 'params' && p.sharding.kind === 'zero' && p.sharding.stage.value < 3) throw new UsageError('--offload params needs --zero 3 (DeepSpeed offloads parameters at stage 3 only)');
    p.sharding = {
      ...p.sharding,
      offloadOptimizer: at<'none' | 'cpu' | 'nvme'>(offload === 'none' ? 'none' : 'cpu', cli('offload')),
      offloadParams: at<'none' | 'cpu' | 'nvme'>(offload === 'params' ? 'cpu' : 'none', cli('offload')),
    };
  }
  const gpu = str(values, 'gpu');
  if (gpu) p.hardware = { ...p.hardware, gpu: at(gpu, cli('gpu')) };
  const gpus = int(values, 'gpus', 1, 100_000);
  if (gpus !== undefined) p.hardware = { ...p.hardware, gpusPerNode: at(gpus, cli('gpus')), nodes: undefined };
  return p;
}
