/**
 * Per-GPU physics shares (estimator/gpuPhysics.ts, GpuSpec.measured): the roofline's ceilings come from each GPU's
 * measured shares where the catalog has them (H100 SXM, H200) and from the stated defaults elsewhere, per quantity.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { GpuCatalog, GpuSpec } from '../../server/src/catalog/gpus';
import { catalogConfig } from '../../server/src/catalog/models';
import { engines } from '../../server/src/estimator/engines';
import { DEFAULT_GEMM_STREAM_FRACTION, DEFAULT_HBM_FRACTION, DEFAULT_MOE_STREAM_FRACTION, DEFAULT_SUSTAINED, gemmStreamFraction, hbmFraction, moeStreamFraction, sustainedFraction } from '../../server/src/estimator/gpuPhysics';
import { attentionPeak, buildStepModel, busiestRankPicks, denseGemmSeconds, moeExpertsSeconds, rooflineRates } from '../../server/src/estimator/latency';
import { countParams, modelFromConfig } from '../../server/src/estimator/model';

const catalog = new GpuCatalog();
const H100 = catalog.find('H100-SXM')!;
const H200 = catalog.find('H200')!;
const B200 = catalog.find('B200')!;
const MI300X = catalog.find('MI300X')!;

describe('per-GPU physics shares', () => {
  it('H100 and H200 carry their own measured shares, and they differ as measured', () => {
    assert.ok(H100.measured && H200.measured);
    assert.equal(hbmFraction(H100), 0.9);
    assert.equal(hbmFraction(H200), 0.89);
    // Sustained under the same 700 W cap: the H200 keeps less of the datasheet rate (machine-h200.csv 665 / 1256).
    assert.ok(sustainedFraction(H200, 'bf16') < sustainedFraction(H100, 'bf16'));
    assert.ok(Math.abs(sustainedFraction(H200, 'bf16') * 989 - 665.5) < 1);
    assert.ok(Math.abs(sustainedFraction(H200, 'fp8') * 1979 - 1255.7) < 2);
    // Dense GEMMs stream large weights better on the H200, grouped expert GEMMs worse (kernel-limited).
    assert.ok(gemmStreamFraction(H200) > gemmStreamFraction(H100));
    assert.ok(moeStreamFraction(H200) < moeStreamFraction(H100));
  });

  it('the H100 SXM\'s measured shares are the stated defaults (its constants are fitted on it)', () => {
    assert.equal(hbmFraction(H100), DEFAULT_HBM_FRACTION);
    assert.equal(gemmStreamFraction(H100), DEFAULT_GEMM_STREAM_FRACTION);
    assert.equal(moeStreamFraction(H100), DEFAULT_MOE_STREAM_FRACTION);
    for (const d of ['bf16', 'fp8'] as const) assert.equal(sustainedFraction(H100, d), DEFAULT_SUSTAINED[d]);
  });

  it('a GPU without measurements uses the stated defaults (Blackwell, AMD; FP4 from the datasheet × 0.6)', () => {
    for (const g of [B200, MI300X]) {
      assert.equal(g.measured, undefined, `${g.id} has no device run here`);
      assert.equal(hbmFraction(g), DEFAULT_HBM_FRACTION);
      assert.equal(gemmStreamFraction(g), DEFAULT_GEMM_STREAM_FRACTION);
      assert.equal(moeStreamFraction(g), DEFAULT_MOE_STREAM_FRACTION);
      assert.equal(rooflineRates(g, 'bf16').bw, g.memBandwidth * DEFAULT_HBM_FRACTION);
    }
    assert.equal(rooflineRates(B200, 'fp4').peak, B200.tflops.fp4! * 0.6);
  });

  it('rooflineRates applies the GPU\'s own shares: same tensor datasheet, different sustained rate on H100 and H200', () => {
    assert.equal(H100.tflops.bf16, H200.tflops.bf16);
    assert.equal(rooflineRates(H100, 'bf16').peak, 989e12 * 0.7);
    assert.equal(rooflineRates(H200, 'bf16').peak, 989e12 * sustainedFraction(H200, 'bf16'));
    assert.equal(rooflineRates(H200, 'bf16').bw, 4800e9 * 0.89);
  });

  it('a user GPU that borrows the H100\'s fields does not borrow its measurements; an override of a measured GPU keeps them', () => {
    const c = catalog.withOverrides([{ id: 'MyGPU', memBandwidth: 5000e9 } as Partial<GpuSpec> & { id: string }, { id: 'H200', pricePerHour: 3 } as Partial<GpuSpec> & { id: string }]);
    assert.equal(c.find('MyGPU')!.measured, undefined);
    assert.equal(hbmFraction(c.find('MyGPU')!), DEFAULT_HBM_FRACTION);
    assert.equal(hbmFraction(c.find('H200')!), 0.89);
  });

  it('the step model reads the shares: a GPU given the H200\'s bandwidth but no measurements decodes at the default shares', () => {
    const id = 'Qwen/Qwen3-30B-A3B';
    const m = modelFromConfig(id, catalogConfig(id)!);
    const step = (gpu: GpuSpec): number => buildStepModel({ model: m, params: countParams(m), format: m.weightFormat, kvElementBytes: 2, gpu, par: { tp: 1, pp: 1, ep: 1 }, engine: { ...engines.vllm, stepOverheadSec: 0 }, knobs: { ...engines.vllm.defaults(gpu, [0, 19, 0], 1, 1, m.maxPositions), cudaGraphs: true }, nodes: 1 }).step(64, 2048, 0, 0, 64);
    const unmeasured: GpuSpec = { ...H200, id: 'H200-unmeasured', measured: undefined };
    // The measured H200 streams its grouped experts at 0.67 of the bandwidth, not the default 0.85: a slower MoE decode.
    assert.ok(step(H200) > step(unmeasured) * 1.02, `${step(H200)} vs ${step(unmeasured)}`);
  });

  it('per-quantity: dense GEMM streaming and grouped GEMM streaming use their own share', () => {
    const g = { k: 8192, n: 28672, bytesPerParam: 2 };
    const { bw, peak } = rooflineRates(H200, 'bf16');
    assert.ok(denseGemmSeconds(g, 1, bw, peak, gemmStreamFraction(H200)) < denseGemmSeconds(g, 1, bw, peak));
    const s = { experts: 256, localExperts: 256, topK: 8, hidden: 7168, expertParams: 3 * 7168 * 2048, bytesPerParam: 2 };
    assert.ok(moeExpertsSeconds(s, 256, bw, peak, moeStreamFraction(H200)) > moeExpertsSeconds(s, 256, bw, peak));
    // Launch-bound terms do not scale: the prefill-attention curve is a share of the datasheet rate on both.
    assert.equal(attentionPeak(H100), attentionPeak(H200));
  });
});

describe('expert parallelism', () => {
  const id = 'deepseek-ai/DeepSeek-V3';
  const m = modelFromConfig(id, catalogConfig(id)!);
  const stepOf = (par: { tp: number; pp: number; ep: number; dp?: number; dpShared?: 'experts' }) => buildStepModel({ model: m, params: countParams(m), format: m.weightFormat, kvElementBytes: 1, gpu: H200, par, engine: { ...engines.sglang, stepOverheadSec: 0, eagerPromptHostSecPerMoeLayer: undefined }, knobs: { ...engines.sglang.defaults(H200, [0, 19, 0], 8, 1, m.maxPositions), cudaGraphs: true }, nodes: 1 });

  it('the busiest rank: all picks on one rank, twice the mean at a small decode batch, the mean at prefill sizes', () => {
    assert.equal(busiestRankPicks(32, 1), 32);
    const small = busiestRankPicks(32, 8);
    assert.ok(small > 7 && small < 8.5, `${small}`);
    assert.ok(busiestRankPicks(65536, 8) / (65536 / 8) < 1.03);
    assert.ok(busiestRankPicks(1, 8) <= 1);
  });

  it('an 8k-token prefill under tensor-parallel attention costs about the same with EP as with TP-sliced experts (no all-to-all)', () => {
    const tpOnly = stepOf({ tp: 8, pp: 1, ep: 1 }).step(0, 0, 8192, 4096, 1);
    const ep = stepOf({ tp: 8, pp: 1, ep: 8 }).step(0, 0, 8192, 4096, 1);
    assert.ok(Math.abs(ep / tpOnly - 1) < 0.1, `EP ${ep} vs TP ${tpOnly}`);
  });

  it('DP attention with EP pays dispatch and combine, which TP attention with EP does not', () => {
    const dpAttention = stepOf({ tp: 1, pp: 1, ep: 8, dp: 8, dpShared: 'experts' });
    const tpAttention = stepOf({ tp: 8, pp: 1, ep: 8 });
    // The same 8192 tokens through one MoE stack: 1024 per DP rank against 8192 on every TP rank.
    const commHeavy = dpAttention.step(0, 0, 1024, 512, 1);
    assert.ok(commHeavy > 0 && tpAttention.step(0, 0, 8192, 4096, 1) > 0);
    const withoutA2a = stepOf({ tp: 1, pp: 1, ep: 8, dp: 8 }).step(0, 0, 1024, 512, 1);
    assert.ok(commHeavy > withoutA2a, `${commHeavy} vs ${withoutA2a}`);
  });

  it('a small decode batch under EP waits on its busiest rank: slower than the same experts TP-sliced', () => {
    const tpOnly = stepOf({ tp: 8, pp: 1, ep: 1 }).step(4, 2048, 0, 0, 4);
    const ep = stepOf({ tp: 8, pp: 1, ep: 8 }).step(4, 2048, 0, 0, 4);
    assert.ok(ep > tpOnly, `EP ${ep} vs TP ${tpOnly}`);
  });
});
