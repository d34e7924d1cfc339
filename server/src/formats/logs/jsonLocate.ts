/**
 * Where a value of a result JSON is written, without a second parse: benchmark results can be megabytes (per-request
 * arrays), so the file is parsed once with JSON.parse and each figure's key is then found in the text along its path.
 */
import type { SourceRange } from '../../plan/types';

export class JsonText {
  private lineStarts?: number[];
  constructor(readonly text: string) {}

  private position(offset: number): { line: number; character: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lineStarts[lo] };
  }

  /** The range of the value at `path` (each key found after the previous one), or undefined. */
  locate(path: string[]): SourceRange | undefined {
    let at = 0;
    let valueStart = -1;
    for (const key of path) {
      const re = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*`, 'g');
      re.lastIndex = at;
      const m = re.exec(this.text);
      if (!m) return undefined;
      at = m.index + m[0].length;
      valueStart = at;
    }
    if (valueStart < 0) return undefined;
    let end = valueStart;
    if (this.text[end] === '"') end = this.text.indexOf('"', end + 1) + 1;
    else while (end < this.text.length && !/[,}\]\s]/.test(this.text[end])) end++;
    return { start: this.position(valueStart), end: this.position(Math.max(end, valueStart)) };
  }
}
