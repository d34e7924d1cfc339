/**
 * Decoding settings on a deployment served for pooling. An embedding / scoring request is one forward over its prompt
 * with no output token, so settings that only pay off in decode buy nothing there: an FP8 KV cache (an encoder keeps
 * no KV; a decoder embedder's KV lives for one forward), speculative decoding (no tokens to draft), prefix caching on
 * an encoder (nothing is cached), and a max-num-seqs sized for decode batches when the token budget admits far fewer
 * prompts per batch (vLLM's scheduler admits prompts while max-num-batched-tokens lasts).
 */
import { REMOVE_SPECULATIVE } from './speculativeSlower';
import { poolingBatch } from '../estimator/pooling';
import { describeChange, expressible } from '../edits/knobNames';
import { rangeFor } from './estimatorIssues';
import type { Finding, FixIntent, Rule, RuleContext } from './types';

/** The largest token budget the fix proposes: larger batches add activation memory for little more throughput. */
const MAX_PROPOSED_BUDGET = 65536;

function budgetFix(ctx: RuleContext, prompts: number, inputLen: number): FixIntent | undefined {
  const p = ctx.estimate.pooling!;
  const target = Math.min(MAX_PROPOSED_BUDGET, 2 ** Math.ceil(Math.log2(prompts * inputLen)));
  if (target <= p.tokenBudget) return undefined;
  const after = ctx.whatIf([{ knob: 'maxNumBatchedTokens', value: target }]);
  if (!after?.pooling || !after.memory.fits || after.pooling.sequencesPerSec <= p.sequencesPerSec * 1.02) return undefined;
  return {
    title: `Set ${describeChange(ctx.estimate.serving.engine, 'maxNumBatchedTokens', target)} — ${p.batchSequences} → ${after.pooling.batchSequences} prompts per batch, ${p.sequencesPerSec.toFixed(0)} → ${after.pooling.sequencesPerSec.toFixed(0)} prompts/s`,
    changes: [{ knob: 'maxNumBatchedTokens', value: target }],
  };
}

export const poolingDecodeKnobsRule: Rule = {
  code: 'pooling-decode-knobs',
  description: 'Decoding settings (FP8 KV, speculative decoding, prefix caching, a decode-sized max-num-seqs) on a pooling deployment',
  defaultSeverity: 'info',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const p = e.pooling;
    if (!p) return [];
    const engine = e.serving.engine;
    const k = plan.knobs;
    const out: Finding[] = [];
    const fromFile = (s: { source: { kind: string } } | undefined) => s?.source.kind === 'file';
    const kvWhy = p.kv === 'none' ? 'the model keeps no KV cache at all' : `a pooling batch writes at most ${p.tokenBudget} tokens of KV and frees them after its one forward, so the pool's size never limits it`;
    if (fromFile(k.kvCacheDtype) && !/^(auto|bf16|bfloat16|float16)$/.test(String(k.kvCacheDtype!.value))) {
      const fix: FixIntent[] = expressible(engine, 'kvCacheDtype', 'auto') ? [{ title: `Set ${describeChange(engine, 'kvCacheDtype', 'auto')} — the model dtype, as the pooled states are computed`, changes: [{ knob: 'kvCacheDtype', value: 'auto' }], preferred: true }] : [];
      out.push({ rule: this.code, severity: this.defaultSeverity, range: rangeFor(plan, k.kvCacheDtype!.source), fixes: fix,
        message: `kv-cache-dtype ${k.kvCacheDtype!.value} on a pooling deployment: ${kvWhy}. A quantized KV cache only helps decode-bound serving.` });
    }
    if (fromFile(k.speculative)) {
      out.push({ rule: this.code, severity: 'warning', range: rangeFor(plan, k.speculative!.source),
        fixes: [{ title: 'Remove speculative decoding — a pooling request drafts nothing', changes: REMOVE_SPECULATIVE }],
        message: 'Speculative decoding on a pooling deployment: a pooling request generates no tokens, so there is nothing to draft — remove the speculative settings (a draft model would only take memory).' });
    }
    if (fromFile(k.enablePrefixCaching) && k.enablePrefixCaching!.value === true && p.kv === 'none') {
      out.push({ rule: this.code, severity: this.defaultSeverity, range: rangeFor(plan, k.enablePrefixCaching!.source),
        fixes: [{ title: `Set ${describeChange(engine, 'enablePrefixCaching', false)} — an encoder caches no prefix`, changes: [{ knob: 'enablePrefixCaching', value: false }] }],
        message: 'Prefix caching on an encoder-only pooling model: its attention is bidirectional and keeps no KV, so there is no prefix to reuse.' });
    }
    // TEI's max-concurrent-requests is its admission limit, not a decode batch: only the generation engines' caps.
    if (engine !== 'tei' && fromFile(k.maxNumSeqs)) {
      const inputLen = Math.max(1, Math.round(p.batchTokens / p.batchSequences));
      const admitted = poolingBatch(inputLen, p.tokenBudget, Infinity, Infinity);
      const seqs = k.maxNumSeqs!.value;
      if (seqs > 2 * admitted) {
        out.push({ rule: this.code, severity: this.defaultSeverity, range: rangeFor(plan, k.maxNumSeqs!.source),
          fixes: [budgetFix(ctx, Math.min(seqs, Math.ceil(MAX_PROPOSED_BUDGET / inputLen)), inputLen)].filter((f): f is FixIntent => !!f),
          message: `max-num-seqs ${seqs} is a decode-batch setting: a pooling batch is bounded by its token budget, and ${e.serving.engine === 'sglang' ? 'chunked-prefill-size' : p.budgetKnob} ${p.tokenBudget} admits only ${admitted} prompts of ${inputLen} tokens. Raise the token budget to batch more prompts per forward.` });
      }
    }
    return out;
  },
};
