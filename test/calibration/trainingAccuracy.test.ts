/**
 * Regression guard on the training calibration (bench/trainingRows.ts): our measured H200 training steps
 * (bench/calibration/train-memory-h200.csv) and the published rows with stated settings
 * (bench/calibration/train-memory-published.csv). The peak's median error stays ≤ 10 % and fits/OOM is right on
 * every row. Both files are the project's own copies, so this never skips.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { deviceRows, publishedRows, summarizeTraining, trainingRows } from '../../bench/trainingRows';

describe('training peak memory against measured steps', () => {
  const rows = trainingRows();
  const s = summarizeTraining(rows);

  it('reads every measured row (41 device steps, 2 of them OOM; the published rows)', () => {
    assert.equal(deviceRows().length, 41);
    assert.ok(publishedRows().length >= 2);
    assert.equal(s.oomRows, 2);
  });

  it('peak memory: median abs error ≤ 10 %', () => {
    assert.ok(s.medianAbsPct <= 10, JSON.stringify(s));
  });

  it('fits / OOM right on every row', () => {
    const wrong = rows.filter((r) => !r.fitsAgree).map((r) => r.label);
    assert.deepEqual(wrong, []);
  });

  it('our own steps: every row within 5 % (the components are counted, not fitted to rows)', () => {
    const off = deviceRows().filter((r) => !r.measuredOom && Math.abs(r.errorPct) > 5).map((r) => `${r.label}: ${r.errorPct.toFixed(1)} %`);
    assert.deepEqual(off, []);
  });
});
