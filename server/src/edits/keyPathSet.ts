/**
 * Set keys of a YAML or JSON training config by path, as minimal text edits in the file's own syntax: a key that is
 * there gets its value replaced (quoting and boolean spelling as written: torchtune's `True` stays capitalised); a
 * key that is not is inserted after the last key of its mapping, indented like its siblings (JSON: with a comma,
 * quoted, at the object's indentation). A parent mapping that is missing is opened. Comments and order stay.
 * Undefined when the file's shape leaves no clean place (a flow mapping in YAML, a value that is not a mapping).
 */
import { isMap, isScalar, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { parseText, position, ParsedDocument } from '../formats/document';
import type { SourceRange } from '../plan/types';
import { quoteAt, TextEdit, yamlScalar } from './text';

export type KeyValue = string | number | boolean;

export interface KeySet {
  path: string[];
  value: KeyValue;
  /** Take the key out (its whole line) instead; nothing to do when it is absent. YAML block mappings only. */
  remove?: true;
}

interface Style {
  json: boolean;
  /** `True`/`False` (torchtune, Python-minded YAML) or `true`/`false`. */
  capitalBooleans: boolean;
}

const range = (doc: ParsedDocument, a: number, b: number): SourceRange => ({ start: position(doc.lineCounter, a), end: position(doc.lineCounter, b) });

function scalarText(v: KeyValue, style: Style, quote: string): string {
  if (typeof v === 'boolean') return style.json ? String(v) : style.capitalBooleans ? (v ? 'True' : 'False') : String(v);
  if (style.json) return typeof v === 'number' ? String(v) : JSON.stringify(v);
  return typeof v === 'number' ? String(v) : yamlScalar(v, quote);
}

function keyText(k: string, style: Style): string {
  return style.json ? JSON.stringify(k) : k;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key) as Pair | undefined;
}

/** The text that opens `path` (keys not yet there) below a mapping, at `indent`, each level two (YAML) or the
 *  file's step (JSON) deeper. */
function opened(path: string[], v: KeyValue, indent: string, step: string, style: Style): string {
  const [head, ...rest] = path;
  if (!rest.length) return `${indent}${keyText(head, style)}: ${scalarText(v, style, '')}`;
  const inner = opened(rest, v, indent + step, step, style);
  return style.json ? `${indent}${keyText(head, style)}: {\n${inner}\n${indent}}` : `${indent}${head}:\n${inner}`;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const indentAt = (text: string, offset: number) => /^[ \t]*/.exec(text.slice(lineStart(text, offset)))![0];

/** End of a pair's text: its value's end without the trailing newline or comments that YAML ranges carry. */
function pairEnd(text: string, p: Pair): number {
  const v = p.value as Node | null;
  const end = v?.range ? v.range[1] : (p.key as Node).range![1];
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1])) e--;
  return e;
}

function insertInto(doc: ParsedDocument, map: YAMLMap, path: string[], v: KeyValue, style: Style): TextEdit | undefined {
  const text = doc.text;
  const last = map.items[map.items.length - 1] as Pair | undefined;
  if (!last || !last.key || !(last.key as Node).range) return undefined;
  const first = map.items[0] as Pair;
  const indent = indentAt(text, (first.key as Node).range![0]);
  if (style.json) {
    // The object's own indentation is the line its `{` opens; one step is the siblings' indent beyond it.
    const open = map.range![0];
    const step = indent.slice(indentAt(text, open).length) || '  ';
    const at = pairEnd(text, last);
    const body = opened(path, v, indent, step, style);
    return { range: range(doc, at, at), newText: `,\n${body}` };
  }
  if (map.flow) return undefined;
  const at = pairEnd(text, last);
  // A comment after the last value on its line stays with it: the new key goes on the next line.
  const eol = text.indexOf('\n', at);
  const lineEnd = eol < 0 ? text.length : eol;
  const body = opened(path, v, indent, '  ', style);
  return { range: range(doc, lineEnd, lineEnd), newText: `\n${body}` };
}

/** The lines of a pair (key to value end, with a comment on its last line), when it stands on lines of its own. */
function removal(doc: ParsedDocument, map: YAMLMap, p: Pair, style: Style): TextEdit | null | undefined {
  if (style.json || map.flow) return undefined;
  const text = doc.text;
  const from = lineStart(text, (p.key as Node).range![0]);
  const eol = text.indexOf('\n', pairEnd(text, p));
  const to = eol < 0 ? text.length : eol + 1;
  return { range: range(doc, from, to), newText: '' };
}

function setOne(doc: ParsedDocument, root: YAMLMap, s: KeySet, style: Style): TextEdit | null | undefined {
  let map = root;
  if (s.remove) {
    for (let i = 0; i < s.path.length - 1; i++) {
      const n = pairOf(map, s.path[i])?.value;
      if (!isMap(n)) return null;
      map = n;
    }
    const p = pairOf(map, s.path[s.path.length - 1]);
    return p ? removal(doc, map, p, style) : null;
  }
  for (let i = 0; i < s.path.length; i++) {
    const p = pairOf(map, s.path[i]);
    if (!p) return insertInto(doc, map, s.path.slice(i), s.value, style);
    const node = p.value as Node | null;
    if (i === s.path.length - 1) {
      if (!isScalar(node) || !node.range) return undefined;
      const current = doc.text.slice(node.range[0], node.range[1]);
      const quote = quoteAt(current);
      // Under JSON a string stays a string; a value of another type is written as its type.
      return { range: range(doc, node.range[0], node.range[1]), newText: scalarText(s.value, style, quote) };
    }
    if (!isMap(node)) return undefined;
    map = node;
  }
  return undefined;
}

export function keyPathEdits(text: string, sets: KeySet[]): TextEdit[] | undefined {
  const doc = parseText('edit:', text);
  const root = doc.docs[0]?.contents;
  if (!isMap(root) || doc.docs[0].errors.length) return undefined;
  const style: Style = { json: !!root.flow && text.trimStart().startsWith('{'), capitalBooleans: /:\s*(True|False)\s*(#.*)?$/m.test(text) && !/:\s*(true|false)\s*(#.*)?$/m.test(text) };
  const edits: TextEdit[] = [];
  for (const s of sets) {
    const e = setOne(doc, root, s, style);
    if (e === undefined) return undefined;
    if (e) edits.push(e);
  }
  // Two insertions at one point (two new keys of one mapping) become one edit, in the fix's order.
  const out: TextEdit[] = [];
  for (const e of edits) {
    const empty = (r: SourceRange) => r.start.line === r.end.line && r.start.character === r.end.character;
    const same = empty(e.range) && out.find((o) => empty(o.range) && o.range.start.line === e.range.start.line && o.range.start.character === e.range.start.character);
    if (same) same.newText += e.newText;
    else out.push(e);
  }
  return out;
}
