/**
 * A log's lines as the readers see them, in bounded time: the head (where every engine prints its configuration and
 * memory figures) line by line, and after it only the lines a cheap pattern picks out (metrics, warnings), up to a cap.
 * Each line is cleaned of what terminals and `kubectl logs` add — ANSI colour codes, `--prefix` (`[pod/name/container] `)
 * and `--timestamps` (RFC 3339 before the line) — while columns still point into the raw line.
 */
import type { SourceRange } from '../../plan/types';

/** Startup ends well within this: a vLLM V1 startup at DEBUG level (the calibration logs, TP 2) is ~1,500 lines, ~0.2 MB. */
export const HEAD_BYTES = 2 * 1024 * 1024;
/** Beyond the head, matched lines are read up to this many bytes of text and this many lines. */
export const TAIL_BYTES = 256 * 1024 * 1024;
export const TAIL_LINES = 2000;

export interface LogLine {
  /** 0-based line number. */
  index: number;
  /** The line without colour codes and kubectl prefixes. */
  text: string;
  /** Raw column of each cleaned column (absent: the same). */
  cols?: number[];
}

const BREAK = /\r\n|\r|\n/;
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const KUBECTL_PREFIX = /^\[pod\/[^\]\s]+\]\s/;
const TIMESTAMP_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)\s(?=\S)/;

export function cleanLine(raw: string, index: number): LogLine {
  let text = raw;
  if (!text.includes('\x1b') && !text.startsWith('[pod/') && !/^\d{4}-\d\d-\d\dT/.test(text)) return { index, text };
  // Remove pieces left to right, remembering the raw offset each removal starts at.
  const cols: number[] = [];
  let out = '';
  let i = 0;
  const pieces: Array<[number, number]> = [];
  for (const m of text.matchAll(ANSI)) pieces.push([m.index!, m.index! + m[0].length]);
  pieces.sort((a, b) => a[0] - b[0]);
  for (const [s, e] of pieces) {
    for (; i < s; i++) {
      cols.push(i);
      out += text[i];
    }
    i = e;
  }
  for (; i < text.length; i++) {
    cols.push(i);
    out += text[i];
  }
  for (const re of [KUBECTL_PREFIX, TIMESTAMP_PREFIX]) {
    const m = re.exec(out);
    if (m) {
      out = out.slice(m[0].length);
      cols.splice(0, m[0].length);
    }
  }
  text = out;
  return { index, text, cols };
}

/** The raw-line range of cleaned columns [start, end). */
export function rangeIn(line: LogLine, start: number, end: number): SourceRange {
  const col = (c: number) => (line.cols ? (c < line.cols.length ? line.cols[c] : (line.cols.at(-1) ?? -1) + 1 + (c - line.cols.length)) : c);
  return { start: { line: line.index, character: col(start) }, end: { line: line.index, character: end > start ? col(end - 1) + 1 : col(start) } };
}

export interface LogText {
  head: LogLine[];
  /** Characters of the text read line by line. */
  headChars: number;
  totalChars: number;
  /** Lines after the head that `pattern` (a non-global RegExp source) matches, up to the caps. */
  tail(pattern: RegExp): LogLine[];
}

export function logText(text: string): LogText {
  let headEnd = Math.min(text.length, HEAD_BYTES);
  if (headEnd < text.length) headEnd = text.lastIndexOf('\n', headEnd) + 1 || headEnd;
  // Line breaks as LSP counts them (\r\n, \n and a lone \r — progress bars redraw with \r): lines match the editor's.
  const rawHead = text.slice(0, headEnd).split(BREAK);
  if (rawHead.at(-1) === '') rawHead.pop();
  const head = rawHead.map((l, i) => cleanLine(l, i));
  return {
    head,
    headChars: headEnd,
    totalChars: text.length,
    tail(pattern) {
      const out: LogLine[] = [];
      if (headEnd >= text.length) return out;
      const limit = Math.min(text.length, headEnd + TAIL_BYTES);
      const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
      re.lastIndex = headEnd;
      let line = head.length;
      let pos = headEnd;
      for (let m = re.exec(text); m && m.index < limit && out.length < TAIL_LINES; m = re.exec(text)) {
        const start = Math.max(text.lastIndexOf('\n', m.index), text.lastIndexOf('\r', m.index)) + 1;
        const after = /\r|\n/g;
        after.lastIndex = m.index;
        const end = after.exec(text)?.index ?? text.length;
        const breaks = /\r\n?|\n/g;
        breaks.lastIndex = pos;
        for (let b = breaks.exec(text); b && b.index < start; b = breaks.exec(text)) {
          line++;
          pos = b.index + b[0].length;
        }
        out.push(cleanLine(text.slice(start, end), line));
        re.lastIndex = end;
      }
      return out;
    },
  };
}

/** A number as logs write it: `1,044,688`, `63.76`, `1.5e3`. */
export function logNumber(s: string): number {
  return Number(s.replace(/,/g, ''));
}
