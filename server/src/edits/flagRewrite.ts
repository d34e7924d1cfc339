/**
 * An option rewritten as a later engine release spells it, in the file's own syntax: the key renamed in its own style
 * (`--task` → `--runner`, `max_input_length:` → `max_input_tokens:`, `MAX_INPUT_LENGTH` → `MAX_INPUT_TOKENS`), its value
 * replaced where it changes, options added right after it (`--convert embed`), or the option removed (./remove.ts).
 * The option's place tells its syntax: a YAML mapping key, an args list item (block or flow), a word of a shell string,
 * or an environment variable.
 */
import type { DeploymentPlan, KeyOccurrence } from '../plan/types';
import type { FlagRewrite } from '../rules/types';
import { removeOne } from './remove';
import { Lines, offsetText, quoteAt, shellWord, stringScalar, TextEdit, yamlScalar } from './text';

type Site = 'mapping' | 'env' | 'block' | 'flow' | 'words';

/** How the file spells the option's name: `--max_num_seqs`, `max-num-seqs`, `MAX_INPUT_LENGTH`. */
function nameAt(text: string): { start: number; name: string } | undefined {
  const m = /[A-Za-z][A-Za-z0-9_-]*/.exec(text);
  return m ? { start: m.index, name: m[0] } : undefined;
}

/** A canonical dash name in the style of `written`. */
function styled(name: string, written: string): string {
  if (/^[A-Z0-9_]+$/.test(written) && /[A-Z]/.test(written)) return name.replace(/-/g, '_').toUpperCase();
  if (written.includes('_') && !written.includes('-')) return name.replace(/-/g, '_');
  return name;
}

function siteOf(lines: Lines, k: KeyOccurrence, keyText: string): Site {
  const inner = keyText.replace(/^["']/, '');
  if (!inner.startsWith('-')) return /^[A-Z][A-Z0-9_]*$/.test(nameAt(inner)?.name ?? '') ? 'env' : 'mapping';
  const before = (lines[k.keyRange.start.line] ?? '').slice(0, k.keyRange.start.character);
  if (/^\s*-\s*$/.test(before)) return 'block';
  if (/[[,]\s*$/.test(before)) return 'flow';
  return 'words';
}

/** Renames the key inside its range, keeping dashes, quotes and an `=value` around it. */
function renameKey(lines: Lines, k: KeyOccurrence, to: string): TextEdit | undefined {
  if (k.keyRange.start.line !== k.keyRange.end.line) return undefined;
  const text = offsetText(lines, k.keyRange);
  const at = nameAt(text);
  if (!at) return undefined;
  const start = { line: k.keyRange.start.line, character: k.keyRange.start.character + at.start };
  return { range: { start, end: { line: start.line, character: start.character + at.name.length } }, newText: styled(to, at.name) };
}

/** The command-line words of the rewritten option and the options added after it. */
function words(r: FlagRewrite, equals: boolean, style: string): string[] {
  const flag = (name: string) => `--${styled(name, style)}`;
  const one = (name: string, value: string | undefined) => (value === undefined ? [flag(name)] : equals ? [`${flag(name)}=${value}`] : [flag(name), value]);
  return [...one(r.to!, r.value), ...(r.add ?? []).flatMap((a) => one(a.name, a.value))];
}

/** The end of the option's text: its value's, or its key's when the value is on the key (`--x=1`, a switch). */
function spanEnd(k: KeyOccurrence) {
  const v = k.valueRange.end;
  const e = k.keyRange.end;
  return v.line > e.line || (v.line === e.line && v.character > e.character) ? v : e;
}

function rewriteOne(lines: Lines, plan: DeploymentPlan, r: FlagRewrite): TextEdit[] | undefined {
  const k = r.key;
  if (r.remove) return [removeOne(lines, k)];
  if (!r.to) return undefined;
  const keyText = offsetText(lines, k.keyRange);
  const site = siteOf(lines, k, keyText);
  const pure = r.value === undefined && !r.add?.length;
  if (pure || site === 'mapping') {
    const key = renameKey(lines, k, r.to);
    if (!key) return undefined;
    if (pure) return [key];
    if (site !== 'mapping') return undefined;
    // `key: value`: the value is replaced in its own quoting, added keys follow on their own lines at its indentation.
    const out: TextEdit[] = [key];
    if (r.value !== undefined) {
      const vt = offsetText(lines, k.valueRange);
      out.push({ range: k.valueRange, newText: yamlScalar(r.value, quoteAt(vt)) });
    }
    if (r.add?.length) {
      const indent = /^\s*/.exec(lines[k.keyRange.start.line] ?? '')![0];
      const style = nameAt(keyText)!.name;
      const end = spanEnd(k);
      const text = r.add.map((a) => `\n${indent}${styled(a.name, style)}: ${yamlScalar(a.value, '')}`).join('');
      out.push({ range: { start: { line: end.line, character: (lines[end.line] ?? '').length }, end: { line: end.line, character: (lines[end.line] ?? '').length } }, newText: text });
    }
    return out;
  }
  if (site === 'env') return undefined;
  const inner = keyText.replace(/^["']|["']$/g, '');
  const equals = inner.includes('=');
  const ws = words(r, equals, nameAt(inner)!.name);
  const fileQuote = plan.strings?.quote ?? '"';
  const q = quoteAt(keyText);
  const end = spanEnd(k);
  switch (site) {
    case 'block': {
      // Whole items: `- --task` / `- embed` → `- --runner` / `- pooling` / `- --convert` / `- embed`.
      const indent = (lines[k.keyRange.start.line] ?? '').slice(0, k.keyRange.start.character);
      const items = ws.map((w) => `${indent}${stringScalar(w, q, fileQuote)}`);
      return [{ range: { start: { line: k.keyRange.start.line, character: 0 }, end }, newText: items.join('\n') }];
    }
    case 'flow':
      return [{ range: { start: k.keyRange.start, end }, newText: ws.map((w) => stringScalar(w, q, fileQuote)).join(', ') }];
    case 'words': {
      const yamlQuote = plan.writeBack?.kind === 'argv' && plan.writeBack.mode === 'words' ? plan.writeBack.quote : '';
      return [{ range: { start: k.keyRange.start, end }, newText: ws.map((w) => shellWord(w, yamlQuote)).join(' ') }];
    }
  }
}

/** Edits for every rewrite, or undefined when one of the options cannot be rewritten where it is. */
export function flagRewriteEdits(lines: Lines, plan: DeploymentPlan, rewrites: FlagRewrite[]): TextEdit[] | undefined {
  const out: TextEdit[] = [];
  for (const r of rewrites) {
    const e = rewriteOne(lines, plan, r);
    if (!e) return undefined;
    out.push(...e);
  }
  return out;
}
