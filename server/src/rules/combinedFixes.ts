/**
 * The smallest combination of single changes that resolves a finding no single change resolves (FP8 weights + FP8 KV
 * for 131072 tokens on one L4), searched cheaply: candidates are tested on memory-only estimates, a bounded number
 * per finding, and only the combination offered is estimated in full for its title.
 */
import { Candidate, Effect, intent, measure, present, resolves } from './fixes';
import type { EngineKnobs } from '../plan/types';
import type { FixIntent, RuleContext } from './types';

/** Memory-only re-estimates a combination search may spend on one finding (diagnostics stay instant). */
export const MAX_COMBINATION_WHAT_IFS = 12;

/**
 * Several candidates as one: changes in one order whatever the search tried first (weights, then KV, then memory,
 * then parallelism), so titles read alike ("quantization: fp8, kv-cache-dtype: fp8"); the one that adds GPUs last,
 * so its title ends "…, tensor-parallel-size: 2 on 2 × L40S".
 */
const ORDER: Array<keyof EngineKnobs> = ['quantization', 'kvCacheDtype', 'gpuMemoryUtilization', 'attentionDataParallel', 'dataParallel', 'tensorParallel'];
const rank = (k: keyof EngineKnobs) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);

const merge = (cs: Candidate[]): Candidate => {
  const changes = cs.flatMap((c) => c.changes).sort((a, b) => rank(a.knob) - rank(b.knob));
  const hardware = cs.find((c) => c.hardware)?.hardware;
  return { changes, ...(hardware ? { hardware } : {}) };
};

/** Subsets of `xs` of size `k`, in the order of `xs` (earlier candidates are the rule's preferred ones). */
function subsets<T>(xs: T[], k: number, from = 0): T[][] {
  if (k === 0) return [[]];
  const out: T[][] = [];
  for (let i = from; i <= xs.length - k; i++) for (const rest of subsets(xs, k - 1, i + 1)) out.push([xs[i], ...rest]);
  return out;
}

/**
 * When no single change resolves the finding, the smallest combination of them that does: pairs, then triples, of
 * the changes on the same GPUs (the rule offers each single change that resolves it itself); and, when the change that adds GPUs (TP up) does not resolve it alone, that change
 * with one or two of the others. Each is titled with its re-estimated effect; at most MAX_COMBINATION_WHAT_IFS
 * memory-only re-estimates per finding, and one full one per combination offered (all cached, as every what-if is).
 */
export function combinedFixes(ctx: RuleContext, code: string, candidates: Array<Candidate | undefined>, effect: Effect): FixIntent[] {
  const all = present(candidates);
  const same = all.filter((c) => !c.hardware);
  const more = all.filter((c) => c.hardware);
  let budget = MAX_COMBINATION_WHAT_IFS;
  const out: FixIntent[] = [];
  // Memory decides whether a combination resolves a memory finding; the one offered is then estimated in full.
  const test = (c: Candidate) => (ctx.memoryIf ?? ctx.whatIf)(c.changes, c.hardware);
  const firstResolving = (groups: Candidate[][]): boolean => {
    for (const g of groups) {
      if (budget-- <= 0) return false;
      const c = merge(g);
      const probe = test(c);
      if (!resolves(ctx, code, probe) || !probe.memory.fits) continue;
      const after = measure(ctx, c);
      if (!resolves(ctx, code, after)) continue;
      out.push(intent(ctx, c, after, effect));
      return true;
    }
    return false;
  };
  const singleResolves = (cs: Candidate[]) => cs.some((c) => resolves(ctx, code, test(c)));
  if (!singleResolves(same)) for (const k of [2, 3]) if (k <= same.length && firstResolving(subsets(same, k))) break;
  for (const m of more) {
    if (singleResolves([m])) continue;
    for (const k of [1, 2]) if (k <= same.length && firstResolving(subsets(same, k).map((g) => [m, ...g]))) break;
  }
  return out;
}
