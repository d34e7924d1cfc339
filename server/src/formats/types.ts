import type { DeploymentPlan, Rename, Slo, SourceRange, Sourced, Workload } from '../plan/types';
import type { ParsedDocument } from './document';
import type { MeasuredRun } from './logs/types';

export type FormatName = 'hf-config' | 'vllm' | 'sglang' | 'trtllm' | 'kubernetes' | 'helm' | 'compose' | 'profile' | 'dynamo' | 'ray-serve' | 'skypilot' | 'engine-log' | 'benchmark-result' | 'deploy-advisor-config';

export interface FormatProblem {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: SourceRange;
  /** The near miss it probably meant (quick fix: the rename). */
  rename?: Rename;
  /** The engine (or the argument parser in front of it) stops at startup on this: the verdict is "will not start". */
  refusesStart?: boolean;
}

/** What the reader may use that the file itself does not hold. */
export interface ReadContext {
  /** GPU and count from settings (used when the file says nothing). */
  gpu?: Sourced<string>;
  gpuCount?: Sourced<number>;
  /** deployAdvisor.engineVersion: below a version the file states (image tag, directive), above the newest modelled. */
  engineVersion?: Sourced<string>;
  /** Loads `<dir>/config.json` (and `hf_quant_config.json`) for a local model folder; absent in untrusted or virtual workspaces. */
  loadLocalConfig?: (ref: string) => LocalModel | undefined;
  /** Loads `<dir>/adapter_config.json` for a local LoRA adapter folder (same trust rules as loadLocalConfig). */
  loadLocalAdapter?: (ref: string) => Record<string, unknown> | undefined;
  /** Reads a file a config names by path (a training config's DeepSpeed JSON), resolved; same trust rules. */
  readLinkedFile?: (path: string) => string | undefined;
  /** A deployment profile beside the file (its hardware, workload and SLO apply where the file is silent). */
  sideProfile?: { uri: string; text: string };
  /** Workload and SLO from settings (used where the file, its profile and its directive are silent). */
  workload?: Partial<Workload>;
  slo?: Slo;
}

export interface ReadResult {
  format: FormatName | null;
  plans: DeploymentPlan[];
  problems: FormatProblem[];
  /** An engine log or benchmark result: what it measured (plans[0] is the configuration it states). */
  measured?: MeasuredRun;
}

export interface FormatReader {
  name: FormatName;
  /** Cheap structural test; must not claim unrelated YAML/JSON. */
  detect(doc: ParsedDocument): boolean;
  read(doc: ParsedDocument, ctx: ReadContext): ReadResult;
}

export interface LocalModel {
  config: Record<string, unknown>;
  hfQuantConfig?: Record<string, unknown>;
}
