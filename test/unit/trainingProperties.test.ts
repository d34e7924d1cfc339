/**
 * Properties of the training estimate over a grid of catalog models and settings: checkpointing never raises the
 * peak, ZeRO-3 never exceeds ZeRO-2 per GPU, LoRA never exceeds full fine-tuning, more GPUs never raise the per-GPU
 * memory under sharding, QLoRA never exceeds LoRA. (DeepSpeed ZeRO-2 on one GPU can exceed plain AMP: its estimator
 * counts 20 B/param of standing model states against AMP's 16 + temporaries — so that is no property.)
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { estimateTraining } from '../../server/src/estimator/training/estimate';
import { resolveTraining } from '../../server/src/estimator/training/resolve';
import type { TrainingEstimate } from '../../server/src/estimator/training/types';
import { trainingPlanFromFlags } from '../../server/src/cli/trainingFlags';
import type { CommandValues } from '../../server/src/cli/command';

const gpus = new GpuCatalog();
const MODELS = ['meta-llama/Llama-3.2-1B', 'meta-llama/Llama-3.1-8B', 'Qwen/Qwen2.5-7B', 'meta-llama/Llama-2-7b-hf', 'microsoft/phi-1_5'];

function est(model: string, values: CommandValues): TrainingEstimate {
  const r = resolveTraining(trainingPlanFromFlags(undefined, values, model), { gpus });
  assert.ok(r.ok, r.ok ? '' : r.error);
  return estimateTraining(r.inputs, r.assumptions);
}

const grid: CommandValues[] = [];
for (const method of ['full', 'lora', 'qlora']) for (const precision of ['bf16', 'mixed']) for (const seq of ['512', '4096']) for (const mb of ['1', '4']) for (const optimizer of ['adamw', 'adamw-8bit']) {
  grid.push({ method, precision, 'seq-len': seq, 'micro-batch': mb, optimizer });
}

describe('training estimate properties', () => {
  it('gradient checkpointing never raises the peak', () => {
    for (const m of MODELS) for (const v of grid) {
      const off = est(m, v).peakBytesPerGpu;
      const on = est(m, { ...v, 'gradient-checkpointing': true }).peakBytesPerGpu;
      assert.ok(on <= off + 1e-6, `${m} ${JSON.stringify(v)}: ${on} > ${off}`);
    }
  });
  it('LoRA never above full fine-tuning, QLoRA never above LoRA', () => {
    for (const m of MODELS) for (const v of grid.filter((g) => g.method === 'full')) {
      const full = est(m, v).peakBytesPerGpu;
      const lora = est(m, { ...v, method: 'lora' }).peakBytesPerGpu;
      const qlora = est(m, { ...v, method: 'qlora' }).peakBytesPerGpu;
      assert.ok(lora <= full, `${m} ${JSON.stringify(v)}: LoRA ${lora} > full ${full}`);
      assert.ok(qlora <= lora, `${m} ${JSON.stringify(v)}: QLoRA ${qlora} > LoRA ${lora}`);
    }
  });
  it('ZeRO-3 never above ZeRO-2 per GPU; offload never raises the GPU peak', () => {
    // On one GPU there is nothing to shard and ZeRO-3 still gathers each layer (4 × largest layer): a LoRA, whose
    // trainable states are tiny, then pays more than it saves — the property is over data-parallel groups.
    for (const m of MODELS) for (const n of ['2', '8']) for (const v of grid.filter((g) => g.method !== 'qlora')) {
      const z2 = est(m, { ...v, gpus: n, zero: '2' }).peakBytesPerGpu;
      const z3 = est(m, { ...v, gpus: n, zero: '3' }).peakBytesPerGpu;
      assert.ok(z3 <= z2, `${m} ×${n} ${JSON.stringify(v)}: ZeRO-3 ${z3} > ZeRO-2 ${z2}`);
      const z3o = est(m, { ...v, gpus: n, zero: '3', offload: 'optimizer' }).peakBytesPerGpu;
      const z3p = est(m, { ...v, gpus: n, zero: '3', offload: 'params' }).peakBytesPerGpu;
      assert.ok(z3p <= z3o && z3o <= z3, `${m} ×${n}: offload must not raise the GPU peak`);
    }
  });
  it('more GPUs never raise per-GPU memory under sharding', () => {
    for (const m of MODELS) for (const zero of ['1', '2', '3']) for (const v of grid.filter((g) => g.method !== 'qlora')) {
      let prev = Infinity;
      for (const n of ['1', '2', '4', '8', '64']) {
        const p = est(m, { ...v, gpus: n, zero }).peakBytesPerGpu;
        assert.ok(p <= prev + 1e-6, `${m} ZeRO-${zero} ${JSON.stringify(v)}: ${n} GPUs ${p} > ${prev}`);
        prev = p;
      }
    }
  });
  it('tokens per step are micro-batch × sequence × accumulation × GPUs', () => {
    const e = est('meta-llama/Llama-3.1-8B', { 'micro-batch': '2', 'seq-len': '1024', 'grad-accum': '8', gpus: '4', zero: '3' });
    assert.equal(e.tokensPerStep, 2 * 1024 * 8 * 4);
    assert.equal(e.effectiveBatch, 64);
    assert.ok(e.stepSeconds > 0 && e.tokensPerSecond > 0);
  });
});
