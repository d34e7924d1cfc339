#!/usr/bin/env python3
"""Regenerates server/src/catalog/models.json, the offline model catalog, from the config files in ../shared:
research/model-configs.json, calibration/h100/hf_configs.jsonl and every real config.json of research/hub-configs/.
Run by hand when ../shared changes (`python3 scripts/build-model-catalog.py`); the product itself never reads ../shared.
Keeps only the fields the estimator reads and those the 2026 architectures need. The few typed entries in `extra`
predate the hub-configs folder (the two it also holds, CodeLlama-7b-hf and phi-2, agree with it except in the
re-saved dtype); everything added since comes from a config file or is an alias / base reference proven below.
Since issue 17 it also adds the ids real users serve that have no config file in ../shared (startup logs, research
notes, hub-configs/INDEX.md's wanted list): TYPED configs from published config.json files, SAME-architecture aliases,
DERIVED and QUANTIZED entries, each with its reason (section "Issue 17 item 5" below; counts tested in catalog.test.ts).
Entry forms: a config; {"$alias": id} (same config.json under another id); {"$base": id, ...} (base + its overrides)."""
import json, pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
shared = root.parent / 'shared'
if not shared.exists():
    sys.exit('../shared is absent: nothing to regenerate from')

KEEP = {'model_type', 'architectures', 'torch_dtype', 'num_hidden_layers', 'hidden_size', 'intermediate_size',
        'num_attention_heads', 'num_key_value_heads', 'head_dim', 'vocab_size', 'max_position_embeddings',
        'tie_word_embeddings', 'sliding_window', 'use_sliding_window', 'sliding_window_pattern', 'layer_types',
        'n_routed_experts', 'num_local_experts', 'num_experts', 'num_experts_per_tok', 'moe_intermediate_size',
        'n_shared_experts', 'shared_expert_intermediate_size', 'first_k_dense_replace', 'moe_layer_freq',
        'decoder_sparse_step', 'mlp_only_layers', 'interleave_moe_layer_step', 'intermediate_size_mlp',
        'attention_chunk_size', 'kv_lora_rank', 'q_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim', 'v_head_dim',
        'quantization_config', 'attention_bias', 'num_nextn_predict_layers',
        # Other spellings of the same dimensions the reader accepts (GPT-2/Falcon/ChatGLM/MPT style configs, transformers 5's `dtype`).
        'dtype', 'd_model', 'n_embd', 'n_head', 'n_inner', 'n_layer', 'n_positions', 'num_layers', 'seq_length', 'moe_top_k',
        'multi_query_group_num', 'no_rope_layers', 'rope_scaling', 'rope_parameters', 'ffn_hidden_size', 'kv_channels',
        'padded_vocab_size', 'num_kv_heads', 'multi_query', 'new_decoder_architecture', 'parallel_attn',
        # What the 2026 architectures need (hybrid, sparse-attention, per-layer and multimodal configs), kept so a later
        # session can model them without regenerating: the prefixes below plus these names.
        'layers_block_type', 'hybrid_override_pattern', 'block_configs', 'full_attention_interval', 'attn_layer_period',
        'attn_layer_offset', 'expert_layer_period', 'expert_layer_offset', 'attn_type_list', 'layer_group_size',
        'moe_latent_size', 'n_group', 'topk_group', 'routed_scaling_factor', 'num_experts_per_token', 'shared_expert_count',
        'swa_head_dim', 'swa_num_attention_heads', 'swa_num_key_value_heads', 'sliding_window_size', 'attention_k_eq_v',
        'num_kv_shared_layers', 'global_head_dim', 'num_global_key_value_heads', 'hidden_size_per_layer_input',
        'enable_moe_block', 'top_k_experts', 'partial_rotary_factor', 'mtp_num_hidden_layers', 'num_mtp_modules',
        'text_config', 'vision_config', 'audio_config', 'conv_L_cache', 'layer_types', 'full_attn_idxs', 'kda_layers',
        'head_ratio', 'o_groups', 'window_size', 'n_groups', 'expand', 'chunk_size', 'moe_shared_expert_intermediate_size',
        'rope_theta', 'mlp_hidden_act', 'hidden_act',
        # Vision towers (inside vision_config): their size, as the engines load them.
        'depth', 'num_heads', 'embed_dim', 'patch_size', 'image_size', 'spatial_merge_size', 'temporal_patch_size',
        'out_hidden_size', 'mlp_ratio', 'num_channels', 'in_channels', 'deepstack_visual_indexes', 'projection_dim',
        'vision_output_dim', 'num_global_layers', 'mm_hidden_size', 'projector_hidden_act',
        # Fields the unmodelled-architecture warning names (estimator/unmodelledFields.ts), so it can say what they mean.
        'routed_expert_hidden_size', 'sparse_attention_config', 'hybrid_layer_pattern', 'cross_attention_layers', 'hc_mult',
        'o_lora_rank', 'num_hash_layers', 'dense_intermediate_size', 'shared_intermediate_size', 'share_expert_dim',
        'num_shared_experts', 'moe_topk', 'mtp_transformer_layers', 'use_cla', 'visual', 'vision_encoder',
        # Read exactly by the Gemma 4 / MiniMax / MiMo-V2 family readers (estimator/families/).
        'swa_v_head_dim', 'add_swa_attention_sink_bias', 'add_full_attention_sink_bias', 'use_qk_norm', 'use_routing_bias',
        'use_double_wide_mlp', 'attention_output_gate',
        'inner_hidden_size', 'alibi',
        # OPT's FFN width (facebook/opt-*: ffn_dim; the reader's 4 × hidden default equals it in every OPT size).
        'ffn_dim',
        # Family readers (estimator/families/): Nemotron-H biases, head size and MTP layout; LFM2's MLP width rule; Falcon's biases.
        'use_conv_bias', 'use_bias', 'attention_head_dim', 'mtp_hybrid_override_pattern', 'mtp_layers_block_type',
        'block_dim', 'block_ff_dim', 'block_auto_adjust_ff_dim', 'block_multiple_of', 'block_ffn_dim_multiplier',
        'bias', 'num_ln_in_parallel_attn',
        # Fields the near-Llama and encoder family readers read (estimator/families/: hunyuan, chatglm, chatglmV1, phimoe, bert).
        'use_qk_norm', 'use_mixed_mlp_moe', 'cla_share_factor', 'attention_head_dim', 'moe_layer_num_skipped',
        'multi_query_attention', 'add_qkv_bias', 'add_bias_linear', 'max_sequence_length', 'lm_head_bias', 'type_vocab_size',
        # Vision/audio tower shapes the encoder readers need (estimator/encoders/): Qwen3-VL position table, MoonViT's
        # vt_* fields, Gemma 4, Llama 3.2 Vision tiles, Llama 4 adapter, MiniMax-VL, LFM2-VL and Voxtral projectors.
        'num_position_embeddings', 'vt_hidden_size', 'vt_intermediate_size', 'vt_num_hidden_layers',
        'vt_num_attention_heads', 'init_pos_emb_height', 'init_pos_emb_width', 'merge_kernel_size', 'mm_projector_type',
        'qkv_hidden_size', 'norm_type', 'linear_bias', 'patch_embed_proj_bias', 'text_hidden_size',
        'position_embedding_size', 'max_num_tiles', 'supported_aspect_ratios', 'projector_input_dim',
        'projector_output_dim', 'multi_modal_projector_bias', 'multimodal_projector_bias', 'img_token_compression_config',
        'projector_hidden_size', 'projector_bias', 'projector_use_layernorm', 'downsample_factor', 'num_patches',
        'vision_use_head', 'num_mel_bins', 'max_source_positions', 'embed_dim', 'in_chans',
        # MLA-family readers (estimator/families/): GLM-5.2 shared indexers, Kimi-K3 MLA gate and latent norm,
        # DeepSeek-V4 FP4 experts.
        'indexer_types', 'mla_use_output_gate', 'latent_moe_use_norm', 'expert_dtype',
        # MiniCPM-V 2's tower (estimator/encoders/minicpmVision.ts).
        'drop_vision_last_layer', 'query_num'}
# Field-name prefixes kept whole (Mamba/SSM state, gated-DeltaNet/KDA linear attention, DSA indexer, compressed KV).
KEEP_PREFIXES = ('linear_', 'mamba_', 'ssm_', 'index_', 'compress_', 'n_mamba', 'mamba', 'short_conv', 'conv_', 'attn_')


def keep(k):
    return k in KEEP or k.startswith(KEEP_PREFIXES)


def compact(c):
    """The fields the estimator (and the 2026 readers) use; nested text/vision/audio configs compacted the same way."""
    out = {}
    for k, v in c.items():
        if not keep(k):
            continue
        if k in ('text_config', 'vision_config', 'audio_config') and isinstance(v, dict):
            v = compact(v)
        if k == 'quantization_config' and isinstance(v, dict):
            v = compact_quant(v)
        if k == 'block_configs' and isinstance(v, list):  # Nemotron-NAS: per-layer blocks; unset (null/false) flags dropped
            v = [prune(b) for b in v]
        out[k] = v
    return out


def prune(v):
    """A nested dict without its null and false leaves (readers default them)."""
    if isinstance(v, dict):
        return {k: prune(x) for k, x in v.items() if x is not None and x is not False}
    return v


def collapse_modules(names):
    """Per-layer module lists (`model.layers.17.mlp.gate`) as one pattern per kind (`model.layers.*.mlp.gate`)."""
    seen = []
    for n in names:
        p = re.sub(r'\.\d+\.', '.*.', str(n))
        if p not in seen:
            seen.append(p)
    return seen


def compact_quant(q):
    q = {k: v for k, v in q.items() if not k.endswith('_count') and not k.endswith('_head')}
    for k in ('ignore', 'modules_to_not_convert', 'ignored_layers', 'exclude_modules'):
        if isinstance(q.get(k), list):
            q[k] = collapse_modules(q[k])
    if isinstance(q.get('config_groups'), dict):  # per-layer target lists → one pattern per kind of module
        q['config_groups'] = {g: {**v, 'targets': collapse_modules(v['targets'])} if isinstance(v, dict) and isinstance(v.get('targets'), list) else v
                              for g, v in q['config_groups'].items()}
    if isinstance(q.get('quantized_layers'), dict):  # ModelOpt MIXED_PRECISION: one entry per layer → one per pattern
        layers = {}
        for name, v in q['quantized_layers'].items():
            layers.setdefault(re.sub(r'\.\d+\.', '.*.', name), v)
        q['quantized_layers'] = layers
    return q

out = {}
research = json.loads((shared / 'research/model-configs.json').read_text())
for mid, c in research.items():
    if mid.startswith('_'):
        continue
    cfg = compact(c)
    mt = str(cfg.get('model_type', ''))
    if mt.startswith('gemma3'):
        cfg['model_type'] = 'gemma3_text'
        cfg.setdefault('sliding_window_pattern', 6)
        cfg.setdefault('tie_word_embeddings', True)
    if mt == 'llama4_text':
        cfg.setdefault('tie_word_embeddings', False)
    if mt == 'phi3' and 'num_key_value_heads' not in cfg:
        cfg['num_key_value_heads'] = cfg['num_attention_heads']
    if mt == 'gpt_oss':
        n = cfg['num_hidden_layers']
        cfg['layer_types'] = ['sliding_attention' if i % 2 == 0 else 'full_attention' for i in range(n)]
        cfg['quantization_config'] = {'quant_method': 'mxfp4', 'modules_to_not_convert': ['model.layers.*.self_attn', 'model.layers.*.mlp.router', 'model.embed_tokens', 'lm_head']}
        cfg['attention_bias'] = True
    out[mid] = cfg

# The ten models measured on our H100 (calibration/h100/hf_configs.jsonl), under their Hub ids.
hub = {'Llama-3.1-8B': 'meta-llama/Llama-3.1-8B', 'Qwen2.5-7B': 'Qwen/Qwen2.5-7B', 'Mistral-7B-v0.3': 'mistralai/Mistral-7B-v0.3',
       'Llama-3.2-3B': 'meta-llama/Llama-3.2-3B', 'Phi-3-mini-4k': 'microsoft/Phi-3-mini-4k-instruct', 'Qwen2.5-14B': 'Qwen/Qwen2.5-14B',
       'Gemma-2-9B': 'google/gemma-2-9b', 'Qwen3-30B-A3B': 'Qwen/Qwen3-30B-A3B', 'DeepSeek-V2-Lite': 'deepseek-ai/DeepSeek-V2-Lite',
       'Qwen2.5-32B': 'Qwen/Qwen2.5-32B'}
for line in (shared / 'calibration/h100/hf_configs.jsonl').read_text().splitlines():
    d = json.loads(line)
    cfg = compact(d['input_config'])
    cfg.setdefault('torch_dtype', 'bfloat16')
    out.setdefault(hub[d['model']], cfg)

# Models named in the vLLM startup logs and serving measurements, typed from their public config.json files.
llama31_8b = out['meta-llama/Llama-3.1-8B']
fp8_channel = {'quant_method': 'compressed-tensors', 'format': 'float-quantized', 'config_groups': {'group_0': {'targets': ['Linear'],
               'weights': {'num_bits': 8, 'type': 'float', 'strategy': 'channel'}, 'input_activations': {'num_bits': 8, 'type': 'float', 'strategy': 'token', 'dynamic': True}}}, 'ignore': ['lm_head']}
w4a16 = {'quant_method': 'compressed-tensors', 'format': 'pack-quantized', 'config_groups': {'group_0': {'targets': ['Linear'],
         'weights': {'num_bits': 4, 'type': 'int', 'strategy': 'group', 'group_size': 128, 'symmetric': True}}}, 'ignore': ['lm_head']}
extra = {
    'nvidia/Llama-3.1-8B-Instruct-FP8': {**llama31_8b, 'quantization_config': {'quant_method': 'modelopt', 'quant_algo': 'FP8'}},
    'RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic': {**llama31_8b, 'quantization_config': fp8_channel},
    'RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w4a16': {**llama31_8b, 'quantization_config': w4a16},
    'RedHatAI/Qwen2.5-7B-Instruct-FP8-dynamic': {**out['Qwen/Qwen2.5-7B'], 'quantization_config': fp8_channel},
    'codellama/CodeLlama-7b-hf': {'model_type': 'llama', 'architectures': ['LlamaForCausalLM'], 'torch_dtype': 'bfloat16', 'num_hidden_layers': 32,
        'hidden_size': 4096, 'intermediate_size': 11008, 'num_attention_heads': 32, 'num_key_value_heads': 32, 'vocab_size': 32016,
        'max_position_embeddings': 16384, 'tie_word_embeddings': False},
    'google/gemma-2-2b-it': {'model_type': 'gemma2', 'architectures': ['Gemma2ForCausalLM'], 'torch_dtype': 'bfloat16', 'num_hidden_layers': 26,
        'hidden_size': 2304, 'intermediate_size': 9216, 'num_attention_heads': 8, 'num_key_value_heads': 4, 'head_dim': 256,
        'vocab_size': 256000, 'max_position_embeddings': 8192, 'sliding_window': 4096, 'tie_word_embeddings': True},
    'google/gemma-7b': {'model_type': 'gemma', 'architectures': ['GemmaForCausalLM'], 'torch_dtype': 'bfloat16', 'num_hidden_layers': 28,
        'hidden_size': 3072, 'intermediate_size': 24576, 'num_attention_heads': 16, 'num_key_value_heads': 16, 'head_dim': 256,
        'vocab_size': 256000, 'max_position_embeddings': 8192, 'tie_word_embeddings': True},
    'ibm-granite/granite-3.1-8b-instruct': {'model_type': 'granite', 'architectures': ['GraniteForCausalLM'], 'torch_dtype': 'bfloat16',
        'num_hidden_layers': 40, 'hidden_size': 4096, 'intermediate_size': 12800, 'num_attention_heads': 32, 'num_key_value_heads': 8,
        'vocab_size': 49155, 'max_position_embeddings': 131072, 'tie_word_embeddings': True},
    'ibm-granite/granite-3.1-2b-instruct': {'model_type': 'granite', 'architectures': ['GraniteForCausalLM'], 'torch_dtype': 'bfloat16',
        'num_hidden_layers': 40, 'hidden_size': 2048, 'intermediate_size': 8192, 'num_attention_heads': 32, 'num_key_value_heads': 8,
        'vocab_size': 49155, 'max_position_embeddings': 131072, 'tie_word_embeddings': True},
    'microsoft/phi-2': {'model_type': 'phi', 'architectures': ['PhiForCausalLM'], 'torch_dtype': 'float16', 'num_hidden_layers': 32,
        'hidden_size': 2560, 'intermediate_size': 10240, 'num_attention_heads': 32, 'num_key_value_heads': 32, 'vocab_size': 51200,
        'max_position_embeddings': 2048, 'tie_word_embeddings': False},
}
# ModelOpt checkpoints keep their quantization in hf_quant_config.json, not config.json: record it here.
if 'nvidia/Llama-3.1-70B-Instruct-FP8' in out:
    out['nvidia/Llama-3.1-70B-Instruct-FP8']['quantization_config'] = {'quant_method': 'modelopt', 'quant_algo': 'FP8'}
llama70 = out['meta-llama/Llama-3.1-70B']
extra['RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic'] = {**llama70, 'quantization_config': fp8_channel}
extra['meta-llama/Llama-3.1-405B-Instruct-FP8'] = {**out['meta-llama/Llama-3.1-405B'], 'quantization_config': {'quant_method': 'fbgemm_fp8', 'modules_to_not_convert': ['lm_head']}}
extra['Qwen/Qwen3-235B-A22B-FP8'] = {**out['Qwen/Qwen3-235B-A22B'], 'quantization_config': {'quant_method': 'fp8', 'fmt': 'e4m3', 'activation_scheme': 'dynamic', 'weight_block_size': [128, 128]}}
for k, v in extra.items():
    out.setdefault(k, v)

# Aliases the calibration data and users write (defined here: the hub-configs pass below leaves these ids to them, so
# they keep the tested config of their base; the check further down confirms each against its hub-configs copy).
USER_ALIASES = {'meta-llama/Llama-3.1-8B-Instruct': 'meta-llama/Llama-3.1-8B',
                'meta-llama/Meta-Llama-3.1-8B-Instruct': 'meta-llama/Llama-3.1-8B',
                'meta-llama/Llama-3.1-70B-Instruct': 'meta-llama/Llama-3.1-70B',
                'Qwen/Qwen2.5-7B-Instruct': 'Qwen/Qwen2.5-7B', 'mistralai/Mistral-7B-Instruct-v0.3': 'mistralai/Mistral-7B-v0.3',
                'google/gemma-2-9b': 'google/gemma-2-9b-it', 'deepseek-ai/DeepSeek-V2-Lite-Chat': 'deepseek-ai/DeepSeek-V2-Lite',
                # Same architecture fields as the listed checkpoint (instruct tunes and re-releases).
                'mistralai/Mixtral-8x7B-Instruct-v0.1': 'mistralai/Mixtral-8x7B-v0.1',
                'meta-llama/Llama-3.2-3B-Instruct': 'meta-llama/Llama-3.2-3B',
                'meta-llama/Meta-Llama-3.1-70B-Instruct': 'meta-llama/Llama-3.1-70B',
                'meta-llama/Meta-Llama-3.1-405B-Instruct': 'meta-llama/Llama-3.1-405B',
                'google/gemma-2-27b': 'google/gemma-2-27b-it',
                'deepseek-ai/DeepSeek-V3-0324': 'deepseek-ai/DeepSeek-V3', 'deepseek-ai/DeepSeek-R1-0528': 'deepseek-ai/DeepSeek-R1',
                # DeepSeek-R1 distills are fine-tunes of these bases (same dimensions and context).
                'deepseek-ai/DeepSeek-R1-Distill-Llama-8B': 'meta-llama/Llama-3.1-8B',
                'deepseek-ai/DeepSeek-R1-Distill-Llama-70B': 'meta-llama/Llama-3.1-70B',
                'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B': 'Qwen/Qwen2.5-7B', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B': 'Qwen/Qwen2.5-14B',
                'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B': 'Qwen/Qwen2.5-32B'}

# ---- ../shared/research/hub-configs: real config.json files by Hub id (see its INDEX.md for provenance) ----------------
# Top folder: files as found. resaved/: save_pretrained copies whose architecture fields are real but whose dtype is the
# saver's (never taken: the estimator then assumes the engines' 16-bit default). converted/: mlc-llm dict literals, values
# unchanged (mlc-added keys such as context_window_size fall outside KEEP). Where the project's catalog already held an
# id (from research/model-configs.json or our H100 runs) that entry stands; the differences are printed below.
hubdir = shared / 'research/hub-configs'
ARCH = ('num_hidden_layers', 'hidden_size', 'intermediate_size', 'num_attention_heads', 'num_key_value_heads', 'head_dim',
        'vocab_size', 'tie_word_embeddings', 'n_routed_experts', 'num_local_experts', 'num_experts', 'moe_intermediate_size',
        'num_experts_per_tok', 'kv_lora_rank', 'q_lora_rank', 'sliding_window', 'model_type')


def arch(cfg):
    """The fields that decide parameters and KV size (text part of a multimodal config)."""
    t = cfg.get('text_config') if isinstance(cfg.get('text_config'), dict) else cfg
    return {k: t.get(k) for k in ARCH}


def modelopt_quant(side):
    """hf_quant_config.json as vLLM reads it for a ModelOpt checkpoint: quant_method modelopt + its `quantization` dict."""
    return {'quant_method': 'modelopt', **compact_quant(side.get('quantization', side))}


hub_ids = {}
for sub in ('', 'resaved/', 'converted/'):
    for f in sorted((hubdir / sub).glob('*.json')):
        if f.name.endswith('.hf_quant_config.json'):
            continue
        mid = f.stem.replace('--', '/', 1)
        cfg = compact(json.loads(f.read_text()))
        if sub == 'resaved/':
            cfg.pop('torch_dtype', None)
            cfg.pop('dtype', None)
        side = f.with_name(f.stem + '.hf_quant_config.json')
        if side.exists():
            sq = modelopt_quant(json.loads(side.read_text()))
            q = cfg.get('quantization_config')
            if not isinstance(q, dict) or q.get('quant_method') in (None, 'modelopt'):
                cfg['quantization_config'] = {**sq, **(q or {})} if isinstance(q, dict) else sq
                cfg['quantization_config']['kv_cache_quant_algo'] = sq.get('kv_cache_quant_algo')
            else:  # config.json names another method: keep it, and the side file beside it for later readers
                cfg['hf_quant_config'] = sq
        if 'num_hidden_layers' not in cfg and isinstance(cfg.get('layers_block_type'), list):
            # Nemotron-3 Ultra's config names one block per layer and no count; in every Nemotron-H config that has
            # both (Nano, Super, Lightning, Nemotron-H-56B) the count is the pattern's length.
            cfg['num_hidden_layers'] = len(cfg['layers_block_type'])
        hub_ids[mid] = sub or 'top'
        if mid in USER_ALIASES and USER_ALIASES[mid] in out:
            continue  # resolves through its alias (checked against this file below)
        if mid in out:
            a, b = arch(out[mid]), arch(cfg)
            diff = [k for k in ARCH if a[k] != b[k] and b[k] is not None]
            if diff:
                print(f'  kept the existing entry for {mid}; hub-configs/{sub} differs in {diff}')
            if side.exists() and out[mid].get('quantization_config', {}).get('quant_method') == 'modelopt':
                out[mid]['quantization_config'] = cfg['quantization_config']  # the side file is the checkpoint's own
            continue
        out[mid] = cfg

out['meta-llama/Llama-3.3-70B-Instruct'] = {'$alias': 'meta-llama/Llama-3.1-70B'}
out['meta-llama/Llama-3.1-405B-Instruct'] = {'$alias': 'meta-llama/Llama-3.1-405B'}
out['ibm-granite/granite-3.3-8b-instruct'] = {'$alias': 'ibm-granite/granite-3.1-8b-instruct'}

# Aliases the calibration data and users write.
for alias, target in USER_ALIASES.items():
    if target in out and alias not in out:
        out[alias] = {'$alias': target}

# Same architecture, different context length in config.json: Qwen2.5 base checkpoints read 131072 positions, the
# instruct ones 32768 (as Qwen2.5-7B/72B-Instruct above); QwQ-32B 40960; the Qwen3 2507 re-release 262144.
for mid, base, positions in [('Qwen/Qwen2.5-14B-Instruct', 'Qwen/Qwen2.5-14B', 32768), ('Qwen/Qwen2.5-32B-Instruct', 'Qwen/Qwen2.5-32B', 32768),
                             ('Qwen/Qwen2.5-72B', 'Qwen/Qwen2.5-72B-Instruct', 131072), ('Qwen/QwQ-32B', 'Qwen/Qwen2.5-32B', 40960),
                             ('Qwen/Qwen3-30B-A3B-Instruct-2507', 'Qwen/Qwen3-30B-A3B', 262144)]:
    out[mid] = {**out[base], 'max_position_embeddings': positions}


# ---- Hub renames: the old id redirects to the same repository on the Hub, so it is the same config.json. -------------
# Meta renamed the Llama 3.1 repos (Meta-Llama-3.1-* → Llama-3.1-*; hub-configs holds both names for 8B/70B/405B and
# their fields agree, checked below); Neural Magic's org became RedHatAI; THUDM's became zai-org.
def add_alias(alias, target):
    if target in out and alias.lower() not in {k.lower() for k in out}:
        out[alias] = {'$alias': target}


for mid in list(out):
    org, name = mid.split('/', 1)
    if org == 'meta-llama' and name.startswith('Llama-3.1-'):
        add_alias('meta-llama/Meta-' + name.replace('Llama-3.1-', 'Llama-3.1-', 1), mid)
    if org == 'meta-llama' and name.startswith('Meta-Llama-3.1-'):
        add_alias('meta-llama/' + name[len('Meta-'):], mid)
    if org == 'RedHatAI':
        add_alias('neuralmagic/' + name, mid)
    if org == 'THUDM':
        add_alias('zai-org/' + name, mid)

# ---- Ids real users ran (calibration/vllm-startup-logs.csv) whose checkpoint is a listed architecture plus a quantization
# the log names. Each is checked by test/unit/catalog.test.ts against the weights the log measured (within 2 %).
# RedHatAI's `quantized.w8a8` checkpoints are compressed-tensors INT8 weights (per channel) and INT8 dynamic per-token
# activations (the log: quantization compressed-tensors); Qwen's -AWQ releases are AWQ 4-bit, group 128 (the log: awq).
int8_w8a8 = {'quant_method': 'compressed-tensors', 'format': 'int-quantized', 'config_groups': {'group_0': {'targets': ['Linear'],
             'weights': {'num_bits': 8, 'type': 'int', 'strategy': 'channel', 'symmetric': True},
             'input_activations': {'num_bits': 8, 'type': 'int', 'strategy': 'token', 'dynamic': True}}}, 'ignore': ['lm_head']}
awq4 = {'quant_method': 'awq', 'bits': 4, 'group_size': 128, 'zero_point': True, 'version': 'gemm'}
for mid, base, q in [('RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w8a8', 'meta-llama/Llama-3.1-8B-Instruct', int8_w8a8),
                     ('RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a8', 'Qwen/Qwen2.5-7B-Instruct', int8_w8a8),
                     ('Qwen/Qwen2.5-7B-Instruct-AWQ', 'Qwen/Qwen2.5-7B-Instruct', awq4)]:
    out.setdefault(mid, {'$base': base, 'quantization_config': q})
# Meta-Llama-3-8B: the base of Meta-Llama-3-8B-Instruct (resaved/, dimensions real); the log's weights agree (checked).
add_alias('meta-llama/Meta-Llama-3-8B', 'meta-llama/Meta-Llama-3-8B-Instruct')


def resolve(mid, hops=0):
    e = out[mid]
    if '$alias' in e:
        return resolve(e['$alias'], hops + 1)
    if '$base' in e:
        return {**resolve(e['$base'], hops + 1), **{k: v for k, v in e.items() if k != '$base'}}
    return e



# ---- Instruct/chat tunes of listed bases, by family: added only where a pair of real configs of the SAME family in the
# catalog shows tune and base identical in every field kept here (the proving pair is checked; dtype aside), so the
# family's other sizes follow the same release practice.
FAMILY_PAIRS = [
    # (proving base, proving tune, [(new id, existing id)]) — the new id resolves to the existing one.
    ('meta-llama/Llama-2-70b-hf', 'meta-llama/Llama-2-70b-chat-hf',
     [('meta-llama/Llama-2-7b-chat-hf', 'meta-llama/Llama-2-7b-hf'), ('meta-llama/Llama-2-13b-chat-hf', 'meta-llama/Llama-2-13b-hf')]),
    ('Qwen/Qwen3-VL-32B-Instruct', 'Qwen/Qwen3-VL-32B-Thinking',
     [('Qwen/Qwen3-VL-2B-Thinking', 'Qwen/Qwen3-VL-2B-Instruct'), ('Qwen/Qwen3-VL-4B-Thinking', 'Qwen/Qwen3-VL-4B-Instruct'),
      ('Qwen/Qwen3-VL-8B-Thinking', 'Qwen/Qwen3-VL-8B-Instruct'), ('Qwen/Qwen3-VL-30B-A3B-Thinking', 'Qwen/Qwen3-VL-30B-A3B-Instruct'),
      ('Qwen/Qwen3-VL-235B-A22B-Thinking', 'Qwen/Qwen3-VL-235B-A22B-Instruct')]),
    ('meta-llama/Llama-3.2-3B', 'meta-llama/Llama-3.2-3B-Instruct', [('meta-llama/Llama-3.2-1B', 'meta-llama/Llama-3.2-1B-Instruct')]),
    ('mistralai/Mistral-7B-v0.3', 'mistralai/Mistral-7B-Instruct-v0.3', [('mistralai/Mistral-7B-Instruct-v0.1', 'mistralai/Mistral-7B-v0.1')]),
    ('deepseek-ai/DeepSeek-V3', 'deepseek-ai/DeepSeek-R1', [('deepseek-ai/DeepSeek-V3-Base', 'deepseek-ai/DeepSeek-V3')]),
]
def own_config(mid):
    """An id's own config file where hub-configs has one (even if the catalog stores the id as an alias), else its entry."""
    if mid in hub_ids:
        sub = hub_ids[mid] if hub_ids[mid] != 'top' else ''
        return compact(json.loads((hubdir / sub / (mid.replace('/', '--', 1) + '.json')).read_text()))
    return resolve(mid)


def effective(c):
    """Defaults the readers apply, so `head_dim: 128` and an absent head_dim of 4096/32 compare equal."""
    c = dict(c)
    if c.get('head_dim') is None and c.get('hidden_size') and c.get('num_attention_heads'):
        c['head_dim'] = c['hidden_size'] // c['num_attention_heads']
    if c.get('num_key_value_heads') is None:
        c['num_key_value_heads'] = c.get('num_attention_heads')
    if c.get('model_type') == 'llama' and c.get('rope_theta') is None:
        c['rope_theta'] = 10000.0  # transformers' LlamaConfig default (Llama 2 configs predate the key)
    return c


MATTERS = ARCH + ('max_position_embeddings', 'rope_theta', 'layer_types', 'text_config', 'vision_config')
for base, tune, adds in FAMILY_PAIRS:
    a, b = effective(own_config(base)), effective(own_config(tune))
    bad = [k for k in MATTERS if a.get(k) != b.get(k)]
    if bad:
        sys.exit(f'family pair {base} / {tune} differs in {bad}: its aliases are not proven')
    for new, existing in adds:
        add_alias(new, existing)

# Aliases of an instruct/chat tune to its base are kept only where both configs are known and agree in the fields that
# decide parameters and KV (or where the tune is known from its model card to be a fine-tune of that exact base).
for mid, e in list(out.items()):
    if '$alias' in e and mid in hub_ids:
        a, b = arch(effective(resolve(e['$alias']))), arch(effective(own_config(mid)))
        bad = [k for k in ARCH if a[k] != b[k]]
        if bad:
            sys.exit(f'alias {mid} → {e["$alias"]} contradicts its own config in {bad}')

# ==== Issue 17 item 5: ids real users serve that have no config file in ../shared ===================================
# Sources of the ids: the model column of calibration/vllm-startup-logs.csv and its logs/, the Hub ids research/*.md
# name, and hub-configs/INDEX.md's "Wanted ids not found". Four kinds of entry, each with the reason it is the config
# it claims to be (the Python assertions below check what can be checked against the real files here; the published
# parameter count of each kind is tested in test/unit/catalog.test.ts):
#   TYPED     — configs typed from published config.json files (only models whose config is known field by field).
#   SAME      — {"$alias": id}: another id with the same config in every field that matters (a tune, a re-release).
#   DERIVED   — {"$base": id, ...}: a listed config plus the fields its model card / config documents as different.
#   QUANTIZED — {"$base": id, "quantization_config": …}: a listed base plus its checkpoint family's quantization_config,
#               in a form estimator/quantization.ts weightFormatFromConfig reads (awq, gptq, bitsandbytes,
#               compressed-tensors float/int, fp8 block, modelopt FP8/NVFP4).
added_ids = []


def add_new(mid, entry):
    """A new id (never one the real files or the sections above already hold: those stand)."""
    if mid.lower() in {k.lower() for k in out}:
        sys.exit(f'{mid} is already in the catalog: not added again')
    target = entry.get('$alias') or entry.get('$base')
    if target is not None and target not in out:
        sys.exit(f'{mid}: its base {target} is not in the catalog')
    out[mid] = compact(entry) if target is None else {k: (compact_quant(v) if k == 'quantization_config' and isinstance(v, dict) else v)
                                                    for k, v in entry.items()}
    added_ids.append(mid)


# ---- TYPED: from the published config.json of each model (Hub repo, main revision), fields the estimator reads. --------
# Each one's parameter count is checked against the published count in test/unit/catalog.test.ts (within 2 %).
opt = {'architectures': ['OPTForCausalLM'], 'model_type': 'opt', 'torch_dtype': 'float16', 'max_position_embeddings': 2048,
       'vocab_size': 50272, 'do_layer_norm_before': True,
       # config.json has no tie_word_embeddings: transformers' default (True) applies, and vLLM's OPTForCausalLM ties
       # lm_head to embed_tokens; the FFN width is ffn_dim (4 × hidden in every OPT size).
       'tie_word_embeddings': True}
# facebook/opt-125m: 12 layers, hidden 768, 12 heads, ffn_dim 3072 (OPT paper Table 1: 125M). The smallest model
# vLLM's quickstart serves.
add_new('facebook/opt-125m', {**opt, 'num_hidden_layers': 12, 'hidden_size': 768, 'num_attention_heads': 12, 'ffn_dim': 3072, 'word_embed_proj_dim': 768})
# facebook/opt-1.3b: 24 layers, hidden 2048, 32 heads, ffn_dim 8192 (OPT paper: 1.3B).
add_new('facebook/opt-1.3b', {**opt, 'num_hidden_layers': 24, 'hidden_size': 2048, 'num_attention_heads': 32, 'ffn_dim': 8192, 'word_embed_proj_dim': 2048})
# facebook/opt-6.7b: 32 layers, hidden 4096, 32 heads, ffn_dim 16384 (OPT paper: 6.7B).
add_new('facebook/opt-6.7b', {**opt, 'num_hidden_layers': 32, 'hidden_size': 4096, 'num_attention_heads': 32, 'ffn_dim': 16384, 'word_embed_proj_dim': 4096})
# Qwen/Qwen3-4B: the Qwen3 dense layout of Qwen3-8B (real file) at hidden 2560, 36 layers, 32 heads / 8 KV heads of
# 128, intermediate 9728, tied embeddings, 40960 positions (Qwen3 card: 4.0B; the startup log's 7.56 GiB agrees).
add_new('Qwen/Qwen3-4B', {'architectures': ['Qwen3ForCausalLM'], 'model_type': 'qwen3', 'torch_dtype': 'bfloat16', 'num_hidden_layers': 36,
        'hidden_size': 2560, 'intermediate_size': 9728, 'num_attention_heads': 32, 'num_key_value_heads': 8, 'head_dim': 128,
        'vocab_size': 151936, 'max_position_embeddings': 40960, 'rope_theta': 1000000, 'tie_word_embeddings': True, 'sliding_window': None})
# Qwen/Qwen2.5-Math-1.5B: Qwen2.5-1.5B's dimensions (real file of the -Instruct) with a 4096-position, rope_theta 10000
# config (Qwen2.5-Math card: 4K context); the startup log's 2.88 GiB of weights agrees.
add_new('Qwen/Qwen2.5-Math-1.5B', {'$base': 'Qwen/Qwen2.5-1.5B-Instruct', 'max_position_embeddings': 4096, 'rope_theta': 10000.0, 'sliding_window': 4096})
# deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B: distilled into Qwen2.5-Math-1.5B, but its config unties the LM head and
# reads 131072 positions (Hub page: 1.78B = 1.54B + an untied 151936 × 1536 head).
add_new('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B', {'$base': 'Qwen/Qwen2.5-Math-1.5B', 'max_position_embeddings': 131072, 'tie_word_embeddings': False})
# Qwen/Qwen2.5-Math-7B-Instruct / -72B-Instruct: Qwen2.5-7B / 72B dimensions, 4096 positions, rope_theta 10000.
add_new('Qwen/Qwen2.5-Math-7B-Instruct', {'$base': 'Qwen/Qwen2.5-7B-Instruct', 'max_position_embeddings': 4096, 'rope_theta': 10000.0})
add_new('Qwen/Qwen2.5-Math-72B-Instruct', {'$base': 'Qwen/Qwen2.5-72B-Instruct', 'max_position_embeddings': 4096, 'rope_theta': 10000.0})
# deepseek-ai/DeepSeek-V2: DeepSeek-V2-Lite's layout (real file) at full size — 60 layers, hidden 5120, 128 heads,
# q_lora_rank 1536, 160 routed experts of 1536 (6 per token, 2 shared), dense intermediate 12288, grouped routing
# 8 groups / top 3, routed_scaling_factor 16 (DeepSeek-V2 paper: 236B total, 21B activated).
add_new('deepseek-ai/DeepSeek-V2', {'$base': 'deepseek-ai/DeepSeek-V2-Lite', 'num_hidden_layers': 60, 'hidden_size': 5120, 'intermediate_size': 12288,
        'num_attention_heads': 128, 'num_key_value_heads': 128, 'q_lora_rank': 1536, 'n_routed_experts': 160, 'moe_intermediate_size': 1536,
        'n_group': 8, 'topk_group': 3, 'routed_scaling_factor': 16.0})
# mistralai/Mistral-Large-Instruct-2407: 88 layers, hidden 12288, 96 heads / 8 KV heads of 128, intermediate 28672,
# vocab 32768, 131072 positions, rope_theta 1e6 (Mistral: 123B). Devstral-2-123B (real file) has the same trunk.
add_new('mistralai/Mistral-Large-Instruct-2407', {'architectures': ['MistralForCausalLM'], 'model_type': 'mistral', 'torch_dtype': 'bfloat16',
        'num_hidden_layers': 88, 'hidden_size': 12288, 'intermediate_size': 28672, 'num_attention_heads': 96, 'num_key_value_heads': 8,
        'head_dim': 128, 'vocab_size': 32768, 'max_position_embeddings': 131072, 'rope_theta': 1000000.0, 'sliding_window': None,
        'tie_word_embeddings': False})
# mistralai/Codestral-22B-v0.1: 56 layers, hidden 6144, 48 heads / 8 KV heads, intermediate 16384, vocab 32768,
# 32768 positions, rope_theta 1e6 (Hub page: 22.2B).
add_new('mistralai/Codestral-22B-v0.1', {'architectures': ['MistralForCausalLM'], 'model_type': 'mistral', 'torch_dtype': 'bfloat16',
        'num_hidden_layers': 56, 'hidden_size': 6144, 'intermediate_size': 16384, 'num_attention_heads': 48, 'num_key_value_heads': 8,
        'head_dim': 128, 'vocab_size': 32768, 'max_position_embeddings': 32768, 'rope_theta': 1000000.0, 'sliding_window': None,
        'tie_word_embeddings': False})
# mistralai/Mistral-Small-24B-Instruct-2501: the text trunk of Devstral-Small-2507 (real file; Devstral Small is a
# fine-tune of Mistral Small 3.1, whose text model is 2501's) with 2501's 32768 positions and rope_theta 1e8
# (Hub page: 23.6B).
add_new('mistralai/Mistral-Small-24B-Instruct-2501', {'$base': 'mistralai/Devstral-Small-2507', 'max_position_embeddings': 32768, 'rope_theta': 100000000.0})
# mistralai/Mistral-Small-3.1-24B-Instruct-2503: Mistral3ForConditionalGeneration — the Devstral-Small-2507 text model
# (131072 positions, rope_theta 1e9) and the Pixtral vision encoder whose config Devstral-Small-2-24B-Instruct-2512
# (real file) carries (24 layers, hidden 1024, 16 heads of 64, intermediate 4096, patch 14, image 1540).
devstral_small = {k: v for k, v in resolve('mistralai/Devstral-Small-2507').items() if k not in ('architectures', 'torch_dtype', 'dtype')}
pixtral = {k: v for k, v in resolve('mistralai/Devstral-Small-2-24B-Instruct-2512')['vision_config'].items()}
add_new('mistralai/Mistral-Small-3.1-24B-Instruct-2503', {'architectures': ['Mistral3ForConditionalGeneration'], 'model_type': 'mistral3',
        'torch_dtype': 'bfloat16', 'text_config': devstral_small, 'vision_config': pixtral, 'spatial_merge_size': 2,
        'projector_hidden_act': 'gelu', 'tie_word_embeddings': False})
# microsoft/phi-1_5: phi-1's architecture (real file: 24 layers, hidden 2048, 32 heads, partial rotary 0.5) with the
# 51200-token vocabulary (phi-1.5 report: same architecture as phi-1; Hub page 1.42B). phi-1's float32 is not taken.
add_new('microsoft/phi-1_5', {'$base': 'microsoft/phi-1', 'vocab_size': 51200, 'torch_dtype': None})
# HuggingFaceTB/SmolLM2-*-Instruct: Llama layout, vocab 49152, tied embeddings, 8192 positions (Hub pages: 135M, 362M,
# 1.71B) — 135M: 30 layers, hidden 576, 9 heads / 3 KV, intermediate 1536; 360M: 32 layers, 960, 15 / 5, 2560;
# 1.7B: 24 layers, 2048, 32 / 32, 8192.
smol = {'architectures': ['LlamaForCausalLM'], 'model_type': 'llama', 'torch_dtype': 'bfloat16', 'vocab_size': 49152,
        'max_position_embeddings': 8192, 'tie_word_embeddings': True}
add_new('HuggingFaceTB/SmolLM2-135M-Instruct', {**smol, 'num_hidden_layers': 30, 'hidden_size': 576, 'num_attention_heads': 9, 'num_key_value_heads': 3, 'intermediate_size': 1536, 'rope_theta': 100000})
add_new('HuggingFaceTB/SmolLM2-360M-Instruct', {**smol, 'num_hidden_layers': 32, 'hidden_size': 960, 'num_attention_heads': 15, 'num_key_value_heads': 5, 'intermediate_size': 2560, 'rope_theta': 100000})
add_new('HuggingFaceTB/SmolLM2-1.7B-Instruct', {**smol, 'num_hidden_layers': 24, 'hidden_size': 2048, 'num_attention_heads': 32, 'num_key_value_heads': 32, 'intermediate_size': 8192, 'rope_theta': 130000})
# Qwen/Qwen2.5-VL-3B / 32B / 72B-Instruct: Qwen2.5-VL-7B-Instruct (real file) with the text model of the same-size
# Qwen2.5 LLM and the same 32-block vision tower projecting to that hidden size (out_hidden_size).
vl7 = resolve('Qwen/Qwen2.5-VL-7B-Instruct')
for mid, dims in [('Qwen/Qwen2.5-VL-3B-Instruct', dict(hidden_size=2048, intermediate_size=11008, num_hidden_layers=36, num_attention_heads=16, num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True)),
                  ('Qwen/Qwen2.5-VL-32B-Instruct', dict(hidden_size=5120, intermediate_size=27648, num_hidden_layers=64, num_attention_heads=40, num_key_value_heads=8)),
                  ('Qwen/Qwen2.5-VL-72B-Instruct', dict(hidden_size=8192, intermediate_size=29568, num_hidden_layers=80, num_attention_heads=64, num_key_value_heads=8))]:
    add_new(mid, {'$base': 'Qwen/Qwen2.5-VL-7B-Instruct', **dims, 'vision_config': {**vl7['vision_config'], 'out_hidden_size': dims['hidden_size']}})
# Qwen/Qwen2-VL-2B / 7B / 72B-Instruct: the Qwen2 text models (dimensions of Qwen2.5-1.5B / 7B / 72B, 32768 positions,
# M-RoPE) and Qwen2-VL's ViT (32 blocks, embed_dim 1280, 16 heads, mlp_ratio 4, patch 14, merge 2; hidden_size = the
# LLM's width).
for mid, dims in [('Qwen/Qwen2-VL-2B-Instruct', dict(hidden_size=1536, intermediate_size=8960, num_hidden_layers=28, num_attention_heads=12, num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True)),
                  ('Qwen/Qwen2-VL-7B-Instruct', dict(hidden_size=3584, intermediate_size=18944, num_hidden_layers=28, num_attention_heads=28, num_key_value_heads=4)),
                  ('Qwen/Qwen2-VL-72B-Instruct', dict(hidden_size=8192, intermediate_size=29568, num_hidden_layers=80, num_attention_heads=64, num_key_value_heads=8))]:
    add_new(mid, {'$base': 'Qwen/Qwen2.5-VL-7B-Instruct', 'architectures': ['Qwen2VLForConditionalGeneration'], 'model_type': 'qwen2_vl', **dims,
                  'max_position_embeddings': 32768, 'vision_config': {'depth': 32, 'embed_dim': 1280, 'mlp_ratio': 4, 'num_heads': 16, 'in_chans': 3,
                  'hidden_size': dims['hidden_size'], 'patch_size': 14, 'spatial_merge_size': 2, 'temporal_patch_size': 2}})
# google/gemma-3-4b-it: gemma-3-12b-it's text layout (5 local : 1 global, window 1024, linear RoPE × 8) at 34 layers,
# hidden 2560, 8 heads / 4 KV heads of 256, intermediate 10240, vocab 262208 (Gemma 3 report: 675M embedding +
# 3,209M non-embedding; the 417M SigLIP encoder beside it).
add_new('google/gemma-3-4b-it', {'$base': 'google/gemma-3-12b-it', 'num_hidden_layers': 34, 'hidden_size': 2560, 'intermediate_size': 10240,
        'num_attention_heads': 8, 'num_key_value_heads': 4, 'head_dim': 256, 'vocab_size': 262208})
# meta-llama/Llama-3.2-11B-Vision(-Instruct): the 90B-Vision config (real file) with the 11B text model — 40 layers
# (8 of them cross-attention, every fifth from 3), hidden 4096, 32 heads / 8 KV heads, intermediate 14336; the same
# vision encoder (Llama 3.2 card: one vision adapter design, 10.6B in all).
v90 = resolve('meta-llama/Llama-3.2-90B-Vision-Instruct')
add_new('meta-llama/Llama-3.2-11B-Vision-Instruct', {'$base': 'meta-llama/Llama-3.2-90B-Vision-Instruct', 'text_config': {**v90['text_config'],
        'cross_attention_layers': [3, 8, 13, 18, 23, 28, 33, 38], 'hidden_size': 4096, 'intermediate_size': 14336, 'num_attention_heads': 32,
        'num_hidden_layers': 40}})

# ---- SAME: ids whose config equals a listed one in every field that matters. -------------------------------------------
SAME = [
    # Startup-log ids.
    ('deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct', 'deepseek-ai/DeepSeek-V2-Lite',
     'Coder-V2 is further pre-trained from a DeepSeek-V2 checkpoint: same 27-layer MLA/MoE config (card: 16B, 2.4B active)'),
    ('deepseek-ai/DeepSeek-Coder-V2-Lite-Base', 'deepseek-ai/DeepSeek-V2-Lite', 'as Coder-V2-Lite-Instruct'),
    ('meta-llama/Llama-3.2-11B-Vision', 'meta-llama/Llama-3.2-11B-Vision-Instruct', 'Meta ships base and instruct Vision with one config (90B pair alike)'),
    # DeepSeek V2/V3 line.
    ('deepseek-ai/DeepSeek-V2-Chat', 'deepseek-ai/DeepSeek-V2', 'the chat tune of DeepSeek-V2 (paper: same model, SFT + RL)'),
    ('deepseek-ai/DeepSeek-V2-Chat-0628', 'deepseek-ai/DeepSeek-V2', 'a later V2-Chat checkpoint, same architecture'),
    ('deepseek-ai/DeepSeek-V2.5', 'deepseek-ai/DeepSeek-V2', 'V2.5 merges V2-Chat and Coder-V2-Instruct (card): same architecture'),
    ('deepseek-ai/DeepSeek-Coder-V2-Instruct', 'deepseek-ai/DeepSeek-V2', 'Coder-V2 continues DeepSeek-V2 pre-training (card: 236B, 21B active)'),
    ('deepseek-ai/DeepSeek-Coder-V2-Base', 'deepseek-ai/DeepSeek-V2', 'as Coder-V2-Instruct'),
    ('deepseek-ai/DeepSeek-V3.1', 'deepseek-ai/DeepSeek-V3', 'V3.1 is V3 post-trained further (card: 671B, 37B active); nvidia/DeepSeek-V3.1-NVFP4\'s real config equals V3 (checked below)'),
    ('deepseek-ai/DeepSeek-V3.1-Base', 'deepseek-ai/DeepSeek-V3', 'as V3.1'),
    ('deepseek-ai/DeepSeek-V3.1-Terminus', 'deepseek-ai/DeepSeek-V3', 'a V3.1 update, same architecture (card)'),
    ('deepseek-ai/DeepSeek-R1-Zero', 'deepseek-ai/DeepSeek-R1', 'R1 paper: R1-Zero is RL on DeepSeek-V3-Base, as R1'),
    # Qwen: Qwen2 dense sizes have Qwen2.5's dimensions (Qwen2.5 report: architecture unchanged; both instruct configs
    # read 32768 positions and rope_theta 1e6).
    ('Qwen/Qwen2-0.5B-Instruct', 'Qwen/Qwen2.5-0.5B-Instruct', 'same dimensions (24 × 896, 14 / 2 heads, tied)'),
    ('Qwen/Qwen2-1.5B-Instruct', 'Qwen/Qwen2.5-1.5B-Instruct', 'same dimensions (28 × 1536, 12 / 2 heads, tied)'),
    ('Qwen/Qwen2-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', 'same dimensions (28 × 3584, 28 / 4 heads, vocab 152064)'),
    ('Qwen/Qwen2-72B-Instruct', 'Qwen/Qwen2.5-72B-Instruct', 'same dimensions (80 × 8192, 64 / 8 heads)'),
    # Qwen2.5-Coder: the Qwen2.5 architecture of each size (Coder report), 32768 positions like the instruct LLMs.
    ('Qwen/Qwen2.5-Coder-1.5B-Instruct', 'Qwen/Qwen2.5-1.5B-Instruct', 'Qwen2.5-Coder report: same architecture as Qwen2.5-1.5B'),
    ('Qwen/Qwen2.5-Coder-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', 'same architecture as Qwen2.5-7B (card: 7.61B)'),
    ('Qwen/Qwen2.5-Coder-14B-Instruct', 'Qwen/Qwen2.5-14B-Instruct', 'same architecture as Qwen2.5-14B (card: 14.7B)'),
    ('Qwen/Qwen2.5-Coder-32B-Instruct', 'Qwen/Qwen2.5-32B-Instruct', 'same architecture as Qwen2.5-32B (card: 32.5B)'),
    # Qwen3 2507 re-releases: the 30B-A3B pair shares one config (real file of the Instruct); Coder-30B-A3B is that
    # layout too (card: 30.5B, 3.3B active, 48 layers, 128 experts / 8, 262144 positions).
    ('Qwen/Qwen3-30B-A3B-Thinking-2507', 'Qwen/Qwen3-30B-A3B-Instruct-2507', 'the same 2507 release, thinking tune'),
    ('Qwen/Qwen3-Coder-30B-A3B-Instruct', 'Qwen/Qwen3-30B-A3B-Instruct-2507', 'card: 30.5B / 3.3B, 48 layers, 128 experts, 262144 context'),
    # Gemma: Google ships pretrained and instruction-tuned checkpoints with one config.json per size.
    ('google/gemma-2b', 'google/gemma-2b-it', 'pt / it pair'), ('google/gemma-7b-it', 'google/gemma-7b', 'pt / it pair'),
    ('google/gemma-2-2b', 'google/gemma-2-2b-it', 'pt / it pair'),
    ('google/gemma-3-1b-pt', 'google/gemma-3-1b-it', 'pt / it pair'), ('google/gemma-3-4b-pt', 'google/gemma-3-4b-it', 'pt / it pair'),
    ('google/gemma-3-12b-pt', 'google/gemma-3-12b-it', 'pt / it pair'), ('google/gemma-3-27b-pt', 'google/gemma-3-27b-it', 'pt / it pair'),
    # Mistral.
    ('mistralai/Mistral-Large-Instruct-2411', 'mistralai/Mistral-Large-Instruct-2407', 'Mistral Large 2.1: an update of 2407, same 123B architecture'),
    ('mistralai/Mistral-Small-24B-Base-2501', 'mistralai/Mistral-Small-24B-Instruct-2501', 'base / instruct pair'),
    ('mistralai/Mistral-Small-3.1-24B-Base-2503', 'mistralai/Mistral-Small-3.1-24B-Instruct-2503', 'base / instruct pair'),
    ('mistralai/Mistral-Small-3.2-24B-Instruct-2506', 'mistralai/Mistral-Small-3.1-24B-Instruct-2503', 'card: a minor update of 3.1, same architecture'),
    # Code Llama: the Instruct tunes keep their size's vocabulary (7B/13B 32016 with infill tokens, 34B 32000).
    ('codellama/CodeLlama-7b-Instruct-hf', 'codellama/CodeLlama-7b-hf', 'Code Llama paper: Instruct is a fine-tune of the same model'),
    ('codellama/CodeLlama-34b-hf', 'codellama/CodeLlama-34b-Instruct-hf', 'as 7B'),
]
for new, existing, _why in SAME:
    add_new(new, {'$alias': existing})
# The V3.1 claim, checked against the one V3.1 config here (NVIDIA's NVFP4 export keeps the model's config.json).
assert arch(own_config('nvidia/DeepSeek-V3.1-NVFP4')) == arch(resolve('deepseek-ai/DeepSeek-V3')), 'DeepSeek-V3.1 differs from V3'

# ---- DERIVED: a listed config plus the fields documented as different. ----------------------------------------------
# Meta-Llama-3-70B(-Instruct): Llama 3 is Llama 3.1 before the 128K extension. Proven on the 8B pair of real files:
# Meta-Llama-3-8B-Instruct and Llama-3.1-8B differ in exactly max_position_embeddings (8192) and rope_scaling (none).
a8, b8 = effective(own_config('meta-llama/Meta-Llama-3-8B-Instruct')), effective(own_config('meta-llama/Llama-3.1-8B'))
assert {k for k in MATTERS if a8.get(k) != b8.get(k)} == {'max_position_embeddings'} and a8.get('rope_scaling') is None and b8.get('rope_scaling'), \
    'the Llama 3 / 3.1 8B pair no longer differs only in context'
add_new('meta-llama/Meta-Llama-3-70B-Instruct', {'$base': 'meta-llama/Llama-3.1-70B', 'max_position_embeddings': 8192, 'rope_scaling': None})
add_new('meta-llama/Meta-Llama-3-70B', {'$alias': 'meta-llama/Meta-Llama-3-70B-Instruct'})
# Qwen3 2507 re-releases of 4B and 235B-A22B: the same dimensions with 262144 positions (cards: 256K native context);
# their new rope_theta is not known here (and not read by the estimator), so none is claimed.
for mid, base in [('Qwen/Qwen3-4B-Instruct-2507', 'Qwen/Qwen3-4B'), ('Qwen/Qwen3-235B-A22B-Instruct-2507', 'Qwen/Qwen3-235B-A22B')]:
    add_new(mid, {'$base': base, 'max_position_embeddings': 262144, 'rope_theta': None})
add_new('Qwen/Qwen3-4B-Thinking-2507', {'$alias': 'Qwen/Qwen3-4B-Instruct-2507'})
add_new('Qwen/Qwen3-235B-A22B-Thinking-2507', {'$alias': 'Qwen/Qwen3-235B-A22B-Instruct-2507'})

# ---- QUANTIZED: base + the quantization_config its checkpoint family publishes. --------------------------------------
# Qwen's own FP8 releases: fine-grained FP8, 128 × 128 blocks, dynamic activations (Qwen3-32B-FP8 and
# Qwen3-235B-A22B-FP8 real files carry exactly this).
qwen_fp8 = resolve('Qwen/Qwen3-32B-FP8')['quantization_config']
assert qwen_fp8 == {'activation_scheme': 'dynamic', 'fmt': 'e4m3', 'quant_method': 'fp8', 'weight_block_size': [128, 128]}, qwen_fp8
# Qwen's AWQ releases (Qwen2.5-*-Instruct-AWQ, Qwen3-*-AWQ): AutoAWQ 4-bit GEMM, group 128, zero point.
# Qwen's GPTQ releases (…-GPTQ-Int4/Int8): AutoGPTQ, group 128, symmetric, no act-order (Qwen2.5-32B-Instruct-GPTQ-Int4
# in research/model-configs.json: bits 4, group 128, sym).
qwen_gptq = lambda bits: {'bits': bits, 'group_size': 128, 'desc_act': False, 'sym': True, 'quant_method': 'gptq'}
# RedHatAI (llm-compressor) static FP8: per-tensor FP8 weights and static per-tensor FP8 activations.
fp8_static = {'quant_method': 'compressed-tensors', 'format': 'float-quantized', 'config_groups': {'group_0': {'targets': ['Linear'],
              'weights': {'num_bits': 8, 'type': 'float', 'strategy': 'tensor', 'symmetric': True, 'dynamic': False},
              'input_activations': {'num_bits': 8, 'type': 'float', 'strategy': 'tensor', 'symmetric': True, 'dynamic': False}}}, 'ignore': ['lm_head']}
# bitsandbytes 4-bit NF4 with double quantization, bf16 compute (unsloth's -bnb-4bit uploads).
bnb_nf4 = {'quant_method': 'bitsandbytes', 'load_in_4bit': True, '_load_in_4bit': True, 'load_in_8bit': False, 'bnb_4bit_quant_type': 'nf4',
           'bnb_4bit_use_double_quant': True, 'bnb_4bit_compute_dtype': 'bfloat16', 'bnb_4bit_quant_storage': 'uint8'}
# NVIDIA ModelOpt checkpoints (hf_quant_config.json, carried inline as the catalog does for the real side files):
# FP8 as nvidia/Llama-3.1-70B-Instruct-FP8's side file (lm_head excluded); NVFP4 (16-value groups) for DeepSeek as
# nvidia/DeepSeek-V3.1-NVFP4's (MLA projections excluded), for Llama with lm_head excluded only. Whether these exports
# also quantize the KV cache is not known here, so none is claimed (kv_cache_quant_algo null: the KV stays 16-bit
# unless --kv-cache-dtype says otherwise — the cautious reading).
mo_fp8_llama = {**resolve('nvidia/Llama-3.1-70B-Instruct-FP8')['quantization_config'], 'kv_cache_quant_algo': None}
mo_nvfp4_deepseek = {**resolve('nvidia/DeepSeek-V3.1-NVFP4')['quantization_config'], 'kv_cache_quant_algo': None}
mo_nvfp4_llama = {'quant_method': 'modelopt', 'quant_algo': 'NVFP4', 'kv_cache_quant_algo': None, 'group_size': 16, 'exclude_modules': ['lm_head']}
QUANTIZED = [
    # Startup-log ids.
    ('Qwen/Qwen3-235B-A22B-Instruct-2507-FP8', 'Qwen/Qwen3-235B-A22B-Instruct-2507', qwen_fp8, {}),
    ('Qwen/Qwen3-VL-30B-A3B-Instruct-FP8', 'Qwen/Qwen3-VL-30B-A3B-Instruct', qwen_fp8, {}),
    # AutoRound exported in GPTQ format (the log: gptq_marlin 4-bit; its 8.51 GiB of weights is checked in the tests).
    ('kaitchup/Phi-4-AutoRound-GPTQ-4bit', 'microsoft/phi-4', {'quant_method': 'gptq', 'bits': 4, 'group_size': 128, 'sym': True, 'desc_act': False}, {}),
    # Qwen FP8.
    ('Qwen/Qwen3-0.6B-FP8', 'Qwen/Qwen3-0.6B', qwen_fp8, {}), ('Qwen/Qwen3-1.7B-FP8', 'Qwen/Qwen3-1.7B', qwen_fp8, {}),
    ('Qwen/Qwen3-4B-FP8', 'Qwen/Qwen3-4B', qwen_fp8, {}), ('Qwen/Qwen3-8B-FP8', 'Qwen/Qwen3-8B', qwen_fp8, {}),
    ('Qwen/Qwen3-14B-FP8', 'Qwen/Qwen3-14B', qwen_fp8, {}),
    ('Qwen/Qwen3-30B-A3B-Instruct-2507-FP8', 'Qwen/Qwen3-30B-A3B-Instruct-2507', qwen_fp8, {}),
    ('Qwen/Qwen3-VL-8B-Instruct-FP8', 'Qwen/Qwen3-VL-8B-Instruct', qwen_fp8, {}),
    ('Qwen/Qwen3-VL-235B-A22B-Instruct-FP8', 'Qwen/Qwen3-VL-235B-A22B-Instruct', qwen_fp8, {}),
    # Qwen AWQ / GPTQ (fp16 checkpoints).
    ('Qwen/Qwen3-4B-AWQ', 'Qwen/Qwen3-4B', awq4, {'torch_dtype': 'float16'}), ('Qwen/Qwen3-8B-AWQ', 'Qwen/Qwen3-8B', awq4, {'torch_dtype': 'float16'}),
    ('Qwen/Qwen3-14B-AWQ', 'Qwen/Qwen3-14B', awq4, {'torch_dtype': 'float16'}), ('Qwen/Qwen3-32B-AWQ', 'Qwen/Qwen3-32B', awq4, {'torch_dtype': 'float16'}),
    ('Qwen/Qwen2.5-3B-Instruct-AWQ', 'Qwen/Qwen2.5-3B-Instruct', awq4, {'torch_dtype': 'float16'}),
    ('Qwen/Qwen2.5-32B-Instruct-AWQ', 'Qwen/Qwen2.5-32B-Instruct', awq4, {'torch_dtype': 'float16'}),
    # The 72B quantized releases pad the MLP to 29696 (= 232 groups of 128) so that it splits into whole groups at TP 8.
    ('Qwen/Qwen2.5-72B-Instruct-AWQ', 'Qwen/Qwen2.5-72B-Instruct', awq4, {'torch_dtype': 'float16', 'intermediate_size': 29696}),
    ('Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4', 'Qwen/Qwen2.5-72B-Instruct', qwen_gptq(4), {'torch_dtype': 'float16', 'intermediate_size': 29696}),
    ('Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4', 'Qwen/Qwen2.5-7B-Instruct', qwen_gptq(4), {'torch_dtype': 'float16'}),
    ('Qwen/Qwen2.5-7B-Instruct-GPTQ-Int8', 'Qwen/Qwen2.5-7B-Instruct', qwen_gptq(8), {'torch_dtype': 'float16'}),
    # Llama AWQ / GPTQ community checkpoints (fp16): hugging-quants (AutoAWQ GEMM; AutoGPTQ with act-order), TheBloke.
    ('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', 'meta-llama/Meta-Llama-3.1-8B-Instruct', awq4, {'torch_dtype': 'float16'}),
    ('hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4', 'meta-llama/Meta-Llama-3.1-70B-Instruct', awq4, {'torch_dtype': 'float16'}),
    ('hugging-quants/Meta-Llama-3.1-405B-Instruct-AWQ-INT4', 'meta-llama/Meta-Llama-3.1-405B-Instruct', awq4, {'torch_dtype': 'float16'}),
    ('hugging-quants/Meta-Llama-3.1-8B-Instruct-GPTQ-INT4', 'meta-llama/Meta-Llama-3.1-8B-Instruct', {**qwen_gptq(4), 'desc_act': True}, {'torch_dtype': 'float16'}),
    ('hugging-quants/Meta-Llama-3.1-70B-Instruct-GPTQ-INT4', 'meta-llama/Meta-Llama-3.1-70B-Instruct', {**qwen_gptq(4), 'desc_act': True}, {'torch_dtype': 'float16'}),
    ('TheBloke/Llama-2-7B-Chat-GPTQ', 'meta-llama/Llama-2-7b-chat-hf', qwen_gptq(4), {'torch_dtype': 'float16'}),
    ('TheBloke/Llama-2-7B-Chat-AWQ', 'meta-llama/Llama-2-7b-chat-hf', awq4, {'torch_dtype': 'float16'}),
    ('TheBloke/Mistral-7B-Instruct-v0.1-AWQ', 'mistralai/Mistral-7B-Instruct-v0.1', awq4, {'torch_dtype': 'float16'}),
    ('TheBloke/Mistral-7B-Instruct-v0.2-AWQ', 'mistralai/Mistral-7B-Instruct-v0.2', awq4, {'torch_dtype': 'float16'}),
    # bitsandbytes NF4 (unsloth).
    ('unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit', 'meta-llama/Meta-Llama-3.1-8B-Instruct', bnb_nf4, {}),
    ('unsloth/llama-3-8b-Instruct-bnb-4bit', 'meta-llama/Meta-Llama-3-8B-Instruct', bnb_nf4, {}),
    ('unsloth/Llama-3.2-1B-Instruct-bnb-4bit', 'meta-llama/Llama-3.2-1B-Instruct', bnb_nf4, {}),
    ('unsloth/Llama-3.2-3B-Instruct-bnb-4bit', 'meta-llama/Llama-3.2-3B-Instruct', bnb_nf4, {}),
    # RedHatAI (llm-compressor): static FP8, INT8 W8A8 and W4A16 forms, as their listed siblings.
    ('RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8', 'meta-llama/Meta-Llama-3.1-8B-Instruct', fp8_static, {}),
    ('RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8', 'meta-llama/Meta-Llama-3.1-70B-Instruct', fp8_static, {}),
    ('RedHatAI/Llama-3.3-70B-Instruct-quantized.w8a8', 'meta-llama/Llama-3.3-70B-Instruct', int8_w8a8, {}),
    ('RedHatAI/Llama-3.3-70B-Instruct-quantized.w4a16', 'meta-llama/Llama-3.3-70B-Instruct', w4a16, {}),
    # NVIDIA ModelOpt.
    ('nvidia/Llama-3.3-70B-Instruct-FP8', 'meta-llama/Llama-3.3-70B-Instruct', mo_fp8_llama, {}),
    ('nvidia/Llama-3.3-70B-Instruct-FP4', 'meta-llama/Llama-3.3-70B-Instruct', mo_nvfp4_llama, {}),
    ('nvidia/DeepSeek-R1-FP4', 'deepseek-ai/DeepSeek-R1', mo_nvfp4_deepseek, {}),
    ('nvidia/DeepSeek-R1-0528-FP4', 'deepseek-ai/DeepSeek-R1-0528', mo_nvfp4_deepseek, {}),
]
for mid, base, q, more in QUANTIZED:
    add_new(mid, {'$base': base, 'quantization_config': q, **more})
# Hub renames of the RedHatAI ids just added (neuralmagic/… redirects), as for the others above.
for mid in list(added_ids):
    if mid.startswith('RedHatAI/'):
        add_alias('neuralmagic/' + mid.split('/', 1)[1], mid)
        added_ids.append('neuralmagic/' + mid.split('/', 1)[1])
print(f'{len(added_ids)} ids added without a config file of their own (typed, same-as, derived, quantized)')

# ---- Compact: a quantized checkpoint whose fields repeat an unquantized entry of its line is stored as that base plus
# what differs ({"$base": id, "quantization_config": …}). Lossless (asserted).
full = {mid: resolve(mid) for mid in out}


def related(a, b):
    """Ids of one model line: one name (org dropped) contains the other ("GLM-5-FP8" ⊃ "GLM-5"), or they differ only in
    a last, lettered part ("…-A3B-BF16" / "…-A3B-NVFP4"); "GLM-5.2" and "GLM-5.3" are different models."""
    na, nb = a.split('/', 1)[1].lower(), b.split('/', 1)[1].lower()
    if nb in na or na in nb:
        return True
    (ha, _, ta), (hb, _, tb) = na.rpartition('-'), nb.rpartition('-')
    return bool(ha) and ha == hb and re.search('[a-z]', ta) is not None and re.search('[a-z]', tb) is not None


OWN = ('quantization_config', 'torch_dtype', 'dtype', 'hf_quant_config')
plain = [mid for mid in sorted(out) if not {'$alias', '$base', 'quantization_config'} & set(out[mid])]
for mid in sorted(out):
    e = out[mid]
    if '$alias' in e or '$base' in e or 'quantization_config' not in e:
        continue
    # The unquantized entry of the same line whose every field this one repeats: a quantized checkpoint → its base.
    bases = [b for b in plain if b != mid and related(mid, b) and all(k in OWN or e.get(k) == v for k, v in out[b].items())]
    if not bases:
        continue
    base = max(bases, key=len)
    diff = {k: v for k, v in e.items() if out[base].get(k) != v or k not in out[base]}
    out[mid] = {'$base': base, **diff}
for mid in out:
    assert resolve(mid) == full[mid], mid

# One id per line: small, and a regenerated catalog diffs by model.
lines = [f' {json.dumps(k)}: {json.dumps(v, separators=(",", ":"))}' for k, v in sorted(out.items(), key=lambda kv: kv[0].lower())]
(root / 'server/src/catalog/models.json').write_text('{\n' + ',\n'.join(lines) + '\n}\n')
size = (root / 'server/src/catalog/models.json').stat().st_size
print(f'{len(out)} ids ({sum(1 for e in out.values() if "$alias" in e)} aliases, {sum(1 for e in out.values() if "$base" in e)} base + quantization), {size // 1024} KiB')
