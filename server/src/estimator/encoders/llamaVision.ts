/**
 * The Meta vision towers: Llama 4's (Scout, Maverick) and Llama 3.2 Vision's (mllama), each with its projector.
 *
 * Llama 4 (vLLM mllama4.py: Llama4VisionModel, Llama4VisionPixelShuffleMLP, Llama4MultiModalProjector — read by
 * symbol; transformers modeling_llama4.py has the same tensors): an unfold patch embedding (`channels·patch² → h`, no
 * bias), a class embedding and a `(image/patch)² + 1` position table, pre/post LayerNorms, LayerNorm blocks with
 * biased q/k/v/o and a biased GELU MLP, the pixel-shuffle adapter MLP (`intermediate_size → projector_input_dim →
 * projector_output_dim`, no biases) and the projector `vision_output_dim → text hidden`. vLLM builds the linears
 * column/row-parallel (the projector a ColumnParallelLinear that gathers its output): each TP rank holds a shard.
 *
 * Llama 3.2 Vision (vLLM mllama.py MllamaVisionModel + multi_modal_projector; native in vLLM up to v0.10, then only
 * through the Transformers backend): bias-free Conv2d patch embed, a class embedding, a gated `(image/patch)² + 1`
 * position table plus its per-aspect-ratio tile table (`ratios + 1` rows of `tiles × positions × h`), gated
 * pre/post tile embeddings (`ratios + 1` rows of `tiles × h`), pre/post LayerNorms, `num_hidden_layers` blocks with
 * bias-free q/k/v/o and a biased GELU MLP, `num_global_layers` more blocks with two tanh gates each, and a biased
 * projector `vision_output_dim → text hidden`. Sharded like the language model (parallel linears in vLLM's mllama.py).
 */
import type { EncoderTower } from '../modelSpec';
import type { EncoderReader, Json } from './types';
import { architectureOf, blockParams, linear, norm, num, sub } from './vitParams';

function llama4(v: Json, text: number): EncoderTower[] | undefined {
  const h = num(v.hidden_size);
  const inter = num(v.intermediate_size);
  const depth = num(v.num_hidden_layers);
  const patch = num(v.patch_size);
  const image = num(v.image_size);
  const projIn = num(v.projector_input_dim);
  const projOut = num(v.projector_output_dim);
  const out = num(v.vision_output_dim);
  if (!h || !inter || !depth || !patch || !image || !projIn || !projOut || !out) return undefined;
  const channels = num(v.num_channels) ?? 3;
  const block = blockParams({ hidden: h, intermediate: inter, attnBias: true, mlpBias: true, gated: false, norm: 'layer' });
  const tower = channels * patch * patch * h + h + ((image / patch) ** 2 + 1) * h + 2 * norm(h, 'layer') + depth * block;
  const adapter = linear(inter, projIn, false) + linear(projOut, projOut, false);
  const projector = linear(out, text, v.multi_modal_projector_bias === true);
  return [{ params: tower + adapter + projector, sharding: 'tp', source: 'Llama 4 vision encoder + pixel-shuffle MLP + projector (vLLM mllama4.py Llama4VisionModel / Llama4MultiModalProjector): parallel linears, TP-sharded' }];
}

/** Aspect-ratio ids: the config's list, else transformers' default (every w × h tiling with w·h ≤ max_num_tiles). */
function aspectRatios(v: Json, tiles: number): number {
  if (Array.isArray(v.supported_aspect_ratios)) return v.supported_aspect_ratios.length;
  let n = 0;
  for (let w = 1; w <= tiles; w++) for (let hgt = 1; w * hgt <= tiles; hgt++) n++;
  return n;
}

function mllama(v: Json, text: number): EncoderTower[] | undefined {
  const h = num(v.hidden_size);
  const inter = num(v.intermediate_size);
  const depth = num(v.num_hidden_layers);
  const global = num(v.num_global_layers);
  const patch = num(v.patch_size);
  const image = num(v.image_size);
  const tiles = num(v.max_num_tiles);
  const out = num(v.vision_output_dim);
  if (!h || !inter || !depth || !global || !patch || !image || !tiles || !out) return undefined;
  const channels = num(v.num_channels) ?? 3;
  const positions = (image / patch) ** 2 + 1;
  const ratioRows = aspectRatios(v, tiles) + 1;
  const block = blockParams({ hidden: h, intermediate: inter, attnBias: false, mlpBias: true, gated: false, norm: 'layer' });
  const embeddings = channels * patch * patch * h + h + (positions * h + 1) + ratioRows * tiles * positions * h + 2 * (ratioRows * tiles * h + 1);
  const tower = embeddings + 2 * norm(h, 'layer') + depth * block + global * (block + 2);
  return [{ params: tower + linear(out, text, true), sharding: 'tp', source: 'Llama 3.2 Vision encoder (local + gated global layers, tile embeddings) + multi_modal_projector (vLLM mllama.py MllamaVisionModel): parallel linears, TP-sharded' }];
}

export const llamaVision: EncoderReader = {
  name: 'Llama vision tower',
  matches: (_raw, architecture) => /^(Llama4|Mllama)ForConditionalGeneration$/.test(architecture),
  read(raw, textHidden) {
    const v = sub(raw, 'vision_config');
    const text = num(textHidden);
    if (!v || !text) return undefined;
    return architectureOf(raw).startsWith('Llama4') ? llama4(v, text) : mllama(v, text);
  },
};
