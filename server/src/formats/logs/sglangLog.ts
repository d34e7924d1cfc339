/**
 * SGLang server logs (`python -m sglang.launch_server`, 0.3 on): the `server_args=ServerArgs(…)` dump, `Load weight
 * end. … mem usage=X GB`, `KV Cache is allocated. #tokens: N, K size: X GB, V size: Y GB` (MLA: `KV size: X GB`),
 * `max_total_num_tokens=N`, and while serving the `Decode batch. #running-req: N, #token: M, token usage: U` lines and
 * `KV cache pool is full. Retract requests.` (SGLang's preemption). SGLang's "GB" is GiB (it divides by 1 << 30:
 * python/sglang/srt/utils.py get_available_gpu_memory), as the calibration CSV notes.
 */
import { Collected, GiB, groupStart, on } from './collect';
import { LoggedOption, loggedOption, planFromLog } from './logPlan';
import type { LogLine, LogText } from './lines';
import { rangeIn } from './lines';
import { dumpEntries } from './reprDump';
import type { MeasuredRun } from './types';
import type { ReadContext } from '../types';

const SIGNATURES = [/\bserver_args=ServerArgs\(/, /\bKV Cache is allocated\. #tokens: \d+/, /\bmax_total_num_tokens=\d+, /, /\bLoad weight end\. .*mem usage=/];

export function isSglangLog(head: LogLine[]): boolean {
  return head.some((l) => l.text.length < 200_000 && SIGNATURES.some((re) => re.test(l.text)));
}

const TAIL_PATTERN = /KV cache pool is full|token usage: (?:1\.00|0\.99)/;

function servingEvents(c: Collected, line: LogLine): void {
  on(line, /KV cache pool is full\. Retract requests\./d, (m) => c.event('preemption', line, m.index, m.index + m[0].length));
  on(line, /token usage: (?:1\.00|0\.99)/d, (m) => c.event('kv-cache-full', line, m.index, m.index + m[0].length));
}

export function readSglangLog(text: LogText, ctx: ReadContext, uri: string): MeasuredRun {
  const c = new Collected();
  const options = new Map<string, LoggedOption>();
  let version: MeasuredRun['engineVersion'];
  for (const line of text.head) {
    const t = line.text;
    if (t.length > 200_000) continue;
    on(line, /\bserver_args=ServerArgs\(/, (m) => {
      for (const e of dumpEntries(t, m.index + m[0].length - 1)) if (!options.has(e.key) && e.value !== null && !e.children) options.set(e.key, loggedOption(line, e));
    });
    on(line, /\bsglang(?:==| version:? v?)(\d+\.\d+[\w.]*)/di, (m) => {
      if (version) return;
      const s = groupStart(m, 1);
      version = { value: m[1], line: line.index + 1, range: rangeIn(line, s, s + m[1].length) };
    });
    on(line, /\bLoad weight end\. .*?mem usage=([\d.]+) GB/d, (m) => c.add('weightsBytesPerGpu', line, m, 1, GiB));
    on(line, /\bKV Cache is allocated\. #tokens: (\d+), K size: ([\d.]+) GB, V size: ([\d.]+) GB/d, (m) => {
      c.add('kvCapacityTokens', line, m, 1);
      c.derived('kvPoolBytesPerGpu', (Number(m[2]) + Number(m[3])) * GiB, line, groupStart(m, 2), groupStart(m, 3) + m[3].length);
    });
    on(line, /\bKV Cache is allocated\. #tokens: (\d+), KV size: ([\d.]+) GB/d, (m) => {
      c.add('kvCapacityTokens', line, m, 1);
      c.add('kvPoolBytesPerGpu', line, m, 2, GiB);
    });
    on(line, /\bmax_total_num_tokens=(\d+)/d, (m) => c.add('kvCapacityTokens', line, m, 1));
    on(line, /\bCapture cuda graph end\. .*?mem usage=([\d.]+) GB/d, (m) => c.add('cudaGraphBytesPerGpu', line, m, 1, GiB));
    servingEvents(c, line);
  }
  for (const line of text.tail(TAIL_PATTERN)) servingEvents(c, line);
  const chunk = options.get('chunked_prefill_size');
  if (chunk && Number(chunk.value) === -1) c.events.push({ kind: 'chunked-prefill-off', line: chunk.valueRange.start.line + 1, range: chunk.valueRange, count: 1, lastLine: chunk.valueRange.start.line + 1, text: 'chunked_prefill_size=-1' });
  const name = String(options.get('model_path')?.value ?? uri.split('/').pop() ?? 'SGLang log');
  const { plan, assumptions } = planFromLog('sglang', [...options.values()], ctx, { name, version, engineNote: 'SGLang server log' });
  return { format: 'sglang-log', kind: 'engine-log', engine: 'sglang', engineVersion: version, plan, figures: c.figures, events: c.events, assumptions };
}
