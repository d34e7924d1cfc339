/** Chunked prefill off while prompts are long: each long prompt stalls every decode for its whole prefill. */
import { rangeFor } from './estimatorIssues';
import { chunkedPrefillFix, present } from './fixes';
import type { Rule } from './types';

export const chunkedPrefillOffRule: Rule = {
  code: 'chunked-prefill-off',
  description: 'Chunked prefill off with long prompts',
  defaultSeverity: 'info',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const set = plan.knobs.enableChunkedPrefill;
    if (e.serving.chunkedPrefill || !set || set.source.kind !== 'file' || e.workload.inputLen < 2048) return [];
    return [{
      rule: this.code, technique: 'chunked-prefill' as const, severity: this.defaultSeverity,
      message: `Chunked prefill is off and prompts are ${e.workload.inputLen} tokens: each prefill pauses every running decode (TPOT ${e.latency.tpotMs.toFixed(1)} ms).`,
      range: rangeFor(plan, set.source),
      fixes: present([chunkedPrefillFix(ctx)]),
    }];
  },
};
