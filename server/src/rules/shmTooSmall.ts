/**
 * /dev/shm too small for an engine that spans several GPUs in one pod (estimator/shm.ts states the need and its
 * sources): no `medium: Memory` emptyDir at /dev/shm (the 64 MiB container default), a sizeLimit below the need, or a
 * Compose service without `shm_size` / `ipc: host`. The fix mounts a Memory emptyDir of the recommended size (and its
 * volumeMount), raises its sizeLimit, or sets `shm_size`; LeaderWorkerSet worker templates get the same.
 */
import type { ComposePod, KubernetesPod, PodFacts, ProductionStackPod } from '../plan/pod';
import type { EngineName, SourceRange } from '../plan/types';
import { DEFAULT_SHM_BYTES, ShmNeed, shmNeed, shmTooSmall } from '../estimator/shm';
import type { Rule } from './types';

const size = (b: number) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(b % 2 ** 30 ? 1 : 0)} GiB` : `${Math.round(b / 2 ** 20)} MiB`);

interface Short {
  bytes: number;
  why: string;
  range: SourceRange;
}

function kubernetesShort(p: KubernetesPod, need: ShmNeed): Short | undefined {
  if (p.hostIpc?.value) return undefined;
  if (!p.shm) return shmTooSmall(DEFAULT_SHM_BYTES, need) ? { bytes: DEFAULT_SHM_BYTES, why: 'the 64 MiB container default: no medium: Memory emptyDir is mounted at /dev/shm', range: p.containerRange } : undefined;
  // A disk-backed emptyDir is not capped at 64 MiB; a Memory one without sizeLimit grows to the pod's memory.
  if (p.shm.medium !== 'Memory' || !p.shm.sizeLimit) return undefined;
  const r = p.shm.sizeLimit.source.kind === 'file' ? p.shm.sizeLimit.source.range : p.shm.mountRange;
  return shmTooSmall(p.shm.sizeLimit.value, need) ? { bytes: p.shm.sizeLimit.value, why: `the emptyDir "${p.shm.volumeName}" at /dev/shm has sizeLimit ${size(p.shm.sizeLimit.value)}`, range: r } : undefined;
}

function composeShort(p: ComposePod, need: ShmNeed): Short | undefined {
  if (p.ipc && /^(host|shareable|service:|container:)/.test(p.ipc.value)) return undefined;
  const bytes = p.shmSize?.value ?? DEFAULT_SHM_BYTES;
  if (!shmTooSmall(bytes, need)) return undefined;
  const range = p.shmSize?.source.kind === 'file' ? p.shmSize.source.range : p.serviceRange;
  return { bytes, why: p.shmSize ? `shm_size is ${size(bytes)}` : "no shm_size or ipc: host: Docker's 64 MiB default", range };
}

/** production-stack: the chart's `shm` emptyDir (sizeLimit `shmSize`, default 20Gi) exists only with `tensorParallelSize`. */
function productionStackShort(p: ProductionStackPod, need: ShmNeed): Short | undefined {
  if (!p.shmMounted) {
    return shmTooSmall(DEFAULT_SHM_BYTES, need) ? { bytes: DEFAULT_SHM_BYTES, why: 'the 64 MiB container default: the chart mounts its shm emptyDir only when vllmConfig sets tensorParallelSize, and this entry does not', range: p.modelRange } : undefined;
  }
  if (!shmTooSmall(p.shmSize.value, need)) return undefined;
  return { bytes: p.shmSize.value, why: `shmSize is ${size(p.shmSize.value)}`, range: p.shmSize.source.kind === 'file' ? p.shmSize.source.range : p.modelRange };
}

/** The shortfall of each pod of the replica (a LeaderWorkerSet's templates), in order; none for operator-built pods. */
function shorts(pod: PodFacts, need: ShmNeed): Array<Short | undefined> {
  switch (pod.kind) {
    case 'compose': return [composeShort(pod, need)];
    case 'production-stack': return [productionStackShort(pod, need)];
    case 'managed': return [];
    default: return [pod, ...(pod.alsoPods ?? [])].map((p) => kubernetesShort(p, need));
  }
}

/** Whether the pod's /dev/shm (every template of it) is too small for `gpusInPod` GPUs of `engine`; edits/apply.ts asks it
 *  when a fix spreads the engine over more GPUs, so the same fix mounts what they need. */
export function podShmTooSmall(pod: PodFacts, engine: EngineName, gpusInPod: number): boolean {
  const need = shmNeed(engine, gpusInPod);
  return !!need && shorts(pod, need).some(Boolean);
}

function fixTitleOf(pod: PodFacts, recommended: number, tp: number): string {
  if (pod.kind === 'compose') return `Set shm_size: ${size(recommended)} (or ipc: host)`;
  // The chart's own keys: tensorParallelSize in vllmConfig makes it mount its shm emptyDir (shmSize, default 20Gi).
  if (pod.kind === 'production-stack') return pod.shmMounted ? `Set shmSize: ${size(recommended)}` : `Set vllmConfig.tensorParallelSize: ${tp}, which makes the chart mount its /dev/shm emptyDir (shmSize ${size(pod.shmSize.value)})`;
  if (pod.kind === 'kubernetes' && [pod, ...(pod.alsoPods ?? [])].some((p) => p.shm?.sizeLimit)) return `Raise the /dev/shm sizeLimit to ${size(recommended)}`;
  return `Mount a ${size(recommended)} medium: Memory emptyDir at /dev/shm`;
}

export const shmTooSmallRule: Rule = {
  code: 'shm-too-small',
  description: '/dev/shm of the pod is too small for an engine spanning several GPUs (NCCL, vLLM worker broadcast)',
  defaultSeverity: 'error',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const pod = plan.pod;
    if (!pod) return [];
    const pods = plan.hardwareSites?.podsPerReplica?.value ?? 1;
    const gpusInPod = Math.round(e.hardware.count / Math.max(1, pods));
    const need = shmNeed(e.serving.engine, gpusInPod);
    if (!need) return [];
    const all = shorts(pod, need);
    const first = all.find((s): s is Short => !!s);
    if (!first) return [];
    const floor = `${need.floorKind === 'below' ? 'at least' : 'more than'} ${size(need.floorBytes)} (${need.floorSource})`;
    const where = pod.kind !== 'kubernetes' ? '' : all.filter(Boolean).length > 1 ? ' (leader and worker templates)' : pod.alsoPods?.length && !all[0] ? ' (worker template)' : '';
    const fixTitle = fixTitleOf(pod, need.recommendedBytes, e.serving.tensorParallel);
    return [{
      rule: this.code, severity: e.serving.engine === 'vllm' ? 'error' : 'warning', range: first.range,
      message: `/dev/shm is too small${where}: ${first.why}, but TP ${e.serving.tensorParallel} × PP ${e.serving.pipelineParallel} runs ${gpusInPod} GPUs in this ${pod.kind === 'compose' ? 'container' : 'pod'}, whose processes exchange data through shared memory. It needs ${floor}; ${size(need.recommendedBytes)} is the recommended size (${need.recommendedSource}). vLLM's docs ask for --ipc=host or --shm-size for tensor-parallel inference. A Memory emptyDir counts against the pod's memory limit as it fills.`,
      fixes: [{ title: fixTitle, changes: [], pod: [{ kind: 'shm', bytes: need.recommendedBytes }], preferred: true }],
    }];
  },
};
