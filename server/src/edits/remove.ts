/**
 * Taking an option out of the file: every key the file writes for the knob (and the options that only mean something
 * with it, SGLang's speculative-num-steps beside speculative-algorithm) is deleted in the file's own syntax — whole
 * lines where the option has its lines to itself (a YAML key with its nested block, an args item and its value item),
 * else the option's text with the separator before it (a flow list item, a word of a shell string).
 */
import type { DeploymentPlan, EngineKnobs, KeyOccurrence, SourceRange } from '../plan/types';
import type { Lines, TextEdit } from './text';

/** Options that go with a knob and must go with it (canonical key names, vLLM/SGLang/TensorRT-LLM spellings). */
const COMPANIONS: Partial<Record<keyof EngineKnobs, RegExp>> = {
  speculative: /^speculative[-_]/,
};

/** The keys the file writes for `knob`, and its companions. */
export function keysOf(plan: DeploymentPlan, knob: keyof EngineKnobs): KeyOccurrence[] {
  const also = COMPANIONS[knob];
  return (plan.keys ?? []).filter((k) => k.knob === knob || (also && also.test(k.name)));
}

/** The span of one option: from its key to the end of its value (a flag alone when the value is on its key). */
function span(k: KeyOccurrence): SourceRange {
  const after = (a: SourceRange['end'], b: SourceRange['end']) => a.line > b.line || (a.line === b.line && a.character > b.character);
  return { start: k.keyRange.start, end: after(k.valueRange.end, k.keyRange.end) ? k.valueRange.end : k.keyRange.end };
}

/** Deletes one option: its whole lines when nothing else is on them, else its text and the separator before it. */
export function removeOne(lines: Lines, k: KeyOccurrence): TextEdit {
  const r = span(k);
  const first = lines[r.start.line];
  const last = lines[r.end.line];
  const before = first.slice(0, r.start.character);
  const rest = last.slice(r.end.character);
  // YAML `key: value`, or a block-list item `- --flag` / `- value`: nothing but indentation, a dash and quotes around it.
  const alone = /^\s*(-\s*)?["']?$/.test(before) && /^["']?\s*(#.*)?$/.test(rest);
  if (alone) return { range: { start: { line: r.start.line, character: 0 }, end: { line: r.end.line + 1, character: 0 } }, newText: '' };
  // Inside a line: take the opening quote and the separator before it (", " or " "), and the closing quote after.
  const open = /(,\s*|\s+)(["']?)$/.exec(before);
  // A closing quote goes only with the opening one taken: the last word of a quoted shell string is followed by the
  // YAML scalar's own closing quote, which stays.
  const openQuote = open?.[2] ?? '';
  // The first item of a flow list (`[--flag, …`) has no separator before it: take the one after it instead.
  const close = open ? (openQuote && rest.startsWith(openQuote) ? 1 : 0) : (/^\s*,\s*/.exec(rest)?.[0].length ?? 0);
  const start = open ? r.start.character - open[0].length : r.start.character;
  return { range: { start: { line: r.start.line, character: start }, end: { line: r.end.line, character: r.end.character + close } }, newText: '' };
}

/** Edits that take `knob` out of the file, or undefined when the file does not write it. */
export function removalEdits(lines: Lines, plan: DeploymentPlan, knob: keyof EngineKnobs): TextEdit[] | undefined {
  const keys = keysOf(plan, knob);
  return keys.length ? keys.map((k) => removeOne(lines, k)) : undefined;
}
