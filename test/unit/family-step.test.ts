/** Step-3.7-Flash (families/step3p7.ts) against the published size of its line. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { kvBytesPerToken, windowKvBytesPerToken } from '../../server/src/estimator/memory';
import { countParams, modelFromConfig } from '../../server/src/estimator/model';

describe('Step-3.7-Flash family', () => {
  const m = modelFromConfig('stepfun-ai/Step-3.7-Flash', catalogConfig('stepfun-ai/Step-3.7-Flash')!);
  const p = countParams(m);
  it('196 B total / 11 B active (StepFun: 196 B, 11 B active), read exactly with its assumptions stated', () => {
    assert.ok(Math.abs(p.total / 196e9 - 1) < 0.005, `${p.total}`);
    assert.ok(Math.abs(p.active / 11e9 - 1) < 0.02, `${p.active}`);
    assert.equal(m.unmodelled, undefined);
    assert.ok(m.assumptions.some((a) => /trimmed config/.test(a)));
  });
  it('KV: 12 full-attention layers grow, 33 sliding layers hold a 512-token window', () => {
    assert.equal(kvBytesPerToken(m, 2), 12 * 2 * 8 * 128 * 2);
    assert.equal(windowKvBytesPerToken(m, 2), 33 * 2 * 8 * 128 * 2);
  });
  it('the FP8 checkpoint is the same model in block-scaled FP8', () => {
    const f = modelFromConfig('x', catalogConfig('stepfun-ai/Step-3.7-Flash-FP8')!);
    assert.equal(countParams(f).total, p.total);
    assert.equal(f.weightFormat.name, 'fp8');
  });
});
