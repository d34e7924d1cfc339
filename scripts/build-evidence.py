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
        fam = family_of(rec)
        if not fam:
            continue
        text = seeds.get(rec['seed'], '')
        ab = abstract(text, rec['title'])
        if ab is None:
            continue
        claims = []
        for c in rec.get('claims') or []:
            value = str(c.get('value') or '')
            # Keep a claim only when its number appears in the abstract as written (e.g. "2.3x", "77.09%").
            nums = re.findall(r'\d+(?:\.\d+)?', value)
            if value and nums and all(n in ab for n in nums):
                claims.append({k: c.get(k) for k in ['metric', 'value', 'baseline', 'context']})
        key = rec['title']
        if key in papers:
            continue
        papers[key] = {'title': rec['title'], 'seed': rec['seed'], 'family': fam, 'claims': claims}

out = sorted(papers.values(), key=lambda p: (p['family'], -len(p['claims']), p['title']))
(root / 'server/src/evidence/papers.json').write_text(json.dumps(out, indent=1, ensure_ascii=False) + '\n')
from collections import Counter
print(len(out), 'papers;', Counter(p['family'] for p in out))
