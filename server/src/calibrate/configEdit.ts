/**
 * Writes fitted factors into `.deploy-advisor.yaml` (or the calibration file it points at) as an edit of the YAML
 * document: the `calibration:` list gains or replaces the entries of the GPU × engine pairs fitted now, every other key,
 * entry and comment stays as written.
 */
import { Document, isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import type { CalibrationEntry } from '../plan/calibration';

const sameSlot = (node: unknown, e: CalibrationEntry) =>
  isMap(node) && String(node.get('gpu') ?? '').toLowerCase() === e.gpu.toLowerCase() && node.get('engine') === e.engine;

/** The file's text with `entries` in its `calibration:` list. Throws when the file is not a YAML mapping. */
export function withCalibration(text: string | undefined, entries: CalibrationEntry[]): string {
  const doc: Document = parseDocument(text ?? '');
  if (doc.errors.length) throw new Error(`not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({});
  if (!isMap(doc.contents)) throw new Error('the file is not a YAML mapping');
  let list = doc.get('calibration', true);
  if (!isSeq(list)) {
    list = doc.createNode([]) as YAMLSeq;
    doc.set('calibration', list);
  }
  const seq = list as YAMLSeq;
  for (const e of entries) {
    const node = doc.createNode(e);
    const at = seq.items.findIndex((item) => sameSlot(item, e));
    if (at >= 0) seq.items[at] = node;
    else seq.items.push(node);
  }
  return doc.toString({ lineWidth: 0 });
}

/** Where `calibration:` points when it names a file (relative to the config), or undefined for an inline list. */
export function calibrationPointer(text: string): string | undefined {
  const doc = parseDocument(text);
  const v = doc.errors.length ? undefined : doc.get('calibration');
  return typeof v === 'string' ? v : undefined;
}
