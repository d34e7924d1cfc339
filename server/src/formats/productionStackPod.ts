/**
 * The pod the vLLM production-stack chart renders for one `servingEngineSpec.modelSpec[]` entry, read from the values
 * with ranges (vllm-project/production-stack@a6c01db, helm/templates/deployment-vllm-multi.yaml and helm/values.yaml):
 * - /dev/shm: the chart mounts an emptyDir named `shm` (`medium: Memory`, `sizeLimit: {{ default "20Gi" .shmSize }}`)
 *   at /dev/shm only when the entry's `vllmConfig` has a `tensorParallelSize` key (deployment-vllm-multi.yaml
 *   L426-L428, L483-L488); a TP or PP given in `extraArgs` alone leaves the container's 64 MiB default.
 * - memory: `requestMemory` → `resources.requests.memory`, `limitMemory` → `resources.limits.memory`.
 * - probes: one `startupProbe` / `livenessProbe` / `readinessProbe` under `servingEngineSpec`, shared by every
 *   model; Helm merges a values file's probe over the chart's defaults field by field (values.yaml L318-L360:
 *   startup 15 s delay, 10 s period, 60 failures ≈ 10 min; liveness 15 / 10 / 3; readiness 15 / 5 / 3).
 */
import { isMap, isScalar, Node, Scalar, YAMLMap } from 'yaml';
import type { ProbeFacts, ProbeName, ProductionStackPod } from '../plan/pod';
import { byDefault } from '../plan/types';
import { ParsedDocument, rangeOf } from './document';
import { mappingSite, probesOf, quantityAt, styleOf } from './podSpec';

const GiB = 2 ** 30;
const get = (node: unknown, key: string): unknown => (isMap(node) ? (node as YAMLMap).get(key, true) : undefined);
const has = (node: unknown, key: string) => isMap(node) && (node as YAMLMap).items.some((p) => isScalar(p.key) && (p.key as Scalar).value === key);

export const CHART_SHM_BYTES = 20 * GiB;

/** The chart's probe defaults (helm/values.yaml @a6c01db). */
const CHART_PROBES: Record<ProbeName, { initialDelaySeconds: number; periodSeconds: number; failureThreshold: number }> = {
  startupProbe: { initialDelaySeconds: 15, periodSeconds: 10, failureThreshold: 60 },
  livenessProbe: { initialDelaySeconds: 15, periodSeconds: 10, failureThreshold: 3 },
  readinessProbe: { initialDelaySeconds: 15, periodSeconds: 5, failureThreshold: 3 },
};

const NOTE = 'production-stack chart: /dev/shm is its `shm` Memory emptyDir (sizeLimit shmSize, default 20Gi), mounted only when vllmConfig sets tensorParallelSize; the memory limit is limitMemory; probes are servingEngineSpec\'s over the chart defaults (startup 15 s + 60 × 10 s) — deployment-vllm-multi.yaml @a6c01db';

/** The probes in force: each field from `servingEngineSpec.<probe>` where written, else the chart's default. */
function chartProbes(doc: ParsedDocument, engineSpec: unknown, modelRange: ProductionStackPod['modelRange']): ProductionStackPod['probes'] {
  const written = probesOf(doc, [engineSpec]);
  const opening = mappingSite(doc, engineSpec);
  const out: ProductionStackPod['probes'] = {};
  for (const name of Object.keys(CHART_PROBES) as ProbeName[]) {
    // A probe key the reader cannot take apart (`startupProbe: null` removes the chart's; a flow map): not checked.
    if (has(engineSpec, name) && !written[name]) continue;
    const p: ProbeFacts = written[name] ?? { keyRange: modelRange, ...(opening ? { opening } : {}) };
    for (const [field, v] of Object.entries(CHART_PROBES[name]) as Array<[keyof (typeof CHART_PROBES)['startupProbe'], number]>) {
      if (!p[field]) p[field] = byDefault(v, 'chart default');
    }
    out[name] = p;
  }
  return out;
}

/** The pod facts of one modelSpec entry; `engineSpec` is `servingEngineSpec`. */
export function productionStackPod(doc: ParsedDocument, engineSpec: unknown, spec: unknown): ProductionStackPod | undefined {
  const modelSpec = mappingSite(doc, spec);
  if (!modelSpec) return undefined;
  const cfg = get(spec, 'vllmConfig');
  const nameNode = get(spec, 'name');
  const modelRange = rangeOf(doc, (isScalar(nameNode) ? nameNode : (spec as YAMLMap).items[0].key) as Node);
  const vllmConfig = mappingSite(doc, cfg);
  return {
    kind: 'production-stack',
    shmMounted: has(cfg, 'tensorParallelSize'),
    shmSize: quantityAt(doc, get(spec, 'shmSize'), 'shmSize') ?? byDefault(CHART_SHM_BYTES, 'the chart\'s shmSize default 20Gi'),
    memoryLimit: quantityAt(doc, get(spec, 'limitMemory'), 'limitMemory'),
    memoryRequest: quantityAt(doc, get(spec, 'requestMemory'), 'requestMemory'),
    probes: chartProbes(doc, engineSpec, modelRange),
    modelRange,
    sites: { modelSpec, ...(vllmConfig ? { vllmConfig } : {}) },
    style: styleOf(doc, undefined, spec),
    notes: [NOTE],
  };
}
