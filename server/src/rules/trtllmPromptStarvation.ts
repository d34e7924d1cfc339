/**
 * TensorRT-LLM without chunked prefill schedules a prompt only whole, and only into the room max_num_tokens leaves after
 * the running decodes (its micro-batch scheduler counts the generation requests first, 1 + draft tokens each, and stops
 * at the first context request that does not fit: cpp/tensorrt_llm/batch_manager/microBatchScheduler.cpp, mirrored by
 * tensorrt_llm/_torch/pyexecutor/scheduler.py — from the code as recalled, not re-read here). A prompt of
 * max_num_tokens − d tokens therefore runs beside at most d decodes; more requests in flight wait for running ones to
 * finish, and at prompt = max_num_tokens the engine serves one request at a time (minutes of TTFT at 64 clients).
 * A prompt longer than max_num_tokens is refused by the LLM API ("The sum of prompt length … should not exceed
 * max_num_tokens", llmapi/llm.py _check_arguments, PyTorch backend with chunked prefill off — also as recalled).
 * The InferenceX recipes avoid both with max_num_tokens = ⌈C + ISL + 64⌉₆₄ (../shared/research/silicon-launch-recipes.md).
 */
import type { Estimate, Severity } from '../estimator/estimate';
import { rangeFor } from './estimatorIssues';
import { intent, measure, present } from './fixes';
import type { Candidate } from './fixes';
import type { FixIntent, Rule, RuleContext } from './types';

/** The recipes round their budget up to 64 tokens. */
const roundUp64 = (n: number) => Math.ceil(n / 64) * 64;

/** Requests of the workload's length one rank can hold at once: its max_batch_size and what its KV cache admits. */
function rankCapacity(e: Estimate): number {
  const dp = Math.max(1, e.serving.dataParallel);
  const kvAdmits = Math.floor(e.memory.kvCapacityTokens / dp / Math.max(1, e.workload.inputLen + e.workload.outputLen));
  return Math.max(1, Math.min(e.serving.maxNumSeqsPerRank, kvAdmits || 1));
}

/** Requests in flight on the busiest rank under this workload (the estimator splits them evenly over DP ranks). */
function rankInFlight(e: Estimate): number {
  return Math.max(1, Math.min(Math.ceil(e.latency.concurrency / Math.max(1, e.serving.dataParallel)), rankCapacity(e)));
}

const seconds = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function fix(ctx: RuleContext, c: Candidate, capacity: number, preferred: boolean): FixIntent | undefined {
  const after = measure(ctx, c);
  // A quick fix must not make a deployment that fits stop fitting (a larger budget reserves more activations).
  if (!after || (ctx.estimate.memory.fits && !after.memory.fits)) return undefined;
  const effect = (b: Estimate, a: Estimate) => Math.abs(a.latency.ttftMs - b.latency.ttftMs) > 0.05 * b.latency.ttftMs
    ? `TTFT ${seconds(b.latency.ttftMs)} → ${seconds(a.latency.ttftMs)} at this load`
    : `every prompt fits beside all ${capacity} requests a rank runs`;
  return { ...intent(ctx, c, after, effect), ...(preferred ? { preferred } : {}) };
}

export const trtllmPromptStarvationRule: Rule = {
  code: 'trtllm-prompt-starvation',
  description: 'TensorRT-LLM without chunked prefill: max_num_tokens leaves no room for a whole prompt beside the running decodes',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    if (e.serving.engine !== 'trtllm' || e.serving.chunkedPrefill) return [];
    const budget = e.serving.maxNumBatchedTokens;
    // The scheduler counts the whole prompt: the tokens a reused prefix skips are still part of its context request.
    const prompt = e.workload.inputLen;
    // A decoding request holds 1 + its draft tokens of the step (MTP 3: 4), as the recipes' (nextn + 1)·batch term says.
    const draft = Math.max(0, Math.round(plan.knobs.speculative?.value.numTokens ?? 0));
    const perDecode = 1 + draft;
    const beside = budget < prompt ? -1 : Math.floor((budget - prompt) / perDecode);
    const inFlight = rankInFlight(e);
    const capacity = rankCapacity(e);
    if (beside >= capacity - 1) return [];
    // Room for one whole prompt beside every request the rank can run (max_batch_size, or fewer where KV binds).
    const target = roundUp64(prompt + capacity * perDecode);
    const decodeTokens = draft ? `${capacity} × ${perDecode}` : `${capacity}`;
    const advice = `Enable chunked prefill, or raise max_num_tokens to prompt + requests in flight${draft ? ' × (1 + draft tokens)' : ''} (${prompt} + ${decodeTokens} → ${target})`;
    const perRank = e.serving.dataParallel > 1 ? ' per attention-DP rank' : '';
    const stepHolds = `each step holds max_num_tokens ${budget} tokens${perRank}`;
    let severity: Severity;
    let message: string;
    if (beside < 0) {
      severity = 'error';
      message = `Prompts of ${prompt} tokens exceed max_num_tokens ${budget} with chunked prefill off: TensorRT-LLM rejects every such request ("The sum of prompt length … should not exceed max_num_tokens"). The latency shown treats max_num_tokens as ${prompt}, one whole prompt per step. ${advice}.`;
    } else if (beside < inFlight - 1) {
      severity = 'warning';
      const running = inFlight - 1;
      const room = beside === 0
        ? `one ${prompt}-token prompt leaves no room for the ${plural(running, 'running decode')}`
        : `one ${prompt}-token prompt leaves room for ${beside} of the ${plural(running, 'running decode')}`;
      const outcome = beside === 0 ? 'requests run one at a time' : `at most ${beside + 1} requests run at once`;
      message = `Chunked prefill is off and ${stepHolds}: ${room}. TensorRT-LLM schedules the decodes first and a prompt only whole, so each new prompt waits until running requests finish — ${outcome} (TTFT ${seconds(e.latency.ttftMs)}, TPOT ${e.latency.tpotMs.toFixed(1)} ms). ${advice}.`;
    } else {
      severity = 'info';
      message = `Chunked prefill is off and ${stepHolds}: a prompt of ${prompt} tokens ${beside === 0 ? 'fills a whole step' : `fits beside only ${plural(beside, 'decode')}`}, so beyond ${plural(beside + 1, 'request')} in flight${perRank} (the engine admits ${capacity}) new prompts wait until running requests finish. ${advice}.`;
    }
    const k = plan.knobs;
    const where = k.maxNumBatchedTokens?.source.kind === 'file' ? k.maxNumBatchedTokens.source : k.enableChunkedPrefill?.source;
    return [{
      rule: this.code, technique: 'chunked-prefill' as const, severity, message,
      range: rangeFor(plan, where),
      fixes: present([
        fix(ctx, { changes: [{ knob: 'maxNumBatchedTokens', value: target }] }, capacity, true),
        fix(ctx, { changes: [{ knob: 'enableChunkedPrefill', value: true }] }, capacity, false),
      ]),
    }];
  },
};
