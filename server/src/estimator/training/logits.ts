/**
 * The logits and the loss, per micro-batch of T = micro-batch × sequence tokens over a vocabulary V, as
 * transformers computes causal-LM loss (loss_utils.ForCausalLMLoss: logits.float(), then F.cross_entropy =
 * log_softmax + nll_loss):
 * - kept for the backward: log_softmax's fp32 output, 4·T·V (the 16-bit logits and their fp32 upcast are not saved);
 * - forward transient on top, while log_softmax runs: the compute-dtype logits and the fp32 upcast, (c + 4)·T·V
 *   (4·T·V when the logits are fp32 already);
 * - backward transient on top, at the loss: nll_loss's dense fp32 gradient and log_softmax's fp32 input gradient,
 *   8·T·V. This is the step's peak for most fine-tunes of models with large vocabularies.
 * Measured (bench/calibration/train-memory-h200.csv): peak_fwd − (weights + states + kept) = 5.96–6.0 B·T·V and
 * peak_bwd − (weights + states + kept) = 7.98–8.0 B·T·V on Llama-3.2-1B (V 128256).
 * Chunked cross-entropy (torchtune CEWithChunkedOutputLoss, 8 chunks) upcasts one chunk at a time: the transients
 * divide by the chunk count; the kept fp32 log-probabilities of every chunk remain. Fused linear-cross-entropy
 * kernels (Liger, Unsloth, Cut Cross-Entropy) that never materialise the logits are not modelled, nor is the loss
 * path of transformers before 4.45 (the model returned fp32 logits and the loss made a shifted fp32 copy: 6–10 B more
 * per logit — Unsloth's HF+FA2 context table, measured on such versions, sits about that much above this).
 */
import type { TrainingInputs } from './types';

export interface LogitsBytes {
  kept: number;
  forwardTransient: number;
  backwardTransient: number;
}

export function logitsBytes(x: TrainingInputs): LogitsBytes {
  const tv = x.microBatch * x.seqLen * x.spec.vocab;
  const c = x.precision === 'fp32' ? 4 : 2;
  const chunks = Math.max(1, x.lossChunks);
  return {
    kept: 4 * tv,
    // The 16-bit logits of every chunk exist at once (the head runs on all of them); the upcast is per chunk.
    forwardTransient: c * tv + (c === 4 ? 0 : (4 * tv) / chunks),
    backwardTransient: (8 * tv) / chunks,
  };
}
