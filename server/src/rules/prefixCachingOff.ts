/** Prefix caching disabled for a workload whose prompts share prefixes (system prompts, chat history). */
import { rangeFor } from './estimatorIssues';
import { prefixCachingFix, present } from './fixes';
import type { Rule } from './types';

export const prefixCachingOffRule: Rule = {
  code: 'prefix-caching-off',
  description: 'Prefix caching off for a workload with shared prompt prefixes',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    if (e.serving.prefixCaching || !(e.workload.prefixHitRate > 0)) return [];
    return [{
      rule: this.code, technique: 'prefix-caching' as const, severity: this.defaultSeverity,
      message: `Prefix caching is off, but ${Math.round(e.workload.prefixHitRate * 100)} % of each prompt is shared: every request prefills it again (TTFT ${e.latency.ttftMs.toFixed(0)} ms).`,
      range: rangeFor(plan, plan.knobs.enablePrefixCaching?.source),
      fixes: present([prefixCachingFix(ctx)]),
    }];
  },
};
