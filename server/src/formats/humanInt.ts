/** vLLM's human_readable_int: `1k` = 1000, `1K` = 1024, `25.6k` = 25600; binary suffixes take integers only. */
export function parseHumanInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)\s*$/.exec(v);
  if (!m) return undefined;
  const [, n, suffix] = m;
  if (!suffix) return Number(n);
  const power = 'kmgt'.indexOf(suffix.toLowerCase()) + 1;
  if (suffix === suffix.toUpperCase()) return n.includes('.') ? undefined : Number(n) * 1024 ** power;
  return Math.round(Number(n) * 1000 ** power);
}
