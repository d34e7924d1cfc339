/** The editor's *Calibrate from Runs*: the bundled CLI in a child process, its JSON turned into the notification. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { calibrateArgs, calibrateSummary, runCalibrate } from '../../client/src/calibrateRuns';
import { dist, fixture } from '../support/paths';

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-calibrate-cmd-'));
  fs.mkdirSync(path.join(dir, '.git'));
  fs.cpSync(fixture('calibration-runs', 'paired'), path.join(dir, 'runs'), { recursive: true });
  return dir;
}

describe('Calibrate from Runs', () => {
  it('runs calibrate on the folder, writes the workspace config and sums up the held-out error', async () => {
    const dir = workspace();
    const out = await runCalibrate(dist('cli.js'), calibrateArgs([path.join(dir, 'runs')], 'H100'), dir);
    assert.equal(out.written, true);
    assert.equal(out.config, path.join(dir, '.deploy-advisor.yaml'));
    assert.match(fs.readFileSync(out.config, 'utf8'), /^calibration:\n {2}- gpu: H200\n/, 'the file\'s own GPU wins over the --gpu default');
    assert.match(calibrateSummary(out), /^Calibrated H200 × vllm on 4 run\(s\), held-out TTFT \d+ % → \d+ %, TPOT \d+ % → \d+ %\.$/);
  });

  it('no usable run: a summary that says what is needed; a bad path: the CLI\'s message', async () => {
    const out = await runCalibrate(dist('cli.js'), calibrateArgs([fixture('vllm')]), os.tmpdir());
    assert.equal(out.written, false);
    assert.match(calibrateSummary(out), /^No run to calibrate on/);
    await assert.rejects(runCalibrate(dist('cli.js'), calibrateArgs(['/nonexistent/runs']), os.tmpdir()), /no such file or folder/);
  });

  it('cancelling stops the child and writes nothing', async () => {
    const dir = workspace();
    let cancel: (() => void) | undefined;
    const p = runCalibrate(dist('cli.js'), calibrateArgs([path.join(dir, 'runs')]), dir, { onCancel: (f) => (cancel = f) });
    cancel!();
    await assert.rejects(p, /cancelled/);
    assert.equal(fs.existsSync(path.join(dir, '.deploy-advisor.yaml')), false);
  });
});
