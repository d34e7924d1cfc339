/** `deploy-advisor report` beside benchmark results: the page's data holds the "Measured" section with the files' numbers. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dist, fixture } from '../support/paths';

function reportData(file: string): Array<Record<string, any>> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'da-measured-')), 'r.html');
  const r = spawnSync(process.execPath, [dist('cli.js'), 'report', file, '--html', out], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(fs.readFileSync(out, 'utf8'))![1]);
}

describe('report --html with benchmark results beside the config', () => {
  it('has the Measured section with each result\'s measured TTFT/TPOT, its predicted value and its file', () => {
    const folder = fixture('measured', 'gpt-oss-120b-h200-tp8');
    const [d] = reportData(path.join(folder, 'vllm-config.yaml'));
    const m = d.measured;
    assert.ok(m, 'a Measured section');
    assert.deepEqual(m.points.map((p: any) => p.concurrency), [4, 8, 16, 32]);
    for (const p of m.points) {
      const src = m.sources[p.source];
      const file = JSON.parse(fs.readFileSync(path.join(folder, src.path), 'utf8'));
      assert.equal(file.max_concurrency, p.concurrency);
      assert.equal(p.ttftMs.measured, Math.round(file.mean_ttft_ms * 100) / 100);
      assert.equal(p.tpotMs.measured, Math.round(file.mean_tpot_ms * 100) / 100);
      assert.ok(p.ttftMs.predicted > 0 && p.tpotMs.predicted > 0);
      assert.equal(src.format, 'vllm-bench');
    }
    assert.equal(m.excluded, 1, 'the TP 4 InferenceX row is another deployment\'s');
    assert.ok(!m.sources.some((s: any) => s.path.startsWith('other-tp/')));
    assert.ok(m.medianAbsErrorPct.ttftMs >= 0 && m.medianAbsErrorPct.tpotMs >= 0);
  });

  it('has no Measured section when no result is saved beside the config', () => {
    const [d] = reportData(fixture('vllm', 'kv-limited-chat.yaml'));
    assert.equal(d.measured, undefined);
  });
});
