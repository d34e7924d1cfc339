/**
 * Engine logs and benchmark results (issue 23): every figure each fixture reports, with its 1-based line (as the
 * editor counts lines: a progress bar's lone \r breaks a line too), the configuration it states with the line of each
 * value, the warnings it logged — and files that are neither read as nothing.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readMeasured } from '../../server/src/formats/logs';
import { TAIL_LINES } from '../../server/src/formats/logs/lines';
import type { FigureName, MeasuredRun } from '../../server/src/formats/logs/types';
import { readText } from '../../server/src/formats';
import { fixture } from '../support/paths';

const GiB = 2 ** 30;

function read(rel: string): { run: MeasuredRun; lines: string[] } {
  const text = fs.readFileSync(fixture(rel), 'utf8');
  const run = readMeasured(`file:///fixtures/${rel}`, text);
  assert.ok(run, `${rel} is read`);
  return { run, lines: text.split(/\r\n|\r|\n/) };
}

/** Each figure: its value and line; and the range on that line holds the number as written. */
function figures(rel: string, expected: Partial<Record<FigureName, [number, number]>>): MeasuredRun {
  const { run, lines } = read(rel);
  const got = Object.fromEntries(run.figures.map((f) => [f.name, [f.value, f.line]]));
  assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort(), `${rel}: figures read`);
  for (const [name, [value, line]] of Object.entries(expected) as Array<[FigureName, [number, number]]>) {
    const f = run.figures.find((x) => x.name === name)!;
    assert.equal(f.line, line, `${rel} ${name} line`);
    assert.ok(Math.abs(f.value - value) <= Math.abs(value) * 1e-9, `${rel} ${name}: ${f.value} ≠ ${value}`);
    assert.equal(f.range.start.line, line - 1, `${rel} ${name}: range on its line`);
    const written = lines[line - 1].slice(f.range.start.character, f.range.end.character).replace(/,/g, '');
    // The number as written (SGLang's pool, K + V, spans both sizes).
    assert.ok(/^[\d.]+$/.test(written) || (name === 'kvPoolBytesPerGpu' && /^[\d.]+ GB V size: [\d.]+$/.test(written)), `${rel} ${name}: range holds "${written}"`);
  }
  return run;
}

/** Knob → [value, 1-based line]. */
function knobs(run: MeasuredRun): Record<string, [unknown, number | string]> {
  return Object.fromEntries(Object.entries(run.plan.knobs).map(([k, s]) => {
    const src = (s as { source: { kind: string; range?: { start: { line: number } } } }).source;
    return [k, [(s as { value: unknown }).value, src.range ? src.range.start.line + 1 : src.kind]];
  }));
}

describe('vLLM logs', () => {
  it('V1 (0.19, real lines, TP 2): config dump, memory figures, each on its line', () => {
    const run = figures('logs/vllm-v1-0.19-llama-3.1-8b-tp2.log', {
      gpuTotalBytes: [79.19 * GiB, 8], weightsBytesPerGpu: [7.51 * GiB, 11], kvPoolBytesPerGpu: [63.76 * GiB, 15],
      kvCapacityTokens: [1_044_688, 16], maxConcurrency: [127.53, 17], cudaGraphBytesPerGpu: [0.76 * GiB, 22],
    });
    assert.equal(run.format, 'vllm-log');
    assert.equal(run.engine, 'vllm');
    assert.deepEqual([run.engineVersion?.value, run.engineVersion?.line], ['0.19.0', 2]);
    assert.deepEqual([run.plan.model.ref.value, (run.plan.model.ref.source as { range: { start: { line: number } } }).range.start.line + 1], ['meta-llama/Llama-3.1-8B-Instruct', 3]);
    // non-default args (line 3) first; the scheduler's line (6) and the engine's dump (7) fill the rest.
    assert.deepEqual(knobs(run), {
      maxModelLen: [8192, 3], tensorParallel: [2, 3], gpuMemoryUtilization: [0.95, 3], enablePrefixCaching: [false, 3], maxNumBatchedTokens: [8192, 6],
      dtype: ['bfloat16', 7], pipelineParallel: [1, 7], dataParallel: [1, 7], enforceEager: [false, 7], kvCacheDtype: ['auto', 7], enableChunkedPrefill: [true, 7],
    });
    assert.equal(run.plan.engine.version?.value, '0.19.0');
    assert.equal(run.plan.hardware.gpu.value, 'H100-SXM');
    assert.match(run.assumptions.join('\n'), /79\.19 GiB of device memory but not the GPU/);
    assert.deepEqual(run.events, []);
  });

  it('what kubectl logs --prefix --timestamps prints, ANSI colours included: same figures, ranges in the raw line', () => {
    const run = figures('logs/vllm-v1-kubectl-codellama-7b.log', {
      gpuTotalBytes: [79.19 * GiB, 5], weightsBytesPerGpu: [12.56 * GiB, 6], kvPoolBytesPerGpu: [61.66 * GiB, 9],
      kvCapacityTokens: [126_256, 10], maxConcurrency: [15.41, 11], cudaGraphBytesPerGpu: [0.89 * GiB, 12],
    });
    assert.equal(run.plan.model.ref.value, 'codellama/CodeLlama-7b-hf');
    assert.equal(run.engineVersion?.value, '0.19.0');
    // The metrics lines at 100 % KV cache usage (15 and 16), not the one at 93.8 % (14).
    assert.deepEqual(run.events.map((e) => [e.kind, e.line, e.count, e.lastLine]), [['kv-cache-full', 15, 2, 16]]);
    assert.ok(!run.events[0].text.includes('\x1b') && !run.events[0].text.startsWith('[pod/'), run.events[0].text);
  });

  it('V0 (0.5.3): Namespace args, "Loading model weights took … GB", # GPU blocks × block size, preemption warnings', () => {
    const run = figures('logs/vllm-v0-0.5.3-llama-3-8b.log', {
      weightsBytesPerGpu: [14.9595 * GiB, 6], gpuBlocks: [27_937, 7], kvCapacityTokens: [27_937 * 16, 7],
    });
    assert.deepEqual([run.engineVersion?.value, run.engineVersion?.line], ['0.5.3.post1', 1]);
    assert.equal(run.plan.model.ref.value, 'meta-llama/Meta-Llama-3-8B-Instruct');
    const k = knobs(run);
    assert.deepEqual([k.maxModelLen, k.gpuMemoryUtilization, k.maxNumSeqs, k.blockSize, k.enableChunkedPrefill], [[8192, 2], [0.9, 2], [256, 2], [16, 2], [false, 2]]);
    assert.deepEqual(run.events.map((e) => [e.kind, e.line, e.count, e.lastLine]), [['preemption', 17, 2, 19], ['kv-cache-full', 18, 1, 18], ['chunked-prefill-off', 2, 1, 2]]);
  });
});

describe('vLLM 0.6–0.8 memory lines', () => {
  it('"Memory profiling results: … kv_cache_size=", "the rest of the memory reserved for KV Cache is", "Model loading took … GB"', () => {
    const v064 = [
      "INFO 11-20 10:00:01 llm_engine.py:249] Initializing an LLM engine (v0.6.4.post1) with config: model='meta-llama/Llama-3.1-8B-Instruct', dtype=torch.bfloat16, max_seq_len=8192, tensor_parallel_size=1, pipeline_parallel_size=1, quantization=None, enforce_eager=False, kv_cache_dtype=auto, enable_prefix_caching=False",
      'INFO 11-20 10:00:09 model_runner.py:1077] Loading model weights took 14.9888 GB',
      'INFO 11-20 10:00:12 worker.py:232] Memory profiling results: duration=3.05 seconds, total_gpu_memory=79.22GiB, initial_memory_usage=15.49GiB, peak_torch_memory=16.26GiB, memory_usage_post_profile=15.57GiB, non_torch_memory=0.08GiB, kv_cache_size=55.04GiB, gpu_memory_utilization=0.90.',
      'INFO 11-20 10:00:12 gpu_executor.py:113] # GPU blocks: 28180, # CPU blocks: 2048',
      'INFO 11-20 10:00:12 gpu_executor.py:117] Maximum concurrency for 8192 tokens per request: 55.04x',
    ].join('\n');
    const a = readMeasured('file:///x/v064.log', v064)!;
    assert.deepEqual(a.figures.map((f) => [f.name, +f.value.toFixed(4), f.line]), [['weightsBytesPerGpu', +(14.9888 * GiB).toFixed(4), 2], ['gpuTotalBytes', +(79.22 * GiB).toFixed(4), 3], ['kvPoolBytesPerGpu', +(55.04 * GiB).toFixed(4), 3], ['gpuBlocks', 28180, 4], ['maxConcurrency', 55.04, 5], ['kvCapacityTokens', 28180 * 16, 4]]);
    assert.deepEqual([a.engineVersion?.value, a.plan.knobs.gpuMemoryUtilization?.value], ['0.6.4.post1', 0.9]);
    const v080 = [
      'INFO 03-10 10:00:00 api_server.py:912] vLLM API server version 0.8.0',
      'INFO 03-10 10:00:08 model_runner.py:1110] Model loading took 14.9889 GB and 4.86 seconds',
      'INFO 03-10 10:00:12 worker.py:267] the current vLLM instance can use total_gpu_memory (79.22GiB) x gpu_memory_utilization (0.92) = 72.88GiB',
      'INFO 03-10 10:00:12 worker.py:267] model weights take 14.99GiB; non_torch_memory takes 0.19GiB; PyTorch activation peak memory takes 1.20GiB; the rest of the memory reserved for KV Cache is 56.50GiB.',
    ].join('\n');
    const b = readMeasured('file:///x/v080.log', v080)!;
    assert.deepEqual(b.figures.map((f) => [f.name, f.line]), [['weightsBytesPerGpu', 2], ['gpuTotalBytes', 3], ['kvPoolBytesPerGpu', 4]]);
    assert.deepEqual([b.engineVersion?.value, b.plan.knobs.gpuMemoryUtilization?.value], ['0.8.0', 0.92]);
  });
});

describe('SGLang, TensorRT-LLM and TGI logs', () => {
  it('SGLang: ServerArgs dump, Load weight end, KV Cache is allocated (K + V), retraction and full pool', () => {
    const run = figures('logs/sglang-0.4-llama-3.1-8b.log', {
      weightsBytesPerGpu: [15.11 * GiB, 4], kvCapacityTokens: [442_750, 5], kvPoolBytesPerGpu: [(27.02 + 27.02) * GiB, 5], cudaGraphBytesPerGpu: [0.68 * GiB, 8],
    });
    assert.equal(run.engine, 'sglang');
    assert.equal(run.plan.model.ref.value, 'meta-llama/Llama-3.1-8B-Instruct');
    const k = knobs(run);
    assert.deepEqual([k.gpuMemoryUtilization, k.tensorParallel, k.maxNumBatchedTokens, k.cudaGraphMaxBatch], [[0.88, 1], [1, 1], [8192, 1], [160, 1]]);
    assert.deepEqual(run.events.map((e) => [e.kind, e.line]), [['kv-cache-full', 13], ['preemption', 14]]);
  });

  it('TensorRT-LLM (PyTorch backend): TorchLlmArgs with kv_cache_config, weights, [MemUsageChange] pool and tokens', () => {
    const run = figures('logs/trtllm-1.0-llama-3.1-8b.log', {
      weightsBytesPerGpu: [15.02 * GiB, 4], gpuTotalBytes: [79.19 * GiB, 7], gpuBlocks: [13_427, 8], kvPoolBytesPerGpu: [52.45 * GiB, 11], kvCapacityTokens: [429_664, 11],
    });
    assert.deepEqual([run.engine, run.engineVersion?.value], ['trtllm', '1.0.0']);
    const k = knobs(run);
    assert.deepEqual([k.gpuMemoryUtilization, k.maxNumSeqs, k.maxNumBatchedTokens, k.maxModelLen, k.enableChunkedPrefill], [[0.85, 3], [256, 3], [8192, 3], [8192, 3], [false, 3]]);
  });

  it('TGI: pretty-printed Args (Some(…) over three lines), the GPU from nvidia-smi, max batch total tokens', () => {
    const run = figures('logs/tgi-2.0-llama-3-8b.log', { kvCapacityTokens: [40_976, 51] });
    assert.equal(run.engine, 'tgi');
    assert.equal(run.plan.model.ref.value, 'meta-llama/Meta-Llama-3-8B-Instruct');
    assert.deepEqual([run.plan.hardware.gpu.value, run.plan.hardware.gpu.source.kind], ['L4', 'file']);
    const k = knobs(run);
    assert.deepEqual([k.maxModelLen, k.maxNumBatchedTokens, k.gpuMemoryUtilization], [[8192, 35], [4146, 39], [1, 47]]);
  });
});

describe('benchmark results', () => {
  it('vllm bench / benchmark_serving.py JSON: mean TTFT/TPOT, and the load it ran as the plan\'s workload', () => {
    const run = figures('results/vllm-bench-gpt-oss-120b-c16.json', { ttftMs: [217.09518690477125, 13], tpotMs: [5.616047061092451, 14] });
    assert.equal(run.format, 'vllm-bench');
    assert.deepEqual(run.load, { inputLen: 8192, outputLen: 1024, concurrency: 16, requests: 160 });
    const w = run.plan.workload;
    assert.deepEqual([w.inputLen.value, w.outputLen.value, w.concurrency.value, w.client?.value.preset, w.client?.value.requests], [8192, 1024, 16, 'vllm-bench', 160]);
    assert.equal((w.concurrency.source as { range: { start: { line: number } } }).range.start.line + 1, 9);
    assert.equal(run.plan.model.ref.value, 'openai/gpt-oss-120b');
    assert.match(run.assumptions.join('\n'), /does not name the GPU/);
  });

  it('every statistic of a full vllm bench result, with request_rate and throughput', () => {
    const text = JSON.stringify({ backend: 'sglang', model_id: 'meta-llama/Llama-3.1-8B-Instruct', num_prompts: 100, request_rate: 4, max_concurrency: null, completed: 100, total_input_tokens: 102400, total_output_tokens: 12800, request_throughput: 3.9, output_throughput: 500.5, mean_ttft_ms: 50, median_ttft_ms: 45, p99_ttft_ms: 120, mean_tpot_ms: 9, median_tpot_ms: 8.5, p99_tpot_ms: 12, mean_itl_ms: 9.1, median_itl_ms: 8, p99_itl_ms: 30 }, null, 1);
    const run = readMeasured('file:///r.json', text)!;
    assert.equal(run.engine, 'sglang');
    const v = Object.fromEntries(run.figures.map((f) => [f.name, f.value]));
    assert.deepEqual(v, { ttftMs: 50, ttftMedianMs: 45, ttftP99Ms: 120, tpotMs: 9, tpotMedianMs: 8.5, tpotP99Ms: 12, itlMs: 9.1, itlMedianMs: 8, itlP99Ms: 30, outputTokensPerSec: 500.5, requestsPerSec: 3.9 });
    const lines = text.split('\n');
    for (const f of run.figures) assert.match(lines[f.line - 1], new RegExp(`"\\w+": ${String(f.value).replace('.', '\\.')},?$`), f.name);
    assert.deepEqual(run.load, { inputLen: 1024, outputLen: 128, requestRate: 4, requests: 100 });
    assert.equal(run.plan.workload.requestRate?.value, 4);
  });

  it('InferenceX result JSON: seconds → ms, TP and GPU, engine version from the image tag', () => {
    const run = figures('results/inferencex-gpt-oss-120b-h200-c4.json', { ttftMs: [46.135656180558726, 1], tpotMs: [3.9126093514655738, 1] });
    assert.equal(run.format, 'inferencex');
    assert.equal(run.engineVersion?.value, '0.18.0');
    assert.deepEqual([run.plan.hardware.gpu.value, run.plan.knobs.tensorParallel?.value], ['H200', 4]);
    assert.equal(run.plan.workload.client?.value.lengthSpread, 0.8);
    assert.deepEqual(run.load, { inputLen: 1024, outputLen: 8192, concurrency: 4, requests: 40 });
  });

  it('aiperf JSON export: records.time_to_first_token / inter_token_latency and the nested input_config', () => {
    const run = figures('results/profile_export_aiperf.json', { ttftMs: [154.2481599, 3], tpotMs: [18.0370482875, 4], itlMs: [18.0370482875, 4] });
    assert.equal(run.format, 'aiperf');
    assert.equal(run.plan.model.ref.value, 'Qwen/Qwen3-32B');
    assert.deepEqual(run.load, { inputLen: 1024, outputLen: 128, concurrency: 8, requests: 80 });
    assert.equal(run.plan.workload.client?.value.preset, 'aiperf');
  });

  it('genai-perf JSON (flat input_config, seconds) and CSV exports', () => {
    const json = readMeasured('file:///profile_export_genai_perf.json', JSON.stringify({ time_to_first_token: { unit: 's', avg: 0.2, p50: 0.15, p99: 0.6 }, inter_token_latency: { unit: 'ms', avg: 12 }, output_token_throughput: { unit: 'tokens/sec', avg: 900 }, input_config: { model: ['Qwen/Qwen3-8B'], concurrency: 16, synthetic_input_tokens_mean: 512, output_tokens_mean: 128 } }))!;
    assert.equal(json.format, 'genai-perf');
    assert.deepEqual(Object.fromEntries(json.figures.map((f) => [f.name, f.value])), { ttftMs: 200, ttftMedianMs: 150, ttftP99Ms: 600, tpotMs: 12, itlMs: 12, outputTokensPerSec: 900 });
    assert.deepEqual(json.load, { inputLen: 512, outputLen: 128, concurrency: 16 });
    const run = figures('results/profile_export_genai_perf.csv', {
      ttftMs: [45.12, 2], ttftMedianMs: [43, 2], ttftP99Ms: [92.1, 2], tpotMs: [7.91, 3], tpotMedianMs: [7.85, 3], tpotP99Ms: [9.21, 3], itlMs: [7.91, 3], outputTokensPerSec: [1234.56, 9], requestsPerSec: [6.17, 10],
    });
    assert.equal(run.format, 'genai-perf');
  });
});

describe('files that are neither', () => {
  it('every serving fixture reads exactly as before: no reader of logs or results claims it', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of fs.readdirSync(dir)) {
        const p = path.join(dir, f);
        if (fs.statSync(p).isDirectory()) {
          if (!['logs', 'results', 'calibration-runs', 'measured'].includes(f)) walk(p);
        } else files.push(p);
      }
    };
    walk(fixture());
    assert.ok(files.length > 50, `${files.length} fixtures`);
    const claimed = files.filter((f) => readMeasured(`file://${f}`, fs.readFileSync(f, 'utf8')));
    assert.deepEqual(claimed, []);
  });

  it('a harness summary JSON, plain text, a YAML that quotes a log line in a comment, a CSV of something else: nothing', () => {
    const summary = JSON.stringify({ model: 'Qwen/Qwen3-14B', vllm_args: { tensor_parallel_size: 1 }, kv_cache_tokens: 274848, max_concurrency: 33.55 });
    for (const [name, text] of [
      ['summary.json', summary],
      ['notes.txt', 'The engine said: we saw GPU memory go up.\nNothing else here.\n'],
      ['vllm.yaml', '# INFO Model loading took 14.99 GiB and 5 seconds\n# GPU KV cache size: 476,208 tokens\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 8192\n'],
      ['data.csv', 'Metric,Value\nrows,10\n'],
      ['array.json', '[{"mean_ttft_ms": 1}]'],
    ]) assert.equal(readMeasured(`file:///x/${name}`, text), undefined, name);
    assert.equal(readText('file:///x/vllm.yaml', '# GPU KV cache size: 476,208 tokens\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 8192\n').format, 'vllm');
  });

  it('a malformed log (a dump cut off mid-line, absurd numbers) reads without throwing', () => {
    const text = "INFO 08-01 10:00:01 llm_engine.py:176] Initializing an LLM engine (v0.6.3) with config: model='x/y', tensor_parallel_size=(((, max_seq_len=\nINFO Loading model weights took 1e999 GB\nINFO # GPU blocks: -5, # CPU blocks: 0\n";
    const run = readMeasured('file:///x/bad.log', text)!;
    assert.equal(run.engine, 'vllm');
    assert.ok(run.figures.every((f) => Number.isFinite(f.value) && f.value >= 0), JSON.stringify(run.figures));
  });
});

describe('large logs: bounded reading', () => {
  it('reads the head line by line and after it only the warning lines, with their true line numbers', () => {
    const head = fs.readFileSync(fixture('logs', 'vllm-v1-kubectl-codellama-7b.log'), 'utf8');
    const filler = 'INFO 04-22 16:00:00 [loggers.py:223] Engine 000: Running: 3 reqs, Waiting: 0 reqs, GPU KV cache usage: 12.5%, Prefix cache hit rate: 0.0%\n';
    const n = Math.ceil((6 * 2 ** 20) / filler.length);
    const warn = 'INFO 04-22 17:00:00 [loggers.py:223] Engine 000: Running: 30 reqs, Waiting: 9 reqs, GPU KV cache usage: 100.0%, Prefix cache hit rate: 0.0%\n';
    const text = head + filler.repeat(n) + warn + filler.repeat(10) + warn;
    const run = readMeasured('file:///x/big.log', text)!;
    assert.ok(run.partial && run.partial.readBytes < run.partial.totalBytes, 'partial');
    const headLines = head.split('\n').length - 1;
    const full = run.events.find((e) => e.kind === 'kv-cache-full')!;
    // The two 100 % lines of the head (15, 16), then the two past the head.
    assert.deepEqual([full.line, full.count, full.lastLine], [15, 4, headLines + n + 11 + 1]);
    assert.equal(run.figures.find((f) => f.name === 'kvCapacityTokens')?.value, 126_256);
    assert.ok(TAIL_LINES >= 1000);
    const res = readText('file:///x/big.log', text);
    assert.deepEqual(res.problems.map((p) => p.code), ['log-read-partially']);
  });
});
