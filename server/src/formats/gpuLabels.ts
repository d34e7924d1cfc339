/**
 * GPU type from where Kubernetes and clouds say it: NVIDIA GPU feature discovery's `nvidia.com/gpu.product`,
 * GKE's `cloud.google.com/gke-accelerator`, Karpenter's `karpenter.k8s.aws/instance-gpu-name`, and instance types.
 * Returns names the GPU catalog resolves, plus GPUs per instance for instance types.
 */

const GPU_LABELS = new Set([
  'nvidia.com/gpu.product', 'cloud.google.com/gke-accelerator', 'karpenter.k8s.aws/instance-gpu-name', 'nvidia.com/gpu.family',
  'accelerator', 'gpu-type', 'gpu', 'node.kubernetes.io/gpu',
]);
const INSTANCE_LABELS = new Set(['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type', 'karpenter.k8s.aws/instance-type']);

/** Cloud instance types → GPU and GPUs per instance (AWS, GCP, Azure public instance tables). */
const INSTANCES: Array<[RegExp, string, number]> = [
  [/^p5\.48xlarge$/, 'H100-SXM', 8], [/^p5\.4xlarge$/, 'H100-SXM', 1], [/^p5en?\.48xlarge$/, 'H200', 8], [/^p4d\.24xlarge$/, 'A100-40GB', 8],
  [/^p4de\.24xlarge$/, 'A100-80GB', 8], [/^p6-b200\.48xlarge$/, 'B200', 8], [/^g6e\.(\d+)xlarge$/, 'L40S', 0], [/^g6\.(\d+)xlarge$/, 'L4', 0],
  [/^g5\.(\d+)xlarge$/, 'A10G', 0], [/^a3-(highgpu|megagpu|edgegpu)-(\d)g$/, 'H100-SXM', -2], [/^a3-ultragpu-8g$/, 'H200', 8],
  [/^a2-highgpu-(\d+)g$/, 'A100-40GB', -1], [/^a2-ultragpu-(\d+)g$/, 'A100-80GB', -1], [/^g2-standard-\d+$/, 'L4', 1], [/^a4-highgpu-8g$/, 'B200', 8],
  [/^standard_nd96isr_h100_v5$/, 'H100-SXM', 8], [/^standard_nd96isr_h200_v5$/, 'H200', 8], [/^standard_nd96asr_v4$/, 'A100-40GB', 8],
  [/^standard_nd96amsr_a100_v4$/, 'A100-80GB', 8], [/^standard_nc(\d+)ads_h100_v5$/, 'H100-NVL', 0], [/^standard_nd96isr_mi300x_v5$/, 'MI300X', 8],
];

/** GKE accelerator names → catalog GPU names. */
const GKE: Record<string, string> = {
  'nvidia-h100-80gb': 'H100-SXM', 'nvidia-h100-mega-80gb': 'H100-SXM', 'nvidia-h200-141gb': 'H200', 'nvidia-a100-80gb': 'A100-80GB',
  'nvidia-tesla-a100': 'A100-40GB', 'nvidia-l4': 'L4', 'nvidia-b200': 'B200', 'nvidia-gb200': 'GB200', 'nvidia-tesla-t4': 'T4',
};

export function gpuFromLabel(label: string, value: string): string | undefined {
  if (!GPU_LABELS.has(label) && !label.endsWith('/gpu.product') && !label.endsWith('gke-accelerator')) return undefined;
  const v = value.trim();
  return GKE[v.toLowerCase()] ?? v.replace(/-SHARED$/i, '');
}

export function gpuFromInstanceType(label: string, value: string): { gpu: string; perInstance?: number } | undefined {
  if (!INSTANCE_LABELS.has(label)) return undefined;
  const v = value.trim().toLowerCase();
  for (const [re, gpu, count] of INSTANCES) {
    const m = re.exec(v);
    if (!m) continue;
    // count: 0 = size-dependent (g5/g6/g6e: 12xlarge 4 GPUs, 24xlarge 4, 48xlarge 8, else 1); −1/−2 = from a captured group.
    if (count > 0) return { gpu, perInstance: count };
    if (count === 0) return { gpu, perInstance: v.includes('48xlarge') ? 8 : v.includes('12xlarge') || v.includes('24xlarge') ? 4 : 1 };
    return { gpu, perInstance: Number(m[count === -1 ? 1 : 2]) || undefined };
  }
  return undefined;
}
