/** KV cache in 16 bits on a GPU with native FP8 while the pool limits concurrency: FP8 KV doubles the tokens. */
import { GiB } from '../estimator/memory';
import { rangeFor } from './estimatorIssues';
import { kvFp8Fix, present } from './fixes';
import type { Rule } from './types';

export const kvCacheDtypeRule: Rule = {
  code: 'kv-cache-dtype',
  description: '16-bit KV cache where FP8 KV would double capacity',
  defaultSeverity: 'info',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    // Pooling deployments: poolingDecodeKnobs.ts says what their KV (none, or prompts only) needs.
    if (e.pooling) return [];
    if (e.serving.kvCacheDtype === 'fp8' || e.serving.kvCacheDtype === 'fp4' || !e.memory.fits) return [];
    if (!e.hardware.nativeFormats.includes('fp8')) return [];
    const want = e.workload.concurrency === 'max' ? 0 : e.workload.concurrency;
    const reqTokens = e.workload.inputLen + e.workload.outputLen;
    const room = Math.floor(e.memory.kvCapacityTokens / Math.max(1, reqTokens));
    if (room >= Math.max(want, 1) * 2 && e.memory.maxConcurrency >= 1) return [];
    const src = plan.knobs.kvCacheDtype?.source;
    return [{
      rule: this.code, technique: 'kv-quantization' as const, severity: this.defaultSeverity,
      message: `KV cache is ${e.serving.kvCacheDtype}: ${Math.round(e.memory.kvCapacityTokens / 1000)}k tokens (${(e.memory.kvPoolBytesPerGpu / GiB).toFixed(1)} GiB per GPU) hold ${room} concurrent ${reqTokens}-token requests. kv-cache-dtype: fp8 would hold about ${room * 2}.`,
      range: rangeFor(plan, src),
      fixes: present([kvFp8Fix(ctx)]).map((f) => ({ ...f, preferred: true })),
    }];
  },
};
