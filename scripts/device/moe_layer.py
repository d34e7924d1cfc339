"""Time one MoE layer as engines run it, on the GPU of the `device` tool (first run: H100; the H200 run goes through
h200_suite.sh, which names the CSVs moe-layer-h200.csv and moe-experts-fp8-h200.csv), to check the estimator's MoE model.

Per layer (bf16, random weights, uniform random routing): router GEMM, softmax + top-k, sort the token×expert pairs
by expert, gather, grouped GEMM gate_up (torch._grouped_mm, CUTLASS), SiLU·up, grouped GEMM down, weight by the
router and scatter-add back — the kernel structure of vLLM's fused_moe (align/sort, two grouped GEMMs, sum), captured
in a CUDA graph so no launch gaps count. Also times the two grouped GEMMs alone (the expert weight streaming) and a
dense GEMM of one expert's size for comparison.

With `fp8` as the second argument it times the expert GEMMs with e4m3 weights and activations instead
(torch._scaled_grouped_mm, row-wise scales, as FP8 MoE checkpoints run on Hopper).

Usage: python3 moe_layer.py OUT_CSV [fp8]
"""
import sys, time
import torch
import torch.nn.functional as F

BF16 = torch.bfloat16
dev = 'cuda'

# name, hidden, expert intermediate, experts, top-k (published config.json values)
SHAPES = [
    ('Qwen3-30B-A3B', 2048, 768, 128, 8),
    ('DeepSeek-V2-Lite', 2048, 1408, 64, 6),
    ('Mixtral-8x7B', 4096, 14336, 8, 2),
    ('DeepSeek-V3', 7168, 2048, 256, 8),
    ('gpt-oss-120b-bf16', 2880, 2880, 128, 4),
]
TOKENS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]


def graph_time(fn, reps=20, inner=10):
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        for _ in range(inner):
            fn()
    g.replay()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        a = torch.cuda.Event(enable_timing=True)
        b = torch.cuda.Event(enable_timing=True)
        a.record()
        g.replay()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b) / inner)
    times.sort()
    return times[len(times) // 2] * 1e3  # µs


def random_routing(E, K, M):
    """Uniform random top-k distinct experts for each of M tokens (seeded by M): flat expert ids, per-expert counts,
    cumulative offsets as grouped GEMMs take them, and how many experts were touched."""
    gen = torch.Generator(device=dev)
    gen.manual_seed(M)
    ids = torch.stack([torch.randperm(E, device=dev, generator=gen)[:K] for _ in range(min(M, 4096))])
    if ids.shape[0] < M:
        ids = ids.repeat((M + ids.shape[0] - 1) // ids.shape[0], 1)[:M]
    flat = ids.reshape(-1)
    counts = torch.bincount(flat, minlength=E)
    return flat, counts, torch.cumsum(counts, 0).to(torch.int32), int((counts > 0).sum())


FP8 = torch.float8_e4m3fn


def fp8_main(path):
    """Expert GEMMs only, e4m3 weights and activations with row-wise fp32 scales (DeepSeek-V3 FP8, Qwen3 FP8 shapes)."""
    out = open(path, 'w')
    out.write('shape,hidden,inter,experts,topk,tokens,what,us,touched_experts,expert_bytes_streamed\n')
    for name, H, I, E, K in SHAPES:
        w_gu = (torch.randn(E, 2 * I, H, device=dev, dtype=BF16) * 0.02).to(FP8)
        w_d = (torch.randn(E, H, I, device=dev, dtype=BF16) * 0.02).to(FP8)
        s_gu = torch.ones(E, 2 * I, device=dev, dtype=torch.float32)
        s_d = torch.ones(E, H, device=dev, dtype=torch.float32)
        for M in TOKENS:
            if M * K * max(H, 2 * I) > 6 * 2**30:
                continue
            _, _, offs, touched = random_routing(E, K, M)
            xs = (torch.randn(M * K, H, device=dev, dtype=BF16)).to(FP8)
            sa = torch.ones(M * K, device=dev, dtype=torch.float32)

            def experts_fp8():
                h = torch._scaled_grouped_mm(xs, w_gu.transpose(-2, -1), sa, s_gu, offs=offs, out_dtype=BF16)
                a = (F.silu(h[:, :I]) * h[:, I:]).to(FP8)
                return torch._scaled_grouped_mm(a, w_d.transpose(-2, -1), sa, s_d, offs=offs, out_dtype=BF16)

            try:
                us = graph_time(experts_fp8)
            except Exception as e:  # noqa: BLE001
                print(name, M, 'fp8 failed:', repr(e)[:300], flush=True)
                break
            streamed = touched * 3 * H * I
            out.write(f'{name},{H},{I},{E},{K},{M},experts_gemm_fp8,{us:.2f},{touched},{streamed}\n')
            out.flush()
            print(f'{name:18s} M={M:5d} fp8 experts {us:9.1f} us  {streamed / us / 1e3:7.0f} GB/s  {2 * M * K * 3 * H * I / us / 1e6:7.0f} TFLOP/s', flush=True)
        del w_gu, w_d
        torch.cuda.empty_cache()
    out.close()


def main():
    if len(sys.argv) > 2 and sys.argv[2] == 'fp8':
        return fp8_main(sys.argv[1])
    out = open(sys.argv[1], 'w')
    out.write('shape,hidden,inter,experts,topk,tokens,what,us,touched_experts,expert_bytes_streamed\n')
    for name, H, I, E, K in SHAPES:
        try:
            w_gu = (torch.randn(E, 2 * I, H, device=dev, dtype=BF16) * 0.02)
            w_d = (torch.randn(E, H, I, device=dev, dtype=BF16) * 0.02)
            w_r = torch.randn(E, H, device=dev, dtype=BF16) * 0.02
        except torch.OutOfMemoryError:
            print('OOM allocating', name, flush=True)
            continue
        gu_t = w_gu.transpose(-2, -1)  # [E, H, 2I] column-major view, as grouped_mm wants
        d_t = w_d.transpose(-2, -1)    # [E, I, H]
        for M in TOKENS:
            if M * K * max(H, 2 * I) * 2 > 6 * 2**30:
                continue
            x = torch.randn(M, H, device=dev, dtype=BF16)
            out_buf = torch.zeros(M, H, device=dev, dtype=BF16)
            # Fixed routing for the grouped-GEMM-only timing.
            flat, _, offs, touched = random_routing(E, K, M)
            order = torch.argsort(flat)
            xs = x[order // K].contiguous()

            def experts_only():
                h = torch._grouped_mm(xs, gu_t, offs=offs)
                a = F.silu(h[:, :I]) * h[:, I:]
                return torch._grouped_mm(a, d_t, offs=offs)

            def full_layer():
                logits = x @ w_r.t()
                p = torch.softmax(logits.float(), dim=-1)
                topw, topi = torch.topk(p, K, dim=-1)
                f = topi.reshape(-1)
                o = torch.argsort(f)
                # scatter_add, not bincount: bincount sizes its output on the host, which a CUDA graph cannot capture.
                c = torch.zeros(E, dtype=torch.int64, device=dev).scatter_add_(0, f, torch.ones_like(f))
                of = torch.cumsum(c, 0).to(torch.int32)
                src = o // K
                h = torch._grouped_mm(x[src], gu_t, offs=of)
                a = F.silu(h[:, :I]) * h[:, I:]
                y = torch._grouped_mm(a, d_t, offs=of)
                y = y * topw.reshape(-1)[o].unsqueeze(1).to(BF16)
                out_buf.zero_()
                out_buf.index_add_(0, src, y)
                return out_buf

            streamed = touched * 3 * H * I * 2
            for what, fn in (('experts_gemm', experts_only), ('moe_layer', full_layer)):
                try:
                    us = graph_time(fn)
                except Exception as e:  # noqa: BLE001 — report and go on
                    print(name, M, what, 'failed:', repr(e)[:200], flush=True)
                    continue
                out.write(f'{name},{H},{I},{E},{K},{M},{what},{us:.2f},{touched},{streamed}\n')
                out.flush()
                print(f'{name:18s} M={M:5d} {what:13s} {us:9.1f} us  touched {touched:3d}  {streamed / us / 1e3:7.0f} GB/s', flush=True)
        del w_gu, w_d, w_r, gu_t, d_t
        torch.cuda.empty_cache()
    # A dense GEMM the size of one Qwen3-30B-A3B expert's gate_up and of Llama-8B's gate_up, for the same timer.
    for (n, k) in ((1536, 2048), (28672, 4096)):
        w = torch.randn(n, k, device=dev, dtype=BF16)
        for M in (1, 16, 128):
            x = torch.randn(M, k, device=dev, dtype=BF16)
            us = graph_time(lambda: F.linear(x, w))
            out.write(f'dense-{n}x{k},{k},{n},1,1,{M},dense_gemm,{us:.2f},1,{n * k * 2}\n')
            print(f'dense {n}x{k} M={M} {us:.1f} us', flush=True)
    out.close()


if __name__ == '__main__':
    t0 = time.time()
    print(torch.__version__, torch.cuda.get_device_name(), flush=True)
    main()
    print(f'done in {time.time() - t0:.0f} s', flush=True)
