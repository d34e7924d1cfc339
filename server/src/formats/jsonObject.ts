/** An option whose value is a JSON object, written as a YAML mapping or as a JSON string (`--hf-overrides '{...}'`). */
export function jsonObject(v: unknown): Record<string, unknown> | undefined {
  let o = v;
  if (typeof v === 'string') {
    try {
      o = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
}
