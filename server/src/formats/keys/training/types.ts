/**
 * Training-config keys, one table per framework: type, default, what the key does and what it does to memory.
 * The training readers take their type checks, limits and did-you-mean candidates from these tables, and the editor's
 * completions and hovers can read them (the sibling of the serving engines' tables in ../types.ts).
 */
import type { TrainingFormat } from '../../../plan/training';
import type { KeyType } from '../types';

export interface TrainingKeySpec {
  /** As the framework spells it; nested keys dotted (`zero_optimization.stage`). */
  name: string;
  /** One type, or several where the framework takes either (axolotl `bf16: true | auto`). */
  type: KeyType | KeyType[];
  aliases?: string[];
  enum?: Array<string | number | boolean>;
  default?: string | number | boolean | null;
  /** The default in words, with its source, when it is not one literal. */
  defaultNote?: string;
  description: string;
  /** What it does to GPU memory or speed. Keys with an effect are the did-you-mean candidates for unknown keys. */
  effect?: string;
  /** The TrainingPlan field it sets (dotted), when it sets one. */
  field?: string;
  minimum?: number;
  /** Sanity bound: above it the value is reported and ignored (not a framework limit). */
  maximum?: number;
}

export interface TrainingKeyTable {
  format: TrainingFormat;
  /** The framework's name as its project writes it, for messages. */
  label: string;
  keys: TrainingKeySpec[];
  /** Keys the framework takes that change nothing Deploy Advisor models (no did-you-mean is offered against them). */
  otherKeys: string[];
  /** The framework stops on a key it does not know (so a misspelling is an error, not a silently ignored line). */
  rejectsUnknown: boolean;
}

export function trainingKeyIndex(table: TrainingKeyTable): Map<string, TrainingKeySpec> {
  const m = new Map<string, TrainingKeySpec>();
  for (const k of table.keys) {
    m.set(k.name, k);
    for (const a of k.aliases ?? []) m.set(a, k);
  }
  return m;
}

/** The keys one level below `prefix` ('' = top level) that the table knows, memory-relevant or not. */
export function knownKeysAt(table: TrainingKeyTable, prefix: string): Set<string> {
  const out = new Set<string>();
  const p = prefix ? `${prefix}.` : '';
  for (const name of [...table.keys.flatMap((k) => [k.name, ...(k.aliases ?? [])]), ...table.otherKeys]) {
    if (!name.startsWith(p)) continue;
    out.add(name.slice(p.length).split('.')[0]);
  }
  return out;
}

/** Memory-relevant keys one level below `prefix` (a key whose own entry, or one below it, has an effect): what a
 *  misspelled key is compared against. */
export function memoryKeysAt(table: TrainingKeyTable, prefix: string): string[] {
  const p = prefix ? `${prefix}.` : '';
  const out = new Set<string>();
  for (const k of table.keys) {
    if (!k.effect) continue;
    for (const n of [k.name, ...(k.aliases ?? [])]) if (n.startsWith(p)) out.add(n.slice(p.length).split('.')[0]);
  }
  return [...out];
}
