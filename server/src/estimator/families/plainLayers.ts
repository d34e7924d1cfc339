/**
 * The tensor counts of the plain decoder parts several families share: multi-head / grouped-query attention as
 * vLLM's QKVParallelLinear + RowParallelLinear build it, gated (SwiGLU) and two-matrix MLPs, routed experts behind a
 * replicated router. Each family file says which of them its layers hold and where it departs from them.
 */
import type { LayerParams, ModelSpec } from '../modelSpec';

export interface AttentionShape {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Biases on q, k and v (QKVParallelLinear bias=True). */
  qkvBias?: boolean;
  /** Bias on the output projection. */
  oBias?: boolean;
}

/** q + o (split by TP) and k + v (split up to the KV heads) of one attention layer. */
export function attentionParams(a: AttentionShape): Pick<LayerParams, 'attention' | 'kvProj' | 'kvHeads'> {
  const q = a.heads * a.headDim;
  const kv = a.kvHeads * a.headDim;
  return {
    attention: a.hidden * q + q * a.hidden + (a.qkvBias ? q : 0) + (a.oBias ? a.hidden : 0),
    kvProj: 2 * a.hidden * kv + (a.qkvBias ? 2 * kv : 0),
    kvHeads: a.kvHeads,
  };
}

/** gate + up + down (MergedColumnParallelLinear + RowParallelLinear), optionally biased. */
export const gatedMlpParams = (hidden: number, width: number, bias = false): number => 3 * hidden * width + (bias ? 2 * width + hidden : 0);

/** Two matrices (fc1 → activation → fc2), optionally biased. */
export const plainMlpParams = (hidden: number, width: number, bias = true): number => 2 * hidden * width + (bias ? width + hidden : 0);

/**
 * The dense Llama-shaped layers of `base` (attention biased as the config's `attention_bias` says, SwiGLU MLP of
 * `intermediate`, optionally biased), each with `norms` norm elements: families that differ from Llama only in their
 * norms (post-norms, q/k norms) pass those.
 */
export function llamaLayers(base: ModelSpec, attentionBias: boolean, norms: number, mlpBias = false): LayerParams[] {
  const d = base.hidden;
  return Array.from({ length: base.layers }, () => ({
    ...attentionParams({ hidden: d, heads: base.heads, kvHeads: base.kvHeads, headDim: base.headDim, qkvBias: attentionBias, oBias: attentionBias }),
    replicated: 0,
    mlp: gatedMlpParams(d, base.intermediate, mlpBias),
    experts: 0, activeExperts: 0, router: 0,
    norms,
  }));
}

/** A layer with no parameters yet: families add what theirs holds. */
export const emptyLayer = (kvHeads: number): LayerParams => ({
  attention: 0, kvProj: 0, kvHeads, replicated: 0, mlp: 0, experts: 0, activeExperts: 0, router: 0, norms: 0,
});

/** Routed gated experts (FusedMoE w13 + w2, no biases) behind a bias-free ReplicatedLinear router. */
export function routedExperts(hidden: number, experts: number, topK: number, width: number): Pick<LayerParams, 'experts' | 'activeExperts' | 'router'> {
  const one = gatedMlpParams(hidden, width);
  return { experts: experts * one, activeExperts: topK * one, router: hidden * experts };
}

/** The most common value of a list (ties: the first seen), for the uniform description the latency model reads. */
export function mostCommon(values: number[], fallback: number): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = fallback;
  let n = 0;
  for (const [v, c] of counts) if (c > n) { best = v; n = c; }
  return best;
}

/** Drops the generic reader's assumptions that a family's own reading makes moot (they start with these phrases). */
export const withoutAssumptions = (assumptions: string[], ...prefixes: string[]): string[] =>
  assumptions.filter((a) => !prefixes.some((p) => a.startsWith(p)));
