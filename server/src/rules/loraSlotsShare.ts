/**
 * LoRA slots that take more than a stated share of the memory they split with the KV pool. The engines allocate the
 * slots before they size the KV cache (estimator/lora.ts), so every slot byte is a KV byte lost: vLLM's
 * max_loras × max_lora_rank buffers are what users "should compute by themselves" (vllm#17003). The finding says what
 * max-loras keeps the slots within the share, and offers the rank the adapters need when they need less than the slots.
 */
import { slotsWithinShare } from '../estimator/lora';
import { GiB } from '../estimator/memory';
import { describeChange } from '../edits/knobNames';
import { intent, measure } from './fixes';
import type { Candidate } from './fixes';
import { rangeFor } from './estimatorIssues';
import type { FixIntent, Rule } from './types';

/** Slots above this share of slots + KV pool are worth a look (one tenth of the KV cache gone to adapters). */
export const LORA_SLOTS_SHARE = 0.1;

export const loraSlotsShareRule: Rule = {
  code: 'lora-slots-share',
  description: `LoRA adapter slots take more than ${LORA_SLOTS_SHARE * 100} % of the memory left for the KV cache`,
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const lora = e.memory.lora;
    if (!lora) return [];
    const budget = lora.bytesPerGpu + e.memory.kvPoolBytesPerGpu;
    if (budget <= 0 || lora.bytesPerGpu <= LORA_SLOTS_SHARE * budget) return [];
    const fitting = slotsWithinShare(lora, e.memory.kvPoolBytesPerGpu, LORA_SLOTS_SHARE);
    const share = Math.round((lora.bytesPerGpu / budget) * 100);
    const gib = (b: number) => `${(b / GiB).toFixed(2)} GiB`;
    const tokens = (b: typeof e) => b.memory.kvCapacityTokens;
    const effect = (b: typeof e, a: typeof e) => `adapter slots ${gib(b.memory.lora?.bytesPerGpu ?? 0)} → ${gib(a.memory.lora?.bytesPerGpu ?? 0)}, KV capacity ${Math.round(tokens(b) / 1000)}k → ${Math.round(tokens(a) / 1000)}k tokens`;
    const fixes: FixIntent[] = [];
    const candidates: Candidate[] = [];
    // The rank the adapters need, when all their ranks are known and below the slots' rank.
    const ranks = lora.adapterRanks;
    const adapters = plan.knobs.lora?.value.adapters.length ?? 0;
    if (lora.engine !== 'tgi' && ranks.length && ranks.length === adapters && Math.max(...ranks) < lora.rank) candidates.push({ changes: [{ knob: 'maxLoraRank', value: Math.max(...ranks) }] });
    if (lora.engine !== 'tgi' && fitting >= 1 && fitting < lora.slots) candidates.push({ changes: [{ knob: 'maxLoras', value: fitting }] });
    for (const c of candidates) {
      const after = measure(ctx, c);
      if (after) fixes.push(intent(ctx, c, after, effect));
    }
    if (fixes[0]) fixes[0] = { ...fixes[0], preferred: true };
    const slotsKey = lora.engine === 'sglang' ? 'max-loras-per-batch' : 'max-loras';
    const what = lora.engine === 'tgi'
      ? `${lora.slots} resident adapters (TGI keeps every LORA_ADAPTERS adapter on the GPU)`
      : `${lora.slots} slot${lora.slots === 1 ? '' : 's'} (${slotsKey}) × rank ${lora.rank}`;
    const advice = lora.engine === 'tgi'
      ? `Serving fewer adapters per replica keeps them within ${LORA_SLOTS_SHARE * 100} %.`
      : fitting >= 1 ? `${describeChange(e.serving.engine, 'maxLoras', fitting)} keeps them within ${LORA_SLOTS_SHARE * 100} % (${gib(lora.bytesPerSlotPerGpu)} per slot).`
      : `Even one slot at rank ${lora.rank} takes more than ${LORA_SLOTS_SHARE * 100} % (${gib(lora.bytesPerSlotPerGpu)} per slot): a lower max-lora-rank or fewer target modules would.`;
    const source = plan.knobs.maxLoras ?? plan.knobs.lora!;
    return [{
      rule: this.code, severity: this.defaultSeverity,
      message: `LoRA: ${what} take ${gib(lora.bytesPerGpu)} per GPU, ${share} % of the ${gib(budget)} the engine splits between them and the KV cache (allocated before the KV cache is sized). ${advice}`,
      range: rangeFor(plan, source.source),
      ...(fixes.length ? { fixes } : {}),
    }];
  },
};
