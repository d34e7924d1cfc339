/**
 * TensorRT-LLM logs (`trtllm-serve`, the PyTorch backend of 0.20–1.x): the `…LlmArgs(…)` dump, `TensorRT-LLM
 * version: X`, `Memory used after loading model weights (inside torch) …: X GiB`, `Memory usage when calculating max
 * tokens in paged kv cache: total: X GiB`, `[MemUsageChange] Allocated X GiB for max tokens in paged KV cache (N).`
 * and `Number of blocks in KV cache primary pool: N` (tensorrt_llm/_torch/pyexecutor/resource_manager.py,
 * cpp/tensorrt_llm/batch_manager/kvCacheManager.cpp log lines).
 */
import { Collected, GiB, groupStart, on } from './collect';
import { LoggedOption, loggedOption, planFromLog } from './logPlan';
import type { LogLine, LogText } from './lines';
import { rangeIn } from './lines';
import { dumpEntries } from './reprDump';
import type { MeasuredRun } from './types';
import type { ReadContext } from '../types';

const TRT = /\[TensorRT-LLM\]|\[TRT-LLM\]/;
const SIGNATURES = [/\[MemUsageChange\] Allocated [\d.]+ GiB for max tokens in paged KV cache/, /TensorRT-LLM version: \d/, /\b\w*LlmArgs\(/];

export function isTrtllmLog(head: LogLine[]): boolean {
  return head.some((l) => l.text.length < 200_000 && TRT.test(l.text) && SIGNATURES.some((re) => re.test(l.text)))
    || head.some((l) => /\[MemUsageChange\] Allocated [\d.]+ GiB for max tokens in paged KV cache/.test(l.text));
}

export function readTrtllmLog(text: LogText, ctx: ReadContext, uri: string): MeasuredRun {
  const c = new Collected();
  const options = new Map<string, LoggedOption>();
  let version: MeasuredRun['engineVersion'];
  let totalGiB: number | undefined;
  for (const line of text.head) {
    const t = line.text;
    if (t.length > 200_000) continue;
    on(line, /\b\w*LlmArgs\(/, (m) => {
      for (const e of dumpEntries(t, m.index + m[0].length - 1)) if (!options.has(e.key) && e.value !== null) options.set(e.key, loggedOption(line, e));
    });
    on(line, /TensorRT-LLM version: ([\w.+-]+)/d, (m) => {
      if (version) return;
      const s = groupStart(m, 1);
      version = { value: m[1], line: line.index + 1, range: rangeIn(line, s, s + m[1].length) };
    });
    on(line, /Memory used after loading model weights \(inside torch\)[^:]*: ([\d.]+) GiB/d, (m) => c.add('weightsBytesPerGpu', line, m, 1, GiB));
    on(line, /Memory usage when calculating max tokens in paged kv cache: total: ([\d.]+) GiB/d, (m) => {
      c.add('gpuTotalBytes', line, m, 1, GiB);
      totalGiB ??= Number(m[1]);
    });
    on(line, /\[MemUsageChange\] Allocated ([\d.]+) GiB for max tokens in paged KV cache \((\d+)\)/d, (m) => {
      c.add('kvPoolBytesPerGpu', line, m, 1, GiB);
      c.add('kvCapacityTokens', line, m, 2);
    });
    on(line, /Number of blocks in KV cache primary pool: (\d+)/d, (m) => c.add('gpuBlocks', line, m, 1));
  }
  const name = String(options.get('model')?.value ?? uri.split('/').pop() ?? 'TensorRT-LLM log');
  const { plan, assumptions } = planFromLog('trtllm', [...options.values()], ctx, { name, version, gpuTotalGiB: totalGiB, engineNote: 'TensorRT-LLM log' });
  return { format: 'trtllm-log', kind: 'engine-log', engine: 'trtllm', engineVersion: version, plan, figures: c.figures, events: c.events, assumptions };
}
