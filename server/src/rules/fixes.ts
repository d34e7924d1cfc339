/**
 * Fix intents shared by several rules. Each title states the fix's effect, measured by re-running the estimator on
 * the edited plan ("Set kv-cache-dtype: fp8 — KV capacity 448k → 896k tokens").
 */
import type { Estimate } from '../estimator/estimate';
import { GiB, settableMaxModelLen } from '../estimator/memory';
import { describeChange } from '../edits/knobNames';
import { techniqueFor } from '../evidence/techniques';
import type { HardwareChange } from '../plan/types';
import type { FixIntent, KnobChange, RuleContext } from './types';

/** The technique family a change applies: evidence/techniques.ts decides it from the change (hovers use it too). */
export { KNOB_TECHNIQUE } from '../evidence/techniques';

const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
const gib = (b: number) => `${(b / GiB).toFixed(1)} GiB`;

/** A change before the estimator has measured it: knobs, and the GPUs per replica it needs when it changes them. */
export interface Candidate {
  changes: KnobChange[];
  hardware?: HardwareChange;
}

/** What a fix buys, from the estimates before and after it (the part of its title after the dash). */
export type Effect = (before: Estimate, after: Estimate) => string;

export const measure = (ctx: RuleContext, c: Candidate) => ctx.whatIf(c.changes, c.hardware);

/** "kv-cache-dtype: fp8", "tensor-parallel-size: 2 on 2 × L4": what the title says the fix sets. */
function describeCandidate(ctx: RuleContext, c: Candidate): string {
  const what = c.changes.map((x) => describeChange(ctx.estimate.serving.engine, x.knob, x.value)).join(', ');
  const n = c.hardware?.gpusPerReplica;
  return n !== undefined && n !== ctx.estimate.hardware.count ? `${what} on ${n} × ${c.hardware?.gpu ?? ctx.estimate.hardware.gpu}` : what;
}

export const intent = (ctx: RuleContext, c: Candidate, after: Estimate, effect: Effect): FixIntent => ({
  title: `Set ${describeCandidate(ctx, c)} — ${effect(ctx.estimate, after)}`, changes: c.changes, ...(c.hardware ? { hardware: c.hardware } : {}), technique: techniqueFor(c.changes, c.hardware),
});

function title(ctx: RuleContext, c: Candidate | undefined, effect: Effect): FixIntent | undefined {
  if (!c) return undefined;
  const after = measure(ctx, c);
  // A fix for a deployment that does not fit must make it fit; half-measures are not offered as quick fixes.
  if (!after || (!ctx.estimate.memory.fits && !after.memory.fits)) return undefined;
  return intent(ctx, c, after, effect);
}

const fitNote = (b: Estimate, a: Estimate) => (!b.memory.fits && a.memory.fits ? ', fits' : '');

/** FP8 KV where the GPU computes attention in FP8 natively (elsewhere it is dequantized: kv-dtype-not-native). */
export function kvFp8Change(e: Estimate): Candidate | undefined {
  if (e.serving.kvCacheDtype === 'fp8' || e.serving.kvCacheDtype === 'fp4' || !e.hardware.nativeFormats.includes('fp8')) return undefined;
  return { changes: [{ knob: 'kvCacheDtype', value: 'fp8' }] };
}

/**
 * Online FP8 weights of a 16-bit checkpoint: on GPUs with FP8 tensor cores, and with vLLM also on Ampere (SM 80+,
 * i.e. bf16 tensor cores), where its weight-only FP8 Marlin kernels halve the weight memory and keep 16-bit math.
 */
export function fp8WeightsChange(e: Estimate): Candidate | undefined {
  if (e.serving.weightDtype !== 'bf16' && e.serving.weightDtype !== 'fp16') return undefined;
  const native = e.hardware.nativeFormats.includes('fp8');
  const weightOnly = e.serving.engine === 'vllm' && e.hardware.nativeFormats.includes('bf16');
  if (!native && !weightOnly) return undefined;
  return { changes: [{ knob: 'quantization', value: 'fp8' }] };
}

/**
 * vLLM's highest gpu-memory-utilization that still leaves 2 GiB per GPU outside the engine (see utilization-headroom),
 * at most 0.95: a change only when it raises the current value.
 */
export function headroomUtilizationChange(e: Estimate): Candidate | undefined {
  const target = Math.min(0.95, Math.floor((1 - (2 * GiB) / e.hardware.memoryBytesPerGpu) * 100) / 100);
  return e.serving.engine === 'vllm' && target > e.serving.gpuMemoryUtilization + 0.01 ? utilizationChange(e, target) : undefined;
}

export function utilizationChange(e: Estimate, value: number): Candidate | undefined {
  if (Math.abs(e.serving.gpuMemoryUtilization - value) < 1e-6) return undefined;
  return { changes: [{ knob: 'gpuMemoryUtilization', value }] };
}

/** The next tensor-parallel size that divides the attention heads and suits the KV heads (≤ 8 GPUs in a node). */
export function nextTp(heads: number, kvHeads: number, current: number, mla: boolean): number | undefined {
  // Within one 8-GPU node: crossing nodes is a different deployment, not a quick fix.
  for (const tp of [2, 4, 8]) {
    if (tp <= current) continue;
    if (mla || (heads % tp === 0 && (kvHeads % tp === 0 || tp % kvHeads === 0))) return tp;
  }
  return undefined;
}

/**
 * The next valid TP with the GPUs it needs: the replica's GPU count grows with TP (× PP × DP ranks), and the fix
 * carries that count so the edit writes it where the file states GPUs (pod limits, Compose devices, Helm requestGPU).
 * A file that already gives the replica more GPUs than it uses gets the TP that uses them, when that TP is valid.
 */
export function tpUpChange(e: Estimate, statedGpus?: number): Candidate | undefined {
  const current = e.serving.tensorParallel;
  const perTp = e.hardware.count / current;
  const fill = statedGpus && statedGpus > e.hardware.count && statedGpus % perTp === 0 ? statedGpus / perTp : undefined;
  const valid = (tp: number) => e.model.mla || (e.model.heads % tp === 0 && (e.model.kvHeads % tp === 0 || tp % e.model.kvHeads === 0));
  const tp = fill && fill <= 8 && valid(fill) ? fill : nextTp(e.model.heads, e.model.kvHeads, current, e.model.mla);
  if (!tp) return undefined;
  const gpusPerReplica = Math.round(perTp * tp);
  if (gpusPerReplica > 8) return undefined;
  return { changes: [{ knob: 'tensorParallel', value: tp }], hardware: { gpusPerReplica } };
}

/**
 * DP attention for an MoE model whose KV tensor parallelism copies (SGLang, TensorRT-LLM): TP keeps every request's MLA
 * latent on every GPU, and each KV head on TP / kv-heads GPUs when TP exceeds the KV heads; attention ranks keep one
 * copy of their own requests' KV, so the same GPUs hold up to TP times the tokens.
 */
export function dpAttentionChange(ctx: RuleContext): Candidate | undefined {
  const e = ctx.estimate;
  const engine = e.serving.engine;
  const tp = e.serving.tensorParallel;
  const copies = e.model.mla || (e.model.experts > 0 && tp > e.model.kvHeads);
  if (!copies || tp < 2 || (engine !== 'sglang' && engine !== 'trtllm')) return undefined;
  if (ctx.plan.knobs.attentionDataParallel?.value || e.serving.dataParallel > 1) return undefined;
  const changes: KnobChange[] = [{ knob: 'attentionDataParallel', value: true }];
  if (engine === 'sglang') changes.push({ knob: 'dataParallel', value: e.serving.tensorParallel });
  return { changes };
}

export const kvCapacityEffect: Effect = (b, a) => `KV capacity ${tokens(b.memory.kvCapacityTokens)} → ${tokens(a.memory.kvCapacityTokens)} tokens${fitNote(b, a)}`;

export function kvFp8Fix(ctx: RuleContext): FixIntent | undefined {
  return title(ctx, kvFp8Change(ctx.estimate), kvCapacityEffect);
}

export function fp8WeightsFix(ctx: RuleContext): FixIntent | undefined {
  return title(ctx, fp8WeightsChange(ctx.estimate), (b, a) => `weights ${gib(b.memory.weightsBytesPerGpu)} → ${gib(a.memory.weightsBytesPerGpu)} per GPU, TPOT ${b.latency.tpotMs.toFixed(1)} → ${a.latency.tpotMs.toFixed(1)} ms${fitNote(b, a)}`);
}

export function tpUpFix(ctx: RuleContext): FixIntent | undefined {
  return title(ctx, tpUpChange(ctx.estimate, ctx.plan.hardware.count?.value), (b, a) => `weights ${gib(b.memory.weightsBytesPerGpu)} → ${gib(a.memory.weightsBytesPerGpu)} per GPU, KV ${tokens(b.memory.kvCapacityTokens)} → ${tokens(a.memory.kvCapacityTokens)} tokens${fitNote(b, a)}`);
}

export function dpAttentionFix(ctx: RuleContext): FixIntent | undefined {
  return title(ctx, dpAttentionChange(ctx), (b, a) => `KV capacity ${tokens(b.memory.kvCapacityTokens)} → ${tokens(a.memory.kvCapacityTokens)} tokens on the same ${a.hardware.count} GPUs, weights ${gib(b.memory.weightsBytesPerGpu)} → ${gib(a.memory.weightsBytesPerGpu)} per GPU${fitNote(b, a)}`);
}

/** Cut max-model-len to the longest one request the pool holds (rounded as the estimator's message says). */
export function maxLenFix(ctx: RuleContext): FixIntent | undefined {
  const e = ctx.estimate;
  const fits = e.memory.maxModelLenThatFits;
  if (fits < 256) return undefined;
  // Capped at the length the engine accepts for this model (its positions, or what a RoPE override extends them to).
  const value = settableMaxModelLen(fits, e.model.contextLimit);
  const capped = fits >= e.model.contextLimit;
  return title(ctx, { changes: [{ knob: 'maxModelLen', value }] }, (b, a) => capped
    ? `the model's own context length (${a.memory.maxConcurrency}× requests of ${value} tokens fit)`
    : `the longest context that fits${value !== fits ? ` (up to ${fits}, rounded down)` : ''}, ${a.memory.maxConcurrency}× requests of ${value} tokens`);
}

const poolEffect: Effect = (b, a) => `KV pool ${gib(b.memory.kvPoolBytesPerGpu)} → ${gib(a.memory.kvPoolBytesPerGpu)} per GPU${fitNote(b, a)}`;

export function utilizationFix(ctx: RuleContext, value: number): FixIntent | undefined {
  return title(ctx, utilizationChange(ctx.estimate, value), poolEffect);
}

export function headroomUtilizationFix(ctx: RuleContext): FixIntent | undefined {
  return title(ctx, headroomUtilizationChange(ctx.estimate), poolEffect);
}

export function prefixCachingFix(ctx: RuleContext): FixIntent | undefined {
  return title(ctx, { changes: [{ knob: 'enablePrefixCaching', value: true }] }, (b, a) => `TTFT ${b.latency.ttftMs.toFixed(0)} → ${a.latency.ttftMs.toFixed(0)} ms`);
}

export function chunkedPrefillFix(ctx: RuleContext): FixIntent | undefined {
  return title(ctx, { changes: [{ knob: 'enableChunkedPrefill', value: true }, { knob: 'maxNumBatchedTokens', value: 8192 }] }, (b, a) => `TPOT ${b.latency.tpotMs.toFixed(1)} → ${a.latency.tpotMs.toFixed(1)} ms under long prompts`);
}

export function speculativeFix(ctx: RuleContext): FixIntent | undefined {
  if (ctx.estimate.serving.engine !== 'vllm' || ctx.plan.knobs.speculative) return undefined;
  const changes: KnobChange[] = [{ knob: 'speculative', value: JSON.stringify({ method: 'ngram', num_speculative_tokens: 3, prompt_lookup_max: 4 }) }];
  const after = ctx.whatIf(changes);
  if (!after || after.latency.tpotMs >= ctx.estimate.latency.tpotMs) return undefined;
  return { title: `Add speculative decoding (n-gram, 3 tokens) — TPOT ${ctx.estimate.latency.tpotMs.toFixed(1)} → ${after.latency.tpotMs.toFixed(1)} ms at this load`, changes, technique: 'speculative-decoding' };
}

export const present = <T>(xs: Array<T | undefined | false>): T[] => xs.filter((x): x is T => x !== undefined && x !== false);

const errorCodes = (e: Estimate) => new Set(e.issues.filter((i) => i.severity === 'error').map((i) => i.code));

/** After the change the estimator no longer reports `code`, the deployment fits if it did not, and no new error appears. */
export function resolves(ctx: RuleContext, code: string, after: Estimate | undefined): after is Estimate {
  if (!after || after.issues.some((i) => i.code === code)) return false;
  const before = errorCodes(ctx.estimate);
  return [...errorCodes(after)].every((c) => before.has(c));
}

/** Only the fixes after which the estimator no longer reports `code` (a quick fix must fix), measured with their GPUs. */
export function resolving(ctx: RuleContext, code: string, fixes: Array<FixIntent | undefined | false>): FixIntent[] {
  return present(fixes).filter((f) => resolves(ctx, code, ctx.whatIf(f.changes, f.hardware)));
}

/**
 * A context whose what-ifs give nothing for changes that leave `code` — tested on memory first, which is cheap — so
 * fix functions called with it pay a full re-estimate (the latency in their titles) only for changes that resolve it.
 * For findings memory decides (does-not-fit, max-len-exceeds-kv, kv-limits-concurrency).
 */
export function resolvingOnly(ctx: RuleContext, code: string): RuleContext {
  const memoryIf = ctx.memoryIf;
  if (!memoryIf) return ctx;
  return { ...ctx, whatIf: (changes, hardware) => (resolves(ctx, code, memoryIf(changes, hardware)) ? ctx.whatIf(changes, hardware) : undefined) };
}
