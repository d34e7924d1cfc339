/**
 * The one-way flow, end to end: text → parsed document → plans → estimates → findings.
 * The LSP server, the CLI and the report all call this; none of them computes anything itself.
 */
import { estimate, Estimate, EstimatorDeps, EstimateIssue } from './estimator/estimate';
import { readText } from './formats';
import type { FormatName, ReadContext, ReadResult } from './formats/types';
import type { DeploymentPlan } from './plan/types';
import { rangeFor } from './rules/estimatorIssues';
import { runRules } from './rules/registry';
import type { Finding } from './rules/types';

export interface Workload {
  plan: DeploymentPlan;
  estimate?: Estimate;
  /** Set when the estimate could not be made (unknown model, bad config). */
  failure?: EstimateIssue[];
}

export interface Analysis {
  format: FormatName | null;
  workloads: Workload[];
  findings: Finding[];
}

export function analyze(uri: string, text: string, ctx: ReadContext = {}, deps?: EstimatorDeps): Analysis {
  return evaluate(readText(uri, text, ctx), deps);
}

/** Plans already read (and possibly adjusted, e.g. by CLI what-if flags) → estimates and findings. */
export function evaluate(read: ReadResult, deps?: EstimatorDeps): Analysis {
  const findings: Finding[] = read.problems.map((p) => ({ rule: p.code, severity: p.severity, message: p.message, range: p.range }));
  const workloads: Workload[] = read.plans.map((plan) => {
    const res = estimate(plan, deps);
    if (!res.ok) {
      findings.push(...res.issues.map((i) => ({ rule: i.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source) })));
      return { plan, failure: res.issues };
    }
    findings.push(...runRules({ plan, estimate: res.estimate }));
    return { plan, estimate: res.estimate };
  });
  return { format: read.format, workloads, findings: dedupe(findings) };
}

const rank = { error: 0, warning: 1, info: 2 } as const;

/** The same rule on the same range (e.g. a GPU-count mismatch seen by the reader and by the estimator) is one finding. */
function dedupe(findings: Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.rule}@${f.range.start.line}:${f.range.start.character}`;
    const prev = byKey.get(key);
    if (!prev || rank[f.severity] < rank[prev.severity]) byKey.set(key, f);
  }
  return [...byKey.values()];
}
