"""Host-side facts for the offload and pod checks (estimator/offload.ts, estimator/hostMemory.ts):
pinned host→GPU copy bandwidth, a GPU kernel reading pinned host memory in place (the zero-copy UVA path vLLM's
--cpu-offload-gb uses every forward), and the resident host memory of a process once torch has a CUDA context.
Writes one JSON object to $OUT/host-link.json."""
import json, os, statistics, time

def rss_gib():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 2**20
    return None

out = {'rss_start_gib': rss_gib()}
import torch
out['rss_after_import_torch_gib'] = rss_gib()
torch.cuda.init(); x = torch.ones(1, device='cuda'); torch.cuda.synchronize()
out['rss_after_cuda_context_gib'] = rss_gib()
a = torch.randn(4096, 4096, device='cuda', dtype=torch.bfloat16); (a @ a).sum().item()
out['rss_after_cublas_gemm_gib'] = rss_gib()
out['gpu'] = torch.cuda.get_device_name(0); out['torch'] = torch.__version__

def timed(fn, reps=7):
    ts = []
    for _ in range(reps):
        s = torch.cuda.Event(enable_timing=True); e = torch.cuda.Event(enable_timing=True)
        s.record(); fn(); e.record(); torch.cuda.synchronize(); ts.append(s.elapsed_time(e) / 1e3)
    return ts

n = 2 * 2**30
host = torch.empty(n, dtype=torch.uint8, pin_memory=True); host.fill_(1)
dev = torch.empty(n, dtype=torch.uint8, device='cuda')
ts = timed(lambda: dev.copy_(host, non_blocking=True))
out['pinned_h2d_GBps'] = {'median': n / statistics.median(ts) / 1e9, 'best': n / min(ts) / 1e9, 'bytes': n}
ts = timed(lambda: host.copy_(dev, non_blocking=True))
out['pinned_d2h_GBps'] = {'median': n / statistics.median(ts) / 1e9, 'best': n / min(ts) / 1e9}
pageable = torch.empty(n // 4, dtype=torch.uint8); pageable.fill_(1)
ts = timed(lambda: dev[: n // 4].copy_(pageable), reps=3)
out['pageable_h2d_GBps'] = {'median': (n // 4) / statistics.median(ts) / 1e9}
out['rss_after_pinned_2GiB_gib'] = rss_gib()
del host, dev, pageable

try:
    import cupy
    rt = cupy.cuda.runtime
    m = 1 * 2**30
    p = rt.hostAlloc(m, rt.hostAllocMapped)
    dptr = rt.hostGetDevicePointer(p, 0)
    arr = cupy.ndarray((m // 4,), cupy.float32, cupy.cuda.MemoryPointer(cupy.cuda.UnownedMemory(dptr, m, None), 0))
    arr.fill(1.0); cupy.cuda.Device().synchronize()
    ts = []
    for _ in range(5):
        s = cupy.cuda.Event(); e = cupy.cuda.Event(); s.record(); arr.sum(); e.record(); e.synchronize()
        ts.append(cupy.cuda.get_elapsed_time(s, e) / 1e3)
    out['uva_kernel_read_GBps'] = {'median': m / statistics.median(ts) / 1e9, 'best': m / min(ts) / 1e9, 'bytes': m}
    rt.freeHost(p)
except Exception as ex:  # gVisor may refuse mapped host memory
    out['uva_kernel_read_error'] = repr(ex)[:300]

try:
    out['meminfo'] = open('/proc/meminfo').read().splitlines()[:3]
    out['shm'] = os.statvfs('/dev/shm').f_blocks * os.statvfs('/dev/shm').f_frsize / 2**30
except Exception as ex:
    out['meminfo_error'] = repr(ex)
print(json.dumps(out, indent=1))
open(os.path.join(os.environ.get('OUT', '.'), 'host-link.json'), 'w').write(json.dumps(out, indent=1))
