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

describe('MiniCPM (the generic reader, exact for its Llama shape)', () => {
  it('MiniCPM-2B: 2.72 B with its tied embedding (the card: 2.4 B without); MoE-8x2B: 13.6 B without embeddings', () => {
    const dense = countParams(modelFromConfig('m', catalogConfig('openbmb/MiniCPM-2B-sft-bf16')!));
    assert.ok(Math.abs((dense.total - dense.embedding) / 2.4e9 - 1) < 0.02, `${dense.total}`);
    const moe = modelFromConfig('m', catalogConfig('openbmb/MiniCPM-MoE-8x2B')!);
    const p = countParams(moe);
    assert.equal(moe.unmodelled, undefined);
    assert.ok(Math.abs((p.total - p.embedding) / 13.6e9 - 1) < 0.01, `${p.total}`);
  });
});

describe('MiniCPM-V 2 (the MiniCPM language model + encoders/minicpmVision.ts)', () => {
  it('3.01 B language model + 0.43 B SigLIP tower (last block dropped) and resampler = the checkpoint\'s 3.43 B; towers whole on every rank', () => {
    const m = modelFromConfig('openbmb/MiniCPM-V-2', catalogConfig('openbmb/MiniCPM-V-2')!);
    const p = countParams(m);
    assert.equal(m.unmodelled, undefined);
    assert.ok(Math.abs((p.total + p.encoders) / 3.43e9 - 1) < 0.005, `${p.total + p.encoders}`);
    assert.equal(m.encoders?.[0].sharding, 'replicated');
    assert.ok(Number.isInteger(p.encoders));
  });
});
