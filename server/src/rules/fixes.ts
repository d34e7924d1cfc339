/**
 * Fix intents shared by several rules. Each title states the fix's effect, measured by re-running the estimator on
 * the edited plan ("Set kv-cache-dtype: fp8 — KV capacity 448k → 896k tokens").
 */
import type { Estimate } from '../estimator/estimate';
import { GiB } from '../estimator/memory';
import { describeChange } from '../edits/knobNames';
import { techniqueFor } from '../evidence/techniques';
import type { FixIntent, KnobChange, RuleContext } from './types';

/** The technique family a change applies: evidence/techniques.ts decides it from the change (hovers use it too). */
export { KNOB_TECHNIQUE } from '../evidence/techniques';

const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
const gib = (b: number) => `${(b / GiB).toFixed(1)} GiB`;

function title(ctx: RuleContext, changes: KnobChange[], effect: (before: Estimate, after: Estimate) => string): FixIntent | undefined {
  const after = ctx.whatIf(changes);
  // A fix for a deployment that does not fit must make it fit; half-measures are not offered as quick fixes.
  if (!after || (!ctx.estimate.memory.fits && !after.memory.fits)) return undefined;
  const what = changes.map((c) => describeChange(ctx.estimate.serving.engine, c.knob, c.value)).join(', ');
  return { title: `Set ${what} — ${effect(ctx.estimate, after)}`, changes, technique: techniqueFor(changes) };
}

const fitNote = (b: Estimate, a: Estimate) => (!b.memory.fits && a.memory.fits ? ', fits' : '');

export function kvFp8Fix(ctx: RuleContext): FixIntent | undefined {
  const e = ctx.estimate;
  if (e.serving.kvCacheDtype === 'fp8' || e.serving.kvCacheDtype === 'fp4' || !e.hardware.nativeFormats.includes('fp8')) return undefined;
  return title(ctx, [{ knob: 'kvCacheDtype', value: 'fp8' }], (b, a) => `KV capacity ${tokens(b.memory.kvCapacityTokens)} → ${tokens(a.memory.kvCapacityTokens)} tokens${fitNote(b, a)}`);
}

export function fp8WeightsFix(ctx: RuleContext): FixIntent | undefined {
  const e = ctx.estimate;
  if (e.serving.weightDtype !== 'bf16' && e.serving.weightDtype !== 'fp16') return undefined;
  if (!e.hardware.nativeFormats.includes('fp8')) return undefined;
  return title(ctx, [{ knob: 'quantization', value: 'fp8' }], (b, a) => `weights ${gib(b.memory.weightsBytesPerGpu)} → ${gib(a.memory.weightsBytesPerGpu)} per GPU, TPOT ${b.latency.tpotMs.toFixed(1)} → ${a.latency.tpotMs.toFixed(1)} ms${fitNote(b, a)}`);
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

export function tpUpFix(ctx: RuleContext, heads: number, kvHeads: number, mla: boolean): FixIntent | undefined {
  const tp = nextTp(heads, kvHeads, ctx.estimate.serving.tensorParallel, mla);
  if (!tp) return undefined;
  // A file that states its GPU count (a pod's limits, a profile) would need that changed too: not a one-key fix.
  const count = ctx.plan.hardware.count;
  if (count && (count.source.kind === 'file' || count.source.kind === 'profile') && count.value < tp * ctx.estimate.serving.pipelineParallel) return undefined;
  return title(ctx, [{ knob: 'tensorParallel', value: tp }], (b, a) => `weights ${gib(b.memory.weightsBytesPerGpu)} → ${gib(a.memory.weightsBytesPerGpu)} per GPU on ${tp} GPUs, KV ${tokens(b.memory.kvCapacityTokens)} → ${tokens(a.memory.kvCapacityTokens)} tokens${fitNote(b, a)}`);
}

/**
 * DP attention for an MoE model whose KV tensor parallelism copies (SGLang, TensorRT-LLM): TP keeps every request's MLA
 * latent on every GPU, and each KV head on TP / kv-heads GPUs when TP exceeds the KV heads; attention ranks keep one
 * copy of their own requests' KV, so the same GPUs hold up to TP times the tokens.
 */
export function dpAttentionFix(ctx: RuleContext): FixIntent | undefined {
  const e = ctx.estimate;
  const engine = e.serving.engine;
  const tp = e.serving.tensorParallel;
  const copies = e.model.mla || (e.model.experts > 0 && tp > e.model.kvHeads);
  if (!copies || tp < 2 || (engine !== 'sglang' && engine !== 'trtllm')) return undefined;
  if (ctx.plan.knobs.attentionDataParallel?.value || e.serving.dataParallel > 1) return undefined;
  const changes: KnobChange[] = [{ knob: 'attentionDataParallel', value: true }];
  if (engine === 'sglang') changes.push({ knob: 'dataParallel', value: e.serving.tensorParallel });
  return title(ctx, changes, (b, a) => `KV capacity ${tokens(b.memory.kvCapacityTokens)} → ${tokens(a.memory.kvCapacityTokens)} tokens on the same ${a.hardware.count} GPUs, weights ${gib(b.memory.weightsBytesPerGpu)} → ${gib(a.memory.weightsBytesPerGpu)} per GPU${fitNote(b, a)}`);
}

export function maxLenFix(ctx: RuleContext): FixIntent | undefined {
  const fits = ctx.estimate.memory.maxModelLenThatFits;
  if (fits < 256) return undefined;
  const value = fits > 8192 ? Math.floor(fits / 1024) * 1024 : fits;
  return title(ctx, [{ knob: 'maxModelLen', value }], (b, a) => `the longest context that fits (${a.memory.maxConcurrency}× requests of ${value} tokens)`);
}

export function utilizationFix(ctx: RuleContext, value: number): FixIntent | undefined {
  if (Math.abs(ctx.estimate.serving.gpuMemoryUtilization - value) < 1e-6) return undefined;
  return title(ctx, [{ knob: 'gpuMemoryUtilization', value }], (b, a) => `KV pool ${gib(b.memory.kvPoolBytesPerGpu)} → ${gib(a.memory.kvPoolBytesPerGpu)} per GPU${fitNote(b, a)}`);
}

export function prefixCachingFix(ctx: RuleContext): FixIntent | undefined {
  return title(ctx, [{ knob: 'enablePrefixCaching', value: true }], (b, a) => `TTFT ${b.latency.ttftMs.toFixed(0)} → ${a.latency.ttftMs.toFixed(0)} ms`);
}

export function chunkedPrefillFix(ctx: RuleContext): FixIntent | undefined {
  return title(ctx, [{ knob: 'enableChunkedPrefill', value: true }, { knob: 'maxNumBatchedTokens', value: 8192 }], (b, a) => `TPOT ${b.latency.tpotMs.toFixed(1)} → ${a.latency.tpotMs.toFixed(1)} ms under long prompts`);
}

export function speculativeFix(ctx: RuleContext): FixIntent | undefined {
  if (ctx.estimate.serving.engine !== 'vllm' || ctx.plan.knobs.speculative) return undefined;
  const changes: KnobChange[] = [{ knob: 'speculative', value: JSON.stringify({ method: 'ngram', num_speculative_tokens: 3, prompt_lookup_max: 4 }) }];
  const after = ctx.whatIf(changes);
  if (!after || after.latency.tpotMs >= ctx.estimate.latency.tpotMs) return undefined;
  return { title: `Add speculative decoding (n-gram, 3 tokens) — TPOT ${ctx.estimate.latency.tpotMs.toFixed(1)} → ${after.latency.tpotMs.toFixed(1)} ms at this load`, changes, technique: 'speculative-decoding' };
}

export const present = <T>(xs: Array<T | undefined | false>): T[] => xs.filter((x): x is T => x !== undefined && x !== false);

/** Only the fixes after which the estimator no longer reports `code` (a quick fix must fix). */
export function resolving(ctx: RuleContext, code: string, fixes: Array<FixIntent | undefined | false>): FixIntent[] {
  return present(fixes).filter((f) => {
    const after = ctx.whatIf(f.changes);
    return after !== undefined && !after.issues.some((i) => i.code === code);
  });
}
