/**
 * The README's rule table and package.json's `deployAdvisor.rules` setting list every code the product emits, and
 * nothing else. The codes are read from the sources: rule codes (`code: '…'`), format problems (`code: '…'`, `rule:
 * '…'`), estimator issues (`bad('…', …)`, and the codes of a `code: x ? 'a' : 'b'`).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../../server/src/rules/registry';
import { root } from '../support/paths';

const CODE = '[a-z0-9][a-z0-9-]*';
const PATTERNS = [
  new RegExp(`\\b(?:code|rule):\\s*'(${CODE})'`, 'g'),
  new RegExp(`\\b(?:bad|refuse)\\(\\s*'(${CODE})'`, 'g'),
  new RegExp(`\\bcode:\\s*[^,'}]*\\?\\s*'(${CODE})'\\s*:\\s*'(${CODE})'`, 'g'),
];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sources(p) : d.name.endsWith('.ts') ? [p] : [];
  });
}

/** code → the first source file that emits it. */
function emittedCodes(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of sources(path.join(root, 'server', 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const re of PATTERNS) {
      for (const m of text.matchAll(re)) for (const code of m.slice(1).filter(Boolean)) if (!out.has(code)) out.set(code, path.relative(root, file));
    }
  }
  return out;
}

/** The codes in the first column of README.md's rule table (the table headed `| rule | default | when |`). */
function readmeCodes(): Set<string> {
  const lines = fs.readFileSync(path.join(root, 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => /^\|\s*rule\s*\|\s*default\s*\|\s*when\s*\|/.test(l));
  assert.ok(start >= 0, 'README.md has no rule table (| rule | default | when |)');
  const out = new Set<string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const first = line.split('|')[1];
    for (const m of first.matchAll(/`([^`]+)`/g)) out.add(m[1]);
  }
  return out;
}

function settingCodes(): Set<string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const configs = [pkg.contributes.configuration].flat();
  const rulesSetting = configs.map((c: { properties: Record<string, { properties?: object }> }) => c.properties['deployAdvisor.rules']).find(Boolean);
  assert.ok(rulesSetting?.properties, 'package.json has no deployAdvisor.rules properties');
  return new Set(Object.keys(rulesSetting.properties));
}

describe('rule codes: README table and settings in step with the sources', () => {
  const emitted = emittedCodes();

  it('the source scan finds every registered rule and the format and estimator codes', () => {
    for (const r of rules) assert.ok(emitted.has(r.code), `rule ${r.code} not found by the scan`);
    for (const c of ['syntax', 'unknown-key', 'binary', 'reader-error', 'gpu-count-mismatch', 'request-exceeds-max-len', 'model-config', 'estimator-error']) assert.ok(emitted.has(c), `${c} not found by the scan`);
  });

  it('README.md\'s rule table lists every code the product emits, and only those', () => {
    const listed = readmeCodes();
    const missing = [...emitted].filter(([c]) => !listed.has(c)).map(([c, file]) => `\`${c}\` (emitted in ${file}) is missing from README.md's rule table`);
    const extra = [...listed].filter((c) => !emitted.has(c)).map((c) => `\`${c}\` is in README.md's rule table but no source emits it`);
    assert.ok(!missing.length && !extra.length, [...missing, ...extra].join('\n'));
  });

  it('package.json\'s deployAdvisor.rules setting names every code, and only those', () => {
    const listed = settingCodes();
    const missing = [...emitted].filter(([c]) => !listed.has(c)).map(([c, file]) => `"${c}" (emitted in ${file}) is missing from package.json contributes.configuration deployAdvisor.rules.properties`);
    const extra = [...listed].filter((c) => !emitted.has(c)).map((c) => `"${c}" is in package.json deployAdvisor.rules.properties but no source emits it`);
    assert.ok(!missing.length && !extra.length, [...missing, ...extra].join('\n'));
  });
});
