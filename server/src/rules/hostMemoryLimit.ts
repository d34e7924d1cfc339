/**
 * The container's memory limit below the host RAM the engine's host-side tiers take (estimator/hostMemory.ts: CPU
 * weight offload, V0 swap space, KV offload tiers, the CPU LoRA cache, the multimodal processor cache, and the engine
 * processes as a measured lower bound): the kernel OOM-kills the container. Each pod of the replica needs its share
 * (LeaderWorkerSet pods hold their own GPUs' tiers). The fix raises the limit to the need plus 20 % headroom, the
 * margin opendatahub-io/kserve#1842 adds to the CPU KV tier's limit; the request stays where it is (≤ the limit).
 */
import type { PodFacts } from '../plan/pod';
import type { HostTier } from '../estimator/hostMemory';
import type { Rule } from './types';

const GiB = 2 ** 30;
const HEADROOM = 1.2;
const gib = (b: number) => `${(b / GiB).toFixed(1)} GiB`;

const LABEL: Record<HostTier['name'], string> = {
  weightOffload: 'CPU weight offload', swap: 'swap space', kvOffload: 'host KV tier', diskKv: 'disk KV tier', loraCache: 'CPU LoRA cache',
  mmProcessorCache: 'multimodal processor cache', engineProcesses: 'engine processes (lower bound)',
};

export const hostMemoryLimitRule: Rule = {
  code: 'host-memory-limit',
  description: "The container's memory limit is below the host RAM of the engine's host-side tiers (CPU offload, KV offload, swap, LoRA cache)",
  defaultSeverity: 'error',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const pod = plan.pod;
    const host = e.host;
    if (!pod || !host) return [];
    const pods = Math.max(1, plan.hardwareSites?.podsPerReplica?.value ?? 1);
    const ram = host.tiers.filter((t) => t.medium === 'ram');
    const need = host.ramBytes / pods;
    const atStart = ram.filter((t) => t.atStartup).reduce((s, t) => s + t.bytes, 0) / pods;
    const all: PodFacts[] = pod.kind === 'kubernetes' ? [pod, ...(pod.alsoPods ?? [])] : [pod];
    const short = all.find((p) => p.memoryLimit && p.memoryLimit.value < need);
    if (!short?.memoryLimit || short.memoryLimit.source.kind !== 'file') return [];
    const limit = short.memoryLimit.value;
    const parts = ram.map((t) => `${LABEL[t.name]} ${gib(t.bytes / pods)}${t.tokens ? ` (${t.tokens.toLocaleString('en-US')} tokens)` : ''} — ${t.source}`).join('; ');
    const disk = host.tiers.find((t) => t.name === 'diskKv');
    const target = Math.ceil((need * HEADROOM) / GiB) * GiB;
    const startup = atStart > limit;
    return [{
      rule: this.code, severity: startup ? 'error' : 'warning', range: short.memoryLimit.source.range,
      message: `Memory limit ${gib(limit)} is below the ${gib(need)} of host RAM ${pods > 1 ? `each of the ${pods} pods` : 'the engine'} needs: ${parts}.${disk ? ` The disk tier holds ${disk.tokens?.toLocaleString('en-US')} more tokens outside RAM.` : ''} ${startup ? 'What is pinned at startup alone exceeds the limit: the container is OOM-killed before it serves.' : 'The container is OOM-killed once the caches fill.'} A Memory emptyDir at /dev/shm counts against the same limit.`,
      fixes: [{ title: `Raise the memory limit to ${gib(target)} (the tiers + 20 % headroom)`, changes: [], pod: [{ kind: 'memoryLimit', bytes: target }], preferred: true }],
    }];
  },
};
