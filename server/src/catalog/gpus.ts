/**
 * GPU catalog. Peak figures are the vendors' dense (no sparsity) tensor-core numbers from their datasheets;
 * `usableBytes` is what the framework reports as total device memory (torch.cuda.mem_get_info total), which is
 * what vLLM multiplies by gpu_memory_utilization: the card's memory less what the driver reserves and, on GDDR6
 * datacenter cards with ECC on by default (A10, A40, L4, L40, L40S, L20), the 1/16 of the memory ECC takes. Where no
 * log of the part is at hand it is derived the same way as the measured entries: nvidia-smi's total less the
 * ~0.45–0.65 GiB the driver keeps on the measured cards (said per entry). Prices are approximate on-demand list prices
 * per GPU-hour (public cloud price pages, 2025; divide an 8-GPU instance price by 8); "list estimate" where no public
 * cloud rents the part on demand — use them for comparisons, not invoices. Volta (V100) and Turing (T4) have no
 * bf16 tensor cores: `native` leaves bf16 out and engines run bf16 checkpoints in fp16 there (estimator/sixteenBit.ts).
 */
import { didYouMean } from '../text/didYouMean';

export type Dtype = 'bf16' | 'fp16' | 'fp8' | 'int8' | 'fp4' | 'int4';

export interface GpuSpec {
  id: string;
  name: string;
  vendor: 'nvidia' | 'amd';
  /** Compute capability family; decides native formats and kernels. */
  arch: 'volta' | 'turing' | 'ampere' | 'ada' | 'hopper' | 'blackwell' | 'cdna3' | 'cdna4';
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
  /** Shares of the datasheet figures measured on this GPU (source in a comment per entry); absent ones use the
   *  stated defaults of estimator/gpuPhysics.ts (the H100 SXM's). */
  measured?: MeasuredPhysics;
}

/** What our device runs measured on a GPU, as shares of its datasheet figures. */
export interface MeasuredPhysics {
  /** Large copy/read bandwidth ÷ memBandwidth. */
  hbmFraction?: number;
  /** Sustained (power-capped) 8192³ GEMM rate ÷ datasheet dense rate, per dtype. */
  sustained?: Partial<Record<Dtype, number>>;
  /** Large dense GEMM weight streaming ÷ the achievable bandwidth (memBandwidth × hbmFraction). */
  gemmStreamFraction?: number;
  /** Grouped expert GEMM weight streaming ÷ the achievable bandwidth (memBandwidth × hbmFraction). */
  moeStreamFraction?: number;
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
    // Measured (calibration h100/machine.json, results.csv sustained_* rows): copy 3.02 / read 3.04 TB/s of 3.35;
    // sustained 687 of 989 TFLOP/s bf16, 1294 of 1979 fp8 fast-accum at 700 W; dense GEMM streaming fitted on the
    // cuBLAS M ≤ 128 sweep (latency.ts), grouped expert GEMMs on bench/calibration/moe-layer-h100.csv. The same
    // figures are the defaults for unmeasured GPUs (estimator/gpuPhysics.ts).
    measured: { hbmFraction: 0.9, sustained: { bf16: 0.7, fp16: 0.7, fp8: 0.65 }, gemmStreamFraction: 0.92, moeStreamFraction: 0.85 },
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
    // Measured on one H200 (bench/calibration/machine-h200.csv, scripts/device/h200_suite.sh): sustained copy 4256 and
    // read 4316 GB/s of 4800 (0.887 / 0.899; the single cold 4 GiB copy's 2717 is an outlier the 256 MiB sweep point,
    // 4201, and the sustained copy contradict). Sustained 8192³ GEMMs 665 of 989 TFLOP/s bf16 (0.673) and 1256 of
    // 1979 fp8 fast-accum (0.635) at 691 W — the H200's HBM3e takes more of the same 700 W cap than the H100's HBM3.
    // Dense GEMMs stream large weights faster than a copy: the 128256×4096 LM head at 4.38 TB/s, 1.025 of the
    // achievable 4.27 where the H100 reached 0.91 (gemm-h200.csv, M ≤ 16; launch and tail are < 3 % at 1 GB, so the
    // H200's CUDA-graph timing and the H100's do_bench agree there): 0.92 × 1.025 / 0.91 = 1.04. Grouped expert GEMMs
    // do not keep up: torch._grouped_mm streams 2.7–3.2 TB/s at 64–256 tokens on the five expert shapes
    // (moe-layer-h200.csv), 1.12× the H100's 2.4–2.85 where the achievable bandwidth is 1.42× — 0.68 of it against
    // the H100's 0.86, so the H100 fit 0.85 × 0.68 / 0.86 = 0.67.
    measured: { hbmFraction: 0.89, sustained: { bf16: 0.673, fp16: 0.673, fp8: 0.635 }, gemmStreamFraction: 1.04, moeStreamFraction: 0.67 },
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
  // ---- Issue 17: the 2026 catalog. Datasheet figures are dense (sparsity halved away); sources per entry. ----
  {
    // B300 (HGX B300, NVML name "NVIDIA B300 SXM6 AC"): HGX B300 datasheet — 2.1 TB HBM3e for 8 GPUs (270 GB each,
    // nvidia-smi 275,040 MiB = 268.6 GiB; torch ≈ 268.0 GiB, the 0.6 GiB the B200 also loses), 8 TB/s; per GPU dense
    // bf16 2.25 / fp8 4.5 / fp4 13.5 PFLOPS (108 PF dense FP4 for 8). Blackwell Ultra cuts INT8 tensor throughput
    // (2 POPS for 8 GPUs): int8 is not native. NVLink 5 1.8 TB/s bidirectional; one 800 Gb/s ConnectX-8 NIC per GPU
    // (interNode 100 GB/s). Price: list estimate (few public on-demand B300 prices yet, late 2025).
    id: 'B300', name: 'NVIDIA B300 SXM6 AC 270GB', vendor: 'nvidia', arch: 'blackwell',
    usableBytes: 268.0 * GiB, memBandwidth: 8000 * GBs,
    tflops: { bf16: 2250 * T, fp16: 2250 * T, fp8: 4500 * T, fp4: 13500 * T }, native: ['bf16', 'fp16', 'fp8', 'fp4'],
    intraNode: { kind: 'nvlink', bandwidth: 900 * GBs }, interNode: 100 * GBs, pricePerHour: 13.0,
    aliases: ['nvidia-b300', 'b300-sxm6', 'nvidia-b300-sxm6-ac', 'b300-sxm6-ac', 'b300-288gb', 'hgx-b300', 'p6-b300'],
  },
  {
    // GB300 (per Blackwell Ultra GPU in an NVL72): GB300 NVL72 datasheet — 288 GB HBM3e (21 TB for 72), 8 TB/s; dense
    // bf16 2.5 / fp8 5 / fp4 15 PFLOPS per GPU (1,080 PF dense FP4 for 72); INT8 cut as on B300. NVLink 5 900 GB/s per
    // direction across the 72-GPU domain (hence interNode). usableBytes: no log at hand — 288 less the 2 GiB the GB200
    // entry loses from its 186 GB (an estimate). Price: list estimate.
    id: 'GB300', name: 'NVIDIA GB300 288GB', vendor: 'nvidia', arch: 'blackwell',
    usableBytes: 286.0 * GiB, memBandwidth: 8000 * GBs,
    tflops: { bf16: 2500 * T, fp16: 2500 * T, fp8: 5000 * T, fp4: 15000 * T }, native: ['bf16', 'fp16', 'fp8', 'fp4'],
    intraNode: { kind: 'nvlink', bandwidth: 900 * GBs }, interNode: 900 * GBs, pricePerHour: 15.0,
    aliases: ['nvidia-gb300', 'gb300-nvl72', 'gb300-288gb'],
  },
  {
    // MI355X: AMD Instinct MI355X datasheet — 288 GB HBM3E 8 TB/s; dense FP16/BF16 2,516.6, FP8 5,033.2, INT8 5,033.2
    // TOPS, MXFP4 10,066.4 TFLOPS; 7 Infinity Fabric links × 153.6 GB/s (≈ 538 GB/s per direction). 287.5 GiB as the
    // MI300X's 191.5 of 192 (a SGLang log on a 288 GB Instinct shows 230.20 free + 56.98 used GiB after loading).
    // Its FP4 is OCP MXFP4; the estimator's native `fp4` is NVFP4 (16-value blocks, FP8 scales), which CDNA 4 does not
    // run in hardware, so fp4 is listed with its rate but not as native. Price: list estimate.
    id: 'MI355X', name: 'AMD Instinct MI355X 288GB', vendor: 'amd', arch: 'cdna4',
    usableBytes: 287.5 * GiB, memBandwidth: 8000 * GBs,
    tflops: { bf16: 2516.6 * T, fp16: 2516.6 * T, fp8: 5033.2 * T, int8: 5033.2 * T, fp4: 10066.4 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'xgmi', bandwidth: 538 * GBs }, interNode: 50 * GBs, pricePerHour: 6.0,
    aliases: ['mi355', 'amd-mi355x', 'instinct-mi355x', 'amd-instinct-mi355x'],
  },
  {
    // MI350X: AMD Instinct MI350X datasheet — 288 GB HBM3E 8 TB/s (air-cooled, 1000 W); dense FP16/BF16 2,306.9, FP8
    // 4,613.8, INT8 4,613.8 TOPS, MXFP4 9,227.6 TFLOPS (not native NVFP4, as MI355X); Infinity Fabric as MI355X.
    // Price: list estimate.
    id: 'MI350X', name: 'AMD Instinct MI350X 288GB', vendor: 'amd', arch: 'cdna4',
    usableBytes: 287.5 * GiB, memBandwidth: 8000 * GBs,
    tflops: { bf16: 2306.9 * T, fp16: 2306.9 * T, fp8: 4613.8 * T, int8: 4613.8 * T, fp4: 9227.6 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'xgmi', bandwidth: 538 * GBs }, interNode: 50 * GBs, pricePerHour: 5.5,
    aliases: ['mi350', 'amd-mi350x', 'instinct-mi350x', 'amd-instinct-mi350x'],
  },
  {
    // RTX PRO 6000 Blackwell Server Edition (GB202, 188 SMs): NVIDIA datasheet — 96 GB GDDR7 ECC 1,792 GB/s, 4,000 AI
    // TOPS (FP4 sparse) → dense fp4 2,015 / fp8 1,008 / bf16 504 TFLOPS (workstation-class: full-rate FP32 accumulate);
    // PCIe Gen5 x16, no NVLink. Memory: a vLLM 0.20 log shows 97,887 MiB (95.59 GiB) total; torch ≈ 95.1 GiB (less
    // the ~0.48 GiB the RTX 5090 entry loses). Price: approximate (RunPod on-demand ~$1.8/h, 2025).
    id: 'RTX-PRO-6000', name: 'NVIDIA RTX PRO 6000 Blackwell Server Edition 96GB', vendor: 'nvidia', arch: 'blackwell',
    usableBytes: 95.1 * GiB, memBandwidth: 1792 * GBs,
    tflops: { bf16: 503.8 * T, fp16: 503.8 * T, fp8: 1007.6 * T, int8: 1007.6 * T, fp4: 2015.2 * T }, native: ['bf16', 'fp16', 'fp8', 'int8', 'fp4'],
    intraNode: { kind: 'pcie', bandwidth: 64 * GBs }, interNode: 25 * GBs, pricePerHour: 1.8,
    aliases: ['rtx-pro-6000', 'rtx-pro-6000-server', 'rtx-pro-6000-blackwell', 'rtx-pro-6000-blackwell-server-edition', 'nvidia-rtx-pro-6000', 'rtx-6000-pro', 'rtx-pro-6000-96gb', 'g4'],
  },
  {
    // RTX PRO 6000 Blackwell Workstation Edition (600 W): same GB202, memory and datasheet figures as the Server Edition.
    // (The 300 W Max-Q edition is slower — 3,511 AI TOPS — and is not this entry.) Price: as the Server Edition.
    id: 'RTX-PRO-6000-WS', name: 'NVIDIA RTX PRO 6000 Blackwell Workstation Edition 96GB', vendor: 'nvidia', arch: 'blackwell',
    usableBytes: 95.1 * GiB, memBandwidth: 1792 * GBs,
    tflops: { bf16: 503.8 * T, fp16: 503.8 * T, fp8: 1007.6 * T, int8: 1007.6 * T, fp4: 2015.2 * T }, native: ['bf16', 'fp16', 'fp8', 'int8', 'fp4'],
    intraNode: { kind: 'pcie', bandwidth: 64 * GBs }, interNode: 12.5 * GBs, pricePerHour: 1.8,
    aliases: ['rtx-pro-6000-workstation', 'rtx-pro-6000-blackwell-workstation-edition', 'rtx-pro-6000-ws'],
  },
  {
    // RTX 6000 Ada Generation: NVIDIA datasheet — 48 GB GDDR6 ECC 960 GB/s; 1,457 TFLOPS FP8 sparse → dense fp8 728.5,
    // bf16 364.2, int8 728.5, int4 1,457 (full-rate FP32 accumulate); PCIe Gen4 x16, no NVLink. ECC off by default:
    // nvidia-smi 49,140 MiB (47.99 GiB), torch ≈ 47.5 GiB. Price: approximate (RunPod on-demand ~$0.77/h, 2025).
    id: 'RTX-6000-Ada', name: 'NVIDIA RTX 6000 Ada Generation 48GB', vendor: 'nvidia', arch: 'ada',
    usableBytes: 47.5 * GiB, memBandwidth: 960 * GBs,
    tflops: { bf16: 364.2 * T, fp16: 364.2 * T, fp8: 728.5 * T, int8: 728.5 * T, int4: 1457 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.77,
    aliases: ['rtx-6000-ada', 'rtx6000-ada', 'rtx-6000-ada-generation', 'nvidia-rtx-6000-ada'],
  },
  {
    // L40: NVIDIA L40 datasheet — 48 GB GDDR6 ECC 864 GB/s; dense bf16 181, fp8 362, int8 362, int4 724 (half the L40S's
    // 16-bit rate); PCIe Gen4 x16. Same memory as the L40S: 44.39 GiB (ECC on). Price: list estimate.
    id: 'L40', name: 'NVIDIA L40 48GB', vendor: 'nvidia', arch: 'ada',
    usableBytes: 44.39 * GiB, memBandwidth: 864 * GBs,
    tflops: { bf16: 181 * T, fp16: 181 * T, fp8: 362 * T, int8: 362 * T, int4: 724 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 25 * GBs, pricePerHour: 1.0,
    aliases: ['nvidia-l40', 'l40-48gb'],
  },
  {
    // L20 (export SKU of AD102): NVIDIA L20 product brief — 48 GB GDDR6 ECC 864 GB/s; dense bf16 119.5, fp8 239, int8
    // 239 TOPS; PCIe Gen4 x16. Memory as the L40S (44.39 GiB). Price: list estimate (sold mainly in China).
    id: 'L20', name: 'NVIDIA L20 48GB', vendor: 'nvidia', arch: 'ada',
    usableBytes: 44.39 * GiB, memBandwidth: 864 * GBs,
    tflops: { bf16: 119.5 * T, fp16: 119.5 * T, fp8: 239 * T, int8: 239 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 25 * GBs, pricePerHour: 0.9,
    aliases: ['nvidia-l20', 'l20-48gb'],
  },
  {
    // H800 SXM (export SKU of the H100 SXM): same HBM3 80 GB 3.35 TB/s and tensor rates as the H100 SXM (bf16 989 /
    // fp8 1979 dense), NVLink cut to 400 GB/s bidirectional (200 per direction). Memory as the H100 SXM. List estimate.
    id: 'H800', name: 'NVIDIA H800 SXM 80GB', vendor: 'nvidia', arch: 'hopper',
    usableBytes: 85_017_493_504, memBandwidth: 3350 * GBs,
    tflops: { bf16: 989 * T, fp16: 989 * T, fp8: 1979 * T, int8: 1979 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 200 * GBs }, interNode: 50 * GBs, pricePerHour: 2.5,
    aliases: ['h800-sxm', 'h800-80gb', 'nvidia-h800', 'h800-80gb-hbm3', 'nvidia-h800-80gb-hbm3'],
  },
  {
    // A800 80GB SXM (export SKU of the A100 80GB): A100 figures (2,039 GB/s, bf16 312 dense), NVLink cut to 400 GB/s
    // bidirectional. Memory as the A100 80GB (79.15 GiB). Price: list estimate.
    id: 'A800-80GB', name: 'NVIDIA A800 80GB', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 79.15 * GiB, memBandwidth: 2039 * GBs,
    tflops: { bf16: 312 * T, fp16: 312 * T, int8: 624 * T, int4: 1248 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 200 * GBs }, interNode: 25 * GBs, pricePerHour: 1.8,
    aliases: ['a800', 'a800-80', 'a800-sxm4-80gb', 'nvidia-a800-sxm4-80gb', 'nvidia-a800-80gb'],
  },
  {
    // A800 40GB PCIe: A100 40GB PCIe figures (HBM2 1,555 GB/s, bf16 312 dense), PCIe Gen4 x16 (NVLink bridges join
    // pairs only). Memory as the A100 40GB (39.39 GiB). Price: list estimate.
    id: 'A800-40GB', name: 'NVIDIA A800 40GB PCIe', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 39.39 * GiB, memBandwidth: 1555 * GBs,
    tflops: { bf16: 312 * T, fp16: 312 * T, int8: 624 * T, int4: 1248 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 25 * GBs, pricePerHour: 1.2,
    aliases: ['a800-40', 'a800-pcie-40gb', 'nvidia-a800-pcie-40gb', 'a800-40gb-active', 'nvidia-a800-40gb-active'],
  },
  {
    // H20-3e: the H20 with 141 GB HBM3e 4.8 TB/s (H200's memory), H20 compute (bf16 148 / fp8 296 dense), NVLink
    // 900 GB/s bidirectional. Memory as the H200 (139.81 GiB). Price: list estimate (China).
    id: 'H20-3e', name: 'NVIDIA H20-3e 141GB', vendor: 'nvidia', arch: 'hopper',
    usableBytes: 139.81 * GiB, memBandwidth: 4800 * GBs,
    tflops: { bf16: 148 * T, fp16: 148 * T, fp8: 296 * T, int8: 296 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 450 * GBs }, interNode: 50 * GBs, pricePerHour: 2.8,
    aliases: ['h20-3e', 'nvidia-h20-3e', 'h20-141gb', 'h203e'],
  },
  {
    // GH200 96 GB (NVML "NVIDIA GH200 480GB" / "…120GB": the Grace LPDDR5X size): GH200 datasheet — H100 compute
    // (bf16 989 / fp8 1979 dense), 96 GB HBM3 4 TB/s; NVLink 4 900 GB/s bidirectional between superchips; GPU memory
    // only (the Grace memory is not in torch's total). nvidia-smi 97,871 MiB as the H20's: 95.0 GiB.
    // Price: Lambda on-demand 1× GH200 $1.49/h (2025).
    id: 'GH200', name: 'NVIDIA GH200 96GB', vendor: 'nvidia', arch: 'hopper',
    usableBytes: 95.0 * GiB, memBandwidth: 4000 * GBs,
    tflops: { bf16: 989 * T, fp16: 989 * T, fp8: 1979 * T, int8: 1979 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 450 * GBs }, interNode: 50 * GBs, pricePerHour: 1.49,
    aliases: ['gh200-96gb', 'nvidia-gh200', 'gh200-480gb', 'nvidia-gh200-480gb', 'gh200-120gb', 'nvidia-gh200-120gb', 'gh200-96gb-hbm3'],
  },
  {
    // GH200 144 GB HBM3e (NVML "NVIDIA GH200 144G HBM3e"): GH200 datasheet — 4.9 TB/s, H100 compute. usableBytes: no
    // log at hand — 144 less the ~2 GiB the H200 entry loses from 141 (an estimate). Price: list estimate.
    id: 'GH200-144GB', name: 'NVIDIA GH200 144GB HBM3e', vendor: 'nvidia', arch: 'hopper',
    usableBytes: 142.0 * GiB, memBandwidth: 4900 * GBs,
    tflops: { bf16: 989 * T, fp16: 989 * T, fp8: 1979 * T, int8: 1979 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'nvlink', bandwidth: 450 * GBs }, interNode: 50 * GBs, pricePerHour: 2.5,
    aliases: ['gh200-144gb', 'gh200-144g-hbm3e', 'nvidia-gh200-144g-hbm3e', 'gh200-144g'],
  },
  {
    // T4 (Turing, SM 7.5): NVIDIA T4 datasheet — 16 GB GDDR6 320 GB/s; fp16 65 TFLOPS, int8 130, int4 260 TOPS; no bf16
    // and no fp8 tensor cores; PCIe Gen3 x16. 14.56 GiB total in a vLLM 0.7 startup log (calibration CSV; other
    // drivers report up to 14.75). Price: AWS g4dn.xlarge $0.526/h (us-east-1, 2025).
    id: 'T4', name: 'NVIDIA Tesla T4 16GB', vendor: 'nvidia', arch: 'turing',
    usableBytes: 14.56 * GiB, memBandwidth: 320 * GBs,
    tflops: { fp16: 65 * T, int8: 130 * T, int4: 260 * T }, native: ['fp16', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 16 * GBs }, interNode: 6.25 * GBs, pricePerHour: 0.526,
    aliases: ['tesla-t4', 'nvidia-tesla-t4', 't4-16gb', 'g4dn'],
  },
  {
    // V100 SXM2 16 GB (Volta, SM 7.0): V100 datasheet — HBM2 900 GB/s, fp16 tensor 125 TFLOPS (no bf16, no int8/fp8
    // tensor cores); NVLink 2 300 GB/s bidirectional (150 per direction). PyTorch reports 15.78 GiB total (its OOM
    // messages on these cards). Price: AWS p3.2xlarge $3.06/h (2025).
    id: 'V100-SXM2-16GB', name: 'NVIDIA Tesla V100 SXM2 16GB', vendor: 'nvidia', arch: 'volta',
    usableBytes: 15.78 * GiB, memBandwidth: 900 * GBs,
    tflops: { fp16: 125 * T }, native: ['fp16'],
    intraNode: { kind: 'nvlink', bandwidth: 150 * GBs }, interNode: 3.125 * GBs, pricePerHour: 3.06,
    aliases: ['v100', 'v100-16gb', 'tesla-v100', 'nvidia-tesla-v100', 'v100-sxm2-16gb', 'tesla-v100-sxm2-16gb', 'p3'],
  },
  {
    // V100 SXM2 32 GB: as the 16 GB part; PyTorch reports 31.75 GiB total. Price: AWS p3dn.24xlarge $31.212/h ÷ 8 (2025).
    id: 'V100-SXM2-32GB', name: 'NVIDIA Tesla V100 SXM2 32GB', vendor: 'nvidia', arch: 'volta',
    usableBytes: 31.75 * GiB, memBandwidth: 900 * GBs,
    tflops: { fp16: 125 * T }, native: ['fp16'],
    intraNode: { kind: 'nvlink', bandwidth: 150 * GBs }, interNode: 12.5 * GBs, pricePerHour: 3.9,
    aliases: ['v100-32gb', 'v100-sxm2-32gb', 'tesla-v100-sxm2-32gb', 'p3dn'],
  },
  {
    // V100 PCIe 16 GB: V100 datasheet — 900 GB/s, fp16 tensor 112 TFLOPS (lower clocks), PCIe Gen3 x16. 15.78 GiB as the
    // SXM2 part. Price: Azure Standard_NC6s_v3 $3.06/h (2025).
    id: 'V100-PCIe-16GB', name: 'NVIDIA Tesla V100 PCIe 16GB', vendor: 'nvidia', arch: 'volta',
    usableBytes: 15.78 * GiB, memBandwidth: 900 * GBs,
    tflops: { fp16: 112 * T }, native: ['fp16'],
    intraNode: { kind: 'pcie', bandwidth: 16 * GBs }, interNode: 3.125 * GBs, pricePerHour: 3.06,
    aliases: ['v100-pcie-16gb', 'tesla-v100-pcie-16gb', 'v100-pcie'],
  },
  {
    // V100 PCIe 32 GB: as the 16 GB PCIe part with 31.75 GiB. Price: list estimate.
    id: 'V100-PCIe-32GB', name: 'NVIDIA Tesla V100 PCIe 32GB', vendor: 'nvidia', arch: 'volta',
    usableBytes: 31.75 * GiB, memBandwidth: 900 * GBs,
    tflops: { fp16: 112 * T }, native: ['fp16'],
    intraNode: { kind: 'pcie', bandwidth: 16 * GBs }, interNode: 3.125 * GBs, pricePerHour: 2.5,
    aliases: ['v100-pcie-32gb', 'tesla-v100-pcie-32gb'],
  },
  {
    // A10 (GA102, the full-rate sibling of the A10G): NVIDIA A10 datasheet — 24 GB GDDR6 ECC 600 GB/s; dense bf16 125,
    // int8 250, int4 500; PCIe Gen4 x16. Memory as the A10G (22.05 GiB). Price: Lambda 1× A10 $0.75/h (2025).
    id: 'A10', name: 'NVIDIA A10 24GB', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 22.05 * GiB, memBandwidth: 600 * GBs,
    tflops: { bf16: 125 * T, fp16: 125 * T, int8: 250 * T, int4: 500 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.75,
    aliases: ['nvidia-a10', 'a10-24gb'],
  },
  {
    // A30: NVIDIA A30 datasheet — 24 GB HBM2 933 GB/s; dense bf16 165, int8 330, int4 661; PCIe Gen4 x16 (its NVLink
    // bridge joins pairs only). nvidia-smi 24,576 MiB less ~0.5 GiB: 23.5 GiB. Price: list estimate.
    id: 'A30', name: 'NVIDIA A30 24GB', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 23.5 * GiB, memBandwidth: 933 * GBs,
    tflops: { bf16: 165 * T, fp16: 165 * T, int8: 330 * T, int4: 661 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.7,
    aliases: ['nvidia-a30', 'a30-24gb'],
  },
  {
    // A40: NVIDIA A40 datasheet — 48 GB GDDR6 ECC 696 GB/s; dense bf16 149.7, int8 299.3, int4 598.7; PCIe Gen4 x16.
    // ECC-on 48 GB GDDR6 as the L40S: 44.39 GiB. Price: approximate (RunPod on-demand ~$0.40/h, 2025).
    id: 'A40', name: 'NVIDIA A40 48GB', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 44.39 * GiB, memBandwidth: 696 * GBs,
    tflops: { bf16: 149.7 * T, fp16: 149.7 * T, int8: 299.3 * T, int4: 598.7 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.4,
    aliases: ['nvidia-a40', 'a40-48gb'],
  },
  {
    // RTX A6000 (workstation): NVIDIA datasheet — 48 GB GDDR6 768 GB/s; dense bf16 154.8, int8 309.7, int4 619.3;
    // PCIe Gen4 x16. ECC off: PyTorch reports 47.54 GiB total. Price: Lambda 1× A6000 $0.80/h (2025).
    id: 'RTX-A6000', name: 'NVIDIA RTX A6000 48GB', vendor: 'nvidia', arch: 'ampere',
    usableBytes: 47.54 * GiB, memBandwidth: 768 * GBs,
    tflops: { bf16: 154.8 * T, fp16: 154.8 * T, int8: 309.7 * T, int4: 619.3 * T }, native: ['bf16', 'fp16', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.8,
    aliases: ['a6000', 'rtx-a6000', 'nvidia-rtx-a6000'],
  },
  {
    // RTX 5080 (GB203): Blackwell GeForce whitepaper — 16 GB GDDR7 960 GB/s; 1,801 AI TOPS (FP4 sparse); with FP32
    // accumulate (what engines use; half rate on GeForce, as the RTX 5090 entry) dense bf16 112.6 / fp8 225.1 / fp4
    // 450.2, int8 450.2. nvidia-smi 16,303 MiB less ~0.48 GiB: 15.44 GiB. Consumer card; price: list estimate.
    id: 'RTX-5080', name: 'NVIDIA GeForce RTX 5080 16GB', vendor: 'nvidia', arch: 'blackwell',
    usableBytes: 15.44 * GiB, memBandwidth: 960 * GBs,
    tflops: { bf16: 112.6 * T, fp16: 112.6 * T, fp8: 225.1 * T, int8: 450.2 * T, fp4: 450.2 * T }, native: ['bf16', 'fp16', 'fp8', 'int8', 'fp4'],
    intraNode: { kind: 'pcie', bandwidth: 64 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.25,
    aliases: ['5080', 'geforce-rtx-5080', 'nvidia-geforce-rtx-5080'],
  },
  {
    // RTX 4080 (AD103): Ada whitepaper — 16 GB GDDR6X 716.8 GB/s; with FP32 accumulate dense bf16 97.5 / fp8 194.9,
    // int8 389.9. nvidia-smi 16,376 MiB less the 0.44 GiB the RTX 4090 entry loses: 15.55 GiB. Consumer card; price:
    // list estimate.
    id: 'RTX-4080', name: 'NVIDIA GeForce RTX 4080 16GB', vendor: 'nvidia', arch: 'ada',
    usableBytes: 15.55 * GiB, memBandwidth: 716.8 * GBs,
    tflops: { bf16: 97.5 * T, fp16: 97.5 * T, fp8: 194.9 * T, int8: 389.9 * T }, native: ['bf16', 'fp16', 'fp8', 'int8'],
    intraNode: { kind: 'pcie', bandwidth: 32 * GBs }, interNode: 12.5 * GBs, pricePerHour: 0.2,
    aliases: ['4080', 'geforce-rtx-4080', 'nvidia-geforce-rtx-4080'],
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
      // A new GPU borrows the H100's fields but not its measurements: unmeasured parts use the stated defaults.
      merged.set(e.id, { ...(base ?? { ...builtinGpus.find((g) => g.id === 'H100-SXM')!, measured: undefined }), aliases: [], ...e } as GpuSpec);
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

/** GeForce / RTX consumer cards (by catalog name or alias), as opposed to datacenter and workstation GPUs: not a
 *  drop-in for a server deployment (no datacenter driver licence, no cloud SKU behind a node pool). */
export function isConsumerGpu(g: GpuSpec): boolean {
  return /geforce/i.test(g.name) || g.aliases.some((a) => /^geforce/i.test(a));
}
