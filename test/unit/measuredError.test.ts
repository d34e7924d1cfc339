import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { estimate } from '../../server/src/estimator/estimate';
import { gpuErrorClass, measuredErrorFor, MeasuredErrorTable, MIN_GROUP_RUNS } from '../../server/src/estimator/measuredError';
import { MEASURED_ERROR_TABLE } from '../../server/src/estimator/measuredErrorTable';
import { byDefault, DeploymentPlan, EngineName, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';

const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function plan(gpu: string, engine: EngineName, conc: number): DeploymentPlan {
  return {
    name: 'm',
    model: { ref: sourced('Qwen/Qwen2.5-7B', cli('model')) },
    hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')) },
    knobs: {},
    workload: { ...defaultWorkload(), concurrency: sourced(conc, cli('c')) },
  };
}

const errorLine = (gpu: string, engine: EngineName, conc = 32): string | undefined => {
  const r = estimate(plan(gpu, engine, conc));
  assert.ok(r.ok);
  return r.estimate.assumptions.find((a) => a.includes('median error on'));
};

const table: MeasuredErrorTable = {
  overall: { ttftPct: 40.3, tpotPct: 12.5, runs: 1678 },
  groups: { trtllm: { blackwell: { ttftPct: 50.3, tpotPct: 15.7, runs: 320 } }, vllm: { 'hopper-h200': { ttftPct: 42, tpotPct: 20, runs: MIN_GROUP_RUNS - 1 } } },
};

describe('the median error an estimate states', () => {
  it('GPU classes: H100 and H800 parts, the H200, datacenter Blackwell; the rest is "other"', () => {
    for (const g of ['H100-SXM', 'H100-PCIe', 'H100-NVL', 'H800']) assert.equal(gpuErrorClass(g), 'hopper-h100', g);
    assert.equal(gpuErrorClass('H200'), 'hopper-h200');
    for (const g of ['B200', 'GB200', 'B300', 'GB300']) assert.equal(gpuErrorClass(g), 'blackwell', g);
    for (const g of ['A100-80GB', 'L40S', 'MI300X', 'RTX-PRO-6000', 'GH200', 'H20']) assert.equal(gpuErrorClass(g), 'other', g);
  });

  it('a group with enough runs states its own figures and names them', () => {
    const e = measuredErrorFor('trtllm', 'B200', table);
    assert.deepEqual([e.ttftPct, e.tpotPct, e.runs, e.scoped], [50.3, 15.7, 320, true]);
    assert.equal(e.basis, '320 measured TensorRT-LLM B200-class runs');
  });

  it('a group below the minimum, or none, falls back to the overall figure and says why', () => {
    const thin = measuredErrorFor('vllm', 'H200', table);
    assert.deepEqual([thin.ttftPct, thin.tpotPct, thin.scoped], [40.3, 12.5, false]);
    assert.match(thin.basis, /^all 1678 measured serving runs \(only 19 vLLM H200 runs, fewer than 20\)$/);
    const none = measuredErrorFor('sglang', 'A100-80GB', table);
    assert.equal(none.scoped, false);
    assert.match(none.basis, /no SGLang A100-80GB runs/);
  });

  it('the estimate under load states the committed engine × GPU figure, not one global number', () => {
    const b200 = MEASURED_ERROR_TABLE.groups.trtllm?.blackwell;
    const h100 = MEASURED_ERROR_TABLE.groups.vllm?.['hopper-h100'];
    assert.ok(b200 && h100 && b200.runs >= MIN_GROUP_RUNS && h100.runs >= MIN_GROUP_RUNS);
    assert.equal(errorLine('B200', 'trtllm'), `under concurrent load TTFT is the least certain figure: TTFT ±${Math.round(b200.ttftPct)} % / TPOT ±${Math.round(b200.tpotPct)} % median error on ${b200.runs} measured TensorRT-LLM B200-class runs (closed-loop benchmarks, npm run accuracy); how requests fall into step with each other moves queueing more than the GPU does`);
    assert.match(errorLine('H100-SXM', 'vllm')!, new RegExp(`TTFT ±${Math.round(h100.ttftPct)} % / TPOT ±${Math.round(h100.tpotPct)} % median error on ${h100.runs} measured vLLM H100-class runs`));
    assert.match(errorLine('A100-80GB', 'vllm')!, new RegExp(`on all ${MEASURED_ERROR_TABLE.overall.runs} measured serving runs \\(no vLLM A100-80GB runs`));
    assert.equal(errorLine('H100-SXM', 'vllm', 1), undefined, 'a single request states no load error');
  });
});
