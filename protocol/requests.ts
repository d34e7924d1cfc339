/** Custom LSP requests shared by client and server. */
import type { PlanRow } from './optimize';

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

/** `deployAdvisor/report`: the visual report's data for a document (one entry per workload with an estimate). */
export const reportRequest = 'deployAdvisor/report';

export interface ReportParams {
  uri: string;
}

/** `deployAdvisor/fixEdit`: the workspace edit of one finding's fix — the report's *Apply*, same edit as the quick fix. */
export const fixEditRequest = 'deployAdvisor/fixEdit';

export interface FixEditParams {
  uri: string;
  finding: number;
  fix: number;
}

/** `deployAdvisor/optimize`: the cheapest plans meeting the document's SLO (within its engine), each with its edit. */
export const optimizeRequest = 'deployAdvisor/optimize';

export interface OptimizeParams {
  uri: string;
  /** Which workload of a multi-workload file (default: the first with an estimate). */
  workload?: number;
}

export interface OptimizeResponse {
  plans: Array<{
    plan: PlanRow;
    /** Rewrites the file's knobs to the plan (null when the file cannot express one of them). */
    edit: { changes: Record<string, Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>> } | null;
    /** What the edit cannot write because the file has no place for it (it names no GPU type, states no replica
     *  count): the edit writes the plan's GPU type, count and replicas wherever the file states them. */
    hardware?: string;
    /** Why there is no edit, when there is none. */
    noEdit?: string;
  }>;
  notes: string[];
}
