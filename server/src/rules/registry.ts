/** Every rule, in one place. Rules are pure: (plan, estimate) → findings with fix intents. */
import { chunkedPrefillOffRule } from './chunkedPrefillOff';
import { withCitations } from './citations';
import { cpuOffloadUnneededRule } from './cpuOffloadUnneeded';
import { hostMemoryLimitRule } from './hostMemoryLimit';
import { probeBeforeLoadRule } from './probeBeforeLoad';
import { shmTooSmallRule } from './shmTooSmall';
import { doesNotFitRule } from './doesNotFit';
import { flagDeprecatedRule } from './flagDeprecated';
import { flagRemovedRule } from './flagRemoved';
import { flagTooNewRule } from './flagTooNew';
import { issuesToFindings } from './estimatorIssues';
import { kvCacheDtypeRule } from './kvCacheDtype';
import { kvLimitsConcurrencyRule } from './kvLimitsConcurrency';
import { loraRankAboveMaxRule } from './loraRankAboveMax';
import { loraSlotsShareRule } from './loraSlotsShare';
import { maxLenAboveModelRule } from './maxLenAboveModel';
import { maxLenExceedsKvRule } from './maxLenExceedsKv';
import { maxNumSeqsAboveKvRule } from './maxNumSeqsAboveKv';
import { mmEncoderMemoryRule } from './mmEncoderMemory';
import { mmImagesExceedContextRule } from './mmImagesExceedContext';
import { oversizedPoolRule } from './oversizedPool';
import { poolingDecodeKnobsRule } from './poolingDecodeKnobs';
import { poolingKvPoolRule } from './poolingKvPool';
import { poolingRunnerMismatchRule } from './poolingRunnerMismatch';
import { prefixCachingOffRule } from './prefixCachingOff';
import { sloRule } from './slo';
import { speculativeSlowerRule } from './speculativeSlower';
import { tpDivisibilityRule } from './tpDivisibility';
import { trtllmPromptStarvationRule } from './trtllmPromptStarvation';
import { trtllmStreamIntervalRule } from './trtllmStreamInterval';
import type { Finding, Rule, RuleContext } from './types';
import { utilizationHeadroomRule } from './utilizationHeadroom';

export const rules: Rule[] = [
  doesNotFitRule, maxLenExceedsKvRule, maxLenAboveModelRule, kvLimitsConcurrencyRule, maxNumSeqsAboveKvRule, tpDivisibilityRule, utilizationHeadroomRule,
  sloRule, oversizedPoolRule, prefixCachingOffRule, chunkedPrefillOffRule, kvCacheDtypeRule, trtllmPromptStarvationRule, trtllmStreamIntervalRule,
  loraRankAboveMaxRule, loraSlotsShareRule,
  mmEncoderMemoryRule, mmImagesExceedContextRule,
  poolingRunnerMismatchRule, poolingDecodeKnobsRule, poolingKvPoolRule,
  speculativeSlowerRule,
  flagDeprecatedRule, flagRemovedRule, flagTooNewRule,
  cpuOffloadUnneededRule, shmTooSmallRule, hostMemoryLimitRule, probeBeforeLoadRule,
];

/** The plan-only rules' findings for a plan that could not be estimated (the other rules need the estimate). */
export function runPlanOnlyRules(plan: RuleContext['plan']): Finding[] {
  const ctx = { plan, estimate: undefined as unknown as RuleContext['estimate'], whatIf: () => undefined };
  return rules.filter((r) => r.planOnly).flatMap((r) => r.check(ctx).map((f) => (r.refusesStart && f.severity === 'error' && f.refusesStart === undefined ? { ...f, refusesStart: true } : f))).map(withCitations);
}

/** Estimator issue codes a rule reports itself (with fixes); the others become findings as they are. */
const claimed = new Set(rules.map((r) => r.code));

export function runRules(ctx: RuleContext): Finding[] {
  const out = issuesToFindings(ctx.plan, ctx.estimate.issues.filter((i) => !claimed.has(i.code)));
  for (const r of rules) {
    try {
      // An error of a rule whose errors stop the engine means the server will not start (the verdict reads this).
      out.push(...r.check(ctx).map((f) => (r.refusesStart && f.severity === 'error' && f.refusesStart === undefined ? { ...f, refusesStart: true } : f)));
    } catch (e) {
      out.push({ rule: r.code, severity: 'info', message: `rule ${r.code} failed: ${(e as Error).message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    }
  }
  return out.map(withCitations);
}
