/**
 * Speculative decoding: a drafter proposes k tokens, the target verifies k + 1 in one step, and on average
 * E = (1 − α^(k+1)) / (1 − α) tokens are accepted per step for a per-token acceptance rate α
 * (the expected-length formula of speculative sampling). The step pays for k + 1 query tokens per sequence
 * plus the drafter's own k forward passes.
 */
export type SpeculativeMethod = 'ngram' | 'eagle' | 'eagle3' | 'mtp' | 'medusa' | 'draft_model' | 'suffix';

export interface SpeculativeConfig {
  method: SpeculativeMethod | string;
  numTokens: number;
  /** Per-token acceptance rate (0..1); when absent a typical figure for the method is assumed. */
  acceptanceRate?: number;
  /** Parameters of a separate draft model (draft_model method). */
  draftParams?: number;
  /** The drafter's checkpoint (vLLM speculative-config `model`, SGLang --speculative-draft-model-path). */
  draftModel?: string;
  /** GPUs the drafter is sharded over (vLLM draft_tensor_parallel_size; default the target's TP). */
  draftTensorParallel?: number;
}

/**
 * Typical per-token acceptance on chat workloads — engineering defaults, shown as assumptions and overridable:
 * prompt-lookup n-grams rarely match outside code/RAG (~0.3); EAGLE-style heads ~0.7–0.75; a same-family small draft
 * model ~0.7. MTP 0.8: DeepSeek-V3's technical report (arXiv 2412.19437 §5.4.3) measures 85–90 % acceptance of the
 * second token with its one MTP module; the recipes chain that module for 1–3 draft tokens
 * (silicon-launch-recipes.md §4.1: TensorRT-LLM nextn 3, or 1 with DP attention; SGLang EAGLE 2 steps / 3 draft
 * tokens), and positions past the one it was trained for accept less, so the per-token figure sits below 0.85.
 */
const TYPICAL_ACCEPTANCE: Record<string, number> = { ngram: 0.3, suffix: 0.4, medusa: 0.6, eagle: 0.7, eagle3: 0.75, mtp: 0.8, draft_model: 0.7 };

export interface Speculation {
  k: number;
  acceptance: number;
  /** Expected tokens emitted per sequence per verification step. */
  tokensPerStep: number;
  /** Drafting cost as a fraction of one target decode step, per proposed token. */
  draftCostPerToken: number;
  note: string;
}

/**
 * `headParams`: the output head a drafter's every token passes through (vocab × hidden): EAGLE heads and MTP modules
 * share the target's lm_head (DeepSeek-V3 §2.2 "shared output head"; vLLM deepseek_mtp.py computes logits through it).
 */
export function speculation(cfg: SpeculativeConfig | undefined, target: { layers: number; activeParams: number; headParams?: number }): Speculation | undefined {
  if (!cfg || !(cfg.numTokens >= 1)) return undefined;
  const k = Math.min(16, Math.floor(cfg.numTokens));
  const method = cfg.method.toLowerCase();
  const a = Math.min(0.99, Math.max(0, cfg.acceptanceRate ?? TYPICAL_ACCEPTANCE[method] ?? 0.6));
  const tokensPerStep = (1 - Math.pow(a, k + 1)) / (1 - a);
  // Drafter cost per proposed token relative to a target step (decode is weight-bound, so by the weights it reads):
  // n-gram lookup is CPU-only; EAGLE/MTP heads are one decoder layer plus the shared output head; a draft model costs
  // its share of the target's parameters.
  const layer = 1 / Math.max(1, target.layers);
  const head = Math.min(1, (target.headParams ?? 0) / Math.max(1, target.activeParams));
  const draftCostPerToken = method === 'ngram' || method === 'suffix' ? 0 : method === 'draft_model'
    ? Math.min(1, (cfg.draftParams ?? target.activeParams * 0.1) / target.activeParams) : Math.min(1, layer + head);
  return {
    k, acceptance: a, tokensPerStep, draftCostPerToken,
    note: `speculative decoding (${cfg.method}, ${k} tokens): ${cfg.acceptanceRate === undefined ? 'assumed ' : ''}acceptance ${a} per token → ${tokensPerStep.toFixed(2)} tokens per step`,
  };
}
