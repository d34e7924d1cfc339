import type { Estimate, Severity } from '../estimator/estimate';
import type { DeploymentPlan, SourceRange } from '../plan/types';

/** One thing to tell the user, at the exact place in the file it concerns. */
export interface Finding {
  /** Stable rule code, e.g. `kv-limits-concurrency` (shown in the Problems panel, configurable severity). */
  rule: string;
  severity: Severity;
  message: string;
  range: SourceRange;
}

export interface RuleContext {
  plan: DeploymentPlan;
  estimate: Estimate;
}

export interface Rule {
  code: string;
  description: string;
  defaultSeverity: Severity;
  check(ctx: RuleContext): Finding[];
}
