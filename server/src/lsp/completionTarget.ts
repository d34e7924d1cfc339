/**
 * What the cursor is completing, and the whole text an accepted item must replace. Editors filter and replace by
 * "word", and VS Code's words stop at `/`, `-` and `.`: accepting `Qwen/Qwen3-8B` after `meta-llama/Llama-3.1-8`
 * replaced only the `8` (`meta-llama/Llama-3.1-Qwen/Qwen3-8B`). So every item carries a text edit over the whole
 * value — the YAML scalar (inside its quotes), the argv token after a flag, the directive's value — and is filtered
 * on that whole value.
 */
import type { Range } from 'vscode-languageserver';

export type CompletionTarget =
  /** `key: value` in a YAML (or JSON) mapping; `space` when the value must be preceded by a space (`key:|`). */
  | { kind: 'value'; key: string; range: Range; typed: string; space: boolean }
  /** The value of a command-line flag: `--model x`, `--model=x`, a list item after `- --model`; `serve x` → `model`. */
  | { kind: 'flagValue'; flag: string; range: Range; typed: string }
  /** `# deploy-advisor: gpu=...` */
  | { kind: 'directive'; key: string; range: Range; typed: string }
  /** A `--flag` being typed in an argv list or a shell string. */
  | { kind: 'flag'; range: Range; typed: string }
  /** A mapping key being typed at the start of a line; `colon` when the line already has its `:`. */
  | { kind: 'key'; range: Range; typed: string; colon: boolean };

const at = (line: number, start: number, end: number): Range => ({ start: { line, character: start }, end: { line, character: end } });

/** `key:` at the start of a line (after indentation and list dashes), the key optionally quoted (JSON). */
const KEY_VALUE = /^(\s*(?:-\s+)*)(["']?)([A-Za-z_][\w./-]*)\2\s*:(?=\s|$)( *)/;

/** Characters that end an argv token: whitespace, quotes, flow-list punctuation and the `=` of `--flag=value`. */
const DELIMITER = /[\s"'`,[\]{}=]/;

/** Launchers whose first positional argument is the model (`vllm serve <model>`, `trtllm-serve <model>`). */
const POSITIONAL_MODEL = [['vllm', 'serve'], ['trtllm-serve']];

function tokenBounds(line: string, ch: number): [number, number] {
  let start = ch;
  while (start > 0 && !DELIMITER.test(line[start - 1])) start--;
  let end = ch;
  while (end < line.length && !DELIMITER.test(line[end])) end++;
  return [start, end];
}

/** A YAML scalar's extent on its line: inside its quotes, else up to a ` #` comment, trailing spaces dropped. */
function scalarBounds(line: string, from: number): [number, number] {
  const q = line[from];
  if (q === '"' || q === "'") {
    const close = line.indexOf(q, from + 1);
    return [from + 1, close < 0 ? line.trimEnd().length : close];
  }
  const comment = line.slice(from).search(/\s#/);
  const end = comment < 0 ? line.length : from + comment;
  return [from, from + line.slice(from, end).trimEnd().length];
}

/** Argv tokens before `start` (this line, plus the previous line when this one only starts a list item). */
function tokensBefore(lines: string[], lineNo: number, start: number): string[] {
  let text = lines[lineNo].slice(0, start);
  if (/^\s*(-\s*)?["']?$/.test(text)) {
    for (let i = lineNo - 1; i >= 0; i--) {
      if (lines[i].trim() === '') continue;
      text = `${lines[i]} ${text}`;
      break;
    }
  }
  return text.split(/[\s"'`,[\]{}=]+/).filter((t) => t && t !== '-');
}

/** The argv reading of the cursor: a flag being typed, or the value of the flag (or launcher) before it. */
function argvTarget(lines: string[], lineNo: number, ch: number): CompletionTarget | undefined {
  const line = lines[lineNo];
  const [start, end] = tokenBounds(line, ch);
  const token = line.slice(start, end);
  const typed = line.slice(start, ch);
  if (token.startsWith('-')) return /^--[\w-]*$/.test(typed) ? { kind: 'flag', range: at(lineNo, start, end), typed } : undefined;
  const before = tokensBefore(lines, lineNo, start);
  const prev = before[before.length - 1];
  if (prev && /^--[\w-]+$/.test(prev)) return { kind: 'flagValue', flag: prev.slice(2), range: at(lineNo, start, end), typed };
  for (const launcher of POSITIONAL_MODEL) {
    const tail = before.slice(-launcher.length);
    // `vllm serve` or a path to the binary (`/usr/local/bin/vllm serve`).
    if (tail.length === launcher.length && tail.every((t, i) => t === launcher[i] || (i === 0 && t.endsWith(`/${launcher[0]}`)))) {
      return { kind: 'flagValue', flag: 'model', range: at(lineNo, start, end), typed };
    }
  }
  return undefined;
}

/** Keys whose values are completed as values; any other `key: ...` line is read as argv (a Compose command string). */
export type ValueKeyTest = (key: string, line: number) => boolean;

/**
 * @param modelRanges where the file's readers found the model (a positional `args` item after `command: [vllm,
 * serve]`, say): a cursor inside one completes model ids whatever the syntax around it.
 */
export function completionTarget(lines: string[], pos: { line: number; character: number }, isValueKey: ValueKeyTest, modelRanges: Range[] = []): CompletionTarget | undefined {
  if (pos.line < 0 || pos.line >= lines.length) return undefined;
  const line = lines[pos.line];
  const ch = Math.max(0, Math.min(pos.character, line.length));
  const before = line.slice(0, ch);
  const target = locate(lines, pos.line, ch, isValueKey);
  if (target?.kind === 'flagValue' || target?.kind === 'value' || target?.kind === 'directive') return target;
  const inModel = modelRanges.some((r) => r.start.line === pos.line && r.end.line === pos.line && r.start.character <= ch && ch <= r.end.character);
  if (inModel && !/^\s*#/.test(line)) {
    const [start, end] = tokenBounds(line, ch);
    return { kind: 'flagValue', flag: 'model', range: at(pos.line, start, end), typed: before.slice(start) };
  }
  return target;
}

function locate(lines: string[], lineNo: number, ch: number, isValueKey: ValueKeyTest): CompletionTarget | undefined {
  const line = lines[lineNo];
  const before = line.slice(0, ch);
  const pos = { line: lineNo, character: ch };

  const directive = /#\s*deploy-advisor:.*\b([\w-]+)=([^\s]*)$/.exec(before);
  if (directive) {
    const start = ch - directive[2].length;
    const end = start + (/^[^\s]*/.exec(line.slice(start))?.[0].length ?? 0);
    return { kind: 'directive', key: directive[1], range: at(pos.line, start, end), typed: line.slice(start, ch) };
  }
  if (/^\s*#/.test(line)) return undefined;

  const kv = KEY_VALUE.exec(line);
  if (kv && ch >= kv[0].length) {
    const key = kv[3];
    const from = kv[0].length;
    if (isValueKey(key, pos.line) && !/^[[{|>]/.test(line.slice(from))) {
      const [start, end] = scalarBounds(line, from);
      if (ch < start || ch > end) return undefined;
      return { kind: 'value', key, range: at(pos.line, start, end), typed: line.slice(start, ch), space: kv[4] === '' && start === ch };
    }
    return argvTarget(lines, pos.line, ch);
  }

  const keyTyped = /^(\s*)([\w-]*)$/.exec(before);
  if (keyTyped && !keyTyped[2].startsWith('-')) {
    const start = keyTyped[1].length;
    const rest = /^[\w-]*/.exec(line.slice(ch))![0];
    return { kind: 'key', range: at(pos.line, start, ch + rest.length), typed: keyTyped[2], colon: /^\s*:/.test(line.slice(ch + rest.length)) };
  }
  return argvTarget(lines, pos.line, ch);
}
