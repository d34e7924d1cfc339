#!/usr/bin/env python3
"""Regenerates server/src/catalog/models.json, the offline model catalog, from the config files in ../shared:
research/model-configs.json, calibration/h100/hf_configs.jsonl and every real config.json of research/hub-configs/.
Run by hand when ../shared changes (`python3 scripts/build-model-catalog.py`); the product itself never reads ../shared.
Keeps only the fields the estimator reads and those the 2026 architectures need. The few typed entries in `extra`
predate the hub-configs folder (the two it also holds, CodeLlama-7b-hf and phi-2, agree with it except in the
re-saved dtype); everything added since comes from a config file or is an alias / base reference proven below.
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
        'inner_hidden_size', 'alibi',
        # Vision/audio tower shapes the encoder readers need (estimator/encoders/): Qwen3-VL position table, MoonViT's
        # vt_* fields, Gemma 4, Llama 3.2 Vision tiles, Llama 4 adapter, MiniMax-VL, LFM2-VL and Voxtral projectors.
        'num_position_embeddings', 'vt_hidden_size', 'vt_intermediate_size', 'vt_num_hidden_layers',
        'vt_num_attention_heads', 'init_pos_emb_height', 'init_pos_emb_width', 'merge_kernel_size', 'mm_projector_type',
        'qkv_hidden_size', 'norm_type', 'linear_bias', 'patch_embed_proj_bias', 'text_hidden_size',
        'position_embedding_size', 'max_num_tiles', 'supported_aspect_ratios', 'projector_input_dim',
        'projector_output_dim', 'multi_modal_projector_bias', 'multimodal_projector_bias', 'img_token_compression_config',
        'projector_hidden_size', 'projector_bias', 'projector_use_layernorm', 'downsample_factor', 'num_patches',
        'vision_use_head', 'num_mel_bins', 'max_source_positions', 'embed_dim', 'in_chans'}
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
