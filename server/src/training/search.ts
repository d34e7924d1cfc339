/**
 * The cheapest setup for a fine-tuning job: GPU (catalog) × GPUs in one node (1, 2, 4, 8) × method (the file's, or
 * those allowed) × precision (bf16 / mixed) × sharding (DDP, ZeRO-1/2/3, or FSDP stages where the file uses FSDP) ×
 * gradient checkpointing × micro-batch, each estimated by the training estimator itself (estimateTraining), kept when it
 * fits, and ranked by $ for the target: $/h for a tokens/s floor, the job's total $ for a token budget (within a
 * wall-clock limit when one is given), else $ per million tokens.
 *
 * The effective batch (micro-batch × accumulation × GPUs) is the file's: a count that does not divide it runs the
 * next larger one (said as a change). Tokens/s does not depend on the micro-batch in the throughput model
 * (throughput.ts), so per setup the search keeps one micro-batch: the file's when it fits, else the largest that fits.
 * Micro-batches are tried smallest first and the first that does not fit ends the row: activations and logits grow
 * with the micro-batch, the rest does not depend on it, so a larger one cannot fit either.
 * The optimizer, LoRA rank and targets, sequence length and attention are the file's (they change the job, not its
 * setup); offload is never proposed (its transfers are not in the step-time model) but the file's own setup keeps it.
 * The file's own setup is always estimated and ranked among the candidates, so it is listed unless cheaper ones fill
 * the list.
 */
import { GpuCatalog, GpuSpec, isConsumerGpu } from '../catalog/gpus';
import { estimateTraining } from '../estimator/training/estimate';
import { DEFAULT_LORA_RANK } from '../estimator/training/resolve';
import { DEFAULT_LORA_TARGETS } from '../estimator/training/modules';
import type { TrainingEstimate, TrainingInputs } from '../estimator/training/types';
import type { TrainingMethod, TrainingPrecision } from '../plan/training';
import type { ShardingChoice, TrainingPlanRow, TrainingSearchOptions, TrainingSearchResult, TrainingTarget } from './searchTypes';

export const SEARCH_COUNTS = [1, 2, 4, 8];
/** A bound on the work whatever the catalog's size: estimates are ~0.1 ms each. */
const MAX_ESTIMATES = 60_000;
const DEFAULT_LIMIT = 10;

const shardingLabel = (s: ShardingChoice): string => (s.kind === 'none' ? 'none' : s.kind === 'zero' ? `ZeRO-${s.stage}` : `FSDP ${s.stage === 3 ? 'FULL_SHARD' : s.stage === 2 ? 'SHARD_GRAD_OP' : 'NO_SHARD'}`);
export { shardingLabel };

function shardingChoices(base: TrainingInputs, gpus: number): ShardingChoice[] {
  if (gpus === 1) return [{ kind: 'none', stage: 0 }];
  if (base.sharding.kind === 'fsdp') return [{ kind: 'none', stage: 0 }, { kind: 'fsdp', stage: 2 }, { kind: 'fsdp', stage: 3 }];
  return [{ kind: 'none', stage: 0 }, { kind: 'zero', stage: 1 }, { kind: 'zero', stage: 2 }, { kind: 'zero', stage: 3 }];
}

function precisionChoices(base: TrainingInputs): TrainingPrecision[] {
  const out: TrainingPrecision[] = [base.precision];
  for (const p of ['bf16', 'mixed'] as const) if (!out.includes(p)) out.push(p);
  return out;
}

/** Micro-batches that split `perGpu` samples evenly: the powers of two dividing it, the file's, and all of it. */
function microBatches(perGpu: number, fileMicro: number): number[] {
  const set = new Set<number>([perGpu]);
  for (let m = 1; m < perGpu; m *= 2) if (perGpu % m === 0) set.add(m);
  if (perGpu % fileMicro === 0) set.add(fileMicro);
  return [...set].sort((a, b) => a - b);
}

/** The base inputs moved to another method: LoRA adapters as the file has them (PEFT defaults otherwise), 4-bit for QLoRA. */
function withMethod(base: TrainingInputs, method: TrainingMethod): Pick<TrainingInputs, 'method' | 'lora' | 'quantBits' | 'doubleQuant'> {
  if (method === base.method) return { method, lora: base.lora, quantBits: base.quantBits, doubleQuant: base.doubleQuant };
  const lora = method === 'lora' || method === 'qlora'
    ? base.lora ?? { rank: DEFAULT_LORA_RANK, alpha: DEFAULT_LORA_RANK * 2, targets: DEFAULT_LORA_TARGETS, dora: false, adapterDtype: 'fp32' as const }
    : undefined;
  const quantBits = method === 'qlora' ? 4 : undefined;
  return { method, lora, quantBits, doubleQuant: quantBits === 4 };
}

export function targetText(t: TrainingTarget): string {
  const parts: string[] = [];
  if (t.tokensPerSecond !== undefined) parts.push(`at least ${Math.round(t.tokensPerSecond).toLocaleString('en-US')} tokens/s`);
  if (t.tokens !== undefined) parts.push(`${t.tokens.toLocaleString('en-US')} tokens${t.maxHours !== undefined ? ` within ${t.maxHours} h` : ''}`);
  if (!parts.length) return 'cheapest per token (no target: any setup that fits qualifies)';
  return `cheapest for ${parts.join(', ')}`;
}

function rankCost(r: TrainingPlanRow, t: TrainingTarget): number {
  if (t.tokens !== undefined) return r.totalCost ?? Infinity;
  if (t.tokensPerSecond !== undefined) return r.costPerHour;
  return r.costPerMillionTokens;
}

export function row(e: TrainingEstimate, x: TrainingInputs, base: TrainingInputs, t: TrainingTarget, isFile: boolean): TrainingPlanRow {
  const costPerHour = x.gpu.pricePerHour * x.gpus;
  const tps = e.tokensPerSecond;
  const hours = t.tokens !== undefined && tps > 0 ? t.tokens / tps / 3600 : undefined;
  const meetsTarget = e.fits && tps > 0
    && (t.tokensPerSecond === undefined || tps >= t.tokensPerSecond)
    && (t.maxHours === undefined || hours === undefined || hours <= t.maxHours);
  const sharding: ShardingChoice = { kind: x.sharding.kind, stage: x.sharding.stage };
  return {
    gpu: x.gpu.id, gpus: x.gpus, method: x.method, precision: x.precision, sharding, offload: offloadOf(x.sharding),
    gradientCheckpointing: x.gradientCheckpointing, microBatch: x.microBatch, gradAccum: x.gradAccum, effectiveBatch: e.effectiveBatch,
    peakBytesPerGpu: e.peakBytesPerGpu, capacityBytesPerGpu: e.capacityBytes, tokensPerSecond: tps, stepSeconds: e.stepSeconds,
    costPerHour, costPerMillionTokens: tps > 0 ? (costPerHour / (tps * 3600)) * 1e6 : Infinity,
    ...(hours !== undefined ? { hours, totalCost: hours * costPerHour } : {}),
    meetsTarget, fits: e.fits, isFile, changes: isFile ? [] : changesFrom(base, x),
  };
}

const offloadOf = (s: TrainingInputs['sharding']): TrainingPlanRow['offload'] => (s.offloadParams !== 'none' ? 'params' : s.offloadOptimizer !== 'none' ? 'optimizer' : 'none');

function changesFrom(base: TrainingInputs, x: TrainingInputs): TrainingPlanRow['changes'] {
  const out: TrainingPlanRow['changes'] = [];
  const add = (knob: string, from: string | number | boolean, to: string | number | boolean) => { if (from !== to) out.push({ knob, from, to }); };
  add('gpu', base.gpu.id, x.gpu.id);
  add('gpus', base.gpus, x.gpus);
  add('method', base.method, x.method);
  add('precision', base.precision, x.precision);
  add('sharding', shardingLabel(base.sharding), shardingLabel(x.sharding));
  add('offload', offloadOf(base.sharding), offloadOf(x.sharding));
  add('gradientCheckpointing', base.gradientCheckpointing, x.gradientCheckpointing);
  add('microBatch', base.microBatch, x.microBatch);
  add('gradAccum', base.gradAccum, x.gradAccum);
  add('effectiveBatch', base.microBatch * base.gradAccum * base.gpus, x.microBatch * x.gradAccum * x.gpus);
  return out;
}

/** The GPUs searched: the ones asked for, else every datacenter GPU with a price and the file's own GPU. */
function searchGpus(catalog: GpuCatalog, asked: string[] | undefined, onFile: GpuSpec, notes: string[]): GpuSpec[] {
  if (asked?.length) {
    const out: GpuSpec[] = [];
    for (const name of asked) {
      const g = catalog.find(name);
      if (!g) notes.push(`unknown GPU "${name}" skipped${catalog.nearest(name) ? ` (did you mean ${catalog.nearest(name)!.id}?)` : ''}`);
      else if (!out.includes(g)) out.push(g);
    }
    return out;
  }
  const out = catalog.gpus.filter((g) => g === onFile || (!isConsumerGpu(g) && g.pricePerHour > 0));
  if (!isConsumerGpu(onFile) && catalog.gpus.some(isConsumerGpu)) notes.push('datacenter GPUs only: list consumer cards (e.g. RTX-4090) with --search-gpus to include them');
  return out;
}

/**
 * @param base the file's setup, resolved (resolveTraining): its GPU, count, method and knobs are the starting point.
 */
export function searchTraining(base: TrainingInputs, catalog: GpuCatalog, o: TrainingSearchOptions): TrainingSearchResult {
  const notes: string[] = [];
  const t = o.target;
  const methods = o.methods?.length ? [...new Set(o.methods)] : [base.method];
  const counts = o.counts?.length ? o.counts : SEARCH_COUNTS;
  const gpus = searchGpus(catalog, o.gpus, base.gpu, notes);
  const effective = base.microBatch * base.gradAccum * base.gpus;
  const currentEstimate = estimateTraining(base);
  const current = row(currentEstimate, base, base, t, true);
  const candidates: TrainingPlanRow[] = [current];
  let searched = 1;
  let capped = false;
  const grown = new Set<number>();

  outer: for (const gpu of gpus) {
    for (const n of counts) {
      const perGpu = Math.ceil(effective / n);
      if (perGpu * n !== effective) grown.add(n);
      for (const method of methods) {
        const m = withMethod(base, method);
        for (const precision of precisionChoices(base)) {
          for (const sh of shardingChoices(base, n)) {
            for (const ckpt of [false, true]) {
              let keep: TrainingPlanRow | undefined;
              for (const micro of microBatches(perGpu, base.microBatch)) {
                if (searched >= MAX_ESTIMATES) { capped = true; break outer; }
                const x: TrainingInputs = {
                  ...base, ...m, precision, gpu, gpus: n, gpusPerNode: n, gradientCheckpointing: ckpt,
                  sharding: { kind: sh.kind, stage: sh.stage, offloadOptimizer: 'none', offloadParams: 'none' },
                  microBatch: micro, gradAccum: perGpu / micro,
                };
                const e = estimateTraining(x);
                searched++;
                if (!e.fits) break;
                const r = row(e, x, base, t, false);
                // The file's micro-batch when it fits (fewer changes), else the largest that does.
                if (!keep || keep.microBatch !== base.microBatch) keep = r;
              }
              if (keep?.meetsTarget) candidates.push(keep);
            }
          }
        }
      }
    }
  }
  if (capped) notes.push(`search stopped after ${MAX_ESTIMATES.toLocaleString('en-US')} estimates: narrow it with --search-gpus`);
  if (grown.size) notes.push(`${[...grown].sort((a, b) => a - b).join(', ')} GPUs cannot split the effective batch of ${effective} evenly: those setups run the next larger effective batch`);

  const plans = bestPerSetup(candidates.filter((c) => c.meetsTarget), t).sort((a, b) => compareRows(a, b, t));
  const limit = o.limit ?? DEFAULT_LIMIT;
  if (!plans.length) notes.push(currentEstimate.fits ? `no setup meets the target (${targetText(t)}); the file's own runs ${Math.round(current.tokensPerSecond).toLocaleString('en-US')} tokens/s` : 'no setup searched fits: try --search-methods lora,qlora, more GPUs, or a shorter sequence');
  if (plans.slice(0, limit).some((p) => p.precision === 'bf16' && base.precision !== 'bf16' && base.method === 'full')) notes.push('pure bf16 (no fp32 master weights) halves the weight, gradient and optimizer memory of a full fine-tune; it can hurt convergence on long runs (Kahan summation or stochastic rounding help)');
  notes.push(`held fixed: optimizer ${base.optimizer}, sequence length ${base.seqLen}, attention ${base.attention}${base.lora ? `, LoRA rank ${base.lora.rank}` : ''}; effective batch ${effective}; GPUs within one node; no offload proposed (its transfers are not in the step-time model)`);
  notes.push('prices are approximate on-demand list prices per GPU-hour (catalog/gpus.ts): for comparison, not invoices');
  return { plans: plans.slice(0, limit), current, searched, searchedFor: targetText(t), notes };
}

/** Cheaper first; at the same cost (throughput scales with the GPUs, so a job's $ often ties across counts) fewer
 *  changes to the file, then the faster, then the one with more headroom. */
export function compareRows(a: TrainingPlanRow, b: TrainingPlanRow, t: TrainingTarget): number {
  const ca = rankCost(a, t);
  const cb = rankCost(b, t);
  if (Math.abs(ca - cb) > 1e-9 * Math.max(ca, cb)) return ca - cb;
  return a.changes.length - b.changes.length || b.tokensPerSecond - a.tokensPerSecond || a.peakBytesPerGpu / a.capacityBytesPerGpu - b.peakBytesPerGpu / b.capacityBytesPerGpu;
}

/** One row per GPU type, count and method (ZeRO stages and precisions that tie on cost are variants of one setup): the
 *  best by compareRows. The file's own setup always stands on its own. */
function bestPerSetup(rows: TrainingPlanRow[], t: TrainingTarget): TrainingPlanRow[] {
  const seen = new Map<string, TrainingPlanRow>();
  for (const r of rows) {
    const k = r.isFile ? 'file' : `${r.gpu}/${r.gpus}/${r.method}`;
    const had = seen.get(k);
    if (!had || compareRows(r, had, t) < 0) seen.set(k, r);
  }
  const file = seen.get('file');
  // The file's setup replaces the grid's row of the same hardware and method when it is no worse.
  if (file) {
    const k = `${file.gpu}/${file.gpus}/${file.method}`;
    const same = seen.get(k);
    if (same && compareRows(file, same, t) <= 0) seen.delete(k);
  }
  return [...seen.values()];
}

/** A stable id for a plan (the report's and the editor's pick send it back). */
export function trainingPlanKey(r: Pick<TrainingPlanRow, 'gpu' | 'gpus' | 'method' | 'precision' | 'sharding' | 'offload' | 'gradientCheckpointing' | 'microBatch' | 'gradAccum'>): string {
  return `${r.gpu}/${r.gpus}/${r.method}/${r.precision}/${r.sharding.kind}${r.sharding.stage}${r.offload === 'none' ? '' : `+${r.offload}`}/${r.gradientCheckpointing ? 'ckpt' : 'nockpt'}/${r.microBatch}x${r.gradAccum}`;
}
