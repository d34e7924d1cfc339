/** A plan's own workload and SLO as an optimizer request; the CLI's flags and the editor's command start from it. */
import { engineNames, DeploymentPlan, EngineName } from '../plan/types';
import type { OptimizeRequest } from './types';

export function requestFromPlan(plan: DeploymentPlan, overrides: Partial<OptimizeRequest> = {}): OptimizeRequest {
  const w = plan.workload;
  const fileRate = w.requestRate?.value;
  const fileConcurrency = w.concurrency.source.kind === 'default' ? undefined : w.concurrency.value;
  const load: Pick<OptimizeRequest, 'concurrency' | 'requestRate'> =
    fileRate !== undefined && fileConcurrency === undefined ? { requestRate: fileRate }
      : { concurrency: fileConcurrency === 'max' ? undefined : fileConcurrency ?? 1 };
  return {
    inputLen: w.inputLen.value,
    outputLen: w.outputLen.value,
    ...load,
    slo: { ttftMs: plan.slo?.ttftMs?.value, tpotMs: plan.slo?.tpotMs?.value, minThroughput: plan.slo?.minThroughput?.value },
    maxGpus: 8,
    // TEI serves pooling models only: it is never a candidate for a generation workload's search.
    engines: engineNames.filter((e): e is EngineName => e !== 'tei'),
    limit: 10,
    ...overrides,
  };
}
