/**
 * A candidate plan as the tool itself would judge it once applied: its full estimate and the errors and warnings the
 * rules raise on it. Fixes are not needed here, so their what-if re-estimates are skipped (a what-if answers nothing):
 * the verify phase pays one estimate per candidate, not one per fix.
 */
import type { Estimate, EstimatorDeps } from '../estimator/estimate';
import { cachedEstimate } from '../pipeline';
import type { DeploymentPlan } from '../plan/types';
import { runRules } from '../rules/registry';

export interface Judged {
  estimate?: Estimate;
  /** Codes of the error and warning findings (estimator issues included). */
  errors: string[];
  warnings: string[];
}

export function judge(plan: DeploymentPlan, deps: EstimatorDeps): Judged {
  const res = cachedEstimate(plan, deps);
  if (!res.ok) return { errors: res.issues.filter((i) => i.severity === 'error').map((i) => i.code), warnings: [] };
  const findings = runRules({ plan, estimate: res.estimate, whatIf: () => undefined });
  return {
    estimate: res.estimate,
    errors: findings.filter((f) => f.severity === 'error').map((f) => f.rule),
    warnings: findings.filter((f) => f.severity === 'warning').map((f) => f.rule),
  };
}
