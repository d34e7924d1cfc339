/** Gathering a log's figures and events: the first statement of a figure wins (rank 0 prints first), events count. */
import type { FigureName, LogEvent, LogEventKind, MeasuredFigure } from './types';
import { LogLine, logNumber, rangeIn } from './lines';

export const GiB = 2 ** 30;

export class Collected {
  readonly figures: MeasuredFigure[] = [];
  readonly events: LogEvent[] = [];

  has(name: FigureName): boolean {
    return this.figures.some((f) => f.name === name);
  }

  /** Records group `group` of match `m` on `line` as figure `name`, × `scale` (GiB → bytes). */
  add(name: FigureName, line: LogLine, m: RegExpExecArray, group: number, scale = 1): void {
    if (this.has(name)) return;
    const value = logNumber(m[group]) * scale;
    if (!Number.isFinite(value) || value < 0) return;
    const start = groupStart(m, group);
    this.figures.push({ name, value, line: line.index + 1, range: rangeIn(line, start, start + m[group].length) });
  }

  /** A figure computed from others, stated at the range of the line's match. */
  derived(name: FigureName, value: number, line: LogLine, start: number, end: number): void {
    if (this.has(name) || !Number.isFinite(value)) return;
    this.figures.push({ name, value, line: line.index + 1, range: rangeIn(line, start, end) });
  }

  event(kind: LogEventKind, line: LogLine, start = 0, end = line.text.length): void {
    const prev = this.events.find((e) => e.kind === kind);
    if (prev) {
      prev.count++;
      prev.lastLine = line.index + 1;
      return;
    }
    this.events.push({ kind, line: line.index + 1, range: rangeIn(line, start, end), count: 1, lastLine: line.index + 1, text: line.text.trim().slice(0, 300) });
  }
}

/** Applies `re` to the line; calls `f` with the match when it matches. */
export function on(line: LogLine, re: RegExp, f: (m: RegExpExecArray) => void): boolean {
  const m = re.exec(line.text);
  if (m) f(m);
  return !!m;
}

/** Where group `g` of a match starts (exact with the `d` flag; otherwise its first occurrence in the match). */
export function groupStart(m: RegExpExecArray, g: number): number {
  return m.indices?.[g]?.[0] ?? m.index + m[0].indexOf(m[g]);
}
