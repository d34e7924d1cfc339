/**
 * The search for one plan of an open document, within the plan's own engine (switching engines is not an edit of
 * the file). Memoized on what the search reads — model, workload, SLO, context length, GPU catalog — not on the
 * knobs it rewrites, so typing in `tensor-parallel-size` or applying a plan does not search again.
 */
import { defaultDeps, EstimatorDeps } from '../estimator/estimate';
import type { DeploymentPlan } from '../plan/types';
import { requestFromPlan } from './request';
import { optimize } from './search';
import type { OptimizeResult } from './types';

const MEMO_SIZE = 16;
const memo = new Map<string, OptimizeResult>();
const catalogIds = new WeakMap<object, number>();
let nextCatalogId = 0;

export function optimizeForPlan(plan: DeploymentPlan, deps: EstimatorDeps = defaultDeps): OptimizeResult {
  const request = requestFromPlan(plan, { engines: [plan.engine.name.value] });
  if (!catalogIds.has(deps.gpus)) catalogIds.set(deps.gpus, nextCatalogId++);
  const key = JSON.stringify([
    catalogIds.get(deps.gpus), deps.models?.version ?? 0, plan.model.ref.value, plan.model.config ?? null, plan.model.hfQuantConfig ?? null,
    plan.workload.prefixHitRate?.value ?? 0, plan.knobs.maxModelLen?.value ?? null, request,
  ]);
  let result = memo.get(key);
  if (result) {
    memo.delete(key);
  } else {
    result = optimize({ plan, request }, deps);
    if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  }
  memo.set(key, result);
  return result;
}
