/**
 * A fix intent → minimal text edits in the file's own syntax. An option already in the file is changed in place
 * (its value, or its `--key=value` token); a new one is added after the last option, spelled and quoted like its
 * neighbours. Comments, order and formatting elsewhere are untouched.
 */
import type { DeploymentPlan, EngineKnobs, EngineName, SourceRange, Sourced, WriteBack } from '../plan/types';
import type { FixIntent, KnobChange } from '../rules/types';
import { tgiEnvName } from '../formats/tgi';
import { engineValue, expressible, knobKey } from './knobNames';

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

type Lines = string[];

function offsetText(lines: Lines, r: SourceRange): string {
  if (r.start.line === r.end.line) return (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), (lines[r.end.line] ?? '').slice(0, r.end.character)].join('\n');
}

/** A YAML scalar for a value, quoted like the text it replaces (or when YAML needs it). */
function yamlScalar(value: string | number | boolean, quote: string): string {
  const s = String(value);
  if (quote === '"') return JSON.stringify(s);
  if (quote === "'") return `'${s.replace(/'/g, "''")}'`;
  return /^[\w.\-/+]+$/.test(s) ? s : `'${s.replace(/'/g, "''")}'`;
}

const quoteAt = (text: string) => (text.startsWith('"') ? '"' : text.startsWith("'") ? "'" : '');

function keyName(engine: EngineName, knob: keyof EngineKnobs, wb: WriteBack | undefined): string[] | undefined {
  if (wb?.kind === 'mapping' && wb.keyNames) {
    const own = wb.keyNames[knob];
    return own ? [own] : undefined;
  }
  const k = knobKey(engine, knob);
  if (!k) return undefined;
  return wb?.kind === 'mapping' && wb.keyStyle === 'underscore' ? k.path.map((p) => p.replace(/-/g, '_')) : k.path;
}

/** Changes an option that is already in the file. */
function replaceInPlace(lines: Lines, s: Sourced<unknown>, engine: EngineName, c: KnobChange): TextEdit | undefined {
  if (s.source.kind !== 'file') return undefined;
  const r = s.source.range;
  const current = offsetText(lines, r);
  const q = quoteAt(current);
  const inner = q ? current.slice(1, -1) : current;
  const v = engineValue(engine, c.knob, c.value);
  const flag = /^--?[\w.-]+/.exec(inner)?.[0];
  if (flag && typeof v === 'boolean' && s.value === !v && !inner.includes('=')) {
    // A boolean flag token: `--x` ↔ `--no-x`.
    const name = flag.replace(/^--(no-)?/, '');
    return { range: r, newText: `${q}--${v ? '' : 'no-'}${name}${q}` };
  }
  if (flag && inner.includes('=')) return { range: r, newText: `${q}${inner.slice(0, inner.indexOf('=') + 1)}${v}${q}` };
  return { range: r, newText: yamlScalar(v, q) };
}

function insertLines(lines: Lines, afterLine: number, text: string): TextEdit {
  if (afterLine + 1 < lines.length) return { range: { start: { line: afterLine + 1, character: 0 }, end: { line: afterLine + 1, character: 0 } }, newText: `${text}\n` };
  const end = { line: afterLine, character: (lines[afterLine] ?? '').length };
  return { range: { start: end, end }, newText: `\n${text}` };
}

/** Adds an option the file does not have yet. */
function insert(lines: Lines, wb: WriteBack, engine: EngineName, c: KnobChange): TextEdit | undefined {
  const v = engineValue(engine, c.knob, c.value);
  if (wb.kind === 'mapping') {
    const path = keyName(engine, c.knob, wb);
    if (!path) return wb.fallback ? insert(lines, wb.fallback, engine, c) : undefined;
    if (path.length === 2) {
      const nested = wb.nested?.[path[0]];
      if (nested) return insertLines(lines, nested.afterLine, `${nested.indent}${path[1]}: ${yamlScalar(v, '')}`);
      return insertLines(lines, wb.afterLine, `${wb.indent}${path[0]}:\n${wb.indent}  ${path[1]}: ${yamlScalar(v, '')}`);
    }
    return insertLines(lines, wb.afterLine, `${wb.indent}${path[0]}: ${yamlScalar(v, '')}`);
  }
  const k = knobKey(engine, c.knob);
  if (!k || k.path.length > 1) return undefined;
  if (wb.kind === 'env') {
    // Kubernetes env values are strings.
    const name = tgiEnvName(k.path[0]);
    return insertLines(lines, wb.afterLine, wb.style === 'list' ? `${wb.indent}- name: ${name}\n${wb.indent}  value: ${JSON.stringify(String(v))}` : `${wb.indent}${name}: ${yamlScalar(v, '')}`);
  }
  const flag = `--${k.path[0]}`;
  const words = typeof v === 'boolean' ? [v ? flag : `--no-${k.path[0]}`] : wb.equals ? [`${flag}=${v}`] : [flag, String(v)];
  switch (wb.mode) {
    case 'block':
      return insertLines(lines, wb.after.line, words.map((w) => `${wb.indent}- ${wb.quote ? yamlScalar(w, wb.quote) : yamlScalar(w, '')}`).join('\n'));
    case 'flow':
      return { range: { start: wb.after, end: wb.after }, newText: words.map((w) => `, ${yamlScalar(w, wb.quote || '"')}`).join('') };
    case 'words': {
      // Shell-quoted words (a JSON value), then escaped for the YAML scalar holding the shell string.
      const shell = words.map((w) => ` ${/^[\w.\-/+=]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`}`).join('');
      const newText = wb.quote === '"' ? shell.replace(/[\\"]/g, (c) => `\\${c}`) : wb.quote === "'" ? shell.replace(/'/g, "''") : shell;
      return { range: { start: wb.after, end: wb.after }, newText };
    }
  }
}

/** A rename edits exactly the `from` text inside its (one-line) range: quotes, `--` and `=value` around it stay. */
function renameEdit(lines: Lines, r: NonNullable<FixIntent['rename']>): TextEdit | undefined {
  if (r.range.start.line !== r.range.end.line) return undefined;
  const at = offsetText(lines, r.range).indexOf(r.from);
  if (at < 0) return undefined;
  const start = { line: r.range.start.line, character: r.range.start.character + at };
  return { range: { start, end: { line: start.line, character: start.character + r.from.length } }, newText: r.to };
}

/** A key the file writes with a value the reader rejected (`max-num-seqs: lots`): the fix replaces that value rather
 *  than adding the key a second time. */
function writtenButUnread(plan: DeploymentPlan, knob: keyof EngineKnobs): Sourced<unknown> | undefined {
  const k = plan.keys?.find((o) => o.knob === knob);
  return k && { value: undefined, source: { kind: 'file', range: k.valueRange, key: k.name } };
}

/** Edits for every change of a fix, or undefined when this file cannot express one of them. */
export function editsForFix(fix: FixIntent, plan: DeploymentPlan | undefined, text: string): TextEdit[] | undefined {
  const lines = text.split('\n');
  if (fix.rename) {
    const e = renameEdit(lines, fix.rename);
    return e ? [e] : undefined;
  }
  if (!plan) return undefined;
  const engine = plan.engine.name.value;
  const edits: TextEdit[] = [];
  for (const c of fix.changes) {
    if (!expressible(engine, c.knob, c.value)) return undefined;
    const existing = (plan.knobs as Record<string, Sourced<unknown> | undefined>)[c.knob] ?? writtenButUnread(plan, c.knob);
    const e = existing?.source.kind === 'file' ? replaceInPlace(lines, existing, engine, c) : plan.writeBack ? insert(lines, plan.writeBack, engine, c) : undefined;
    if (!e) return undefined;
    edits.push(e);
    for (const r of plan.linked?.[c.knob] ?? []) edits.push({ range: r, newText: yamlScalar(engineValue(engine, c.knob, c.value), quoteAt(offsetText(lines, r))) });
  }
  // Insertions at the same point become one edit: deeper-indented lines first, since they continue the block that ends
  // there (a nested key such as kv_cache_config.dtype when that block is the file's last) and a shallower key would
  // close it; otherwise in the fix's order.
  const byPos = new Map<string, TextEdit[]>();
  for (const e of edits) {
    const key = `${e.range.start.line}:${e.range.start.character}:${e.range.end.line}:${e.range.end.character}`;
    byPos.set(key, [...(byPos.get(key) ?? []), e]);
  }
  return [...byPos.values()].map((group) => {
    const [first] = group;
    const isInsert = first.range.start.line === first.range.end.line && first.range.start.character === first.range.end.character;
    if (group.length === 1 || !isInsert) return group[group.length - 1];
    const indent = (e: TextEdit) => /^\n?( *)/.exec(e.newText)![1].length;
    return { ...first, newText: [...group].sort((a, b) => indent(b) - indent(a)).map((e) => e.newText).join('') };
  });
}
