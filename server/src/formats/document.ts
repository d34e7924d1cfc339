/**
 * The one YAML/JSON layer every format reader uses: parses with the `yaml` package (JSON is YAML), keeps a
 * LineCounter so every node maps to an exact LSP range, and never throws.
 */
import { Document, isAlias, isMap, isScalar, LineCounter, Node, parseAllDocuments, Scalar, visit, YAMLMap } from 'yaml';
import type { SourceRange } from '../plan/types';

export interface SyntaxProblem {
  message: string;
  range: SourceRange;
}

export interface ParsedDocument {
  uri: string;
  text: string;
  docs: Document[];
  lineCounter: LineCounter;
  problems: SyntaxProblem[];
}

/** Files above this size are not parsed (a clear finding instead of a frozen editor). */
export const MAX_PARSE_BYTES = 5 * 1024 * 1024;

export function parseText(uri: string, text: string): ParsedDocument {
  const lineCounter = new LineCounter();
  const problems: SyntaxProblem[] = [];
  if (text.length > MAX_PARSE_BYTES) {
    problems.push({ message: `File is ${(text.length / 2 ** 20).toFixed(1)} MiB; Deploy Advisor only reads files up to ${MAX_PARSE_BYTES / 2 ** 20} MiB.`, range: zeroRange });
    return { uri, text, docs: [], lineCounter, problems };
  }
  let docs: Document[] = [];
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: false }) as Document[];
    if (!Array.isArray(docs)) docs = [];
  } catch (e) {
    problems.push({ message: `Could not parse: ${(e as Error).message}`, range: zeroRange });
  }
  for (const d of docs) {
    // Alias bombs ("billion laughs"): expanding the document must stay within yaml's alias budget.
    try {
      d.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      let first: Node | undefined;
      visit(d, { Alias: (_, n) => { first = first ?? (n as Node); return visit.BREAK; } });
      problems.push({ message: `YAML aliases expand too far (${(e as Error).message.split('\n')[0]}); values that use them are ignored.`, range: rangeOf({ uri, text, docs, lineCounter, problems }, first) });
    }
    for (const err of [...d.errors, ...d.warnings]) {
      const [start, end] = err.pos;
      problems.push({ message: err.message.split('\n')[0], range: { start: position(lineCounter, start), end: position(lineCounter, Math.max(start + 1, end)) } });
    }
  }
  return { uri, text, docs, lineCounter, problems };
}

const zeroRange: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function position(lc: LineCounter, offset: number): { line: number; character: number } {
  const p = lc.linePos(offset);
  return { line: p.line - 1, character: p.col - 1 };
}

export function rangeOf(doc: ParsedDocument, node: Node | null | undefined): SourceRange {
  if (!node?.range) return zeroRange;
  return { start: position(doc.lineCounter, node.range[0]), end: position(doc.lineCounter, node.range[1]) };
}

/** A key/value pair of a mapping with the ranges of both. */
export interface Entry {
  key: string;
  keyNode: Scalar;
  value: unknown;
  valueNode: Node | null;
}

export function entries(map: unknown): Entry[] {
  if (!isMap(map)) return [];
  const out: Entry[] = [];
  for (const pair of (map as YAMLMap).items) {
    if (!isScalar(pair.key)) continue;
    const valueNode = (pair.value ?? null) as Node | null;
    let value: unknown;
    try {
      // Aliases are not followed here (their targets may be bombs); readers see `undefined` and say so.
      value = isAlias(valueNode) ? undefined : valueNode && 'toJSON' in valueNode ? (valueNode as Node).toJSON() : valueNode;
    } catch {
      value = undefined;
    }
    out.push({ key: String(pair.key.value), keyNode: pair.key, value, valueNode });
  }
  return out;
}
