/** `calibrate`'s pure parts: the factors in the estimate, pairing results with their deployment, the fit, the config edit. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { withCalibration, calibrationPointer } from '../../server/src/calibrate/configEdit';
import { fitCalibration } from '../../server/src/calibrate/fit';
import { calibrationRuns, CalibrationInput, CalibrationRun } from '../../server/src/calibrate/runs';
import { defaultDeps, estimate } from '../../server/src/estimator/estimate';
import { readMeasured } from '../../server/src/formats/logs';
import { readText } from '../../server/src/formats';
import type { CalibrationEntry } from '../../server/src/plan/calibration';
import { byDefault, DeploymentPlan, sourced } from '../../server/src/plan/types';
import { parseCalibrationFile, parseRepoConfig } from '../../server/src/policy/repoConfig';

const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function deployment(conc: number, isl: number, osl: number, tp = 1): DeploymentPlan {
  return {
    name: 'llama',
    model: { ref: sourced('meta-llama/Llama-3.1-8B-Instruct', cli('model')) },
    hardware: { gpu: sourced('H100-SXM', cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced('vllm', cli('engine')), version: sourced('0.19.0', cli('engine-version')) },
    knobs: { tensorParallel: sourced(tp, cli('tp')), maxModelLen: sourced(8192, cli('max-model-len')) },
    workload: { inputLen: sourced(isl, cli('isl')), outputLen: sourced(osl, cli('osl')), concurrency: sourced(conc, cli('conc')) },
  };
}

const latency = (p: DeploymentPlan) => {
  const r = estimate(p);
  assert.ok(r.ok);
  return r.estimate;
};

const withFactors = (p: DeploymentPlan, e: Omit<CalibrationEntry, 'gpu' | 'engine'>): DeploymentPlan =>
  ({ ...p, calibration: { file: '/repo/.deploy-advisor.yaml', entries: [{ gpu: 'H100-SXM', engine: 'vllm', ...e }] } });

describe('calibration factors in the estimate', () => {
  it('bandwidth scales decode, compute scales prefill, memory never moves, and the estimate says so', () => {
    const base = latency(deployment(8, 2048, 256));
    const faster = latency(withFactors(deployment(8, 2048, 256), { bandwidth: 2 }));
    const slowPrefill = latency(withFactors(deployment(8, 2048, 256), { compute: 0.5 }));
    assert.ok(faster.latency.tpotMs < 0.75 * base.latency.tpotMs, `${faster.latency.tpotMs} vs ${base.latency.tpotMs}`);
    assert.ok(slowPrefill.latency.ttftMs > 1.4 * base.latency.ttftMs, `${slowPrefill.latency.ttftMs} vs ${base.latency.ttftMs}`);
    for (const e of [faster, slowPrefill]) {
      assert.equal(e.memory.kvCapacityTokens, base.memory.kvCapacityTokens);
      assert.equal(e.memory.weightsBytesPerGpu, base.memory.weightsBytesPerGpu);
    }
    assert.ok(faster.assumptions.some((a) => /^Calibrated on your runs \(\/repo\/\.deploy-advisor\.yaml\): NVIDIA H100.* × vllm bandwidth ×2\.00/.test(a)), faster.assumptions.join('\n'));
    assert.ok(!base.assumptions.some((a) => a.startsWith('Calibrated')));
  });

  it('the step overhead replaces the engine\'s and adds to every decode step', () => {
    const base = latency(deployment(1, 128, 256));
    const slower = latency(withFactors(deployment(1, 128, 256), { stepOverheadMs: 3 }));
    // vLLM 0.19's built-in 1 ms hides behind the GPU step (async scheduling); a fitted overhead is what the runs showed,
    // so all 3 ms count: 3 ms more per output token at batch 1.
    assert.ok(Math.abs(slower.latency.tpotMs - base.latency.tpotMs - 3) < 0.1, `${slower.latency.tpotMs} vs ${base.latency.tpotMs}`);
  });

  it('an entry for another GPU or engine changes nothing', () => {
    const base = latency(deployment(8, 2048, 256));
    const other: DeploymentPlan = { ...deployment(8, 2048, 256), calibration: { file: 'x', entries: [{ gpu: 'H200', engine: 'vllm', bandwidth: 2 }, { gpu: 'H100-SXM', engine: 'sglang', bandwidth: 2 }] } };
    assert.equal(latency(other).latency.tpotMs, base.latency.tpotMs);
  });
});

describe('fitting the factors', () => {
  it('recovers factors the runs were made with, and the held-out runs agree after', () => {
    const truth = { bandwidth: 0.8, compute: 1.25, stepOverheadMs: 2 };
    const loads: Array<[number, number, number]> = [[1, 512, 128], [4, 2048, 128], [8, 1024, 256], [16, 4096, 64], [2, 8000, 32], [32, 512, 128]];
    const runs: CalibrationRun[] = loads.map(([c, i, o], k) => {
      const plan = deployment(c, i, o);
      const m = latency(withFactors(plan, truth)).latency;
      return { file: `runs/r${k}.json`, plan, measured: { ttftMs: m.ttftMs, tpotMs: m.tpotMs }, notes: [] };
    });
    const fit = fitCalibration(runs, [], defaultDeps, '2026-12-03');
    assert.equal(fit.groups.length, 1);
    const g = fit.groups[0];
    assert.equal(g.gpu, 'H100-SXM');
    assert.equal(g.runs.filter((r) => r.heldOut).length, 2);
    const e = g.entry;
    // One model at one TP reads the same weights every step, so weights/bandwidth and the step overhead trade off: the
    // bandwidth lands near the truth, the overhead anywhere that keeps their sum — what is judged is the prediction.
    assert.ok(Math.abs(e.bandwidth! / truth.bandwidth - 1) < 0.15, `bandwidth ${e.bandwidth}`);
    assert.ok(Math.abs(e.compute! / truth.compute - 1) < 0.1, `compute ${e.compute}`);
    assert.ok(e.stepOverheadMs! >= 0 && e.stepOverheadMs! < 4, `overhead ${e.stepOverheadMs}`);
    assert.ok(e.error!.heldOut!.after.tpotPct! < 3 && e.error!.heldOut!.after.ttftPct! < 3, JSON.stringify(e.error));
    assert.ok(e.error!.heldOut!.before.tpotPct! > 10, 'the built-in estimate was off before');
    assert.deepEqual(e.sources, runs.map((r) => r.file));
  });

  it('fits nothing it has no figure for, and holds none out below 3 runs', () => {
    const runs: CalibrationRun[] = [[1, 512, 128], [8, 1024, 256]].map(([c, i, o], k) => {
      const plan = deployment(c, i, o);
      return { file: `r${k}.json`, plan, measured: { tpotMs: latency(withFactors(plan, { bandwidth: 0.7 })).latency.tpotMs }, notes: [] };
    });
    const e = fitCalibration(runs, [], defaultDeps, 'd').groups[0].entry;
    assert.equal(e.compute, undefined);
    assert.equal(e.stepOverheadMs, undefined);
    assert.equal(e.error!.heldOut, undefined);
    assert.ok(Math.abs(e.bandwidth! / 0.7 - 1) < 0.05, `${e.bandwidth}`);
  });
});

describe('pairing a result with its deployment', () => {
  const result = (model: string, conc: number) => JSON.stringify({ backend: 'vllm', model_id: model, num_prompts: 10 * conc, max_concurrency: conc, random_input_len: 1024, random_output_len: 128, completed: 10 * conc, mean_ttft_ms: 50, mean_tpot_ms: 5 }, null, 2);
  const config = '# deploy-advisor: gpu=H200\nmodel: meta-llama/Llama-3.1-8B-Instruct\ntensor-parallel-size: 2\nmax-num-seqs: 64\n';
  const input = (file: string, text: string): CalibrationInput => {
    const measured = readMeasured(`file:///r/${file}`, text);
    return measured ? { file, measured, plans: [measured.plan] } : { file, plans: readText(`file:///r/${file}`, text).plans };
  };

  it('takes the config beside (or above) the result for what the result does not state, and the result\'s load', () => {
    const { runs, skipped } = calibrationRuns([input('a/vllm.yaml', config), input('a/c8.json', result('meta-llama/Llama-3.1-8B-Instruct', 8)), input('a/deeper/c16.json', result('/models/Llama-3.1-8B-Instruct', 16))]);
    assert.deepEqual(skipped, []);
    assert.equal(runs.length, 2);
    for (const r of runs) {
      assert.equal(r.configFile, 'a/vllm.yaml');
      assert.equal(r.plan.hardware.gpu.value, 'H200');
      assert.equal(r.plan.knobs.tensorParallel?.value, 2);
      assert.equal(r.plan.knobs.maxNumSeqs?.value, 64);
      assert.equal(r.plan.workload.inputLen.value, 1024);
    }
    assert.deepEqual(runs.map((r) => r.plan.workload.concurrency.value), [8, 16]);
    assert.equal(runs[0].plan.workload.client?.value.requests, 80);
  });

  it('skips, saying why, a result whose deployment nothing states (another model beside it, a config in a sibling folder)', () => {
    const { runs, skipped } = calibrationRuns([input('a/vllm.yaml', config), input('a/c8.json', result('Qwen/Qwen3-8B', 8)), input('b/c8.json', result('meta-llama/Llama-3.1-8B-Instruct', 8))]);
    assert.equal(runs.length, 0);
    assert.deepEqual(skipped.map((s) => s.file), ['a/c8.json', 'b/c8.json']);
    assert.ok(skipped.every((s) => /does not name its GPU/.test(s.why)));
  });
});

describe('writing the factors', () => {
  const entry: CalibrationEntry = { gpu: 'H200', engine: 'vllm', bandwidth: 1.1, compute: 0.7, sources: ['runs/a.json'], fitted: '2026-12-03', error: { fit: { before: { runs: 2, tpotPct: 12 }, after: { runs: 2, tpotPct: 3 } } } };

  it('adds a calibration list to a config, keeping its comments and keys, and the result validates', () => {
    const before = '# Our serving repo\nrules:\n  kv-cache-dtype: off # we want bf16 KV\ngpu: H200\n';
    const text = withCalibration(before, [entry]);
    assert.ok(text.startsWith('# Our serving repo\nrules:\n  kv-cache-dtype: off # we want bf16 KV\ngpu: H200\n'), text);
    const loaded = parseRepoConfig('/r/.deploy-advisor.yaml', text);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.calibration, { file: '/r/.deploy-advisor.yaml', entries: [entry] });
  });

  it('replaces the entry of the same GPU and engine and keeps the others', () => {
    const first = withCalibration(undefined, [entry, { ...entry, engine: 'sglang' }]);
    const second = withCalibration(first, [{ ...entry, bandwidth: 0.9 }]);
    const list = parse(second).calibration as CalibrationEntry[];
    assert.deepEqual(list.map((e) => [e.engine, e.bandwidth]), [['vllm', 0.9], ['sglang', 1.1]]);
  });

  it('a config can point at a calibration file instead; an invalid one is a problem, not silently nothing', () => {
    assert.equal(calibrationPointer('calibration: calib/h200.yaml\n'), 'calib/h200.yaml');
    assert.equal(calibrationPointer(withCalibration(undefined, [entry])), undefined);
    assert.deepEqual(parseCalibrationFile('/r/c.yaml', withCalibration(undefined, [entry])).calibration?.entries, [entry]);
    assert.match(parseCalibrationFile('/r/c.yaml', 'calibration: [{ gpu: H200, engine: vllm, bandwidth: 9 }]').problems[0], /must be <= 4/);
    assert.match(parseCalibrationFile('/r/c.yaml', undefined).problems[0], /could not be read/);
    assert.match(parseCalibrationFile('/r/c.yaml', 'gpu: H200\n').problems[0], /no calibration: list/);
  });
});
