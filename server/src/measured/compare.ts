/**
 * Predicted beside measured: each figure a log or result reports against the estimate for the configuration it states,
 * with the estimate's stated error (estimator/measuredError.ts) and, where the two disagree beyond it, the likeliest
 * reason the estimator knows.
 */
import type { Estimate } from '../estimator/estimate';
import { MEMORY_STATED_ERROR, measuredErrorFor } from '../estimator/measuredError';
import { engineLabels, SourceRange } from '../plan/types';
import { figure, FigureName, MeasuredRun } from '../formats/logs/types';

const GiB = 2 ** 30;

export interface Comparison {
  figure: FigureName;
  /** "KV", "weights", "TTFT": what the hint calls it. */
  label: string;
  measured: number;
  predicted: number;
  /** (predicted − measured) / measured, in %. */
  deltaPct: number;
  /** The estimate's stated error for this figure, in %. */
  tolerancePct: number;
  /** Where the tolerance comes from, as the message says it. */
  basis: string;
  disagrees: boolean;
  /** 1-based line and LSP range of the measured figure. */
  line: number;
  range: SourceRange;
  reason?: string;
  /** Memory figures are judged against a bound; latency against a median error (half of all runs lie beyond it). */
  kind: 'memory' | 'latency';
}

export function formatFigure(name: FigureName, v: number): string {
  if (name.endsWith('BytesPerGpu') || name === 'gpuTotalBytes') return `${(v / GiB).toFixed(2)} GiB`;
  if (name === 'kvCapacityTokens' || name === 'gpuBlocks') return `${Math.round(v).toLocaleString('en-US')} tokens`;
  if (name === 'maxConcurrency') return `${v.toFixed(2)}×`;
  if (name.endsWith('Ms')) return `${v.toFixed(v >= 100 ? 0 : 1)} ms`;
  if (name === 'outputTokensPerSec') return `${Math.round(v).toLocaleString('en-US')} tok/s`;
  return v.toFixed(2);
}

const LABELS: Partial<Record<FigureName, string>> = {
  weightsBytesPerGpu: 'weights', kvPoolBytesPerGpu: 'KV pool', kvCapacityTokens: 'KV', maxConcurrency: 'max concurrency',
  ttftMs: 'TTFT', tpotMs: 'TPOT', outputTokensPerSec: 'output',
};

function reasonFor(name: FigureName, run: MeasuredRun, e: Estimate, deltaPct: number): string | undefined {
  const logged = run.engineVersion?.value;
  const engine = engineLabels[e.serving.engine];
  const versionNote = logged && !logged.startsWith(e.serving.engineVersion) ? `the estimate models ${engine} ${e.serving.engineVersion}, the log is from ${logged}` : undefined;
  if (name === 'kvPoolBytesPerGpu' || name === 'kvCapacityTokens' || name === 'maxConcurrency') {
    const graph = figure(run, 'cudaGraphBytesPerGpu')?.value;
    const pool = figure(run, 'kvPoolBytesPerGpu')?.value;
    const gap = pool !== undefined ? e.memory.kvPoolBytesPerGpu - pool : undefined;
    if (graph && gap !== undefined && Math.abs(Math.abs(gap) - graph) < 0.35 * GiB) {
      return `the gap is the CUDA-graph memory (${(graph / GiB).toFixed(2)} GiB): vLLM before 0.21 captures graphs after sizing the KV pool, from 0.21 on it subtracts them first${versionNote ? `; ${versionNote}` : ''}`;
    }
    const weights = figure(run, 'weightsBytesPerGpu')?.value;
    if (weights && Math.abs(e.memory.weightsBytesPerGpu / weights - 1) * 100 > MEMORY_STATED_ERROR.weightsPct) return 'the weights differ (see the weights line): the pool is what is left after them';
    if (name !== 'kvPoolBytesPerGpu' && pool && Math.abs((e.memory.kvPoolBytesPerGpu - pool) / pool) * 100 <= MEMORY_STATED_ERROR.kvPct) {
      return `the pool agrees but the bytes per token do not (${(e.model.kvBytesPerToken / 1024).toFixed(0)} KiB/token predicted): the KV dtype, sliding-window or hybrid layers are counted differently`;
    }
    if (e.memory.lora) return 'the LoRA slots\' reserve is sized differently';
    if (e.multimodal && e.multimodal.encoderBudgetTokens > 0) return 'the multimodal encoder\'s profiling budget is sized differently';
    if (deltaPct > 0 && weights && pool) return `the engine kept ${(-(gap ?? 0) / GiB).toFixed(2)} GiB more outside the KV pool than predicted: another process on the GPU, a larger activation peak, or a leak`;
    return versionNote;
  }
  if (name === 'weightsBytesPerGpu') {
    return `the checkpoint's tensors (${e.serving.weightDtype}) are not what its config implies: quantization, tied embeddings or a vision tower${versionNote ? `; ${versionNote}` : ''}`;
  }
  if (name === 'ttftMs' || name === 'tpotMs' || name === 'outputTokensPerSec') {
    if (!run.load?.concurrency && !run.load?.requestRate) return 'the result does not state the load it ran: the estimate assumed one';
    const tp = run.plan.knobs.tensorParallel;
    if (!tp || tp.source.kind !== 'file') return `the result does not state the engine's parallelism or GPU: estimated at TP ${e.serving.tensorParallel} on ${e.hardware.gpu} (pass --tensor-parallel / --gpu, or a # deploy-advisor: line)`;
    if (run.plan.hardware.gpu.source.kind === 'default') return `the result does not name the GPU: estimated on ${e.hardware.gpu} (pass --gpu)`;
    return versionNote;
  }
  return undefined;
}

/** Every figure of the run the estimate predicts, side by side. */
export function compareRun(run: MeasuredRun, e: Estimate): Comparison[] {
  const out: Comparison[] = [];
  const ranks = Math.max(1, e.serving.dataParallel ?? 1);
  const latencyError = measuredErrorFor(e.serving.engine, e.hardware.gpu);
  const predicted: Partial<Record<FigureName, number>> = {
    weightsBytesPerGpu: e.memory.weightsBytesPerGpu,
    kvPoolBytesPerGpu: e.memory.kvPoolBytesPerGpu,
    // Each data-parallel rank logs its own KV cache; the estimate's capacity is the replica's (all ranks).
    kvCapacityTokens: e.memory.kvCapacityTokens / ranks,
    maxConcurrency: e.memory.kvCapacityTokens / ranks / Math.max(1, e.serving.maxModelLen),
  };
  if (run.kind === 'benchmark-result' && e.latency.ttftMs > 0) Object.assign(predicted, { ttftMs: e.latency.ttftMs, tpotMs: e.latency.tpotMs, outputTokensPerSec: e.latency.outputTokensPerSec });
  for (const f of run.figures) {
    const p = predicted[f.name];
    if (p === undefined || !(f.value > 0)) continue;
    const memory = !f.name.endsWith('Ms') && f.name !== 'outputTokensPerSec';
    const tolerancePct = memory ? (f.name === 'weightsBytesPerGpu' ? MEMORY_STATED_ERROR.weightsPct : MEMORY_STATED_ERROR.kvPct) : f.name === 'ttftMs' ? latencyError.ttftPct : latencyError.tpotPct;
    const basis = memory ? `the estimator's stated memory error (±${tolerancePct} %)` : `the ±${Math.round(tolerancePct)} % median error on ${latencyError.basis}`;
    const deltaPct = (100 * (p - f.value)) / f.value;
    const disagrees = Math.abs(deltaPct) > tolerancePct;
    out.push({ figure: f.name, label: LABELS[f.name] ?? f.name, measured: f.value, predicted: p, deltaPct, tolerancePct, basis, disagrees, line: f.line, range: f.range, kind: memory ? 'memory' : 'latency', ...(disagrees ? { reason: reasonFor(f.name, run, e, deltaPct) } : {}) });
  }
  return out;
}
