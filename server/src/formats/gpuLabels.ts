/**
 * GPU type from where Kubernetes and clouds say it: NVIDIA GPU feature discovery's `nvidia.com/gpu.product`,
 * GKE's `cloud.google.com/gke-accelerator`, Karpenter's `karpenter.k8s.aws/instance-gpu-name`, and instance types.
 * Returns names the GPU catalog resolves, plus GPUs per instance for instance types; and back again: the label value
 * or instance type that selects a catalog GPU, for edits that move a workload to another GPU. Launchers that name
 * the GPU in a field of their own (SkyPilot `accelerators`, Ray `accelerator_type`) take part as labels of their own.
 */
import { LAUNCHER_GPU_FIELDS } from './acceleratorNames';

const GPU_LABELS = new Set([
  'nvidia.com/gpu.product', 'cloud.google.com/gke-accelerator', 'karpenter.k8s.aws/instance-gpu-name', 'nvidia.com/gpu.family',
  'accelerator', 'gpu-type', 'gpu', 'node.kubernetes.io/gpu',
]);
const INSTANCE_LABELS = new Set(['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type', 'karpenter.k8s.aws/instance-type']);

export type Cloud = 'aws' | 'gcp' | 'azure';

interface Instance {
  /** As the cloud spells it (Azure keeps its capitals; lookups ignore case). */
  name: string;
  cloud: Cloud;
  gpu: string;
  count: number;
}

/** AWS g5 (A10G), g6 (L4), g6e (L40S) sizes: 12xlarge and 24xlarge have 4 GPUs, 48xlarge 8, the others 1
 *  (EC2 accelerated computing instance table). */
const awsG = (family: string, gpu: string): Instance[] =>
  [['xlarge', 1], ['2xlarge', 1], ['4xlarge', 1], ['8xlarge', 1], ['16xlarge', 1], ['12xlarge', 4], ['24xlarge', 4], ['48xlarge', 8]]
    .map(([size, count]) => ({ name: `${family}.${size}`, cloud: 'aws' as const, gpu, count: count as number }));

/** GCP a2/a3 machine types name their GPU count (`a3-highgpu-4g`). */
const gcpG = (prefix: string, gpu: string, counts: number[]): Instance[] => counts.map((n) => ({ name: `${prefix}-${n}g`, cloud: 'gcp' as const, gpu, count: n }));

/**
 * Cloud instance types with GPUs (AWS EC2, GCP Compute Engine and Azure public instance tables). Within one GPU and
 * count, the first listed is the one edits pick (GCP's g2-standard-8 for one L4, as GKE's guides use).
 */
const INSTANCES: Instance[] = [
  { name: 'p5.4xlarge', cloud: 'aws', gpu: 'H100-SXM', count: 1 }, { name: 'p5.48xlarge', cloud: 'aws', gpu: 'H100-SXM', count: 8 },
  { name: 'p5en.48xlarge', cloud: 'aws', gpu: 'H200', count: 8 }, { name: 'p5e.48xlarge', cloud: 'aws', gpu: 'H200', count: 8 },
  { name: 'p4d.24xlarge', cloud: 'aws', gpu: 'A100-40GB', count: 8 }, { name: 'p4de.24xlarge', cloud: 'aws', gpu: 'A100-80GB', count: 8 },
  { name: 'p6-b200.48xlarge', cloud: 'aws', gpu: 'B200', count: 8 }, { name: 'p6-b300.48xlarge', cloud: 'aws', gpu: 'B300', count: 8 },
  // g4dn (T4): 12xlarge 4 GPUs, metal 8, the other sizes 1; p3 (V100 SXM2 16 GB) 2xlarge 1, 8xlarge 4, 16xlarge 8;
  // p3dn.24xlarge 8 × V100 SXM2 32 GB (EC2 accelerated computing instance table).
  ...['xlarge', '2xlarge', '4xlarge', '8xlarge', '16xlarge'].map((size) => ({ name: `g4dn.${size}`, cloud: 'aws' as const, gpu: 'T4', count: 1 })),
  { name: 'g4dn.12xlarge', cloud: 'aws', gpu: 'T4', count: 4 }, { name: 'g4dn.metal', cloud: 'aws', gpu: 'T4', count: 8 },
  { name: 'p3.2xlarge', cloud: 'aws', gpu: 'V100-SXM2-16GB', count: 1 }, { name: 'p3.8xlarge', cloud: 'aws', gpu: 'V100-SXM2-16GB', count: 4 },
  { name: 'p3.16xlarge', cloud: 'aws', gpu: 'V100-SXM2-16GB', count: 8 }, { name: 'p3dn.24xlarge', cloud: 'aws', gpu: 'V100-SXM2-32GB', count: 8 },
  ...awsG('g6e', 'L40S'), ...awsG('g6', 'L4'), ...awsG('g5', 'A10G'),
  ...gcpG('a3-highgpu', 'H100-SXM', [1, 2, 4, 8]), ...gcpG('a3-megagpu', 'H100-SXM', [8]), ...gcpG('a3-edgegpu', 'H100-SXM', [8]),
  ...gcpG('a3-ultragpu', 'H200', [8]), ...gcpG('a4-highgpu', 'B200', [8]), ...gcpG('a4x-highgpu', 'GB200', [4]),
  // G4 (RTX PRO 6000 Blackwell Server Edition): g4-standard-48 has 1 GPU, 96 2, 192 4, 384 8 (GCP accelerator-optimized table).
  ...[[48, 1], [96, 2], [192, 4], [384, 8]].map(([cpus, n]) => ({ name: `g4-standard-${cpus}`, cloud: 'gcp' as const, gpu: 'RTX-PRO-6000', count: n })),
  ...gcpG('a2-highgpu', 'A100-40GB', [1, 2, 4, 8]), ...gcpG('a2-megagpu', 'A100-40GB', [16]), ...gcpG('a2-ultragpu', 'A100-80GB', [1, 2, 4, 8]),
  // g2-standard-N: one L4 up to 32 vCPUs, then 2 (24), 4 (48), 8 (96).
  ...[8, 4, 12, 16, 32].map((n) => ({ name: `g2-standard-${n}`, cloud: 'gcp' as const, gpu: 'L4', count: 1 })),
  { name: 'g2-standard-24', cloud: 'gcp', gpu: 'L4', count: 2 }, { name: 'g2-standard-48', cloud: 'gcp', gpu: 'L4', count: 4 }, { name: 'g2-standard-96', cloud: 'gcp', gpu: 'L4', count: 8 },
  { name: 'Standard_ND96isr_H100_v5', cloud: 'azure', gpu: 'H100-SXM', count: 8 }, { name: 'Standard_ND96isr_H200_v5', cloud: 'azure', gpu: 'H200', count: 8 },
  { name: 'Standard_ND96asr_v4', cloud: 'azure', gpu: 'A100-40GB', count: 8 }, { name: 'Standard_ND96amsr_A100_v4', cloud: 'azure', gpu: 'A100-80GB', count: 8 },
  { name: 'Standard_NC40ads_H100_v5', cloud: 'azure', gpu: 'H100-NVL', count: 1 }, { name: 'Standard_NC80adis_H100_v5', cloud: 'azure', gpu: 'H100-NVL', count: 2 },
  { name: 'Standard_ND96isr_MI300X_v5', cloud: 'azure', gpu: 'MI300X', count: 8 },
  // NCasT4_v3 (T4), NCv3 (V100 PCIe 16 GB), NDv2 (8 × V100 SXM2 32 GB), NVadsA10_v5 (whole A10s only; smaller sizes are GPU fractions).
  { name: 'Standard_NC4as_T4_v3', cloud: 'azure', gpu: 'T4', count: 1 }, { name: 'Standard_NC8as_T4_v3', cloud: 'azure', gpu: 'T4', count: 1 },
  { name: 'Standard_NC16as_T4_v3', cloud: 'azure', gpu: 'T4', count: 1 }, { name: 'Standard_NC64as_T4_v3', cloud: 'azure', gpu: 'T4', count: 4 },
  { name: 'Standard_NC6s_v3', cloud: 'azure', gpu: 'V100-PCIe-16GB', count: 1 }, { name: 'Standard_NC12s_v3', cloud: 'azure', gpu: 'V100-PCIe-16GB', count: 2 },
  { name: 'Standard_NC24s_v3', cloud: 'azure', gpu: 'V100-PCIe-16GB', count: 4 }, { name: 'Standard_NC24rs_v3', cloud: 'azure', gpu: 'V100-PCIe-16GB', count: 4 },
  { name: 'Standard_ND40rs_v2', cloud: 'azure', gpu: 'V100-SXM2-32GB', count: 8 },
  { name: 'Standard_NV36ads_A10_v5', cloud: 'azure', gpu: 'A10', count: 1 }, { name: 'Standard_NV72ads_A10_v5', cloud: 'azure', gpu: 'A10', count: 2 },
];
const BY_NAME = new Map(INSTANCES.map((i) => [i.name.toLowerCase(), i]));

/** GKE accelerator names → catalog GPU names (GKE "GPU platforms" table). */
const GKE: Record<string, string> = {
  'nvidia-h100-80gb': 'H100-SXM', 'nvidia-h100-mega-80gb': 'H100-SXM', 'nvidia-h200-141gb': 'H200', 'nvidia-a100-80gb': 'A100-80GB',
  'nvidia-tesla-a100': 'A100-40GB', 'nvidia-l4': 'L4', 'nvidia-b200': 'B200', 'nvidia-gb200': 'GB200', 'nvidia-tesla-t4': 'T4',
  'nvidia-tesla-v100': 'V100-SXM2-16GB', 'nvidia-rtx-pro-6000': 'RTX-PRO-6000',
};

/** Catalog GPU → the value NVIDIA GPU feature discovery publishes in `nvidia.com/gpu.product`: the NVML device name
 *  with spaces as dashes (`nvidia-smi --query-gpu=name`). */
const GFD_PRODUCT: Record<string, string> = {
  'H100-SXM': 'NVIDIA-H100-80GB-HBM3', 'H100-PCIe': 'NVIDIA-H100-PCIe', 'H100-NVL': 'NVIDIA-H100-NVL', H200: 'NVIDIA-H200', H20: 'NVIDIA-H20',
  'A100-80GB': 'NVIDIA-A100-SXM4-80GB', 'A100-40GB': 'NVIDIA-A100-SXM4-40GB', L4: 'NVIDIA-L4', L40S: 'NVIDIA-L40S', A10G: 'NVIDIA-A10G',
  B200: 'NVIDIA-B200', GB200: 'NVIDIA-GB200', 'RTX-3090': 'NVIDIA-GeForce-RTX-3090', 'RTX-4090': 'NVIDIA-GeForce-RTX-4090', 'RTX-5090': 'NVIDIA-GeForce-RTX-5090',
  B300: 'NVIDIA-B300-SXM6-AC', GB300: 'NVIDIA-GB300', 'RTX-PRO-6000': 'NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition',
  'RTX-PRO-6000-WS': 'NVIDIA-RTX-PRO-6000-Blackwell-Workstation-Edition', 'RTX-6000-Ada': 'NVIDIA-RTX-6000-Ada-Generation', 'RTX-A6000': 'NVIDIA-RTX-A6000',
  L40: 'NVIDIA-L40', L20: 'NVIDIA-L20', H800: 'NVIDIA-H800', 'A800-80GB': 'NVIDIA-A800-SXM4-80GB', 'A800-40GB': 'NVIDIA-A800-PCIE-40GB',
  'H20-3e': 'NVIDIA-H20-3e', GH200: 'NVIDIA-GH200-480GB', 'GH200-144GB': 'NVIDIA-GH200-144G-HBM3e', T4: 'Tesla-T4',
  'V100-SXM2-16GB': 'Tesla-V100-SXM2-16GB', 'V100-SXM2-32GB': 'Tesla-V100-SXM2-32GB', 'V100-PCIe-16GB': 'Tesla-V100-PCIE-16GB', 'V100-PCIe-32GB': 'Tesla-V100-PCIE-32GB',
  A10: 'NVIDIA-A10', A30: 'NVIDIA-A30', A40: 'NVIDIA-A40', 'RTX-5080': 'NVIDIA-GeForce-RTX-5080', 'RTX-4080': 'NVIDIA-GeForce-RTX-4080',
};

/** Catalog GPU → Karpenter's `karpenter.k8s.aws/instance-gpu-name` (the EC2 API's GPU name, lower case). A100 names
 *  both memory sizes, so it selects the 40 GB part only as far as the catalog reads it. */
const KARPENTER_GPU_NAME: Record<string, string> = {
  'H100-SXM': 'h100', H200: 'h200', 'A100-40GB': 'a100', L4: 'l4', L40S: 'l40s', A10G: 'a10g', B200: 'b200', T4: 't4', 'V100-SXM2-16GB': 'v100', B300: 'b300',
};

/** Whether this node label names the GPU type (rather than an instance type). */
export const isGpuLabel = (label: string) => GPU_LABELS.has(label) || label.endsWith('/gpu.product') || label.endsWith('gke-accelerator') || label in LAUNCHER_GPU_FIELDS;
export const isInstanceLabel = (label: string) => INSTANCE_LABELS.has(label);

export function gpuFromLabel(label: string, value: string): string | undefined {
  if (!isGpuLabel(label)) return undefined;
  const v = value.trim();
  if (label in LAUNCHER_GPU_FIELDS) return LAUNCHER_GPU_FIELDS[label].toCatalog(v);
  return GKE[v.toLowerCase()] ?? v.replace(/-SHARED$/i, '');
}

export function gpuFromInstanceType(label: string, value: string): { gpu: string; perInstance?: number } | undefined {
  if (!isInstanceLabel(label)) return undefined;
  const i = BY_NAME.get(value.trim().toLowerCase());
  return i && { gpu: i.gpu, perInstance: i.count };
}

/** The label value that selects `gpu` (a catalog id) in the vocabulary of `label`, given its current value; undefined
 *  when that label has no value for it (GKE has no L40S) or its vocabulary is the cluster's own. */
export function labelValueFor(label: string, current: string, gpu: string): string | undefined {
  if (label.endsWith('gke-accelerator')) {
    const keepMega = current.toLowerCase() === 'nvidia-h100-mega-80gb' && gpu === 'H100-SXM';
    return keepMega ? current : Object.entries(GKE).find(([, id]) => id === gpu)?.[0];
  }
  // Time-sliced GPUs carry a -SHARED suffix (GPU feature discovery's sharing strategy): the new value keeps it.
  if (label.endsWith('/gpu.product')) return GFD_PRODUCT[gpu] && `${GFD_PRODUCT[gpu]}${/-SHARED$/i.test(current) ? '-SHARED' : ''}`;
  if (label === 'karpenter.k8s.aws/instance-gpu-name') return KARPENTER_GPU_NAME[gpu];
  if (label in LAUNCHER_GPU_FIELDS) return LAUNCHER_GPU_FIELDS[label].fromCatalog[gpu];
  return undefined;
}

export function cloudOf(instanceType: string): Cloud | undefined {
  return BY_NAME.get(instanceType.trim().toLowerCase())?.cloud;
}

/** The GPUs of an instance type, when it is one the table knows. */
export function instanceOf(instanceType: string): { gpu: string; count: number; cloud: Cloud } | undefined {
  return BY_NAME.get(instanceType.trim().toLowerCase());
}

/** The smallest instance type of `cloud` with at least `count` of `gpu` (exactly `count` when `exact`). */
export function instanceFor(cloud: Cloud, gpu: string, count: number, exact = false): string | undefined {
  const fit = INSTANCES.filter((i) => i.cloud === cloud && i.gpu === gpu && (exact ? i.count === count : i.count >= count));
  const least = Math.min(...fit.map((i) => i.count));
  return fit.find((i) => i.count === least)?.name;
}

/** Whether a node selector on `label` (now `current`) can name `gpu` at all: its vocabulary has a value for it, or
 *  (an instance-type label) the same cloud has an instance type with that GPU. */
export function canSelect(label: string, current: string, gpu: string): boolean {
  if (isInstanceLabel(label)) {
    const cloud = cloudOf(current);
    return !cloud || INSTANCES.some((i) => i.cloud === cloud && i.gpu === gpu);
  }
  if (!isGpuLabel(label) || (!label.endsWith('gke-accelerator') && !label.endsWith('/gpu.product') && label !== 'karpenter.k8s.aws/instance-gpu-name' && !(label in LAUNCHER_GPU_FIELDS))) return true;
  const value = labelValueFor(label, current, gpu);
  return value !== undefined && gpuFromLabel(label, value) !== undefined;
}
