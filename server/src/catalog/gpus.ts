/**
 * GPU catalog. Peak figures are the vendors' dense (no sparsity) tensor-core numbers from their datasheets;
 * `usableBytes` is what the framework reports as total device memory (torch.cuda.mem_get_info total), which is
 * what vLLM multiplies by gpu_memory_utilization. Prices are approximate on-demand list prices per GPU-hour
 * (public cloud price pages, 2025; divide an 8-GPU instance price by 8) — use them for comparisons, not invoices.
 */
import { didYouMean } from '../text/didYouMean';

export type Dtype = 'bf16' | 'fp16' | 'fp8' | 'int8' | 'fp4' | 'int4';

export interface GpuSpec {
  id: string;
  name: string;
  vendor: 'nvidia' | 'amd';
  /** Compute capability family; decides native formats and kernels. */
  arch: 'ampere' | 'ada' | 'hopper' | 'blackwell' | 'cdna3';
  /** Bytes the framework sees as total memory. */
  usableBytes: number;
  /** Peak HBM/GDDR bandwidth, bytes/s. */
  memBandwidth: number;
  /** Dense tensor throughput, FLOP/s (or OP/s for integers). */
  tflops: Partial<Record<Dtype, number>>;
  /** Formats with native tensor-core support (others fall back to weight-only or emulation). */
  native: Dtype[];
  /** GPU-to-GPU bandwidth inside a node (one direction, bytes/s) and its kind. */
  intraNode: { kind: 'nvlink' | 'pcie' | 'xgmi'; bandwidth: number };
  /** Per-GPU bandwidth to other nodes (one direction, bytes/s). */
  interNode: number;
  /** On-demand price per GPU-hour, USD (approximate). */
  pricePerHour: number;
  /** Names engines, Kubernetes labels and people use for it. */
  aliases: string[];
}

const GiB = 2 ** 30;
const T = 1e12;
const GBs = 1e9;

export const builtinGpus: GpuSpec[] = [
  {
    // A10G (AWS g5): 24 GB GDDR6 600 GB/s; NVIDIA A10G spec sheet (bf16 dense 70 TFLOPS on the A10G SKU).
    id: 'A10G', name: 'NVIDIA A10G 24GB', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 22.05 * GiB, memBandwidth: 600 * GBs,
    tflops: { bf16: 70 * T, fp16: 70 * T, int8: 140 * T, int4: 280 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 1.01,
    aliases: ['a10g', 'nvidia-a10g', 'g5'],
  },
  {
    // L4: 24 GB GDDR6 300 GB/s, bf16 121 TFLOPS, fp8 242.5 TFLOPS dense (NVIDIA L4 datasheet).
    id: 'L4', name: 'NVIDIA L4 24GB', vendor: 'nvidia', arch: 'ada',
    usableBytes: 21.96 * GiB, memBandwidth: 300 * GBs,
    tflops: { bf16: 121 * T, fp16: 121 * T, fp8: 242.5 * T, int8: 242.5 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.8,
    aliases: ['nvidia-l4', 'l4-24gb', 'g2'],
  },
  {
    // L40S: 48 GB GDDR6 864 GB/s, bf16 362 TFLOPS, fp8 733 dense (datasheet); 44.39 GiB seen by vLLM (calibration logs).
    id: 'L40S', name: 'NVIDIA L40S 48GB', vendor: 'nvidia', arch: 'ada',
    usableBytes: 44.39 * GiB, memBandwidth: 864 * GBs,
    tflops: { bf16: 362 * T, fp16: 362 * T, fp8: 733 * T, int8: 733 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 25 * GBs, pricePerHour: 1.86,
    aliases: ['nvidia-l40s', 'l40s-48gb', 'g6e'],
  },
  {
    // A100 40GB SXM: 1555 GB/s, bf16 312 TFLOPS; NVLink 3 600 GB/s bidirectional; 39.39 GiB usable (calibration logs).
    id: 'A100-40GB', name: 'NVIDIA A100 40GB', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 39.39 * GiB, memBandwidth: 1555 * GBs,
    tflops: { bf16: 312 * T, fp16: 312 * T, int8: 624 * T, int4: 1248 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 300 * GBs }, interNode: 25 * GBs, pricePerHour: 4.1,
    aliases: ['a100', 'a100-40', 'a100-sxm4-40gb', 'nvidia-a100-sxm4-40gb', 'nvidia-tesla-a100', 'p4d'],
  },
  {
    // A100 80GB SXM: 2039 GB/s, bf16 312 TFLOPS; 79.15 GiB usable (calibration logs).
    id: 'A100-80GB', name: 'NVIDIA A100 80GB', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 79.15 * GiB, memBandwidth: 2039 * GBs,
    tflops: { bf16: 312 * T, fp16: 312 * T, int8: 624 * T, int4: 1248 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 300 * GBs }, interNode: 50 * GBs, pricePerHour: 5.12,
    aliases: ['a100-80', 'a100-sxm4-80gb', 'nvidia-a100-sxm4-80gb', 'nvidia-a100-80gb', 'p4de'],
  },
  {
    // H100 SXM: 3.35 TB/s, bf16 989 / fp8 1979 TFLOPS dense; NVLink 4 900 GB/s bidirectional.
    // usableBytes measured: torch total 85,017,493,504 B (calibration/h100/machine.json).
    id: 'H100-SXM', name: 'NVIDIA H100 SXM 80GB', vendor: 'nvidia', arch: 'hopper',
    usableBytes: 85_017_493_504, memBandwidth: 3350 * GBs,
    tflops: { bf16: 989 * T, fp16: 989 * T, fp8: 1979 * T, int8: 1979 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 450 * GBs }, interNode: 50 * GBs, pricePerHour: 6.88,
    aliases: ['h100', 'h100-80gb', 'h100-sxm5', 'h100-sxm-80gb', 'nvidia-h100-80gb-hbm3', 'h100-80gb-hbm3', 'nvidia-h100-sxm5-80gb', 'p5', 'a3'],
  },
  {
    // H100 PCIe: 2.0 TB/s, bf16 756 / fp8 1513 TFLOPS dense; PCIe Gen5 x16 64 GB/s.
    id: 'H100-PCIe', name: 'NVIDIA H100 PCIe 80GB', vendor: 'nvidia', arch: 'hopper',
    usableBytes: 79.18 * GiB, memBandwidth: 2000 * GBs,
    tflops: { bf16: 756 * T, fp16: 756 * T, fp8: 1513 * T, int8: 1513 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 64 * GBs }, interNode: 25 * GBs, pricePerHour: 4.5,
    aliases: ['h100-pcie-80gb', 'nvidia-h100-pcie'],
  },
  {
    // H100 NVL: 94 GB HBM3 3.9 TB/s, bf16 835 / fp8 1671 TFLOPS dense; NVLink bridge 600 GB/s bidirectional.
    id: 'H100-NVL', name: 'NVIDIA H100 NVL 94GB', vendor: 'nvidia', arch: 'hopper',
    usableBytes: 93.1 * GiB, memBandwidth: 3900 * GBs,
    tflops: { bf16: 835 * T, fp16: 835 * T, fp8: 1671 * T, int8: 1671 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 300 * GBs }, interNode: 50 * GBs, pricePerHour: 5.0,
    aliases: ['h100nvl', 'nvidia-h100-nvl', 'h100-94gb'],
  },
  {
    // H200 SXM: 141 GB HBM3e 4.8 TB/s, same compute as H100 SXM; ~139.8 GiB seen by torch.
    id: 'H200', name: 'NVIDIA H200 SXM 141GB', vendor: 'nvidia', arch: 'hopper',
    usableBytes: 139.81 * GiB, memBandwidth: 4800 * GBs,
    tflops: { bf16: 989 * T, fp16: 989 * T, fp8: 1979 * T, int8: 1979 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 450 * GBs }, interNode: 50 * GBs, pricePerHour: 7.9,
    aliases: ['h200-sxm', 'h200-141gb', 'nvidia-h200', 'h200_sxm', 'p5e', 'p5en', 'a3-ultra'],
  },
  {
    // H20: 96 GB HBM3 4.0 TB/s, bf16 148 / fp8 296 TFLOPS dense (export SKU).
    id: 'H20', name: 'NVIDIA H20 96GB', vendor: 'nvidia', arch: 'hopper',
    usableBytes: 95.0 * GiB, memBandwidth: 4000 * GBs,
    tflops: { bf16: 148 * T, fp16: 148 * T, fp8: 296 * T, int8: 296 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 450 * GBs }, interNode: 50 * GBs, pricePerHour: 2.5,
    aliases: ['nvidia-h20'],
  },
  {
    // B200: 180 GB HBM3e usable, 8 TB/s, bf16 2250 / fp8 4500 / fp4 9000 TFLOPS dense; NVLink 5 1.8 TB/s bidirectional.
    id: 'B200', name: 'NVIDIA B200 180GB', vendor: 'nvidia', arch: 'blackwell',
    usableBytes: 178.4 * GiB, memBandwidth: 8000 * GBs,
    tflops: { bf16: 2250 * T, fp16: 2250 * T, fp8: 4500 * T, int8: 4500 * T, fp4: 9000 * T }, native: ['bf16', 'fp16', 'fp8', 'int8', 'fp4'],
    intraNode: { kind: 'nvlink', bandwidth: 900 * GBs }, interNode: 50 * GBs, pricePerHour: 10.0,
    aliases: ['nvidia-b200', 'b200-180gb', 'p6-b200', 'a4'],
  },
  {
    // GB200 (per Blackwell GPU in an NVL72): 186 GB HBM3e 8 TB/s, bf16 2500 / fp8 5000 / fp4 10000 TFLOPS dense.
    id: 'GB200', name: 'NVIDIA GB200 186GB', vendor: 'nvidia', arch: 'blackwell',
    usableBytes: 184.0 * GiB, memBandwidth: 8000 * GBs,
    tflops: { bf16: 2500 * T, fp16: 2500 * T, fp8: 5000 * T, int8: 5000 * T, fp4: 10000 * T }, native: ['bf16', 'fp16', 'fp8', 'int8', 'fp4'],
    intraNode: { kind: 'nvlink', bandwidth: 900 * GBs }, interNode: 900 * GBs, pricePerHour: 12.0,
    aliases: ['nvidia-gb200', 'gb200-nvl72', 'p6e-gb200'],
  },
  {
    // RTX 3090: 24 GB GDDR6X 936 GB/s; fp16 tensor with fp32 accumulate 71 TFLOPS dense (GA102 whitepaper). 23.58 GiB usable (logs).
    id: 'RTX-3090', name: 'NVIDIA GeForce RTX 3090 24GB', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 23.58 * GiB, memBandwidth: 936 * GBs,
    tflops: { bf16: 71 * T, fp16: 71 * T, int8: 284 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.3,
    aliases: ['3090', 'geforce-rtx-3090', 'nvidia-geforce-rtx-3090'],
  },
  {
    // RTX 4090: 24 GB GDDR6X 1008 GB/s; bf16 (fp32 accumulate) 165 / fp8 330 TFLOPS dense (Ada whitepaper). 23.55 GiB usable.
    id: 'RTX-4090', name: 'NVIDIA GeForce RTX 4090 24GB', vendor: 'nvidia', arch: 'ada',
    usableBytes: 23.55 * GiB, memBandwidth: 1008 * GBs,
    tflops: { bf16: 165 * T, fp16: 165 * T, fp8: 330 * T, int8: 660 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.6,
    aliases: ['4090', 'geforce-rtx-4090', 'nvidia-geforce-rtx-4090'],
  },
  {
    // RTX 5090: 32 GB GDDR7 1792 GB/s; bf16 209.5 / fp8 419 / fp4 838 TFLOPS dense (Blackwell GeForce whitepaper).
    id: 'RTX-5090', name: 'NVIDIA GeForce RTX 5090 32GB', vendor: 'nvidia', arch: 'blackwell',
    usableBytes: 31.36 * GiB, memBandwidth: 1792 * GBs,
    tflops: { bf16: 209.5 * T, fp16: 209.5 * T, fp8: 419 * T, int8: 838 * T, fp4: 838 * T }, native: ['bf16', 'fp16', 'fp8', 'int8', 'fp4'],
    intraNode: { kind: 'pcie', bandwidth: 64 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.9,
    aliases: ['5090', 'geforce-rtx-5090', 'nvidia-geforce-rtx-5090'],
  },
  {
    // MI300X: 192 GB HBM3 5.3 TB/s, bf16 1307 / fp8 2615 TFLOPS dense; Infinity Fabric 7×64 GB/s per direction.
    id: 'MI300X', name: 'AMD Instinct MI300X 192GB', vendor: 'amd', arch: 'cdna3',
    usableBytes: 191.5 * GiB, memBandwidth: 5300 * GBs,
    tflops: { bf16: 1307 * T, fp16: 1307 * T, fp8: 2615 * T, int8: 2615 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'xgmi', bandwidth: 448 * GBs }, interNode: 50 * GBs, pricePerHour: 4.9,
    aliases: ['mi300', 'amd-mi300x', 'instinct-mi300x', 'amd-instinct-mi300x'],
  },
  {
    // MI325X: 256 GB HBM3e 6 TB/s, same compute as MI300X (AMD datasheet).
    id: 'MI325X', name: 'AMD Instinct MI325X 256GB', vendor: 'amd', arch: 'cdna3',
    usableBytes: 255.5 * GiB, memBandwidth: 6000 * GBs,
    tflops: { bf16: 1307 * T, fp16: 1307 * T, fp8: 2615 * T, int8: 2615 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'xgmi', bandwidth: 448 * GBs }, interNode: 50 * GBs, pricePerHour: 5.5,
    aliases: ['mi325', 'amd-mi325x', 'instinct-mi325x'],
  },
];

/** `H100`, `h100_sxm`, `H100-SXM-80GB`, `NVIDIA H100 80GB HBM3` → one key. */
export function gpuKey(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]+/g, '');
}

export class GpuCatalog {
  private readonly byKey = new Map<string, GpuSpec>();
  readonly gpus: GpuSpec[];

  constructor(gpus: GpuSpec[] = builtinGpus) {
    this.gpus = gpus;
    for (const g of gpus) {
      for (const n of [g.id, g.name, ...g.aliases]) this.byKey.set(gpuKey(n), g);
    }
  }

  /** Adds or overrides GPUs (from settings or a JSON file); unknown fields fall back to the GPU it overrides. */
  withOverrides(extra: Array<Partial<GpuSpec> & { id: string }>): GpuCatalog {
    const merged = new Map(this.gpus.map((g) => [g.id, g]));
    for (const e of extra) {
      const base = merged.get(e.id) ?? this.find(e.id);
      merged.set(e.id, { ...(base ?? builtinGpus.find((g) => g.id === 'H100-SXM')!), aliases: [], ...e } as GpuSpec);
    }
    return new GpuCatalog([...merged.values()]);
  }

  find(name: string): GpuSpec | undefined {
    const key = gpuKey(name);
    const exact = this.byKey.get(key);
    if (exact) return exact;
    // "nvidiah10080gbhbm3" style names: strip vendor words and memory suffixes, then retry.
    const stripped = key.replace(/^(nvidia|amd|tesla|geforce|instinct)+/, '').replace(/(hbm3e?|gddr\d x?)$/, '');
    return this.byKey.get(stripped) ?? this.byKey.get(stripped.replace(/\d+gb$/, ''));
  }

  /** The catalog GPU a mistyped name most likely meant ("H10O" → H100-SXM), if it is a near miss. */
  nearest(name: string): GpuSpec | undefined {
    const near = didYouMean(gpuKey(name), [...this.byKey.keys()]);
    return near ? this.byKey.get(near) : undefined;
  }
}

export const defaultGpuId = 'H100-SXM';
