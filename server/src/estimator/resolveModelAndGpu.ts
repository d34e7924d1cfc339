/**
 * The plan's model reference → a model config (the file's own, the built-in catalog, or a model source such as the
 * opt-in Hub lookup), and its GPU name → a catalog GPU (the default one, with a warning, when unknown).
 */
import { defaultGpuId, GpuSpec } from '../catalog/gpus';
import { catalogConfig, nearestCatalogId } from '../catalog/models';
import type { DeploymentPlan, Provenance } from '../plan/types';
import type { EstimatorDeps } from './estimateTypes';
import type { EngineModel } from './engines/types';
import type { ModelSpec } from './model';
import { IssueLog, unknownModel } from './issues';

/** The model's config, or undefined after logging the unknown-model error. */
export function resolveModelConfig(plan: DeploymentPlan, deps: EstimatorDeps, log: IssueLog): Record<string, unknown> | undefined {
  const ref = plan.model.ref.value;
  let config = plan.model.config;
  if (!config) {
    config = catalogConfig(ref);
    if (config) log.assume(`model config for ${ref} from the built-in catalog`);
  }
  const found = config ? undefined : deps.models?.lookup(ref);
  if (found && 'config' in found) {
    config = found.config;
    log.assume(found.note);
  }
  if (!config) {
    const status = found && 'status' in found ? found.status : undefined;
    unknownModel(log, plan, status, status === undefined ? nearestCatalogId(ref) : undefined);
  }
  return config;
}

export function resolveGpu(plan: DeploymentPlan, deps: EstimatorDeps, log: IssueLog): GpuSpec {
  const name = plan.hardware.gpu.value;
  let gpu = deps.gpus.find(name);
  if (!gpu) {
    const near = deps.gpus.nearest(name);
    log.bad('unknown-gpu', `Unknown GPU "${name}"; estimating for ${defaultGpuId}. ${near ? `Did you mean "${near.id}"?` : `Known: ${deps.gpus.gpus.map((g) => g.id).join(', ')}.`}`, plan.hardware.gpu.source, 'warning', near ? { from: name, to: near.id } : undefined);
    gpu = deps.gpus.find(defaultGpuId)!;
  }
  log.assume(`GPU ${gpu.name} ${describe(plan.hardware.gpu.source)}`);
  return gpu;
}

function describe(p: Provenance): string {
  switch (p.kind) {
    case 'file': return `from ${p.key}`;
    case 'default': return p.note;
    case 'setting': return `from setting ${p.name}`;
    case 'profile': return `from ${p.file} (${p.key})`;
    case 'cli': return `from ${p.flag}`;
    case 'inferred': return p.note;
  }
}

/**
 * Why the engine cannot serve this architecture, if it cannot: TGI has no hybrid recurrent models (its flash models
 * cover attention decoders and plain Mamba only, text-generation-inference server/models/__init__.py).
 */
export function servesArchitecture(engine: EngineModel['name'], m: ModelSpec): string | undefined {
  if (engine !== 'tgi') return undefined;
  if (m.recurrent) {
    return `TGI does not serve ${m.architecture}: its ${m.recurrent.kind} layers (a hybrid recurrent model) have no TGI implementation — serve it with vLLM, SGLang or TensorRT-LLM.`;
  }
  // Sparse-attention indexers, compressed KV, per-layer NAS blocks and Gemma 4 arrived after TGI's model list stopped
  // growing (maintenance mode since 2025): text-generation-inference server/models/__init__.py names none of them.
  if (TGI_UNSERVED.test(m.modelType)) {
    return `TGI does not serve ${m.architecture} (model_type "${m.modelType}" is not in TGI's model list) — serve it with vLLM or SGLang.`;
  }
  return undefined;
}

const TGI_UNSERVED = /^(deepseek_v32|deepseek_v4|deepseek_ref|glm_moe_dsa|kimi_linear|kimi_k3|minimax_m2|minimax_m3|minimax_m3_vl|gemma4|gemma4_text|mimo_v2_flash|nemotron-nas)$/;
