/**
 * What every applied fix or plan must leave behind: YAML that parses, container argv items and env values that are
 * strings (kubectl rejects `- 8` in `args`), and no error or `gpu-count-mismatch` the file did not have before.
 */
import { parseAllDocuments } from 'yaml';
import type { Analysis } from '../../server/src/pipeline';

/** Arrays whose items a consumer types as strings: container/Compose `command` and `args`, Helm `extraArgs`. */
const STRING_LISTS = new Set(['args', 'command', 'extraArgs']);

/** Values under string-typed keys that are not strings, as `path: value`, under YAML 1.2 and YAML 1.1 (go-yaml v2). */
export function nonStrings(text: string): string[] {
  const out: string[] = [];
  for (const version of ['1.2', '1.1'] as const) {
    for (const d of parseAllDocuments(text, { version })) {
      if (!('toJS' in d)) continue;
      walk(d.toJS({ maxAliasCount: 100 }), `(${version})`, out);
    }
  }
  return out;
}

function walk(node: unknown, path: string, out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((x, i) => walk(x, `${path}[${i}]`, out));
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const at = `${path}.${k}`;
    if (STRING_LISTS.has(k) && Array.isArray(v)) v.forEach((x, i) => typeof x !== 'string' && out.push(`${at}[${i}]: ${JSON.stringify(x)}`));
    if (k === 'env' && Array.isArray(v)) {
      v.forEach((x, i) => x && typeof x === 'object' && 'value' in x && typeof (x as { value: unknown }).value !== 'string' && out.push(`${at}[${i}].value: ${JSON.stringify((x as { value: unknown }).value)}`));
    }
    walk(v, at, out);
  }
}

export function syntaxErrors(text: string): string[] {
  return parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors.map((e) => e.message) : []));
}

const key = (f: Analysis['findings'][number]) => `${f.rule}#${f.workload ?? ''}`;

/** Error findings, and gpu-count-mismatch findings of any severity, that `after` has and `before` did not. */
export function newProblems(before: Analysis, after: Analysis): string[] {
  const had = new Set(before.findings.filter((f) => f.severity === 'error' || f.rule === 'gpu-count-mismatch').map(key));
  return after.findings.filter((f) => (f.severity === 'error' || f.rule === 'gpu-count-mismatch') && !had.has(key(f))).map((f) => `${f.rule} (${f.severity}): ${f.message}`);
}
