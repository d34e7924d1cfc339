/**
 * accelerate config YAML (`accelerate launch --config_file f.yaml`): distributed_type, DeepSpeed plugin keys (or the
 * JSON it names), FSDP plugin keys (names and the numeric 1..5 strategies, FSDP2's reshard_after_forward),
 * mixed_precision, num_processes and num_machines. It says nothing about the model or the batch: those stay defaults.
 */
import type { ShardingKnobs, TrainingPlan } from '../../plan/training';
import { byDefault } from '../../plan/types';
import type { Sourced } from '../../plan/types';
import type { ParsedDocument } from '../document';
import { accelerateKeys } from '../keys/training/accelerate';
import { fileRange, set, skeleton } from './common';
import { linkDeepspeed } from './linked';
import { fsdpStrategy, fsdpStrategyNames } from './sharding';
import type { TrainingReadContext, TrainingReader } from './types';
import { checkKeys } from './unknownKeys';
import { Values } from './values';

const DISTRIBUTED = ['NO', 'MULTI_GPU', 'MULTI_CPU', 'MULTI_NPU', 'MULTI_XPU', 'MULTI_MLU', 'MULTI_SDAA', 'MULTI_MUSA', 'DEEPSPEED', 'FSDP', 'XLA', 'MEGATRON_LM'];
const OFFLOAD = ['none', 'cpu', 'nvme'];

export const accelerateReader: TrainingReader = {
  format: 'accelerate',
  detect(keys) {
    return keys.has('distributed_type') && ['compute_environment', 'num_processes', 'mixed_precision', 'machine_rank', 'num_machines'].some((k) => keys.has(k));
  },
  read(doc: ParsedDocument, ctx: TrainingReadContext) {
    const v = new Values(doc, accelerateKeys);
    const root = doc.docs[0].contents;
    checkKeys(v, root);
    const cfg = 'an accelerate config does not say';
    const plan = skeleton('accelerate', {
      method: ['full', `${cfg} what trains; full fine-tune assumed`],
      precision: ['fp32', 'accelerate default mixed_precision no'],
      optimizer: ['adamw', `${cfg} which optimizer; AdamW assumed`],
      seqLen: [2048, `${cfg} the sequence length; 2048 assumed`],
      microBatch: [1, `${cfg} the batch size; 1 assumed`],
      gradAccum: [1, 'accelerate default gradient_accumulation_steps 1'],
      checkpointing: [false, `${cfg} whether the model checkpoints activations; off assumed`],
    });
    const mp = v.oneOf(v.str(root, 'mixed_precision'), ['no', 'fp16', 'bf16', 'fp8'], 'accelerate mixed_precision');
    // Autocast over parameters in their loaded dtype (fp32 in a plain script): mixed precision.
    if (mp) {
      plan.precision = { value: mp.value === 'no' ? 'fp32' : mp.value === 'fp16' ? 'mixed-fp16' : 'mixed', source: mp.source };
      if (mp.value === 'fp8') plan.unmodelled.push({ key: 'mixed_precision: fp8', range: fileRange(mp) });
    }
    hardware(v, plan, root);
    const dt = v.oneOf(v.str(root, 'distributed_type'), DISTRIBUTED, 'accelerate distributed_type');
    if (dt?.value === 'DEEPSPEED') deepspeed(v, plan, root, ctx);
    else if (dt?.value === 'FSDP') fsdp(v, plan, root);
    else if (dt) plan.sharding = { kind: 'none', stage: { value: 0, source: dt.source } };
    if (dt?.value === 'MEGATRON_LM' || dt?.value === 'XLA') plan.unmodelled.push({ key: `distributed_type: ${dt.value}`, range: fileRange(dt) });
    return { format: 'accelerate' as const, plan, problems: v.problems };
  },
};

/** num_processes is the total across machines (accelerate launch --num_processes). */
function hardware(v: Values, plan: TrainingPlan, root: unknown): void {
  const procs = v.int(root, 'num_processes');
  const nodes = v.int(root, 'num_machines');
  if (nodes) plan.hardware.nodes = nodes;
  if (!procs) return;
  const n = nodes?.value ?? 1;
  if (procs.value % n !== 0) {
    v.problem('warning', `num_processes (${procs.value}) is the total over all machines and does not divide by num_machines (${n}).`, fileRange(procs));
    plan.hardware.gpusPerNode = procs;
    return;
  }
  plan.hardware.gpusPerNode = { value: procs.value / n, source: procs.source };
}

function deepspeed(v: Values, plan: TrainingPlan, root: unknown, ctx: TrainingReadContext): void {
  const sec = v.map(root, 'deepspeed_config')?.node;
  if (sec) checkKeys(v, sec, 'deepspeed_config');
  if (sec && v.entry(sec, 'deepspeed_config_file')?.value) {
    linkDeepspeed(plan, v, sec, 'deepspeed_config_file', ctx);
    return;
  }
  // DeepSpeedPlugin: zero_stage from ACCELERATE_DEEPSPEED_ZERO_STAGE, default 2 (accelerate/utils/dataclasses.py).
  const stage = sec ? v.int(sec, 'zero_stage', 'deepspeed_config') : undefined;
  const sharding: ShardingKnobs = { kind: 'zero', stage: (stage as Sourced<0 | 1 | 2 | 3> | undefined) ?? byDefault(2, 'accelerate DeepSpeed plugin default zero_stage 2') };
  for (const [key, field] of [['offload_optimizer_device', 'offloadOptimizer'], ['offload_param_device', 'offloadParams']] as const) {
    const d = sec ? v.oneOf(v.str(sec, key, 'deepspeed_config'), OFFLOAD, 'offload device') : undefined;
    if (d) sharding[field] = d as Sourced<'none' | 'cpu' | 'nvme'>;
  }
  if (sharding.offloadParams && sharding.offloadParams.value !== 'none' && sharding.stage.value !== 3) {
    v.problem('warning', `offload_param_device works with ZeRO stage 3 only; at stage ${sharding.stage.value} DeepSpeed keeps the parameters on the GPU.`, fileRange(sharding.offloadParams));
  }
  plan.sharding = sharding;
  const ga = sec ? v.int(sec, 'gradient_accumulation_steps', 'deepspeed_config') : undefined;
  set(plan, 'gradAccum', ga);
  // DeepSpeed keeps fp32 master weights under bf16/fp16 (see linked.ts).
  if (plan.precision.value === 'bf16') plan.precision = { value: 'mixed', source: plan.precision.source };
}

function fsdp(v: Values, plan: TrainingPlan, root: unknown): void {
  const sec = v.map(root, 'fsdp_config')?.node;
  if (sec) checkKeys(v, sec, 'fsdp_config');
  const sharding: ShardingKnobs = { kind: 'fsdp', stage: byDefault(3, 'accelerate FSDP plugin default FULL_SHARD') };
  if (sec) {
    const version = v.int(sec, 'fsdp_version', 'fsdp_config');
    const s = v.entry(sec, 'fsdp_sharding_strategy');
    const r = v.entry(sec, 'fsdp_reshard_after_forward');
    const strategyEntry = s && s.value !== null ? s : undefined;
    if (strategyEntry) {
      const st = fsdpStrategy(strategyEntry.value);
      if (st) {
        sharding.stage = v.at(st.stage, strategyEntry, 'fsdp_config.fsdp_sharding_strategy');
        if (st.hybrid) sharding.hybrid = true;
      } else v.problem('error', `fsdp_config.fsdp_sharding_strategy must be one of ${fsdpStrategyNames.join(', ')} or 1–5 (got ${JSON.stringify(strategyEntry.value)}).`, v.valueRange(strategyEntry));
    } else if (r && r.value !== null) {
      // FSDP2 (fsdp_version: 2): reshard_after_forward true ≈ FULL_SHARD, false ≈ SHARD_GRAD_OP; strategy names are accepted too.
      const st = typeof r.value === 'string' ? fsdpStrategy(r.value) : undefined;
      const b = st ? undefined : v.bool(sec, 'fsdp_reshard_after_forward', 'fsdp_config');
      if (st) sharding.stage = v.at(st.stage, r, 'fsdp_config.fsdp_reshard_after_forward');
      else if (b) sharding.stage = { value: b.value ? 3 : 2, source: b.source };
    }
    if (version?.value === 2 && strategyEntry) v.problem('info', 'FSDP2 takes fsdp_reshard_after_forward; accelerate maps fsdp_sharding_strategy to it.', v.keyRange(strategyEntry));
    const off = v.bool(sec, 'fsdp_offload_params', 'fsdp_config');
    if (off) {
      const dev = { value: off.value ? ('cpu' as const) : ('none' as const), source: off.source };
      sharding.offloadParams = dev;
      sharding.offloadOptimizer = dev;
    }
    const ac = v.bool(sec, 'fsdp_activation_checkpointing', 'fsdp_config');
    set(plan, 'gradientCheckpointing', ac);
  }
  plan.sharding = sharding;
}
