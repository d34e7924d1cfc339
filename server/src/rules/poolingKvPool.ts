/**
 * A decoder-based embedder (Qwen3-Embedding, e5-mistral, gte-Qwen2) served for pooling by vLLM or SGLang: the engine
 * sizes its KV pool as for generation (gpu-memory-utilization / mem-fraction-static; research note serving-features
 * §4.1–4.2), but each prompt's KV lives for one forward, so a batch never holds more than the token budget. A pool many
 * times that size is memory another replica or model could use; a lower utilization gives it back.
 */
import { GiB } from '../estimator/memory';
import { rangeFor } from './estimatorIssues';
import { utilizationFix } from './fixes';
import type { Rule } from './types';

/** Pool room kept, in token budgets: one batch being encoded, the next one admitted, and margin. */
const KEPT_BUDGETS = 4;
/** Flag a pool only this many times larger than what is kept. */
const OVERSIZED = 4;

export const poolingKvPoolRule: Rule = {
  code: 'pooling-kv-pool',
  description: 'A KV pool far larger than a pooling batch can use',
  defaultSeverity: 'info',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const p = e.pooling;
    if (!p || p.kv !== 'prompt-only' || !e.memory.fits || e.memory.kvBytesPerTokenPerGpu <= 0) return [];
    const kept = KEPT_BUDGETS * p.tokenBudget;
    if (e.memory.kvCapacityTokens < OVERSIZED * kept) return [];
    const total = e.hardware.memoryBytesPerGpu;
    const keptBytes = kept * e.memory.kvBytesPerTokenPerGpu;
    const outsidePool = e.memory.components.filter((c) => c.name !== 'kvPool').reduce((s, c) => s + c.bytesPerGpu, 0);
    const value = Math.max(0.3, Math.ceil(((outsidePool + keptBytes) / total) * 20) / 20);
    const fix = value < e.serving.gpuMemoryUtilization ? utilizationFix(ctx, value) : undefined;
    const src = plan.knobs.gpuMemoryUtilization?.source;
    return [{
      rule: this.code, severity: this.defaultSeverity, range: rangeFor(plan, src),
      message: `The KV pool holds ${Math.round(e.memory.kvCapacityTokens / 1000)}k tokens (${(e.memory.kvPoolBytesPerGpu / GiB).toFixed(1)} GiB per GPU), but a pooling batch writes at most ${p.tokenBudget} tokens of KV and frees them after one forward: ${KEPT_BUDGETS} batches' worth is ${(keptBytes / GiB).toFixed(2)} GiB. Lower the utilization to leave the rest to another replica or model.`,
      fixes: fix ? [fix] : [],
    }];
  },
};
