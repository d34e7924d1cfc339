"""Decode attention time per step against batch × context on one GPU (written for the H200 of the `device` tool; runs
on any CUDA GPU), to check the estimator's ATTENTION_DECODE_EFFICIENCY (server/src/estimator/latency.ts: decode
attention streams the KV cache at that share of the achievable HBM bandwidth).

One query token per sequence, every context slot valid (no mask), bf16 KV cache in [batch, kv_heads, context, dim]
layout (contiguous per sequence; engines page it in blocks of 16–64 tokens, which this does not model). Layouts:
- gqa-32q-8kv-d128: 32 query heads over 8 KV heads of 128 (Llama-3 8B/70B per GPU at TP 1 / TP 8's 8 KV heads);
- mla-<H>q-latent576: DeepSeek-V2/V3 MLA as engines run its decode (weights absorbed): H query heads of 576
  (512 latent + 64 rope) over ONE shared 576-wide latent "KV head", values = the latent's first 512 columns;
  H = 16 (DeepSeek-V3 at TP 8) and 128 (TP 1).
Implementations (the `impl` column):
- sdpa-flash / sdpa-cudnn / sdpa-efficient: torch.nn.functional.scaled_dot_product_attention pinned to one backend,
  the query heads of each KV head packed as the query rows of one attention call (q [B, kv_heads, group, dim],
  no mask) — the packing FlashInfer's and FlashMLA's decode kernels use, so K/V (the latent) are read once;
- sdpa-<backend>-gqa (GQA layout only): the same with q [B, 32, 1, 128] and enable_gqa=True;
  a backend that refuses a layout or head size is skipped for it (logged);
- bmm: a plain two-GEMM implementation — the query heads of each KV head grouped into one small matmul against K,
  fp32 softmax, matmul with V. It reads K and V once for GQA; for MLA it reads the latent twice (scores, then values)
  and writes/reads the B × H × context score matrix, so its time is an upper bound on what a fused MLA kernel
  (FlashMLA, FlashInfer) takes.
kv_bytes is what a fused kernel must read (GQA: K and V; MLA: the 576-wide latent once); kv_gbps = kv_bytes / time.
Timing: CUDA graph replays with events (gpu_timer.py), rotating over several caches when one is small enough to stay
in L2. Correctness: each implementation is checked once per layout at batch 2, context 384 against an fp32
reference (rel_err column). Random data.

Usage: python3 decode_attention.py --out CSV [--budget-s 80] [--dry-run]
"""
import argparse
import math
import sys
import time
import traceback

import torch
import torch.nn.functional as F

from gpu_timer import Timer

BF16 = torch.bfloat16
BATCHES = [1, 4, 16, 64, 256]
CONTEXTS = [1024, 4096, 16384, 65536, 131072]
MAX_KV_BYTES = 20e9          # one cache at most (the H200 holds ~139 GiB; time, not memory, is the limit)
MAX_BMM_SCORES = 512 * 2**20  # the bmm path's B × H × context score elements (fp32 softmax temporaries)
ROTATE_BYTES = 256 * 2**20   # caches rotated per graph when one is small: ≥ 4× the H200's 60 MB L2

# name, query heads, kv heads, qk dim, v dim (MLA: one latent head, v = its first 512 columns)
LAYOUTS = [('gqa-32q-8kv-d128', 32, 8, 128, 128), ('mla-16q-latent576', 16, 1, 576, 512), ('mla-128q-latent576', 128, 1, 576, 512)]
DRY_LAYOUTS = [('gqa-4q-2kv-d16', 4, 2, 16, 16), ('mla-4q-latent24', 4, 1, 24, 16)]


def backends():
    try:
        from torch.nn.attention import SDPBackend, sdpa_kernel  # noqa: PLC0415
    except ImportError:
        return []
    return [(f'sdpa-{n}', sdpa_kernel, getattr(SDPBackend, b)) for n, b in (('flash', 'FLASH_ATTENTION'), ('cudnn', 'CUDNN_ATTENTION'), ('efficient', 'EFFICIENT_ATTENTION')) if hasattr(SDPBackend, b)]


class Cache:
    """One decode step's inputs: q [B, Hq, 1, dk], k [B, Hkv, T, dk], v [B, Hkv, T, dv] (for MLA v is a view of k)."""

    def __init__(self, B, T, hq, hkv, dk, dv, dev):
        self.q = torch.randn(B, hq, 1, dk, device=dev, dtype=BF16)
        self.k = torch.randn(B, hkv, T, dk, device=dev, dtype=BF16)
        self.mla = dk != dv
        self.v = self.k[..., :dv] if self.mla else torch.randn(B, hkv, T, dv, device=dev, dtype=BF16)
        self.scale = 1.0 / math.sqrt(dk)

    def sdpa(self, ctx, backend, gqa):
        B, hq, _, dk = self.q.shape
        hkv = self.k.shape[1]
        if gqa:
            def f():
                with ctx(backend):
                    return F.scaled_dot_product_attention(self.q, self.k, self.v, scale=self.scale, enable_gqa=True)
            return f
        qp = self.q.reshape(B, hkv, hq // hkv, dk)  # head h sits in KV group h // (hq / hkv), as repeat_interleave

        def f():
            with ctx(backend):
                o = F.scaled_dot_product_attention(qp, self.k, self.v, scale=self.scale)
            return o.reshape(B, hq, 1, -1)
        return f

    def bmm(self):
        B, hq, _, dk = self.q.shape
        hkv = self.k.shape[1]
        g = hq // hkv
        qg = self.q.reshape(B, hkv, g, dk)  # the g query heads of one KV head as the rows of one small matmul

        def f():
            s = torch.matmul(qg, self.k.transpose(-1, -2)).float() * self.scale  # [B, hkv, g, T]
            p = torch.softmax(s, dim=-1).to(BF16)
            return torch.matmul(p, self.v).reshape(B, hq, 1, -1)
        return f

    def reference(self):
        hq, hkv = self.q.shape[1], self.k.shape[1]
        k = self.k.float().repeat_interleave(hq // hkv, dim=1)
        v = self.v.float().repeat_interleave(hq // hkv, dim=1)
        p = torch.softmax(self.q.float() @ k.transpose(-1, -2) * self.scale, dim=-1)
        return p @ v


def rel_err(y, ref):
    y = y.float()
    if y.shape != ref.shape or not torch.isfinite(y).all():
        return float('nan')
    return float((y - ref).norm() / ref.norm().clamp_min(1e-30))


def impls(cache):
    out = [(name, cache.sdpa(ctx, be, False)) for name, ctx, be in backends()]
    if not cache.mla:
        out += [(name + '-gqa', cache.sdpa(ctx, be, True)) for name, ctx, be in backends()]
    return out + [('bmm', cache.bmm())]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--budget-s', type=float, default=80.0, help='stop starting new points after this many seconds')
    ap.add_argument('--dry-run', action='store_true', help='tiny sizes on any device, to exercise the code')
    args = ap.parse_args()
    t0 = time.time()
    deadline = t0 + args.budget_s
    dev = 'cuda' if torch.cuda.is_available() else 'cpu'
    if dev == 'cpu' and not args.dry_run:
        sys.exit('no CUDA device (use --dry-run to exercise the code on a CPU)')
    torch.manual_seed(0)
    print(torch.__version__, torch.cuda.get_device_name() if dev == 'cuda' else 'cpu', flush=True)
    layouts, batches, contexts = (DRY_LAYOUTS, [1, 3], [64, 256]) if args.dry_run else (LAYOUTS, BATCHES, CONTEXTS)
    timer = Timer(dev, target_ms=1.0 if args.dry_run else 8.0, reps=3 if args.dry_run else 7)
    out = open(args.out, 'w')
    out.write('layout,impl,q_heads,kv_heads,qk_dim,v_dim,batch,context,us,kv_bytes,kv_gbps,copies,timing,rel_err\n')
    best = {}
    failed = False
    for name, hq, hkv, dk, dv in layouts:
        # Correctness once per layout; an implementation that errors or is wrong is dropped for the layout.
        chk = Cache(2, 384 if not args.dry_run else 48, hq, hkv, dk, dv, dev)
        ref = chk.reference()
        errs = {}
        for iname, f in impls(chk):
            try:
                errs[iname] = rel_err(f(), ref)
            except Exception as e:  # noqa: BLE001 — e.g. a backend without this head size or GQA
                print(f'{name}: {iname} unsupported: {repr(e)[:160]}', flush=True)
                continue
            ok = errs[iname] < 2e-2
            print(f'{name}: {iname} check rel_err {errs[iname]:.2e}{"" if ok else " — WRONG, dropped"}', flush=True)
            if not ok:
                del errs[iname]
        del chk, ref
        kv_per_token = hkv * (dk if dk != dv else dk + dv) * 2  # MLA: the latent once
        for B in batches:
            for T in contexts:
                kv_bytes = B * T * kv_per_token
                if kv_bytes > MAX_KV_BYTES:
                    continue
                if time.time() > deadline:
                    print(f'out of time: {name} B={B} T={T} and later points skipped', flush=True)
                    break
                copies = 1 if args.dry_run else max(1, min(64, math.ceil(ROTATE_BYTES / kv_bytes)))
                try:
                    caches = [Cache(B, T, hq, hkv, dk, dv, dev) for _ in range(copies)]
                except torch.OutOfMemoryError:
                    print(f'{name} B={B} T={T}: OOM allocating the cache', flush=True)
                    continue
                for iname in list(errs):
                    if iname == 'bmm' and B * hq * T > MAX_BMM_SCORES:
                        continue
                    try:
                        fns = [dict(impls(c))[iname] for c in caches]
                        us, how = timer.per_call_us(fns)
                    except Exception as e:  # noqa: BLE001
                        print(f'{name} B={B} T={T} {iname} failed: {repr(e)[:160]}', flush=True)
                        continue
                    gbs = kv_bytes / us / 1e3
                    key = (name, B, T)
                    if gbs > best.get(key, (0, ''))[0]:
                        best[key] = (gbs, iname)
                    out.write(f'{name},{iname},{hq},{hkv},{dk},{dv},{B},{T},{us:.3f},{kv_bytes},{gbs:.1f},{copies},{how},{errs[iname]:.2e}\n')
                    out.flush()
                    print(f'{name:20s} {iname:15s} B={B:4d} T={T:7d} {us:10.1f} us {gbs:7.0f} GB/s', flush=True)
                del caches
                if dev == 'cuda':
                    torch.cuda.empty_cache()
            else:
                continue
            break
    out.close()
    if not best:
        failed = True
    # The best implementation's bandwidth at the largest cache of each layout: the figure the estimator's decode term uses.
    heads = []
    for name, *_ in layouts:
        pts = [(k, v) for k, v in best.items() if k[0] == name]
        if pts:
            (_, B, T), (gbs, iname) = max(pts, key=lambda kv: kv[0][1] * kv[0][2])
            heads.append(f'{name} B{B}×{T} {gbs:.0f} GB/s ({iname})')
    print(f'SUMMARY decode attention: {"; ".join(heads) or "no points"}; done in {time.time() - t0:.0f} s', flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        sys.exit(1)
