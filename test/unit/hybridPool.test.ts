/**
 * Hybrid models' state as each engine holds it (estimator/hybridPool.ts): SGLang's separate state pool and its slot
 * rule, TensorRT-LLM's max_batch_size slots, TGI's refusal. vLLM's shared pool is checked against the research note's
 * worked examples in family-qwen / family-mamba / family-mla.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { byDefault, DeploymentPlan, EngineKnobs, EngineName, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';

const cli = (flag: string) => ({ kind: 'cli' as const, flag });
const NANO = 'nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16';

function run(engine: EngineName, knobs: Partial<Record<keyof EngineKnobs, unknown>> = {}, model = NANO): Estimate {
  const k: Record<string, unknown> = { maxModelLen: sourced(32768, cli('mml')) };
  for (const [name, v] of Object.entries(knobs)) k[name] = sourced(v, cli(name));
  const plan: DeploymentPlan = {
    name: model, model: { ref: sourced(model, cli('model')) },
    hardware: { gpu: sourced('H200', cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')) }, knobs: k as EngineKnobs, workload: { ...defaultWorkload(), concurrency: sourced(64, cli('c')) },
  };
  const r = estimate(plan);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  return r.estimate;
}

const part = (e: Estimate, name: string) => e.memory.components.find((c) => c.name === name)?.bytesPerGpu ?? 0;

describe('hybrid state pools by engine', () => {
  it('SGLang: the state pool takes r / (1 + r) of the budget, running requests ≤ slots ÷ 5 with the radix cache on', () => {
    const e = run('sglang');
    const state = part(e, 'state');
    const kv = part(e, 'kvPool');
    assert.ok(Math.abs(state / (state + kv) - 0.9 / 1.9) < 1e-9, `${state / (state + kv)}`);
    const slots = Math.floor(state / e.memory.stateBytesPerRequestPerGpu);
    assert.ok(e.memory.maxConcurrency <= Math.floor(slots / 5) + 1e-9, `${e.memory.maxConcurrency} vs ${slots} slots`);
    assert.equal(e.memory.kvCapacityTokens, Math.floor(kv / e.memory.kvBytesPerTokenPerGpu));
    assert.equal(e.memory.stateBytesPerRequestPerGpu, e.model.stateBytesPerRequest); // TP 1: unpadded, whole model
  });

  it('SGLang: --disable-radix-cache keeps one slot per request; --mamba-full-memory-ratio and --max-mamba-cache-size move the split', () => {
    const radix = run('sglang', { mambaFullMemoryRatio: 0.1 });
    const noRadix = run('sglang', { mambaFullMemoryRatio: 0.1, enablePrefixCaching: false });
    assert.ok(noRadix.memory.maxConcurrency > radix.memory.maxConcurrency, `${noRadix.memory.maxConcurrency} vs ${radix.memory.maxConcurrency}`);
    const small = run('sglang', { mambaFullMemoryRatio: 0.1 });
    const big = run('sglang', { mambaFullMemoryRatio: 2 });
    assert.ok(part(small, 'state') < part(big, 'state') && small.memory.kvCapacityTokens > big.memory.kvCapacityTokens);
    const fixed = run('sglang', { maxMambaCacheSize: 100 });
    assert.equal(part(fixed, 'state'), 100 * fixed.memory.stateBytesPerRequestPerGpu);
    assert.equal(fixed.memory.maxConcurrency, 20);
  });

  it('vLLM: state shares the KV pool (no state component); the SSM dtype flag moves the state per request', () => {
    const e = run('vllm');
    assert.equal(part(e, 'state'), 0);
    assert.ok(e.memory.kvBlockTokens > 16 && e.memory.kvBlockTokens % 16 === 0, `${e.memory.kvBlockTokens}`);
    const bf16 = run('vllm', { mambaSsmDtype: 'bfloat16' });
    assert.ok(bf16.model.stateBytesPerRequest < e.model.stateBytesPerRequest && bf16.memory.kvBlockTokens < e.memory.kvBlockTokens);
    assert.ok(e.assumptions.some((a) => /vLLM hybrid KV pool/.test(a)));
  });

  it('TensorRT-LLM: max_batch_size state slots come off the budget before the KV cache', () => {
    const e = run('trtllm', { maxNumSeqs: 64 });
    assert.equal(part(e, 'state'), 64 * e.memory.stateBytesPerRequestPerGpu);
  });

  it('TGI: hybrid and sparse-attention architectures it has no implementation for are refused', () => {
    for (const model of [NANO, 'zai-org/GLM-5-FP8']) {
      const r = estimate({
        name: model, model: { ref: sourced(model, cli('model')) }, hardware: { gpu: sourced('H200', cli('gpu')), count: sourced(8, cli('n')), replicas: byDefault(1, '') },
        engine: { name: sourced('tgi', cli('engine')) }, knobs: { maxModelLen: sourced(8192, cli('mml')) }, workload: defaultWorkload(),
      });
      assert.ok(r.ok);
      const i = r.estimate.issues.find((x) => x.code === 'engine-architecture');
      assert.ok(i && i.refusesStart && /TGI does not serve/.test(i.message), model);
    }
  });
});
