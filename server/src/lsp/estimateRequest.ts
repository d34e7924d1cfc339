/** The `deployAdvisor/estimate` request: the palette command's report and the status bar's verdict. */
import type { EstimateResult } from '../../../protocol/requests';
import type { Analysis } from '../pipeline';
import { analysisMarkdown, verdict } from '../report/markdown';

export function toEstimateResult(uri: string, a: Analysis): EstimateResult {
  const estimates = a.workloads.flatMap((w) => (w.estimate ? [w.estimate] : []));
  const anyProblem = a.workloads.some((w) => !w.estimate || !w.estimate.memory.fits);
  const summary = !a.format ? '' : estimates.length === 0 ? 'no estimate (see Problems)' : estimates.length === 1 ? verdict(estimates[0]) : `${estimates.length} workloads · ${estimates.filter((e) => e.memory.fits).length} fit`;
  return { uri, markdown: analysisMarkdown(a), summary, anyProblem };
}
