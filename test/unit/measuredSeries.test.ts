/** The report's "Measured" section: which result files belong to a deployment, and predictions that are the estimator's. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { readTarget } from '../../server/src/cli/target';
import { estimate } from '../../server/src/estimator/estimate';
import { readText } from '../../server/src/formats';
import { measuredSeries } from '../../server/src/measured/series';
import { gatherMeasured } from '../../server/src/node/measuredResults';
import { evaluate } from '../../server/src/pipeline';
import { DeploymentPlan, sourced } from '../../server/src/plan/types';
import { fixture } from '../support/paths';

const config = fixture('measured', 'gpt-oss-120b-h200-tp8', 'vllm-config.yaml');
const deployment = () => evaluate(readTarget(config)).workloads[0];
const round = (x: number) => Math.round(x * 100) / 100;

describe('measured series', () => {
  it('pairs the vllm bench results beside the config and leaves out the TP 4 result below it', () => {
    const input = gatherMeasured(config);
    assert.deepEqual(input.sources.map((s) => s.path).sort(), ['other-tp/inferencex-tp4-c8.json', 'vllm-bench-c16.json', 'vllm-bench-c32.json', 'vllm-bench-c4.json', 'vllm-bench-c8.json']);
    const w = deployment();
    const m = measuredSeries(w.plan, w.estimate!, input)!;
    assert.ok(m, 'a section');
    assert.deepEqual(m.points.map((p) => [p.concurrency, m.sources[p.source].path]), [[4, 'vllm-bench-c4.json'], [8, 'vllm-bench-c8.json'], [16, 'vllm-bench-c16.json'], [32, 'vllm-bench-c32.json']]);
    assert.equal(m.excluded, 1);
    assert.ok(m.notes.some((n) => /1 result\(s\) of other deployments/.test(n)), m.notes.join(' | '));
    // The files state the means, nothing else; vllm bench names neither the GPU nor the TP, which the note says.
    const c16 = JSON.parse(fs.readFileSync(fixture('measured', 'gpt-oss-120b-h200-tp8', 'vllm-bench-c16.json'), 'utf8'));
    const p16 = m.points[2];
    assert.deepEqual([p16.ttftMs!.measured, p16.tpotMs!.measured, p16.outputTokensPerSec], [round(c16.mean_ttft_ms), round(c16.mean_tpot_ms), undefined]);
    assert.deepEqual([p16.inputLen, p16.outputLen, p16.requests, p16.statistic], [8192, 1024, 160, 'mean']);
    assert.ok(p16.notes.some((n) => /does not state the tensor parallelism and the GPU/.test(n)), p16.notes.join(' | '));
  });

  it('a result below another config of its model is that config\'s; one below no config is the file\'s', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-measured-'));
    const src = fixture('measured', 'gpt-oss-120b-h200-tp8');
    fs.copyFileSync(path.join(src, 'vllm-config.yaml'), path.join(dir, 'vllm-config.yaml'));
    fs.mkdirSync(path.join(dir, 'tp4', 'runs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tp4', 'vllm-config.yaml'), 'model: openai/gpt-oss-120b\ntensor-parallel-size: 4\n');
    fs.copyFileSync(path.join(src, 'vllm-bench-c4.json'), path.join(dir, 'tp4', 'runs', 'vllm-bench-c4.json'));
    fs.mkdirSync(path.join(dir, 'sweep'));
    fs.copyFileSync(path.join(src, 'vllm-bench-c8.json'), path.join(dir, 'sweep', 'vllm-bench-c8.json'));
    const input = gatherMeasured(path.join(dir, 'vllm-config.yaml'));
    assert.deepEqual(input.sources.map((s) => s.path), ['sweep/vllm-bench-c8.json']);
    assert.deepEqual(input.notes, ['tp4/runs/vllm-bench-c4.json is left to tp4/vllm-config.yaml, the config of its model nearer to it']);
    // From the TP 4 config's side the same result is its own.
    assert.deepEqual(gatherMeasured(path.join(dir, 'tp4', 'vllm-config.yaml')).sources.map((s) => s.path), ['runs/vllm-bench-c4.json']);
  });

  it('predicts each point with the estimator: the config at the result\'s concurrency, lengths and client', () => {
    const w = deployment();
    const m = measuredSeries(w.plan, w.estimate!, gatherMeasured(config))!;
    const at = { kind: 'inferred' as const, note: 'test' };
    for (const p of m.points) {
      const plan: DeploymentPlan = {
        ...w.plan,
        workload: {
          ...w.plan.workload,
          concurrency: sourced(p.concurrency, at),
          inputLen: sourced(8192, at),
          outputLen: sourced(1024, at),
          client: sourced({ kind: 'closed-loop', preset: 'vllm-bench', requests: 10 * p.concurrency, statistic: 'mean', firstWave: 'together' }, at),
        },
      };
      const r = estimate(plan);
      assert.ok(r.ok);
      assert.equal(p.ttftMs!.predicted, round(r.estimate.latency.ttftMs), `TTFT at C=${p.concurrency}`);
      assert.equal(p.tpotMs!.predicted, round(r.estimate.latency.tpotMs), `TPOT at C=${p.concurrency}`);
      const err = (100 * (r.estimate.latency.ttftMs - p.ttftMs!.measured)) / p.ttftMs!.measured;
      assert.ok(Math.abs(p.ttftMs!.errorPct - err) <= 0.1, `TTFT error ${p.ttftMs!.errorPct} vs ${err}`);
    }
    // The predictions move with the load: they are not the deployment's own operating point repeated.
    assert.ok(m.points[3].ttftMs!.predicted > m.points[0].ttftMs!.predicted);
  });

  it('no section when the only result serves another model', () => {
    const text = fs.readFileSync(fixture('measured', 'gpt-oss-120b-h200-tp8', 'vllm-bench-c8.json'), 'utf8').replace(/openai\/gpt-oss-120b/g, 'openai/gpt-oss-20b');
    const run = readText(pathToFileURL('/tmp/other-model.json').href, text).measured!;
    assert.equal(run.kind, 'benchmark-result');
    const w = deployment();
    assert.equal(measuredSeries(w.plan, w.estimate!, { sources: [{ path: 'other-model.json', run }] }), undefined);
  });
});
