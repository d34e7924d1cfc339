/**
 * Speculative decoding that makes this workload slower: at a large batch every decode step is compute-bound, so the
 * k verified draft tokens per sequence and the drafter's own passes cost more than the accepted tokens save
 * (latency.ts prices both; speculative.ts states the acceptance it assumes). The estimate is re-run without the
 * speculative config and both are compared; the fix takes the config out of the file.
 */
import { rangeFor } from './estimatorIssues';
import type { KnobChange, Rule } from './types';

/** Removes the speculative config in the file's own syntax (edits/remove.ts): every rule that advises dropping it. */
export const REMOVE_SPECULATIVE: KnobChange[] = [{ knob: 'speculative', value: '', remove: true }];

/** Below this the two estimates are within what the latency model can tell apart. */
const SLOWER_BY = 0.02;

const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));

export const speculativeSlowerRule: Rule = {
  code: 'speculative-slower',
  description: 'Speculative decoding is slower than plain decoding at the workload\'s concurrency',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const spec = plan.knobs.speculative;
    if (!spec?.value || spec.source.kind !== 'file') return [];
    const without = ctx.whatIf(REMOVE_SPECULATIVE);
    if (!without) return [];
    const tpot = e.latency.tpotMs;
    const plain = without.latency.tpotMs;
    if (!(tpot > plain * (1 + SLOWER_BY))) return [];
    const assumed = e.assumptions.find((a) => a.startsWith('speculative decoding ('));
    const drafter = e.memory.components.find((c) => c.name === 'drafter')?.bytesPerGpu ?? 0;
    const memory = drafter > 0 || without.memory.kvCapacityTokens > e.memory.kvCapacityTokens
      ? ` It also holds ${drafter > 0 ? `${(drafter / 2 ** 30).toFixed(2)} GiB of drafter weights per GPU and ` : ''}KV for ${tokens(e.memory.kvCapacityTokens)} instead of ${tokens(without.memory.kvCapacityTokens)} tokens.`
      : '';
    const pct = Math.round((tpot / plain - 1) * 100);
    return [{
      rule: this.code, technique: 'speculative-decoding' as const, severity: this.defaultSeverity,
      message: `Speculative decoding makes this workload slower at ${e.latency.concurrency} concurrent requests: TPOT ${tpot.toFixed(1)} ms with it, ${plain.toFixed(1)} ms without (+${pct} %), ${e.latency.outputTokensPerSec.toFixed(0)} vs ${without.latency.outputTokensPerSec.toFixed(0)} output tokens/s (${assumed ?? 'acceptance as assumed by the estimate'}). At this batch each step is compute-bound and the verified draft tokens cost more than they save.${memory}`,
      range: rangeFor(plan, spec.source),
      fixes: [{
        title: `Remove speculative decoding — TPOT ${tpot.toFixed(1)} → ${plain.toFixed(1)} ms${without.memory.kvCapacityTokens > e.memory.kvCapacityTokens ? `, KV ${tokens(e.memory.kvCapacityTokens)} → ${tokens(without.memory.kvCapacityTokens)} tokens` : ''} at this load`,
        changes: REMOVE_SPECULATIVE, technique: 'speculative-decoding',
      }],
    }];
  },
};
