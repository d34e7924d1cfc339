/** Custom LSP requests shared by client and server. */

/** `deployAdvisor/estimate`: the full estimate of every workload in a document, as Markdown and as data. */
export const estimateRequest = 'deployAdvisor/estimate';

export interface EstimateParams {
  uri: string;
}

export interface EstimateResult {
  uri: string;
  /** A readable report, one section per workload. */
  markdown: string;
  /** One-line verdict for the status bar, e.g. "fits · 476k KV tokens · TPOT 7.9 ms". */
  summary: string;
  /** True when at least one workload does not fit. */
  anyProblem: boolean;
}
