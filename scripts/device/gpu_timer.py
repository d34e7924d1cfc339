"""Per-call GPU time of a set of calls, shared by the device scripts: the calls are captured back to back in a CUDA
graph (no launch gaps, as engines run decode under CUDA graphs) and the replays timed with CUDA events, median of the
replays; eager calls timed with events when a call cannot be captured; wall clock on a CPU (dry runs only).

Rotating over several inputs (one call each) is how callers keep data out of L2 between its reads.
"""
import time

import torch


class Timer:
    """Per-call time of `fns` (called in turn) in µs: CUDA graph replays timed with events on a GPU, wall clock on a
    CPU (dry run only)."""

    def __init__(self, dev, target_ms=8.0, reps=7):
        self.dev, self.target_ms, self.reps = dev, target_ms, reps

    def _sync(self):
        if self.dev == 'cuda':
            torch.cuda.synchronize()

    def eager_us(self, fns, n):
        self._sync()
        if self.dev == 'cuda':
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record()
            for i in range(n):
                fns[i % len(fns)]()
            b.record()
            b.synchronize()
            return a.elapsed_time(b) * 1e3 / n
        t = time.perf_counter()
        for i in range(n):
            fns[i % len(fns)]()
        return (time.perf_counter() - t) * 1e6 / n

    def per_call_us(self, fns):
        for f in fns:  # warm-up: handles, kernel selection, lazy init
            f()
        est = self.eager_us(fns, len(fns))
        rounds = max(1, min(64, int(self.target_ms * 1e3 / max(est * len(fns), 1e-3))))
        calls = rounds * len(fns)
        if self.dev != 'cuda':
            return sorted(self.eager_us(fns, calls) for _ in range(3))[1], 'wallclock'
        try:
            s = torch.cuda.Stream()
            s.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(s):
                for f in fns:
                    f()
            torch.cuda.current_stream().wait_stream(s)
            g = torch.cuda.CUDAGraph()
            with torch.cuda.graph(g):
                for i in range(calls):
                    fns[i % len(fns)]()
            g.replay()
            torch.cuda.synchronize()
            ts = []
            for _ in range(self.reps):
                a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                a.record()
                g.replay()
                b.record()
                b.synchronize()
                ts.append(a.elapsed_time(b) * 1e3 / calls)
            del g
            ts.sort()
            return ts[len(ts) // 2], 'cudagraph'
        except Exception as e:  # noqa: BLE001 — a library call that cannot be captured: time it eagerly
            print('  graph capture failed, eager events instead:', repr(e)[:120], flush=True)
            torch.cuda.synchronize()
            return sorted(self.eager_us(fns, calls) for _ in range(5))[2], 'events'
