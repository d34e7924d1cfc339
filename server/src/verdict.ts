/**
 * The one verdict of a workload, over its estimate and its findings: every adapter (code lens, status bar, the
 * palette's and the CLI's report, the report page) shows this, so they never disagree.
 */
import type { Estimate, Severity } from './estimator/estimate';
import type { DeploymentPlan } from './plan/types';
import type { Finding } from './rules/types';

export type VerdictKind = 'fits' | 'does-not-fit' | 'will-not-start';

export interface Verdict {
  kind: VerdictKind;
  /** "fits on 1 × H100-SXM", "does not fit on 1 × L4", "will not start on 3 × H100-SXM: tp-divisibility". */
  text: string;
  /** The finding the engine stops on, for "will not start". */
  reason?: Finding;
  /** The worst severity among the findings (undefined: none). */
  worst?: Severity;
}

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function worstSeverity(findings: Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (!worst || rank[f.severity] < rank[worst]) worst = f.severity;
  return worst;
}

/** An error-level finding whose configuration the engine refuses at startup. */
export const stopsEngine = (f: Finding): boolean => f.severity === 'error' && f.refusesStart === true;

/**
 * Memory comes first — "does not fit" says what the user must change most — then any error the engine stops on
 * ("will not start"), else "fits". Given the plan, a GPU nobody named is marked as assumed, with how to name it.
 */
export function deploymentVerdict(e: Estimate, findings: Finding[], plan?: DeploymentPlan): Verdict {
  const assumed = plan && gpuAssumption(plan);
  const on = `${e.hardware.count} × ${e.hardware.gpu}${assumed ? ` (${assumed})` : ''}`;
  const worst = worstSeverity(findings);
  // An architecture read only as a generic decoder: the verdict never reads as confident.
  const rough = e.model.genericRead ? ' (rough: architecture not modelled)' : '';
  if (!e.memory.fits) return { kind: 'does-not-fit', text: `does not fit on ${on}${rough}`, worst };
  const reason = findings.find(stopsEngine);
  if (reason) return { kind: 'will-not-start', text: `will not start on ${on}: ${reason.rule}${rough}`, reason, worst };
  return { kind: 'fits', text: `fits on ${on}${rough}`, worst };
}

/** How to name the GPU when the file, its profile and the settings do not (the default H100 SXM is then assumed). */
export function gpuAssumption(plan: DeploymentPlan): string | undefined {
  return plan.hardware.gpu.source.kind === 'default' ? 'assumed: set `# deploy-advisor: gpu=…` or deployAdvisor.gpu' : undefined;
}
