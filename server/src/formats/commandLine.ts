/**
 * Serving command lines as they appear in Kubernetes, compose and Helm: an args list (one YAML scalar per token) or
 * one shell string (`/bin/sh -c "vllm serve ... --flag value"`), possibly split across `command` and `args`.
 * Every token keeps the source range of its text, so findings land on the flag or value itself.
 */
import { isScalar, isSeq, Node, Scalar } from 'yaml';
import type { EngineName, SourceRange } from '../plan/types';
import { ParsedDocument, position, rangeOf } from './document';
import type { OptionEntry } from './engineOptions';
import { EngineKeyTable, keyIndex } from './keys/types';

export interface Token {
  text: string;
  range: SourceRange;
  /** Where the token sits, for fixes that add flags after it. */
  origin?: { mode: 'block' | 'flow' | 'words'; indent: string; quote: string };
}

/** Splits shell words with their offsets in `raw` (quotes removed; `\`-newline continuations are whitespace). */
export function shellWords(raw: string): Array<{ text: string; start: number; end: number }> {
  const out: Array<{ text: string; start: number; end: number }> = [];
  let i = 0;
  while (i < raw.length) {
    while (i < raw.length && (/\s/.test(raw[i]) || (raw[i] === '\\' && raw[i + 1] === '\n'))) i += raw[i] === '\\' ? 2 : 1;
    if (i >= raw.length) break;
    const start = i;
    let text = '';
    while (i < raw.length && !/\s/.test(raw[i])) {
      const c = raw[i];
      if (c === "'" ) {
        const close = raw.indexOf("'", i + 1);
        const stop = close < 0 ? raw.length : close;
        text += raw.slice(i + 1, stop);
        i = stop + 1;
      } else if (c === '"') {
        i++;
        while (i < raw.length && raw[i] !== '"') {
          if (raw[i] === '\\' && i + 1 < raw.length) i++;
          text += raw[i++];
        }
        i++;
      } else if (c === '\\' && i + 1 < raw.length) {
        text += raw[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    out.push({ text, start, end: Math.min(i, raw.length) });
  }
  return out;
}

/**
 * Tokens of a `command`/`args` node. A sequence gives one token per item — except the script after `sh -c`, which is
 * a shell string — and a lone string (compose `command: >`, `args: "..."`) is a shell string.
 */
export function tokensOf(doc: ParsedDocument, node: unknown, previous: Token[] = []): Token[] {
  if (isSeq(node)) {
    const out: Token[] = [];
    for (const item of node.items) {
      const before = [...previous, ...out];
      const afterDashC = before.length > 0 && before[before.length - 1].text === '-c';
      const origin = { mode: node.flow ? ('flow' as const) : ('block' as const), indent: ' '.repeat(Math.max(0, rangeOf(doc, item as Node).start.character - 2)), quote: quoteOf(item) };
      out.push(...(afterDashC ? splitScalar(doc, item) : isScalar(item) && item.value !== null && item.value !== undefined ? [{ text: String(item.value), range: rangeOf(doc, item as Node), origin }] : []));
    }
    return out;
  }
  return splitScalar(doc, node);
}

const quoteOf = (n: unknown) => (isScalar(n) ? (n.type === 'QUOTE_DOUBLE' ? '"' : n.type === 'QUOTE_SINGLE' ? "'" : '') : '');

function splitScalar(doc: ParsedDocument, node: unknown): Token[] {
  if (!isScalar(node) || node.value === null || node.value === undefined) return [];
  const s = node as Scalar;
  const text = String(s.value);
  const words = { mode: 'words' as const, indent: '', quote: '' };
  if (!/\s/.test(text)) return [{ text, range: rangeOf(doc, s as Node), origin: quoteOf(s) ? undefined : words }];
  // A shell string: split the source text itself so each word keeps its own range.
  const [start, end] = s.range ?? [0, 0];
  let raw = doc.text.slice(start, end);
  let base = start;
  if (s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE') {
    raw = raw.slice(1, -1);
    base += 1;
  } else if (s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED') {
    const nl = raw.indexOf('\n');
    base += nl + 1;
    raw = raw.slice(nl + 1);
  }
  // YAML escapes change lengths; fall back to the whole scalar's range when the source and value disagree.
  const rawWords = shellWords(raw);
  const valueWords = shellWords(text);
  if (rawWords.length !== valueWords.length) return valueWords.map((w) => ({ text: w.text, range: rangeOf(doc, s as Node) }));
  // A words token's quote is the YAML scalar's around the whole string (new words are escaped for it).
  return rawWords.map((w, i) => ({ text: valueWords[i].text, range: { start: position(doc.lineCounter, base + w.start), end: position(doc.lineCounter, base + w.end) }, origin: { mode: 'words' as const, indent: '', quote: quoteOf(s) } }));
}

const OPERATOR = /^(&&|\|\||\||;|&|[0-9]*>>?(&[0-9])?|<|[0-9]*>&[0-9])$/;

/** Offset of a token's range in the text (for the text between tokens). */
function offsetOf(doc: ParsedDocument, p: Token['range']['start']): number {
  return (doc.lineCounter.lineStarts[p.line] ?? 0) + p.character;
}

/** Tokens split into commands: at shell operators, and at newlines not escaped by a trailing `\`. */
export function commands(doc: ParsedDocument, tokens: Token[], opts: { newlines: boolean } = { newlines: true }): Token[][] {
  const out: Token[][] = [[]];
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    if (opts.newlines && prev && t.origin?.mode === 'words' && prev.origin?.mode === 'words') {
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

/**
 * `command` then `args`, as the container runtime joins them (a `-c` at the end of command makes args[0] a script).
 * A script's launch command ends at its pipe, `&&`, `;` or newline: `vllm serve … 2>&1 | tee log` reads no flag from
 * `tee`, and new flags go before the pipe.
 */
export function argv(doc: ParsedDocument, command: unknown, args: unknown): Token[] {
  const c = tokensOf(doc, command);
  const all = [...c, ...tokensOf(doc, args, c)];
  // Only operators split here: a folded (`>`) or plain YAML string's line breaks are spaces to the shell.
  const cmds = commands(doc, all, { newlines: false });
  if (cmds.length < 2) return all;
  return cmds.find((cmd) => { const w = cmd.map((t) => t.text); return w.some((_, i) => LAUNCHERS.some((l) => l.match(w, i) > 0)); }) ?? all;
}

export interface LaunchCommand {
  engine: EngineName;
  /** The command's tokens (for write-back after the last one). */
  tokens?: Token[];
  /** The positional model (vllm serve MODEL, trtllm-serve MODEL) or the --model / --model-path / --model-id value. */
  model?: Token;
  options: OptionEntry[];
  /** Tokens that follow the launcher, for messages. */
  launcher: string;
}

const LAUNCHERS: Array<{ engine: EngineName; match: (t: string[], i: number) => number }> = [
  // `vllm serve [MODEL]`
  { engine: 'vllm', match: (t, i) => (/(^|\/)vllm$/.test(t[i]) && t[i + 1] === 'serve' ? 2 : 0) },
  // `python3 -m vllm.entrypoints.openai.api_server`
  { engine: 'vllm', match: (t, i) => (/^-m$/.test(t[i]) && /^vllm\.entrypoints\.openai\.api_server$/.test(t[i + 1] ?? '') ? 2 : 0) },
  { engine: 'sglang', match: (t, i) => (/^-m$/.test(t[i]) && /^sglang\.launch_server$/.test(t[i + 1] ?? '') ? 2 : 0) },
  { engine: 'sglang', match: (t, i) => (/(^|\/)sglang$/.test(t[i]) && t[i + 1] === 'serve' ? 2 : 0) },
  { engine: 'tgi', match: (t, i) => (/(^|\/)text-generation-launcher$/.test(t[i]) ? 1 : 0) },
  { engine: 'tei', match: (t, i) => (/(^|\/)text-embeddings-router$/.test(t[i]) ? 1 : 0) },
  { engine: 'trtllm', match: (t, i) => (/(^|\/)trtllm-serve$/.test(t[i]) ? (t[i + 1] === 'serve' ? 2 : 1) : 0) },
];

/** The engine an image runs by default when the container gives only flags. */
export function engineFromImage(image: string): EngineName | undefined {
  const i = image.toLowerCase();
  if (/vllm|llm-d/.test(i)) return 'vllm';
  if (/sglang/.test(i)) return 'sglang';
  if (/text-embeddings-inference|\btei\b/.test(i)) return 'tei';
  if (/text-generation-inference|\btgi\b/.test(i)) return 'tgi';
  if (/tensorrt|trtllm|trt-llm/.test(i)) return 'trtllm';
  return undefined;
}

const MODEL_FLAGS: Record<EngineName, string[]> = { vllm: ['model'], sglang: ['model-path', 'model'], tgi: ['model-id'], trtllm: ['model'], tei: ['model-id'] };

/**
 * Finds the launcher in `tokens` (or takes `engineHint` when the tokens are flags only) and reads its flags:
 * `--key value`, `--key=value`, boolean `--flag` / `--no-flag`. Returns undefined when no engine is found.
 */
export function parseLaunch(tokens: Token[], tables: Record<EngineName, EngineKeyTable>, engineHint?: EngineName): LaunchCommand | undefined {
  const words = tokens.map((t) => t.text);
  let engine: EngineName | undefined;
  let at = 0;
  outer: for (let i = 0; i < words.length; i++) {
    for (const l of LAUNCHERS) {
      const n = l.match(words, i);
      if (n) {
        engine = l.engine;
        at = i + n;
        break outer;
      }
    }
  }
  if (!engine) {
    if (!engineHint || !words.some((w) => w.startsWith('--'))) return undefined;
    engine = engineHint;
    at = words.findIndex((w) => w.startsWith('--'));
  }
  const table = tables[engine];
  const index = keyIndex(table);
  const options: OptionEntry[] = [];
  let model: Token | undefined;
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.text.startsWith('-')) {
      if (!model && options.length === 0) model = t; // positional model right after the launcher
      continue;
    }
    const eq = t.text.indexOf('=');
    const rawKey = (eq > 0 ? t.text.slice(0, eq) : t.text).replace(/^-+/, '');
    const key = table.normalize(rawKey);
    const negated = key.startsWith('no-') && index.get(key.slice(3))?.type === 'boolean';
    const spec = index.get(negated ? key.slice(3) : key);
    if (eq > 0) {
      options.push({ key: rawKey, value: t.text.slice(eq + 1), keyRange: t.range, valueRange: t.range });
    } else if (negated) {
      options.push({ key: key.slice(3), value: false, keyRange: t.range, valueRange: t.range });
    } else if (spec?.type === 'boolean' && !/^(true|false)$/i.test(tokens[i + 1]?.text ?? '')) {
      options.push({ key: rawKey, value: true, keyRange: t.range, valueRange: t.range });
    } else if (spec?.list) {
      // argparse nargs='+': every word up to the next flag.
      const items: Token[] = [];
      while (tokens[i + 1] && !tokens[i + 1].text.startsWith('-')) items.push(tokens[++i]);
      const valueRange = items.length ? { start: items[0].range.start, end: items[items.length - 1].range.end } : t.range;
      options.push({ key: rawKey, value: items.map((x) => x.text), keyRange: t.range, valueRange, items: items.map((x) => ({ text: x.text, range: x.range })) });
    } else {
      const v = tokens[i + 1];
      if (v && !(v.text.startsWith('--') && spec?.type !== 'string')) {
        options.push({ key: rawKey, value: v.text, keyRange: t.range, valueRange: v.range });
        i++;
      } else {
        options.push({ key: rawKey, value: true, keyRange: t.range, valueRange: t.range });
      }
    }
  }
  const modelFlag = options.find((o) => MODEL_FLAGS[engine!].includes(table.normalize(o.key)));
  if (modelFlag && typeof modelFlag.value === 'string') model = { text: modelFlag.value, range: modelFlag.valueRange };
  return { engine, model, options: options.filter((o) => o !== modelFlag), launcher: words.slice(0, at).join(' '), tokens };
}
