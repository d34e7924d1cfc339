/** The KV pool dwarfs what the workload needs: a smaller, cheaper GPU would serve it. */
import { GiB } from '../estimator/memory';
import { rangeFor } from './estimatorIssues';
import type { Rule } from './types';

export const oversizedPoolRule: Rule = {
  code: 'oversized-pool',
  description: 'KV pool far larger than the workload needs (a cheaper GPU would do)',
  defaultSeverity: 'info',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    // Only against a workload the user stated: with the default (one request) every pool looks oversized.
    if (!e.memory.fits || e.workload.concurrency === 'max' || plan.workload.concurrency.source.kind === 'default') return [];
    const need = e.latency.concurrency * (e.workload.inputLen + e.workload.outputLen);
    if (e.memory.kvCapacityTokens < 10 * need) return [];
    const cheaper = ctx.cheaperGpu?.();
    if (!cheaper) return [];
    return [{
      rule: this.code, technique: 'hardware-choice' as const, severity: this.defaultSeverity,
      message: `The KV pool holds ${Math.round(e.memory.kvCapacityTokens / need)}× what ${e.latency.concurrency} concurrent requests need (${(e.memory.kvPoolBytesPerGpu / GiB).toFixed(0)} GiB per GPU). ${cheaper.gpu} ($${cheaper.pricePerHour.toFixed(2)}/GPU-h vs $${e.hardware.pricePerHour.toFixed(2)}) also fits it with TPOT ${cheaper.tpotMs.toFixed(1)} ms.`,
      range: rangeFor(plan, plan.hardware.gpu.source),
    }];
  },
};
