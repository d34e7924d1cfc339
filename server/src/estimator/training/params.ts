/**
 * Trainable parameters.
 * - full: every parameter (countParams, model.ts).
 * - lora / qlora: Σ over the targeted linears of r·(d_in + d_out) (A is r×d_in, B is d_out×r; Hu et al. 2021,
 *   arXiv 2106.09685), routed experts counted once per expert when their names are targeted (PEFT wraps each
 *   expert's nn.Linear); DoRA adds a magnitude vector of d_out per target (Liu et al. 2024, arXiv 2402.09353;
 *   PEFT lora/dora.py). Check: LitGPT's Llama-2-7B LoRA (r 8 on q and v) trains 32 × 2 × 8 × (4096 + 4096) =
 *   4,194,304 (tutorials/resource-tables.md).
 * - freeze (LLaMA-Factory finetuning_type freeze): the last `freeze_trainable_layers` (default 2) decoder layers.
 */
import type { ModelParams, ModelSpec } from '../modelSpec';
import type { LoraSetup } from './types';
import type { TrainingMethod } from '../../plan/training';
import { isTarget, layerModules } from './modules';

export interface TrainableParams {
  total: number;
  trainable: number;
  /** Parameters frozen in the base model (all of them under LoRA, none under full). */
  frozen: number;
  /** The adapter parameters (LoRA A, B and DoRA magnitudes); 0 for full. */
  adapter: number;
  /** Largest single layer's parameters (ZeRO-3 gathers one layer at a time: DeepSpeed's largest_layer_params). */
  largestLayer: number;
  /** Linear weights (the matrices autocast casts to 16-bit): every decoder linear + the LM head. */
  linearWeights: number;
}

/** LLaMA-Factory freeze_trainable_layers default (src/llamafactory/hparams/finetuning_args.py). */
export const FREEZE_TRAINABLE_LAYERS = 2;

function layerTotal(p: ModelParams['perLayer'][number]): number {
  return p.attention + p.kvProj + p.replicated + p.mlp + p.experts + p.router + p.norms;
}

export function loraParamsPerLayer(m: ModelSpec, layer: number, lora: LoraSetup): number {
  let n = 0;
  for (const mod of layerModules(m, layer)) {
    if (!isTarget(mod.name, lora.targets)) continue;
    n += mod.count * (lora.rank * (mod.dIn + mod.dOut) + (lora.dora ? mod.dOut : 0));
  }
  return n;
}

export function trainableParams(m: ModelSpec, p: ModelParams, method: TrainingMethod, lora?: LoraSetup): TrainableParams {
  const largestLayer = Math.max(p.embedding, p.lmHead, ...p.perLayer.map(layerTotal));
  let linearWeights = p.lmHead || p.embedding; // the LM head is a linear even when tied to the embedding
  for (let i = 0; i < m.layers; i++) for (const mod of layerModules(m, i)) linearWeights += mod.count * mod.dIn * mod.dOut;
  if (method === 'full') return { total: p.total, trainable: p.total, frozen: 0, adapter: 0, largestLayer, linearWeights };
  if (method === 'freeze') {
    const last = p.perLayer.slice(-FREEZE_TRAINABLE_LAYERS).reduce((s, l) => s + layerTotal(l), 0);
    return { total: p.total, trainable: last, frozen: p.total - last, adapter: 0, largestLayer, linearWeights };
  }
  let adapter = 0;
  if (lora) for (let i = 0; i < m.layers; i++) adapter += loraParamsPerLayer(m, i, lora);
  return { total: p.total + adapter, trainable: adapter, frozen: p.total, adapter, largestLayer, linearWeights };
}
