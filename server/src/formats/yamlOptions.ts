/** A YAML mapping → OptionEntry[] (with nested entries for keys whose spec has sub-keys). */
import { isMap, isScalar, isSeq, Node } from 'yaml';
import { entries, ParsedDocument, rangeOf } from './document';
import type { OptionEntry } from './engineOptions';
import { EngineKeyTable, keyIndex } from './keys/types';

export function optionEntries(doc: ParsedDocument, map: unknown, table: EngineKeyTable): OptionEntry[] {
  const index = keyIndex(table);
  return entries(map).map((e) => {
    const spec = index.get(table.normalize(e.key));
    const entry: OptionEntry = { key: e.key, value: e.value, keyRange: rangeOf(doc, e.keyNode), valueRange: rangeOf(doc, (e.valueNode ?? e.keyNode) as Node) };
    if (spec?.list && isSeq(e.valueNode)) entry.items = e.valueNode.items.filter(isScalar).map((i) => ({ text: String(i.value), range: rangeOf(doc, i as Node) }));
    if (spec?.properties && isMap(e.valueNode)) entry.children = optionEntries(doc, e.valueNode, { ...table, keys: spec.properties, otherOptions: [] });
    return entry;
  });
}
