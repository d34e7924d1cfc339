/**
 * YAML held in a literal block scalar of another YAML file — a RayService's `serveConfigV2: |`, a ConfigMap's
 * `data: {extra.yaml: |}` — parsed where it is written: every character outside the scalar's content is blanked
 * (newlines kept), so the inner document keeps the outer file's offsets, lines and columns. A literal block's value
 * is its lines less one common indentation (YAML 1.2 §8.1.2), and YAML takes a uniformly indented document as it
 * would the same one unindented, so the inner nodes, their ranges, and edits written at them line up with the file.
 */
import { isScalar, Scalar } from 'yaml';
import { parseText, ParsedDocument } from './document';

export type Embedded = { doc: ParsedDocument } | { unreadable: string };

export function embeddedYaml(outer: ParsedDocument, node: unknown): Embedded | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const s = node as Scalar;
  if (s.type !== 'BLOCK_LITERAL') {
    // A folded or quoted string's value differs from its source text (joined lines, escapes): no exact ranges.
    return { unreadable: s.type === 'BLOCK_FOLDED' ? 'a folded block (`>`)' : 'a quoted or plain string' };
  }
  const [start, end] = s.range ?? [0, 0];
  const header = outer.text.indexOf('\n', start);
  if (header < 0 || header >= end) return undefined;
  const from = header + 1;
  const blank = (t: string) => t.replace(/[^\n\r]/g, ' ');
  const masked = blank(outer.text.slice(0, from)) + outer.text.slice(from, end) + blank(outer.text.slice(end));
  return { doc: parseText(outer.uri, masked) };
}
