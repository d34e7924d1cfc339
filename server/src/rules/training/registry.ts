/** Every training rule, in one place: (plan, inputs, estimate, what-if) → findings with fixes in the file's keys. */
import { checkpointingOffRule } from './checkpointingOff';
import { doesNotFitRule } from './doesNotFit';
import { eightBitOptimizerRule } from './eightBitOptimizer';
import { microBatchCanDoubleRule } from './microBatchCanDouble';
import { qloraConsumerGpuRule } from './qloraConsumerGpu';
import type { Finding } from '../types';
import type { TrainingRule, TrainingRuleContext } from './types';
import { zeroShardRule } from './zeroShard';

export const trainingRules: TrainingRule[] = [doesNotFitRule, checkpointingOffRule, eightBitOptimizerRule, zeroShardRule, qloraConsumerGpuRule, microBatchCanDoubleRule];

/** Estimator issue codes a rule reports itself (with its one change and fix). */
export const claimedTrainingIssues = new Set(trainingRules.map((r) => r.code));

export function runTrainingRules(ctx: TrainingRuleContext): Finding[] {
  const out: Finding[] = [];
  for (const r of trainingRules) {
    try {
      out.push(...r.check(ctx));
    } catch (e) {
      out.push({ rule: r.code, severity: 'info', message: `rule ${r.code} failed: ${(e as Error).message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    }
  }
  return out;
}
