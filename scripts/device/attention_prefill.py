"""Time causal attention of one prefill on the GPU of the `device` tool (first run: H100; the H200 run goes through
h200_suite.sh, which names the CSV attention-prefill-h200.csv), to calibrate the estimator's
attention-prefill efficiency (achieved FLOP/s of the QK^T and PV products, causal half counted).

torch scaled_dot_product_attention, bf16, batch 1, GQA (32 query / 8 KV heads, head_dim 128: the Llama-3 8B/70B
shape; and 64 / 8 heads of 128: Qwen3-32B), prompt lengths 1k–32k, per backend (FlashAttention-2, cuDNN fused
attention, memory-efficient). CUDA events around 20 calls after warm-up, median of 5 repeats.

Usage: python3 attention_prefill.py OUT_CSV
"""
import sys
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

BF16 = torch.bfloat16
SHAPES = [('llama-gqa-32q-8kv-d128', 32, 8, 128), ('qwen3-32b-64q-8kv-d128', 64, 8, 128)]
LENGTHS = [1024, 2048, 4096, 8192, 16384, 32768]
BACKENDS = [('flash', SDPBackend.FLASH_ATTENTION), ('cudnn', SDPBackend.CUDNN_ATTENTION), ('efficient', SDPBackend.EFFICIENT_ATTENTION)]


def time_us(fn, inner=20, reps=5):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    out = []
    for _ in range(reps):
        a = torch.cuda.Event(enable_timing=True)
        b = torch.cuda.Event(enable_timing=True)
        a.record()
        for _ in range(inner):
            fn()
        b.record()
        b.synchronize()
        out.append(a.elapsed_time(b) / inner * 1e3)
    out.sort()
    return out[len(out) // 2]


def main():
    f = open(sys.argv[1], 'w')
    f.write('shape,q_heads,kv_heads,head_dim,tokens,backend,us,causal_tflops\n')
    for name, hq, hkv, d in SHAPES:
        for T in LENGTHS:
            q = torch.randn(1, hq, T, d, device='cuda', dtype=BF16)
            k = torch.randn(1, hkv, T, d, device='cuda', dtype=BF16)
            v = torch.randn(1, hkv, T, d, device='cuda', dtype=BF16)
            # The KV heads repeated to the query heads: not every backend takes enable_gqa.
            kr = k.repeat_interleave(hq // hkv, dim=1)
            vr = v.repeat_interleave(hq // hkv, dim=1)
            flops = 2 * 2 * hq * d * T * T / 2  # QK^T and PV, causal half
            for bname, backend in BACKENDS:
                try:
                    with sdpa_kernel(backend):
                        us = time_us(lambda: F.scaled_dot_product_attention(q, kr, vr, is_causal=True))
                except Exception as e:  # noqa: BLE001 — a backend may not support the shape
                    print(name, T, bname, 'failed:', repr(e)[:160], flush=True)
                    continue
                tf = flops / us / 1e6
                f.write(f'{name},{hq},{hkv},{d},{T},{bname},{us:.1f},{tf:.1f}\n')
                f.flush()
                print(f'{name:26s} T={T:6d} {bname:9s} {us:10.1f} us {tf:7.1f} TFLOP/s', flush=True)
    f.close()


if __name__ == '__main__':
    print(torch.__version__, torch.cuda.get_device_name(), flush=True)
    main()
