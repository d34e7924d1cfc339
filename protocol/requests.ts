/** Custom LSP requests shared by client and server. */
import type { PlanRow } from './optimize';
import type { TrainingCheapest, TrainingSearchParams } from './trainingReport';
import type { WorkloadSummary, WorkspaceTotals } from './workspace';

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
  /** True when at least one workload does not fit, will not start, or has no estimate. */
  anyProblem: boolean;
  /** The worst severity among the document's findings (absent: none), for the status bar's icon. */
  worstSeverity?: 'error' | 'warning' | 'info';
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
  /** A workload and SLO for this search instead of the file's (the editor asks when the file states none). */
  overrides?: OptimizeOverrides;
  /** Only list the file's workloads (`workloads`), without searching: what the editor asks before picking one. */
  listOnly?: boolean;
  /** On a fine-tuning config: what the setup search looks for (default: cheapest per token, the file's method). */
  training?: TrainingSearchParams;
}

/** What to search for when the file does not say (or to try another load): closed-loop requests in flight or an
 *  open-loop arrival rate, prompt and output lengths, optional latency targets. */
export interface OptimizeOverrides {
  concurrency?: number;
  requestRate?: number;
  inputLen?: number;
  outputLen?: number;
  ttftMs?: number;
  tpotMs?: number;
}

/** One workload of the file, as the plan picker offers it (a two-model Helm file has two). */
export interface OptimizeWorkload {
  index: number;
  /** Workload name (Kubernetes object, Helm modelSpec name, profile or file name). */
  name: string;
  model: string;
  /** GPU it runs on now, as the estimate resolved it. */
  gpu: string;
  /** Whether the file, its profile or a setting gives the load (requests in flight or a rate); else the editor asks. */
  statesWorkload: boolean;
  /** The load and shape the file gives, in words ("32 concurrent 2k/300 requests"). */
  workloadText: string;
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
  /** What the search looked for, in words (the picker's title): "no SLO set: cheapest that fits 32 concurrent 2k/300 requests". */
  searched?: string;
  /** The file's workloads with an estimate (every response; the only content of a `listOnly` one). */
  workloads?: OptimizeWorkload[];
  /** On a fine-tuning config (no workloads): the cheapest setups, searched even for `listOnly` (the search is bounded). */
  training?: TrainingCheapest & { model: string };
}

/**
 * `deployAdvisor/workspaceSummary`: every serving workload in the workspace folders (in an untrusted workspace: in the
 * open documents only), one row each, with totals — the Deployments view. The server reads each file once and keeps
 * its rows until the file changes (mtime and size on disk, version when open); answered when the scan is done.
 */
export const workspaceSummaryRequest = 'deployAdvisor/workspaceSummary';

export type WorkspaceSummaryParams = Record<string, never>;

/** A row of the view: the shared summary row, with where its file is. */
export interface WorkspaceRow extends WorkloadSummary {
  /** The file's URI (an open document's: `untitled:` too). */
  uri: string;
  /** The workspace folder's name (`file` is relative to it); empty for an open document outside every folder. */
  folder: string;
}

export interface WorkspaceSummaryResult {
  /** Sorted by folder, then file, then workload order in the file. */
  rows: WorkspaceRow[];
  totals: WorkspaceTotals;
  /** Files read from disk in this scan's list, and those the readers recognised (at least one workload). */
  scanned: { files: number; recognised: number };
  /** Why the scan stopped short (file or byte cap), in words; absent when every file was read. */
  truncated?: string;
  /** Workspace not trusted: only the open documents were read. */
  restricted: boolean;
}

/** Server → client notification: the rows may have changed (files changed on disk, an open document was edited,
 *  settings changed); the view asks again when it is visible. Sent only after a first workspaceSummary request. */
export const workspaceSummaryChangedNotification = 'deployAdvisor/workspaceSummaryChanged';
