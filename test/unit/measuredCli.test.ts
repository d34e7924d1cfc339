/** `deploy-advisor estimate <log or result> --json`: the usual estimate plus the `measured` block (a public contract). */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { dist, fixture } from '../support/paths';

const run = (...args: string[]) => spawnSync(process.execPath, [dist('cli.js'), ...args], { encoding: 'utf8' });
const GiB = 2 ** 30;

describe('estimate on a log or benchmark result', () => {
  it('a vLLM startup log: the estimate of the config it states, and what it measured', () => {
    const r = run('estimate', fixture('logs', 'vllm-v1-0.19-llama-3.1-8b-tp2.log'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['model', 'hardware', 'serving', 'memory', 'latency', 'assumptions', 'findings', 'verdict', 'measured']);
    assert.deepEqual(j.measured, {
      engine: 'vllm', engineVersion: '0.19.0', weightsBytesPerGpu: Math.round(7.51 * GiB), kvPoolBytesPerGpu: Math.round(63.76 * GiB), kvCapacityTokens: 1_044_688, maxConcurrency: 127.53,
    });
    // The estimate is of the logged configuration: TP 2, utilization 0.95, 8192 tokens.
    assert.deepEqual([j.serving.tensorParallel, j.serving.gpuMemoryUtilization, j.serving.maxModelLen, j.model.id], [2, 0.95, 8192, 'meta-llama/Llama-3.1-8B-Instruct']);
    assert.ok(Math.abs(j.memory.kvCapacityTokens / 1_044_688 - 1) < 0.03, String(j.memory.kvCapacityTokens));
    assert.ok(j.assumptions.some((a: string) => /does not name the GPU|not the GPU/.test(a)), 'the assumed GPU is stated');
  });

  it('a benchmark result: --gpu and --tensor-parallel say what it ran on; absent fields are left out', () => {
    const r = run('estimate', fixture('results', 'vllm-bench-gpt-oss-120b-c16.json'), '--json', '--gpu', 'H200', '--tensor-parallel', '8');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.measured, { engine: 'vllm', ttftMs: 217.09518690477125, tpotMs: 5.616047061092451 });
    assert.deepEqual([j.hardware.gpu, j.serving.tensorParallel], ['H200', 8]);
    assert.ok(j.latency.ttftMs > 0 && j.latency.tpotMs > 0);
  });

  it('a result whose model is unknown still prints what it measured (exit 2: no estimate)', () => {
    const r = run('estimate', fixture('results', 'profile_export_genai_perf.csv'), '--json');
    assert.equal(r.status, 2);
    const j = JSON.parse(r.stdout);
    assert.match(j.error, /Unknown model/);
    assert.deepEqual(j.measured, { engine: 'vllm', ttftMs: 45.12, tpotMs: 7.91, outputTokensPerSec: 1234.56 });
  });

  it('the Markdown estimate of a log reads like any other', () => {
    const r = run('estimate', fixture('logs', 'sglang-0.4-llama-3.1-8b.log'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /meta-llama\/Llama-3\.1-8B-Instruct/);
  });
});
