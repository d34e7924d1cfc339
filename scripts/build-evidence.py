#!/usr/bin/env python3
"""Regenerates server/src/evidence/papers.json from the seed catalogs in ../shared/research, keeping only facts:
each paper's exact title (checked verbatim against its seed file), the seed file name, the technique family it
supports, and the numeric claims whose value text appears verbatim in that paper's abstract. Descriptions, conditions
and caveats are written by hand in server/src/evidence/families.ts. Run by hand; the product never reads ../shared."""
import json, pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
shared = root.parent / 'shared'
if not shared.exists():
    sys.exit('../shared is absent: nothing to regenerate from')

# Catalog technique labels -> the product's technique families (server/src/evidence/families.ts).
FAMILY = {
    'kv-cache-eviction': 'kv-eviction', 'kv-cache-low-rank-compression': 'kv-quantization', 'kv-cache-offloading': 'offloading',
    'mixed-precision-kv-cache': 'kv-quantization', 'kv-cache-quantization': 'kv-quantization',
    'post-training-quantization': 'weight-quantization', 'weight-quantization-4bit': 'weight-quantization',
    'weight-quantization-sub4bit': 'weight-quantization', 'weight-activation-quantization': 'weight-quantization',
    'weight-activation-quantization-w4a4': 'weight-quantization', 'fp8-fp4-quantization': 'weight-quantization',
    'weight-quantization-2bit': 'weight-quantization', 'mixed-precision-integer-quantization': 'weight-quantization',
    'weight-quantization-generative': 'weight-quantization', 'quantization-aware-training': 'cnn-vit-quantization',
    'kv-cache-reuse': 'prefix-caching', 'chunked-prefill': 'chunked-prefill', 'continuous-batching': 'continuous-batching',
    'speculative-decoding': 'speculative-decoding', 'collaborative-decoding-large-small': 'speculative-decoding',
    'moe-inference': 'expert-parallelism', 'moe-routing': 'expert-parallelism', '3d-parallelism': 'parallelism',
    'pipeline-parallelism': 'parallelism', 'sequence-parallelism': 'parallelism', 'tensor-parallel-comm-overlap': 'parallelism',
    'offloading': 'offloading', 'cpu-nvme-offloading': 'offloading', 'ssd-offloading': 'offloading',
    'layer-skipping': 'layer-skipping', 'early-exit': 'layer-skipping', 'mixture-of-depths-token-skipping': 'layer-skipping',
    'adaptive-computation': 'layer-skipping', 'structured-pruning': 'pruning-distillation-nas', 'unstructured-pruning': 'pruning-distillation-nas',
    'second-order-pruning': 'pruning-distillation-nas', 'n-m-structured-sparsity': 'pruning-distillation-nas',
    'knowledge-distillation': 'pruning-distillation-nas', 'neural-architecture-search': 'pruning-distillation-nas',
    'distillation-nas': 'pruning-distillation-nas', 'low-rank-compression': 'pruning-distillation-nas', 'low-rank-factorization': 'pruning-distillation-nas',
    'small-efficient-model': 'pruning-distillation-nas', 'quantized-distillation': 'pruning-distillation-nas', 'activation-sparsity': 'pruning-distillation-nas',
    'linear-attention': 'efficient-attention', 'state-space-model': 'efficient-attention', 'hierarchical-local-global-attention': 'efficient-attention',
    'attention-kernel': 'efficient-attention', 'efficient-attention-architecture': 'efficient-attention',
    'disaggregated-prefill-decode': 'disaggregation', 'prefill-decode-disaggregation': 'disaggregation',
    'visual-token-pruning': 'token-reduction', 'token-merging': 'token-reduction', 'diffusion-step-reduction': 'diffusion-serving',
    'efficient-cnn-architecture': 'cnn-vit-quantization', 'nas-with-quantization-policy': 'cnn-vit-quantization',
    'embedding-product-quantization': 'recommendation', 'dynamic-sparse-training': 'recommendation',
    'encoder-decoder-slm': 'encoders', 'encoder-decoder-rebalancing': 'encoders', 'hardware-accelerator': 'on-device',
    'split-computing-feature-compression': 'on-device', 'analytical-performance-model': 'estimation', 'idealized-runtime-estimation': 'estimation',
    'end-to-end-serving-overhead-analysis': 'estimation', 'learned-hardware-cost-model': 'estimation',
}
# Labels the catalog uses for serving-knob papers outside the table above, matched on the label's words.
def family_of(rec):
    t = rec.get('technique')
    if not t:
        return None
    if 'diffusion' in rec['title'].lower() or 'diffusion' in (rec.get('applies_to') or []):
        return 'diffusion-serving'
    if t in ('quantization-aware-training', 'efficient-cnn-architecture', 'nas-with-quantization-policy'):
        return 'weight-quantization' if 'llm' in (rec.get('applies_to') or []) else 'cnn-vit-quantization'
    if t in FAMILY:
        return FAMILY[t]
    if 'disaggreg' in t or 'splitwise' in t:
        return 'disaggregation'
    if 'kv' in t and ('quant' in t or 'precision' in t):
        return 'kv-quantization'
    if 'batch' in t or 'schedul' in t or 'preempt' in t:
        return 'continuous-batching'
    if 'expert' in t or 'moe' in t:
        return 'expert-parallelism'
    if 'diffusion' in t:
        return 'diffusion-serving'
    if 'edge' in t or 'mobile' in t or 'device' in t or 'fpga' in t:
        return 'on-device'
    return None


# Hand-audited placements, read from each abstract: (family, topics the paper studies, rank). They override the label
# map above, so a family cites only papers that study the change it stands for: training-only parallelism and
# offloading go to `training-efficiency`, not to serving TP; a video-VLM paper goes to `token-reduction`, not to KV
# quantization; parallel context encoding is not prefix caching. Rank 0 is the paper a finding cites first.
# Topics are short tags of what the abstract measures; test/calibration/evidence.test.ts holds the table of which
# topics each change may cite.
CURATED = {
    # KV-cache quantization: no paper measures the engines' FP8 KV; these compress the KV in fewer bits.
    'CSKV: Training-Efficient Channel Shrinking for KV Cache in Long-Context Scenarios': ('kv-quantization', ['kv-compression', 'kv-quantization'], 0),
    'No Token Left Behind: Reliable KV Cache Compression via Importance-Aware Mixed Precision Quantization': ('kv-quantization', ['kv-quantization', 'kv-mixed-precision'], 1),
    'ZipVL: Efficient Large Vision-Language Models with Dynamic Token Sparsification and KV Cache Compression': ('token-reduction', ['visual-token-sparsification', 'kv-quantization'], 1),
    # LLM weight quantization.
    '"Give Me BF16 or Give Me Death"? Accuracy-Performance Trade-Offs in LLM Quantization': ('weight-quantization', ['weight-quantization', 'fp8-weights', 'int4-weights'], 0),
    'AWQ: Activation-aware Weight Quantization for LLM Compression and Acceleration': ('weight-quantization', ['weight-quantization', 'int4-weights'], 1),
    'SmoothQuant+: Accurate and Efficient 4-bit Post-Training WeightQuantization for LLM': ('weight-quantization', ['weight-quantization', 'int4-weights'], 1),
    'ZeroQuant-FP: A Leap Forward in LLMs Post-Training W4A8 Quantization Using Floating-Point Formats': ('weight-quantization', ['weight-quantization', 'fp8-weights'], 1),
    'OstQuant: Refining Large Language Model Quantization with Orthogonal and Scaling Transformations for Better Distribution Fitting': ('weight-quantization', ['weight-quantization', 'kv-quantization'], 1),
    'EfficientQAT: Efficient Quantization-Aware Training for Large Language Models': ('weight-quantization', ['weight-quantization', 'quantization-aware-training'], 2),
    'Tilus: A Virtual Machine for Arbitrary Low-Precision GPGPU Computation in LLM Serving': ('weight-quantization', ['weight-quantization', 'low-bit-kernels'], 2),
    'Decoding Compressed Trust: Scrutinizing the Trustworthiness of Efficient LLMs Under Compression': ('weight-quantization', ['weight-quantization', 'quantization-quality'], 2),
    'Low-Bit Quantization Favors Undertrained LLMs: Scaling Laws for Quantized LLMs with 100T Training Tokens': ('weight-quantization', ['weight-quantization', 'quantization-quality'], 2),
    'Physics of Language Models: Part 3.3, Knowledge Capacity Scaling Laws': ('weight-quantization', ['weight-quantization', 'quantization-quality'], 3),
    'A Survey of Quantization Methods for Efficient Neural Network Inference': ('weight-quantization', ['weight-quantization'], 3),
    # Prefix caching: no paper measures the engines' automatic prefix caching; these reuse a context's precomputed KV.
    'CacheBlend: Fast Large Language Model Serving for RAG with Cached Knowledge Fusion': ('prefix-caching', ['kv-reuse', 'non-prefix-kv-reuse'], 0),
    'CacheGen: Fast Context Loading for Language Model Applications': ('prefix-caching', ['kv-reuse', 'kv-compression'], 1),
    'APE: Faster and Longer Context-Augmented Generation via Adaptive Parallel Encoding': ('context-encoding', ['parallel-context-encoding'], 0),
    # Chunked prefill.
    'SARATHI: Efficient LLM Inference by Piggybacking Decodes with Chunked Prefills': ('chunked-prefill', ['chunked-prefill'], 0),
    'DeepSpeed-FastGen: High-throughput Text Generation for LLMs via MII and DeepSpeed-Inference': ('chunked-prefill', ['chunked-prefill'], 1),
    # Batch size and preemption (max-num-seqs): what happens when the batch outgrows the KV cache.
    'FastSwitch: Optimizing Context Switching Efficiency in Fairness-aware Large Language Model Serving': ('continuous-batching', ['preemption', 'batch-scheduling'], 0),
    'Flover: A Temporal Fusion Framework for Efficient Autoregressive Model Parallel Inference': ('continuous-batching', ['continuous-batching'], 1),
    'The Impact of Hyperparameters on Large Language Model Inference Performance: An Evaluation of vLLM and HuggingFace Pipelines': ('continuous-batching', ['serving-hyperparameters', 'batch-scheduling'], 1),
    'NanoFlow: Towards Optimal Large Language Model Serving Throughput': ('serving-engines', ['intra-device-overlap'], 0),
    'Prepacking: A Simple Method for Fast Prefilling and Increased Throughput in Large Language Models': ('serving-engines', ['padding-free-prefill'], 1),
    'FlexLLM: A System for Co-Serving Large Language Model Inference and Parameter-Efficient Finetuning': ('serving-engines', ['co-serving'], 1),
    # Speculative decoding; the n-gram fix copies drafts from the prompt, as input-guided aggressive decoding does.
    'Lossless Acceleration for Seq2seq Generation with Aggressive Decoding': ('speculative-decoding', ['speculative-decoding', 'prompt-lookup-drafts'], 0),
    'DySpec: Faster Speculative Decoding with Dynamic Token Tree Structure': ('speculative-decoding', ['speculative-decoding'], 1),
    'Hardware-Aware Parallel Prompt Decoding for Memory-Efficient Acceleration of LLM Inference': ('speculative-decoding', ['speculative-decoding'], 1),
    'Chimera: A Lossless Decoding Method for Accelerating Large Language Models Inference by Fusing all Tokens': ('speculative-decoding', ['speculative-decoding'], 1),
    'Parallel Decoding via Hidden Transfer for Lossless Large Language Model Acceleration': ('speculative-decoding', ['speculative-decoding'], 1),
    'Collaborative Decoding Makes Visual Auto-Regressive Modeling Efficient': ('diffusion-serving', ['visual-autoregressive-decoding'], 2),
    # Serving-time tensor and pipeline parallelism (training-only parallelism papers are in training-efficiency).
    'DeepSpeed Inference: Enabling Efficient Inference of Transformer Models at Unprecedented Scale': ('parallelism', ['tensor-parallel-inference', 'offloading'], 0),
    'EnergonAI: An Inference System for 10-100 Billion Parameter Transformer Models': ('parallelism', ['tensor-parallel-inference', 'pipeline-parallel-inference'], 1),
    'Ladder-residual: parallelism-aware architecture for accelerating large model inference with communication overlapping': ('parallelism', ['tensor-parallel-inference', 'tp-communication'], 2),
    'T3: Transparent Tracking & Triggering for Fine-grained Overlap of Compute & Collectives': ('parallelism', ['tp-communication'], 3),
    'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM': ('training-efficiency', ['training-parallelism'], 1),
    'Optimizing Distributed Training on Frontier for Large Language Models': ('training-efficiency', ['training-parallelism'], 1),
    'GPipe: Efficient Training of Giant Neural Networks using Pipeline Parallelism': ('training-efficiency', ['training-parallelism'], 1),
    'Sequence Parallelism: Long Sequence Training from System Perspective': ('training-efficiency', ['training-parallelism'], 1),
    'Data-Centric and Heterogeneity-Adaptive Sequence Parallelism for Efficient LLM Training': ('training-efficiency', ['training-parallelism'], 1),
    'DeepSpeed Ulysses: System Optimizations for Enabling Training of Extreme Long Sequence Transformer Models': ('training-efficiency', ['training-parallelism'], 1),
    'ZeRO: Memory Optimizations Toward Training Trillion Parameter Models': ('training-efficiency', ['training-sharding'], 1),
    'CO2: Efficient Distributed Training with Full Communication-Computation Overlap': ('training-efficiency', ['training-parallelism'], 1),
    'ZeRO-Infinity: Breaking the GPU Memory Wall for Extreme Scale Deep Learning': ('training-efficiency', ['training-offloading'], 0),
    'ZeRO-Offload: Democratizing Billion-Scale Model Training': ('training-efficiency', ['training-offloading'], 1),
    'Adding NVMe SSDs to Enable and Accelerate 100B Model Fine-tuning on a Single GPU': ('training-efficiency', ['training-offloading'], 1),
    'MemAscend: System Memory Optimization for SSD-Offloaded LLM Fine-Tuning': ('training-efficiency', ['training-offloading'], 1),
    'Deep Optimizer States: Towards Scalable Training of Transformer Models Using Interleaved Offloading': ('training-efficiency', ['training-offloading'], 1),
    'LoLDU: Low-Rank Adaptation via Lower-Diag-Upper Decomposition for Parameter-Efficient Fine-Tuning': ('training-efficiency', ['parameter-efficient-fine-tuning'], 2),
    'ScaleLong: Towards More Stable Training of Diffusion Model via Scaling Network Long Skip Connection': ('training-efficiency', ['training-stability'], 2),
    'Efficient Personalization of Quantized Diffusion Model without Backpropagation': ('training-efficiency', ['parameter-efficient-fine-tuning'], 2),
    # Expert parallelism: MoE inference systems; MoE model designs have their own family.
    'DeepSpeed-MoE: Advancing Mixture-of-Experts Inference and Training to Power Next-Generation AI Scale': ('expert-parallelism', ['moe-inference', 'expert-parallel-inference'], 0),
    'Exploiting Inter-Layer Expert Affinity for Accelerating Mixture-of-Experts Model Inference': ('expert-parallelism', ['moe-inference', 'expert-placement'], 1),
    'Tutel: Adaptive Mixture-of-Experts at Scale': ('expert-parallelism', ['moe-inference', 'expert-parallel-inference'], 1),
    'A Survey on Inference Optimization Techniques for Mixture of Experts Models': ('expert-parallelism', ['moe-inference'], 2),
    'Go Wider Instead of Deeper': ('moe-architecture', ['moe-architecture'], 1),
    'Layerwise Recurrent Router for Mixture-of-Experts': ('moe-architecture', ['moe-routing'], 1),
    'MoE++: Accelerating Mixture-of-Experts Methods with Zero-Computation Experts': ('moe-architecture', ['moe-architecture'], 0),
    'EdgeMoE: Fast On-Device Inference of MoE-based Large Language Models': ('on-device', ['on-device-inference', 'moe-expert-offloading'], 1),
    # Context length: how long contexts set the KV size and the concurrency a GPU serves.
    'Challenges in Deploying Long-Context Transformers: A Theoretical Peak Performance Analysis': ('context-length', ['long-context-kv-analysis'], 0),
    # Choosing the GPU and platform for LLM serving.
    'Demystifying Platform Requirements for Diverse LLM Inference Use Cases': ('hardware-choice', ['llm-platform-analysis'], 0),
    'Dissecting the Runtime Performance of the Training, Fine-tuning, and Inference of Large Language Models': ('hardware-choice', ['llm-platform-analysis', 'runtime-benchmark'], 1),
    # Inference offloading (training offloading is in training-efficiency).
    'InstInfer: In-Storage Attention Offloading for Cost-Effective Long-Context LLM Inference': ('offloading', ['inference-offloading', 'kv-offloading'], 0),
    'Superpipeline: A Universal Approach for Reducing GPU Memory Usage in Large Models': ('offloading', ['inference-offloading', 'weight-offloading'], 1),
    'ALISA: Accelerating Large Language Model Inference via Sparsity-Aware KV Caching': ('offloading', ['inference-offloading', 'kv-sparsity'], 1),
    'Efficient and Economic Large Language Model Inference with Attention Offloading': ('offloading', ['inference-offloading', 'attention-offloading'], 1),
    'PowerInfer-2: Fast Large Language Model Inference on a Smartphone': ('on-device', ['on-device-inference'], 1),
    # Misfiled by label: a recommendation model, a retrieval encoder, CTR compression, a CNN design.
    'Actions Speak Louder than Words: Trillion-Parameter Sequential Transducers for Generative Recommendations': ('recommendation', ['generative-recommendation'], 1),
    'Learning Discrete Representations via Constrained Clustering for Effective and Efficient Dense Retrieval': ('encoders', ['retrieval-encoder'], 1),
    'Unified Low-rank Compression Framework for Click-through Rate Prediction': ('recommendation', ['low-rank-compression'], 1),
    'FIT: Far-reaching Interleaved Transformers': ('efficient-attention', ['hierarchical-local-global-attention'], 2),
    'InceptionNeXt: When Inception Meets ConvNeXt': (None, [], 0),
    'HAWQV3: Dyadic Neural Network Quantization': ('cnn-vit-quantization', ['mixed-precision-integer-quantization'], 1),
    'Gradient-Based Post-Training Quantization: Challenging the Status Quo': ('cnn-vit-quantization', ['post-training-quantization'], 1),
    'Improving Post Training Neural Quantization: Layer-wise Calibration and Integer Programming': ('cnn-vit-quantization', ['post-training-quantization'], 1),
    'Augmenting Hessians with Inter-Layer Dependencies for Mixed-Precision Post-Training Quantization': ('cnn-vit-quantization', ['mixed-precision-ptq'], 1),
}

# Catalog labels that are all weight quantization of some kind: such a paper studies the `weight-quantization` topic.
WEIGHT_QUANT_LABELS = {
    'post-training-quantization', 'weight-quantization-4bit', 'weight-quantization-sub4bit', 'weight-quantization-2bit',
    'weight-activation-quantization', 'weight-activation-quantization-w4a4', 'fp8-fp4-quantization', 'quantization-format-selection',
}

# Claims written here where the catalog's first claim is not the one the family's change rests on (FP8 weights, not
# INT8; MoE inference, not training cost) or is a setting, not a result. Numbers are still checked against the abstract.
CLAIMS = {
    '"Give Me BF16 or Give Me Death"? Accuracy-Performance Trade-Offs in LLM Quantization': [
        {'metric': 'accuracy', 'value': 'FP8 weights and activations (W8A8-FP) lossless', 'baseline': 'BF16', 'context': 'all Llama-3.1 model scales'},
        {'metric': 'accuracy-delta', 'value': '1-3% degradation', 'baseline': 'BF16', 'context': 'INT8 W8A8 when properly tuned, Llama-3.1'},
        {'metric': 'accuracy', 'value': 'W4A16-INT competitive with W8A8-INT', 'baseline': None, 'context': 'Llama-3.1 family'},
        {'metric': 'cost', 'value': 'W4A16 best cost-efficiency', 'baseline': None, 'context': 'synchronous deployments, and asynchronous on mid-tier GPUs, vLLM'},
        {'metric': 'throughput', 'value': 'W8A8 formats excel', 'baseline': None, 'context': 'asynchronous continuous-batching deployment of mid/large models on high-end GPUs, vLLM'}],
    'CSKV: Training-Efficient Channel Shrinking for KV Cache in Long-Context Scenarios': [
        {'metric': 'kv-cache-size', 'value': 'up to 95% less KV memory', 'baseline': 'the uncompressed KV cache', 'context': 'low-rank KV combined with quantization'},
        {'metric': 'kv-cache-size', 'value': '80% less KV memory', 'baseline': 'the uncompressed KV cache', 'context': 'low-rank KV alone, long-context capability maintained'}],
    'DeepSpeed Inference: Enabling Efficient Inference of Transformer Models at Unprecedented Scale': [
        {'metric': 'latency', 'value': 'up to 7.3x lower latency', 'baseline': 'the state of the art', 'context': 'multi-GPU inference, latency-oriented scenarios'},
        {'metric': 'throughput', 'value': 'over 1.5x throughput', 'baseline': 'the state of the art', 'context': 'throughput-oriented scenarios'},
        {'metric': 'memory', 'value': '25x larger models', 'baseline': 'GPU-only solutions', 'context': 'heterogeneous CPU+NVMe inference'}],
    'DeepSpeed-MoE: Advancing Mixture-of-Experts Inference and Training to Power Next-Generation AI Scale': [
        {'metric': 'latency', 'value': '7.3x better latency and cost', 'baseline': 'existing MoE inference solutions', 'context': 'DeepSpeed-MoE inference system'},
        {'metric': 'speedup', 'value': 'up to 4.5x faster and 9x cheaper inference', 'baseline': 'quality-equivalent dense models', 'context': 'massive MoE models'},
        {'metric': 'memory', 'value': 'up to 3.7x smaller MoE model size', 'baseline': None, 'context': 'DeepSpeed-MoE architecture designs and model compression'}],
    'Challenges in Deploying Long-Context Transformers: A Theoretical Peak Performance Analysis': [
        {'metric': 'concurrency', 'value': 'the KV cache of 50K-token contexts (against 4K) restricts how many users a GPU serves at once', 'baseline': None,
         'context': '34B model on A100 NVLink'}],
}

seeds = {p.name: p.read_text(errors='replace') for p in (shared / 'seeds').glob('*.txt')}

def abstract(seed_text, title):
    """A seed file lists papers as a title line, a blank line, and the abstract paragraph."""
    lines = seed_text.split('\n')
    for i, line in enumerate(lines):
        if line.strip() == title:
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            para = []
            while j < len(lines) and lines[j].strip():
                para.append(lines[j])
                j += 1
            return '\n'.join(para)
    return None

papers = {}
for cat in ['A', 'B']:
    for line in (shared / f'research/seed-catalog-{cat}.jsonl').read_text().splitlines():
        rec = json.loads(line)
        title = rec['title']
        if title in CURATED:
            fam, topics, rank = CURATED[title]
        else:
            label = rec.get('technique')
            fam, rank = family_of(rec), 1
            topics = [label] + (['weight-quantization'] if label in WEIGHT_QUANT_LABELS and fam == 'weight-quantization' else [])
        if not fam:
            continue
        text = seeds.get(rec['seed'], '')
        ab = abstract(text, title)
        if ab is None:
            continue
        claims = []
        for c in CLAIMS.get(title, rec.get('claims') or []):
            value = str(c.get('value') or '')
            # Keep a claim only when its number appears in the abstract as written (e.g. "2.3x", "77.09%").
            nums = re.findall(r'\d+(?:\.\d+)?', value)
            if value and nums and all(n in ab for n in nums):
                claims.append({k: c.get(k) for k in ['metric', 'value', 'baseline', 'context']})
        if title in papers:
            continue
        papers[title] = {'title': title, 'seed': rec['seed'], 'family': fam, 'topics': topics, 'rank': rank, 'claims': claims}

missing = [t for t, (fam, _, _) in CURATED.items() if fam and t not in papers]
if missing:
    sys.exit(f'curated titles not found in the catalogs and seeds: {missing}')
out = sorted(papers.values(), key=lambda p: (p['family'], p['rank'], -len(p['claims']), p['title']))
for p in out:
    del p['rank']
(root / 'server/src/evidence/papers.json').write_text(json.dumps(out, indent=1, ensure_ascii=False) + '\n')
from collections import Counter
print(len(out), 'papers;', Counter(p['family'] for p in out))
