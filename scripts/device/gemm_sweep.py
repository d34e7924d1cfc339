"""Dense GEMM rates across M, HBM bandwidth and power-capped sustained GEMM rates on one GPU (written for the H200 of
the `device` tool; runs on any CUDA GPU, e.g. the H100 the first calibration used). What it feeds in
server/src/estimator/latency.ts: HBM_EFFICIENCY (copy / read bandwidth against the datasheet), STREAM_SCALE and
STREAM_HALF_BYTES (how well a GEMM streams its weights at small M, by weight size), COMPUTE_EFFICIENCY (sustained
tensor-core rate of large GEMMs under the power cap, bf16 and fp8).

GEMM sweep: y[M, N] = x[M, K] · Wᵀ for weight shapes the estimator streams (Llama-3 8B/70B projections, a
DeepSeek-V3 expert, the Llama-3 LM head), M = 1…8192. bf16 through F.linear (cuBLAS); fp8 e4m3 through
torch._scaled_mm with per-tensor fp32 scales (amax / 448) and bf16 output, with and without use_fast_accum (vLLM's
Hopper FP8 CUTLASS kernels use fast accumulation). Random data (never zeros). Timing: back-to-back calls captured in a
CUDA graph and replayed, CUDA events around each replay, median of the replays; the calls rotate over enough weight
copies (≥ 512 MB together) that no weight is still in L2 when it is read again, as in a model forward where each
layer's weights are read once. Activations stay small and L2-resident, as in a real forward. Correctness: each
(shape, dtype) is checked once at M = 16 against an fp32 product of the same (dequantized) inputs (rel_err column).

Bandwidth: device-to-device copy (bytes read + written), read (sum) and write (fill_) of 4 GiB; a copy-size sweep
1 MiB…1 GiB, rotated over buffers, under a CUDA graph. Sustained: 8192³ GEMMs (bf16, fp8, fp8 fast-accum) and the
4 GiB copy run back to back for a few seconds while NVML samples SM clock and power (drops the first quarter).

Usage: python3 gemm_sweep.py --out GEMM_CSV --machine-out MACHINE_CSV [--budget-s 140] [--dry-run]
  --dry-run: tiny sizes, any device (CPU too), to exercise the code paths; its numbers mean nothing.
"""
import argparse
import math
import sys
import threading
import time
import traceback

import torch
import torch.nn.functional as F

from gpu_timer import Timer

BF16 = torch.bfloat16
FP8 = getattr(torch, 'float8_e4m3fn', None)
E4M3_MAX = 448.0

# label, N (output features), K (input features): the weight is [N, K], y[M, N] = x[M, K] · Wᵀ (published configs).
SHAPES = [
    ('llama3-8b-q_o-4096x4096', 4096, 4096),
    ('llama3-8b-up-14336x4096', 14336, 4096),
    ('llama3-8b-down-4096x14336', 4096, 14336),
    ('llama3-70b-down-8192x28672', 8192, 28672),
    ('llama3-70b-up-28672x8192', 28672, 8192),
    ('dsv3-expert-down-7168x2048', 7168, 2048),
    ('dsv3-expert-gate-2048x7168', 2048, 7168),
    ('llama3-lm_head-128256x4096', 128256, 4096),
]
MS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]
DTYPES = ['bf16', 'fp8', 'fp8_fastaccum']
ROTATE_BYTES = 512 * 2**20  # weights rotated per graph: ≥ 8× the H200's 60 MB L2

DRY_SHAPES = [('dry-64x48', 64, 48), ('dry-32x80', 32, 80)]
DRY_MS = [1, 4, 16]


def nbytes(t):
    return t.numel() * t.element_size()


def rel_err(y, ref):
    y = y.float()
    if not torch.isfinite(y).all():
        return float('nan')
    return float((y - ref).norm() / ref.norm().clamp_min(1e-30))


def quant_fp8(t):
    """e4m3 with a per-tensor fp32 scale (amax / 448), as FP8 checkpoints' per-tensor scales are."""
    scale = (t.abs().amax().float() / E4M3_MAX).clamp_min(1e-12)
    return (t.float() / scale).to(FP8), scale.reshape(())


def gemm_fn(dtype, x, w, xs=None, ws=None):
    if dtype == 'bf16':
        return lambda: F.linear(x, w)
    fast = dtype == 'fp8_fastaccum'
    return lambda: torch._scaled_mm(x, w.t(), scale_a=xs, scale_b=ws, out_dtype=BF16, use_fast_accum=fast)


def sweep(args, dev, out, deadline):
    shapes, ms = (DRY_SHAPES, DRY_MS) if args.dry_run else (SHAPES, MS)
    out.write('shape,dtype,n,k,m,m_run,us,tflops,gbps,weight_bytes,copies,timing,rel_err\n')
    timer = Timer(dev, target_ms=1.0 if args.dry_run else 8.0, reps=3 if args.dry_run else 7)
    best = {}
    for label, N, K in shapes:
        if time.time() > deadline:
            print(f'out of time: {label} and later shapes skipped', flush=True)
            break
        w16 = torch.randn(N, K, device=dev, dtype=BF16) * 0.05
        for dtype in DTYPES:
            if dtype != 'bf16' and FP8 is None:
                print('fp8 skipped: this torch has no float8_e4m3fn', flush=True)
                continue
            esize = 2 if dtype == 'bf16' else 1
            wbytes = N * K * esize
            copies = 1 if args.dry_run else max(1, min(32, math.ceil(ROTATE_BYTES / wbytes)))
            try:
                if dtype == 'bf16':
                    ws = [w16] + [torch.randn(N, K, device=dev, dtype=BF16) * 0.05 for _ in range(copies - 1)]
                    wscale = [None] * copies
                else:
                    q = [quant_fp8(w16)] + [quant_fp8(torch.randn(N, K, device=dev, dtype=BF16) * 0.05) for _ in range(copies - 1)]
                    ws, wscale = [a for a, _ in q], [b for _, b in q]
                    del q
            except torch.OutOfMemoryError:
                print(label, dtype, 'OOM allocating weights', flush=True)
                continue
            err = float('nan')
            for M in ms:
                if time.time() > deadline:
                    break
                x16 = torch.randn(M, K, device=dev, dtype=BF16)
                m_run = M
                try:
                    if dtype == 'bf16':
                        x, xs = x16, None
                    else:
                        x, xs = quant_fp8(x16)
                    fns = [gemm_fn(dtype, x, ws[i], xs, wscale[i]) for i in range(copies)]
                    try:
                        y = fns[0]()
                    except RuntimeError as e:
                        # Some torch/cuBLASLt versions want M % 16 == 0 for fp8: pad as an engine would.
                        m_run = ((M + 15) // 16) * 16
                        print(f'  {label} {dtype} M={M}: padded to {m_run} ({str(e)[:80]})', flush=True)
                        x, xs = quant_fp8(torch.randn(m_run, K, device=dev, dtype=BF16))
                        fns = [gemm_fn(dtype, x, ws[i], xs, wscale[i]) for i in range(copies)]
                        y = fns[0]()
                    if M <= 256 or math.isnan(err):  # checked at every small M; larger M keep M = 256's figure
                        ref = (x.float() * (xs if xs is not None else 1.0)) @ (ws[0].float() * (wscale[0] if wscale[0] is not None else 1.0)).t()
                        err = rel_err(y, ref)
                        del ref
                    del y
                    us, how = timer.per_call_us(fns)
                except Exception as e:  # noqa: BLE001 — e.g. no fp8 GEMM on this GPU / torch
                    print(f'  {label} {dtype} M={M} failed: {repr(e)[:200]}', flush=True)
                    if dtype != 'bf16':
                        break
                    continue
                flops = 2 * M * N * K
                moved = wbytes + M * K * esize + M * N * 2
                tf, gbs = flops / us / 1e6, moved / us / 1e3
                best[dtype] = max(best.get(dtype, 0.0), tf)
                out.write(f'{label},{dtype},{N},{K},{M},{m_run},{us:.3f},{tf:.2f},{gbs:.1f},{wbytes},{copies},{how},{err:.2e}\n')
                out.flush()
                print(f'{label:28s} {dtype:13s} M={M:5d} {us:10.2f} us {tf:8.1f} TFLOP/s {gbs:7.0f} GB/s  err {err:.1e}', flush=True)
                del x, fns
            del ws, wscale
            if dev == 'cuda':
                torch.cuda.empty_cache()
        del w16
    return best


class Nvml:
    """SM clock, memory clock, power and temperature from NVML, when pynvml is there (it is on the device image)."""

    def __init__(self):
        try:
            import pynvml  # noqa: PLC0415
            pynvml.nvmlInit()
            self.n, self.h = pynvml, pynvml.nvmlDeviceGetHandleByIndex(torch.cuda.current_device())
        except Exception as e:  # noqa: BLE001
            print('NVML unavailable:', repr(e)[:120], flush=True)
            self.n = None

    def sample(self):
        n, h = self.n, self.h
        return (n.nvmlDeviceGetClockInfo(h, n.NVML_CLOCK_SM), n.nvmlDeviceGetClockInfo(h, n.NVML_CLOCK_MEM),
                n.nvmlDeviceGetPowerUsage(h) / 1000.0, n.nvmlDeviceGetTemperature(h, n.NVML_TEMPERATURE_GPU))

    def facts(self):
        if not self.n:
            return []
        n, h = self.n, self.h
        out = []
        for what, fn, unit in (('power_limit', lambda: n.nvmlDeviceGetEnforcedPowerLimit(h) / 1000.0, 'W'),
                               ('max_sm_clock', lambda: n.nvmlDeviceGetMaxClockInfo(h, n.NVML_CLOCK_SM), 'MHz'),
                               ('max_mem_clock', lambda: n.nvmlDeviceGetMaxClockInfo(h, n.NVML_CLOCK_MEM), 'MHz'),
                               ('idle_sm_clock', lambda: n.nvmlDeviceGetClockInfo(h, n.NVML_CLOCK_SM), 'MHz'),
                               ('idle_power', lambda: n.nvmlDeviceGetPowerUsage(h) / 1000.0, 'W')):
            try:
                out.append((what, fn(), unit))
            except Exception as e:  # noqa: BLE001
                print('NVML', what, 'failed:', repr(e)[:80], flush=True)
        return out


class MachineRows:
    """Rows what,dtype,bytes,value,unit,reps,notes of the machine CSV, and the headline figures for the summary."""

    def __init__(self, out):
        self.out, self.head = out, {}

    def __call__(self, what, dtype, nbytes, value, unit, reps, notes=''):
        if what in ('hbm_copy', 'hbm_read', 'sustained_gemm_8192cube', 'sustained_hbm_copy'):
            self.head[f'{what}[{dtype}]'] = f'{value:.0f} {unit}'
        self.out.write(f'{what},{dtype},{nbytes},{value:.6g},{unit},{reps},"{notes}"\n')
        self.out.flush()
        print(f'{what:34s} {dtype:14s} {value:12.4g} {unit:8s} {notes}', flush=True)


def bandwidth(args, dev, row):
    """Copy, read and write of 4 GiB, and a copy-size sweep."""
    sync = torch.cuda.synchronize if dev == 'cuda' else (lambda: None)
    timer = Timer(dev, target_ms=1.0 if args.dry_run else 20.0, reps=3 if args.dry_run else 10)
    big = (2**20 if args.dry_run else 4 * 2**30) // 2  # 4 GiB of bf16
    src = torch.randn(big, device=dev, dtype=BF16)
    dst = torch.empty_like(src)
    us, how = timer.per_call_us([lambda: dst.copy_(src)])
    row('hbm_copy', 'bf16', nbytes(src), 2 * nbytes(src) / us / 1e3, 'GB/s', timer.reps, f'dst.copy_(src) of {nbytes(src) >> 20} MiB; bytes read + written; {us:.1f} us; {how}')
    us, how = timer.per_call_us([lambda: src.sum(dtype=torch.float32)])
    row('hbm_read', 'bf16', nbytes(src), nbytes(src) / us / 1e3, 'GB/s', timer.reps, f'src.sum() of {nbytes(src) >> 20} MiB; {us:.1f} us; {how}')
    us, how = timer.per_call_us([lambda: dst.fill_(1.0)])
    row('hbm_write', 'bf16', nbytes(dst), nbytes(dst) / us / 1e3, 'GB/s', timer.reps, f'dst.fill_() of {nbytes(dst) >> 20} MiB; {us:.1f} us; {how}')
    del src, dst
    if dev == 'cuda':
        torch.cuda.empty_cache()
    # Copy size sweep: the launch- and tail-bound regime small weights stream in.
    for mib in ([1] if args.dry_run else [1, 4, 16, 64, 256, 1024]):
        n = mib * 2**20 // 2
        copies = 1 if args.dry_run else max(1, min(256, (1024 if mib >= 64 else 512) // mib))
        bufs = [(torch.randn(n, device=dev, dtype=BF16), torch.empty(n, device=dev, dtype=BF16)) for _ in range(copies)]
        us, how = timer.per_call_us([lambda s=s, d=d: d.copy_(s) for s, d in bufs])
        row('hbm_copy_size_sweep', 'bf16', n * 2, 2 * n * 2 / us / 1e3, 'GB/s', timer.reps, f'{mib} MiB copy rotated over {copies} buffers; {us:.2f} us per copy; {how}')
        del bufs
    if dev == 'cuda':
        torch.cuda.empty_cache()


def sustained(args, dev, row, nvml, seconds, deadline):
    """Long back-to-back runs: the rate the power cap allows (the estimator's COMPUTE_EFFICIENCY basis)."""
    sync = torch.cuda.synchronize if dev == 'cuda' else (lambda: None)
    big = (2**20 if args.dry_run else 4 * 2**30) // 2
    S = 256 if args.dry_run else 8192
    A = torch.randn(S, S, device=dev, dtype=BF16)
    B = torch.randn(S, S, device=dev, dtype=BF16)
    runs = [('sustained_gemm_8192cube', 'bf16', lambda: A @ B, 2 * S**3, 'TFLOP/s', 1e12)]
    if FP8 is not None:
        A8, sa = quant_fp8(A)
        B8, sb = quant_fp8(B.t().contiguous())  # B8.t() is column-major, as _scaled_mm wants its second operand
        for dtype, fast in (('fp8', False), ('fp8_fastaccum', True)):
            f = lambda fast=fast: torch._scaled_mm(A8, B8.t(), scale_a=sa, scale_b=sb, out_dtype=BF16, use_fast_accum=fast)
            try:
                f()
                runs.append(('sustained_gemm_8192cube', dtype, f, 2 * S**3, 'TFLOP/s', 1e12))
            except Exception as e:  # noqa: BLE001
                print('sustained', dtype, 'skipped:', repr(e)[:160], flush=True)
    src = torch.randn(big, device=dev, dtype=BF16)
    dst = torch.empty_like(src)
    runs.append(('sustained_hbm_copy', 'bf16', lambda: dst.copy_(src), 2 * nbytes(src), 'GB/s', 1e9))
    for what, dtype, fn, work, unit, scale in runs:
        if time.time() > deadline:
            print('out of time:', what, dtype, 'skipped', flush=True)
            continue
        for _ in range(3):
            fn()
        sync()
        samples, stop = [], [False]

        def sampler():
            while not stop[0]:
                try:
                    samples.append(nvml.sample())
                except Exception:  # noqa: BLE001
                    return
                time.sleep(0.05)
        th = threading.Thread(target=sampler) if nvml.n else None
        if th:
            th.start()
        n, t0 = 0, time.perf_counter()
        if dev == 'cuda':
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record()
        while time.perf_counter() - t0 < seconds:
            for _ in range(20):
                fn()
            n += 20
            sync()
        if dev == 'cuda':
            b.record()
            b.synchronize()
            ms = a.elapsed_time(b) / n
        else:
            ms = (time.perf_counter() - t0) * 1e3 / n
        stop[0] = True
        if th:
            th.join()
        tail = samples[len(samples) // 4:]
        note = f'{n} calls over {seconds:.1f} s'
        if tail:
            med = lambda xs: sorted(xs)[len(xs) // 2]
            clk, pw = med([x[0] for x in tail]), med([x[2] for x in tail])
            note += f'; NVML SM clock median {clk} MHz (min {min(x[0] for x in tail)}, max {max(x[0] for x in tail)}), mem clock {tail[0][1]} MHz, power median {pw:.0f} W, max temp {max(x[3] for x in samples)} C ({len(tail)} samples, first quarter dropped)'
        row(what, dtype, work if unit == 'GB/s' else 0, work / (ms * 1e-3) / scale, unit, n, note)
        if tail:
            row('sm_clock_' + what, dtype, 0, clk, 'MHz', len(tail), f'median NVML SM clock; power median {pw:.0f} W')
    del runs, A, B, src, dst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True, help='GEMM sweep CSV')
    ap.add_argument('--machine-out', required=True, help='bandwidth and sustained-rate CSV')
    ap.add_argument('--budget-s', type=float, default=140.0, help='stop starting new measurements after this many seconds')
    ap.add_argument('--sustain-s', type=float, default=3.0, help='seconds of each sustained run')
    ap.add_argument('--dry-run', action='store_true', help='tiny sizes on any device, to exercise the code')
    args = ap.parse_args()
    t0 = time.time()
    dev = 'cuda' if torch.cuda.is_available() else 'cpu'
    if dev == 'cpu' and not args.dry_run:
        sys.exit('no CUDA device (use --dry-run to exercise the code on a CPU)')
    torch.manual_seed(0)
    name = torch.cuda.get_device_name() if dev == 'cuda' else 'cpu'
    print(torch.__version__, name, flush=True)
    nvml = Nvml() if dev == 'cuda' else type('NoNvml', (), {'n': None, 'facts': lambda self: []})()
    mach = open(args.machine_out, 'w')
    mach.write('what,dtype,bytes,value,unit,reps,notes\n')
    if dev == 'cuda':
        p = torch.cuda.get_device_properties(0)
        for what, v, unit in (('sm_count', p.multi_processor_count, 'SMs'), ('total_memory', p.total_memory, 'bytes'),
                              ('l2_cache', getattr(p, 'L2_cache_size', 0), 'bytes'), *nvml.facts()):
            mach.write(f'device_{what},,0,{v},{unit},1,"{name}; torch {torch.__version__}"\n')
    sustain = 0.2 if args.dry_run else args.sustain_s
    # The sustained runs and bandwidth tests need ~(4 × sustain + 10) s: the sweep stops that much before the budget.
    sweep_deadline = t0 + args.budget_s - (4 * sustain + 12)
    row = MachineRows(mach)
    failed = []
    best = {}
    # Each step fails alone: the others still run and write their rows.
    try:
        bandwidth(args, dev, row)
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        failed.append('bandwidth')
    if dev == 'cuda':
        torch.cuda.empty_cache()
    with open(args.out, 'w') as out:
        try:
            best = sweep(args, dev, out, sweep_deadline)
        except Exception:  # noqa: BLE001
            traceback.print_exc()
            failed.append('sweep')
    if dev == 'cuda':
        torch.cuda.empty_cache()
    try:
        sustained(args, dev, row, nvml, sustain, t0 + args.budget_s)
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        failed.append('sustained')
    mach.close()
    peaks = ' '.join(f'{k} {v:.0f}' for k, v in best.items())
    heads = '; '.join(f'{k} {v}' for k, v in row.head.items())
    print(f'SUMMARY gemm: sweep peak TFLOP/s {peaks}; {heads}; failed: {failed or "none"}; done in {time.time() - t0:.0f} s', flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
