/**
 * TrainingPlan → TrainingInputs: the model's config (the built-in catalog or a model source such as the opt-in Hub
 * lookup; the caller may pass one), the GPU, and every absent setting resolved to the framework's default, each stated.
 */
import { catalogConfig, nearestCatalogId } from '../../catalog/models';
import { defaultGpuId, GpuCatalog } from '../../catalog/gpus';
import { countParams, modelFromConfig, ModelConfigError } from '../model';
import type { ModelSource } from '../estimateTypes';
import type { Provenance } from '../../plan/types';
import type { TrainingPlan } from '../../plan/training';
import type { LoraSetup, TrainingInputs } from './types';
import { DEFAULT_LORA_TARGETS } from './modules';

export interface TrainingDeps {
  gpus: GpuCatalog;
  models?: ModelSource;
}

export type ResolvedTraining = { ok: true; inputs: TrainingInputs; assumptions: string[] } | { ok: false; error: string };

/** PEFT LoraConfig defaults (r 8, lora_alpha 8) and transformers' TrainingArguments defaults (batch 8, no accumulation). */
export const DEFAULT_LORA_RANK = 8;

function from(p: Provenance): string {
  switch (p.kind) {
    case 'file': return `from ${p.key}`;
    case 'cli': return `from ${p.flag}`;
    case 'default': return `(default: ${p.note})`;
    case 'setting': return `from setting ${p.name}`;
    case 'profile': return `from ${p.file} (${p.key})`;
    case 'inferred': return `(${p.note})`;
  }
}

export function resolveTraining(plan: TrainingPlan, deps: TrainingDeps, config?: Record<string, unknown>): ResolvedTraining {
  const assumptions: string[] = [];
  const id = plan.model?.value;
  if (!id && !config) return { ok: false, error: 'the training config names no base model (give one: `train <model>` or the file\'s base_model / model_name_or_path)' };
  let raw = config;
  if (!raw && id) {
    raw = catalogConfig(id);
    if (raw) assumptions.push(`model config for ${id} from the built-in catalog`);
    else {
      const found = deps.models?.lookup(id);
      if (found && 'config' in found) { raw = found.config; assumptions.push(found.note); }
      else {
        const near = nearestCatalogId(id);
        const status = found && 'status' in found ? ` (${found.status})` : '';
        return { ok: false, error: `unknown model ${id}${status}${near ? `; did you mean ${near}?` : ''} (--hub looks model ids up on the Hugging Face Hub)` };
      }
    }
  }
  let spec;
  try {
    spec = modelFromConfig(id ?? 'model', raw!);
  } catch (e) {
    if (e instanceof ModelConfigError) return { ok: false, error: `${id}: ${e.message}` };
    throw e;
  }
  assumptions.push(...spec.assumptions);
  const gpuName = plan.hardware.gpu?.value ?? defaultGpuId;
  const gpu = deps.gpus.find(gpuName);
  if (!gpu) {
    const near = deps.gpus.nearest(gpuName);
    return { ok: false, error: `unknown GPU "${gpuName}"${near ? ` (did you mean ${near.id}?)` : ''}` };
  }
  assumptions.push(`GPU ${gpu.name} ${plan.hardware.gpu ? from(plan.hardware.gpu.source) : '(default)'}`);
  const perNode = plan.hardware.gpusPerNode?.value ?? 1;
  const nodes = plan.hardware.nodes?.value ?? 1;
  const method = plan.method.value;
  let lora: LoraSetup | undefined;
  if (method === 'lora' || method === 'qlora') {
    const k = plan.lora ?? {};
    const rank = k.rank?.value ?? DEFAULT_LORA_RANK;
    if (!k.rank) assumptions.push(`LoRA rank ${rank} (PEFT default)`);
    const targets = k.targets?.value ?? DEFAULT_LORA_TARGETS;
    if (!k.targets) assumptions.push(`LoRA targets ${DEFAULT_LORA_TARGETS.join(', ')} (PEFT's default for Llama-style models)`);
    lora = { rank, alpha: k.alpha?.value ?? rank, targets, dora: k.dora?.value ?? false, adapterDtype: k.adapterDtype?.value ?? 'fp32' };
  }
  let quantBits = plan.quantBits?.value;
  if (method === 'qlora' && !quantBits) { quantBits = 4; assumptions.push('QLoRA: base weights in 4-bit NF4'); }
  const sh = plan.sharding;
  const inputs: TrainingInputs = {
    spec, params: countParams(spec), method, lora, quantBits, doubleQuant: quantBits === 4,
    precision: plan.precision.value, optimizer: plan.optimizer.value, sgdMomentum: false,
    optimizerInBackward: plan.optimizerInBackward?.value ?? false,
    seqLen: plan.seqLen.value, microBatch: plan.microBatch.value, gradAccum: plan.gradAccum.value,
    gradientCheckpointing: plan.gradientCheckpointing.value, samplePacking: plan.samplePacking?.value ?? false,
    attention: plan.attention?.value ?? 'sdpa',
    sharding: { kind: sh.kind, stage: sh.stage.value, offloadOptimizer: sh.offloadOptimizer?.value ?? 'none', offloadParams: sh.offloadParams?.value ?? 'none' },
    gpus: perNode * nodes, gpusPerNode: perNode, gpu,
    lossChunks: plan.format === 'torchtune' ? 8 : 1,
    format: plan.format,
  };
  if (!plan.attention) assumptions.push('attention: SDPA (transformers\' default; flash-attention keeps the same tensors)');
  for (const [name, s] of [['precision', plan.precision], ['optimizer', plan.optimizer], ['sequence length', plan.seqLen], ['micro-batch', plan.microBatch], ['gradient accumulation', plan.gradAccum], ['gradient checkpointing', plan.gradientCheckpointing]] as const) {
    if (s.source.kind === 'default') assumptions.push(`${name} ${String(s.value)} ${from(s.source)}`);
  }
  if (inputs.optimizer === 'sgd') assumptions.push('SGD without momentum (torch.optim.SGD default): no optimizer state');
  if (plan.unmodelled.length) assumptions.push(`read but not modelled: ${plan.unmodelled.map((u) => u.key).join(', ')}`);
  return { ok: true, inputs, assumptions };
}
