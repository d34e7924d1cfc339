/** Problems the estimator itself detected (does not fit, max length over the KV pool, ...), placed on their source key. */
import type { EstimateIssue } from '../estimator/estimate';
import type { DeploymentPlan, Rename, SourceRange } from '../plan/types';
import type { Finding, FixIntent } from './types';

const top: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The range a finding lands on: the offending key if it came from the file, else the model key, else the top. */
export function rangeFor(plan: DeploymentPlan, source: EstimateIssue['source']): SourceRange {
  if (source?.kind === 'file') return source.range;
  const model = plan.model.ref.source;
  return model.kind === 'file' ? model.range : top;
}

export function issuesToFindings(plan: DeploymentPlan, issues: EstimateIssue[]): Finding[] {
  return issues.map((i) => ({ rule: i.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source), ...(i.refusesStart ? { refusesStart: true } : {}), ...renameFixes(i) }));
}

export const renameFix = (r: Rename): FixIntent => ({ title: `Rename to "${r.to}"`, changes: [], rename: r, preferred: true });

/** A value one typo from a catalog id, written in the file: offer the rename. */
export function renameFixes(i: EstimateIssue): Pick<Finding, 'fixes'> {
  return i.meant && i.source?.kind === 'file' ? { fixes: [renameFix({ range: i.source.range, ...i.meant })] } : {};
}
