/**
 * `deployAdvisor/optimize`: the cheapest plans for one workload of the document (the first with an estimate unless
 * asked), searched within its own engine, each with the minimal edit that rewrites the file's knobs to it.
 */
import type { OptimizeResponse } from '../../../protocol/requests';
import { editsForFix } from '../edits/apply';
import type { OptimizeResult, PlanRow } from '../optimizer/types';
import type { Analysis, Workload } from '../pipeline';
import type { KnobChange } from '../rules/types';

/** The workload a request is about: the one asked for, else the first with an estimate. */
export function optimizeTarget(a: Analysis, workload?: number): Workload | undefined {
  const w = workload === undefined ? a.workloads.find((x) => x.estimate) : a.workloads[workload];
  return w?.estimate ? w : undefined;
}

/** @param result the search for `optimizeTarget(a, workload)` (the server runs it on its worker thread). */
export function optimizeForDocument(uri: string, text: string, a: Analysis, result: OptimizeResult | undefined, workload?: number): OptimizeResponse {
  const w = optimizeTarget(a, workload);
  if (!w?.estimate || !result) return { plans: [], notes: ['No estimate for this file: open a model or deployment config.'] };
  const current = w.estimate;
  return {
    notes: result.notes,
    plans: result.plans.map((p) => {
      const changes = knobChanges(p, current.serving.weightDtype);
      const edits = editsForFix({ title: '', changes }, w.plan, text);
      const edit = edits ? { changes: { [uri]: edits } } : null;
      const hardware = p.gpu !== current.hardware.gpu || p.gpusPerReplica !== current.hardware.count || p.replicas !== current.hardware.replicas
        ? `also needs ${p.replicas > 1 ? `${p.replicas} replicas of ` : ''}${p.gpusPerReplica} × ${p.gpu} (now ${current.hardware.count} × ${current.hardware.gpu}): change the GPU request where the file or cluster sets it`
        : undefined;
      return { plan: p, edit, hardware };
    }),
  };
}

/** The knobs that make the file's deployment this plan (weights are quantized online only when the plan says FP8 and the checkpoint is not). */
function knobChanges(p: PlanRow, currentWeights: string): KnobChange[] {
  const changes: KnobChange[] = [
    { knob: 'tensorParallel', value: p.tensorParallel },
    { knob: 'maxNumSeqs', value: p.maxNumSeqs },
    { knob: 'maxNumBatchedTokens', value: p.maxNumBatchedTokens },
    { knob: 'kvCacheDtype', value: p.kvCacheDtype === 'fp8' ? 'fp8' : 'auto' },
  ];
  if (p.pipelineParallel > 1) changes.push({ knob: 'pipelineParallel', value: p.pipelineParallel });
  if (p.expertParallel > 1) changes.push({ knob: 'expertParallel', value: p.expertParallel });
  if (p.weightDtype === 'fp8' && currentWeights !== 'fp8') changes.push({ knob: 'quantization', value: 'fp8' });
  return changes;
}
