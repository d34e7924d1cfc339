/**
 * How deep a YAML/JSON text nests, measured in one pass before parsing: the yaml parser and the readers recurse per
 * level, and a few thousand levels exhaust the stack (one run even aborted V8 in its regexp compiler afterwards).
 * Real serving configs nest under 20 levels (a Kubernetes Deployment's args list is about 10); the parser copes
 * with about 800 (measured: 600 levels parse in 40 ms, 1000 overflow), so 256 leaves room on a deeper call stack.
 */
export const MAX_NESTING = 256;

/**
 * The first line where nesting exceeds `limit`, or -1. Depth = open flow brackets + block indentation levels +
 * compact `- - -` sequence entries; quotes and comments are skipped. An over-estimate is fine (it is only a guard).
 */
export function tooDeepAt(text: string, limit = MAX_NESTING): number {
  let flow = 0;
  let line = 0;
  const indents: number[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Start of a line: indentation and leading "- " entries (only outside flow collections).
    let indent = 0;
    while (i < n && text.charCodeAt(i) === 32) (indent++, i++);
    if (flow === 0 && i < n && text[i] !== '\n' && text[i] !== '\r' && text[i] !== '#') {
      while (indents.length && indents[indents.length - 1] > indent) indents.pop();
      if (!indents.length || indents[indents.length - 1] < indent) indents.push(indent);
      let dashes = 0;
      while (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) (dashes++, (i += 2));
      if (indents.length + dashes > limit) return line;
    }
    let inline = 0;
    for (; i < n && text[i] !== '\n'; i++) {
      const c = text[i];
      // `key: - - - x` nests too (an error for yaml, but one it spends a while on).
      if (c === '-' && text[i + 1] === ' ' && text[i - 1] === ' ' && (text[i - 2] === ':' || text[i - 2] === '-') && ++inline + indents.length > limit) return line;
      if (c === '"' || c === "'") {
        // Skip a quoted scalar on this line (a double-quoted one honours backslash escapes).
        for (i++; i < n && text[i] !== c && text[i] !== '\n'; i++) if (c === '"' && text[i] === '\\') i++;
        if (text[i] === '\n') break;
      } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
        while (i < n && text[i] !== '\n') i++;
        break;
      } else if (c === '[' || c === '{') {
        if (++flow + indents.length > limit) return line;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      }
    }
    i++;
    line++;
  }
  return -1;
}
