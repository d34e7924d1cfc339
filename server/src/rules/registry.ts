/** Every rule, in one place. Rules are pure: (plan, estimate) → findings. */
import { kvCacheDtypeRule } from './kvCacheDtype';
import { sloRule } from './slo';
import type { Rule, RuleContext, Finding } from './types';
import { issuesToFindings } from './estimatorIssues';

export const rules: Rule[] = [kvCacheDtypeRule, sloRule];

export function runRules(ctx: RuleContext): Finding[] {
  const out = issuesToFindings(ctx.plan, ctx.estimate.issues);
  for (const r of rules) {
    try {
      out.push(...r.check(ctx));
    } catch (e) {
      out.push({ rule: r.code, severity: 'info', message: `rule ${r.code} failed: ${(e as Error).message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    }
  }
  return out;
}
