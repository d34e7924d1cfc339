/** The workloads a file offers to the plan picker: which model each is, its GPU, and whether the file gives its load. */
import type { OptimizeWorkload } from '../../../protocol/requests';
import { workloadText } from '../optimizer/describe';
import { statesWorkload } from '../optimizer/overrides';
import { requestFromPlan } from '../optimizer/request';
import type { Analysis } from '../pipeline';

export function optimizeWorkloads(a: Analysis): OptimizeWorkload[] {
  const out: OptimizeWorkload[] = [];
  a.workloads.forEach((w, index) => {
    if (!w.estimate) return;
    out.push({
      index, name: w.plan.name, model: w.plan.model.ref.value, gpu: w.estimate.hardware.gpu,
      statesWorkload: statesWorkload(w.plan), workloadText: workloadText(requestFromPlan(w.plan)),
    });
  });
  return out;
}
