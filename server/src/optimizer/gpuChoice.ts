/**
 * Which GPUs a search considers. Datacenter GPUs by default: a GeForce card is not a drop-in for a server deployment
 * (no datacenter driver licence, no cloud SKU behind a Kubernetes node pool), so consumer cards are searched only
 * when the file already runs on one or the user lists them (`--gpus`, `deployAdvisor.optimizer.gpus`).
 */
import { GpuSpec, isConsumerGpu } from '../catalog/gpus';
import type { EstimatorDeps } from '../estimator/estimate';
import { canSelect } from '../formats/gpuLabels';
import type { DeploymentPlan } from '../plan/types';

/** The GPU the file (or a setting, a profile, a flag) names for this plan; undefined when only the default applies. */
export function fileGpu(plan: DeploymentPlan, deps: EstimatorDeps): GpuSpec | undefined {
  if (plan.hardware.gpu.source.kind === 'default') return undefined;
  return deps.gpus.find(plan.hardware.gpu.value);
}

/**
 * The GPUs to search: the ones asked for (unknown names noted and skipped), else every datacenter GPU in the catalog
 * and the file's own GPU (even a consumer one).
 */
export function searchGpus(asked: string[] | undefined, onFile: GpuSpec | undefined, deps: EstimatorDeps, notes: string[], plan?: DeploymentPlan): GpuSpec[] {
  const listed = listedGpus(asked, onFile, deps, notes);
  // A node selector in the file (GKE accelerator, GPU product, instance type) bounds the GPUs it can be moved to: a
  // plan on a GPU the cluster's labels cannot name could not be applied. GPUs the user lists are searched regardless.
  const selectors = asked?.length ? [] : plan?.hardwareSites?.gpuSelectors ?? [];
  const out = listed.filter((g) => g === onFile || selectors.every((s) => canSelect(s.label, s.value, g.id)));
  if (out.length < listed.length) notes.push(`GPUs the file's ${[...new Set(selectors.map((s) => s.label))].join(', ')} selector cannot name are left out (${listed.filter((g) => !out.includes(g)).map((g) => g.id).join(', ')})`);
  return out;
}

function listedGpus(asked: string[] | undefined, onFile: GpuSpec | undefined, deps: EstimatorDeps, notes: string[]): GpuSpec[] {
  if (asked?.length) {
    const out: GpuSpec[] = [];
    for (const name of asked) {
      const g = deps.gpus.find(name);
      if (!g) notes.push(`unknown GPU "${name}" skipped`);
      else if (!out.includes(g)) out.push(g);
    }
    return out;
  }
  const out = deps.gpus.gpus.filter((g) => !isConsumerGpu(g) || g === onFile);
  if (deps.gpus.gpus.some(isConsumerGpu) && !(onFile && isConsumerGpu(onFile))) {
    notes.push('datacenter GPUs only: list consumer cards (GeForce RTX 3090/4080/4090/5080/5090) in deployAdvisor.optimizer.gpus or --gpus to include them');
  }
  return out;
}
