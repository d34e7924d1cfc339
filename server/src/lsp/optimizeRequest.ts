/**
 * `deployAdvisor/optimize`: the cheapest plans for one workload of the document (the first with an estimate unless
 * asked), searched within its own engine, each with the minimal edit that rewrites the file's knobs and hardware (GPU
 * count, type, replicas, where the file states them) to it.
 */
import type { OptimizeResponse } from '../../../protocol/requests';
import { planEdits } from '../edits/apply';
import type { Estimate } from '../estimator/estimate';
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
  // Edits into a document that does not parse would land in the wrong structure.
  const syntaxBroken = a.findings.some((f) => f.rule === 'syntax');
  return {
    notes: result.notes,
    searched: result.searchedFor,
    plans: result.plans.map((p) => {
      const changes = syntaxBroken ? 'the file does not parse: fix its syntax first' : knobChanges(p, current, w.plan.knobs.attentionDataParallel?.value === true);
      // The plan's hardware is written where the file states it; what it has no place for is said instead.
      const r = typeof changes === 'string' ? { reason: changes } : planEdits({ title: '', changes, hardware: { gpu: p.gpu, gpusPerReplica: p.gpusPerReplica, replicas: p.replicas } }, w.plan, text);
      if (!('edits' in r)) return { plan: p, edit: null, noEdit: r.reason };
      const hardware = r.notes.length ? `needs what this file cannot say: ${r.notes.join('; ')}` : undefined;
      return { plan: p, edit: { changes: { [uri]: r.edits } }, hardware };
    }),
  };
}

/**
 * The knobs that make the file's deployment this plan: the batch knobs always, the rest where they differ from what the
 * file runs now (the search sizes every plan's chunk with chunked prefill on). A reason instead when setting values
 * cannot do it: the search's weights are the checkpoint's or FP8 quantized online, so a file that quantizes some other
 * way would need its quantization removed.
 */
function knobChanges(p: PlanRow, current: Estimate, attentionDpNow: boolean): KnobChange[] | string {
  const s = current.serving;
  const changes: KnobChange[] = [
    { knob: 'tensorParallel', value: p.tensorParallel },
    { knob: 'maxNumSeqs', value: p.maxNumSeqs },
    { knob: 'maxNumBatchedTokens', value: p.maxNumBatchedTokens },
  ];
  // The search sizes plans for the length the engine accepts: a file's longer, refused max-model-len is set to it.
  if (p.maxModelLen !== s.maxModelLen && s.maxModelLen > current.model.contextLimit) changes.push({ knob: 'maxModelLen', value: p.maxModelLen });
  if (p.pipelineParallel !== s.pipelineParallel) changes.push({ knob: 'pipelineParallel', value: p.pipelineParallel });
  if (p.expertParallel !== s.expertParallel) changes.push({ knob: 'expertParallel', value: p.expertParallel });
  if (p.kvCacheDtype !== s.kvCacheDtype) changes.push({ knob: 'kvCacheDtype', value: p.kvCacheDtype === 'fp8' ? 'fp8' : 'auto' });
  if (p.weightDtype !== s.weightDtype) {
    if (p.weightDtype !== 'fp8') return `the plan runs the checkpoint's ${p.weightDtype} weights: remove the file's quantization (${s.weightDtype}) to apply it`;
    changes.push({ knob: 'quantization', value: 'fp8' });
  }
  if (!s.chunkedPrefill) changes.push({ knob: 'enableChunkedPrefill', value: true });
  // The plan's replicas are whole engines: data-parallel ranks the file runs inside one become 1 (else the file would
  // ask for TP × DP GPUs where the plan has TP).
  if (p.attentionDataParallel <= 1 && !attentionDpNow && s.dataParallel > 1) changes.push({ knob: 'dataParallel', value: 1 });
  // DP attention on (SGLang also names the ranks in dp-size), or off again where the file has it on.
  if (p.attentionDataParallel > 1) {
    changes.push({ knob: 'attentionDataParallel', value: true });
    if (p.engine === 'sglang') changes.push({ knob: 'dataParallel', value: p.attentionDataParallel });
  } else if (attentionDpNow) {
    changes.push({ knob: 'attentionDataParallel', value: false });
    if (p.engine === 'sglang') changes.push({ knob: 'dataParallel', value: 1 });
  }
  return changes;
}
