/**
 * Optimizer names as the frameworks write them → the estimator's OptimizerName. Hugging Face names are
 * transformers' OptimizerNames (training_args.py), which axolotl, LLaMA-Factory and TRL all take; torchtune names
 * the class (`_component_`).
 */
import type { OptimizerName } from '../../plan/training';

/** Modelled Hugging Face names. Foreach AdamW (`adamw_torch`) is PyTorch's default on CUDA (torch.optim.AdamW foreach=None). */
const HF: Record<string, OptimizerName> = {
  adamw_torch: 'adamw', adamw_hf: 'adamw', adamw_torch_fused: 'adamw-fused', adamw_apex_fused: 'adamw-fused', adamw_torch_xla: 'adamw',
  adamw_torch_npu_fused: 'adamw-fused', adamw_bnb_8bit: 'adamw-8bit', adamw_8bit: 'adamw-8bit', adamw_torch_8bit: 'adamw-8bit', ao_adamw_8bit: 'adamw-8bit',
  paged_adamw_8bit: 'paged-adamw-8bit', paged_adamw_32bit: 'paged-adamw-32bit', paged_adamw: 'paged-adamw-32bit', adafactor: 'adafactor', sgd: 'sgd',
  lion_8bit: 'lion-8bit', paged_lion_8bit: 'lion-8bit', lion_32bit: 'lion', paged_lion_32bit: 'lion', lion: 'lion', optimi_adamw: 'adamw',
};

/** Names the frameworks accept whose state Deploy Advisor does not model (it assumes AdamW and says so). */
const HF_OTHER = ['adamw_anyprecision', 'adamw_torch_4bit', 'ao_adamw_4bit', 'ao_adamw_fp8', 'ademamix', 'ademamix_8bit', 'paged_ademamix_8bit', 'paged_ademamix_32bit', 'adagrad',
  'rmsprop', 'rmsprop_bnb', 'rmsprop_bnb_8bit', 'rmsprop_bnb_32bit', 'galore_adamw', 'galore_adamw_8bit', 'galore_adafactor', 'galore_adamw_layerwise', 'galore_adamw_8bit_layerwise',
  'galore_adafactor_layerwise', 'lomo', 'adalomo', 'grokadamw', 'schedule_free_radam', 'schedule_free_adamw', 'schedule_free_sgd', 'apollo_adamw', 'apollo_adamw_layerwise',
  'stable_adamw', 'muon', 'dion', 'came_pytorch', 'adopt_adamw', 'flash_adamw'];

export const hfOptimizerNames = [...Object.keys(HF), ...HF_OTHER];

export function hfOptimizer(name: string): { value?: OptimizerName; known: boolean } {
  const n = name.trim().toLowerCase();
  return { value: HF[n], known: n in HF || HF_OTHER.includes(n) };
}

/** torchtune / plain PyTorch optimizer classes (`optimizer._component_`). */
export function componentOptimizer(component: string, fused: boolean): OptimizerName | undefined {
  const cls = component.split('.').pop() ?? '';
  const lib = component.toLowerCase();
  if (/^PagedAdamW8bit$/.test(cls)) return 'paged-adamw-8bit';
  if (/^PagedAdamW(32bit)?$/.test(cls)) return 'paged-adamw-32bit';
  if (/^AdamW8bit$|^Adam8bit$/.test(cls)) return 'adamw-8bit';
  if (/^(Paged)?Lion8bit$/.test(cls)) return 'lion-8bit';
  if (/^Lion(32bit)?$/.test(cls)) return 'lion';
  if (/^Adafactor$/.test(cls)) return 'adafactor';
  if (/^SGD$/.test(cls)) return 'sgd';
  if (/^(AdamW|Adam)$/.test(cls)) return fused || lib.startsWith('apex.') ? 'adamw-fused' : 'adamw';
  return undefined;
}

/** DeepSpeed `optimizer.type` (case-insensitive in DeepSpeed): its Adam/AdamW on GPU is FusedAdam (one kernel, no
 *  foreach temporaries); with the optimizer offloaded it is DeepSpeedCPUAdam (states on the CPU). */
export function deepspeedOptimizer(type: string): OptimizerName | undefined {
  const t = type.trim().toLowerCase();
  if (t === 'adam' || t === 'adamw' || t === 'fusedadam') return 'adamw-fused';
  if (t === 'lion') return 'lion';
  if (t === 'sgd') return 'sgd';
  return undefined;
}
