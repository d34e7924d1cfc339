/**
 * The training config's flow, the sibling of pipeline.ts: text → TrainingPlan (formats/training) → training estimate →
 * findings on the keys. The LSP and CLI adapters show these; none of them computes anything itself.
 */
import { GpuCatalog } from './catalog/gpus';
import type { ModelSource } from './estimator/estimate';
import { estimateTraining } from './estimator/training/estimate';
import { resolveTraining } from './estimator/training/resolve';
import type { ComponentBytes, TrainingEstimate, TrainingIssue } from './estimator/training/types';
import type { TrainingReadResult } from './formats/training/types';
import type { TrainingPlan } from './plan/training';
import type { Provenance, SourceRange } from './plan/types';
import { renameFix } from './rules/estimatorIssues';
import type { Finding } from './rules/types';

export interface TrainingAnalysis {
  plan: TrainingPlan;
  estimate?: TrainingEstimate;
  /** Why no estimate (no base model named, an unknown model or GPU). */
  error?: string;
}

const TOP: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const rangeOf = (src: Provenance | undefined): SourceRange | undefined => (src?.kind === 'file' ? src.range : undefined);

/** The key a component's size answers to, so the finding lands where the user would change it. */
function componentKey(plan: TrainingPlan, c: keyof ComponentBytes | undefined): SourceRange | undefined {
  switch (c) {
    case 'activations': return rangeOf(plan.microBatch.source) ?? rangeOf(plan.gradientCheckpointing.source) ?? rangeOf(plan.seqLen.source);
    case 'logits': return rangeOf(plan.seqLen.source) ?? rangeOf(plan.microBatch.source);
    case 'optimizer': return rangeOf(plan.optimizer.source) ?? rangeOf(plan.method.source);
    case 'gradients': return rangeOf(plan.method.source);
    case 'weights': return rangeOf(plan.quantBits?.source) ?? rangeOf(plan.precision.source) ?? rangeOf(plan.method.source);
    default: return undefined;
  }
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

function issueFinding(plan: TrainingPlan, e: TrainingEstimate, i: TrainingIssue): Finding {
  const range = componentKey(plan, i.component) ?? rangeOf(plan.model?.source) ?? TOP;
  const parts = (Object.entries(e.components) as Array<[keyof ComponentBytes, number]>).filter(([, b]) => b > 0).map(([k, b]) => `${k} ${gib(b)}`).join(', ');
  return { rule: i.code, severity: i.severity, message: i.code === 'training-does-not-fit' ? `${i.message} (per GPU: ${parts})` : i.message, range };
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
  findings.push(...estimate.issues.map((i) => issueFinding(read.plan, estimate, i)));
  return { training: { plan: read.plan, estimate }, findings };
}
