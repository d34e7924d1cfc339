/**
 * The configuration dumps engines log, read as written: Python reprs (`Namespace(a=1, b='x')`, `ServerArgs(...)`,
 * `TorchLlmArgs(...)`, a `{'key': value}` dict), vLLM's `key=value, key=value` engine config line, and Rust Debug
 * output (`Args { model_id: "x", num_shard: None }`). Each entry keeps the offsets of its key and value in the line.
 */

export interface DumpEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** The value as written, and its JS reading (strings unquoted, True/False/None, numbers, `torch.bfloat16` → `bfloat16`). */
  raw: string;
  value: unknown;
  valueStart: number;
  valueEnd: number;
  /** A nested repr's entries (`kv_cache_config=KvCacheConfig(free_gpu_memory_fraction=0.9, …)`). */
  children?: DumpEntry[];
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Where the bracket opened at `i` closes (quotes respected); -1 when the line ends first. */
function closing(s: string, i: number): number {
  const stack: string[] = [];
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === "'" || c === '"') {
      const k = s.indexOf(c, j + 1);
      if (k < 0) return -1;
      j = k;
    } else if (OPEN[c]) stack.push(OPEN[c]);
    else if (c === stack.at(-1)) {
      stack.pop();
      if (!stack.length) return j;
    }
  }
  return -1;
}

export function pyValue(raw: string): unknown {
  const t = raw.trim();
  if (/^'.*'$|^".*"$/s.test(t)) return t.slice(1, -1);
  if (t === 'True' || t === 'true') return true;
  if (t === 'False' || t === 'false') return false;
  if (t === 'None' || t === 'null') return null;
  if (/^-?\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i.test(t)) return Number(t);
  const some = /^Some\((.*)\)$/s.exec(t);
  if (some) return pyValue(some[1]);
  const torch = /^torch\.(\w+)$/.exec(t);
  if (torch) return torch[1];
  return t;
}

/**
 * Entries of the bracketed list that opens at `open` (the index of `(`, `{` or `[`... or -1 for a bare
 * `key=value, …` list running from `from` to the end of the line).
 */
export function dumpEntries(s: string, open: number, from = open + 1): DumpEntry[] {
  const end = open >= 0 ? closing(s, open) : s.length;
  const stop = end < 0 ? s.length : end;
  const out: DumpEntry[] = [];
  let i = from;
  while (i < stop) {
    // One item: up to the next top-level comma.
    let j = i;
    for (; j < stop && s[j] !== ','; j++) {
      const c = s[j];
      if (c === "'" || c === '"') {
        const k = s.indexOf(c, j + 1);
        j = k < 0 ? stop : k;
      } else if (OPEN[c]) {
        const k = closing(s, j);
        j = k < 0 ? stop : k;
      }
    }
    const item = s.slice(i, j);
    const m = /^\s*(?:'([^']+)'|"([^"]+)"|([A-Za-z_][\w.]*))\s*(=|:)\s*/.exec(item);
    if (m) {
      const key = m[1] ?? m[2] ?? m[3];
      const keyStart = i + item.indexOf(key);
      const valueStart = i + m[0].length;
      let valueEnd = j;
      while (valueEnd > valueStart && /\s/.test(s[valueEnd - 1])) valueEnd--;
      const raw = s.slice(valueStart, valueEnd);
      const nested = /^[A-Za-z_]\w*\s*[({]|^\{/.exec(raw);
      const entry: DumpEntry = { key, keyStart, keyEnd: keyStart + key.length, raw, value: pyValue(raw), valueStart, valueEnd };
      if (nested && !/^Some\(/.test(raw)) entry.children = dumpEntries(s, valueStart + nested[0].length - 1);
      out.push(entry);
    }
    i = j + 1;
  }
  return out;
}

/** Entries by key (first wins). */
export function byKey(entries: DumpEntry[]): Map<string, DumpEntry> {
  const m = new Map<string, DumpEntry>();
  for (const e of entries) if (!m.has(e.key)) m.set(e.key, e);
  return m;
}
