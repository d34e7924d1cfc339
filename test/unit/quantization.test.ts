/** Weight formats read from quantization_config: ModelOpt's per-module forms (exclusions, mixed precision). */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { weightFormatFromConfig } from '../../server/src/estimator/quantization';

const nvfp4 = 0.5 + 1 / 16;

describe('ModelOpt checkpoints', () => {
  it('exclude_modules keep the classes they name in 16 bits (Nemotron-3-Nano NVFP4: mixers and attention)', () => {
    const f = weightFormatFromConfig(catalogConfig('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-NVFP4')!);
    assert.equal(f.name, 'nvfp4');
    assert.equal(f.attentionBytes, 2);
    assert.equal(f.expertBytes, nvfp4);
    assert.equal(f.kvCacheDtype, 'fp8');
    assert.ok(f.notes.some((n) => /exclude_modules: attention/.test(n)), f.notes.join(' | '));
  });

  it('MIXED_PRECISION reads each module pattern with its own algorithm; unnamed classes stay 16-bit', () => {
    const m3 = weightFormatFromConfig(catalogConfig('nvidia/MiniMax-M3-NVFP4')!);
    assert.equal(m3.expertBytes, nvfp4);
    assert.equal(m3.attentionBytes, 1 + 1 / 32); // MXFP8 attention and index projections
    assert.equal(m3.linearBytes, 1 + 1 / 32); // MXFP8 dense and shared-expert MLPs
    assert.equal(m3.lmHeadBytes, 2);
    assert.equal(m3.compute, 'fp4');
    const lightning = weightFormatFromConfig(catalogConfig('nvidia/NVIDIA-Nemotron-3.5-Lightning-30B-A3B-NVFP4')!);
    assert.equal(lightning.expertBytes, nvfp4);
    // in_proj/out_proj FP8, but q/k/v/o excluded: the attention class is left 16-bit (its larger share).
    assert.equal(lightning.attentionBytes, 2);
    assert.equal(lightning.lmHeadBytes, nvfp4);
    assert.equal(lightning.weightOnly, true); // W4A16: 16-bit activations
  });

  it('a plain ModelOpt FP8 or NVFP4 config reads as before', () => {
    assert.equal(weightFormatFromConfig({ quantization_config: { quant_method: 'modelopt', quant_algo: 'FP8', exclude_modules: ['lm_head'] } }).attentionBytes, 1);
    assert.equal(weightFormatFromConfig({ quantization_config: { quant_method: 'modelopt', quant_algo: 'NVFP4', exclude_modules: ['lm_head'] } }).linearBytes, nvfp4);
  });
});
