/**
 * The terms of the offload and pod checks (issue 20 items 2-3), each on its own: the host link, CPU weight offload,
 * host RAM per tier (weight offload, V0 swap, native / LMCache / HiCache KV tiers, LoRA and multimodal caches, the
 * engine processes), the /dev/shm need per GPU count with its source, the load time, quantities, and the pod facts read
 * from a manifest with their lines.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { builtinGpus } from '../../server/src/catalog/gpus';
import { hostLinkOf } from '../../server/src/catalog/hostLinks';
import { engineProcesses, hostMemory, HostMemoryInputs, PROCESS_RSS_BYTES, vllmRunsV0 } from '../../server/src/estimator/hostMemory';
import { weightOffload } from '../../server/src/estimator/offload';
import { DEFAULT_SHM_BYTES, shmNeed, shmTooSmall, VLLM_BROADCAST_SHM_BYTES } from '../../server/src/estimator/shm';
import { BOOT_SEC, ENGINE_INIT_SEC, loadTime } from '../../server/src/estimator/startup';
import { composeSize, formatComposeSize, formatKubernetesQuantity, kubernetesQuantity } from '../../server/src/formats/quantity';
import { analyze } from '../../server/src/pipeline';
import { probeGivesUpAfter } from '../../server/src/rules/probeBeforeLoad';
import { editsForFix } from '../../server/src/edits/apply';
import { applyEdits } from '../support/lspClient';
import { parse } from 'yaml';
import { fixture } from '../support/paths';
import type { KubernetesPod } from '../../server/src/plan/pod';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const gpu = (id: string) => builtinGpus.find((g) => g.id === id)!;
const base: HostMemoryInputs = { engine: 'vllm', version: '0.19.0', tp: 2, pp: 1, dp: 1, kvBytesPerTokenPerGpu: 131072, kvPoolBytesPerGpu: 40 * GiB, blockTokens: 16 };
const tier = (x: HostMemoryInputs, name: string) => hostMemory(x).tiers.find((t) => t.name === name);

describe('host link', () => {
  it('PCIe generation by architecture, NVLink-C2C on Grace parts; zero-copy reads at the share measured on H200', () => {
    assert.equal(hostLinkOf(gpu('H200')).kind, 'pcie5');
    assert.equal(hostLinkOf(gpu('H200')).peak, 64e9);
    assert.ok(Math.abs(hostLinkOf(gpu('H200')).zeroCopy - 51e9) < 1e6);
    assert.equal(hostLinkOf(gpu('A100-80GB')).kind, 'pcie4');
    assert.equal(hostLinkOf(gpu('L4')).peak, 32e9);
    assert.equal(hostLinkOf(gpu('T4')).kind, 'pcie3');
    assert.equal(hostLinkOf(gpu('GH200')).kind, 'nvlink-c2c');
    assert.equal(hostLinkOf(gpu('MI300X')).kind, 'pcie5');
  });
});

describe('CPU weight offload', () => {
  it('takes min(budget, weights) off the GPU and reads it every step at the zero-copy rate', () => {
    const link = hostLinkOf(gpu('H200'));
    const o = weightOffload(16, 30.5 * GiB, link)!;
    assert.equal(o.offloadedBytesPerGpu, 16 * GiB);
    assert.ok(Math.abs(o.streamSecPerStep - (16 * GiB) / link.zeroCopy) < 1e-12);
    assert.equal(weightOffload(100, 30.5 * GiB, link)!.offloadedBytesPerGpu, 30.5 * GiB);
    assert.equal(weightOffload(0, 30.5 * GiB, link), undefined);
  });
});

describe('host RAM per tier', () => {
  it('weight offload: the per-GPU bytes × every GPU, pinned at startup', () => {
    const t = tier({ ...base, offload: weightOffload(16, 30 * GiB, hostLinkOf(gpu('H200'))) }, 'weightOffload')!;
    assert.equal(t.bytes, 32 * GiB);
    assert.ok(t.atStartup);
  });

  it('V0 swap space: 4 GiB per GPU by default below 0.8; none in V1', () => {
    assert.ok(vllmRunsV0('0.7.3') && !vllmRunsV0('0.8.0') && !vllmRunsV0('0.19.0'));
    assert.equal(tier({ ...base, version: '0.6.6' }, 'swap')!.bytes, 8 * GiB);
    assert.equal(tier({ ...base, version: '0.6.6', swapSpaceGiB: 16 }, 'swap')!.bytes, 32 * GiB);
    assert.equal(tier({ ...base, swapSpaceGiB: 16 }, 'swap'), undefined);
  });

  it('native KV offload: --kv-offloading-size is the engine total split over TP × PP; tokens = per-rank bytes ÷ per-rank bytes per token', () => {
    const t = tier({ ...base, hostKv: { kind: 'native', totalGiB: { value: 64, source: { kind: 'default', note: '' } } } }, 'kvOffload')!;
    assert.equal(t.bytes, 64 * GiB);
    assert.equal(t.tokens, (32 * GiB) / 131072);
    const dp2 = tier({ ...base, dp: 2, hostKv: { kind: 'native', totalGiB: { value: 64, source: { kind: 'default', note: '' } } } }, 'kvOffload')!;
    assert.equal(dp2.bytes, 128 * GiB, 'each data-parallel engine has its own tier');
  });

  it('native KV offload through num_cpu_blocks: blocks × block tokens × bytes per token on every rank', () => {
    const t = tier({ ...base, hostKv: { kind: 'native', cpuBlocks: { value: 10000, source: { kind: 'default', note: '' } } } }, 'kvOffload')!;
    assert.equal(t.tokens, 160000);
    assert.equal(t.bytes, 160000 * 131072 * 2);
  });

  it('LMCache: 5.0 GB per worker by default, LMCACHE_MAX_LOCAL_CPU_SIZE otherwise, whole 256-token chunks; the disk tier holds tokens, no RAM', () => {
    const d = tier({ ...base, hostKv: { kind: 'lmcache' } }, 'kvOffload')!;
    assert.equal(d.bytes, 10 * GiB);
    assert.equal(d.tokens! % 256, 0);
    const s = (v: number) => ({ value: v, source: { kind: 'default' as const, note: '' } });
    const h = hostMemory({ ...base, hostKv: { kind: 'lmcache', perRankGB: s(40), diskGB: s(200) } });
    assert.equal(h.tiers.find((t) => t.name === 'kvOffload')!.bytes, 80 * GiB);
    const disk = h.tiers.find((t) => t.name === 'diskKv')!;
    assert.equal(disk.medium, 'disk');
    assert.equal(h.ramBytes, 80 * GiB + engineProcesses('vllm', 2, 1, 1) * PROCESS_RSS_BYTES, 'the disk tier is not RAM');
    assert.equal(tier({ ...base, hostKv: { kind: 'lmcache', localCpu: false } }, 'kvOffload'), undefined);
  });

  it('SGLang HiCache: ratio 2 × the device pool by default; --hicache-size GB (10⁹) per rank overrides it', () => {
    const x = { ...base, engine: 'sglang' as const };
    const t = tier({ ...x, hostKv: { kind: 'hicache' } }, 'kvOffload')!;
    assert.equal(t.tokens, 2 * ((40 * GiB) / 131072));
    assert.equal(t.bytes, 2 * 40 * GiB * 2);
    const sized = tier({ ...x, hostKv: { kind: 'hicache', perRankGB: { value: 100, source: { kind: 'default', note: '' } } } }, 'kvOffload')!;
    assert.equal(sized.tokens, Math.floor(100e9 / 131072));
  });

  it('CPU LoRA cache per worker × workers; the multimodal processor cache 4 GiB × (API server + engine cores); engine processes', () => {
    assert.equal(tier({ ...base, loraHostBytesPerWorker: GiB }, 'loraCache')!.bytes, 2 * GiB);
    assert.equal(tier({ ...base, multimodal: true }, 'mmProcessorCache')!.bytes, 8 * GiB);
    assert.equal(engineProcesses('vllm', 1, 1, 1), 2, 'API server + engine core running the worker');
    assert.equal(engineProcesses('vllm', 4, 1, 1), 6);
    assert.equal(engineProcesses('sglang', 2, 1, 1), 4);
    assert.equal(tier(base, 'engineProcesses')!.bytes, 4 * 0.73 * GiB);
  });
});

describe('/dev/shm need', () => {
  it('one GPU needs none; vLLM needs its 240 MiB broadcast ring; other engines more than the 64 MiB default; 2 GiB recommended', () => {
    assert.equal(shmNeed('vllm', 1), undefined);
    const v = shmNeed('vllm', 4)!;
    assert.equal(v.floorBytes, VLLM_BROADCAST_SHM_BYTES);
    assert.equal(VLLM_BROADCAST_SHM_BYTES, 240 * MiB);
    assert.match(v.floorSource, /shm_broadcast\.py MessageQueue/);
    assert.equal(v.recommendedBytes, 2 * GiB);
    assert.match(v.recommendedSource, /pytorch\/tutorials 0ba3e39/);
    assert.ok(shmTooSmall(DEFAULT_SHM_BYTES, v) && shmTooSmall(239 * MiB, v) && !shmTooSmall(240 * MiB, v));
    const s = shmNeed('sglang', 2)!;
    assert.ok(shmTooSmall(DEFAULT_SHM_BYTES, s) && !shmTooSmall(128 * MiB, s));
  });
});

describe('load time', () => {
  it('boot + weights per GPU at 0.78 GiB/s + engine init', () => {
    assert.equal(loadTime(0).seconds, BOOT_SEC + ENGINE_INIT_SEC);
    assert.ok(Math.abs(loadTime(7.8 * GiB).seconds - (BOOT_SEC + 10 + ENGINE_INIT_SEC)) < 1e-9);
    assert.match(loadTime(35 * GiB).note, /35\.0 GiB per GPU at 0\.78 GiB\/s \(45 s\)/);
  });

  it('a probe gives up after initialDelaySeconds + failureThreshold × periodSeconds (defaults 0, 3, 10)', () => {
    const f = (v: number) => ({ value: v, source: { kind: 'default' as const, note: '' } });
    const site = { afterLine: 0, indent: '' };
    const r = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    assert.equal(probeGivesUpAfter({ keyRange: r, fields: site }), 30);
    assert.equal(probeGivesUpAfter({ keyRange: r, fields: site, initialDelaySeconds: f(30), periodSeconds: f(10), failureThreshold: f(6) }), 90);
  });
});

describe('quantities', () => {
  it('Kubernetes quantities and Compose sizes in bytes, and back in the style they were written', () => {
    assert.equal(kubernetesQuantity('16Gi'), 16 * GiB);
    assert.equal(kubernetesQuantity('500M'), 500e6);
    assert.equal(kubernetesQuantity('1e9'), 1e9);
    assert.equal(kubernetesQuantity('128974848'), 128974848);
    assert.equal(kubernetesQuantity('0.5Gi'), GiB / 2);
    assert.equal(kubernetesQuantity('lots'), undefined);
    assert.equal(composeSize('2gb'), 2 * GiB);
    assert.equal(composeSize('64m'), 64 * MiB);
    assert.equal(composeSize('1G'), GiB);
    assert.equal(composeSize(1073741824), GiB);
    assert.equal(formatKubernetesQuantity(118.7 * GiB, '48Gi'), '119Gi');
    assert.equal(formatKubernetesQuantity(100e9, '64G'), '100G');
    assert.equal(formatKubernetesQuantity(2 * GiB, '64Mi'), '2048Mi');
    assert.equal(formatComposeSize(100 * GiB, '48g'), '100g');
    assert.equal(formatComposeSize(2 * GiB, '1GB'), '2GB');
  });
});

describe('pod facts read from manifests', () => {
  const read = (rel: string) => {
    const text = fs.readFileSync(fixture(...rel.split('/')), 'utf8');
    return { text, a: analyze(`file:///${rel}`, text, {}) };
  };

  it('a StatefulSet: memory limit and request, the /dev/shm emptyDir with its sizeLimit, lines, zero-indented quoted style', () => {
    const pod = read('kubernetes/vllm-offload-statefulset.yaml').a.workloads[0].plan.pod as KubernetesPod;
    assert.equal(pod.kind, 'kubernetes');
    assert.equal(pod.memoryLimit!.value, 48 * GiB);
    assert.equal((pod.memoryLimit!.source as { range: { start: { line: number } } }).range.start.line + 1, 37);
    assert.equal(pod.memoryRequest!.value, 32 * GiB);
    assert.equal(pod.shm!.medium, 'Memory');
    assert.equal(pod.shm!.sizeLimit!.value, 64 * MiB);
    assert.deepEqual(pod.style, { step: 2, seqIndent: 0, quote: '"' });
    assert.equal(pod.sites.volumes?.style, 'block');
  });

  it('a Deployment: probes with their fields, no volumes; a LeaderWorkerSet: the worker template beside the leader', () => {
    const pod = read('kubernetes/vllm-tp4-no-shm-probes.yaml').a.workloads[0].plan.pod as KubernetesPod;
    assert.equal(pod.shm, undefined);
    assert.equal(pod.sites.volumes, undefined);
    assert.equal(pod.probes.startupProbe!.failureThreshold!.value, 6);
    assert.equal(pod.probes.readinessProbe!.periodSeconds!.value, 5);
    assert.equal(pod.style.seqIndent, 2);
    const lws = read('kubernetes/lws-vllm-multinode.yaml').a.workloads[0].plan.pod as KubernetesPod;
    assert.equal(lws.alsoPods?.length, 1);
  });

  it('flow-style lists get a flow item: a volumes: [] and volumeMounts: [ … ] manifest stays valid', () => {
    const text = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: q}', 'spec:', '  template:', '    spec:',
      '      nodeSelector: {nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3}', '      containers:', '      - name: vllm',
      '        image: vllm/vllm-openai:v0.11.0', '        args: [--model, Qwen/Qwen3-8B, --tensor-parallel-size, "2"]',
      '        resources: {limits: {nvidia.com/gpu: 2}}', '        volumeMounts: [{name: cache, mountPath: /root/.cache}]', '      volumes: []', '',
    ].join('\n');
    const a = analyze('file:///flow.yaml', text, {});
    const f = a.findings.find((x) => x.rule === 'shm-too-small')!;
    assert.ok(f, JSON.stringify(a.findings.map((x) => x.rule)));
    const fixed = applyEdits(text, editsForFix(f.fixes![0], a.workloads[0].plan, text)!);
    const spec = parse(fixed).spec.template.spec;
    assert.deepEqual(spec.volumes, [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }]);
    assert.deepEqual(spec.containers[0].volumeMounts[1], { name: 'dshm', mountPath: '/dev/shm' });
    assert.ok(!analyze('file:///flow.yaml', fixed, {}).findings.some((x) => x.rule === 'shm-too-small'));
  });
});
