/**
 * The link between a GPU and its host's memory, one direction: what `--cpu-offload-gb` weights and host KV tiers cross.
 * Peaks are the PCIe generation × 16 lanes the parts' datasheets give (Gen3 16, Gen4 32, Gen5 64 GB/s a direction:
 * e.g. the H100 datasheet's "PCIe Gen5: 128 GB/s" both ways, A100's "PCIe Gen4: 64 GB/s"), or NVLink-C2C for the
 * Grace parts (GH200 / GB200 / GB300 datasheets: 900 GB/s both ways). Achieved shares were measured on one H200
 * (PCIe Gen5 x16 as nvidia-smi reports it; bench/calibration/host-link-h200.json, scripts/device/host_link.py):
 * pinned copies 55.4 GB/s (0.865 of 64) and a GPU kernel reading pinned host memory in place — the zero-copy (UVA)
 * path vLLM's weight offload takes every forward — 51.0 GB/s (0.80).
 */
import type { GpuSpec } from './gpus';

const GBs = 1e9;

export interface HostLink {
  kind: 'pcie3' | 'pcie4' | 'pcie5' | 'nvlink-c2c';
  /** Peak bytes/s host → GPU. */
  peak: number;
  /** Bytes/s a kernel reading pinned host memory in place reaches (zero-copy), as used for offloaded weights. */
  zeroCopy: number;
  source: string;
}

/** Measured on H200 (PCIe Gen5 x16): zero-copy kernel reads ÷ peak; taken for every link (C2C not measured). */
export const ZERO_COPY_SHARE = 51.0 / 64;

const C2C = new Set(['GH200', 'GH200-144GB', 'GB200', 'GB300']);

function generation(gpu: GpuSpec): HostLink['kind'] {
  if (C2C.has(gpu.id)) return 'nvlink-c2c';
  switch (gpu.arch) {
    case 'volta':
    case 'turing':
      return 'pcie3';
    case 'ampere':
    case 'ada':
      return 'pcie4';
    // Hopper, Blackwell (B300's host CPUs are Gen5; its Gen6 switch is assumed not to raise the host link) and
    // CDNA3/4 (MI300X, MI355X: PCIe Gen5 x16).
    default:
      return 'pcie5';
  }
}

const PEAK: Record<HostLink['kind'], number> = { pcie3: 16 * GBs, pcie4: 32 * GBs, pcie5: 64 * GBs, 'nvlink-c2c': 450 * GBs };

export function hostLinkOf(gpu: GpuSpec): HostLink {
  const kind = generation(gpu);
  const peak = PEAK[kind];
  const name = kind === 'nvlink-c2c' ? 'NVLink-C2C' : `PCIe Gen${kind.slice(4)} x16`;
  return { kind, peak, zeroCopy: peak * ZERO_COPY_SHARE, source: `${name} ${peak / GBs} GB/s a direction (datasheet), ${Math.round(ZERO_COPY_SHARE * 100)} % reached by zero-copy reads (measured on H200 PCIe Gen5)` };
}
