/**
 * GPU names as launchers outside Kubernetes spell them → catalog GPU ids.
 * - SkyPilot `resources.accelerators` (sky catalogs, `sky show-gpus`): `A100` is the 40 GB part and `A100-80GB` the
 *   80 GB one; `H100` is the 80 GB SXM part the clouds rent (AWS p5, GCP a3, Azure ND H100 v5), `H100-MEGA` GCP's a3-mega.
 * - Ray `accelerator_type` (ray/util/accelerators/accelerators.py constants, set on nodes by Ray's NVIDIA GPU
 *   detection): `A100-40G` / `A100-80G` by memory; a bare `A100` does not say which.
 */
const SKYPILOT: Record<string, string> = {
  H100: 'H100-SXM', 'H100-MEGA': 'H100-SXM', 'H100-80GB': 'H100-SXM', H200: 'H200', B200: 'B200', GB200: 'GB200', H20: 'H20',
  A100: 'A100-40GB', 'A100-80GB': 'A100-80GB', L4: 'L4', L40S: 'L40S', L40: 'L40', A10G: 'A10G', A10: 'A10', A40: 'A40', A30: 'A30',
  T4: 'T4', V100: 'V100-SXM2-16GB', 'V100-32GB': 'V100-SXM2-32GB', MI300X: 'MI300X', 'RTX4090': 'RTX-4090', 'RTX6000-Ada': 'RTX-6000-Ada',
};

const RAY: Record<string, string> = {
  H100: 'H100-SXM', H200: 'H200', H20: 'H20', B200: 'B200', 'A100-40G': 'A100-40GB', 'A100-80G': 'A100-80GB', A100: 'A100-40GB',
  L4: 'L4', L40S: 'L40S', A10G: 'A10G', T4: 'T4', V100: 'V100-SXM2-16GB', 'AMD-Instinct-MI300X-OAM': 'MI300X',
};

/** The catalog id of a SkyPilot accelerator name (case-insensitive), or the name itself for the catalog to resolve. */
export function skypilotGpu(name: string): string {
  const hit = Object.keys(SKYPILOT).find((k) => k.toLowerCase() === name.trim().toLowerCase());
  return hit ? SKYPILOT[hit] : name.trim();
}

/** The catalog id of a Ray accelerator type, and whether the name covers more than one part (Ray's `A100`). */
export function rayGpu(name: string): { gpu: string; ambiguous?: string } {
  const n = name.trim();
  if (n === 'A100') return { gpu: RAY.A100, ambiguous: 'Ray names the A100 parts A100-40G and A100-80G; `A100` is estimated on the 40 GB part (write A100-80G for the 80 GB one)' };
  return { gpu: RAY[n] ?? n };
}

/** The first name each table gives a catalog id: what an edit writes for it. */
const reverse = (table: Record<string, string>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, id] of Object.entries(table)) out[id] ??= name;
  return out;
};

/**
 * The launchers' GPU fields as selector "labels" (a `:` keeps them apart from Kubernetes label keys, which cannot
 * hold one), so that edits moving a plan to another GPU write the launcher's own name for it (`H100`, `A100-80G`).
 */
export const LAUNCHER_GPU_FIELDS: Record<string, { toCatalog: (name: string) => string; fromCatalog: Record<string, string> }> = {
  'skypilot:accelerators': { toCatalog: skypilotGpu, fromCatalog: reverse(SKYPILOT) },
  'ray:accelerator_type': { toCatalog: (n) => rayGpu(n).gpu, fromCatalog: reverse(RAY) },
};
