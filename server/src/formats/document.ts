/**
 * The one YAML/JSON layer every format reader uses: parses with the `yaml` package (JSON is YAML), keeps a
 * LineCounter so every node maps to an exact LSP range, and never throws.
 */
import { Document, isAlias, isMap, isScalar, LineCounter, Node, parseAllDocuments, Scalar, visit, YAMLMap } from 'yaml';
import type { SourceRange } from '../plan/types';
import { MAX_NESTING, tooDeepAt } from './nesting';

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

/**
 * Parsed YAML documents by their own text, reused across edits: in a multi-document file only the document being
 * typed in is parsed again (the others are shifted to their new offsets). Bounded, oldest out first.
 */
interface Segment {
  docs: Document[];
  /** Offset of the segment in the text it was last used in (node ranges are absolute to it). */
  start: number;
  /** The alias-budget problem message, if expanding the segment's aliases blows it. */
  aliasProblem?: string;
}
const segments = new Map<string, Segment>();
const SEGMENT_LIMIT = 4000;
/** Below this size a file is parsed in one go (segmenting only pays off for long multi-document manifests). */
const SEGMENT_MIN_CHARS = 20_000;

function shift(docs: Document[], delta: number): void {
  const move = (r: [number, number, number] | undefined | null) => {
    if (r) for (let i = 0; i < r.length; i++) r[i] += delta;
  };
  for (const d of docs) {
    move(d.range as [number, number, number]);
    for (const e of [...d.errors, ...d.warnings]) {
      e.pos[0] += delta;
      e.pos[1] += delta;
    }
    visit(d, (_, n) => {
      if (n && typeof n === 'object' && 'range' in n) move((n as Node).range as [number, number, number] | undefined);
    });
  }
}

/** Splits at `---` lines (a document start marker at column 0 always starts a new YAML document). */
function segmentOffsets(text: string): number[] {
  const starts = [0];
  const re = /^---(?:[ \t].*)?$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m.index > 0) starts.push(m.index);
  return starts;
}

function aliasCheck(d: Document): string | undefined {
  try {
    d.toJS({ maxAliasCount: 1000 });
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

function parseSegments(text: string): Array<{ docs: Document[]; aliasProblem?: string }> {
  const starts = text.length < SEGMENT_MIN_CHARS ? [0] : segmentOffsets(text);
  const used = new Set<Segment>();
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const body = text.slice(start, end);
    let seg = segments.get(body);
    if (seg && used.has(seg)) seg = undefined; // the same text twice in one file: parse the second copy afresh
    if (!seg) {
      const docs = parseAllDocuments(body, { uniqueKeys: true, prettyErrors: false, strict: false }) as Document[];
      seg = { docs: Array.isArray(docs) ? docs : [], start: 0 };
      seg.aliasProblem = body.includes('*') ? seg.docs.map(aliasCheck).find((p) => p) : undefined;
      if (starts.length > 1) {
        if (segments.size >= SEGMENT_LIMIT) segments.delete(segments.keys().next().value as string);
        segments.set(body, seg);
      }
    }
    if (seg.start !== start) {
      shift(seg.docs, start - seg.start);
      seg.start = start;
    }
    used.add(seg);
    return seg;
  });
}

export function parseText(uri: string, text: string): ParsedDocument {
  const lineCounter = new LineCounter();
  const problems: SyntaxProblem[] = [];
  if (text.length > MAX_PARSE_BYTES) {
    problems.push({ message: `File is ${(text.length / 2 ** 20).toFixed(1)} MiB; Deploy Advisor only reads files up to ${MAX_PARSE_BYTES / 2 ** 20} MiB.`, range: zeroRange });
    return { uri, text, docs: [], lineCounter, problems };
  }
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    const at = { line: deep, character: 0 };
    problems.push({ message: `Nested more than ${MAX_NESTING} levels deep (at line ${deep + 1}); Deploy Advisor does not read documents this deep.`, range: { start: at, end: at } });
    return { uri, text, docs: [], lineCounter, problems };
  }
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  let docs: Document[] = [];
  const parsed: ParsedDocument = { uri, text, docs, lineCounter, problems };
  try {
    for (const seg of parseSegments(text)) {
      docs.push(...seg.docs);
      if (seg.aliasProblem) {
        // Alias bombs ("billion laughs"): expanding the document must stay within yaml's alias budget.
        let first: Node | undefined;
        for (const d of seg.docs) visit(d, { Alias: (_, n) => { first = first ?? (n as Node); return visit.BREAK; } });
        problems.push({ message: `YAML aliases expand too far (${seg.aliasProblem}); values that use them are ignored.`, range: rangeOf(parsed, first) });
      }
    }
  } catch (e) {
    docs = [];
    parsed.docs = docs;
    problems.push({ message: `Could not parse: ${(e as Error).message}`, range: zeroRange });
  }
  for (const d of docs) {
    for (const err of [...d.errors, ...d.warnings]) {
      const [start, end] = err.pos;
      problems.push({ message: err.message.split('\n')[0], range: { start: position(lineCounter, start), end: position(lineCounter, Math.max(start + 1, end)) } });
    }
  }
  return parsed;
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

/** Whether a cursor position lies in a range, both ends included (a hover on a key's last character still hits it). */
export const rangeContains = (r: SourceRange, p: { line: number; character: number }) =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) && (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

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
