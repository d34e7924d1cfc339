/**
 * A workload and SLO given for one search (the editor asks for them when the file states none): the plan's own are
 * replaced for the search only; the file is not changed.
 */
import type { OptimizeOverrides } from '../../../protocol/requests';
import { DeploymentPlan, Sourced, sourced } from '../plan/types';

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

export function withOverrides(plan: DeploymentPlan, o: OptimizeOverrides | undefined): DeploymentPlan {
  if (!o) return plan;
  const asked = <T>(v: T): Sourced<T> => sourced(v, { kind: 'inferred', note: 'given for the plan search' });
  const workload = { ...plan.workload };
  if (positive(o.inputLen)) workload.inputLen = asked(Math.round(o.inputLen));
  if (positive(o.outputLen)) workload.outputLen = asked(Math.round(o.outputLen));
  if (positive(o.requestRate)) {
    workload.requestRate = asked(o.requestRate);
    workload.concurrency = sourced(1, { kind: 'default', note: 'open loop' });
  } else if (positive(o.concurrency)) {
    workload.concurrency = asked(Math.round(o.concurrency));
    workload.requestRate = undefined;
  }
  const slo = { ...plan.slo };
  if (positive(o.ttftMs)) slo.ttftMs = asked(o.ttftMs);
  if (positive(o.tpotMs)) slo.tpotMs = asked(o.tpotMs);
  return { ...plan, workload, slo };
}

/** Whether the plan's load (requests in flight or a request rate) comes from the file, a profile or a setting, not the default. */
export function statesWorkload(plan: DeploymentPlan): boolean {
  return plan.workload.concurrency.source.kind !== 'default' || plan.workload.requestRate !== undefined;
}
