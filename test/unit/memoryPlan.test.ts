import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { engines } from '../../server/src/estimator/engines';
import { parseVersion, MemoryInputs } from '../../server/src/estimator/engines/types';
import { GiB } from '../../server/src/estimator/memory';
import { MemoryComponent, overheadBytes, ReservedComponentName } from '../../server/src/estimator/memoryPlan';
import { byDefault, DeploymentPlan, EngineName, engineNames, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { estimateToJson } from '../../server/src/report/json';
import { estimateMarkdown } from '../../server/src/report/markdown';
import { memorySegments } from '../../server/src/report/data';

const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function plan(engine: EngineName, version?: string, tp = 1): DeploymentPlan {
  return {
    name: 'memory plan',
    model: { ref: sourced('meta-llama/Llama-3.1-8B-Instruct', cli('model')) },
    hardware: { gpu: sourced('H100-SXM', cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')), ...(version ? { version: sourced(version, cli('engine-version')) } : {}) },
    knobs: tp > 1 ? { tensorParallel: sourced(tp, cli('tp')) } : {},
    workload: defaultWorkload(),
  };
}

function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  return r.estimate;
}

const part = (e: Estimate, name: MemoryComponent['name']) => e.memory.components.find((c) => c.name === name)!;

describe('memory components (memoryPlan.ts)', () => {
  it('lists every component once, the KV pool last, each with a source', () => {
    for (const engine of engineNames) {
      const e = ok(plan(engine, undefined, 2));
      assert.deepEqual(e.memory.components.map((c) => c.name), ['weights', 'activations', 'nonTorch', 'cudaGraphs', 'kvPool'], engine);
      for (const c of e.memory.components) assert.ok(c.source.length > 10 && Number.isFinite(c.bytesPerGpu) && c.bytesPerGpu >= 0, `${engine} ${c.name}`);
      assert.equal(part(e, 'kvPool').budget, 'pool');
    }
  });

  it("the estimate's memory figures are the components'", () => {
    for (const engine of engineNames) {
      const m = ok(plan(engine, undefined, 2)).memory;
      assert.equal(m.weightsBytesPerGpu, part({ memory: m } as Estimate, 'weights').bytesPerGpu);
      assert.equal(m.activationBytesPerGpu, part({ memory: m } as Estimate, 'activations').bytesPerGpu);
      assert.equal(m.nonTorchBytesPerGpu, part({ memory: m } as Estimate, 'nonTorch').bytesPerGpu);
      assert.equal(m.cudaGraphBytesPerGpu, part({ memory: m } as Estimate, 'cudaGraphs').bytesPerGpu);
      assert.equal(m.kvPoolBytesPerGpu, part({ memory: m } as Estimate, 'kvPool').bytesPerGpu);
      assert.equal(m.overheadBytesPerGpu, m.nonTorchBytesPerGpu + m.cudaGraphBytesPerGpu);
      // TEI's candle backend captures no CUDA graphs (estimator/engines/tei.ts).
      assert.ok(m.nonTorchBytesPerGpu > 1 * GiB && (engine === 'tei' ? m.cudaGraphBytesPerGpu === 0 : m.cudaGraphBytesPerGpu > 0.3 * GiB), engine);
    }
  });

  it('each engine places the components in or outside its budget as its KV sizing does', () => {
    const roles = (engine: EngineName, version?: string) => Object.fromEntries(ok(plan(engine, version)).memory.components.map((c) => [c.name, c.budget]));
    // vLLM: CUDA graphs inside the budget from 0.21, captured after the pool before.
    assert.equal(roles('vllm', '0.21').cudaGraphs, 'deducted');
    assert.equal(roles('vllm', '0.19').cudaGraphs, 'outside');
    assert.equal(roles('vllm', '0.19').activations, 'deducted');
    // SGLang: only the weights come off mem_fraction_static × total.
    assert.deepEqual([roles('sglang').weights, roles('sglang').activations, roles('sglang').nonTorch, roles('sglang').cudaGraphs], ['deducted', 'outside', 'outside', 'outside']);
    for (const engine of ['trtllm', 'tgi'] as const) assert.deepEqual([roles(engine).activations, roles(engine).cudaGraphs], ['deducted', 'outside'], engine);
  });

  it("an engine's pool shrinks with exactly the components it deducts", () => {
    const base: MemoryInputs = { totalBytes: 80 * GiB, weightsBytes: 15 * GiB, activationBytes: 2 * GiB, nonTorchBytes: 0.25 * GiB, cudaGraphBytes: 1 * GiB, utilization: 0.9 };
    const field: Partial<Record<ReservedComponentName, keyof MemoryInputs>> = { weights: 'weightsBytes', activations: 'activationBytes', nonTorch: 'nonTorchBytes', cudaGraphs: 'cudaGraphBytes', loraSlots: 'loraSlotBytes', drafter: 'drafterBytes' };
    for (const engine of Object.values(engines)) {
      for (const v of ['0.19', '0.21', engine.newestVersion]) {
        const version = parseVersion(v, engine.newestVersion);
        const deducts = engine.poolDeducts(version);
        const pool = engine.kvPool(base, version).poolBytes;
        for (const [name, key] of Object.entries(field) as Array<[ReservedComponentName, keyof MemoryInputs]>) {
          const more = engine.kvPool({ ...base, [key]: (base[key] ?? 0) + GiB }, version).poolBytes;
          assert.equal(more < pool, deducts.includes(name), `${engine.name} ${v} ${name}`);
        }
      }
    }
  });

  it('a component appears in the JSON overhead, the markdown table and the report bar at once', () => {
    const e = ok(plan('vllm'));
    const before = estimateToJson(e, []).memory.overheadBytesPerGpu;
    assert.ok(!estimateMarkdown(e, []).includes('Recurrent state') && !memorySegments(e).some((s) => s.label === 'recurrent state'));
    // A hybrid model's state pool (SGLang, TensorRT-LLM) is carved out of the KV budget: a pool, not overhead.
    e.memory.components.splice(e.memory.components.length - 1, 0, { name: 'state', bytesPerGpu: GiB, budget: 'pool', source: 'a recurrent-state pool' });
    assert.equal(overheadBytes(e.memory.components), e.memory.overheadBytesPerGpu);
    assert.equal(estimateToJson(e, []).memory.overheadBytesPerGpu, before);
    assert.match(estimateMarkdown(e, []), /\| Recurrent state \| 1\.00 GiB \|/);
    assert.deepEqual(memorySegments(e).find((s) => s.label === 'recurrent state'), { label: 'recurrent state', gib: 1 });
  });

  it('the report bar counts every byte once: its segments add up to the GPU', () => {
    for (const engine of engineNames) {
      const e = ok(plan(engine, undefined, 2));
      const segments = memorySegments(e);
      assert.deepEqual(segments.map((s) => s.label), ['weights', 'KV pool', 'activations', 'CUDA graphs', 'non-torch (NCCL, workspaces)', 'free'], engine);
      const total = segments.reduce((t, s) => t + s.gib, 0);
      assert.ok(Math.abs(total - e.hardware.memoryBytesPerGpu / GiB) < 0.05, `${engine}: ${total}`);
      // What is drawn as used is what the components hold (CUDA graphs once, not again inside an overhead segment).
      const drawn = total - segments[segments.length - 1].gib;
      const held = e.memory.components.reduce((t, c) => t + c.bytesPerGpu, 0) / GiB;
      assert.ok(Math.abs(drawn - held) < 0.05, `${engine}: drawn ${drawn} GiB, components ${held} GiB`);
    }
  });
});
