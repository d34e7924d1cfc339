/**
 * Parameter counts of the pieces every vision/audio tower here is built from, so each tower file states only its
 * own layout. Shapes as the engines' model code builds them (each tower file cites its source).
 */
import type { Json } from './types';

export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/** `config[key]` as a JSON object, or undefined. */
export function sub(config: Json, key: string): Json | undefined {
  const v = config[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

/** architectures[0] of the wrapper (what the engine dispatches on). */
export const architectureOf = (raw: Json): string => String((Array.isArray(raw.architectures) && raw.architectures[0]) || raw.model_type || '');

/** A linear layer `in → out`, with or without bias. */
export const linear = (inDim: number, out: number, bias: boolean): number => inDim * out + (bias ? out : 0);

/** A norm over `dim`: LayerNorm has weight and bias, RMSNorm a weight only. */
export const norm = (dim: number, kind: 'layer' | 'rms'): number => (kind === 'layer' ? 2 * dim : dim);

export interface BlockShape {
  hidden: number;
  /** MLP width. */
  intermediate: number;
  /** Width of q (and of k and v) when it differs from `hidden` (Kimi-K3: 12 heads × 128). */
  qkvWidth?: number;
  /** Biases on q/k/v and the output projection. */
  attnBias: boolean;
  /** Biases on the MLP linears. */
  mlpBias: boolean;
  /** Gated MLP (gate + up + down) vs two-matrix (fc1, fc2). */
  gated: boolean;
  norm: 'layer' | 'rms';
  /** Extra vectors per block (per-head q/k norms, tanh gates). */
  extra?: number;
}

/** One pre-norm transformer block: two norms, q/k/v + output projection, MLP. */
export function blockParams(b: BlockShape): number {
  const w = b.qkvWidth ?? b.hidden;
  const attention = 3 * linear(b.hidden, w, b.attnBias) + linear(w, b.hidden, b.attnBias);
  const mlp = b.gated
    ? 2 * linear(b.hidden, b.intermediate, b.mlpBias) + linear(b.intermediate, b.hidden, b.mlpBias)
    : linear(b.hidden, b.intermediate, b.mlpBias) + linear(b.intermediate, b.hidden, b.mlpBias);
  return 2 * norm(b.hidden, b.norm) + attention + mlp + (b.extra ?? 0);
}
