/**
 * Engine logs and benchmark results → a MeasuredRun, or nothing. Detection is strict: a log needs a line only that
 * engine prints (its config dump or a memory figure in its wording), a result file the key set its client writes; a
 * commented line (`# …`) never counts, so a config quoting a log line stays a config.
 */
import type { ReadContext } from '../types';
import { isAiperfCsv, isAiperfResult, readAiperfCsv, readAiperfJson } from './aiperfResult';
import { isInferencexResult, isVllmBenchResult, readBenchResult } from './benchResult';
import { logText } from './lines';
import { isSglangLog, readSglangLog } from './sglangLog';
import { isTgiLog, readTgiLog } from './tgiLog';
import { isTrtllmLog, readTrtllmLog } from './trtllmLog';
import type { MeasuredRun } from './types';
import { isVllmLog, readVllmLog } from './vllmLog';

/** A result JSON larger than this is not parsed (vLLM's with per-request arrays of 10k prompts is a few MB). */
const MAX_RESULT_CHARS = 64 * 1024 * 1024;

function readJson(uri: string, text: string, ctx: ReadContext): MeasuredRun | undefined {
  if (text.length > MAX_RESULT_CHARS) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const obj = o as Record<string, unknown>;
  if (isVllmBenchResult(obj)) return readBenchResult(obj, text, ctx, uri, 'vllm-bench');
  if (isInferencexResult(obj)) return readBenchResult(obj, text, ctx, uri, 'inferencex');
  if (isAiperfResult(obj)) return readAiperfJson(obj, text, ctx, uri);
  return undefined;
}

/** Words every log the readers claim contains in its head: a cheap test before any line is split. */
const MARKERS = /LLM engine|non-default args|Model loading took|Loading model weights took|GPU KV cache size|# GPU blocks|server_args=ServerArgs|KV Cache is allocated|max_total_num_tokens|Load weight end|TensorRT-LLM|TRT-LLM|text_generation_(?:launcher|router)|vLLM API server version/;

export function readMeasured(uri: string, text: string, ctx: ReadContext = {}): MeasuredRun | undefined {
  const start = text.slice(0, 4096).trimStart();
  if (start.startsWith('{')) return readJson(uri, text, ctx);
  if (isAiperfCsv(text)) return readAiperfCsv(text, ctx, uri);
  if (!MARKERS.test(text.slice(0, 4 * 1024 * 1024))) return undefined;
  const log = logText(text);
  const head = log.head.filter((l) => !/^\s*(?:#|\/\/)/.test(l.text));
  const run = isSglangLog(head) ? readSglangLog(log, ctx, uri)
    : isTrtllmLog(head) ? readTrtllmLog(log, ctx, uri)
      : isTgiLog(head) ? readTgiLog(log, ctx, uri)
        : isVllmLog(head) ? readVllmLog(log, ctx, uri)
          : undefined;
  if (run && log.headChars < log.totalChars) run.partial = { readBytes: log.headChars, totalBytes: log.totalChars };
  return run;
}
