/** The GPU catalog: names as logs, Kubernetes labels and clouds print them; sane figures; every GPU estimates. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { builtinGpus, GpuCatalog, gpuKey, isConsumerGpu } from '../../server/src/catalog/gpus';
import { defaultDeps, estimate, Estimate } from '../../server/src/estimator/estimate';
import { cloudOf, gpuFromInstanceType, gpuFromLabel, instanceFor, instanceOf, labelValueFor, type Cloud } from '../../server/src/formats/gpuLabels';
import { searchGpus } from '../../server/src/optimizer/gpuChoice';
import { runsFp8Kv, runsFp8Weights, runsOn } from '../../server/src/optimizer/support';
import { engineNames, EngineName, DeploymentPlan, sourced, byDefault } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';

const catalog = new GpuCatalog();
const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function plan(model: string, gpu: string, engine: EngineName = 'vllm', dtype?: string): DeploymentPlan {
  return {
    name: model,
    model: { ref: sourced(model, cli('model')) },
    hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')) },
    knobs: { maxModelLen: sourced(4096, cli('mml')), ...(dtype ? { dtype: sourced(dtype, cli('dtype')) } : {}) },
    workload: { ...defaultWorkload(), concurrency: sourced(8, cli('c')) },
  };
}
function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, JSON.stringify(r));
  return r.estimate;
}

/** [device name as nvidia-smi / torch.cuda.get_device_name / ROCm print it, catalog id]. */
const LOG_NAMES: Array<[string, string]> = [
  ['NVIDIA B300 SXM6 AC', 'B300'], ['NVIDIA GB300', 'GB300'], ['AMD Instinct MI355X', 'MI355X'], ['AMD Instinct MI350X', 'MI350X'],
  ['NVIDIA RTX PRO 6000 Blackwell Server Edition', 'RTX-PRO-6000'], ['NVIDIA RTX PRO 6000 Blackwell Workstation Edition', 'RTX-PRO-6000-WS'],
  ['NVIDIA RTX 6000 Ada Generation', 'RTX-6000-Ada'], ['NVIDIA L40', 'L40'], ['NVIDIA L20', 'L20'], ['NVIDIA H800', 'H800'],
  ['NVIDIA A800-SXM4-80GB', 'A800-80GB'], ['NVIDIA A800-PCIE-40GB', 'A800-40GB'], ['NVIDIA H20', 'H20'], ['NVIDIA H20-3e', 'H20-3e'],
  ['NVIDIA GH200 480GB', 'GH200'], ['NVIDIA GH200 120GB', 'GH200'], ['NVIDIA GH200 144G HBM3e', 'GH200-144GB'], ['Tesla T4', 'T4'],
  ['Tesla V100-SXM2-16GB', 'V100-SXM2-16GB'], ['Tesla V100-SXM2-32GB', 'V100-SXM2-32GB'], ['Tesla V100-PCIE-16GB', 'V100-PCIe-16GB'],
  ['Tesla V100-PCIE-32GB', 'V100-PCIe-32GB'], ['NVIDIA A10', 'A10'], ['NVIDIA A30', 'A30'], ['NVIDIA A40', 'A40'], ['NVIDIA RTX A6000', 'RTX-A6000'],
  ['NVIDIA GeForce RTX 5080', 'RTX-5080'], ['NVIDIA GeForce RTX 4080', 'RTX-4080'],
  // Names that resolved before this catalog grew keep resolving to the same GPU.
  ['NVIDIA H100 80GB HBM3', 'H100-SXM'], ['NVIDIA A10G', 'A10G'], ['NVIDIA L40S', 'L40S'], ['NVIDIA A100-SXM4-80GB', 'A100-80GB'], ['NVIDIA H200', 'H200'],
];
const NEW_IDS = [...new Set(LOG_NAMES.slice(0, 28).map(([, id]) => id))];

describe('GPU catalog: the 2026 GPUs resolve', () => {
  it('by id, by every alias and by the device name logs print', () => {
    for (const [name, id] of LOG_NAMES) assert.equal(catalog.find(name)?.id, id, name);
    for (const id of NEW_IDS) {
      const g = catalog.find(id);
      assert.equal(g?.id, id, id);
      for (const a of [g!.name, ...g!.aliases]) assert.equal(catalog.find(a)?.id, id, `${id}: alias ${a}`);
    }
  });

  it('no name or alias is claimed by two GPUs', () => {
    const owner = new Map<string, string>();
    for (const g of builtinGpus) {
      for (const n of new Set([g.id, g.name, ...g.aliases].map(gpuKey))) {
        assert.ok(!owner.has(n) || owner.get(n) === g.id, `${n}: ${owner.get(n)} and ${g.id}`);
        owner.set(n, g.id);
      }
    }
  });

  it('every GPU has finite positive memory, bandwidth, FLOP/s and a rate for each native format', () => {
    const positive = (v: number) => Number.isFinite(v) && v > 0;
    for (const g of builtinGpus) {
      assert.ok(positive(g.usableBytes) && g.usableBytes < 300 * 2 ** 30, `${g.id} memory`);
      assert.ok(positive(g.memBandwidth) && positive(g.intraNode.bandwidth) && positive(g.interNode) && g.pricePerHour > 0, `${g.id} bandwidth/price`);
      assert.ok(Object.values(g.tflops).length > 0 && Object.values(g.tflops).every((v) => positive(v!)), `${g.id} tflops`);
      for (const d of g.native) assert.ok(positive(g.tflops[d] ?? NaN), `${g.id}: native ${d} has no rate`);
    }
  });

  it('V100 and T4 have no bf16 tensor cores; FP8 from Ada/Hopper, FP4 (NVFP4) on Blackwell only', () => {
    for (const id of ['T4', 'V100-SXM2-16GB', 'V100-SXM2-32GB', 'V100-PCIe-16GB', 'V100-PCIe-32GB']) {
      const g = catalog.find(id)!;
      assert.ok(!g.native.includes('bf16') && g.native.includes('fp16') && g.tflops.bf16 === undefined, id);
    }
    for (const g of builtinGpus) {
      if (g.native.includes('fp8')) assert.ok(['ada', 'hopper', 'blackwell', 'cdna3', 'cdna4'].includes(g.arch), `${g.id} fp8`);
      if (g.native.includes('fp4')) assert.ok(g.arch === 'blackwell', `${g.id} fp4`);
    }
  });

  it('the optimizer proposes no FP8 on V100/T4 (no Marlin below SM 8.0, no FP8 tensor cores) and no TensorRT-LLM there', () => {
    for (const id of ['T4', 'V100-SXM2-16GB', 'V100-PCIe-32GB']) {
      const g = catalog.find(id)!;
      for (const e of engineNames) assert.ok(!runsFp8Weights(e, g) && !runsFp8Kv(e, g), `${id} ${e}`);
      assert.ok(!runsOn('trtllm', g) && runsOn('vllm', g), id);
    }
    assert.ok(runsOn('trtllm', catalog.find('A10')!) && !runsOn('trtllm', catalog.find('MI355X')!));
    assert.ok(runsFp8Weights('vllm', catalog.find('A800-80GB')!) && runsFp8Kv('vllm', catalog.find('B300')!));
  });

  it('workstation and datacenter cards are not consumer cards; GeForce cards are', () => {
    for (const id of ['RTX-PRO-6000', 'RTX-PRO-6000-WS', 'RTX-6000-Ada', 'RTX-A6000', 'A10', 'L40', 'T4']) assert.ok(!isConsumerGpu(catalog.find(id)!), id);
    for (const id of ['RTX-5080', 'RTX-4080', 'RTX-5090', 'RTX-4090', 'RTX-3090']) assert.ok(isConsumerGpu(catalog.find(id)!), id);
    // The default search: every datacenter and workstation GPU, no GeForce card unless the file runs on it.
    const searched = searchGpus(undefined, undefined, defaultDeps, []).map((g) => g.id);
    for (const id of ['RTX-PRO-6000', 'RTX-6000-Ada', 'RTX-A6000', 'B300', 'MI355X', 'T4', 'GH200']) assert.ok(searched.includes(id), id);
    for (const id of ['RTX-5080', 'RTX-4080', 'RTX-5090']) assert.ok(!searched.includes(id), id);
    assert.ok(searchGpus(undefined, catalog.find('RTX-4080'), defaultDeps, []).some((g) => g.id === 'RTX-4080'));
  });
});

describe('every catalog GPU estimates', () => {
  it('Llama-3.1-8B on every GPU and engine without throwing, every figure finite; a 1B model fits even the 16 GB cards', () => {
    const finite = (v: number) => Number.isFinite(v) && v >= 0;
    for (const g of builtinGpus) {
      for (const engine of engineNames) {
        const e = ok(plan('meta-llama/Llama-3.1-8B-Instruct', g.id, engine));
        assert.equal(e.hardware.gpu, g.id);
        for (const v of [e.memory.weightsBytesPerGpu, e.memory.kvPoolBytesPerGpu, e.memory.kvCapacityTokens, e.memory.maxConcurrency, e.latency.ttftMs, e.latency.tpotMs, e.latency.outputTokensPerSec]) {
          assert.ok(finite(v), `${g.id} ${engine}: ${v}`);
        }
      }
      const small = ok(plan('meta-llama/Llama-3.2-1B-Instruct', g.id));
      assert.ok(small.memory.fits && small.latency.tpotMs > 0, `${g.id}: 1B does not fit`);
    }
  });

  it('a bf16 checkpoint on a T4 or V100 runs in fp16 and says so; an explicit bfloat16 is refused by vLLM', () => {
    for (const id of ['T4', 'V100-SXM2-32GB']) {
      const e = ok(plan('meta-llama/Llama-3.2-1B-Instruct', id));
      assert.equal(e.serving.computeDtype, 'fp16', id);
      assert.equal(e.serving.weightDtype, 'fp16', id);
      assert.ok(e.assumptions.some((a) => /falls back to float16/.test(a)), e.assumptions.join('\n'));
      assert.ok(!e.issues.some((i) => i.refusesStart), id);
      const forced = ok(plan('meta-llama/Llama-3.2-1B-Instruct', id, 'vllm', 'bfloat16'));
      assert.ok(forced.issues.some((i) => i.code === 'invalid-value' && i.refusesStart && /compute capability of at least 8\.0/.test(i.message)), JSON.stringify(forced.issues));
      // Asked for fp16: nothing to say.
      const half = ok(plan('meta-llama/Llama-3.2-1B-Instruct', id, 'vllm', 'half'));
      assert.ok(!half.assumptions.some((a) => /bf16/.test(a)) && !half.issues.some((i) => i.refusesStart));
    }
    // The fp16 tensor rate sets the prefill time on a T4: a compute-bound prefill is not estimated at some bf16 default.
    const t4 = ok(plan('meta-llama/Llama-3.2-1B-Instruct', 'T4'));
    const a10 = ok(plan('meta-llama/Llama-3.2-1B-Instruct', 'A10'));
    assert.ok(t4.latency.ttftMs > a10.latency.ttftMs, `${t4.latency.ttftMs} vs ${a10.latency.ttftMs}`);
    const h100 = ok(plan('meta-llama/Llama-3.2-1B-Instruct', 'H100-SXM'));
    assert.equal(h100.serving.computeDtype, 'bf16');
    assert.ok(!h100.assumptions.some((a) => /float16/.test(a)));
    assert.ok(!ok(plan('meta-llama/Llama-3.2-1B-Instruct', 'H100-SXM', 'vllm', 'bfloat16')).issues.some((i) => i.refusesStart));
  });

  it('vLLM\'s large batch defaults follow the device name (≥ 70 GiB and not "A100"): A800 80GB gets them, A100 80GB does not', () => {
    assert.equal(ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'A800-80GB')).serving.maxNumBatchedTokens, 8192);
    assert.equal(ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'A100-80GB')).serving.maxNumBatchedTokens, 2048);
    assert.equal(ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'GH200')).serving.maxNumBatchedTokens, 8192);
  });
});

describe('GPU label tables round-trip (value → GPU → value)', () => {
  const gfd = 'nvidia.com/gpu.product';
  const gke = 'cloud.google.com/gke-accelerator';
  const karpenter = 'karpenter.k8s.aws/instance-gpu-name';

  it('GPU feature discovery product names for every NVIDIA GPU in the catalog', () => {
    for (const g of builtinGpus.filter((x) => x.vendor === 'nvidia')) {
      const value = labelValueFor(gfd, '', g.id);
      assert.ok(value, `${g.id} has no ${gfd} value`);
      assert.equal(catalog.find(gpuFromLabel(gfd, value!)!)?.id, g.id, value);
      assert.equal(labelValueFor(gfd, `${value}-SHARED`, g.id), `${value}-SHARED`);
    }
    for (const [value, id] of [['NVIDIA-H20', 'H20'], ['Tesla-T4', 'T4'], ['NVIDIA-L40', 'L40'], ['NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition', 'RTX-PRO-6000'], ['NVIDIA-H20-3e', 'H20-3e'], ['Tesla-V100-SXM2-32GB', 'V100-SXM2-32GB']]) {
      assert.equal(catalog.find(gpuFromLabel(gfd, value)!)?.id, id, value);
    }
  });

  it('GKE accelerator and Karpenter GPU names', () => {
    for (const [value, id] of [['nvidia-tesla-t4', 'T4'], ['nvidia-tesla-v100', 'V100-SXM2-16GB'], ['nvidia-l4', 'L4'], ['nvidia-b200', 'B200'], ['nvidia-h200-141gb', 'H200'], ['nvidia-gb200', 'GB200'], ['nvidia-rtx-pro-6000', 'RTX-PRO-6000']]) {
      assert.equal(catalog.find(gpuFromLabel(gke, value)!)?.id, id, value);
      assert.equal(labelValueFor(gke, '', id), value, id);
    }
    let gkeValues = 0;
    for (const g of builtinGpus) {
      const value = labelValueFor(gke, '', g.id);
      if (value) { gkeValues++; assert.equal(catalog.find(gpuFromLabel(gke, value)!)?.id, g.id, value); }
      const k = labelValueFor(karpenter, '', g.id);
      if (k) assert.equal(catalog.find(gpuFromLabel(karpenter, k)!)?.id, g.id, k);
    }
    assert.ok(gkeValues >= 10, String(gkeValues));
    assert.equal(labelValueFor(gke, 'nvidia-l4', 'L40S'), undefined, 'GKE has no L40S');
  });

  it('instance types: each GPU\'s smallest instance names that GPU again, and the new ones read right', () => {
    let found = 0;
    for (const g of builtinGpus) {
      for (const cloud of ['aws', 'gcp', 'azure'] as Cloud[]) {
        for (const n of [1, 2, 4, 8]) {
          const name = instanceFor(cloud, g.id, n);
          if (!name) continue;
          found++;
          const i = instanceOf(name)!;
          assert.ok(i.gpu === g.id && i.count >= n && cloudOf(name) === cloud, `${name} for ${n} × ${g.id}`);
          assert.equal(catalog.find(i.gpu)?.id, g.id);
        }
      }
    }
    assert.ok(found > 40, String(found));
    const it2 = (label: string, name: string) => gpuFromInstanceType(label, name);
    assert.deepEqual(it2('node.kubernetes.io/instance-type', 'g4dn.xlarge'), { gpu: 'T4', perInstance: 1 });
    assert.deepEqual(it2('node.kubernetes.io/instance-type', 'g4dn.12xlarge'), { gpu: 'T4', perInstance: 4 });
    assert.deepEqual(it2('node.kubernetes.io/instance-type', 'p3dn.24xlarge'), { gpu: 'V100-SXM2-32GB', perInstance: 8 });
    assert.deepEqual(it2('node.kubernetes.io/instance-type', 'p6-b300.48xlarge'), { gpu: 'B300', perInstance: 8 });
    assert.deepEqual(it2('node.kubernetes.io/instance-type', 'g4-standard-96'), { gpu: 'RTX-PRO-6000', perInstance: 2 });
    assert.deepEqual(it2('node.kubernetes.io/instance-type', 'Standard_NC4as_T4_v3'), { gpu: 'T4', perInstance: 1 });
    assert.deepEqual(it2('node.kubernetes.io/instance-type', 'Standard_NV36ads_A10_v5'), { gpu: 'A10', perInstance: 1 });
    assert.equal(instanceFor('aws', 'T4', 2), 'g4dn.12xlarge');
  });
});

describe('README GPU table', () => {
  it('lists every catalog GPU with its usable memory', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    for (const g of builtinGpus) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${g.id}\``));
      assert.ok(row, `${g.id} missing from the README GPU table`);
      assert.ok(row!.includes(`| ${(g.usableBytes / 2 ** 30).toFixed(2)} |`), `${g.id}: README memory differs from the catalog`);
    }
  });
});
