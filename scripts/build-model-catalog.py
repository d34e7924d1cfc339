#!/usr/bin/env python3
"""Regenerates server/src/catalog/models.json, the offline model catalog, from the research notes in ../shared.
Run by hand when the notes change; the product itself never reads ../shared. Keeps only fields the estimator uses."""
import json, pathlib, sys

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
        'quantization_config', 'attention_bias', 'num_nextn_predict_layers'}

out = {}
research = json.loads((shared / 'research/model-configs.json').read_text())
for mid, c in research.items():
    if mid.startswith('_'):
        continue
    cfg = {k: v for k, v in c.items() if k in KEEP}
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
    q = cfg.get('quantization_config')
    if isinstance(q, dict):
        cfg['quantization_config'] = {k: v for k, v in q.items() if not k.endswith('_count') and not k.endswith('_head')}
    out[mid] = cfg

# The ten models measured on our H100 (calibration/h100/hf_configs.jsonl), under their Hub ids.
hub = {'Llama-3.1-8B': 'meta-llama/Llama-3.1-8B', 'Qwen2.5-7B': 'Qwen/Qwen2.5-7B', 'Mistral-7B-v0.3': 'mistralai/Mistral-7B-v0.3',
       'Llama-3.2-3B': 'meta-llama/Llama-3.2-3B', 'Phi-3-mini-4k': 'microsoft/Phi-3-mini-4k-instruct', 'Qwen2.5-14B': 'Qwen/Qwen2.5-14B',
       'Gemma-2-9B': 'google/gemma-2-9b', 'Qwen3-30B-A3B': 'Qwen/Qwen3-30B-A3B', 'DeepSeek-V2-Lite': 'deepseek-ai/DeepSeek-V2-Lite',
       'Qwen2.5-32B': 'Qwen/Qwen2.5-32B'}
for line in (shared / 'calibration/h100/hf_configs.jsonl').read_text().splitlines():
    d = json.loads(line)
    cfg = {k: v for k, v in d['input_config'].items() if k in KEEP}
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
out['meta-llama/Llama-3.3-70B-Instruct'] = {'$alias': 'meta-llama/Llama-3.1-70B'}
out['meta-llama/Llama-3.1-405B-Instruct'] = {'$alias': 'meta-llama/Llama-3.1-405B'}
out['ibm-granite/granite-3.3-8b-instruct'] = {'$alias': 'ibm-granite/granite-3.1-8b-instruct'}

# Aliases the calibration data and users write.
for alias, target in {'meta-llama/Llama-3.1-8B-Instruct': 'meta-llama/Llama-3.1-8B',
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
                      'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B': 'Qwen/Qwen2.5-32B'}.items():
    if target in out and alias not in out:
        out[alias] = {'$alias': target}

# Same architecture, different context length in config.json: Qwen2.5 base checkpoints read 131072 positions, the
# instruct ones 32768 (as Qwen2.5-7B/72B-Instruct above); QwQ-32B 40960; the Qwen3 2507 re-release 262144.
for mid, base, positions in [('Qwen/Qwen2.5-14B-Instruct', 'Qwen/Qwen2.5-14B', 32768), ('Qwen/Qwen2.5-32B-Instruct', 'Qwen/Qwen2.5-32B', 32768),
                             ('Qwen/Qwen2.5-72B', 'Qwen/Qwen2.5-72B-Instruct', 131072), ('Qwen/QwQ-32B', 'Qwen/Qwen2.5-32B', 40960),
                             ('Qwen/Qwen3-30B-A3B-Instruct-2507', 'Qwen/Qwen3-30B-A3B', 262144)]:
    out[mid] = {**out[base], 'max_position_embeddings': positions}

(root / 'server/src/catalog/models.json').write_text(json.dumps(dict(sorted(out.items())), indent=1) + '\n')
print(f'{len(out)} entries')
