/**
 * The Qwen vision towers: Qwen2-VL, Qwen2.5-VL, Qwen3-VL and Qwen3.5/3.6 (whose wrappers reuse the Qwen3-VL tower).
 * vLLM builds their q/k/v, projections, MLPs and mergers column/row-parallel (QKVParallelLinear, RowParallelLinear,
 * MergedColumnParallelLinear): with the default `--mm-encoder-tp-mode weights` each TP rank holds a shard; with
 * `data` every rank holds the whole tower (research note §2.10; vllm@9aaf83ef:vllm/config/multimodal.py:145,
 * vllm/model_executor/models/vision.py:142-147).
 */
import type { EncoderTower } from '../modelSpec';
import type { EncoderReader, Json } from './types';
import { architectureOf, blockParams, linear, norm, num, sub } from './vitParams';

const SHARDING = "TP-sharded like the language model (vLLM's default --mm-encoder-tp-mode weights; `data` would put a full copy on every rank)";

/** Conv3d patch embedding: channels × temporal patch × patch² per output channel. */
const patchEmbed = (v: Json, hidden: number, bias: boolean): number | undefined => {
  const p = num(v.patch_size);
  const t = num(v.temporal_patch_size);
  if (!p || !t) return undefined;
  const channels = num(v.in_channels) ?? num(v.in_chans) ?? 3;
  return channels * t * p * p * hidden + (bias ? hidden : 0);
};

/** The patch merger: norm, then `4h → 4h → out` with biases (merge² patches concatenated). */
const merger = (h: number, merge: number, out: number, normDim: number, kind: 'layer' | 'rms'): number =>
  norm(normDim, kind) + linear(h * merge, h * merge, true) + linear(h * merge, out, true);

/**
 * Qwen2-VL (vllm@9aaf83ef:vllm/model_executor/models/qwen2_vl.py, Qwen2VisionTransformer): Conv3d patch embed without
 * bias, `depth` blocks of LayerNorms, biased qkv/proj and a QuickGELU MLP of `embed_dim × mlp_ratio`, and a merger
 * with a LayerNorm to the text width (vision_config `hidden_size`). No learned position table (2-D RoPE).
 */
function qwen2Vl(v: Json): number | undefined {
  const h = num(v.embed_dim);
  const depth = num(v.depth);
  const ratio = num(v.mlp_ratio);
  const out = num(v.hidden_size);
  const patch = h ? patchEmbed(v, h, false) : undefined;
  if (!h || !depth || !ratio || !out || patch === undefined) return undefined;
  const merge = (num(v.spatial_merge_size) ?? 2) ** 2;
  const block = blockParams({ hidden: h, intermediate: Math.round(h * ratio), attnBias: true, mlpBias: true, gated: false, norm: 'layer' });
  return patch + depth * block + merger(h, merge, out, h, 'layer');
}

/**
 * Qwen2.5-VL (vllm@9aaf83ef:vllm/model_executor/models/qwen2_5_vl.py, Qwen2_5_VisionTransformer, blocks 312-360):
 * RMSNorms, biased qkv/proj, a gated SiLU MLP of `intermediate_size` with biases, window attention (no extra weights),
 * and a merger with an RMSNorm to `out_hidden_size`.
 */
function qwen25Vl(v: Json): number | undefined {
  const h = num(v.hidden_size);
  const depth = num(v.depth);
  const inter = num(v.intermediate_size);
  const out = num(v.out_hidden_size);
  const patch = h ? patchEmbed(v, h, false) : undefined;
  if (!h || !depth || !inter || !out || patch === undefined) return undefined;
  const merge = (num(v.spatial_merge_size) ?? 2) ** 2;
  const block = blockParams({ hidden: h, intermediate: inter, attnBias: true, mlpBias: true, gated: true, norm: 'rms' });
  return patch + depth * block + merger(h, merge, out, h, 'rms');
}

/**
 * Qwen3-VL / Qwen3.5 (vllm@9aaf83ef:vllm/model_executor/models/qwen3_vl.py:348-640, Qwen3_VisionTransformer): biased
 * Conv3d patch embed, a learned `num_position_embeddings × h` table, LayerNorm blocks with a GELU MLP (not gated), a
 * merger (LayerNorm over h) and one post-shuffle merger (LayerNorm over 4h) per `deepstack_visual_indexes` entry.
 */
function qwen3Vl(v: Json): number | undefined {
  const h = num(v.hidden_size);
  const depth = num(v.depth);
  const inter = num(v.intermediate_size);
  const out = num(v.out_hidden_size);
  const positions = num(v.num_position_embeddings);
  const patch = h ? patchEmbed(v, h, true) : undefined;
  if (!h || !depth || !inter || !out || !positions || patch === undefined) return undefined;
  const merge = (num(v.spatial_merge_size) ?? 2) ** 2;
  const deepstack = Array.isArray(v.deepstack_visual_indexes) ? v.deepstack_visual_indexes.length : 0;
  const block = blockParams({ hidden: h, intermediate: inter, attnBias: true, mlpBias: true, gated: false, norm: 'layer' });
  return patch + positions * h + depth * block + merger(h, merge, out, h, 'layer') + deepstack * merger(h, merge, out, h * merge, 'layer');
}

const KINDS: Array<{ arch: RegExp; name: string; count: (v: Json) => number | undefined; source: string }> = [
  { arch: /^Qwen2VL/, name: 'Qwen2-VL ViT + merger', count: qwen2Vl, source: 'vllm@9aaf83ef:vllm/model_executor/models/qwen2_vl.py' },
  { arch: /^Qwen2_5_VL/, name: 'Qwen2.5-VL ViT + merger', count: qwen25Vl, source: 'vllm@9aaf83ef:vllm/model_executor/models/qwen2_5_vl.py' },
  { arch: /^(Qwen3VL|Qwen3_5)/, name: 'Qwen3-VL ViT + mergers', count: qwen3Vl, source: 'vllm@9aaf83ef:vllm/model_executor/models/qwen3_vl.py:348-640' },
];

export const qwenVision: EncoderReader = {
  name: 'Qwen vision tower',
  matches: (_raw, architecture) => KINDS.some((k) => k.arch.test(architecture)),
  read(raw): EncoderTower[] | undefined {
    const kind = KINDS.find((k) => k.arch.test(architectureOf(raw)));
    const v = sub(raw, 'vision_config');
    const params = kind && v ? kind.count(v) : undefined;
    if (!kind || params === undefined) return undefined;
    return [{ params, sharding: 'tp', source: `${kind.name} (${kind.source}); ${SHARDING}` }];
  },
};
