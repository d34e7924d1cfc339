/**
 * Multimodal serving terms, pure: tokens per image from the processor settings, vLLM's encoder-cache budget, the
 * profiling run's dummy items at --limit-mm-per-prompt and the memory they hold, and whether the tower loads at all.
 * The tower's parameters come from encoders/ (model.encoders); this file only decides how they are placed.
 */
import type { EngineName, MmLimits } from '../plan/types';
import type { ModelSpec } from './modelSpec';

type Json = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/** How a model's processor turns one image into language-model tokens. */
export type ImageProcessor =
  | {
      /** Qwen2-VL / 2.5-VL / 3-VL: the image is resized to multiples of patch × merge within [min_pixels, max_pixels];
       *  one token per merge² patches. */
      kind: 'merged-patches';
      patch: number;
      merge: number;
      defaultMaxPixels: number;
      defaultMinPixels: number;
      vitHidden: number;
      vitIntermediate: number;
      source: string;
    }
  | {
      /** InternVL-style dynamic tiles: up to maxTiles tiles plus a thumbnail, a fixed token count each. */
      kind: 'tiles';
      tokensPerTile: number;
      maxTiles: number;
      patchesPerTile: number;
      vitHidden: number;
      vitIntermediate: number;
      source: string;
    }
  | { kind: 'fixed'; tokens: number; patches: number; vitHidden: number; vitIntermediate: number; source: string };

/**
 * Default pixel bounds of the Qwen image processors (preprocessor_config.json as shipped): Qwen2-VL / 2.5-VL
 * min 3136 = 4 × 28², max 12 845 056 = 16 384 × 28² (the model card's "4-16384 visual tokens per image");
 * Qwen3-VL `size` shortest_edge 65 536 = 64 × 32², longest_edge 16 777 216 = 16 384 × 32² (uncertain: recalled from
 * the checkpoint's preprocessor_config.json, research open question 4).
 */
const QWEN2_PIXELS = { min: 4 * 28 * 28, max: 16384 * 28 * 28 };
const QWEN3_PIXELS = { min: 64 * 32 * 32, max: 16384 * 32 * 32 };

/** The processor facts of a multimodal config.json, or undefined when its image tokens are not modelled. */
export function imageProcessor(raw: Json): ImageProcessor | undefined {
  const v = obj(raw.vision_config);
  const type = String(raw.model_type ?? '');
  if (!v) return undefined;
  if (/^qwen(2_vl|2_5_vl|3_vl|3_vl_moe|3_5|3_5_moe)$/.test(type) && num(v.patch_size)) {
    const qwen3 = /^qwen3/.test(type);
    const pixels = qwen3 ? QWEN3_PIXELS : QWEN2_PIXELS;
    // Qwen2-VL's tower spells its width embed_dim and its MLP mlp_ratio; 2.5-VL and 3-VL hidden_size / intermediate_size.
    const vitHidden = num(v.embed_dim) ?? num(v.hidden_size) ?? 0;
    const vitIntermediate = num(v.intermediate_size) ?? Math.round(vitHidden * (num(v.mlp_ratio) ?? 4));
    return {
      kind: 'merged-patches', patch: num(v.patch_size)!, merge: num(v.spatial_merge_size) ?? 2, defaultMaxPixels: pixels.max, defaultMinPixels: pixels.min, vitHidden, vitIntermediate,
      source: "vLLM qwen2_vl.py Qwen2VLProcessingInfo.get_image_size_with_most_features: smart_resize of the largest image into max_pixels, tokens = (H/(patch·merge))·(W/(patch·merge))",
    };
  }
  if (/^internvl/.test(type) || /InternVL/.test(String((raw.architectures as unknown[] | undefined)?.[0] ?? ''))) {
    const size = num(raw.force_image_size) ?? num(v.image_size) ?? 448;
    const patch = num(v.patch_size) ?? 14;
    const ratio = num(raw.downsample_ratio) ?? 0.5;
    const maxTiles = num(raw.max_dynamic_patch) ?? 12;
    const patchesPerTile = (size / patch) ** 2;
    return {
      kind: 'tiles', tokensPerTile: Math.round(patchesPerTile * ratio * ratio), maxTiles: maxTiles + (raw.use_thumbnail === false ? 0 : 1), patchesPerTile,
      vitHidden: num(v.hidden_size) ?? 0, vitIntermediate: num(v.intermediate_size) ?? 0,
      source: 'vLLM internvl.py BaseInternVLProcessingInfo.get_max_image_tokens: (max_dynamic_patch + thumbnail) tiles × (image_size/patch)² × downsample_ratio² tokens',
    };
  }
  if (/^gemma3$/.test(type) && num(raw.mm_tokens_per_image)) {
    const patches = ((num(v.image_size) ?? 896) / (num(v.patch_size) ?? 14)) ** 2;
    return {
      kind: 'fixed', tokens: num(raw.mm_tokens_per_image)!, patches, vitHidden: num(v.hidden_size) ?? 0, vitIntermediate: num(v.intermediate_size) ?? 0,
      source: 'vLLM gemma3_mm.py get_num_image_tokens: mm_tokens_per_image per crop, one crop with pan-and-scan off (its default)',
    };
  }
  return undefined;
}

/**
 * Tokens of the largest image the processor produces (vLLM profiles and budgets with it). Qwen: the "image with most
 * features" is a huge square resized into max_pixels — side = floor(√max_pixels / factor) · factor (smart_resize's
 * floor branch), tokens = (side / factor)². Tiles: every tile plus the thumbnail.
 */
export function maxTokensPerImage(p: ImageProcessor, maxPixels?: number): number {
  if (p.kind === 'merged-patches') {
    const factor = p.patch * p.merge;
    const side = Math.max(1, Math.floor(Math.sqrt(maxPixels ?? p.defaultMaxPixels) / factor));
    return side * side;
  }
  if (p.kind === 'tiles') return p.tokensPerTile * p.maxTiles;
  return p.tokens;
}

/** Patches the ViT runs for one largest image (Qwen: merge² per token; tiles: a full tile's patches each). */
export function vitPatchesPerImage(p: ImageProcessor, tokens: number): number {
  if (p.kind === 'merged-patches') return tokens * p.merge * p.merge;
  if (p.kind === 'tiles') return p.patchesPerTile * p.maxTiles;
  return p.patches;
}

/** The max_pixels that gives at most `tokens` tokens per image (a square of whole merged patches). */
export function maxPixelsForTokens(p: Extract<ImageProcessor, { kind: 'merged-patches' }>, tokens: number): number {
  const factor = p.patch * p.merge;
  const side = Math.max(1, Math.floor(Math.sqrt(tokens)));
  return side * side * factor * factor;
}

/**
 * vLLM's encoder budget in tokens (vllm/v1/core/encoder_cache_manager.py compute_encoder_budget; vllm@51c7cf7d):
 * compute budget C = max(max_num_batched_tokens, M), cache size S = max(C, M) (encoder_cache_size defaults to the
 * compute budget), encoder budget E = min(C, S) — with neither set by hand, E = max(max_num_batched_tokens, M).
 */
export function encoderBudgetTokens(maxTokensPerItem: number, maxNumBatchedTokens: number): number {
  const compute = Math.max(maxNumBatchedTokens, maxTokensPerItem);
  const cache = Math.max(compute, maxTokensPerItem);
  return Math.min(compute, cache);
}

/**
 * Dummy items the profiling run encodes in one batch (vllm/multimodal/budget.py MultiModalBudget._get_max_items):
 * per prompt max(1, min(limit, max_model_len // M)); per batch max(1, min(E // M, max_num_seqs × per prompt)).
 */
export function profiledItems(budget: number, maxTokensPerItem: number, maxNumSeqs: number, limit: number, maxModelLen: number): number {
  const perPrompt = Math.max(1, Math.min(limit, Math.floor(maxModelLen / maxTokensPerItem)));
  return Math.max(1, Math.min(Math.floor(budget / maxTokensPerItem), maxNumSeqs * perPrompt));
}

/**
 * Encoder outputs the profiling run keeps in encoder_cache while it runs the language model
 * (vllm/v1/worker/gpu_model_runner.py profile_run): each item's (tokens, hidden) output, widened to (E, hidden) when
 * it has fewer rows than the budget ("the embeddings that encoder outputs are scattered onto"); in the model dtype.
 */
export function encoderCacheBytes(items: number, maxTokensPerItem: number, budget: number, lmHidden: number, dtypeBytes: number): number {
  return items * Math.max(maxTokensPerItem, budget) * lmHidden * dtypeBytes;
}

/**
 * Peak activations of the ViT over the profiled items (no engine formula: research open question 5). Estimated like
 * memory.ts's V1 MLP term — the MLP's gate/up outputs in 16 bits (4 B per patch per intermediate width, split by TP
 * when the tower is sharded) — plus ~4 hidden-width 16-bit copies per patch (residual, norm, attention in/out).
 */
export function vitActivationBytes(patches: number, vitHidden: number, vitIntermediate: number, tpShards: number): number {
  return patches * ((4 * vitIntermediate) / tpShards + 8 * vitHidden);
}

/** What the multimodal side of a deployment loads and reserves, per GPU. */
export interface MultimodalMemory {
  /** The tower loads (not language-only, some modality enabled or the engine cannot skip it). */
  towerLoaded: boolean;
  /** The tower is a full copy on every rank (--mm-encoder-tp-mode data, or a tower the engine replicates). */
  towerReplicated: boolean;
  /** Tokens of the largest image (0 when not modelled or images are off). */
  maxTokensPerImage: number;
  imageLimit: number;
  encoderBudgetTokens: number;
  profiledItems: number;
  encoderCacheBytes: number;
  /** ViT activation peak above what the language model's profile already reserves beside the cache. */
  encoderActivationBytes: number;
  notes: string[];
}

export interface MultimodalInputs {
  engine: EngineName;
  model: ModelSpec;
  raw: Json;
  limits?: MmLimits;
  processorKwargs?: Record<string, unknown>;
  tpMode?: string;
  languageOnly?: boolean;
  skipProfiling?: boolean;
  tp: number;
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  maxModelLen: number;
  /** The language model's own profiling peak (memory.ts activationPeakBytes). */
  lmActivationBytes: number;
}

/** vLLM V1's default items per prompt and modality (vllm/config/multimodal.py: "Defaults to 1 (V0) or 999 (V1)"). */
export const DEFAULT_MM_LIMIT = 999;

/** Every modality the file names set to 0: the language-only switch of versions without --language-model-only. */
export const allModalitiesOff = (l: MmLimits | undefined): boolean => !!l && Object.keys(l.counts).length > 0 && Object.values(l.counts).every((n) => n === 0);

export function multimodalMemory(x: MultimodalInputs): MultimodalMemory | undefined {
  if (!x.model.encoders?.length) return undefined;
  const notes: string[] = [];
  // vLLM: --language-model-only skips the multimodal modules; limit 0 for every modality skips their profiling and,
  // for the models that support it (Qwen3-VL text-only mode, vLLM #26000), the tower too.
  const off = allModalitiesOff(x.limits);
  const p = imageProcessor(x.raw);
  // vLLM's Qwen-VL models build no tower when image and video are both limited to 0 (qwen2_5_vl.py / qwen3_vl.py:
  // `self.visual = None` unless get_limit_per_prompt("image") or ("video")); other wrappers still load theirs.
  const towerLoaded = !(x.languageOnly || (x.engine === 'vllm' && off && p?.kind === 'merged-patches'));
  if (off && towerLoaded) notes.push(`every modality limited to 0: ${x.model.architecture}'s tower is still loaded (only --language-model-only skips it), but not profiled`);
  const dataMode = x.engine === 'vllm' && x.tpMode === 'data';
  const towerReplicated = dataMode || x.model.encoders.every((e) => e.sharding === 'replicated');
  const imageLimit = x.limits?.counts.image ?? DEFAULT_MM_LIMIT;
  const maxPixels = num(x.processorKwargs?.max_pixels);
  const base = { towerLoaded, towerReplicated, imageLimit, encoderBudgetTokens: 0, profiledItems: 0, encoderCacheBytes: 0, encoderActivationBytes: 0, notes };
  if (!towerLoaded) return { ...base, maxTokensPerImage: 0, notes: [x.languageOnly ? 'language-model-only: the vision tower and encoder cache are not loaded' : 'every modality limited to 0: the vision tower is not loaded and not profiled'] };
  if (off) return { ...base, maxTokensPerImage: 0 };
  if (!p) {
    notes.push(`tokens per image of ${x.model.architecture} are not modelled: the encoder cache and the ViT profiling peak are not counted (the tower's weights are)`);
    return { ...base, maxTokensPerImage: 0 };
  }
  const tokens = maxTokensPerImage(p, maxPixels);
  // Only vLLM sizes an encoder cache and profiles dummy items before the KV budget; SGLang leaves the ViT to the
  // memory outside mem_fraction_static (research §2.5).
  if (x.engine !== 'vllm' || imageLimit === 0 || x.skipProfiling) {
    if (x.skipProfiling) notes.push('skip-mm-profiling: the encoder peak is not reserved before the KV cache; leave headroom');
    return { ...base, maxTokensPerImage: imageLimit === 0 ? 0 : tokens };
  }
  const budget = encoderBudgetTokens(tokens, x.maxNumBatchedTokens);
  const items = profiledItems(budget, tokens, x.maxNumSeqs, imageLimit, x.maxModelLen);
  const cache = encoderCacheBytes(items, tokens, budget, x.model.hidden, x.model.dtypeBytes);
  const shards = towerReplicated ? 1 : x.tp;
  // Data mode splits the items over the ranks; the busiest rank encodes ceil(items / tp).
  const itemsHere = dataMode ? Math.ceil(items / x.tp) : items;
  const vit = vitActivationBytes(itemsHere * vitPatchesPerImage(p, tokens), p.vitHidden, p.vitIntermediate, shards);
  // The profile's peak is max(ViT peak, cache + language-model peak) (gpu_model_runner.py profile_run): what the ViT
  // needs beyond the cache and the language model's own peak is its own component.
  const extra = Math.max(0, vit - cache - x.lmActivationBytes);
  notes.push(`multimodal profile: ${items} dummy image(s) of ${tokens} tokens, encoder budget ${budget} tokens (${p.source}); ViT activations estimated, not fitted on logs`);
  return { ...base, maxTokensPerImage: tokens, encoderBudgetTokens: budget, profiledItems: items, encoderCacheBytes: cache, encoderActivationBytes: extra };
}
