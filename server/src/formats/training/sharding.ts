/**
 * FSDP sharding strategies in the forms the frameworks write them → the ZeRO stage they match
 * (ShardingKnobs: FULL_SHARD = 3, SHARD_GRAD_OP = 2, NO_SHARD = 0, HYBRID_* = the same within a node).
 */

/** torch.distributed.fsdp.ShardingStrategy names and accelerate's numeric forms (FSDP_SHARDING_STRATEGY index + 1:
 *  1 FULL_SHARD, 2 SHARD_GRAD_OP, 3 NO_SHARD, 4 HYBRID_SHARD, 5 HYBRID_SHARD_ZERO2; accelerate/utils/constants.py). */
const STRATEGIES: Record<string, { stage: 0 | 2 | 3; hybrid?: boolean }> = {
  full_shard: { stage: 3 }, shard_grad_op: { stage: 2 }, no_shard: { stage: 0 }, hybrid_shard: { stage: 3, hybrid: true }, hybrid_shard_zero2: { stage: 2, hybrid: true },
  '1': { stage: 3 }, '2': { stage: 2 }, '3': { stage: 0 }, '4': { stage: 3, hybrid: true }, '5': { stage: 2, hybrid: true },
};

export const fsdpStrategyNames = ['FULL_SHARD', 'SHARD_GRAD_OP', 'NO_SHARD', 'HYBRID_SHARD', 'HYBRID_SHARD_ZERO2'];

export function fsdpStrategy(v: unknown): { stage: 0 | 2 | 3; hybrid?: boolean } | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  return STRATEGIES[String(v).trim().toLowerCase().replace(/^shardingstrategy\./, '')];
}

/** The Trainer / axolotl option list (`fsdp: "full_shard auto_wrap offload"` or `[full_shard, auto_wrap]`). */
export function fsdpOptions(tokens: string[]): { strategy?: { stage: 0 | 2 | 3; hybrid?: boolean }; offload: boolean; unknown: string[] } {
  let strategy: { stage: 0 | 2 | 3; hybrid?: boolean } | undefined;
  let offload = false;
  const unknown: string[] = [];
  for (const t of tokens.map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    if (t === 'offload') offload = true;
    else if (t === 'auto_wrap') continue;
    else if (fsdpStrategy(t) && !/^\d$/.test(t)) strategy = fsdpStrategy(t);
    else unknown.push(t);
  }
  return { strategy, offload, unknown };
}
