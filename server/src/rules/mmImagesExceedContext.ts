/**
 * --limit-mm-per-prompt allows more images at their largest size than max-model-len holds: such prompts are rejected
 * ("The context length … is too short to hold the multi-modal embeddings in the worst case", vLLM's profiling
 * warning; its budget counts only max(1, min(limit, max_model_len // tokens per image)) items per prompt,
 * vllm/multimodal/budget.py MultiModalBudget._get_max_items).
 */
import { rangeFor } from './estimatorIssues';
import { imageLimitChange, smallerMaxPixels } from './multimodalFixes';
import type { FixIntent, Rule } from './types';

export const mmImagesExceedContextRule: Rule = {
  code: 'mm-images-exceed-context',
  description: 'more images per prompt than max-model-len holds at their largest size',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const mm = e.multimodal;
    const set = plan.knobs.mmLimits;
    if (!mm?.towerLoaded || !set || set.source.kind !== 'file' || mm.maxTokensPerImage <= 0) return [];
    const n = mm.imageLimit;
    const len = e.serving.maxModelLen;
    if (n <= 0 || n * mm.maxTokensPerImage <= len) return [];
    const fixes: FixIntent[] = [];
    const fit = Math.floor(len / mm.maxTokensPerImage);
    if (fit >= 1) fixes.push({ title: `Set limit-mm-per-prompt image ${n} → ${fit} — ${fit} × ${mm.maxTokensPerImage} tokens fit max-model-len ${len}`, changes: [imageLimitChange(ctx, fit)] });
    // Or smaller images: N of them in three quarters of the context, a quarter left for text.
    const smaller = smallerMaxPixels(ctx, Math.floor((0.75 * len) / n));
    if (smaller && smaller.tokens < mm.maxTokensPerImage) fixes.push({ title: `Set mm-processor-kwargs max_pixels ${smaller.pixels} — ${mm.maxTokensPerImage} → ${smaller.tokens} tokens per image: ${n} images take ${n * smaller.tokens} of ${len} tokens`, changes: [smaller.change], preferred: true });
    return [{
      rule: this.code, severity: this.defaultSeverity,
      message: `limit-mm-per-prompt allows ${n} images; at the largest size (${mm.maxTokensPerImage} tokens each) they take ${n * mm.maxTokensPerImage} tokens, more than max-model-len ${len}: vLLM rejects such prompts.`,
      range: rangeFor(plan, set.source),
      fixes,
    }];
  },
};
