/**
 * Fix intents of the multimodal rules, each a minimal rewrite of one vLLM option in the file's own spelling:
 * `--mm-processor-kwargs` with a smaller `max_pixels` (other kwargs kept), `--limit-mm-per-prompt` with fewer images
 * (JSON or legacy form as written), or every modality at 0 for text-only use.
 */
import { imageProcessor, maxPixelsForTokens, maxTokensPerImage } from '../estimator/multimodal';
import { mmLimitsText } from '../formats/multimodal';
import type { MmLimits } from '../plan/types';
import type { KnobChange, RuleContext } from './types';

/** A smaller max_pixels giving at most `tokens` tokens per image (Qwen-VL processors only). */
export function smallerMaxPixels(ctx: RuleContext, tokens: number): { change: KnobChange; tokens: number; pixels: number } | undefined {
  const p = ctx.plan.model.config ? imageProcessor(ctx.plan.model.config) : undefined;
  if (p?.kind !== 'merged-patches' || tokens < 4) return undefined;
  const pixels = maxPixelsForTokens(p, tokens);
  const kwargs: Record<string, unknown> = { ...(ctx.plan.knobs.mmProcessorKwargs?.value ?? {}), max_pixels: pixels };
  if (typeof kwargs.min_pixels === 'number' && kwargs.min_pixels > pixels) kwargs.min_pixels = p.defaultMinPixels;
  return { change: { knob: 'mmProcessorKwargs', value: JSON.stringify(kwargs) }, tokens: maxTokensPerImage(p, pixels), pixels };
}

/** The limits as written with the image count changed (the JSON form when the file sets none). */
export function imageLimitChange(ctx: RuleContext, images: number): KnobChange {
  const l: MmLimits = ctx.plan.knobs.mmLimits?.value ?? { counts: {}, form: 'json' };
  return { knob: 'mmLimits', value: mmLimitsText({ ...l, counts: { ...l.counts, image: images } }) };
}

/** Every modality at 0: the text-only switch every vLLM version has. */
export function textOnlyChange(ctx: RuleContext): KnobChange {
  const l: MmLimits = ctx.plan.knobs.mmLimits?.value ?? { counts: {}, form: 'json' };
  const counts: Record<string, number> = { image: 0, video: 0 };
  for (const k of Object.keys(l.counts)) counts[k] = 0;
  return { knob: 'mmLimits', value: mmLimitsText({ ...l, counts }) };
}
