/** What `check` found in a tree: the input every output format (text, json, sarif, github, junit) renders. */
import type { TextEdit } from '../edits/apply';
import type { Severity } from '../estimator/estimate';
import type { FamilyId } from '../evidence/families';
import type { SourceRange } from '../plan/types';
import type { WorkloadSummary } from '../workspace/summary';

export interface CheckFix {
  title: string;
  /** The quick fix's edits, as the editor applies them (edits/apply.ts), 0-based LSP ranges. */
  edits: TextEdit[];
}

export interface CheckFinding {
  /** Relative to the report's root, `/`-separated. */
  file: string;
  rule: string;
  severity: Severity;
  message: string;
  /** 0-based, LSP-style (end exclusive); formats convert to 1-based line and column. */
  range: SourceRange;
  /** Index into CheckReport.workloads; absent: a file-level finding (it concerns every workload of its file). */
  workload?: number;
  technique?: FamilyId;
  fixes: CheckFix[];
}

export interface CheckReport {
  /** Absolute folder the paths are relative to. */
  root: string;
  /** Candidate files read (YAML/JSON names not ignored), and those a reader recognised. */
  filesRead: number;
  filesRecognised: number;
  workloads: WorkloadSummary[];
  /** Files that could not be read (permissions, vanished mid-scan), relative; said on stderr, not findings. */
  skipped: Array<{ file: string; reason: string }>;
  /** Sorted by file, line, column. */
  findings: CheckFinding[];
}

export const severityRank: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export type FailOn = Severity | 'never';
export const failOnValues: FailOn[] = ['error', 'warning', 'info', 'never'];

/** Whether a finding of this severity fails the check at --fail-on. */
export const fails = (s: Severity, failOn: FailOn): boolean => failOn !== 'never' && severityRank[s] >= severityRank[failOn];
