/**
 * Weight bytes before sharding.
 * - 16-bit: 2 B/param. Mixed precision as transformers' Trainer runs it (torch.autocast over an fp32 model): the
 *   parameters are the fp32 master copy, 4 B/param, and autocast's 16-bit copy of every linear weight (2 B/param)
 *   lives from the forward to the backward, where the matmuls saved it — the "6 bytes per parameter" of
 *   huggingface.co/docs/transformers/model_memory_anatomy. Measured here: the 1B/3B rows of
 *   bench/calibration/train-memory-h200.csv (fwd_keep of mixed minus bf16 = 2 B × linear weights, ±1 %).
 *   With checkpointing only the layers outside the checkpointed blocks (the LM head) keep their copy to the backward;
 *   the autocast cache still holds all of them until the forward ends (a forward-phase peak).
 * - QLoRA: bitsandbytes NF4, 4 bits per weight of the quantized linears + one fp32 absmax per block of 64
 *   (bnb Linear4bit default blocksize 64); double quantization stores those absmax as 8-bit with one fp32 scale per
 *   256 of them (bnb functional.quantize_4bit compress_statistics, nested blocksize 256): 0.5 + 4/64 = 0.5625 B/param
 *   plain, 0.5 + 1/64 + 4/(64·256) ≈ 0.5159 B/param double-quantized (Dettmers et al. 2023, arXiv 2305.14314 §3:
 *   "reduces the memory footprint from 0.5 to 0.127 bits per parameter"). Embeddings, LM head and norms stay 16-bit.
 *   The unquantized rest is fp32 where PEFT's prepare_model_for_kbit_training runs (axolotl, TRL scripts).
 * - 8-bit (LLM.int8, bnb Linear8bitLt): 1 B/param + one fp32 scale per output row (SCB).
 * - LoRA adapters: their dtype (fp32 unless the file says otherwise: PEFT autocast_adapter_dtype=True casts them up).
 */
import type { TrainingInputs } from './types';
import type { TrainableParams } from './params';
import { layerModules } from './modules';

export const NF4_BLOCK = 64;
export const NF4_DOUBLE_QUANT_BLOCK = 256;

export interface WeightBytes {
  /** The trainable parameters' own copy (fp32 master under mixed/fp32, 16-bit under bf16); 0 for LoRA (frozen base). */
  trainable: number;
  /** Frozen base weights (LoRA, QLoRA, freeze), quantized or 16-bit. */
  frozen: number;
  /** Autocast's 16-bit copies kept from forward to backward (mixed full fine-tuning). */
  castKept: number;
  /** Autocast's copies held during the forward (its cache lives until the autocast region ends). */
  castForward: number;
}

export const dtypeBytes = (d: 'fp32' | 'bf16' | 'fp16'): number => (d === 'fp32' ? 4 : 2);

/** Bytes of a parameter the optimizer updates, in the module (not DeepSpeed's master copy). */
export function paramBytes(x: TrainingInputs): number {
  return x.precision === 'bf16' ? 2 : 4;
}

function quantizedLinearParams(x: TrainingInputs): { params: number; rows: number } {
  let params = 0;
  let rows = 0;
  for (let i = 0; i < x.spec.layers; i++) {
    for (const m of layerModules(x.spec, i)) {
      params += m.count * m.dIn * m.dOut;
      rows += m.count * m.dOut;
    }
  }
  return { params, rows };
}

export function nf4BytesPerParam(doubleQuant: boolean): number {
  return 0.5 + (doubleQuant ? 1 / NF4_BLOCK + 4 / (NF4_BLOCK * NF4_DOUBLE_QUANT_BLOCK) : 4 / NF4_BLOCK);
}

export function weightBytes(x: TrainingInputs, t: TrainableParams): WeightBytes {
  const full = x.method === 'full' || x.method === 'freeze';
  if (full) {
    const trainable = t.trainable * paramBytes(x);
    // freeze: the frozen layers stay in the load dtype (16-bit under bf16/mixed — LLaMA-Factory upcasts only the trainable ones).
    const frozen = t.frozen * (x.precision === 'fp32' ? 4 : 2);
    const mixedFull = x.method === 'full' && (x.precision === 'mixed' || x.precision === 'mixed-fp16');
    const lmHead = x.params.lmHead || x.params.embedding;
    const castForward = mixedFull ? 2 * t.linearWeights : 0;
    const castKept = mixedFull ? (x.gradientCheckpointing ? 2 * lmHead : castForward) : 0;
    return { trainable, frozen, castKept, castForward };
  }
  const baseBytes = x.precision === 'fp32' ? 4 : 2;
  let frozen = t.frozen * baseBytes;
  if (x.quantBits) {
    const q = quantizedLinearParams(x);
    const quant = x.quantBits === 4 ? q.params * nf4BytesPerParam(x.doubleQuant) : q.params + 4 * q.rows;
    // PEFT prepare_model_for_kbit_training (axolotl and TRL/transformers scripts call it) casts the parameters that
    // stay unquantized — embeddings, LM head, norms — to fp32; LLaMA-Factory and torchtune keep them 16-bit.
    const rest = x.format === 'axolotl' || x.format === 'hf-trainer' ? 4 : baseBytes;
    frozen = (t.frozen - q.params) * rest + quant;
  }
  const adapter = t.adapter * dtypeBytes(x.lora?.adapterDtype ?? 'fp32');
  return { trainable: adapter, frozen, castKept: 0, castForward: 0 };
}
