/**
 * A shell script (SkyPilot `run: |`, a container's `sh -c "..."`) as commands: the launch command is the one that
 * holds the engine's launcher, up to the next newline, `&&`, `||`, `;`, pipe or redirection. Its flags end there, and
 * new flags go after its last word rather than after `| tee log` or on the next command's line.
 */
import type { Token } from './commandLine';
import type { ParsedDocument } from './document';

const OPERATOR = /^(&&|\|\||\||;|&|[0-9]*>>?(&[0-9])?|<|[0-9]*>&[0-9])$/;

/** Offset of a token's range in the text (for the text between tokens). */
function offsetOf(doc: ParsedDocument, p: Token['range']['start']): number {
  return (doc.lineCounter.lineStarts[p.line] ?? 0) + p.character;
}

/** Tokens split into commands: at shell operators, and at newlines not escaped by a trailing `\`. */
export function commands(doc: ParsedDocument, tokens: Token[]): Token[][] {
  const out: Token[][] = [[]];
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    if (prev && t.origin?.mode === 'words' && prev.origin?.mode === 'words') {
      const between = doc.text.slice(offsetOf(doc, prev.range.end), offsetOf(doc, t.range.start));
      if (/(^|[^\\])\n/.test(between.replace(/\r/g, '')) || /;\s*$|^\s*;/.test(between)) out.push([]);
    }
    // `cmd;` glued to its last word.
    const glued = /;$/.test(t.text) && t.text.length > 1;
    if (OPERATOR.test(t.text)) {
      out.push([]);
      return;
    }
    out[out.length - 1].push(glued ? { ...t, text: t.text.slice(0, -1), range: { start: t.range.start, end: { line: t.range.end.line, character: t.range.end.character - 1 } } } : t);
    if (glued) out.push([]);
  });
  return out.filter((c) => c.length);
}

/** The command whose words hold the launcher `isLaunch` recognises, or every token when none does. */
export function launchCommand(doc: ParsedDocument, tokens: Token[], isLaunch: (command: Token[]) => boolean): Token[] {
  return commands(doc, tokens).find(isLaunch) ?? tokens;
}
