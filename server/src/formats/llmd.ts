/**
 * llm-d's `ModelService` (llm-d.ai/v1alpha1, llm-d-model-service): `spec.modelArtifacts.uri` (hf://org/model) and
 * one role per `spec.decode` / `spec.prefill`, each with `replicas`, `parallelism` and `containers[]` (the vLLM
 * container's args, env, resources). The object's spec has the shape of the llm-d-modelservice chart's values, so
 * both are read by the same role reader (helm.ts llmd): one plan per role, as LeaderWorkerSet groups are.
 * The base config a ModelService references (`baseConfigMapRef`) is a ConfigMap of templates this file does not
 * show: only the args written here are read.
 */
import type { Document, Node } from 'yaml';
import { rangeOf } from './document';
import { llmd } from './helm';
import { getter, str } from './kubernetes';
import type { LauncherObjects } from './kubeLaunchers';

const isModelService = (d: Document) => {
  const g = getter(d.contents);
  return str(g(['kind'])) === 'ModelService' && /^llm-d\.ai\//.test(str(g(['apiVersion'])) ?? '');
};

export const llmdObjects: LauncherObjects = {
  name: 'llm-d',
  claims(_doc, d) {
    return isModelService(d);
  },
  read(doc, d, _all, ctx) {
    const g = getter(d.contents);
    const name = str(g(['metadata', 'name'])) ?? 'modelservice';
    const r = llmd(doc, g(['spec']), ctx);
    for (const p of r.plans) p.name = `${name} ${p.name}`;
    const base = g(['spec', 'baseConfigMapRef', 'name']);
    if (str(base) && r.plans.length) {
      // The base config's templates may add volumes and probes: /dev/shm and probes are not checked, the memory
      // limit written here still is.
      for (const p of r.plans) {
        if (p.pod?.kind !== 'kubernetes') continue;
        p.pod = {
          kind: 'managed', operator: 'llm-d model service', probes: {}, style: p.pod.style,
          ...(p.pod.memoryLimit ? { memoryLimit: p.pod.memoryLimit } : {}),
          notes: [`llm-d: the base config ${str(base)} is not in this file and may add volumes and probes; /dev/shm and probes not checked`],
        };
      }
      r.problems.push({ code: 'llmd-base-config-unread', severity: 'info', message: `${name}: the base config ${str(base)} (a ConfigMap of container templates) is not in this file; only the args written here are read.`, range: rangeOf(doc, base as Node) });
    }
    return r;
  },
};
