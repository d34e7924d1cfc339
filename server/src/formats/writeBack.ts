/** How fixes add options to each kind of source (see WriteBack in plan/types.ts). */
import { isMap, isScalar, isSeq, Node, Pair, visit, YAMLMap, YAMLSeq } from 'yaml';
import type { SourceRange, StringSites, WriteBack } from '../plan/types';
import type { Token } from './commandLine';
import { ParsedDocument, position, rangeOf } from './document';

/** The quote character most of the object's quoted scalars use (double quotes when it quotes none). */
export function quoteStyle(node: unknown): '"' | "'" {
  let double = 0;
  let single = 0;
  visit(node as Node, {
    Scalar(_, s) {
      if (s.type === 'QUOTE_DOUBLE') double++;
      else if (s.type === 'QUOTE_SINGLE') single++;
    },
  });
  return single > double ? "'" : '"';
}

/**
 * Where a container's strings are: its argv items (one YAML scalar per token in a `command`/`args` list, a Compose
 * `command` list, Helm `extraArgs`) and its environment values. Kubernetes types them `[]string` / string, so an edit
 * that writes `8` bare there makes kubectl reject the manifest.
 */
export function stringSites(doc: ParsedDocument, scope: unknown, tokens: Token[], env?: unknown): StringSites {
  const ranges: SourceRange[] = tokens.filter((t) => t.origin && t.origin.mode !== 'words').map((t) => t.range);
  if (isSeq(env)) {
    for (const item of env.items) {
      const v = isMap(item) ? (item as YAMLMap).get('value', true) : undefined;
      if (isScalar(v)) ranges.push(rangeOf(doc, v as Node));
    }
  } else if (isMap(env)) {
    for (const p of (env as YAMLMap).items) if (isScalar(p.value)) ranges.push(rangeOf(doc, p.value as Node));
  }
  return { ranges, quote: quoteStyle(scope) };
}

/** New keys go after the mapping's last line, indented like its keys, spelled like them. */
export function mappingWriteBack(doc: ParsedDocument, map: unknown, opts: { snake?: boolean; nestedKeys?: string[] } = {}): WriteBack | undefined {
  if (!isMap(map) || !(map as YAMLMap).items.length) return undefined;
  const items = (map as YAMLMap).items;
  const firstKey = items[0].key as Node;
  const last = items[items.length - 1];
  const end = ((last.value as Node | null)?.range ?? (last.key as Node).range)?.[1] ?? 0;
  const col = position(doc.lineCounter, firstKey.range?.[0] ?? 0).character;
  const keys = items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  const nested: Record<string, { afterLine: number; indent: string }> = {};
  for (const k of opts.nestedKeys ?? []) {
    const child = (map as YAMLMap).get(k, true);
    const wb = mappingWriteBack(doc, child);
    if (wb?.kind === 'mapping') nested[k] = { afterLine: wb.afterLine, indent: wb.indent };
  }
  return {
    kind: 'mapping',
    afterLine: position(doc.lineCounter, Math.max(0, end - 1)).line,
    indent: ' '.repeat(col),
    keyStyle: opts.snake || (keys.some((k) => k.includes('_')) && !keys.some((k) => k.includes('-'))) ? 'underscore' : 'dash',
    nested,
  };
}

/** New variables go after the last one, in the same `env:` list (Kubernetes) or `environment:` mapping (Compose). */
export function envWriteBack(doc: ParsedDocument, env: unknown): WriteBack | undefined {
  const items = isSeq(env) || isMap(env) ? (env as YAMLSeq | YAMLMap).items : [];
  if (!items.length) return undefined;
  const first = (isMap(env) ? (items[0] as Pair).key : items[0]) as Node;
  const lastItem = items[items.length - 1] as Node | Pair;
  const lastNode = (isMap(env) ? ((lastItem as Pair).value ?? (lastItem as Pair).key) : lastItem) as Node;
  const end = lastNode?.range?.[1] ?? 0;
  // A list item's own column is its `-`, one indent left of its keys.
  const col = position(doc.lineCounter, first.range?.[0] ?? 0).character - (isSeq(env) ? 2 : 0);
  return { kind: 'env', style: isSeq(env) ? 'list' : 'mapping', afterLine: position(doc.lineCounter, Math.max(0, end - 1)).line, indent: ' '.repeat(Math.max(0, col)) };
}

/** Where a container's new options go: after its launch command's last token, or — TGI configured through its
 *  environment alone — among its variables. */
export function launchWriteBack(doc: ParsedDocument, launch: { engine: string; tokens?: Token[] }, env: unknown): WriteBack | undefined {
  return argvWriteBack(launch.tokens ?? []) ?? (launch.engine === 'tgi' || launch.engine === 'tei' ? envWriteBack(doc, env) : undefined);
}

/** New flags go after the launch command's last token, in the same list or shell string. */
export function argvWriteBack(tokens: Token[]): WriteBack | undefined {
  const last = tokens[tokens.length - 1];
  if (!last?.origin) return undefined;
  const flags = tokens.filter((t) => t.text.startsWith('--'));
  return {
    kind: 'argv',
    mode: last.origin.mode,
    after: last.origin.mode === 'block' ? { line: last.range.end.line, character: 0 } : last.range.end,
    indent: last.origin.indent,
    quote: last.origin.quote,
    equals: flags.length > 0 && flags.filter((t) => t.text.includes('=')).length > flags.length / 2,
  };
}
