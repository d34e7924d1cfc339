/** Config overrides that scale RoPE, as the engines spell them → one ContextOverride (estimator/contextLength.ts). */
import type { ContextOverride } from '../estimator/contextLength';
import { jsonObject } from './jsonObject';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** `{"rope_scaling": {...}, "max_position_embeddings": N}` (hf-overrides, json-model-override-args) or a bare RoPE
 *  dict (vLLM's older `--rope-scaling`), as a mapping or a JSON string; undefined when it holds no RoPE scaling. */
export function contextOverrideFrom(v: unknown): ContextOverride | undefined {
  const o = jsonObject(v);
  if (!o) return undefined;
  if (isObject(o.rope_scaling)) {
    const max = num(o.max_position_embeddings);
    return { ropeScaling: o.rope_scaling, ...(max ? { maxPositions: max } : {}) };
  }
  if ('factor' in o || 'rope_type' in o || 'type' in o) return { ropeScaling: o };
  return undefined;
}

