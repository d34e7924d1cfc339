/**
 * Findings for options the engine version in force renamed, deprecated or dropped (catalog/flagHistory.ts), with the
 * fix that writes them as that version does. The version is the plan's (image tag, `engine-version=` directive,
 * deployAdvisor.engineVersion); a file that states none runs the newest release, and the finding says it assumed so.
 */
import { flagChange, FlagChange, flagState, releaseOf } from '../catalog/flagHistory';
import { engines } from '../estimator/engines';
import { DeploymentPlan, engineLabels, KeyOccurrence } from '../plan/types';
import type { Finding, FixIntent, FlagRewrite } from './types';

export interface VersionInForce {
  release: number[];
  text: string;
  /** Where the file (or the settings) state it, for the message. */
  from?: string;
  /** The file states no numbered version: the newest modelled release is assumed. */
  assumed: boolean;
}

export function versionInForce(plan: DeploymentPlan): VersionInForce {
  const stated = plan.engine.version?.value;
  const release = stated ? releaseOf(stated) : undefined;
  const src = plan.engine.version?.source;
  const from = src?.kind === 'file' ? (src.key === 'image tag' ? 'the image tag' : src.key) : src?.kind === 'setting' ? src.name : src?.kind === 'profile' ? src.file : undefined;
  if (release) return { release, text: stated!, assumed: false, ...(from ? { from } : {}) };
  const newest = engines[plan.engine.name.value].newestVersion;
  return { release: releaseOf(newest)!, text: newest, assumed: true };
}

/** The option as the user reads it: `--task`; TGI's with its environment variable (`MAX_INPUT_LENGTH`). */
const shown = (engine: string, c: FlagChange) => (engine === 'tgi' ? `--${c.flag} (${c.flag.replace(/-/g, '_').toUpperCase()})` : `--${c.flag}`);

const jsonValue = (v: unknown, numeric?: boolean): unknown => (numeric && typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v);

/** The rewrites that put the file in the version's spelling, and the words of the fix title; undefined: no fix. */
function rewritesFor(plan: DeploymentPlan, k: KeyOccurrence, c: FlagChange): { rewrites: FlagRewrite[]; says: string } | undefined {
  const r = c.replacement;
  // The new name already in the file (besides this option itself, which an alias may list under it): no rewrite.
  const present = (name: string) => (plan.keys ?? []).some((o) => o !== k && (o.name === name || o.written === name));
  switch (r.kind) {
    case 'rename':
      return present(r.to) ? undefined : { rewrites: [{ key: k, to: r.to }], says: `Rename to --${r.to}` };
    case 'remove':
      return { rewrites: [{ key: k, remove: true }], says: `Remove --${c.flag} — ${r.because}` };
    case 'switch-to-value':
      return present(r.to) ? undefined : { rewrites: [{ key: k, to: r.to, value: r.value }], says: `Write --${r.to} ${r.value}` };
    case 'switch-to-size': {
      if (present(r.to) || k.value === false || k.value === 'false') return undefined;
      const size = plan.knobs[r.sizeOf]?.value ?? 1;
      return { rewrites: [{ key: k, to: r.to, value: String(size) }], says: `Write --${r.to} ${size} (the tensor-parallel size, as --${c.flag} set it)` };
    }
    case 'values': {
      const v = String(k.value ?? '').trim();
      if (!(v in r.values)) return undefined;
      const m = r.values[v];
      if (m === null) return { rewrites: [{ key: k, remove: true }], says: `Remove --${c.flag} ${v} — the default` };
      if (present(r.to)) return undefined;
      const add = (m.add ?? []).filter((a) => !present(a.name));
      return { rewrites: [{ key: k, to: r.to, value: m.value, add }], says: `Write --${r.to} ${m.value}${add.map((a) => ` --${a.name} ${a.value}`).join('')}` };
    }
    case 'into-json': {
      if (present(r.to)) return undefined;
      // Every flat option of the group the file writes goes into one JSON value, placed where the first of them is.
      const group = (plan.keys ?? []).flatMap((o) => {
        const oc = o.written ? flagChange(plan.engine.name.value, o.written) : undefined;
        return oc && oc.replacement.kind === 'into-json' && oc.replacement.to === r.to ? [{ o, field: oc.replacement.field, numeric: oc.replacement.numeric }] : [];
      });
      if (group.some((g) => g.o.value === undefined || g.o.value === true)) return undefined;
      const json = JSON.stringify(Object.fromEntries(group.map((g) => [g.field, jsonValue(g.o.value, g.numeric)])));
      const [first, ...rest] = group;
      return { rewrites: [{ key: first.o, to: r.to, value: json }, ...rest.map((g) => ({ key: g.o, remove: true as const }))], says: `Write --${r.to} '${json}'` };
    }
  }
}

/** Findings of one kind (deprecated or removed) for every option of the plan the version in force changed. */
export function flagFindings(plan: DeploymentPlan, rule: string, state: 'deprecated' | 'removed'): Finding[] {
  const engine = plan.engine.name.value;
  const label = engineLabels[engine];
  const v = versionInForce(plan);
  const out: Finding[] = [];
  for (const k of plan.keys ?? []) {
    const c = k.written ? flagChange(engine, k.written) : undefined;
    if (!c) continue;
    const s = flagState(c, v.release);
    if (s.state !== state) continue;
    const inForce = v.assumed ? `The newest ${label} (${v.text}, assumed: the file states no version)` : `${label} ${v.text}${v.from ? ` (${v.from})` : ''}`;
    const does = s.effect === 'refused' ? `${inForce} refuses to start on it ("unrecognized arguments")` : s.effect === 'ignored' ? `${inForce} accepts it and ignores it` : `${inForce} still accepts it, with a deprecation warning`;
    const fix = rewritesFor(plan, k, c);
    const fixes: FixIntent[] = fix ? [{ title: fix.says, changes: [], flagRewrites: fix.rewrites, preferred: true }] : [];
    const then = state === 'removed' ? `removed in ${label} ${s.since}` : `deprecated since ${label} ${s.since}`;
    out.push({
      rule,
      severity: s.effect === 'refused' && !v.assumed ? 'error' : 'warning',
      ...(s.effect === 'refused' && !v.assumed ? { refusesStart: true } : {}),
      message: `${shown(engine, c)} is ${then}: ${c.why}. ${does}.${fix ? ` ${fix.says}.` : ''}`,
      range: k.keyRange,
      fixes,
    });
  }
  return out;
}
