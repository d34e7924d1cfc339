/** `train --cheapest` and `report <training config>` through the bundled dist/cli.js. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dist, fixture } from '../support/paths';

const run = (...args: string[]) => spawnSync(process.execPath, [dist('cli.js'), ...args], { encoding: 'utf8' });
const QLORA = fixture('training', 'trl', 'zephyr-7b-sft-qlora.yaml');

describe('deploy-advisor train --cheapest (dist/cli.js)', () => {
  it('--json keeps the train contract and adds plans (cheapest first, each fitting) and search', () => {
    const r = run('train', QLORA, '--cheapest', '--target-tokens-per-sec', '20000', '--top', '4', '--json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['model', 'hardware', 'training', 'assumptions', 'findings', 'plans', 'search']) assert.ok(k in j, k);
    assert.equal(j.training.method, 'qlora');
    assert.ok(j.plans.length > 0 && j.plans.length <= 4);
    for (const p of j.plans) {
      assert.ok(p.fits && p.peakBytesPerGpu <= p.capacityBytesPerGpu);
      assert.ok(p.tokensPerSecond >= 20000 * 0.999);
      assert.equal(p.method, 'qlora');
      for (const k of ['gpu', 'gpus', 'precision', 'sharding', 'gradientCheckpointing', 'microBatch', 'gradAccum', 'stepSeconds', 'costPerHour', 'costPerMillionTokens', 'changes']) assert.ok(k in p, k);
    }
    for (let i = 1; i < j.plans.length; i++) assert.ok(j.plans[i - 1].costPerHour <= j.plans[i].costPerHour);
    assert.match(j.search.searchedFor, /20,000 tokens\/s/);
    assert.equal(j.search.current.isFile, true);
  });

  it('prints a table with the job\'s hours and $ for a token budget; exit 1 when nothing meets the target; search flags need --cheapest', () => {
    const r = run('train', 'meta-llama/Llama-3.1-8B', '--method', 'lora', '--cheapest', '--tokens', '500M', '--max-hours', '48');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /## Cheapest setups for meta-llama\/Llama-3\.1-8B/);
    assert.match(r.stdout, /\| 1 \| \d × \S+ \| lora · /);
    assert.match(r.stdout, /\d+\.\d h · \$\d/);
    const none = run('train', 'meta-llama/Llama-3.1-8B', '--cheapest', '--target-tokens-per-sec', '1e12', '--json');
    assert.equal(none.status, 1);
    assert.deepEqual(JSON.parse(none.stdout).plans, []);
    const stray = run('train', 'meta-llama/Llama-3.1-8B', '--tokens', '1B');
    assert.equal(stray.status, 2);
    assert.match(stray.stderr, /--tokens needs --cheapest/);
  });

  it('report <training config> --html writes the training page with its memory bar and cheapest setups', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'da-trainreport-')), 'r.html');
    const r = run('report', QLORA, '--html', out);
    assert.equal(r.status, 0, r.stderr);
    const html = fs.readFileSync(out, 'utf8');
    const json = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]);
    assert.equal(json.length, 1);
    const d = json[0];
    assert.equal(d.kind, 'training');
    assert.deepEqual(d.memory.segments.map((s: { label: string }) => s.label).slice(0, 2), ['weights', 'gradients']);
    assert.equal(d.memory.segments.at(-1).label, 'free');
    assert.ok(d.cheapest.plans.length > 0 && d.cheapest.plans.every((p: { fits: boolean }) => p.fits));
    assert.ok(d.throughput.tokensPerSecond > 0);
  });
});
