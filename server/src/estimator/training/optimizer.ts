/**
 * Optimizer state and the optimizer step's own temporaries, before sharding.
 * States per trainable parameter, s = the parameter's bytes (4 under mixed/fp32 and for fp32 LoRA adapters, 2 under
 * pure bf16 — torch.optim creates its states like the parameter):
 * - AdamW (torch foreach / fused, paged 32-bit): exp_avg + exp_avg_sq = 2·s (8 B/param fp32, "AdamW 8 bytes per
 *   parameter", transformers model_memory_anatomy; measured states_alloc 4.60 GiB for 1.236 B bf16 params = 4 B/param).
 * - 8-bit AdamW (bitsandbytes AdamW8bit / PagedAdamW8bit): 2 × 1 B + blockwise fp32 absmax, one per 256 values per
 *   state (bnb optimizer_update_8bit_blockwise, blocksize 256); tensors under 4096 values stay 32-bit (min_8bit_size).
 *   Paged optimizers keep their states in CUDA unified memory that pages to host under pressure: the GPU peak can be
 *   lower by up to the states (stated; `pageable`).
 * - Adafactor (transformers Adafactor, beta1=None): the second moment factored into a row and a column vector per
 *   matrix, 4·(rows + cols) B, full 4·n for vectors (Shazeer & Stern 2018, arXiv 1804.04235).
 * - SGD: none, or one momentum buffer (s) when momentum > 0. Lion: one momentum buffer (s; 8-bit: 1 B + absmax).
 * Temporaries of the step:
 * - foreach AdamW (PyTorch's default on CUDA when fused is not asked for): _multi_tensor_adam's
 *   torch._foreach_sqrt(exp_avg_sqs) allocates one state-sized tensor per parameter of the (device, dtype) group at
 *   once — s per trainable parameter (torch/optim/adam.py). Measured: peak_opt − (weights + grads + states) =
 *   2.30 GiB bf16 / 4.60 GiB mixed for the 1.236 B-parameter model, 0 with fused=True.
 * - fused AdamW, bnb 8-bit, SGD (in-place foreach), Lion: none beyond one tensor; Adafactor: one fp32 update the size
 *   of the largest tensor.
 */
import type { TrainingInputs } from './types';
import type { TrainableParams } from './params';
import { dtypeBytes, paramBytes } from './weights';
import { largestTensor } from './gradients';
import { layerModules } from './modules';

export const BNB_OPTIM_BLOCK = 256;
export const BNB_MIN_8BIT_SIZE = 4096;

export interface OptimizerBytes {
  states: number;
  temporaries: number;
  /** States a paged optimizer may move to host memory under pressure. */
  pageable: number;
}

function stateBytesPerParam(x: TrainingInputs): number {
  if (x.method === 'lora' || x.method === 'qlora') return dtypeBytes(x.lora?.adapterDtype ?? 'fp32');
  return paramBytes(x);
}

const eightBit = 1 + 4 / BNB_OPTIM_BLOCK;

/** Adafactor's factored second moment over the trainable matrices. */
function adafactorBytes(x: TrainingInputs, t: TrainableParams): number {
  if (x.method === 'lora' || x.method === 'qlora') {
    // Each adapter matrix is r × d: factored 4·(r + d) — a fraction of the adapter, ≈ 4·n·(1/r + 1/d).
    let b = 0;
    for (let i = 0; i < x.spec.layers; i++) for (const m of layerModules(x.spec, i)) b += m.count * 4 * (2 * (x.lora?.rank ?? 8) + m.dIn + m.dOut);
    return Math.min(b, 4 * t.trainable);
  }
  let b = 4 * (x.spec.vocab + x.spec.hidden) * (x.params.lmHead ? 2 : 1);
  for (let i = 0; i < x.spec.layers; i++) {
    for (const m of layerModules(x.spec, i)) b += m.count * 4 * (m.dIn + m.dOut);
    b += 4 * x.params.perLayer[i].norms;
  }
  return b * (t.trainable / t.total);
}

export function optimizerBytes(x: TrainingInputs, t: TrainableParams): OptimizerBytes {
  const s = stateBytesPerParam(x);
  const n = t.trainable;
  const big = largestTensor(x, t);
  switch (x.optimizer) {
    case 'adamw':
      return { states: 2 * s * n, temporaries: x.optimizerInBackward ? s * big : s * n, pageable: 0 };
    case 'adamw-fused':
      return { states: 2 * s * n, temporaries: 0, pageable: 0 };
    case 'paged-adamw-32bit':
      return { states: 2 * s * n, temporaries: 0, pageable: 2 * s * n };
    case 'adamw-8bit':
    case 'paged-adamw-8bit': {
      // Every matrix of these models has ≥ 4096 values; the 32-bit norms are a rounding error.
      const states = 2 * eightBit * n;
      return { states, temporaries: 0, pageable: x.optimizer === 'paged-adamw-8bit' ? states : 0 };
    }
    case 'adafactor':
      return { states: adafactorBytes(x, t), temporaries: 4 * big, pageable: 0 };
    case 'sgd':
      return { states: x.sgdMomentum ? s * n : 0, temporaries: 0, pageable: 0 };
    case 'lion':
      return { states: s * n, temporaries: 0, pageable: 0 };
    case 'lion-8bit':
      return { states: eightBit * n, temporaries: 0, pageable: 0 };
  }
}

/** The optimizer's name as people write it, for messages. */
export const optimizerLabel: Record<TrainingInputs['optimizer'], string> = {
  adamw: 'AdamW (foreach)', 'adamw-fused': 'AdamW (fused)', 'adamw-8bit': '8-bit AdamW', 'paged-adamw-8bit': 'paged 8-bit AdamW',
  'paged-adamw-32bit': 'paged 32-bit AdamW', adafactor: 'Adafactor', sgd: 'SGD', lion: 'Lion', 'lion-8bit': '8-bit Lion',
};
