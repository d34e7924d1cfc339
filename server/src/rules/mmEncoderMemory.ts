/**
 * The vision tower and the encoder's profiling reserve (vLLM's dummy images at their largest size, the encoder cache)
 * leave no KV room for one request of max-model-len, while the language model alone would have it.
 */
import { componentBytes } from '../estimator/memoryPlan';
import { GiB } from '../estimator/memory';
import { rangeFor } from './estimatorIssues';
import { intent } from './fixes';
import { smallerMaxPixels, textOnlyChange } from './multimodalFixes';
import type { FixIntent, KnobChange, Rule, RuleContext } from './types';

/** Tokens per image a smaller max_pixels targets: 1280, the Qwen-VL model cards' example (max_pixels = 1280 × 28 × 28). */
const SMALLER_IMAGE_TOKENS = 1280;

const roomFor = (ctx: RuleContext, changes: KnobChange[]) => {
  const after = ctx.whatIf(changes);
  return after && after.memory.fits && after.memory.maxConcurrency >= 1 ? after : undefined;
};

export const mmEncoderMemoryRule: Rule = {
  code: 'mm-encoder-memory',
  description: 'vision tower or encoder cache memory leaves no KV cache for a max-model-len request',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const mm = e.multimodal;
    if (!mm?.towerLoaded || e.serving.engine !== 'vllm') return [];
    if (e.memory.fits && e.memory.maxConcurrency >= 1) return [];
    const c = e.memory.components;
    const tower = componentBytes(c, 'tower');
    const encoder = componentBytes(c, 'encoderCache') + componentBytes(c, 'encoderActivations');
    const fixes: FixIntent[] = [];
    const tokens = Math.min(SMALLER_IMAGE_TOKENS, Math.floor(mm.maxTokensPerImage / 2));
    const smaller = mm.maxTokensPerImage > 0 ? smallerMaxPixels(ctx, tokens) : undefined;
    const afterSmaller = smaller && roomFor(ctx, [smaller.change]);
    if (smaller && afterSmaller) fixes.push({ ...intent(ctx, { changes: [smaller.change] }, afterSmaller, (b, a) => `${mm.maxTokensPerImage} → ${smaller.tokens} tokens per image, KV ${b.memory.kvCapacityTokens} → ${a.memory.kvCapacityTokens} tokens`), preferred: true });
    // Text-only traffic does not need the tower: every modality at 0 skips it (and its profile).
    if (mm.imagesPerRequest === 0) {
      const off = textOnlyChange(ctx);
      const afterOff = roomFor(ctx, [off]);
      if (afterOff) fixes.push(intent(ctx, { changes: [off] }, afterOff, (b, a) => `text only: no tower or encoder profile, KV ${b.memory.kvCapacityTokens} → ${a.memory.kvCapacityTokens} tokens`));
    }
    const alone = ctx.whatIf([textOnlyChange(ctx)]);
    if (!fixes.length && !(alone && alone.memory.fits && alone.memory.maxConcurrency >= 1)) return [];
    const src = plan.knobs.mmProcessorKwargs?.source ?? plan.knobs.mmLimits?.source ?? plan.knobs.maxModelLen?.source;
    return [{
      rule: this.code, severity: this.defaultSeverity,
      message: `The vision tower (${(tower / GiB).toFixed(2)} GiB per GPU) and the encoder's profiling reserve (${(encoder / GiB).toFixed(2)} GiB: ${mm.profiledItems} dummy image(s) of ${mm.maxTokensPerImage} tokens and the encoder cache) leave ${(e.memory.kvPoolBytesPerGpu / GiB).toFixed(2)} GiB of KV — not one ${e.serving.maxModelLen}-token request; vLLM refuses to start.`,
      range: rangeFor(plan, src),
      fixes,
    }];
  },
};
