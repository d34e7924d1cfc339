/**
 * The pod around the engine as the file states it (formats/podSpec.ts reads it): the shared-memory mount, the
 * container's memory limit and request, its probes, and where fixes add what is missing, in the file's own layout.
 * Values are in bytes and seconds; each keeps its range.
 */
import type { SourceRange, Sourced } from './types';

/** Where new keys go into an existing mapping: after `afterLine`, each at `indent`. */
export interface MappingSite {
  afterLine: number;
  indent: string;
}

/** An existing YAML list: block items (`- x` at `indent`, added after `afterLine`) or a flow `[a, b]` (added before
 *  `end`, the position of its `]`). */
export type ListSite = { style: 'block'; afterLine: number; indent: string } | { style: 'flow'; end: SourceRange['start']; empty: boolean };

/** How the file lays out YAML: spaces per level, and whether list items sit under their key (`  - x`) or at its
 *  column (`- x`), and the quote it puts around strings (none when it leaves them plain). */
export interface YamlStyle {
  step: number;
  /** Extra indentation of `- ` below its key: 0 (`key:\n- x`) or `step`. */
  seqIndent: number;
  quote: '' | '"' | "'";
}

export type ProbeName = 'startupProbe' | 'readinessProbe' | 'livenessProbe';

export interface ProbeFacts {
  /** The probe's key (`startupProbe:`), where findings land when a field is not written. */
  keyRange: SourceRange;
  initialDelaySeconds?: Sourced<number>;
  periodSeconds?: Sourced<number>;
  failureThreshold?: Sourced<number>;
  timeoutSeconds?: Sourced<number>;
  /** Where fields the probe does not write go, when the file writes the probe. */
  fields?: MappingSite;
  /** A probe the file does not write but a chart renders from its defaults (its fields are `default`-sourced): a fix
   *  opens `<name>:` with the field at this mapping, and the chart merges it over its defaults. */
  opening?: MappingSite;
}

/** What every pod variant can carry: assumptions about the pod the estimate states (what a chart or operator sets up
 *  itself and is therefore not checked). */
interface PodNotes {
  notes?: string[];
}

export interface KubernetesPod extends PodNotes {
  kind: 'kubernetes';
  /** The pod shares the node's IPC namespace (`hostIPC: true`): /dev/shm is the node's. */
  hostIpc?: Sourced<boolean>;
  /** The volume mounted at /dev/shm, when one is. */
  shm?: {
    volumeName: string;
    /** `emptyDir.medium` as written (`Memory` = tmpfs; else node disk). */
    medium?: string;
    /** `emptyDir.sizeLimit` in bytes. */
    sizeLimit?: Sourced<number>;
    /** The mount's `mountPath` value, where findings land. */
    mountRange: SourceRange;
    /** Where `sizeLimit:` goes when the emptyDir has none. */
    emptyDirFields?: MappingSite;
  };
  memoryLimit?: Sourced<number>;
  memoryRequest?: Sourced<number>;
  probes: Partial<Record<ProbeName, ProbeFacts>>;
  /** The container's `name:` (or its first key) — where pod findings land when no key of their own is written. */
  containerRange: SourceRange;
  sites: {
    /** The pod spec's `volumes:` list, or where to open one (a key of the pod spec mapping). */
    volumes?: ListSite;
    podSpec: MappingSite;
    volumeMounts?: ListSite;
    container: MappingSite;
    /** `resources:` and its `limits:` mappings, when written. */
    resources?: MappingSite;
    limits?: MappingSite;
  };
  style: YamlStyle;
  /** The replica's other pod templates (LeaderWorkerSet workers): they run engine ranks too, and fixes write them. */
  alsoPods?: KubernetesPod[];
}

export interface ComposePod extends PodNotes {
  kind: 'compose';
  /** `shm_size` in bytes. */
  shmSize?: Sourced<number>;
  /** `ipc: host` (or `shareable`/`service:`, which share another's /dev/shm). */
  ipc?: Sourced<string>;
  /** `deploy.resources.limits.memory` or `mem_limit`, bytes. */
  memoryLimit?: Sourced<number>;
  service: MappingSite;
  serviceRange: SourceRange;
  style: YamlStyle;
}

/**
 * The pod the vLLM production-stack chart renders from one `servingEngineSpec.modelSpec[]` entry
 * (helm/templates/deployment-vllm-multi.yaml): its `shm` emptyDir, the container's memory request and limit, and the
 * probes every model of the release shares (`servingEngineSpec.startupProbe` / `livenessProbe` / `readinessProbe`).
 */
export interface ProductionStackPod extends PodNotes {
  kind: 'production-stack';
  /** The chart mounts its `shm` Memory emptyDir at /dev/shm only when `vllmConfig` has a `tensorParallelSize` key. */
  shmMounted: boolean;
  /** `shmSize` as written, else the chart's 20Gi (a `default` source). */
  shmSize: Sourced<number>;
  /** `limitMemory` (`resources.limits.memory`), `requestMemory` (`resources.requests.memory`). */
  memoryLimit?: Sourced<number>;
  memoryRequest?: Sourced<number>;
  probes: Partial<Record<ProbeName, ProbeFacts>>;
  /** The entry's `name:` value, where findings land when no key of their own is written. */
  modelRange: SourceRange;
  sites: {
    modelSpec: MappingSite;
    /** The entry's `vllmConfig` mapping, when it has one with keys. */
    vllmConfig?: MappingSite;
  };
  style: YamlStyle;
}

/**
 * A pod an operator builds from a custom resource (the NIM operator's NIMService, KubeAI's Model, the Dynamo
 * operator's DynamoGraphDeployment): only what the resource exposes is checked — its memory limit and a startup probe
 * it writes — and `notes` say what the operator sets up itself.
 */
export interface ManagedPod extends PodNotes {
  kind: 'managed';
  operator: string;
  memoryLimit?: Sourced<number>;
  probes: Partial<Record<ProbeName, ProbeFacts>>;
  style: YamlStyle;
}

export type PodFacts = KubernetesPod | ComposePod | ProductionStackPod | ManagedPod;

/** A change to the pod a fix makes; edits/pod.ts writes it in the file's own layout. */
export type PodChange =
  /** /dev/shm of at least `bytes`: a Memory emptyDir and its mount (Kubernetes), `shm_size` (Compose). */
  | { kind: 'shm'; bytes: number }
  /** The container's memory limit raised to `bytes`. */
  | { kind: 'memoryLimit'; bytes: number }
  /** A probe's failureThreshold raised so that it waits `failureThreshold × periodSeconds`. */
  | { kind: 'probe'; probe: ProbeName; failureThreshold: number };
