import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { vllm } from '../../server/src/estimator/engines/vllm';
import type { ResolvedKnobs } from '../../server/src/estimator/engines/types';
import type { StepModel } from '../../server/src/estimator/latency';
import { simulateClosedLoop, SimulationLoad } from '../../server/src/estimator/scheduler';
import { describeClient, lengthFraction, resolveClient, weightedStatistic } from '../../server/src/estimator/benchmarkClient';
import { estimate } from '../../server/src/estimator/estimate';
import { applyFlags, parseArgs, main } from '../../server/src/cli';
import { readText } from '../../server/src/formats';
import { plan } from '../../bench/calibrationPlan';
import { BenchmarkClient, sourced } from '../../server/src/plan/types';
import { analyze } from '../../server/src/pipeline';
import { parseText } from '../../server/src/formats/document';
import { hover } from '../../server/src/lsp/hover';

/** 10 ms per step plus 1 µs per prompt token (scheduler.test.ts's toy): queueing is easy to read off it. */
const toy: StepModel = { computeDtype: 'bf16', step: (_d, _c, prefillTokens) => 0.01 + prefillTokens * 1e-6 };
const knobs: ResolvedKnobs = { gpuMemoryUtilization: 0.9, maxNumSeqs: 1024, maxNumBatchedTokens: 2048, chunkedPrefill: true, prefixCaching: false, blockSize: 16, cudaGraphs: true, overlapScheduling: false };
const sim = (load: Partial<SimulationLoad>) => simulateClosedLoop(toy, vllm, knobs, { inputLen: 2000, computedLen: 2000, outputLen: 64, concurrency: 16, rounds: 10, ...load });

describe('benchmark client: the closed-loop simulation', () => {
  it('first-wave burst: one wave of 16 prompts queues behind each other; more requests dilute it toward the steady state', () => {
    const wave = sim({ requests: 16 }).ttftSec;
    const ten = sim({ requests: 160 }).ttftSec;
    const staggered = sim({ requests: 16, arrivals: 'spread' }).ttftSec;
    // 16 prompts of 2000 tokens under a 2048-token budget: about one prompt per step, so the wave's mean waits ~8 steps.
    assert.ok(wave > 6 * 0.012, String(wave));
    assert.ok(ten < wave, `${ten} vs ${wave}`);
    assert.ok(staggered < wave / 3, `staggered ${staggered} vs together ${wave}`);
  });

  it('steady state: the figure converges as the request count grows, above a lone request', () => {
    const lengths = { lengthSpread: 0.8 };
    const t = [20, 40, 80, 160].map((perClient) => sim({ ...lengths, requests: 16 * perClient }).ttftSec);
    for (let i = 1; i < t.length; i++) assert.ok(t[i] <= t[i - 1] + 1e-9, t.join(' '));
    assert.ok(t[2] - t[3] < t[0] - t[1], `converging: ${t.join(' ')}`);
    const alone = sim({ concurrency: 1, requests: 10 }).ttftSec;
    assert.ok(t[3] > alone, `${t[3]} vs alone ${alone}`);
  });

  it('length spread: one client\'s mean TTFT lies between the short and the long extreme, monotone in r', () => {
    const at = (r: number) => sim({ concurrency: 1, requests: 40, lengthSpread: r }).ttftSec;
    const long = sim({ concurrency: 1, requests: 40 }).ttftSec;
    const short = simulateClosedLoop(toy, vllm, knobs, { inputLen: 1000, computedLen: 1000, outputLen: 32, concurrency: 1, rounds: 40 }).ttftSec;
    const rs = [0.5, 0.8, 0.9, 1];
    const t = rs.map(at);
    assert.ok(t[0] > short && t[0] < long, `${short} < ${t[0]} < ${long}`);
    for (let i = 1; i < t.length; i++) assert.ok(t[i] > t[i - 1], `monotone in r: ${t.join(' ')}`);
    assert.equal(t[3], long);
    // The quadrature's lengths average (1 + r)/2 of the label.
    const fr = Array.from({ length: 4000 }, (_, k) => lengthFraction(k, 0.8, 'input'));
    const mean = fr.reduce((a, b) => a + b, 0) / fr.length;
    assert.ok(Math.abs(mean - 0.9) < 0.005, String(mean));
    assert.ok(Math.min(...fr) >= 0.8 && Math.max(...fr) <= 1);
  });

  it('mean, median and p90 come out of the same per-request samples, ordered as a right-skewed burst makes them', () => {
    const load = { requests: 48, lengthSpread: 0.8 };
    const mean = sim({ ...load, statistic: 'mean' }).ttftSec;
    const median = sim({ ...load, statistic: 'median' }).ttftSec;
    const p90 = sim({ ...load, statistic: 'p90' }).ttftSec;
    assert.ok(median < mean && mean < p90, `median ${median}, mean ${mean}, p90 ${p90}`);
    assert.equal(weightedStatistic([{ value: 1, weight: 1 }, { value: 2, weight: 1 }, { value: 9, weight: 1 }], 'median'), 2);
    assert.equal(weightedStatistic([{ value: 1, weight: 3 }, { value: 5, weight: 1 }], 'mean'), 2);
    assert.equal(weightedStatistic(Array.from({ length: 10 }, (_, i) => ({ value: i, weight: 1 })), 'p90'), 8);
  });

  it('request count: N · C requests are simulated, fewer requests than clients leave that many in flight', () => {
    const fewer = estimateWith({ kind: 'closed-loop', requests: 4 }, 64);
    const four = estimateWith({ kind: 'closed-loop', requests: 4 }, 4);
    assert.equal(fewer.latency.ttftMs, four.latency.ttftMs);
    // One wave of 16 and 1.5 waves: the half wave after the first queues less, so the mean falls.
    const one = sim({ requests: 16 });
    const oneAndHalf = sim({ requests: 24 });
    assert.ok(oneAndHalf.ttftSec < one.ttftSec, `${oneAndHalf.ttftSec} vs ${one.ttftSec}`);
  });

  it('the default workload is exactly the client of 10 × C requests, exact lengths, the mean', () => {
    const d = sim({});
    const c = sim({ requests: 160, lengthSpread: 1, statistic: 'mean' });
    assert.deepEqual(d, c);
    const none = estimateWith(undefined, 32);
    const ten = estimateWith({ kind: 'closed-loop', requests: 320 }, 32);
    assert.equal(none.latency.ttftMs, ten.latency.ttftMs);
    assert.equal(none.latency.tpotMs, ten.latency.tpotMs);
  });
});

function estimateWith(client: BenchmarkClient | undefined, conc: number, model = 'Qwen/Qwen2.5-7B-Instruct') {
  const p = plan(model, 'H100-SXM', 'vllm', '0.11', {}, { isl: 2048, osl: 256, conc });
  if (client) p.workload.client = sourced(client, { kind: 'cli', flag: '--benchmark' });
  const r = estimate(p);
  assert.ok(r.ok, JSON.stringify(r));
  return r.estimate;
}

describe('benchmark client: presets, warm-ups and the stated assumption', () => {
  it('vllm bench serve: 1000 prompts by default, the mean; aiperf: 10 requests', () => {
    assert.equal(resolveClient({ kind: 'closed-loop', preset: 'vllm-bench' }, 64).requests, 1000);
    assert.equal(resolveClient({ kind: 'closed-loop', preset: 'aiperf' }, 64).requests, 10);
    assert.equal(resolveClient(undefined, 64).requests, 640);
    assert.equal(resolveClient({ kind: 'closed-loop', preset: 'vllm-bench', statistic: 'p90' }, 8).statistic, 'p90');
  });

  it('warm-ups are a phase of their own: excluded, the measured run still starts with its wave', () => {
    const base: BenchmarkClient = { kind: 'closed-loop', preset: 'vllm-bench', requests: 640, lengthSpread: 0.8 };
    const cold = estimateWith(base, 64);
    const warm = estimateWith({ ...base, warmup: 128 }, 64);
    assert.equal(warm.latency.ttftMs, cold.latency.ttftMs);
    const line = warm.assumptions.find((a) => a.includes('vllm bench serve'));
    assert.ok(line, warm.assumptions.join('\n'));
    assert.match(line!, /640 request\(s\) at concurrency 64, lengths 0\.8–1\.0 × L.*128 warm-up\(s\) excluded.*mean/);
    assert.equal(describeClient(resolveClient({ kind: 'closed-loop', preset: 'aiperf', requests: 50 }, 8), 8).startsWith('aiperf: 50 request(s) at concurrency 8'), true);
  });

  it('a spread client simulates no more rounds than the cap (the work per estimate stays bounded; timings are npm run bench\'s)', () => {
    // The step count is the work an estimate does; a 1000-request client capped at 2 simulated rounds costs what 2 do.
    const capped = sim({ requests: 1000, lengthSpread: 0.8, statistic: 'median', simulatedRounds: 2 });
    const two = sim({ rounds: 2, lengthSpread: 0.8, statistic: 'median' });
    const all = sim({ requests: 1000, lengthSpread: 0.8, statistic: 'median' });
    assert.ok(capped.steps <= two.steps * 1.05, `${capped.steps} steps capped vs ${two.steps} for two rounds`);
    assert.ok(all.steps > 5 * capped.steps, `${all.steps} steps uncapped`);
  });
});

describe('benchmark client: inputs', () => {
  it('CLI flags reach the plan', () => {
    const p = plan('Qwen/Qwen2.5-7B-Instruct', 'H100-SXM', 'vllm', '0.11', {}, { isl: 1024, osl: 256, conc: 64 });
    applyFlags(p, parseArgs(['--benchmark', 'vllm-bench', '--num-prompts', '640', '--random-range-ratio', '0.8', '--num-warmups', '128', '--statistic', 'median']).flags);
    assert.deepEqual(p.workload.client?.value, { kind: 'closed-loop', preset: 'vllm-bench', requests: 640, warmup: 128, lengthSpread: 0.8, statistic: 'median' });
    assert.deepEqual(p.workload.client?.source, { kind: 'cli', flag: '--benchmark' });
  });

  it('invalid CLI values are usage errors (exit 2), not crashes', async () => {
    const p = () => plan('Qwen/Qwen2.5-7B-Instruct', 'H100-SXM', 'vllm', '0.11', {}, { isl: 1024, osl: 256, conc: 64 });
    for (const args of [['--benchmark', 'locust'], ['--statistic', 'p99'], ['--random-range-ratio', '1.5'], ['--num-prompts', '0'], ['--num-warmups', '-1']]) {
      assert.throws(() => applyFlags(p(), parseArgs(args).flags), /must be/, args.join(' '));
    }
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      assert.equal(await main(['estimate', 'Qwen/Qwen2.5-7B-Instruct', '--statistic', 'p99']), 2);
    } finally {
      process.stderr.write = write;
    }
  });

  const profile = (client: string) => readText('file:///w/x.deploy.yaml', `model: Qwen/Qwen2.5-7B-Instruct\nhardware:\n  gpu: H100-SXM\nworkload:\n  inputLen: 1024\n  outputLen: 256\n  concurrency: 64\n  client:${client}\n`);

  it('profile keys parse: a preset name or its settings', () => {
    const byName = profile(' vllm-bench');
    assert.deepEqual(byName.problems, []);
    assert.equal(byName.plans[0].workload.client?.value.preset, 'vllm-bench');
    const full = profile('\n    preset: aiperf\n    requests: 640\n    warmup: 128\n    lengthSpread: 0.8\n    statistic: p90\n    firstWave: staggered');
    assert.deepEqual(full.problems, []);
    assert.deepEqual(full.plans[0].workload.client?.value, { kind: 'closed-loop', preset: 'aiperf', requests: 640, warmup: 128, lengthSpread: 0.8, statistic: 'p90', firstWave: 'staggered' });
    assert.equal(full.plans[0].workload.client?.source.kind, 'file');
  });

  it('profile values out of range are diagnostics on their node; the rest of the client still applies', () => {
    const bad = profile('\n    requests: 0\n    lengthSpread: 1.5\n    statistic: p99');
    const codes = bad.problems.map((p) => `${p.code} ${p.message} @${p.range.start.line}`);
    assert.equal(bad.problems.length, 3, codes.join('\n'));
    assert.ok(bad.problems.every((p) => p.code === 'schema' && p.severity === 'error'), codes.join('\n'));
    assert.deepEqual(bad.problems.map((p) => p.range.start.line).sort((a, b) => a - b), [8, 9, 10]);
    assert.deepEqual(bad.plans[0].workload.client?.value, { kind: 'closed-loop', preset: undefined, requests: undefined, warmup: undefined, lengthSpread: undefined, statistic: undefined, firstWave: undefined });
    const name = profile(' locust');
    assert.equal(name.problems.length, 1, JSON.stringify(name.problems));
    assert.match(name.problems[0].message, /vllm-bench, aiperf/);
    assert.equal(name.plans[0].workload.client, undefined);
    // And the estimate still runs.
    assert.ok(estimate(bad.plans[0]).ok);
  });

  it('a # deploy-advisor: directive names the client', () => {
    const r = readText('file:///w/serve.yaml', '# deploy-advisor: gpu=H100-SXM concurrency=64 benchmark=vllm-bench\nmodel: Qwen/Qwen2.5-7B-Instruct\nmax-num-seqs: 128\n');
    assert.equal(r.plans[0]?.workload.client?.value.preset, 'vllm-bench');
  });

  it('the hover on workload.client answers what the client would report', () => {
    const text = 'model: Qwen/Qwen2.5-7B-Instruct\nhardware:\n  gpu: H100-SXM\nworkload:\n  concurrency: 64\n  client:\n    preset: vllm-bench\n    requests: 640\n';
    const a = analyze('file:///w/x.deploy.yaml', text);
    const h = hover(parseText('file:///w/x.deploy.yaml', text), a, { line: 5, character: 3 });
    const value = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    assert.match(value, /vllm bench serve: 640 request\(s\) at concurrency 64.*→ TTFT \d+ ms, TPOT [\d.]+ ms/);
  });
});
