/**
 * Typed reads of training-config values with their ranges. Wrong types and absurd numbers become a problem on the
 * key and the value is ignored (the framework default applies), never a throw. Limits come from the key tables.
 */
import { isMap, isScalar, isSeq, Node } from 'yaml';
import { sourced } from '../../plan/types';
import type { Provenance, SourceRange, Sourced } from '../../plan/types';
import { Entry, entries, ParsedDocument, rangeOf } from '../document';
import type { TrainingKeySpec, TrainingKeyTable } from '../keys/training/types';
import { trainingKeyIndex } from '../keys/training/types';
import type { FormatProblem } from '../types';
import { didYouMean } from '../../text/didYouMean';

/** PyYAML (which every one of these frameworks loads with) reads YAML 1.1 booleans: yes/no/on/off too. */
const TRUE = /^(true|yes|on|y)$/i;
const FALSE = /^(false|no|off|n)$/i;

export type Auto = { auto: true; entry: Entry; path: string };

export class Values {
  readonly problems: FormatProblem[] = [];
  private readonly index: Map<string, TrainingKeySpec>;

  constructor(readonly doc: ParsedDocument, readonly table: TrainingKeyTable) {
    this.index = trainingKeyIndex(table);
  }

  /** The entry for `key` in `map` (the last one when it is repeated: the loaders keep the last). */
  entry(map: unknown, key: string): Entry | undefined {
    const all = entries(map).filter((e) => e.key === key);
    return all[all.length - 1];
  }

  /** The first of several spellings that is present. */
  first(map: unknown, keys: string[]): { entry: Entry; key: string } | undefined {
    for (const key of keys) {
      const entry = this.entry(map, key);
      if (entry) return { entry, key };
    }
    return undefined;
  }

  valueRange(e: Entry): SourceRange {
    return rangeOf(this.doc, (e.valueNode as Node | null) ?? e.keyNode);
  }

  keyRange(e: Entry): SourceRange {
    return rangeOf(this.doc, e.keyNode);
  }

  src(e: Entry, path: string): Provenance {
    return { kind: 'file', range: this.valueRange(e), key: path };
  }

  at<T>(value: T, e: Entry, path: string): Sourced<T> {
    return sourced(value, this.src(e, path));
  }

  problem(severity: FormatProblem['severity'], message: string, range: SourceRange, code = 'invalid-value'): void {
    this.problems.push({ code, severity, message, range });
  }

  private spec(path: string): TrainingKeySpec | undefined {
    return this.index.get(path);
  }

  /** Present and not null (an empty `key:` means the default). */
  private present(map: unknown, key: string, prefix: string): { e: Entry; path: string; v: unknown } | undefined {
    const e = this.entry(map, key);
    if (!e || e.value === null || (e.value === undefined && !e.valueNode)) return undefined;
    const path = prefix ? `${prefix}.${key}` : key;
    if (e.value === undefined) {
      this.problem('info', `"${path}" takes its value from a YAML alias, which Deploy Advisor does not follow; the default is assumed.`, this.valueRange(e), 'alias-value');
      return undefined;
    }
    return { e, path, v: e.value };
  }

  private wrongType(path: string, e: Entry, want: string): undefined {
    this.problem('error', `${this.table.label}: "${path}" must be ${want} (got ${JSON.stringify(e.value)}); the default is assumed.`, this.valueRange(e));
    return undefined;
  }

  bool(map: unknown, key: string, prefix = ''): Sourced<boolean> | undefined {
    const p = this.present(map, key, prefix);
    if (!p) return undefined;
    if (typeof p.v === 'boolean') return this.at(p.v, p.e, p.path);
    if (typeof p.v === 'string' && TRUE.test(p.v.trim())) return this.at(true, p.e, p.path);
    if (typeof p.v === 'string' && FALSE.test(p.v.trim())) return this.at(false, p.e, p.path);
    return this.wrongType(p.path, p.e, 'true or false');
  }

  /** A number within the table's limits; `auto` (DeepSpeed's placeholder) comes back as Auto when allowed. */
  number(map: unknown, key: string, prefix = '', opts: { integer?: boolean; auto?: boolean } = {}): Sourced<number> | Auto | undefined {
    const p = this.present(map, key, prefix);
    if (!p) return undefined;
    let n: number | undefined;
    if (typeof p.v === 'number') n = p.v;
    else if (typeof p.v === 'string' && opts.auto && p.v.trim().toLowerCase() === 'auto') return { auto: true, entry: p.e, path: p.path };
    else if (typeof p.v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i.test(p.v)) n = Number(p.v);
    const want = opts.integer ? 'an integer' : 'a number';
    if (n === undefined || !Number.isFinite(n)) return this.wrongType(p.path, p.e, opts.auto ? `${want} or "auto"` : want);
    if (opts.integer && !Number.isInteger(n)) return this.wrongType(p.path, p.e, want);
    const spec = this.spec(p.path);
    if (spec?.minimum !== undefined && n < spec.minimum) {
      this.problem('error', `${this.table.label}: "${p.path}" must be at least ${spec.minimum} (got ${n}); the default is assumed.`, this.valueRange(p.e));
      return undefined;
    }
    if (spec?.maximum !== undefined && n > spec.maximum) {
      this.problem('warning', `"${p.path}: ${n}" is beyond anything Deploy Advisor models (at most ${spec.maximum}); the value is ignored.`, this.valueRange(p.e));
      return undefined;
    }
    if (spec?.enum && spec.enum.some((x) => typeof x === 'number') && !spec.enum.includes(n)) {
      this.problem('error', `${this.table.label}: "${p.path}" must be one of ${spec.enum.filter((x) => typeof x === 'number').join(', ')} (got ${n}); the default is assumed.`, this.valueRange(p.e));
      return undefined;
    }
    return this.at(n, p.e, p.path);
  }

  int(map: unknown, key: string, prefix = ''): Sourced<number> | undefined {
    const r = this.number(map, key, prefix, { integer: true });
    return r && 'auto' in r ? undefined : r;
  }

  num(map: unknown, key: string, prefix = ''): Sourced<number> | undefined {
    const r = this.number(map, key, prefix);
    return r && 'auto' in r ? undefined : r;
  }

  /** A scalar string (numbers and booleans as written are not strings: a problem). */
  str(map: unknown, key: string, prefix = ''): Sourced<string> | undefined {
    const p = this.present(map, key, prefix);
    if (!p) return undefined;
    if (typeof p.v === 'string') return this.at(p.v.trim(), p.e, p.path);
    return this.wrongType(p.path, p.e, 'a string');
  }

  /** A list of names: a YAML sequence of scalars, or one string split on commas / whitespace. */
  list(map: unknown, key: string, prefix = ''): Sourced<string[]> | undefined {
    const p = this.present(map, key, prefix);
    if (!p) return undefined;
    if (isSeq(p.e.valueNode)) {
      const items = p.e.valueNode.items;
      if (items.every((i) => isScalar(i) && (typeof i.value === 'string' || typeof i.value === 'number'))) {
        return this.at(items.map((i) => String((i as { value: unknown }).value).trim()), p.e, p.path);
      }
      return this.wrongType(p.path, p.e, 'a list of names');
    }
    if (typeof p.v === 'string') return this.at(p.v.split(/[\s,]+/).filter(Boolean), p.e, p.path);
    return this.wrongType(p.path, p.e, 'a list of names');
  }

  /** A nested mapping, or undefined. */
  map(map: unknown, key: string): { node: unknown; entry: Entry } | undefined {
    const e = this.entry(map, key);
    if (!e || e.value === null) return undefined;
    if (isMap(e.valueNode)) return { node: e.valueNode, entry: e };
    return undefined;
  }

  /** The written value if it is one of `allowed` (case-insensitive, as written back lower-cased); else a problem with
   *  the near miss as a rename of the value. */
  oneOf(s: Sourced<string> | undefined, allowed: readonly string[], what: string): Sourced<string> | undefined {
    if (!s) return undefined;
    const v = s.value.toLowerCase();
    const hit = allowed.find((a) => a.toLowerCase() === v);
    if (hit) return { value: hit, source: s.source };
    const range = (s.source as { range: SourceRange }).range;
    const meant = didYouMean(v, allowed.map((a) => a.toLowerCase()));
    const to = meant ? allowed.find((a) => a.toLowerCase() === meant)! : undefined;
    this.problems.push({
      code: 'invalid-value', severity: 'error', range,
      message: `${this.table.label}: "${s.value}" is not a ${what}${to ? ` — did you mean "${to}"?` : ` (${allowed.slice(0, 8).join(', ')}${allowed.length > 8 ? ', …' : ''})`}`,
      ...(to ? { rename: { range, from: s.value, to } } : {}),
    });
    return undefined;
  }

  /** Keys present whose table effect says "not modelled": listed in plan.unmodelled so findings can say so. */
  unmodelled(map: unknown, prefix = ''): { key: string; range: SourceRange }[] {
    const out: { key: string; range: SourceRange }[] = [];
    for (const e of entries(map)) {
      const path = prefix ? `${prefix}.${e.key}` : e.key;
      const spec = this.spec(path);
      const on = e.value !== null && e.value !== false && e.value !== undefined && !(typeof e.value === 'string' && FALSE.test(e.value));
      if (spec?.effect?.includes('not modelled') && on) out.push({ key: path, range: this.keyRange(e) });
    }
    return out;
  }
}

export const isAuto = (v: unknown): v is Auto => !!v && typeof v === 'object' && 'auto' in v;
