/**
 * vLLM's multimodal options as written → plan knob values. `--limit-mm-per-prompt` takes JSON (`{"image": 2}`, and
 * since v0.10 per-modality dummy sizes `{"image": {"count": 2, "width": 512, "height": 512}}`) or the legacy
 * `image=2,video=1` string (vllm/config/multimodal.py MultiModalConfig.limit_per_prompt, get_limit_per_prompt; the
 * legacy form is parsed by arg_utils' optional_type/nullable_kvs). `--mm-processor-kwargs` is a JSON object handed to
 * the HF processor (Qwen-VL's `max_pixels` / `min_pixels`).
 */
import type { MmLimits } from '../plan/types';
import { jsonObject } from './jsonObject';

/** `{"image": 2}`, `{"image": {"count": 2}}` or `image=2,video=0` → counts by modality; undefined when unreadable. */
export function mmLimitsFrom(v: unknown): MmLimits | undefined {
  if (typeof v === 'string' && !v.trim().startsWith('{')) {
    const counts: Record<string, number> = {};
    for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([A-Za-z_]+)\s*=\s*(\d+)$/.exec(part);
      if (!m) return undefined;
      counts[m[1]] = Number(m[2]);
    }
    return Object.keys(counts).length ? { counts, form: 'legacy' } : undefined;
  }
  const o = jsonObject(v);
  if (!o) return undefined;
  const counts: Record<string, number> = {};
  for (const [modality, x] of Object.entries(o)) {
    const n = typeof x === 'number' ? x : typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : x && typeof x === 'object' ? Number((x as Record<string, unknown>).count) : NaN;
    if (!Number.isInteger(n) || n < 0) return undefined;
    counts[modality] = n;
  }
  return { counts, form: 'json' };
}

/** The limits spelled the way the file spelled them, for a fix that rewrites the value. */
export function mmLimitsText(l: MmLimits): string {
  if (l.form === 'legacy') return Object.entries(l.counts).map(([k, n]) => `${k}=${n}`).join(',');
  return JSON.stringify(l.counts);
}

/** `--mm-processor-kwargs` as an object (a YAML mapping or a JSON string). */
export function mmProcessorKwargsFrom(v: unknown): Record<string, unknown> | undefined {
  return jsonObject(v);
}

/** A knob's value from a fix's string (pipeline.ts withChanges): the multimodal knobs read like the file's text. */
export function multimodalKnobFrom(knob: string, v: string): unknown {
  if (knob === 'mmLimits') return mmLimitsFrom(v);
  if (knob === 'mmProcessorKwargs') return mmProcessorKwargsFrom(v);
  return undefined;
}
