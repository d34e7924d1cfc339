/**
 * vLLM startup logs, V0 (0.5–0.10) and V1 (0.8 on), as `vllm serve` and `kubectl logs` print them:
 * - configuration: `non-default args: {…}` (0.8+), V0's `args: Namespace(…)`, and the engine's
 *   `Initializing a V1 LLM engine (v0.19.0) with config: model=…, tensor_parallel_size=…` (V0: `an LLM engine`);
 *   `Chunked prefill is enabled with max_num_batched_tokens=N`, `Requested memory: 0.95 (util)`;
 * - memory: `Model loading took X GiB` (V0: `Loading model weights took X GB`, GB being GiB there), `Available KV cache
 *   memory: X GiB` (0.6–0.8: `kv_cache_size=X GiB`, `the rest of the memory reserved for KV Cache is X GiB`),
 *   `GPU KV cache size: N tokens`, V0's `# GPU blocks: N`, `Maximum concurrency for N tokens per request: Xx`,
 *   `Graph capturing finished in N secs, took X GiB`;
 * - while serving: V0's `… is preempted by PreemptionMode.RECOMPUTE …` warnings and the metrics lines
 *   (`Running: N reqs, … GPU KV cache usage: 100.0%`).
 * Source of the line shapes: the calibration logs (v0.19.0) and vLLM's worker/gpu_worker.py, v1/core/kv_cache_utils.py,
 * worker/model_runner.py (V0) and engine/metrics.py as of the releases named.
 */
import { Collected, GiB, groupStart, on } from './collect';
import { LoggedOption, loggedOption, planFromLog } from './logPlan';
import type { LogLine, LogText } from './lines';
import { rangeIn } from './lines';
import { byKey, dumpEntries, DumpEntry } from './reprDump';
import type { MeasuredRun } from './types';
import type { ReadContext } from '../types';

const ENGINE_CONFIG = /Initializing an? (?:V1 )?LLM engine \(v([\w.+-]+)\) with config: /d;
const SIGNATURES = [ENGINE_CONFIG, /\bnon-default args: \{/, /vLLM API server version \d/, /\bGPU KV cache size: [\d,]+ tokens/, /\bModel loading took [\d.]+ ?Gi?B/, /\bLoading model weights took [\d.]+ GB/, /# GPU blocks: \d+, # CPU blocks: \d+/];

/** The engine-config dump's names → vLLM options (the rest of the dump is not a serving knob, or not one we model). */
const CONFIG_KEYS: Record<string, string> = {
  model: 'model', max_seq_len: 'max_model_len', tensor_parallel_size: 'tensor_parallel_size', pipeline_parallel_size: 'pipeline_parallel_size',
  data_parallel_size: 'data_parallel_size', quantization: 'quantization', dtype: 'dtype', kv_cache_dtype: 'kv_cache_dtype',
  enforce_eager: 'enforce_eager', enable_prefix_caching: 'enable_prefix_caching', enable_chunked_prefill: 'enable_chunked_prefill',
};
/** Options of `non-default args` / `Namespace(…)` that are serving knobs (the others — host, port, chat template — are not). */
const ARG_KEYS = new Set(['model', 'tensor_parallel_size', 'pipeline_parallel_size', 'data_parallel_size', 'max_model_len', 'gpu_memory_utilization', 'dtype', 'quantization',
  'kv_cache_dtype', 'max_num_seqs', 'max_num_batched_tokens', 'enable_prefix_caching', 'enable_chunked_prefill', 'enforce_eager', 'block_size', 'enable_expert_parallel',
  'cpu_offload_gb', 'swap_space', 'enable_lora', 'max_loras', 'max_lora_rank', 'max_cpu_loras', 'kv_cache_memory_bytes', 'max_cudagraph_capture_size']);

export function isVllmLog(head: LogLine[]): boolean {
  return head.some((l) => l.text.length < 100_000 && SIGNATURES.some((re) => re.test(l.text)));
}

export const TAIL_PATTERN = /preempted by PreemptionMode|KV cache usage: 100(?:\.0)?%/;

export function servingEvents(c: Collected, line: LogLine): void {
  on(line, /preempted by PreemptionMode/, () => c.event('preemption', line));
  on(line, /GPU KV cache usage: 100(?:\.0)?%|(?<![\w ])KV cache usage: 100(?:\.0)?%/d, (m) => c.event('kv-cache-full', line, m.index, m.index + m[0].length));
}

export function readVllmLog(text: LogText, ctx: ReadContext, uri: string): MeasuredRun {
  const c = new Collected();
  const args = new Map<string, LoggedOption>();
  const dumped = new Map<string, LoggedOption>();
  let version: MeasuredRun['engineVersion'];
  let totalGiB: number | undefined;
  let blockSize: LoggedOption | undefined;
  const setVersion = (line: LogLine, m: RegExpExecArray, g: number) => {
    if (version) return;
    const s = groupStart(m, g);
    version = { value: m[g].replace(/^v/, ''), line: line.index + 1, range: rangeIn(line, s, s + m[g].length) };
  };
  const fromDump = (line: LogLine, entries: DumpEntry[], into: Map<string, LoggedOption>, keys: (k: string) => string | undefined) => {
    for (const e of entries) {
      const k = keys(e.key);
      if (k && !into.has(k)) into.set(k, loggedOption(line, e, k));
    }
  };
  for (const line of text.head) {
    const t = line.text;
    if (t.length > 200_000) continue;
    on(line, ENGINE_CONFIG, (m) => {
      setVersion(line, m, 1);
      fromDump(line, dumpEntries(t, -1, m.index + m[0].length), dumped, (k) => CONFIG_KEYS[k]);
    });
    on(line, /vLLM API server version ([\w.+-]+)/d, (m) => setVersion(line, m, 1));
    on(line, /^.*█.*\bversion\s+(\d+\.\d+[\w.+-]*)/d, (m) => setVersion(line, m, 1));
    on(line, /\bnon-default args: \{/, (m) => fromDump(line, dumpEntries(t, m.index + m[0].length - 1), args, (k) => (ARG_KEYS.has(k) ? k : undefined)));
    on(line, /\bargs: Namespace\(/, (m) => {
      const entries = dumpEntries(t, m.index + m[0].length - 1);
      fromDump(line, entries, args, (k) => (ARG_KEYS.has(k) ? k : undefined));
      const bs = byKey(entries).get('block_size');
      if (bs && typeof bs.value === 'number') blockSize = loggedOption(line, bs);
    });
    on(line, /Chunked prefill is enabled with max_num_batched_tokens=(\d+)/d, (m) => {
      if (args.has('max_num_batched_tokens')) return;
      const s = groupStart(m, 1);
      args.set('max_num_batched_tokens', { key: 'max_num_batched_tokens', value: Number(m[1]), keyRange: rangeIn(line, m.index, s), valueRange: rangeIn(line, s, s + m[1].length) });
    });
    on(line, /Requested memory: (\d+(?:\.\d+)?) \(util\)|\bgpu_memory_utilization[= ]\(?(\d+(?:\.\d+)?)/d, (m) => {
      if (args.has('gpu_memory_utilization')) return;
      const g = m[1] ? 1 : 2;
      const s = groupStart(m, g);
      args.set('gpu_memory_utilization', { key: 'gpu_memory_utilization', value: Number(m[g]), keyRange: rangeIn(line, m.index, s), valueRange: rangeIn(line, s, s + m[g].length) });
    });
    on(line, /\btotal_(?:gpu_)?memory(?:=| \()([\d.]+)\s?GiB|Free memory on device \([\d.]+\/([\d.]+) GiB\)/d, (m) => {
      c.add('gpuTotalBytes', line, m, m[1] ? 1 : 2, GiB);
      totalGiB ??= Number(m[1] ?? m[2]);
    });
    // 0.7–0.8 print "GB" for what is GiB (vLLM divides by 2^30 there too).
    on(line, /\bModel loading took ([\d.]+) ?Gi?B/d, (m) => c.add('weightsBytesPerGpu', line, m, 1, GiB));
    on(line, /\bLoading model weights took ([\d.]+) GB/d, (m) => c.add('weightsBytesPerGpu', line, m, 1, GiB));
    on(line, /\bAvailable KV cache memory: ([\d.]+) GiB/d, (m) => c.add('kvPoolBytesPerGpu', line, m, 1, GiB));
    on(line, /\bkv_cache_size=([\d.]+)\s?GiB|reserved for KV Cache is ([\d.]+)\s?GiB/d, (m) => c.add('kvPoolBytesPerGpu', line, m, m[1] ? 1 : 2, GiB));
    on(line, /\bGPU KV cache size: ([\d,]+) tokens/d, (m) => c.add('kvCapacityTokens', line, m, 1));
    on(line, /# GPU blocks: (\d+)/d, (m) => c.add('gpuBlocks', line, m, 1));
    on(line, /Maximum concurrency for [\d,]+ tokens per request: ([\d.]+)x/d, (m) => c.add('maxConcurrency', line, m, 1));
    on(line, /Graph capturing finished in [\d.]+ secs?, took ([\d.]+) GiB/d, (m) => c.add('cudaGraphBytesPerGpu', line, m, 1, GiB));
    servingEvents(c, line);
  }
  for (const line of text.tail(TAIL_PATTERN)) servingEvents(c, line);

  // The user's arguments first; the engine's dump fills what they left to the defaults.
  const options = new Map(args);
  for (const [k, o] of dumped) if (!options.has(k)) options.set(k, o);
  const assumptions: string[] = [];
  const blocks = c.figures.find((f) => f.name === 'gpuBlocks');
  if (blocks && !c.has('kvCapacityTokens')) {
    // V0 states blocks only; 16 tokens a block is its CUDA default (`--block-size`).
    const size = Number(blockSize?.value ?? options.get('block_size')?.value ?? 16);
    if (!blockSize && !options.has('block_size')) assumptions.push('KV tokens = # GPU blocks × 16 (vLLM\'s default block size; the log does not state it)');
    c.figures.push({ name: 'kvCapacityTokens', value: blocks.value * size, line: blocks.line, range: blocks.range });
  }
  const chunked = options.get('enable_chunked_prefill');
  if (chunked && chunked.value === false) {
    const r = chunked.valueRange;
    c.events.push({ kind: 'chunked-prefill-off', line: r.start.line + 1, range: r, count: 1, lastLine: r.start.line + 1, text: 'enable_chunked_prefill=False' });
  }
  const name = String(options.get('model')?.value ?? uri.split('/').pop() ?? 'vLLM log');
  const { plan, assumptions: planAssumptions } = planFromLog('vllm', [...options.values()], ctx, { name, version, gpuTotalGiB: totalGiB, engineNote: 'vLLM startup log' });
  return { format: 'vllm-log', kind: 'engine-log', engine: 'vllm', engineVersion: version, plan, figures: c.figures, events: c.events, assumptions: [...planAssumptions, ...assumptions] };
}
