/**
 * TensorRT-LLM's stream_interval above 1, without postprocess workers, holds every streaming request's first chunk
 * for stream_interval − 1 iterations (resolveKnobs.ts trtllmFirstChunkIterations: inferred from measured runs). The
 * TTFT a streaming client sees then includes those decode steps — often more than the prefill itself. The fix sets
 * stream_interval back to 1 (every token streams at once, at some CPU cost per iteration); the finding says what the
 * hold costs at this load so the trade is the user's to make.
 */
import { rangeFor } from './estimatorIssues';
import { intent, measure, present } from './fixes';
import type { Rule } from './types';

export const trtllmStreamIntervalRule: Rule = {
  code: 'trtllm-stream-interval-ttft',
  description: 'TensorRT-LLM stream_interval without postprocess workers holds each response\'s first chunk',
  defaultSeverity: 'info',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const held = e.serving.firstChunkIterations;
    if (e.serving.engine !== 'trtllm' || !(held > 0)) return [];
    const interval = held + 1;
    const candidate = { changes: [{ knob: 'streamInterval' as const, value: 1 }] };
    const after = measure(ctx, candidate);
    const costMs = after ? e.latency.ttftMs - after.latency.ttftMs : NaN;
    const cost = Number.isFinite(costMs) && costMs > 0 ? `, about ${costMs.toFixed(0)} ms of the ${e.latency.ttftMs.toFixed(0)} ms TTFT at this load` : '';
    return [{
      rule: this.code, severity: this.defaultSeverity,
      message: `stream_interval ${interval} without num_postprocess_workers: each streaming response's first chunk leaves ${held} iterations after its first token${cost}. Benchmarks and users measure TTFT at that chunk. stream_interval 1 streams every token at once (more CPU per iteration); postprocess workers remove the hold too.`,
      range: rangeFor(plan, plan.knobs.streamInterval?.source),
      fixes: present([after ? intent(ctx, candidate, after, (b, a) => `TTFT ${b.latency.ttftMs.toFixed(0)} → ${a.latency.ttftMs.toFixed(0)} ms at this load`) : undefined]),
    }];
  },
};
