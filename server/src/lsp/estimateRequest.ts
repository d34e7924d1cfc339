/** The `deployAdvisor/estimate` request: the palette command's report and the status bar's verdict. */
import type { EstimateResult } from '../../../protocol/requests';
import { Analysis, workloadFindings } from '../pipeline';
import { analysisMarkdown, verdictLine } from '../report/markdown';
import { deploymentVerdict, worstSeverity } from '../verdict';

export function toEstimateResult(uri: string, a: Analysis): EstimateResult {
  const judged = a.workloads.flatMap((w, i) => (w.estimate ? [{ e: w.estimate, findings: workloadFindings(a, i), v: deploymentVerdict(w.estimate, workloadFindings(a, i)) }] : []));
  const anyProblem = a.workloads.some((w) => !w.estimate) || judged.some((j) => j.v.kind !== 'fits');
  const fitting = judged.filter((j) => j.v.kind === 'fits').length;
  const stopped = judged.filter((j) => j.v.kind === 'will-not-start').length;
  const summary = !a.format ? '' : judged.length === 0 ? 'no estimate (see Problems)'
    : judged.length === 1 ? verdictLine(judged[0].e, judged[0].findings)
    : `${judged.length} workloads · ${fitting} fit${stopped ? ` · ${stopped} will not start` : ''}`;
  const worst = worstSeverity(a.findings);
  return { uri, markdown: analysisMarkdown(a), summary, anyProblem, ...(worst ? { worstSeverity: worst } : {}) };
}
