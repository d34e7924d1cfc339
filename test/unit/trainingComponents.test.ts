/**
 * The training estimator's components against values worked by hand on a tiny Llama-shaped config:
 *   hidden h = 64, 2 layers, 4 heads × head_dim 16 (q = 64), 2 KV heads (kv = 32), intermediate i = 128,
 *   vocab V = 1000, untied embeddings, SwiGLU.
 * Linear weights per layer: q 64·64 = 4096, k 64·32 = 2048, v 2048, o 4096, gate/up/down 64·128 = 8192 each:
 *   36,864; two layers 73,728; + LM head 64,000 = 137,728. Parameters: + embedding 64,000 + norms 2·2·64 + final 64
 *   = 202,048 (countParams).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { countParams, modelFromConfig } from '../../server/src/estimator/model';
import { trainableParams } from '../../server/src/estimator/training/params';
import { nf4BytesPerParam, weightBytes } from '../../server/src/estimator/training/weights';
import { gradientBytes } from '../../server/src/estimator/training/gradients';
import { optimizerBytes } from '../../server/src/estimator/training/optimizer';
import { activationBytes } from '../../server/src/estimator/training/activations';
import { logitsBytes } from '../../server/src/estimator/training/logits';
import { deepspeedZero2ModelStates, deepspeedZero3ModelStates, shardStates } from '../../server/src/estimator/training/sharding';
import { flopsPerToken, matmulParams } from '../../server/src/estimator/training/throughput';
import { estimateTraining } from '../../server/src/estimator/training/estimate';
import { CUBLAS_WORKSPACE_BYTES, CUDA_CONTEXT_BYTES, FRAGMENTATION_FRACTION } from '../../server/src/estimator/training/overhead';
import type { TrainingInputs } from '../../server/src/estimator/training/types';

const tiny = modelFromConfig('tiny', {
  model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4,
  num_key_value_heads: 2, head_dim: 16, intermediate_size: 128, vocab_size: 1000, tie_word_embeddings: false,
});
const gpu = new GpuCatalog().find('H100-SXM')!;

function inputs(over: Partial<TrainingInputs> = {}): TrainingInputs {
  return {
    spec: tiny, params: countParams(tiny), method: 'full', precision: 'bf16', optimizer: 'adamw', sgdMomentum: false, optimizerInBackward: false,
    doubleQuant: false, seqLen: 8, microBatch: 2, gradAccum: 1, gradientCheckpointing: false, samplePacking: false, attention: 'sdpa',
    sharding: { kind: 'none', stage: 0, offloadOptimizer: 'none', offloadParams: 'none' }, gpus: 1, gpusPerNode: 1, gpu, lossChunks: 1, format: 'hf-trainer',
    ...over,
  };
}
const lora = (over: Partial<NonNullable<TrainingInputs['lora']>> = {}) => ({ rank: 4, alpha: 8, targets: ['q_proj', 'v_proj'], dora: false, adapterDtype: 'fp32' as const, ...over });

describe('training params', () => {
  it('full: every parameter trains; the linears are 137,728', () => {
    const t = trainableParams(tiny, countParams(tiny), 'full');
    assert.equal(t.total, 202_048);
    assert.equal(t.trainable, 202_048);
    assert.equal(t.linearWeights, 137_728);
  });
  it('LoRA r4 on q,v: per layer 4·(64+64) + 4·(64+32) = 896; two layers 1,792; DoRA adds d_out 64 + 32 per layer', () => {
    assert.equal(trainableParams(tiny, countParams(tiny), 'lora', lora()).trainable, 1792);
    assert.equal(trainableParams(tiny, countParams(tiny), 'lora', lora({ dora: true })).trainable, 1792 + 2 * 96);
  });
  it('all-linear adds k, o, gate, up, down: per layer 4·(128+96+96+128+192·3) = 4,096', () => {
    assert.equal(trainableParams(tiny, countParams(tiny), 'lora', lora({ targets: 'all-linear' })).trainable, 2 * 4 * (128 + 96 + 96 + 128 + 3 * 192));
  });
  it('LitGPT Llama-2-7B LoRA r8 on q,v trains 4,194,304', () => {
    const m = modelFromConfig('l2', { model_type: 'llama', hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, intermediate_size: 11008, vocab_size: 32000 });
    assert.equal(trainableParams(m, countParams(m), 'lora', lora({ rank: 8 })).trainable, 4_194_304);
  });
});

describe('training weights, gradients, optimizer', () => {
  const t = trainableParams(tiny, countParams(tiny), 'full');
  it('bf16: 2 B/param; mixed: 4 B/param + autocast copies 2 × 137,728 held fwd→bwd (only the LM head\'s with checkpointing)', () => {
    assert.equal(weightBytes(inputs(), t).trainable, 2 * 202_048);
    const mixed = weightBytes(inputs({ precision: 'mixed' }), t);
    assert.equal(mixed.trainable, 4 * 202_048);
    assert.equal(mixed.castKept, 2 * 137_728);
    assert.equal(weightBytes(inputs({ precision: 'mixed', gradientCheckpointing: true }), t).castKept, 2 * 64_000);
  });
  it('NF4: 0.5 + 4/64 B plain, 0.5 + 1/64 + 4/(64·256) double-quantized', () => {
    assert.equal(nf4BytesPerParam(false), 0.5625);
    assert.equal(nf4BytesPerParam(true), 0.5 + 1 / 64 + 4 / 16384);
    const tl = trainableParams(tiny, countParams(tiny), 'qlora', lora());
    const w = weightBytes(inputs({ method: 'qlora', lora: lora(), quantBits: 4, format: 'llamafactory' }), tl);
    // 73,728 quantized decoder linears; the rest (202,048 − 73,728 = 128,320) stays 16-bit; adapters fp32.
    assert.ok(Math.abs(w.frozen - (73_728 * 0.5625 + 128_320 * 2)) < 1e-6);
    assert.equal(w.trainable, 1792 * 4);
    // transformers/axolotl run prepare_model_for_kbit_training: the unquantized rest in fp32.
    assert.ok(Math.abs(weightBytes(inputs({ method: 'qlora', lora: lora(), quantBits: 4 }), tl).frozen - (73_728 * 0.5625 + 128_320 * 4)) < 1e-6);
  });
  it('gradients in the parameter dtype', () => {
    assert.equal(gradientBytes(inputs(), t), 2 * 202_048);
    assert.equal(gradientBytes(inputs({ precision: 'mixed' }), t), 4 * 202_048);
  });
  it('AdamW 2 states; foreach temporaries one state; fused none; 8-bit 2·(1 + 4/256); SGD 0 or momentum; Lion 1', () => {
    const n = 202_048;
    assert.deepEqual(optimizerBytes(inputs(), t), { states: 4 * n, temporaries: 2 * n, pageable: 0 });
    assert.deepEqual(optimizerBytes(inputs({ precision: 'mixed' }), t), { states: 8 * n, temporaries: 4 * n, pageable: 0 });
    assert.equal(optimizerBytes(inputs({ optimizer: 'adamw-fused' }), t).temporaries, 0);
    assert.equal(optimizerBytes(inputs({ optimizer: 'adamw-8bit' }), t).states, 2 * (1 + 4 / 256) * n);
    assert.equal(optimizerBytes(inputs({ optimizer: 'paged-adamw-8bit' }), t).pageable, 2 * (1 + 4 / 256) * n);
    assert.equal(optimizerBytes(inputs({ optimizer: 'sgd' }), t).states, 0);
    assert.equal(optimizerBytes(inputs({ optimizer: 'sgd', sgdMomentum: true, precision: 'mixed' }), t).states, 4 * n);
    assert.equal(optimizerBytes(inputs({ optimizer: 'lion', precision: 'mixed' }), t).states, 4 * n);
  });
  it('Adafactor: 4·(rows + cols) per matrix, fp32', () => {
    // Per layer: q 4·128, k 4·96, v 4·96, o 4·128, gate/up/down 4·192 each; norms 4·128; embedding and head 4·1064 each.
    const perLayer = 4 * (128 + 96 + 96 + 128 + 3 * 192) + 4 * 128;
    assert.equal(optimizerBytes(inputs({ optimizer: 'adafactor' }), t).states, 2 * perLayer + 2 * 4 * 1064);
  });
});

describe('training activations and logits', () => {
  it('full bf16 SDPA, per token per layer: norms 8h + 8h, q,k,v,out 2·(2q + 2kv), lse 4n, SwiGLU 3·2i + down input 2i = 2,448', () => {
    // attn norm 4h (fp32 input) + 2h (x̂) + 2h (output shared by q,k,v) = 512; SDPA 2·(128 + 64) + 16 = 400;
    // MLP norm 512; gate, silu, up 3·256 = 768 + product 256 = 1024. Total 2448.
    const a = activationBytes(inputs());
    assert.equal(a.perTokenPerLayer, 2448);
    assert.equal(a.layers, 16 * 2 * 2448);
    // Final norm 4h + 2h, LM head input 2h: 512 per token.
    assert.equal(a.outside, 16 * 512);
  });
  it('eager adds the fp32 softmax and its bf16 copy per head per key, repeats K and V, and copies o_proj\'s input', () => {
    // 8h + [3·2q + (4+2)·n·s + 2q] + 8h + 1024 = 512 + 384 + 192 + 128 + 512 + 1024 = 2752 (s = 8, n = 4).
    assert.equal(activationBytes(inputs({ attention: 'eager' })).perTokenPerLayer, 2752);
  });
  it('mixed (fp32 model under autocast): fp32 norms, one 16-bit copy per consuming linear', () => {
    // attn norm 4h + 4h + 3·2h = 896; SDPA 400; MLP norm 4h + 4h + 2·2h = 768; MLP 1024 → 3088.
    assert.equal(activationBytes(inputs({ precision: 'mixed' })).perTokenPerLayer, 3088);
  });
  it('LoRA q,v fp32 adapters: frozen linears keep nothing, each adapter keeps an fp32 input copy and its A output', () => {
    // attn norm 4h; q,v adapters 2·(4h + 4r) = 2·(256 + 16); SDPA 400; MLP norm 4h; gate, silu, up 768 (down frozen).
    assert.equal(activationBytes(inputs({ method: 'lora', lora: lora() })).perTokenPerLayer, 256 + 544 + 400 + 256 + 768);
  });
  it('checkpointing keeps each layer input (r·h) only', () => {
    assert.equal(activationBytes(inputs({ gradientCheckpointing: true })).layers, 16 * 2 * 2 * 64);
  });
  it('logits: kept fp32 log-softmax 4TV, forward transient (2 + 4)TV, backward 8TV; chunked loss divides the upcasts', () => {
    const tv = 16 * 1000;
    assert.deepEqual(logitsBytes(inputs()), { kept: 4 * tv, forwardTransient: 6 * tv, backwardTransient: 8 * tv });
    assert.deepEqual(logitsBytes(inputs({ lossChunks: 8 })), { kept: 4 * tv, forwardTransient: 2 * tv + (4 * tv) / 8, backwardTransient: tv });
  });
});

describe('DeepSpeed estimators (estimate_zero2/zero3_model_states_mem_needs) and the sharding that must equal them', () => {
  const GB = 2 ** 30;
  it('reproduce DeepSpeed\'s documented example: T0_3B (2851M params, largest layer 32M), 1 node × 8 GPUs', () => {
    // deepspeed.readthedocs.io/en/latest/memory.html prints per CPU / per GPU: offload both 71.71 / 0.12 (zero_init 1),
    // 127.48 / 0.12 (0); optimizer only 63.74 / 0.79 (1); none 1.47 / 6.10 (1). Its "2851M" and "32M" are rounded
    // down (int(n / 1e6)): 2851.8M and 32.9M reproduce every figure to the printed 0.01.
    const z = (o: boolean, p: boolean, init: boolean) => deepspeedZero3ModelStates(2851.8e6, 32.9e6, 8, 1, o, p, init).slice(0, 2).map((b) => b / GB);
    const near = (got: number[], want: number[]) => got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 0.01, `${g} vs ${want[i]}`));
    near(z(true, true, true), [71.71, 0.12]);
    near(z(true, true, false), [127.48, 0.12]);
    near(z(true, false, true), [63.74, 0.79]);
    near(z(false, false, true), [1.47, 6.10]);
  });
  it('ZeRO-2: 4Ψ + 16Ψ/N on the GPU; offload 2Ψ GPU, Ψ·max(4N, 16)·1.5 CPU', () => {
    assert.deepEqual(deepspeedZero2ModelStates(1e9, 8, 1, false), [1e9 * 4 * 8 * 1.5, 4e9 + 2e9]);
    assert.deepEqual(deepspeedZero2ModelStates(1e9, 8, 1, true), [1e9 * 32 * 1.5, 2e9]);
    assert.deepEqual(deepspeedZero2ModelStates(1e9, 2, 1, true), [1e9 * 16 * 1.5, 2e9]);
  });
  for (const n of [1, 2, 8]) {
    it(`the estimator's DeepSpeed model states equal DeepSpeed's formulas (full fine-tune, AdamW, ${n} GPU(s))`, () => {
      const x = inputs({ precision: 'mixed', gpus: n, gpusPerNode: n });
      const t = trainableParams(tiny, countParams(tiny), 'full');
      const u = { trainableParams: t.trainable, trainableWeights: 0, frozenWeights: 0, gradients: 0, states: 0, temporaries: 0, pageable: 0, fp32StatesPerParam: 8, largestLayerParams: t.largestLayer };
      const states = (s: ReturnType<typeof shardStates>) => s.weights + s.gradients + s.optimizer;
      const z2 = shardStates({ ...x, sharding: { kind: 'zero', stage: 2, offloadOptimizer: 'none', offloadParams: 'none' } }, u);
      assert.equal(Math.round(states(z2)), deepspeedZero2ModelStates(t.trainable, n, 1, false)[1]);
      const z2o = shardStates({ ...x, sharding: { kind: 'zero', stage: 2, offloadOptimizer: 'cpu', offloadParams: 'none' } }, u);
      assert.equal(states(z2o), deepspeedZero2ModelStates(t.trainable, n, 1, true)[1]);
      assert.equal(z2o.hostBytesPerNode, deepspeedZero2ModelStates(t.trainable, n, 1, true)[0]);
      const z3 = shardStates({ ...x, sharding: { kind: 'zero', stage: 3, offloadOptimizer: 'none', offloadParams: 'none' } }, u);
      assert.ok(Math.abs(states(z3) - deepspeedZero3ModelStates(t.trainable, t.largestLayer, n, 1, false, false)[1]) <= 1);
      const z3o = shardStates({ ...x, sharding: { kind: 'zero', stage: 3, offloadOptimizer: 'cpu', offloadParams: 'none' } }, u);
      assert.ok(Math.abs(states(z3o) - deepspeedZero3ModelStates(t.trainable, t.largestLayer, n, 1, true, false)[1]) <= 1);
      assert.equal(z3o.hostBytesPerNode, deepspeedZero3ModelStates(t.trainable, t.largestLayer, n, 1, true, false)[0]);
      const z3p = shardStates({ ...x, sharding: { kind: 'zero', stage: 3, offloadOptimizer: 'cpu', offloadParams: 'cpu' } }, u);
      assert.equal(states(z3p), deepspeedZero3ModelStates(t.trainable, t.largestLayer, n, 1, true, true)[1]);
      assert.equal(z3p.hostBytesPerNode, deepspeedZero3ModelStates(t.trainable, t.largestLayer, n, 1, true, true)[0]);
    });
  }
});

describe('FSDP sharding', () => {
  const u = { trainableParams: 1000, trainableWeights: 4000, frozenWeights: 0, gradients: 4000, states: 8000, temporaries: 4000, pageable: 0, fp32StatesPerParam: 8, largestLayerParams: 100 };
  it('FULL_SHARD: the module\'s tensors / N, two 16-bit units gathered (2 × 2 × largest layer), gradients + one gathered unit', () => {
    const x = inputs({ precision: 'mixed', gpus: 4, gpusPerNode: 4, sharding: { kind: 'fsdp', stage: 3, offloadOptimizer: 'none', offloadParams: 'none' } });
    const s = shardStates(x, u);
    assert.equal(s.weights, 4000 / 4 + 400);
    assert.equal(s.gradients, 4000 / 4 + 200);
    assert.equal(s.optimizer, 8000 / 4);
    assert.equal(s.temporaries, 4000 / 4);
  });
  it('CPU offload moves the shards to the host: the GPU keeps the gathered units', () => {
    const x = inputs({ precision: 'mixed', gpus: 4, gpusPerNode: 4, sharding: { kind: 'fsdp', stage: 3, offloadOptimizer: 'none', offloadParams: 'cpu' } });
    const s = shardStates(x, u);
    assert.deepEqual([s.weights, s.gradients, s.optimizer], [400, 200, 0]);
    assert.equal(s.hostBytesPerNode, 16000);
  });
  it('NO_SHARD is DDP: everything on every GPU', () => {
    const s = shardStates(inputs({ gpus: 4, gpusPerNode: 4, sharding: { kind: 'fsdp', stage: 0, offloadOptimizer: 'none', offloadParams: 'none' } }), u);
    assert.deepEqual([s.weights, s.gradients, s.optimizer], [4000, 4000, 8000]);
  });
});

describe('training throughput and the step', () => {
  it('FLOPs per token: 6N full, 4N + 6·N_trainable LoRA, + 2N checkpointing, + attention 3 × 4·L·q·s × ½ causal', () => {
    const n = matmulParams(inputs());
    assert.equal(n, 137_728 + 320); // the embedding lookup is no matmul; the untied head is (norm vectors ride along)
    const t = trainableParams(tiny, countParams(tiny), 'full');
    const attn = 3 * 4 * 2 * 64 * 8 * 0.5;
    assert.equal(flopsPerToken(inputs(), t), 6 * n + attn);
    assert.equal(flopsPerToken(inputs({ gradientCheckpointing: true }), t), 8 * n + attn + attn / 3);
    const tl = trainableParams(tiny, countParams(tiny), 'lora', lora());
    assert.equal(flopsPerToken(inputs({ method: 'lora', lora: lora() }), tl), 4 * n + 6 * 1792 + attn);
  });
  it('the peak is the largest phase, plus cuBLAS workspaces; the need adds the CUDA context and 5 % fragmentation', () => {
    const e = estimateTraining(inputs());
    const top = Math.max(...Object.values(e.phases));
    assert.equal(e.allocatedPeakBytes, top + CUBLAS_WORKSPACE_BYTES);
    assert.ok(Math.abs(e.peakBytesPerGpu - (e.allocatedPeakBytes + CUDA_CONTEXT_BYTES + FRAGMENTATION_FRACTION * e.allocatedPeakBytes)) < 1e-3);
    // loss-backward: W 2N + S 4N + activations + 4TV + 8TV.
    assert.equal(e.phases['loss-backward'], 2 * 202_048 + 4 * 202_048 + 16 * 2 * 2448 + 16 * 512 + 12 * 16 * 1000);
    assert.equal(e.phases['optimizer-step'], 2 * 202_048 * 2 + 4 * 202_048 + 2 * 202_048);
    assert.equal(e.tokensPerStep, 16);
  });
  it('gradient accumulation holds the gradients through the later micro-batches', () => {
    const one = estimateTraining(inputs());
    const four = estimateTraining(inputs({ gradAccum: 4 }));
    assert.equal(four.phases['loss-backward'] - one.phases['loss-backward'], 2 * 202_048);
    assert.equal(four.tokensPerStep, 64);
  });
  it('a model too big for the GPU does not fit, naming the component that breaks it', () => {
    const big = modelFromConfig('big', { model_type: 'llama', hidden_size: 8192, num_hidden_layers: 80, num_attention_heads: 64, num_key_value_heads: 8, intermediate_size: 28672, vocab_size: 128256 });
    const e = estimateTraining(inputs({ spec: big, params: countParams(big), precision: 'mixed' }));
    assert.equal(e.fits, false);
    const issue = e.issues.find((i) => i.code === 'training-does-not-fit')!;
    assert.equal(issue.component, 'optimizer');
  });
});
