/**
 * Physics checks from the H200 measurement run (scripts/device/h200_suite.sh; its CSVs copied into bench/calibration):
 * dense GEMMs over M, sustained GEMM rates, HBM bandwidth and decode attention, each against the latency model's own
 * formula on the catalog's H200. Reported, not targeted: they show where the H100-fitted efficiencies hold on an H200.
 * A file that is not there yet gives no rows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GpuCatalog } from '../server/src/catalog/gpus';
import { attentionDecodeSeconds, denseGemmSeconds, rooflineRates } from '../server/src/estimator/latency';
import { gemmStreamFraction } from '../server/src/estimator/gpuPhysics';
import type { Row } from './accuracy';
import { pct } from './calibrationPlan';
import { parseCsv } from './csv';

export const H200 = new GpuCatalog().find('H200')!;

/** Where the committed device results live (out/bench/… → bench/calibration). */
export const CALIBRATION_DIR = path.resolve(__dirname, '../../bench/calibration');

function readCsv(dir: string, file: string): Record<string, string>[] {
  const p = path.join(dir, file);
  return fs.existsSync(p) ? parseCsv(fs.readFileSync(p, 'utf8')) : [];
}

/**
 * gemm-h200.csv: one dense GEMM per row (weights rotated out of L2, CUDA graph) against denseGemmSeconds. bf16 rows,
 * and the fp8 rows with fast accumulation — the kernels vLLM's Hopper FP8 path runs (CUTLASS FP8FastAccum schedules);
 * the plain fp8 rows stay in the CSV for comparison.
 */
export function h200GemmRows(dir = CALIBRATION_DIR): Row[] {
  const rows: Row[] = [];
  for (const r of readCsv(dir, 'gemm-h200.csv')) {
    const fp8 = r.dtype === 'fp8_fastaccum';
    if (r.dtype !== 'bf16' && !fp8) continue;
    const [n, k, m, us] = [r.n, r.k, r.m, r.us].map(Number);
    if (!(us > 0)) continue;
    const { bw, peak } = rooflineRates(H200, fp8 ? 'fp8' : 'bf16');
    const est = denseGemmSeconds({ k, n, bytesPerParam: fp8 ? 1 : 2 }, m, bw, peak, gemmStreamFraction(H200)) * 1e6;
    rows.push({ metric: fp8 ? 'h200GemmFp8' : 'h200GemmBf16', label: `${r.shape} ${r.dtype} M=${m} (µs)`, measured: us, estimated: est, errorPct: pct(est, us) });
  }
  return rows;
}

/**
 * machine-h200.csv: the 4 GiB copy / read and the sustained copy against the achievable bandwidth (datasheet × the
 * H200's measured hbmFraction); the power-capped 8192³ GEMM rates against the sustained tensor-core rate (datasheet ×
 * its measured sustained share), bf16 and fp8 with fast accumulation. Both shares are taken from these rows
 * (catalog/gpus.ts), so the rows check that the catalog says what was measured, not the model.
 */
export function h200MachineRows(dir = CALIBRATION_DIR): Row[] {
  const rows: Row[] = [];
  for (const r of readCsv(dir, 'machine-h200.csv')) {
    const v = Number(r.value);
    if (!(v > 0)) continue;
    if ((r.what === 'hbm_copy' || r.what === 'hbm_read' || r.what === 'sustained_hbm_copy') && r.unit === 'GB/s') {
      const est = rooflineRates(H200, 'bf16').bw / 1e9;
      rows.push({ metric: 'h200Hbm', label: `${r.what} (GB/s)`, measured: v, estimated: est, errorPct: pct(est, v) });
    } else if (r.what === 'sustained_gemm_8192cube' && (r.dtype === 'bf16' || r.dtype === 'fp8_fastaccum')) {
      const est = rooflineRates(H200, r.dtype === 'bf16' ? 'bf16' : 'fp8').peak / 1e12;
      rows.push({ metric: 'h200GemmSustained', label: `sustained 8192³ ${r.dtype} (TFLOP/s)`, measured: v, estimated: est, errorPct: pct(est, v) });
    }
  }
  return rows;
}

/**
 * The decode-attention points that stand for an engine's kernel: GQA (torch's cuDNN SDPA is a fused kernel that reads
 * K and V once, as FlashInfer's and FlashAttention's decode kernels do) with at least 64 MiB of KV to read, where a
 * per-call fixed time of 7–20 µs (the floor of the small points) is ≤ 10 % of the read, so the point measures
 * bandwidth. MLA points are left out: torch has no absorbed-MLA decode kernel, its bmm / SDPA stand-ins read the
 * latent twice and write the score matrix (2.3–7.7× the time of one latent read), where engines run FlashMLA or
 * FlashInfer's MLA kernel.
 */
export const DECODE_ATTN_MIN_KV_BYTES = 64 * 2 ** 20;
export function representsEngineDecode(r: Record<string, string>): boolean {
  return r.layout.startsWith('gqa') && Number(r.kv_bytes) >= DECODE_ATTN_MIN_KV_BYTES;
}

/**
 * decode-attention-h200.csv: per layout × batch × context the fastest implementation measured (what an engine's
 * decode kernel would at least reach) against attentionDecodeSeconds over the bytes a fused kernel must read, on the
 * points that represent an engine's kernel (representsEngineDecode).
 */
export function h200DecodeAttentionRows(dir = CALIBRATION_DIR): Row[] {
  const best = new Map<string, Record<string, string>>();
  for (const r of readCsv(dir, 'decode-attention-h200.csv')) {
    if (!(Number(r.us) > 0) || !representsEngineDecode(r)) continue;
    const key = `${r.layout}|${r.batch}|${r.context}`;
    const cur = best.get(key);
    if (!cur || Number(r.us) < Number(cur.us)) best.set(key, r);
  }
  const { bw } = rooflineRates(H200, 'bf16');
  return [...best.values()].map((r) => {
    const us = Number(r.us);
    const est = attentionDecodeSeconds(Number(r.kv_bytes), bw) * 1e6;
    return { metric: 'h200DecodeAttn' as const, label: `${r.layout} B${r.batch} ctx ${r.context} ${r.impl} (µs)`, measured: us, estimated: est, errorPct: pct(est, us) };
  });
}

export function h200PhysicsRows(dir = CALIBRATION_DIR): Row[] {
  return [...h200GemmRows(dir), ...h200MachineRows(dir), ...h200DecodeAttentionRows(dir)];
}
