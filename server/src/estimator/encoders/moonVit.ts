/**
 * MoonViT-3D, the vision tower of Kimi-K2.5 / K2.6 / K2.7 and Kimi-K3, read from the `vt_*` fields of vision_config
 * (research note §2.10).
 *
 * K2.5 (vllm@9aaf83ef:vllm/model_executor/models/kimi_k25_vit.py): Conv2d patch embed with bias, a learned
 * `init_pos_emb_height × init_pos_emb_width × h` position table (126-180; the time axis is fixed sin-cos, no weights),
 * LayerNorm blocks with biased wqkv/wo and GELU MLP (340-460), a final LayerNorm; the tower is TP-sharded with the
 * default --mm-encoder-tp-mode weights. Projector (`patchmerger`): LayerNorm(h) + `4h → 4h → text hidden` with biases,
 * built with ReplicatedLinear, so a full copy on every rank (657-696).
 *
 * K3 (sglang@29481685:python/sglang/srt/models/kimi_k3_vl.py:413-535, 732-801, 904-937): the same layout with
 * RMSNorm, no biases, q/k/v of `qkv_hidden_size`, and the `patchmergerv2` projector (no pre-norm, bias-free
 * `4h → 4h → text hidden`, RMSNorm after). SGLang builds tower and projector with plain nn.Linear: a full copy on every
 * rank. vLLM's Kimi-K3 vision code was not read (note §4.2), so the replicated layout is used for it too.
 */
import type { EncoderTower } from '../modelSpec';
import type { EncoderReader } from './types';
import { blockParams, linear, norm, num, sub } from './vitParams';

export const moonVit: EncoderReader = {
  name: 'MoonViT-3D',
  matches: (raw, architecture) => /^KimiK(25|3)ForConditionalGeneration$/.test(architecture) || /^kimi_k(25|3)$/.test(String(raw.model_type)),
  read(raw, textHidden): EncoderTower[] | undefined {
    const v = sub(raw, 'vision_config');
    if (!v) return undefined;
    const h = num(v.vt_hidden_size);
    const inter = num(v.vt_intermediate_size);
    const depth = num(v.vt_num_hidden_layers);
    const patch = num(v.patch_size);
    const posH = num(v.init_pos_emb_height);
    const posW = num(v.init_pos_emb_width);
    const mergeKernel = Array.isArray(v.merge_kernel_size) ? (v.merge_kernel_size as unknown[]).map(num) : [];
    const text = num(v.text_hidden_size) ?? num(textHidden);
    if (!h || !inter || !depth || !patch || !posH || !posW || mergeKernel.length !== 2 || mergeKernel.some((k) => !k) || !text) return undefined;
    const merge = mergeKernel[0]! * mergeKernel[1]!;
    const v2 = v.mm_projector_type === 'patchmergerv2';
    const rms = v.norm_type === 'rmsnorm';
    const kind = rms ? 'rms' : 'layer';
    const attnBias = v.attn_bias !== false;
    const mlpBias = v.linear_bias !== false;
    const patchBias = v.patch_embed_proj_bias !== false;
    const block = blockParams({ hidden: h, intermediate: inter, qkvWidth: num(v.qkv_hidden_size), attnBias, mlpBias, gated: false, norm: kind });
    const tower = 3 * patch * patch * h + (patchBias ? h : 0) + posH * posW * h + depth * block + norm(h, kind);
    const projector = v2
      ? linear(h * merge, h * merge, false) + linear(h * merge, text, false) + norm(text, 'rms')
      : norm(h, 'layer') + linear(h * merge, h * merge, true) + linear(h * merge, text, true);
    if (v2) {
      return [{ params: tower + projector, sharding: 'replicated', source: 'Kimi-K3 MoonViT-3D + patchmergerv2 projector (sglang@29481685:python/sglang/srt/models/kimi_k3_vl.py:413-535, 732-801, 904-937): nn.Linear, a full copy on every rank (vLLM\'s K3 vision code not read)' }];
    }
    return [
      { params: tower, sharding: 'tp', source: 'Kimi-K2.5 MoonViT-3D tower (vllm@9aaf83ef:vllm/model_executor/models/kimi_k25_vit.py:126-460): TP-sharded with the default --mm-encoder-tp-mode weights' },
      { params: projector, sharding: 'replicated', source: 'Kimi-K2.5 patchmerger projector (vllm@9aaf83ef:vllm/model_executor/models/kimi_k25_vit.py:657-696): ReplicatedLinear, a full copy on every rank' },
    ];
  },
};
