/**
 * The pod checks on launchers that build the pod for you (issue 20 item 3 on Helm and operator resources): the pod
 * facts each reads with their 1-based lines — production-stack's `shmSize` / `limitMemory` / shared probes over the
 * chart's defaults, llm-d roles as pod specs, a KServe InferenceService merged over its ServingRuntime as KServe merges
 * them, the NIM operator, KubeAI and Dynamo resources with what their operators set up stated as assumptions — and
 * each fix applied: the text it writes, a file that still parses with strings where kubectl wants strings, and the
 * same plan read back plus the change.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { planEdits } from '../../server/src/edits/apply';
import { analyze, Analysis } from '../../server/src/pipeline';
import type { KubernetesPod, ManagedPod, ProductionStackPod } from '../../server/src/plan/pod';
import type { DeploymentPlan, Provenance, Sourced } from '../../server/src/plan/types';
import { newProblems, nonStrings, syntaxErrors } from '../support/applyChecks';
import { applyEdits } from '../support/lspClient';
import { fixture } from '../support/paths';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const read = (rel: string) => fs.readFileSync(fixture(...rel.split('/')), 'utf8');
const line = (s: Sourced<unknown> | undefined) => {
  const src = s?.source as Provenance | undefined;
  return src?.kind === 'file' ? src.range.start.line + 1 : undefined;
};

/** What a plan says about the deployment, without where each value was written. */
function summary(p: DeploymentPlan) {
  const knobs = Object.fromEntries(Object.entries(p.knobs).map(([k, s]) => [k, JSON.stringify((s as Sourced<unknown>).value, (key, v) => (key === 'source' ? undefined : v))]).sort(([a], [b]) => a.localeCompare(b)));
  return { name: p.name, model: p.model.ref.value, engine: p.engine.name.value, gpu: p.hardware.gpu.value, count: p.hardware.count?.value, replicas: p.hardware.replicas.value, knobs };
}

/**
 * Applies the first fix of the `rule` finding on workload `w`; asserts the result parses (YAML 1.2 and 1.1), keeps
 * argv / env strings, brings no new error, clears the finding, and reads back to the same plans.
 */
function applyFix(rel: string, rule: string, w = 0): { before: Analysis; after: Analysis; text: string; fixed: string } {
  const uri = `file:///${rel}`;
  const text = read(rel);
  const before = analyze(uri, text, {});
  const f = before.findings.find((x) => x.rule === rule && (x.workload ?? 0) === w);
  assert.ok(f, `${rel}: no ${rule} on workload ${w}: ${JSON.stringify(before.findings.map((x) => [x.rule, x.workload]))}`);
  const r = planEdits(f.fixes![0], before.workloads[w].plan, text);
  assert.ok('edits' in r, `${rel}: ${'reason' in r ? r.reason : ''}`);
  const fixed = applyEdits(text, r.edits);
  assert.deepEqual([...syntaxErrors(fixed), ...nonStrings(fixed)], [], fixed);
  const after = analyze(uri, fixed, {});
  assert.deepEqual(newProblems(before, after), []);
  assert.ok(!after.findings.some((x) => x.rule === rule && (x.workload ?? 0) === w), `${rule} still there:\n${fixed}`);
  assert.deepEqual(after.workloads.map((x) => summary(x.plan)), before.workloads.map((x) => summary(x.plan)), 'the same plans read back');
  return { before, after, text, fixed };
}

const diff = (a: string, b: string) => {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  return { at: i + 1, removed: x.slice(i, x.length - j), added: y.slice(i, y.length - j) };
};

describe('production-stack Helm values: the pod the chart renders', () => {
  const a = analyze('file:///p.yaml', read('helm/production-stack-pod.yaml'), {});
  const [llama, qwen] = a.workloads.map((w) => w.plan.pod as ProductionStackPod);

  it('shm: mounted only with vllmConfig.tensorParallelSize; shmSize as written or the chart\'s 20Gi', () => {
    assert.equal(llama.kind, 'production-stack');
    assert.equal(llama.shmMounted, false, 'TP 4 in extraArgs only: the chart mounts no shm');
    assert.equal(llama.shmSize.value, 20 * GiB);
    assert.equal(llama.shmSize.source.kind, 'default');
    assert.equal(qwen.shmMounted, true);
    assert.equal(qwen.shmSize.value, 128 * MiB);
    assert.equal(line(qwen.shmSize), 38);
    assert.equal(llama.modelRange.start.line + 1, 7);
  });

  it('memory: limitMemory and requestMemory with their lines; none written, none read', () => {
    assert.equal(llama.memoryLimit, undefined);
    assert.equal(llama.memoryRequest!.value, 64 * GiB);
    assert.equal(qwen.memoryLimit!.value, 48 * GiB);
    assert.equal(line(qwen.memoryLimit), 36);
    assert.equal(line(qwen.memoryRequest), 35);
  });

  it('probes: servingEngineSpec\'s, each field written or the chart default; unwritten probes open under servingEngineSpec', () => {
    const s = llama.probes.startupProbe!;
    assert.equal(s.failureThreshold!.value, 6);
    assert.equal(line(s.failureThreshold), 51);
    assert.equal(line(s.periodSeconds), 50);
    assert.equal(s.initialDelaySeconds!.value, 15);
    assert.equal(s.initialDelaySeconds!.source.kind, 'default');
    const l = llama.probes.livenessProbe!;
    assert.deepEqual([l.initialDelaySeconds!.value, l.periodSeconds!.value, l.failureThreshold!.value], [15, 10, 3]);
    assert.equal(l.fields, undefined);
    assert.deepEqual(l.opening, { afterLine: 53, indent: '  ' });
    assert.deepEqual(qwen.probes.startupProbe, llama.probes.startupProbe, 'one probe for every model');
  });

  it('findings on the values\' own keys, and the chart\'s behaviour in the assumptions', () => {
    const at = a.findings.filter((f) => ['shm-too-small', 'host-memory-limit', 'probe-before-load'].includes(f.rule)).map((f) => [f.rule, f.workload, f.range.start.line + 1]);
    assert.deepEqual(at, [['shm-too-small', 0, 7], ['probe-before-load', 0, 51], ['shm-too-small', 1, 38], ['host-memory-limit', 1, 36], ['probe-before-load', 1, 51]]);
    assert.match(a.findings.find((f) => f.rule === 'probe-before-load')!.message, /initialDelaySeconds 15 \(chart default\) \+ failureThreshold 6 × periodSeconds 10\)/);
    assert.ok(a.workloads[0].estimate!.assumptions.some((x) => /production-stack chart: \/dev\/shm is its `shm` Memory emptyDir .* only when vllmConfig sets tensorParallelSize/.test(x)));
  });

  it('shm fix: TP moves from extraArgs to vllmConfig.tensorParallelSize, so the chart mounts its emptyDir; the same plan reads back', () => {
    const { text, fixed, after } = applyFix('helm/production-stack-pod.yaml', 'shm-too-small', 0);
    assert.deepEqual(diff(text, fixed), { at: 26, removed: ['          - "--tensor-parallel-size"', '          - "4"', '          - "--disable-log-requests"'], added: ['          - "--disable-log-requests"', '        tensorParallelSize: 4'] });
    const pod = after.workloads[0].plan.pod as ProductionStackPod;
    assert.equal(pod.shmMounted, true);
    assert.equal(line(after.workloads[0].plan.knobs.tensorParallel), 27);
    assert.deepEqual(parse(fixed).servingEngineSpec.modelSpec[0].vllmConfig.extraArgs, ['--disable-log-requests']);
  });

  it('shm fix with shmSize too small: raised in place, in its unit and quotes', () => {
    const { fixed } = applyFix('helm/production-stack-pod.yaml', 'shm-too-small', 1);
    assert.equal(fixed.split('\n')[37], '      shmSize: "2Gi"');
  });

  it('host-memory-limit fix: limitMemory raised; requestMemory stays below it', () => {
    const { fixed } = applyFix('helm/production-stack-pod.yaml', 'host-memory-limit', 1);
    const spec = parse(fixed).servingEngineSpec.modelSpec[1];
    assert.equal(spec.limitMemory, '81Gi');
    assert.equal(spec.requestMemory, '32Gi');
  });

  it('probe fix: the shared startupProbe.failureThreshold raised in place', () => {
    const { fixed } = applyFix('helm/production-stack-pod.yaml', 'probe-before-load', 0);
    assert.deepEqual(parse(fixed).servingEngineSpec.startupProbe, { periodSeconds: 10, failureThreshold: 9, httpGet: { path: '/health', port: 8000 } });
  });

  it('a probe only the chart writes: the fix opens startupProbe under servingEngineSpec with failureThreshold alone (Helm merges it over the defaults)', () => {
    const text = [
      'servingEngineSpec:', '  modelSpec:', '    - name: "llama405b"', '      repository: "vllm/vllm-openai"', '      tag: "v0.13.0"',
      '      modelURL: "meta-llama/Llama-3.1-405B-Instruct"', '      requestGPU: 1',
      '      vllmConfig:', '        maxModelLen: 4096', '        extraArgs: ["--cpu-offload-gb", "720"]', '  runtimeClassName: "nvidia"', '',
    ].join('\n');
    const before = analyze('file:///v.yaml', text, { gpu: { value: 'H200', source: { kind: 'setting', name: 'deployAdvisor.gpu' } } } as never);
    const f = before.findings.find((x) => x.rule === 'probe-before-load');
    assert.ok(f, JSON.stringify(before.findings.map((x) => x.rule)));
    assert.match(f.message, /startupProbe gives up after 615 s \(initialDelaySeconds 15 \(chart default\) \+ failureThreshold 60 \(chart default\) × periodSeconds 10 \(chart default\)\)/);
    assert.equal(f.range.start.line + 1, 3);
    const r = planEdits(f.fixes![0], before.workloads[0].plan, text);
    assert.ok('edits' in r);
    const fixed = applyEdits(text, r.edits);
    const probe = parse(fixed).servingEngineSpec.startupProbe;
    assert.deepEqual(Object.keys(probe), ['failureThreshold']);
    assert.ok(15 + probe.failureThreshold * 10 >= 1000, String(probe.failureThreshold));
    assert.ok(!analyze('file:///v.yaml', fixed, { gpu: { value: 'H200', source: { kind: 'setting', name: 'deployAdvisor.gpu' } } } as never).findings.some((x) => x.rule === 'probe-before-load'));
  });

  it('PP in extraArgs with no TP: the fix writes tensorParallelSize: 1, which only makes the chart mount shm', () => {
    const text = [
      'servingEngineSpec:', '  modelSpec:', '  - name: "qwen"', '    modelURL: "Qwen/Qwen2.5-32B-Instruct"', '    requestGPU: 2',
      '    vllmConfig:', '      maxModelLen: 8192', '      extraArgs:', '      - "--pipeline-parallel-size"', '      - "2"', '',
    ].join('\n');
    const before = analyze('file:///v.yaml', text, {});
    const f = before.findings.find((x) => x.rule === 'shm-too-small')!;
    assert.ok(f);
    assert.match(f.fixes![0].title, /^Set vllmConfig\.tensorParallelSize: 1/);
    const r = planEdits(f.fixes![0], before.workloads[0].plan, text);
    const fixed = applyEdits(text, 'edits' in r ? r.edits : []);
    assert.deepEqual(parse(fixed).servingEngineSpec.modelSpec[0].vllmConfig, { maxModelLen: 8192, extraArgs: ['--pipeline-parallel-size', '2'], tensorParallelSize: 1 });
    const after = analyze('file:///v.yaml', fixed, {});
    assert.ok(!after.findings.some((x) => x.rule === 'shm-too-small'));
    assert.equal(after.workloads[0].plan.knobs.pipelineParallel?.value, 2);
  });
});

describe('production-stack lmcacheConfig: the LMCache CPU tier the chart configures', () => {
  it('enabled + cpuOffloadingBufferSize → an LMCache host tier of that many GB on the value\'s line; limitMemory raised by the fix', () => {
    const a = analyze('file:///l.yaml', read('helm/production-stack-lmcache.yaml'), {});
    const kv = a.workloads[0].plan.knobs.hostKvCache!;
    assert.equal(kv.value.kind, 'lmcache');
    assert.equal(kv.value.perRankGB?.value, 20);
    assert.equal(line(kv.value.perRankGB), 21);
    const f = a.findings.find((x) => x.rule === 'host-memory-limit')!;
    assert.equal(f.severity, 'warning', 'LMCache fills as it caches: not pinned at startup');
    assert.equal(f.range.start.line + 1, 13);
    const { fixed } = applyFix('helm/production-stack-lmcache.yaml', 'host-memory-limit');
    assert.deepEqual([parse(fixed).servingEngineSpec.modelSpec[0].limitMemory, parse(fixed).servingEngineSpec.modelSpec[0].requestMemory], ['26Gi', '16Gi']);
  });
});

describe('llm-d values: each role is a pod spec', () => {
  it('decode (TP 4) has no /dev/shm: the fix adds the emptyDir to the role\'s volumes and the mount to its container', () => {
    const a = analyze('file:///l.yaml', read('helm/llm-d-values.yaml'), {});
    const pod = a.workloads[0].plan.pod as KubernetesPod;
    assert.equal(pod.kind, 'kubernetes');
    assert.equal(pod.containerRange.start.line + 1, 19);
    assert.ok(a.workloads[0].estimate!.assumptions.some((x) => /llm-d-modelservice chart adds no \/dev\/shm volume/.test(x)));
    const { fixed } = applyFix('helm/llm-d-values.yaml', 'shm-too-small', 0);
    const decode = parse(fixed).decode;
    assert.deepEqual(decode.volumes, [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }]);
    assert.deepEqual(decode.containers[0].volumeMounts, [{ name: 'dshm', mountPath: '/dev/shm' }]);
    assert.equal(parse(fixed).prefill.volumes, undefined);
  });

  it('a ModelService whose base config is not in the file: /dev/shm and probes not checked, and said', () => {
    const a = analyze('file:///m.yaml', read('llm-d/modelservice-pd.yaml'), {});
    assert.equal(a.workloads[0].plan.pod?.kind, 'managed');
    assert.ok(!a.findings.some((x) => x.rule === 'shm-too-small'));
    assert.ok(a.workloads[0].estimate!.assumptions.some((x) => /base config basic-gpu-with-nixl-preset .* \/dev\/shm and probes not checked/.test(x)));
  });
});

describe('KServe: the InferenceService merged over its ServingRuntime', () => {
  it('resources from the predictor, probes from the runtime, volumes opened in the runtime', () => {
    const a = analyze('file:///k.yaml', read('kserve/vllm-runtime-tp4-pod.yaml'), {});
    const pod = a.workloads[0].plan.pod as KubernetesPod;
    assert.equal(pod.memoryLimit!.value, 96 * GiB);
    assert.equal(line(pod.memoryLimit), 75);
    assert.equal(line(pod.memoryRequest), 72);
    assert.equal(line(pod.probes.startupProbe!.failureThreshold), 40);
    assert.equal(line(pod.probes.readinessProbe!.periodSeconds), 45);
    assert.equal(pod.sites.podSpec.afterLine + 1, 45, 'new volumes go into the runtime spec, after its last line');
    assert.equal(pod.containerRange.start.line + 1, 60, 'findings without a key land on the predictor model');
  });

  it('shm fix: the volume and its mount go into the runtime, and the merged pod mounts it', () => {
    const { fixed, after } = applyFix('kserve/vllm-runtime-tp4-pod.yaml', 'shm-too-small');
    const [rt, isvc] = fixed.split('\n---\n').map((d) => parse(d));
    assert.deepEqual(rt.spec.volumes, [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }]);
    assert.deepEqual(rt.spec.containers[0].volumeMounts, [{ name: 'dshm', mountPath: '/dev/shm' }]);
    assert.equal(isvc.spec.predictor.volumes, undefined);
    assert.equal((after.workloads[0].plan.pod as KubernetesPod).shm?.sizeLimit?.value, 2 * GiB);
  });

  it('memory fix in the InferenceService (where the limit is written); probe fix in the runtime (where the probe is)', () => {
    const mem = applyFix('kserve/vllm-runtime-tp4-pod.yaml', 'host-memory-limit');
    assert.deepEqual(diff(mem.text, mem.fixed), { at: 75, removed: ['          memory: 96Gi'], added: ['          memory: 159Gi'] });
    const probe = applyFix('kserve/vllm-runtime-tp4-pod.yaml', 'probe-before-load');
    assert.deepEqual(diff(probe.text, probe.fixed), { at: 40, removed: ['        failureThreshold: 6'], added: ['        failureThreshold: 11'] });
  });

  it('a probe merged field by field: the runtime\'s delay and period, the predictor\'s failureThreshold; the runtime\'s small shm raised in place', () => {
    const a = analyze('file:///k.yaml', read('kserve/vllm-runtime-shm-liveness.yaml'), {});
    const pod = a.workloads[0].plan.pod as KubernetesPod;
    const l = pod.probes.livenessProbe!;
    assert.deepEqual([line(l.initialDelaySeconds), line(l.periodSeconds), line(l.failureThreshold)], [21, 22, 46]);
    assert.equal(l.keyRange.start.line + 1, 45);
    assert.equal(pod.shm!.volumeName, 'shm');
    assert.equal(line(pod.shm!.sizeLimit), 30);
    const p = applyFix('kserve/vllm-runtime-shm-liveness.yaml', 'probe-before-load');
    assert.deepEqual(diff(p.text, p.fixed), { at: 46, removed: ['        failureThreshold: 3'], added: ['        failureThreshold: 7'] });
    const s = applyFix('kserve/vllm-runtime-shm-liveness.yaml', 'shm-too-small');
    assert.deepEqual(diff(s.text, s.fixed), { at: 30, removed: ['        sizeLimit: 128Mi'], added: ['        sizeLimit: 2048Mi'] });
  });

  it('volumes kept by the predictor alone: the shm volume and mount go into the InferenceService', () => {
    const text = read('kserve/vllm-runtime-tp4-pod.yaml').replace('    nodeSelector:\n      nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3\n', '    nodeSelector:\n      nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3\n    volumes:\n      - name: cache\n        emptyDir: {}\n');
    const a = analyze('file:///k.yaml', text, {});
    const f = a.findings.find((x) => x.rule === 'shm-too-small')!;
    const r = planEdits(f.fixes![0], a.workloads[0].plan, text);
    const fixed = applyEdits(text, 'edits' in r ? r.edits : []);
    const [rt, isvc] = fixed.split('\n---\n').map((d) => parse(d));
    assert.equal(rt.spec.volumes, undefined);
    assert.deepEqual(isvc.spec.predictor.volumes.map((v: { name: string }) => v.name), ['cache', 'dshm']);
    assert.deepEqual(isvc.spec.predictor.model.volumeMounts, [{ name: 'dshm', mountPath: '/dev/shm' }]);
    assert.ok(!analyze('file:///k.yaml', fixed, {}).findings.some((x) => x.rule === 'shm-too-small'));
  });
});

describe('operator-built pods: what the resource exposes is checked, what the operator sets up is stated', () => {
  it('NIMService: spec.resources.limits.memory and spec.startupProbe.probe read; the operator\'s /dev/shm stated', () => {
    const a = analyze('file:///n.yaml', read('nim/nimservice-70b-probe.yaml'), {});
    const pod = a.workloads[0].plan.pod as ManagedPod;
    assert.equal(pod.kind, 'managed');
    assert.equal(pod.memoryLimit!.value, 64 * GiB);
    assert.equal(line(pod.memoryLimit), 25);
    assert.deepEqual([line(pod.probes.startupProbe!.initialDelaySeconds), line(pod.probes.startupProbe!.failureThreshold)], [32, 34]);
    assert.ok(!a.findings.some((x) => x.rule === 'shm-too-small' || x.rule === 'host-memory-limit'));
    assert.ok(a.workloads[0].estimate!.assumptions.some((x) => /NIM operator: \/dev\/shm is the operator's own Memory emptyDir/.test(x)));
    const { fixed } = applyFix('nim/nimservice-70b-probe.yaml', 'probe-before-load');
    assert.equal(parse(fixed).spec.startupProbe.probe.failureThreshold, 12);
  });

  it('a NIMService without probes: the operator\'s defaults are not checked, and said', () => {
    const a = analyze('file:///n.yaml', read('nim/nimservice-llama-3.1-8b.yaml'), {});
    assert.deepEqual((a.workloads[0].plan.pod as ManagedPod).probes, {});
    assert.ok(a.workloads[0].estimate!.assumptions.some((x) => /probes it defaults are not checked/.test(x)));
  });

  it('a Deployment running a NIM image is a pod of the file: checked as any Kubernetes pod', () => {
    assert.equal(analyze('file:///d.yaml', read('nim/deployment-nim.yaml'), {}).workloads[0].plan.pod?.kind, 'kubernetes');
  });

  it('Dynamo: the service\'s resources.limits.memory and mainContainer startupProbe checked; the operator\'s /dev/shm not', () => {
    const a = analyze('file:///g.yaml', read('dynamo/sglang-hicache-pod.yaml'), {});
    const pod = a.workloads[0].plan.pod as ManagedPod;
    assert.equal(line(pod.memoryLimit), 26);
    assert.equal(line(pod.probes.startupProbe!.failureThreshold), 53);
    assert.deepEqual(a.findings.filter((x) => ['shm-too-small', 'host-memory-limit', 'probe-before-load'].includes(x.rule)).map((x) => [x.rule, x.range.start.line + 1]), [['host-memory-limit', 26], ['probe-before-load', 53]]);
    assert.ok(a.workloads[0].estimate!.assumptions.some((x) => /the operator mounts a Memory emptyDir at \/dev\/shm itself/.test(x)));
    const mem = applyFix('dynamo/sglang-hicache-pod.yaml', 'host-memory-limit');
    assert.equal(parse(mem.fixed).spec.services.decode.resources.limits.memory, '93Gi');
    const probe = applyFix('dynamo/sglang-hicache-pod.yaml', 'probe-before-load');
    assert.equal(parse(probe.fixed).spec.services.decode.extraPodSpec.mainContainer.startupProbe.failureThreshold, 10);
    // TP 2 workers of another graph: no /dev/shm finding (the operator mounts it).
    assert.ok(!analyze('file:///v.yaml', read('dynamo/vllm-disagg-llama-70b.yaml'), {}).findings.some((x) => x.rule === 'shm-too-small'));
  });

  it('KubeAI: no pod in the file; the assumption says so and no pod finding is made', () => {
    const a = analyze('file:///m.yaml', read('kubeai/llama-3.1-8b-l4.yaml'), {});
    const big = a.workloads.find((w) => w.plan.name === 'llama-3.3-70b-h100')!;
    assert.equal(big.plan.pod?.kind, 'managed');
    assert.ok(big.estimate!.assumptions.some((x) => /KubeAI renders the pod from resource profile nvidia-gpu-h100:4/.test(x)));
    assert.ok(!a.findings.some((x) => ['shm-too-small', 'host-memory-limit', 'probe-before-load'].includes(x.rule)));
  });
});

describe('every offered fix on the launcher fixtures leaves a file kubectl takes', () => {
  const FILES = ['kserve', 'nim', 'dynamo', 'llm-d', 'kubeai'].flatMap((d) => fs.readdirSync(fixture(d)).filter((n) => /\.ya?ml$/.test(n)).map((n) => `${d}/${n}`))
    .concat(['helm/production-stack-pod.yaml', 'helm/production-stack-lmcache.yaml', 'helm/llm-d-values.yaml', 'helm/production-stack-values.yaml', 'helm/production-stack-gpus.yaml']);
  for (const rel of FILES) {
    it(rel, () => {
      const uri = `file:///${rel}`;
      const text = read(rel);
      const a = analyze(uri, text, {});
      for (const f of a.findings) {
        for (const fix of f.fixes ?? []) {
          const r = planEdits(fix, a.workloads[f.workload ?? 0]?.plan, text);
          if (!('edits' in r)) continue;
          const fixed = applyEdits(text, r.edits);
          const label = `${rel}: ${f.rule} → ${fix.title}`;
          assert.deepEqual([...syntaxErrors(fixed), ...nonStrings(fixed)], [], label);
          assert.deepEqual(newProblems(a, analyze(uri, fixed, {})), [], label);
        }
      }
    });
  }
});
