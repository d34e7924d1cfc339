/**
 * Misspelled memory-relevant keys: a key the table does not know that is a near miss of one that changes memory gets
 * a did-you-mean problem with the rename (as the serving readers do). Other unknown keys are left alone: the tables
 * list what matters for memory, not every option a framework has.
 */
import { didYouMean } from '../../text/didYouMean';
import { entries } from '../document';
import { knownKeysAt, memoryKeysAt } from '../keys/training/types';
import type { Values } from './values';

export function checkKeys(values: Values, map: unknown, prefix = ''): void {
  const table = values.table;
  const known = knownKeysAt(table, prefix);
  const candidates = memoryKeysAt(table, prefix);
  for (const e of entries(map)) {
    if (known.has(e.key)) continue;
    const meant = didYouMean(e.key, candidates);
    if (!meant) continue;
    const shown = prefix ? `${prefix}.${e.key}` : e.key;
    const consequence = table.rejectsUnknown ? `${table.label} stops on keys it does not know` : `${table.label} ignores it, so "${meant}" keeps its default`;
    values.problems.push({
      code: 'unknown-key',
      severity: table.rejectsUnknown ? 'error' : 'warning',
      message: `Unknown ${table.label} key "${shown}" — did you mean "${meant}"? ${consequence}.`,
      range: values.keyRange(e),
      rename: { range: values.keyRange(e), from: e.key, to: meant },
    });
  }
}
