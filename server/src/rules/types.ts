import type { Estimate, Severity } from '../estimator/estimate';
import type { FamilyId } from '../evidence/families';
import type { DeploymentPlan, EngineKnobs, HardwareChange, KeyOccurrence, Rename, SourceRange } from '../plan/types';
import type { PodChange } from '../plan/pod';
import type { KeySet } from '../edits/keyPathSet';
import type { TrainingKnobChange } from './training/types';

/** A change a fix makes, in plan terms; edits/ spells it in the file's own syntax. */
export interface KnobChange {
  knob: keyof EngineKnobs;
  value: string | number | boolean;
  /** Takes the option out of the file (and the plan) instead of setting it; `value` is then unused. */
  remove?: true;
}

/** "Set kv-cache-dtype: fp8 — KV capacity 448 k → 896 k tokens": what to change and what it buys. */
export interface FixIntent {
  title: string;
  changes: KnobChange[];
  /** GPUs the fix changes too (TP 2 needs a second GPU): written where the file states them. */
  hardware?: HardwareChange;
  /** Marks the fix VS Code offers first (Ctrl+. Enter). */
  preferred?: boolean;
  /** The technique family it applies (its evidence). */
  technique?: FamilyId;
  /** A literal rename instead of knob changes (a mistyped key or model id): `from` → `to` inside `range`. */
  rename?: Rename;
  /** Options rewritten as a later engine release spells them (flag hygiene): edits/flagRewrite.ts writes them in the
   *  file's own syntax. The fix then changes no knob. */
  flagRewrites?: FlagRewrite[];
  /** Changes to the pod around the engine (/dev/shm, memory limit, probes): edits/pod.ts writes them. */
  pod?: PodChange[];
  /** A training config's change (rules/training): the plan-level changes and the framework's keys they set
   *  (edits/training.ts); `changes` is then empty. */
  training?: { changes: TrainingKnobChange[]; sets: KeySet[] };
}

/** One option of the file rewritten: removed, or renamed (with a new value, and options added right after it). Names
 *  are the engine's canonical dash spellings; the edit writes them in the file's style. */
export interface FlagRewrite {
  key: KeyOccurrence;
  remove?: true;
  to?: string;
  /** The new value; absent: the value stays as written (a pure rename). */
  value?: string;
  add?: Array<{ name: string; value: string }>;
}

/** One thing to tell the user, at the exact place in the file it concerns. */
export interface Finding {
  /** Stable rule code, e.g. `kv-limits-concurrency` (shown in the Problems panel, configurable severity). */
  rule: string;
  severity: Severity;
  message: string;
  range: SourceRange;
  fixes?: FixIntent[];
  /** Which workload of the file it concerns (index into Analysis.workloads). */
  workload?: number;
  /** The technique family behind its advice (evidence line in hovers, papers in the report). */
  technique?: FamilyId;
  /** The engine refuses this configuration at startup: with error severity the verdict is "will not start". */
  refusesStart?: boolean;
  /** Places in other files it concerns (a log's warning → the key to change in the config that produced it). */
  related?: Array<{ uri: string; range: SourceRange; message: string }>;
}

export interface RuleContext {
  plan: DeploymentPlan;
  estimate: Estimate;
  /** Re-estimates the plan with some knobs changed (fix titles state their measured effect). */
  whatIf(changes: KnobChange[], hardware?: HardwareChange): Estimate | undefined;
  /** The same with memory only (fit, KV capacity and their issues; latency zero): cheap, for searches over many candidates. */
  memoryIf?(changes: KnobChange[], hardware?: HardwareChange): Estimate | undefined;
  /** The cheapest catalog GPU (same count) on which this plan still fits the workload, when one is cheaper. */
  cheaperGpu?(): { gpu: string; pricePerHour: number; tpotMs: number } | undefined;
}

export interface Rule {
  code: string;
  description: string;
  defaultSeverity: Severity;
  /** Its error findings are configurations the engine refuses at startup (an argument check, the memory profile). */
  refusesStart?: boolean;
  /** Reads the plan only (not the estimate): it runs also when the plan cannot be estimated (an unknown model). */
  planOnly?: boolean;
  check(ctx: RuleContext): Finding[];
}
