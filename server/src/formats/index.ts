/** Format detection and reading: text → parsed document → DeploymentPlan[] (plus syntax/format problems). */
import { parseText, ParsedDocument } from './document';
import { hfConfigReader } from './hfConfig';
import type { FormatReader, ReadContext, ReadResult } from './types';
import { vllmReader } from './vllm';

export const readers: FormatReader[] = [hfConfigReader, vllmReader];

export function readDocument(doc: ParsedDocument, ctx: ReadContext = {}): ReadResult {
  const problems = doc.problems.map((p) => ({ code: 'syntax', severity: 'error' as const, message: p.message, range: p.range }));
  for (const r of readers) {
    let claimed = false;
    try {
      claimed = r.detect(doc);
    } catch {
      claimed = false;
    }
    if (!claimed) continue;
    try {
      const res = r.read(doc, ctx);
      return { ...res, problems: [...problems, ...res.problems] };
    } catch (e) {
      return { format: r.name, plans: [], problems: [...problems, { code: 'reader-error', severity: 'error', message: `Could not read this ${r.name} file: ${(e as Error).message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] };
    }
  }
  // Unclaimed files get no findings at all — unless they are ours and broken (syntax errors in a file we would read).
  return { format: null, plans: [], problems: [] };
}

export function readText(uri: string, text: string, ctx: ReadContext = {}): ReadResult {
  const doc = parseText(uri, text);
  const res = readDocument(doc, ctx);
  if (res.format === null && doc.problems.length && looksLikeOurs(uri, text)) {
    return { format: null, plans: [], problems: doc.problems.map((p) => ({ code: 'syntax', severity: 'error', message: p.message, range: p.range })) };
  }
  return res;
}

/** A broken file still gets its syntax errors when its name or content says it is a serving config. */
function looksLikeOurs(uri: string, text: string): boolean {
  return /(^|\/)(config\.json|[^/]*vllm[^/]*\.ya?ml|[^/]*\.deploy\.ya?ml)$/i.test(uri) || /gpu[-_]memory[-_]utilization|tensor[-_]parallel[-_]size|num_hidden_layers/.test(text.slice(0, 20000));
}
