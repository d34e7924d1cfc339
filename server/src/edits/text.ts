/** Text edits, and YAML scalars spelled in the file's own style (quoted like the text they replace). */
import { parse } from 'yaml';
import type { SourceRange, StringSites } from '../plan/types';

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

export type Lines = string[];

export function offsetText(lines: Lines, r: SourceRange): string {
  if (r.start.line === r.end.line) return (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), (lines[r.end.line] ?? '').slice(0, r.end.character)].join('\n');
}

export const quoteAt = (text: string) => (text.startsWith('"') ? '"' : text.startsWith("'") ? "'" : '');

export function quoted(s: string, quote: string): string {
  return quote === "'" ? `'${s.replace(/'/g, "''")}'` : JSON.stringify(s);
}

/** A YAML scalar for a typed value (an engine config key, a GPU count), quoted like the text it replaces or when
 *  YAML needs it. */
export function yamlScalar(value: string | number | boolean, quote: string): string {
  const s = String(value);
  if (quote) return quoted(s, quote);
  return /^[\w.\-/+]+$/.test(s) ? s : quoted(s, "'");
}

/**
 * Whether a plain (unquoted) scalar reads back as this very string, under YAML 1.2 (the `yaml` package, kubectl's
 * newer parsers) and YAML 1.1 (go-yaml v2 behind older kubectl and docker compose, where `yes`, `on`, `0o7`, `1_000`
 * and `1:20` are not strings either). Flow indicators, `: ` and `#` are never left plain.
 */
export function plainString(s: string): boolean {
  if (!/^[\w.\-/+=]+$/.test(s) || s === '-') return false;
  try {
    return parse(s, { version: '1.2' }) === s && parse(s, { version: '1.1' }) === s;
  } catch {
    return false;
  }
}

/** A scalar the file's schema types as a string: quoted like the text it replaces, else plain where that still reads
 *  as a string, else in the file's quote style (`8` → `"8"`, `true` → `"true"`). */
export function stringScalar(value: string | number | boolean, quote: string, fileQuote: string): string {
  const s = String(value);
  if (quote) return quoted(s, quote);
  return plainString(s) ? s : quoted(s, fileQuote || '"');
}

export const sameStart = (a: SourceRange, b: SourceRange) => a.start.line === b.start.line && a.start.character === b.start.character;

/** Whether `r` is one of the file's string-typed values. */
export const isStringSite = (strings: StringSites | undefined, r: SourceRange) => !!strings?.ranges.some((x) => sameStart(x, r));

export function insertLines(lines: Lines, afterLine: number, text: string): TextEdit {
  if (afterLine + 1 < lines.length) return { range: { start: { line: afterLine + 1, character: 0 }, end: { line: afterLine + 1, character: 0 } }, newText: `${text}\n` };
  const end = { line: afterLine, character: (lines[afterLine] ?? '').length };
  return { range: { start: end, end }, newText: `\n${text}` };
}

/** A word for a shell string, quoted for the shell where it needs it, and escaped for the YAML scalar holding it. */
export function shellWord(w: string, yamlQuote: string): string {
  if (/^[\w.\-/+=:,@%]+$/.test(w)) return w;
  const shell = `'${w.replace(/'/g, `'\\''`)}'`;
  if (yamlQuote === "'") return shell.replace(/'/g, "''");
  if (yamlQuote === '"') return shell.replace(/["\\]/g, (m) => `\\${m}`);
  return shell;
}
