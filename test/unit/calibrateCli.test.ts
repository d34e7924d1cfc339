/**
 * `deploy-advisor calibrate`: fit on real runs, write `.deploy-advisor.yaml`, and every later estimate uses it. The
 * held-out error before and after is the judge of whether calibrating helped.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseRepoConfig } from '../../server/src/policy/repoConfig';
import { dist, fixture, root } from '../support/paths';

const run = (...args: string[]) => spawnSync(process.execPath, [dist('cli.js'), ...args], { encoding: 'utf8' });

/** A repository holding a copy of test-fixtures/calibration-runs (a `.git` folder marks its root). */
function repoWithRuns(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-calibrate-'));
  fs.mkdirSync(path.join(dir, '.git'));
  fs.cpSync(fixture('calibration-runs'), path.join(dir, 'runs'), { recursive: true });
  return dir;
}

interface GroupJson {
  gpu: string;
  engine: string;
  factors: { bandwidth?: number; compute?: number; stepOverheadMs?: number };
  error: { fit: Pair; heldOut?: Pair };
  runs: Array<{ file: string; heldOut: boolean }>;
}
interface Pair { before: { ttftPct?: number; tpotPct?: number; runs: number }; after: { ttftPct?: number; tpotPct?: number; runs: number } }

describe('deploy-advisor calibrate', () => {
  it('fits H200 × vLLM on the fixture runs, writes a valid config at the repository root, and the held-out runs improve', () => {
    const dir = repoWithRuns();
    const r = run('calibrate', path.join(dir, 'runs'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { config: string; written: boolean; groups: GroupJson[]; skipped: unknown[] };
    assert.equal(j.config, path.join(dir, '.deploy-advisor.yaml'));
    assert.equal(j.written, true);
    assert.deepEqual(j.skipped, [], 'the README is not a run, so it is not listed; every result pairs');
    assert.deepEqual(j.groups.map((g) => [g.gpu, g.engine, g.runs.length]), [['H200', 'vllm', 16]]);
    const g = j.groups[0];
    const held = g.error.heldOut!;
    assert.equal(held.before.runs, 5);
    for (const m of ['ttftPct', 'tpotPct'] as const) assert.ok(held.after[m]! < held.before[m]!, `held-out ${m}: ${held.before[m]} → ${held.after[m]}`);
    for (const f of [g.factors.bandwidth, g.factors.compute]) assert.ok(f! > 0.25 && f! < 4, String(f));

    const text = fs.readFileSync(j.config, 'utf8');
    const loaded = parseRepoConfig(j.config, text);
    assert.deepEqual(loaded.problems, [], 'the schema accepts what calibrate wrote');
    assert.equal(loaded.calibration!.entries.length, 1);
    assert.equal(loaded.calibration!.entries[0].sources?.length, 16);
  });

  it('prints the held-out error before and after in text, and a dry run writes nothing', () => {
    const dir = repoWithRuns();
    const r = run('calibrate', path.join(dir, 'runs', 'paired'), '--dry-run');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /H200 SXM 141GB × vllm: 4 run\(s\), 3 fitted, 1 held out/);
    assert.match(r.stdout, /step overhead built-in \(fewer than 4 fitted runs\)/);
    assert.match(r.stdout, /held out \(1\)\s+TTFT [\d.]+ % → [\d.]+ %\s+TPOT [\d.]+ % → [\d.]+ %/);
    assert.match(r.stdout, /Dry run: nothing written/);
    assert.equal(fs.existsSync(path.join(dir, '.deploy-advisor.yaml')), false);
  });

  it('every later estimate below the config uses the factors and says so; memory does not move', () => {
    const dir = repoWithRuns();
    const config = path.join(dir, 'runs', 'paired', 'vllm-config.yaml');
    const before = JSON.parse(run('estimate', config, '--json').stdout);
    assert.equal(run('calibrate', path.join(dir, 'runs', 'paired')).status, 0);
    const after = JSON.parse(run('estimate', config, '--json').stdout);
    assert.ok(!before.assumptions.some((a: string) => /^Calibrated/.test(a)));
    assert.ok(after.assumptions.some((a: string) => /^Calibrated on your runs \(.*\.deploy-advisor\.yaml\): NVIDIA H200 SXM 141GB × vllm bandwidth ×/.test(a)), after.assumptions.join('\n'));
    assert.notEqual(after.latency.tpotMs, before.latency.tpotMs);
    assert.deepEqual(after.memory, before.memory);
  });

  it('a second calibration replaces its GPU × engine entry and keeps the rest of the config and its comments', () => {
    const dir = repoWithRuns();
    const file = path.join(dir, '.deploy-advisor.yaml');
    fs.writeFileSync(file, '# team defaults\ngpu: H100\ncalibration:\n  - gpu: B200\n    engine: vllm\n    bandwidth: 0.9\n    sources: [old.json]\n    fitted: "2026-01-01"\n');
    assert.equal(run('calibrate', path.join(dir, 'runs', 'paired')).status, 0);
    assert.equal(run('calibrate', path.join(dir, 'runs', 'paired')).status, 0);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^# team defaults\ngpu: H100\n/);
    const loaded = parseRepoConfig(file, text);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.calibration!.entries.map((e) => e.gpu), ['B200', 'H200']);
  });

  it('no runs: exit 1 and says what it needs; no path: exit 2', () => {
    const r = run('calibrate', fixture('vllm'), '--dry-run');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /No run to calibrate on/);
    assert.equal(run('calibrate').status, 2);
  });
});

const launchCsv = path.resolve(root, '../shared/calibration/serving-measurements-launch.csv');

describe('calibrate on InferenceX runs of ../shared it has no fixture of', { skip: !fs.existsSync(launchCsv) && 'needs ../shared/calibration/serving-measurements-launch.csv' }, () => {
  /** The rows of one GPU × vLLM group as the InferenceX result JSON they were processed from (every `step`-th row). */
  function inferencexRuns(system: string, step: number): string {
    const [head, ...lines] = fs.readFileSync(launchCsv, 'utf8').trim().split('\n');
    const cols = head.split(',');
    // The CSV quotes only its free-text columns, which come after every field read here.
    const rows = lines.map((l) => Object.fromEntries(l.split(',').slice(0, cols.length).map((v, i) => [cols[i], v])));
    const group = rows.filter((x) => x.system === system && x.backend === 'vllm' && x.harness.startsWith('inferencex') && x.model_path === 'openai/gpt-oss-120b');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-calibrate-ix-'));
    group.filter((_, i) => i % step === 0).forEach((x, i) => {
      const result = {
        hw: system.replace('_sxm', ''), framework: 'vllm', image: `vllm/vllm-openai:v${x.backend_version}`, model: x.model_path,
        tp: Number(x.launch_tp || x.tp_size), ep: 1, dp_attention: false, conc: Number(x.batch_size), isl: Number(x.isl), osl: Number(x.osl),
        mean_ttft: Number(x.silicon_ttft_ms) / 1000, mean_tpot: Number(x.silicon_tpot_ms) / 1000,
      };
      fs.writeFileSync(path.join(dir, `row-${String(i).padStart(3, '0')}.json`), JSON.stringify(result, null, 2));
    });
    return dir;
  }

  for (const [system, gpu] of [['h200_sxm', 'H200'], ['h100_sxm', 'H100-SXM']]) {
    it(`${gpu}: the held-out runs are no worse after calibrating than before`, () => {
      const r = run('calibrate', inferencexRuns(system, 4), '--dry-run', '--json');
      assert.equal(r.status, 0, r.stderr);
      const g = (JSON.parse(r.stdout).groups as GroupJson[]).find((x) => x.gpu === gpu)!;
      assert.ok(g && g.runs.length >= 12, `a ${gpu} group of InferenceX runs`);
      const held = g.error.heldOut!;
      for (const m of ['ttftPct', 'tpotPct'] as const) assert.ok(held.after[m]! <= held.before[m]!, `${gpu} held-out ${m}: ${held.before[m]} → ${held.after[m]}`);
    });
  }
});
