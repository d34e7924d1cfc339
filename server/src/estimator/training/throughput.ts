/**
 * Step time from FLOPs at a measured efficiency.
 * FLOPs per token (Kaplan et al. 2020 arXiv 2001.08361 §2.1; Narayanan et al. 2021 arXiv 2104.04473 §5.1):
 * - matmul parameters N (active parameters for MoE, the LM head counted, the embedding lookup not): 2N forward;
 *   backward 4N when the weights train (input and weight gradients), 2N when they are frozen (input gradients only):
 *   full 6N, LoRA/QLoRA 4N + 6·N_trainable, freeze 4N + 2·N_trainable;
 * - attention scores and values: 4·L·q·s forward per token over the whole s × s square, × 3 with the backward
 *   (Megatron's 12·L·h·s); flash/SDPA causal kernels skip the masked half (× ½), eager computes all of it;
 * - gradient checkpointing runs each layer's forward again in the backward: + 2N (and + the attention forward).
 * Efficiency: the share of the GPU's datasheet dense 16-bit rate (catalog tflops.bf16) that the calibration's training
 * steps achieved with these FLOPs (bench/calibration/train-memory-h200.csv step_s; bench/trainingRows.ts prints each
 * row's step time against it), taken for every GPU. Communication (ZeRO-3 all-gathers, DDP all-reduce,
 * offload transfers) is assumed hidden behind compute; QLoRA's dequantisation is not charged (stated).
 */
import type { GpuSpec } from '../../catalog/gpus';
import type { TrainingInputs } from './types';
import type { TrainableParams } from './params';

/** Median model-FLOPs utilisation of the 32 dense SDPA calibration steps on the H200 (transformers + PEFT, eager
 *  PyTorch, no torch.compile; bf16 dense datasheet rate): 0.32 (range 0.17–0.55; small micro-batches lowest). */
export const MODEL_FLOPS_EFFICIENCY = 0.32;
/** Eager attention's steps ran at 0.53 of that (median of 4 rows: the s² softmax passes are memory-bound). */
export const EAGER_EFFICIENCY_FACTOR = 0.53;
/** transformers' MoE experts loop (one small GEMM per expert) ran at 0.42 of it (OLMoE shape, 3 rows). */
export const MOE_EFFICIENCY_FACTOR = 0.42;

export function efficiency(x: TrainingInputs): number {
  let e = MODEL_FLOPS_EFFICIENCY;
  if (x.attention === 'eager') e *= EAGER_EFFICIENCY_FACTOR;
  if (x.spec.moe) e *= MOE_EFFICIENCY_FACTOR;
  return e;
}

export function matmulParams(x: TrainingInputs): number {
  // The embedding is a lookup; a tied LM head multiplies by the same matrix, so it then counts once, as the head.
  return x.params.active - (x.params.lmHead ? x.params.embedding : 0);
}

export function flopsPerToken(x: TrainingInputs, t: TrainableParams): number {
  const n = matmulParams(x);
  const trainable = x.method === 'full' ? n : t.trainable;
  let dense: number;
  if (x.method === 'full') dense = 6 * n;
  else if (x.method === 'freeze') dense = 4 * n + 2 * trainable;
  else dense = 4 * n + 6 * trainable;
  const q = x.spec.heads * x.spec.headDim;
  const causal = x.attention === 'eager' ? 1 : 0.5;
  const attnForward = 4 * x.spec.layers * q * x.seqLen * causal;
  let f = dense + 3 * attnForward;
  if (x.gradientCheckpointing) f += 2 * n + attnForward;
  return f;
}

export function peakFlops(gpu: GpuSpec, x: TrainingInputs): number {
  const half = x.precision === 'mixed-fp16' ? gpu.tflops.fp16 ?? gpu.tflops.bf16 : gpu.tflops.bf16 ?? gpu.tflops.fp16;
  // fp32 matmuls run on TF32 tensor cores at half the 16-bit dense rate (Ampere/Hopper datasheets), when enabled.
  return (half ?? 0) * (x.precision === 'fp32' ? 0.5 : 1);
}

export function stepSeconds(x: TrainingInputs, t: TrainableParams, eff = efficiency(x)): { seconds: number; flopsPerToken: number } {
  const f = flopsPerToken(x, t);
  const tokensPerGpu = x.microBatch * x.seqLen * x.gradAccum;
  const rate = peakFlops(x.gpu, x) * eff;
  return { seconds: rate > 0 ? (tokensPerGpu * f) / rate : Infinity, flopsPerToken: f };
}
