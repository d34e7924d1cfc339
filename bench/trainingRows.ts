/**
 * Training peak memory: the estimator against real training steps — our own (bench/calibration/train-memory-h200.csv,
 * scripts/device/train_memory.py: transformers 5.17 + PEFT 0.21 + torch 2.11 on one H200, random weights from the
 * configs below) and published measurements whose settings are stated (bench/calibration/train-memory-published.csv,
 * each row with its source). Predicted = torch.cuda.max_memory_allocated (the allocated peak); fits/OOM compares the
 * predicted per-GPU need (allocated + context + fragmentation reserve) with the GPU's memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GpuCatalog } from '../server/src/catalog/gpus';
import { catalogConfig } from '../server/src/catalog/models';
import { estimateTraining } from '../server/src/estimator/training/estimate';
import { resolveTraining } from '../server/src/estimator/training/resolve';
import { CUDA_CONTEXT_BYTES } from '../server/src/estimator/training/overhead';
import type { TrainingEstimate } from '../server/src/estimator/training/types';
import type { OptimizerName, TrainingMethod, TrainingPlan, TrainingPrecision, AttentionImpl } from '../server/src/plan/training';
import type { Provenance, Sourced } from '../server/src/plan/types';
import { parseCsv } from './csv';
import { median } from './calibrationPlan';

/** The shapes train_memory.py builds (public config.json values; random weights). */
export const CALIBRATION_CONFIGS: Record<string, Record<string, unknown>> = {
  'llama-3.2-1b': { model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 2048, num_hidden_layers: 16, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 8192, vocab_size: 128256, tie_word_embeddings: true, max_position_embeddings: 8192, head_dim: 64, torch_dtype: 'bfloat16' },
  'llama-3.2-3b': { model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 3072, num_hidden_layers: 28, num_attention_heads: 24, num_key_value_heads: 8, intermediate_size: 8192, vocab_size: 128256, tie_word_embeddings: true, max_position_embeddings: 8192, head_dim: 128, torch_dtype: 'bfloat16' },
  'qwen2.5-7b': { model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'], hidden_size: 3584, num_hidden_layers: 28, num_attention_heads: 28, num_key_value_heads: 4, intermediate_size: 18944, vocab_size: 152064, tie_word_embeddings: false, max_position_embeddings: 32768, torch_dtype: 'bfloat16' },
  'olmoe-1b-7b': { model_type: 'olmoe', architectures: ['OlmoeForCausalLM'], hidden_size: 2048, num_hidden_layers: 16, num_attention_heads: 16, num_key_value_heads: 16, intermediate_size: 1024, vocab_size: 50304, num_experts: 64, num_experts_per_tok: 8, tie_word_embeddings: false, max_position_embeddings: 4096, torch_dtype: 'bfloat16' },
};

export interface TrainingRow {
  label: string;
  source: string;
  measuredBytes: number;
  /** Which counter the measurement is: allocated (max_memory_allocated) or reserved (max_memory_reserved). */
  metric: 'allocated' | 'reserved' | 'device';
  measuredOom: boolean;
  estimate: TrainingEstimate;
  predictedBytes: number;
  errorPct: number;
  fitsAgree: boolean;
  /** Measured step seconds (our device rows), and the estimate's error on them. */
  measuredStepSeconds?: number;
  stepErrorPct?: number;
}

const src: Provenance = { kind: 'inferred', note: 'calibration row' };
const s = <T>(value: T): Sourced<T> => ({ value, source: src });

export interface RowSettings {
  model: string;
  method: TrainingMethod;
  precision: TrainingPrecision;
  optimizer: OptimizerName;
  seq: number;
  mb: number;
  ga?: number;
  ckpt: boolean;
  attention: AttentionImpl;
  targets?: string[] | 'all-linear';
  rank?: number;
  gpu: string;
  gpus?: number;
  quantBits?: 4 | 8;
  format?: TrainingPlan['format'];
  optimizerInBackward?: boolean;
  zero?: 0 | 1 | 2 | 3;
  offload?: 'none' | 'optimizer' | 'params';
}

export function planOf(r: RowSettings): TrainingPlan {
  return {
    format: r.format ?? 'hf-trainer', model: s(r.model), method: s(r.method),
    lora: r.method === 'lora' || r.method === 'qlora' ? { rank: s(r.rank ?? 8), alpha: s(2 * (r.rank ?? 8)), targets: s(r.targets ?? ['q_proj', 'v_proj']) } : undefined,
    quantBits: r.quantBits ? s(r.quantBits) : undefined,
    precision: s(r.precision), optimizer: s(r.optimizer), optimizerInBackward: r.optimizerInBackward ? s(true) : undefined,
    seqLen: s(r.seq), microBatch: s(r.mb), gradAccum: s(r.ga ?? 1), gradientCheckpointing: s(r.ckpt), attention: s(r.attention),
    sharding: r.zero !== undefined ? { kind: 'zero', stage: s(r.zero), offloadOptimizer: s(r.offload === 'optimizer' || r.offload === 'params' ? 'cpu' : 'none'), offloadParams: s(r.offload === 'params' ? 'cpu' : 'none') } : { kind: 'none', stage: s(0) },
    hardware: { gpu: s(r.gpu), gpusPerNode: s(r.gpus ?? 1) }, linked: [], unmodelled: [], unread: [],
  };
}

export function estimateRow(r: RowSettings, extra: { sgdMomentum?: boolean } = {}): TrainingEstimate {
  const config = CALIBRATION_CONFIGS[r.model] ?? catalogConfig(r.model);
  if (!config) throw new Error(`no config for ${r.model}`);
  const res = resolveTraining(planOf(r), { gpus: new GpuCatalog() }, config);
  if (!res.ok) throw new Error(res.error);
  return estimateTraining({ ...res.inputs, sgdMomentum: extra.sgdMomentum ?? false }, res.assumptions);
}

const pct = (est: number, meas: number) => (100 * (est - meas)) / meas;

function row(label: string, source: string, est: TrainingEstimate, measured: number, metric: TrainingRow['metric'], oom: boolean): TrainingRow {
  // reserved: the allocator's peak (allocated + fragmentation, no CUDA context); device: nvidia-smi's whole use.
  const predicted = metric === 'allocated' ? est.allocatedPeakBytes : metric === 'reserved' ? est.peakBytesPerGpu - CUDA_CONTEXT_BYTES : est.peakBytesPerGpu;
  return { label, source, measuredBytes: measured, metric, measuredOom: oom, estimate: est, predictedBytes: predicted, errorPct: oom ? NaN : pct(predicted, measured), fitsAgree: est.fits === !oom };
}

const TARGET_SETS: Record<string, string[]> = {
  'q_proj,v_proj': ['q_proj', 'v_proj'],
  'q_proj,k_proj,v_proj,o_proj': ['q_proj', 'k_proj', 'v_proj', 'o_proj'],
};

/** bench/calibration/train-memory-h200.csv → rows. */
export function deviceRows(file = path.resolve(__dirname, '../../bench/calibration/train-memory-h200.csv')): TrainingRow[] {
  if (!fs.existsSync(file)) return [];
  const out: TrainingRow[] = [];
  for (const m of parseCsv(fs.readFileSync(file, 'utf8'))) {
    if (m.status === 'error') continue;
    const targets = m.targets ? (TARGET_SETS[m.targets] ?? m.targets.split(',')) : undefined;
    const settings: RowSettings = {
      model: m.model, method: m.method as TrainingMethod, precision: m.precision as TrainingPrecision, optimizer: m.optim as OptimizerName,
      seq: Number(m.seq), mb: Number(m.mb), ckpt: m.ckpt === 'True', attention: m.attn as AttentionImpl, targets, rank: Number(m.rank), gpu: 'H200',
    };
    const est = estimateRow(settings, { sgdMomentum: m.optim === 'sgd' });
    const label = `${m.model} ${m.method}${targets ? `(${targets.length === 7 ? 'all-linear' : targets.join('+')} r${m.rank})` : ''} ${m.precision} ${m.attn} s${m.seq} b${m.mb}${m.ckpt === 'True' ? ' ckpt' : ''} ${m.optim}`;
    const r = row(label, 'bench/calibration/train-memory-h200.csv', est, Number(m.peak_alloc), 'allocated', m.status === 'oom');
    if (m.step_s) {
      r.measuredStepSeconds = Number(m.step_s);
      r.stepErrorPct = pct(est.stepSeconds, Number(m.step_s));
    }
    out.push(r);
  }
  return out;
}

/** bench/calibration/train-memory-published.csv → rows (settings as each source states them). */
export function publishedRows(file = path.resolve(__dirname, '../../bench/calibration/train-memory-published.csv')): TrainingRow[] {
  if (!fs.existsSync(file)) return [];
  const out: TrainingRow[] = [];
  for (const m of parseCsv(fs.readFileSync(file, 'utf8'))) {
    const settings: RowSettings = {
      model: m.model, method: m.method as TrainingMethod, precision: m.precision as TrainingPrecision, optimizer: m.optimizer as OptimizerName,
      seq: Number(m.seq), mb: Number(m.micro_batch), ga: Number(m.grad_accum || 1), ckpt: m.checkpointing === 'true', attention: (m.attention || 'sdpa') as AttentionImpl,
      targets: m.targets === 'all-linear' ? 'all-linear' : m.targets ? m.targets.split(' ') : undefined, rank: Number(m.rank || 8), gpu: m.gpu, gpus: Number(m.gpus || 1),
      quantBits: m.quant_bits ? (Number(m.quant_bits) as 4 | 8) : undefined, format: (m.format || 'hf-trainer') as TrainingPlan['format'],
      optimizerInBackward: m.optimizer_in_bwd === 'true', zero: m.zero ? (Number(m.zero) as 0 | 1 | 2 | 3) : undefined,
    };
    const est = estimateRow(settings);
    const gib = Number(m.peak_gib);
    out.push(row(`${m.label}`, m.source, est, gib * 2 ** 30, (m.metric || 'allocated') as TrainingRow['metric'], m.oom === 'true'));
  }
  return out;
}

export function trainingRows(): TrainingRow[] {
  return [...deviceRows(), ...publishedRows()];
}

export function summarizeTraining(rows: TrainingRow[]): { n: number; medianAbsPct: number; maxAbsPct: number; fitsAgree: number; oomRows: number; stepRows: number; stepMedianAbsPct: number } {
  const errs = rows.filter((r) => !r.measuredOom).map((r) => Math.abs(r.errorPct));
  const steps = rows.filter((r) => r.stepErrorPct !== undefined).map((r) => Math.abs(r.stepErrorPct!));
  return {
    n: rows.length, medianAbsPct: median(errs), maxAbsPct: errs.length ? Math.max(...errs) : NaN, fitsAgree: rows.filter((r) => r.fitsAgree).length,
    oomRows: rows.filter((r) => r.measuredOom).length, stepRows: steps.length, stepMedianAbsPct: median(steps),
  };
}

const GiB = 2 ** 30;

/** The "Training peak memory" section of `npm run accuracy`. */
export function printTrainingSection(rows: TrainingRow[], perRow: boolean): void {
  console.log('\n## Training peak memory\n');
  if (!rows.length) { console.log('no training calibration rows (bench/calibration/train-memory-*.csv absent)'); return; }
  console.log('| case | measured GiB | predicted GiB | error % | peak phase | fits / OOM | agrees | step s measured / predicted |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    if (!perRow && r.fitsAgree && Math.abs(r.errorPct) < 10) continue;
    const step = r.measuredStepSeconds !== undefined ? `${r.measuredStepSeconds.toFixed(3)} / ${r.estimate.stepSeconds.toFixed(3)}` : '—';
    const meas = r.measuredOom ? `OOM (${(r.measuredBytes / GiB).toFixed(1)} at failure)` : (r.measuredBytes / GiB).toFixed(2);
    console.log(`| ${r.label}${r.metric !== 'allocated' ? ` [${r.metric}]` : ''} | ${meas} | ${(r.predictedBytes / GiB).toFixed(2)} | ${r.measuredOom ? '—' : r.errorPct.toFixed(1)} | ${r.estimate.peakPhase} | ${r.estimate.fits ? 'fits' : 'OOM'} / ${r.measuredOom ? 'OOM' : 'ran'} | ${r.fitsAgree ? 'yes' : 'NO'} | ${step} |`);
  }
  const s = summarizeTraining(rows);
  console.log(`\nTraining peak: ${s.n} rows (${s.oomRows} measured OOM), median abs error ${s.medianAbsPct.toFixed(2)} % (max ${s.maxAbsPct.toFixed(1)} %), target median ≤ 10 %: ${s.medianAbsPct <= 10 ? 'met' : 'NOT met'}; fits/OOM agree on ${s.fitsAgree}/${s.n} rows${s.fitsAgree === s.n ? '' : ' — NOT every row'}.`);
  console.log(`Training step time (physics check, no target): ${s.stepRows} measured steps, median abs error ${s.stepMedianAbsPct.toFixed(1)} % at one fitted efficiency (throughput.ts).`);
}

if (require.main === module) printTrainingSection(trainingRows(), true);
