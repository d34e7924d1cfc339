/**
 * Suppression comments, the same in the editor and in `check`:
 *   `# deploy-advisor-disable-next-line RULE[,RULE]`  the findings that start on the next line
 *   `# deploy-advisor-disable RULE[,RULE]`            the findings from this line to the end of the file
 * `//` works where the file's syntax has comments (JSONC); plain JSON has none, so JSON files cannot carry them.
 * Text after ` -- ` is the reason, for the reader. The `deploy-advisor-` prefix with a hyphen never matches the
 * `# deploy-advisor: gpu=…` directive (formats/directive.ts needs the colon right after `deploy-advisor`).
 */
import type { SourceRange } from '../plan/types';
import type { Finding } from '../rules/types';

const DIRECTIVE = /^(\s*(?:#|\/\/)\s*)deploy-advisor-(disable-next-line|disable)(?=\s|$)(.*)$/;

export interface Suppression {
  kind: 'next-line' | 'rest-of-file';
  /** 0-based line of the comment. */
  line: number;
  rules: Array<{ code: string; range: SourceRange }>;
  /** The whole directive (for a directive that names no rule). */
  range: SourceRange;
}

/** Cheap pre-test, so files without any directive cost one substring search. */
export function findSuppressions(text: string): Suppression[] {
  if (!text.includes('deploy-advisor-disable')) return [];
  const out: Suppression[] = [];
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const m = DIRECTIVE.exec(lines[line]);
    if (!m) continue;
    const head = m[1].length + 'deploy-advisor-'.length + m[2].length;
    const body = m[3].split(/\s--\s|\s--$/, 1)[0];
    const rules: Suppression['rules'] = [];
    for (const r of body.matchAll(/[^\s,]+/g)) {
      const start = head + (r.index ?? 0);
      rules.push({ code: r[0], range: { start: { line, character: start }, end: { line, character: start + r[0].length } } });
    }
    const text = lines[line].replace(/\r$/, '');
    out.push({ kind: m[2] === 'disable' ? 'rest-of-file' : 'next-line', line, rules, range: { start: { line, character: m[1].length }, end: { line, character: text.length } } });
  }
  return out;
}

function covers(s: Suppression, f: Finding): boolean {
  const at = f.range.start.line;
  return s.kind === 'next-line' ? at === s.line + 1 : at >= s.line;
}

/**
 * The findings no comment suppresses, and one `unused-suppression` (info) for every rule a comment names that
 * suppressed nothing (a rule that no longer fires there, or a misspelt code). Those can be suppressed in turn.
 */
export function applySuppressions(findings: Finding[], suppressions: Suppression[]): Finding[] {
  if (!suppressions.length) return findings;
  const used = new Set<string>();
  const key = (s: Suppression, code: string) => `${s.line}:${code}`;
  const suppressedBy = (f: Finding, mark: boolean) => {
    let hit = false;
    for (const s of suppressions) {
      if (!covers(s, f)) continue;
      for (const r of s.rules) {
        if (r.code !== f.rule) continue;
        hit = true;
        if (mark) used.add(key(s, r.code));
      }
    }
    return hit;
  };
  const kept = findings.filter((f) => !suppressedBy(f, true));
  const unused: Finding[] = [];
  for (const s of suppressions) {
    if (!s.rules.length) {
      unused.push({ rule: 'unused-suppression', severity: 'info', message: `deploy-advisor-${s.kind === 'next-line' ? 'disable-next-line' : 'disable'} names no rule; it suppresses nothing (name the rule codes, comma-separated).`, range: s.range });
      continue;
    }
    for (const r of s.rules) {
      if (used.has(key(s, r.code))) continue;
      const where = s.kind === 'next-line' ? 'on the next line' : 'below this line';
      unused.push({ rule: 'unused-suppression', severity: 'info', message: `Unused suppression: no ${r.code} finding ${where} (the rule no longer fires there, or the code is misspelt).`, range: r.range });
    }
  }
  return [...kept, ...unused.filter((f) => !suppressedBy(f, false))];
}
