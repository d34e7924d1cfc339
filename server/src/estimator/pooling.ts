/**
 * Pooling throughput: an embedding / scoring request is one forward over its prompt and no decode step, so a pooling
 * server's speed is prompts per second at the workload's input length. The engines batch prompts under a token budget —
 * vLLM max-num-batched-tokens (its scheduler admits prompts while the step's tokens fit), SGLang chunked-prefill-size,
 * TEI --max-batch-tokens (core/src/queue.rs: on GPU the batch's unpadded Σ tokens ≤ budget) — and a request cap
 * (max-num-seqs, max-running-requests, TEI --max-batch-requests / --max-concurrent-requests). One batch is one prefill
 * step of the existing step model (latency.ts): no second latency model here.
 */
import { FRONTEND_SEC, prefill, StepModel } from './latency';

export interface PoolingEstimate {
  /** Prompts in one batch: what the token budget admits at the input length, at most the request cap and the load. */
  batchSequences: number;
  batchTokens: number;
  /** One batch's forward, ms. */
  batchMs: number;
  /** Per replica (every data-parallel rank batches on its own). */
  sequencesPerSec: number;
  tokensPerSec: number;
  /** One request's latency at this load: its batch plus the HTTP front end. */
  requestMs: number;
  /** `none`: an encoder-only model keeps no KV (vLLM EncoderOnlyAttention, TEI); `prompt-only`: a decoder embedder's
   *  causal layers write KV for the prompt being encoded, freed when its forward ends. */
  kv: 'none' | 'prompt-only';
  tokenBudget: number;
  /** The budget knob as the engine spells it. */
  budgetKnob: string;
}

export interface PoolingLoad {
  inputLen: number;
  /** Requests in flight per rank (closed loop); Infinity for "as many as the engine batches". */
  concurrency: number;
  tokenBudget: number;
  maxSequences: number;
  ranks: number;
  /** Encoder-only: each query attends to the whole prompt; causal: to the tokens before it. */
  bidirectional: boolean;
}

/** Prompts per batch: the token budget's share at this length (at least one prompt, which a longer prompt fills alone). */
export function poolingBatch(inputLen: number, tokenBudget: number, maxSequences: number, concurrency: number): number {
  const byBudget = Math.max(1, Math.floor(tokenBudget / Math.max(1, inputLen)));
  return Math.max(1, Math.min(byBudget, Math.max(1, maxSequences), Math.max(1, concurrency)));
}

export function poolingThroughput(step: StepModel, load: PoolingLoad, kv: PoolingEstimate['kv'], budgetKnob: string): PoolingEstimate {
  const I = Math.max(1, Math.round(load.inputLen));
  const n = poolingBatch(I, load.tokenBudget, load.maxSequences, load.concurrency);
  // No token is sampled (sampled = 0): the pooler reads hidden states, there is no LM-head step per request.
  const sec = n * I <= load.tokenBudget || n > 1
    ? step.step(0, 0, n * I, load.bidirectional ? I : I / 2, 0)
    : prefill(step, 0, 0, I, I, Math.max(1, load.tokenBudget));
  const seqs = (n / sec) * Math.max(1, load.ranks);
  return {
    batchSequences: n, batchTokens: n * I, batchMs: sec * 1e3, sequencesPerSec: seqs, tokensPerSec: seqs * I,
    requestMs: (sec + FRONTEND_SEC) * 1e3, kv, tokenBudget: load.tokenBudget, budgetKnob,
  };
}
