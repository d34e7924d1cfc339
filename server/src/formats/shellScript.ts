/**
 * A shell script (SkyPilot `run: |`, a container's `sh -c "..."`) as commands: the launch command is the one that
 * holds the engine's launcher, up to the next newline, `&&`, `||`, `;`, pipe or redirection. Its flags end there, and
 * new flags go after its last word rather than after `| tee log` or on the next command's line.
 */
import { isScalar, Scalar } from 'yaml';
import { commands, shellWords, Token, tokensOf } from './commandLine';
import { ParsedDocument, position } from './document';

export { commands };

/** The command whose words hold the launcher `isLaunch` recognises, or every token when none does. */
export function launchCommand(doc: ParsedDocument, tokens: Token[], isLaunch: (command: Token[]) => boolean): Token[] {
  return commands(doc, tokens).find(isLaunch) ?? tokens;
}

/** `text` with its shell comments blanked (a `#` starting a word, outside quotes, to the end of its line): offsets kept. */
export function blankComments(text: string): string {
  const out = text.split('');
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '\\') {
      i++;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') out[i++] = ' ';
      i--;
    }
  }
  return out.join('');
}

/**
 * The words of a script held in a YAML literal block or a plain scalar (SkyPilot `run:`), each with its range, its
 * comments left out (an apostrophe in `# don't` would otherwise open a quote). Other scalars go the way of any
 * command string (formats/commandLine.ts).
 */
export function scriptTokens(doc: ParsedDocument, node: unknown): Token[] {
  if (!isScalar(node) || typeof node.value !== 'string' || ((node as Scalar).type !== 'BLOCK_LITERAL' && (node as Scalar).type !== 'PLAIN')) return tokensOf(doc, node);
  const [start, end] = node.range ?? [0, 0];
  let base = start;
  let raw = doc.text.slice(start, end);
  if ((node as Scalar).type === 'BLOCK_LITERAL') {
    const nl = raw.indexOf('\n');
    base += nl + 1;
    raw = raw.slice(nl + 1);
  }
  const origin = { mode: 'words' as const, indent: '', quote: '' };
  return shellWords(blankComments(raw)).map((w) => ({ text: w.text, range: { start: position(doc.lineCounter, base + w.start), end: position(doc.lineCounter, base + w.end) }, origin }));
}
