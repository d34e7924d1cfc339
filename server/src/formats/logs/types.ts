/**
 * What an engine's startup log or a benchmark client's result file says about one run: the engine and its version,
 * the configuration it states (as a DeploymentPlan, every knob on its log line), and every figure it reports with its
 * line. `calibrate` (issue 23, item 3) fits against these; the editor shows them beside the estimate.
 */
import type { DeploymentPlan, EngineName, SourceRange } from '../../plan/types';

export type MeasuredFormat =
  | 'vllm-log' | 'sglang-log' | 'trtllm-log' | 'tgi-log'
  | 'vllm-bench' | 'aiperf' | 'genai-perf' | 'inferencex';

/** Figures a run can report. Memory per GPU in bytes, latency in ms, throughput in tokens (or requests) per second. */
export type FigureName =
  | 'weightsBytesPerGpu' | 'kvPoolBytesPerGpu' | 'kvCapacityTokens' | 'gpuBlocks' | 'maxConcurrency' | 'cudaGraphBytesPerGpu'
  | 'gpuTotalBytes'
  | 'ttftMs' | 'ttftMedianMs' | 'ttftP99Ms' | 'tpotMs' | 'tpotMedianMs' | 'tpotP99Ms' | 'itlMs' | 'itlMedianMs' | 'itlP99Ms'
  | 'outputTokensPerSec' | 'requestsPerSec';

export interface MeasuredFigure {
  name: FigureName;
  value: number;
  /** 1-based line of the file that states it (editors count from 1; `range` is the LSP 0-based one). */
  line: number;
  /** The number as written on that line. */
  range: SourceRange;
}

/** Something the engine warned about while serving (or the configuration it logged makes it do). */
export type LogEventKind = 'preemption' | 'kv-cache-full' | 'chunked-prefill-off';

export interface LogEvent {
  kind: LogEventKind;
  /** 1-based line of the first occurrence. */
  line: number;
  range: SourceRange;
  /** Occurrences read (up to the scan cap), and the 1-based line of the last one. */
  count: number;
  lastLine: number;
  /** The first occurrence as logged (ANSI colours and pod prefixes removed), for the message. */
  text: string;
}

/** How the run was driven, as a benchmark result states it (absent for engine logs). */
export interface MeasuredLoad {
  inputLen?: number;
  outputLen?: number;
  concurrency?: number;
  requestRate?: number;
  requests?: number;
}

export interface MeasuredRun {
  format: MeasuredFormat;
  kind: 'engine-log' | 'benchmark-result';
  engine?: EngineName;
  engineVersion?: { value: string; line: number; range: SourceRange };
  /** The configuration the file states, through the plan types (Provenance 'file' ranges on its lines). */
  plan: DeploymentPlan;
  figures: MeasuredFigure[];
  events: LogEvent[];
  load?: MeasuredLoad;
  /** Things the reader assumed (the GPU a result does not name, a block size). */
  assumptions: string[];
  /** Set when the file was larger than the reader reads in full (the head and the metric lines after it). */
  partial?: { readBytes: number; totalBytes: number };
}

export function figure(run: MeasuredRun, name: FigureName): MeasuredFigure | undefined {
  return run.figures.find((f) => f.name === name);
}
