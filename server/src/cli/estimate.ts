/** `deploy-advisor estimate`: the estimate of every workload the file holds, as Markdown or the --json contract. */
import { Analysis, evaluate, workloadFindings } from '../pipeline';
import { estimateToJson } from '../report/json';
import { measuredJson } from '../measured/json';
import { analysisMarkdown } from '../report/markdown';
import { deploymentVerdict } from '../verdict';
import { applyFlags, Flags, UsageError } from './options';
import { depsFrom, readTarget } from './target';

/** Flags `optimize` reads that mean nothing to one estimate. */
export const OPTIMIZE_ONLY = new Set(['max-gpus']);

/**
 * The exit status of `estimate` and `report` (one function, so the two commands never disagree; the README's "Exit
 * status" paragraph documents it): 2 when a workload could not be estimated or the file holds none (an input error),
 * 1 when a workload does not fit its GPUs, 0 when every workload fits.
 */
export function estimateExitCode(analysis: Analysis): 0 | 1 | 2 {
  if (analysis.workloads.length === 0 || analysis.workloads.some((w) => !w.estimate)) return 2;
  // A workload that does not fit or will not start (the verdict the editor shows) fails the check.
  return analysis.workloads.some((w, i) => deploymentVerdict(w.estimate!, workloadFindings(analysis, i)).kind !== 'fits') ? 1 : 0;
}

export function runEstimate(target: string, flags: Flags): { output: string; code: number } {
  for (const name of flags.keys()) if (OPTIMIZE_ONLY.has(name) || name === 'html') throw new UsageError(`--${name} does not apply to estimate`);
  const read = readTarget(target);
  const deps = depsFrom(flags);
  for (const plan of read.plans) applyFlags(plan, flags);
  const analysis = evaluate(read, deps);
  const code = estimateExitCode(analysis);
  if (flags.get('json')) {
    // Each workload's object carries its own findings and the file-level ones.
    const items = analysis.workloads.map((w, i) =>
      w.estimate ? estimateToJson(w.estimate, workloadFindings(analysis, i)) : { model: { id: w.plan.model.ref.value }, error: (w.failure ?? []).map((x) => x.message).join(' ') });
    // A log or benchmark result: what it measured, beside the estimate of the configuration it states.
    if (analysis.measured && items.length === 1) Object.assign(items[0], { measured: measuredJson(analysis.measured.run) });
    return { output: JSON.stringify(items.length === 1 ? items[0] : items, null, 2), code };
  }
  return { output: analysisMarkdown(analysis), code };
}
