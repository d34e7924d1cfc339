/** OPT (families/opt.ts) against its published parameter counts. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { kvBytesPerToken } from '../../server/src/estimator/memory';
import { countParams, modelFromConfig } from '../../server/src/estimator/model';

describe('OPT family', () => {
  // Hugging Face's parameter counts of the checkpoints (tied LM head, positions with OPT's 2-row offset).
  const cases: Array<[string, number, number]> = [
    ['facebook/opt-125m', 125_239_296, 12 * 2 * 768 * 2],
    ['facebook/opt-1.3b', 1_315_758_080, 24 * 2 * 2048 * 2],
    ['facebook/opt-6.7b', 6_658_473_984, 32 * 2 * 4096 * 2],
  ];
  for (const [id, params, kv] of cases) {
    it(`${id}: ${params} parameters, ${kv} KV bytes per token, read exactly`, () => {
      const m = modelFromConfig(id, catalogConfig(id)!);
      assert.equal(countParams(m).total, params);
      assert.equal(kvBytesPerToken(m, 2), kv);
      assert.equal(m.unmodelled, undefined);
      assert.equal(m.maxPositions, 2048);
    });
  }
});
