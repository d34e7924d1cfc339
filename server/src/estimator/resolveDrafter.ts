/** The plan's speculative drafter resolved to its memory: the draft checkpoint looked up, read once, and sized (drafter.ts). */
import { catalogConfig } from '../catalog/models';
import type { DeploymentPlan } from '../plan/types';
import { DrafterMemory, drafterMemory } from './drafter';
import type { EstimatorDeps } from './estimateTypes';
import type { IssueLog } from './issues';
import { modelFromConfig, ModelSpec } from './model';
import type { ResolvedEngine, ResolvedFormats, ResolvedLayout } from './resolveKnobs';

/** Draft checkpoints read as models, once per config object (every keystroke re-estimates the plan). */
const draftModels = new WeakMap<object, ModelSpec | null>();
function draftModelOf(id: string, config: Record<string, unknown>): ModelSpec | undefined {
  if (!draftModels.has(config)) {
    let m: ModelSpec | null = null;
    try { m = modelFromConfig(id, config); } catch { m = null; }
    draftModels.set(config, m);
  }
  return draftModels.get(config) ?? undefined;
}

/**
 * The speculative drafter's memory (drafter.ts): the draft checkpoint's config from the catalog or the model source when
 * its id is known, else the drafter's shape is assumed and said so; what is not counted becomes a finding.
 */
export function resolveDrafter(plan: DeploymentPlan, model: ModelSpec, engine: ResolvedEngine, layout: ResolvedLayout, formats: ResolvedFormats, deps: EstimatorDeps, log: IssueLog): DrafterMemory | undefined {
  const spec = plan.knobs.speculative;
  if (!spec?.value) return undefined;
  const id = spec.value.draftModel;
  let draftConfig = id ? catalogConfig(id) : undefined;
  if (id && !draftConfig) {
    const found = deps.models?.lookup(id);
    if (found && 'config' in found) draftConfig = found.config;
  }
  const method = spec.value.method.toLowerCase();
  const draftModel = method === 'draft_model' && draftConfig && id ? draftModelOf(id, draftConfig) : undefined;
  const d = drafterMemory({ spec: spec.value, target: model, format: formats.format, kvElem: formats.kvElem, par: layout.par, engine: engine.engine.name, draftConfig, draftModel });
  log.assume(d.note);
  if (d.unmodelled) log.bad('drafter-not-counted', d.unmodelled, spec.source, 'warning');
  return d;
}
