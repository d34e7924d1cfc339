/**
 * Gradient bytes before sharding: one gradient per trainable parameter in the parameter's dtype (PyTorch .grad
 * matches the parameter: fp32 under mixed/fp32 — "gradients are always kept in fp32", transformers
 * model_memory_anatomy — 2 B under pure bf16, the adapters' dtype under LoRA). Measured: grads_alloc in
 * bench/calibration/train-memory-h200.csv is 2 B × params (bf16) and 4 B × params (mixed) to 0.5 %.
 * transformers zero_grad(set_to_none=True) frees them after each optimizer step, so the first micro-batch's forward
 * and loss run without them; with gradient accumulation they are held through every later micro-batch.
 * optimizer_in_bwd (torchtune): each parameter steps in its backward hook, so only one parameter's gradient lives.
 */
import type { TrainingInputs } from './types';
import type { TrainableParams } from './params';
import { dtypeBytes, paramBytes } from './weights';

export function gradientBytes(x: TrainingInputs, t: TrainableParams): number {
  const per = x.method === 'lora' || x.method === 'qlora' ? dtypeBytes(x.lora?.adapterDtype ?? 'fp32') : paramBytes(x);
  if (x.optimizerInBackward) return per * largestTensor(x, t);
  return per * t.trainable;
}

/** The largest single parameter tensor: the embedding (or LM head) for every decoder here. */
export function largestTensor(x: TrainingInputs, t: TrainableParams): number {
  if (x.method === 'lora' || x.method === 'qlora') return Math.min(t.trainable, Math.max(x.spec.hidden, x.spec.intermediate) * (x.lora?.rank ?? 8));
  return Math.max(x.params.embedding, x.params.lmHead, x.spec.hidden * x.spec.intermediate);
}
