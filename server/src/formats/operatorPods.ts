/**
 * Pods an operator or chart builds from a resource that only exposes part of them (plan/pod.ts ManagedPod): what the
 * resource writes — its memory limit, a startup probe it spells out — is checked; what the operator sets up itself is
 * not, and the estimate's assumptions say so rather than a finding being guessed.
 * - NIM operator `NIMService`: `spec.resources` (core/v1 ResourceRequirements), `spec.startupProbe: {enabled, probe}`
 *   (a core/v1 Probe; NVIDIA/k8s-nim-operator api/apps/v1alpha1 nimservice_types.go). The operator mounts a Memory
 *   emptyDir at /dev/shm of its own (`spec.storage.sharedMemorySizeLimit`) and defaults the probes it is not given.
 * - nim-llm Helm values: `resources`; its probe keys are the chart's own flat spelling with chart defaults not read here.
 * - KubeAI `Model`: no pod fields — KubeAI renders the pod from the resource profile of its own configuration.
 * - Dynamo `DynamoGraphDeployment`: a service's `resources.limits.memory` (Dynamo's ResourceItem), a `startupProbe`
 *   written on `extraPodSpec.mainContainer`; the operator mounts /dev/shm itself (the service's `sharedMemory`) and
 *   gives workers liveness and readiness probes of its own.
 * The operator behaviours are read from the operators' sources as we know them, not verified against each release;
 * they only keep findings from being made, never make one.
 */
import { isMap, YAMLMap } from 'yaml';
import type { ManagedPod, ProbeFacts } from '../plan/pod';
import type { ParsedDocument } from './document';
import { probeOf, quantityAt, styleOf } from './podSpec';

const get = (node: unknown, path: string[]): unknown => path.reduce<unknown>((n, p) => (isMap(n) ? (n as YAMLMap).get(p, true) : undefined), node);
const memoryLimit = (doc: ParsedDocument, resources: unknown) => quantityAt(doc, get(resources, ['limits', 'memory']), 'resources.limits.memory');

function managed(operator: string, style: ManagedPod['style'], notes: string[], limit?: ManagedPod['memoryLimit'], startup?: ProbeFacts): ManagedPod {
  return { kind: 'managed', operator, probes: startup ? { startupProbe: startup } : {}, style, notes, ...(limit ? { memoryLimit: limit } : {}) };
}

/** A NIMService's spec. */
export function nimServicePod(doc: ParsedDocument, spec: unknown): ManagedPod {
  const startup = get(spec, ['startupProbe']);
  const probe = String(get(startup, ['enabled']) ?? '') === 'false' ? undefined : probeOf(doc, startup, 'startupProbe', 'probe');
  const notes = ['NIM operator: /dev/shm is the operator\'s own Memory emptyDir (spec.storage.sharedMemorySizeLimit), not checked'];
  if (!probe) notes.push('NIM operator: the startup, liveness and readiness probes it defaults are not checked');
  return managed('NIM operator', styleOf(doc, undefined, spec), notes, memoryLimit(doc, get(spec, ['resources'])), probe);
}

/** The nim-llm chart's values (the file's root). */
export function nimHelmPod(doc: ParsedDocument, root: unknown): ManagedPod {
  return managed('nim-llm chart', styleOf(doc, undefined, root), [
    'nim-llm chart: /dev/shm and the probes are the chart\'s (its probe defaults are not read here); only resources.limits.memory is checked',
  ], memoryLimit(doc, get(root, ['resources'])));
}

/** A KubeAI Model: nothing of the pod is in the file. */
export function kubeaiPod(doc: ParsedDocument, spec: unknown, profile: string | undefined): ManagedPod {
  return managed('KubeAI', styleOf(doc, undefined, spec), [
    `KubeAI renders the pod from resource profile ${profile ?? '(none)'} of its own configuration: its memory limit, /dev/shm and probes are not in this file and not checked`,
  ]);
}

/** A Dynamo graph's worker service. */
export function dynamoPod(doc: ParsedDocument, service: unknown): ManagedPod {
  const main = get(service, ['extraPodSpec', 'mainContainer']);
  const disabled = String(get(service, ['sharedMemory', 'disabled']) ?? '') === 'true';
  const probe = probeOf(doc, main, 'startupProbe');
  return managed('Dynamo operator', styleOf(doc, undefined, service), [
    disabled
      ? 'Dynamo: sharedMemory.disabled leaves /dev/shm at the container default; not checked'
      : 'Dynamo: the operator mounts a Memory emptyDir at /dev/shm itself (the service\'s sharedMemory.size); not checked',
    `Dynamo: the liveness and readiness probes the operator gives workers are not checked${probe ? ' (the startupProbe written on mainContainer is)' : ''}`,
  ], memoryLimit(doc, get(service, ['resources'])) ?? memoryLimit(doc, get(main, ['resources'])), probe);
}
