/** Weight formats read from quantization_config: ModelOpt's per-module forms (exclusions, mixed precision). */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { lowBitComputeShare, W4A16_COMPUTE_SHARE, weightFormatFromConfig } from '../../server/src/estimator/quantization';
import { GpuCatalog } from '../../server/src/catalog/gpus';

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

describe('4-bit weights on GPUs without FP4 tensor cores (W4A16)', () => {
  const gpus = new GpuCatalog();
  const h200 = gpus.find('H200')!;
  const b200 = gpus.find('B200')!;
  const mxfp4 = weightFormatFromConfig(catalogConfig('openai/gpt-oss-120b')!);
  const nv = weightFormatFromConfig(catalogConfig('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-NVFP4')!);
  const awq = weightFormatFromConfig({ quantization_config: { quant_method: 'awq', bits: 4, group_size: 128 } });

  it('slows the 4-bit GEMMs on Hopper to the W4A16 share, leaving 16-bit modules at full rate', () => {
    assert.equal(lowBitComputeShare(mxfp4, h200, mxfp4.expertBytes), W4A16_COMPUTE_SHARE);
    assert.equal(lowBitComputeShare(mxfp4, h200, mxfp4.attentionBytes), 1); // gpt-oss attention stays bf16
    assert.equal(lowBitComputeShare(nv, h200, nv.expertBytes), W4A16_COMPUTE_SHARE); // NVFP4 emulated on Hopper
    assert.ok(W4A16_COMPUTE_SHARE > 0 && W4A16_COMPUTE_SHARE < 1);
  });

  it('leaves FP4 blocks at full rate on Blackwell, but not int4 (still Marlin there)', () => {
    assert.equal(lowBitComputeShare(mxfp4, b200, mxfp4.expertBytes), 1);
    assert.equal(lowBitComputeShare(nv, b200, nv.expertBytes), 1);
    assert.equal(lowBitComputeShare(awq, b200, awq.linearBytes), W4A16_COMPUTE_SHARE);
  });
});
