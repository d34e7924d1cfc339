/**
 * Memory sizes as the files write them, in bytes: Kubernetes resource quantities (k8s.io/apimachinery
 * pkg/api/resource: binary Ki Mi Gi Ti Pi Ei, decimal k M G T P E, milli m, exponents 1e9) and Compose / Docker sizes
 * (docker/go-units RAMInBytes: b k m g t p, optionally followed by b, case-insensitive, all powers of 1024; a bare
 * number is bytes).
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

/** A Kubernetes quantity in bytes (`16Gi`, `500M`, `1e9`, `128974848`), or undefined when it is not one. */
export function kubernetesQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  return n * (BINARY[unit] ?? DECIMAL[unit]);
}

const DOCKER: Record<string, number> = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/** A Compose size in bytes (`2gb`, `64m`, `1G`, `1073741824`), or undefined. */
export function composeSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgtp])?b?\s*$/i.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * DOCKER[(m[2] ?? 'b').toLowerCase()];
}

const GiB = 2 ** 30;

/**
 * Bytes as a quantity in the style of `like` (the value it replaces): whole Gi by default, whole G where the file
 * writes decimal units, Mi where it writes Mi and the size is under 10 GiB; always rounded up.
 */
export function formatKubernetesQuantity(bytes: number, like?: string): string {
  const unit = like ? /(Ki|Mi|Gi|Ti|k|M|G|T)\s*$/.exec(like)?.[1] : undefined;
  if (unit === 'G' || unit === 'M' || unit === 'k' || unit === 'T') return `${Math.ceil(bytes / 1e9)}G`;
  if ((unit === 'Mi' || unit === 'Ki') && bytes < 10 * GiB) return `${Math.ceil(bytes / 2 ** 20)}Mi`;
  return `${Math.ceil(bytes / GiB)}Gi`;
}

/** Bytes as a Compose size in the style of `like` (`16g`, `16gb`, `16G`), whole GiB rounded up. */
export function formatComposeSize(bytes: number, like?: string): string {
  const m = like ? /([bkmgtp])(b?)\s*$/i.exec(like) : undefined;
  const g = m ? (m[1] === m[1].toUpperCase() ? 'G' : 'g') : 'g';
  const b = m?.[2] ? (m[2] === 'B' ? 'B' : 'b') : '';
  return `${Math.ceil(bytes / GiB)}${g}${b}`;
}
