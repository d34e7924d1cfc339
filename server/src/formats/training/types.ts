/** The training readers' shared shapes: what readTrainingText takes and returns. */
import type { TrainingFormat, TrainingPlan } from '../../plan/training';
import type { ParsedDocument } from '../document';
import type { FormatProblem } from '../types';

export interface TrainingReadContext {
  /** Reads a file the config names (a DeepSpeed JSON); called with the resolved path (for file: URIs an absolute
   *  filesystem path). Undefined when it cannot be read; absent in untrusted or virtual workspaces. */
  readFile?(path: string): string | undefined;
}

export interface TrainingReadResult {
  format: TrainingFormat;
  plan: TrainingPlan;
  /** Same shape as the serving readers' problems (code, severity, message, range, and a rename for near misses). */
  problems: FormatProblem[];
}

export interface TrainingReader {
  format: TrainingFormat;
  /** Cheap test on the top-level keys; must not claim serving files or unrelated YAML/JSON. */
  detect(keys: ReadonlySet<string>, doc: ParsedDocument): boolean;
  read(doc: ParsedDocument, ctx: TrainingReadContext): TrainingReadResult;
}
