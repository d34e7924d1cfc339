/**
 * `check` over all of test-fixtures/ against a stored summary (issue 21 Done-when): which files are read, every
 * workload's verdict and every finding's place, so a change in what check reports shows up as a diff to review.
 * Regenerate after an intended change:
 *   npx tsc -p tsconfig.json && node esbuild.mjs && DEPLOY_ADVISOR_UPDATE_EXPECTED=1 node --test out/test/unit/checkFixtures.test.js
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { dist, fixture, root } from '../support/paths';

const expectedFile = fixture('check', 'expected-summary.json');

interface Out {
  files: { read: number; recognised: number };
  counts: Record<string, number>;
  workloads: Array<{ file: string; name: string; model: string; engine: string; verdict: string; gpu: string; gpusPerReplica: number; replicas: number }>;
  findings: Array<{ file: string; line: number; column: number; rule: string; severity: string; workload?: number }>;
}

/** The parts that describe what check reports, not the estimator's exact figures (those have their own tests). */
function summary(o: Out) {
  return {
    files: o.files,
    counts: o.counts,
    workloads: o.workloads.map((w) => `${w.file} | ${w.name} | ${w.engine} ${w.model} | ${w.gpusPerReplica}×${w.gpu} ×${w.replicas} | ${w.verdict}`),
    findings: o.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}${f.workload === undefined ? '' : ` [${f.workload}]`}`),
  };
}

describe('check over all of test-fixtures/', () => {
  it('matches the stored summary (test-fixtures/check/expected-summary.json)', () => {
    const r = spawnSync(process.execPath, [dist('cli.js'), 'check', 'test-fixtures', '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', cwd: root, maxBuffer: 64 * 2 ** 20 });
    assert.equal(r.status, 0, r.stderr);
    const got = summary(JSON.parse(r.stdout) as Out);
    if (process.env.DEPLOY_ADVISOR_UPDATE_EXPECTED) fs.writeFileSync(expectedFile, `${JSON.stringify(got, null, 2)}\n`);
    const want = JSON.parse(fs.readFileSync(expectedFile, 'utf8'));
    assert.deepEqual(got.files, want.files, 'files read / recognised');
    assert.deepEqual(got.workloads, want.workloads);
    assert.deepEqual(got.findings, want.findings);
    assert.deepEqual(got.counts, want.counts);
    // The check repository's ignores hold here too: nothing under its ignored/ or legacy/ folders.
    assert.ok(!got.findings.some((f) => /check\/repo\/(ignored|legacy)\//.test(f)));
    assert.ok(got.files.recognised > 100 && got.workloads.length > 100);
  });
});
