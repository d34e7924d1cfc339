/**
 * The training config's flow, the sibling of pipeline.ts: text → TrainingPlan (formats/training) → training estimate →
 * findings on the keys. The LSP and CLI adapters show these; none of them computes anything itself.
 */
import { GpuCatalog } from './catalog/gpus';
import type { ModelSource } from './estimator/estimate';
import { estimateTraining } from './estimator/training/estimate';
import { resolveTraining } from './estimator/training/resolve';
import type { TrainingEstimate, TrainingInputs, TrainingIssue } from './estimator/training/types';
import { trainingWhatIf } from './estimator/training/whatIf';
import { claimedTrainingIssues, runTrainingRules } from './rules/training/registry';
import type { TrainingReadResult } from './formats/training/types';
import type { TrainingPlan } from './plan/training';
import type { Provenance, SourceRange } from './plan/types';
import { renameFix } from './rules/estimatorIssues';
import type { Finding } from './rules/types';

export interface TrainingAnalysis {
  plan: TrainingPlan;
  estimate?: TrainingEstimate;
  /** The resolved inputs the estimate ran on: what the hovers' what-ifs change one setting of. */
  inputs?: TrainingInputs;
  /** Why no estimate (no base model named, an unknown model or GPU). */
  error?: string;
}

const TOP: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const rangeOf = (src: Provenance | undefined): SourceRange | undefined => (src?.kind === 'file' ? src.range : undefined);

/** Estimator issues no training rule reports itself (near capacity), placed on the model key. */
function issueFinding(plan: TrainingPlan, i: TrainingIssue): Finding {
  return { rule: i.code, severity: i.severity, message: i.message, range: rangeOf(plan.model?.source) ?? TOP };
}

export function analyzeTrainingRead(read: TrainingReadResult, deps: { gpus: GpuCatalog; models?: ModelSource }): { training: TrainingAnalysis; findings: Finding[] } {
  const findings: Finding[] = read.problems.map((p) => ({ rule: p.code, severity: p.severity, message: p.message, range: p.range, ...(p.rename ? { fixes: [renameFix(p.rename)] } : {}) }));
  const res = resolveTraining(read.plan, deps);
  if (!res.ok) {
    // DeepSpeed, accelerate and Trainer-argument files are companions of a launch that names the model elsewhere:
    // no estimate for them is expected, so none is missed.
    const companion = !read.plan.model && (read.format === 'deepspeed' || read.format === 'accelerate' || read.format === 'hf-trainer');
    if (!companion) findings.push({ rule: read.plan.model ? 'unknown-model' : 'missing-model', severity: read.plan.model ? 'warning' : 'info', message: `Training estimate: ${res.error}`, range: rangeOf(read.plan.model?.source) ?? TOP });
    return { training: { plan: read.plan, error: res.error }, findings };
  }
  const estimate = estimateTraining(res.inputs, res.assumptions);
  findings.push(...estimate.issues.filter((i) => !claimedTrainingIssues.has(i.code)).map((i) => issueFinding(read.plan, i)));
  findings.push(...runTrainingRules({ plan: read.plan, inputs: res.inputs, estimate, gpus: deps.gpus, whatIf: (t) => trainingWhatIf(res.inputs, t) }));
  return { training: { plan: read.plan, estimate, inputs: res.inputs }, findings };
}
