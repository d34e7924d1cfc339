/**
 * The 16-bit type unquantized math runs in on a GPU. Volta (V100, SM 7.0) and Turing (T4, SM 7.5) have fp16 tensor
 * cores but no bf16 ones (compute capability below 8.0). vLLM's platform lists only float16/float32 as supported
 * dtypes there, so `dtype auto` on a bf16 checkpoint falls back to float16 ("Your device … doesn't support
 * torch.bfloat16. Falling back to torch.float16 for compatibility.", config `_resolve_auto_dtype`), while an explicit
 * `--dtype bfloat16` stops at startup ("Bfloat16 is only supported on GPUs with compute capability of at least 8.0").
 * Weight bytes are the same (2 per value); the math runs at the fp16 tensor rate, and a bf16-trained model can
 * overflow in fp16 — worth a line, not a guess that bf16 tensor cores exist.
 */
import type { GpuSpec } from '../catalog/gpus';
import type { EngineName } from '../plan/types';
import type { WeightFormat } from './quantization';

/** fp16 on GPUs whose native formats have fp16 but not bf16; bf16 otherwise (catalog overrides without `native` too). */
export function sixteenBitDtype(gpu: GpuSpec): 'bf16' | 'fp16' {
  return !gpu.native.includes('bf16') && gpu.native.includes('fp16') ? 'fp16' : 'bf16';
}

const BF16_FLAG = /^(bfloat16|bf16)$/i;

export interface SixteenBitChoice {
  /** What unquantized tensors load as and the GEMMs run in. */
  dtype: 'bf16' | 'fp16';
  /** An assumption line when the engine changes the checkpoint's type. */
  assumption?: string;
  /** The startup error when the file asks for bf16 the GPU lacks. */
  refused?: string;
}

/** The 16-bit type for a checkpoint of `checkpoint` type under the engine's `--dtype` flag (`auto` when unset). */
export function sixteenBitOn(gpu: GpuSpec, checkpoint: 'bf16' | 'fp16', dtypeFlag: string | undefined, engine: EngineName): SixteenBitChoice {
  if (sixteenBitDtype(gpu) === 'bf16') return { dtype: BF16_FLAG.test(dtypeFlag ?? '') ? 'bf16' : checkpoint };
  const where = `${gpu.id} (${gpu.arch}, compute capability below 8.0) has no bf16 tensor cores`;
  if (BF16_FLAG.test(dtypeFlag ?? '')) {
    return engine === 'vllm'
      ? { dtype: 'fp16', refused: `dtype ${dtypeFlag}: ${where}; vLLM stops at startup ("Bfloat16 is only supported on GPUs with compute capability of at least 8.0"). Use dtype half; estimated in fp16.` }
      : { dtype: 'fp16', assumption: `dtype ${dtypeFlag}: ${where}; estimated at the fp16 tensor rate` };
  }
  if (checkpoint !== 'bf16' || /^(half|float16|fp16)$/i.test(dtypeFlag ?? '')) return { dtype: 'fp16' };
  return {
    dtype: 'fp16',
    assumption: engine === 'vllm'
      ? `${where}: vLLM's dtype auto falls back to float16 for this bf16 checkpoint (weights the same size; a bf16-trained model can overflow in fp16)`
      : `${where}: this bf16 checkpoint is estimated in fp16, at the fp16 tensor rate`,
  };
}

/** The weight format as loaded in `dtype`: a 16-bit checkpoint is relabelled and computes in that type. */
export function inSixteenBit(format: WeightFormat, dtype: 'bf16' | 'fp16'): WeightFormat {
  if (dtype === 'bf16' || format.compute !== 'bf16') return format;
  return { ...format, compute: 'fp16', name: format.name === 'bf16' ? 'fp16' : format.name };
}
