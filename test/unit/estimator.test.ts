import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { builtinGpus, GpuCatalog } from '../../server/src/catalog/gpus';
import { catalogConfig, catalogModelIds } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { countParams, modelFromConfig } from '../../server/src/estimator/model';
import { engineNames, EngineName, DeploymentPlan, sourced, byDefault } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { analyze, workloadFindings } from '../../server/src/pipeline';
import { deploymentVerdict } from '../../server/src/verdict';

const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function plan(model: string, opts: { gpu?: string; engine?: EngineName; tp?: number; kv?: string; util?: number; mml?: number; config?: Record<string, unknown>; conc?: number | 'max' } = {}): DeploymentPlan {
  return {
    name: model,
    model: { ref: sourced(model, cli('model')), config: opts.config },
    hardware: { gpu: sourced(opts.gpu ?? 'H100-SXM', cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(opts.engine ?? 'vllm', cli('engine')) },
    knobs: {
      ...(opts.tp ? { tensorParallel: sourced(opts.tp, cli('tp')) } : {}),
      ...(opts.kv ? { kvCacheDtype: sourced(opts.kv, cli('kv')) } : {}),
      ...(opts.util ? { gpuMemoryUtilization: sourced(opts.util, cli('util')) } : {}),
      ...(opts.mml ? { maxModelLen: sourced(opts.mml, cli('mml')) } : {}),
    },
    workload: { ...defaultWorkload(), ...(opts.conc !== undefined ? { concurrency: sourced(opts.conc, cli('c')) } : {}) },
  };
}

function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, `estimate failed: ${JSON.stringify(!r.ok && r.issues)}`);
  return r.estimate;
}

describe('model parameters (exact, against the published / measured counts)', () => {
  // Published parameter counts, also measured on our H100 (transformers 5.17 param_count).
  const cases: Array<[string, number]> = [
    ['meta-llama/Llama-3.1-8B', 8_030_261_248],
    ['Qwen/Qwen2.5-7B', 7_615_616_512],
    ['mistralai/Mistral-7B-v0.3', 7_248_023_552],
    ['meta-llama/Llama-3.2-3B', 3_212_749_824],
    ['microsoft/Phi-3-mini-4k-instruct', 3_821_079_552],
    ['google/gemma-2-9b', 9_241_705_984],
    ['Qwen/Qwen3-30B-A3B', 30_532_122_624],
    ['deepseek-ai/DeepSeek-V2-Lite', 15_706_484_224],
  ];
  for (const [id, expected] of cases) {
    it(`${id} has ${expected} parameters`, () => {
      const m = modelFromConfig(id, catalogConfig(id)!);
      assert.equal(countParams(m).total, expected);
    });
  }

  it('MoE active parameters count shared + top-k experts only (Qwen3-30B-A3B ≈ 3.3 B active)', () => {
    const p = countParams(modelFromConfig('q', catalogConfig('Qwen/Qwen3-30B-A3B')!));
    assert.ok(p.active > 3.0e9 && p.active < 3.5e9, String(p.active));
  });

  it('DeepSeek-V3 is ~671 B total / ~37 B active', () => {
    const p = countParams(modelFromConfig('d', catalogConfig('deepseek-ai/DeepSeek-V3')!));
    assert.ok(Math.abs(p.total / 1e9 - 671) < 6, String(p.total));
    assert.ok(Math.abs(p.active / 1e9 - 37) < 2.5, String(p.active));
  });
});

describe('KV bytes per token (exact)', () => {
  const cases: Array<[string, number]> = [
    ['meta-llama/Llama-3.1-8B', 131072], // 2 × 32 layers × 8 heads × 128 × 2 B
    ['Qwen/Qwen2.5-7B', 57344],
    // Only full-attention layers grow with the context; sliding-window layers are windowKvBytes (below).
    ['google/gemma-2-9b', 172032],
    ['deepseek-ai/DeepSeek-V2-Lite', 31104], // MLA latent: 27 × (512 + 64) × 2 B
    ['deepseek-ai/DeepSeek-V3', 61 * 576 * 2],
    ['microsoft/Phi-3-mini-4k-instruct', 0], // every layer slides over a 2047-token window
  ];
  for (const [id, bytes] of cases) {
    it(`${id}: ${bytes} B/token`, () => assert.equal(ok(plan(id, { mml: 4096 })).model.kvBytesPerToken, bytes));
  }
  it('sliding-window layers state their KV apart, held only within the window', () => {
    assert.equal(ok(plan('google/gemma-2-9b', { mml: 4096 })).model.windowKvBytes, 172032); // 21 local layers × 2 × 8 × 256 × 2 B
    assert.equal(ok(plan('microsoft/Phi-3-mini-4k-instruct', { mml: 4096 })).model.windowKvBytes, 393216);
    assert.equal(ok(plan('meta-llama/Llama-3.1-8B', { mml: 4096 })).model.windowKvBytes, 0);
  });

  it('FP8 KV is exactly half of 16-bit KV, and doubles the tokens', () => {
    const a = ok(plan('meta-llama/Llama-3.1-8B', { mml: 8192 }));
    const b = ok(plan('meta-llama/Llama-3.1-8B', { mml: 8192, kv: 'fp8' }));
    assert.equal(b.model.kvBytesPerToken * 2, a.model.kvBytesPerToken);
    assert.ok(Math.abs(b.memory.kvCapacityTokens / a.memory.kvCapacityTokens - 2) < 0.001);
  });

  it('MLA latent is not split by tensor parallelism; GQA heads are', () => {
    const mla1 = ok(plan('deepseek-ai/DeepSeek-V2-Lite', { tp: 1, mml: 4096 }));
    const mla2 = ok(plan('deepseek-ai/DeepSeek-V2-Lite', { tp: 2, mml: 4096 }));
    assert.equal(mla1.memory.kvBytesPerTokenPerGpu, mla2.memory.kvBytesPerTokenPerGpu);
    const g1 = ok(plan('meta-llama/Llama-3.1-8B', { tp: 1, mml: 4096 }));
    const g2 = ok(plan('meta-llama/Llama-3.1-8B', { tp: 2, mml: 4096 }));
    assert.equal(g1.memory.kvBytesPerTokenPerGpu, 2 * g2.memory.kvBytesPerTokenPerGpu);
  });

  it('KV heads are replicated when TP exceeds them (8 KV heads at TP 16 cost as much per GPU as at TP 8)', () => {
    const t8 = ok(plan('meta-llama/Llama-3.1-405B', { tp: 8, mml: 4096 }));
    const t16 = ok(plan('meta-llama/Llama-3.1-405B', { tp: 16, mml: 4096 }));
    assert.equal(t8.memory.kvBytesPerTokenPerGpu, t16.memory.kvBytesPerTokenPerGpu);
  });
});

describe('vLLM KV sizing reproduces a logged startup (v0.19, H100, Llama-3.1-8B, util 0.95)', () => {
  it('weights 14.99 GiB, activation 1.89 GiB, 476 016 KV tokens within 0.5 %', () => {
    const p = plan('meta-llama/Llama-3.1-8B-Instruct', { util: 0.95, mml: 8192 });
    p.engine.version = sourced('0.19', cli('v'));
    const e = ok(p);
    assert.ok(Math.abs(e.memory.weightsBytesPerGpu / 2 ** 30 - 14.99) < 0.02);
    assert.ok(Math.abs(e.memory.activationBytesPerGpu / 2 ** 30 - 1.89) < 0.05);
    assert.ok(Math.abs(e.memory.kvCapacityTokens / 476016 - 1) < 0.005, String(e.memory.kvCapacityTokens));
  });

  it('predicts the max-model-len startup failure with the largest length that fits', () => {
    const e = ok(plan('Qwen/Qwen3-32B', { mml: 131072, util: 0.9 }));
    assert.equal(e.memory.fits, false);
    const issue = e.issues.find((i) => i.code === 'max-len-exceeds-kv');
    assert.ok(issue, JSON.stringify(e.issues));
    assert.ok(e.memory.maxModelLenThatFits > 1024 && e.memory.maxModelLenThatFits < 131072);
    assert.match(issue.message, new RegExp(String(e.memory.maxModelLenThatFits)));
  });

  it('a 70B model in bf16 does not fit one 80 GB GPU', () => {
    const e = ok(plan('meta-llama/Llama-3.1-70B', { mml: 8192 }));
    assert.equal(e.memory.fits, false);
    assert.ok(e.issues.some((i) => i.code === 'does-not-fit'));
  });
});

describe('properties over every catalog model × GPU × engine', () => {
  const finite = (v: number) => Number.isFinite(v) && v >= 0;
  it('no NaN, negative or infinite figure anywhere', () => {
    let checked = 0;
    for (const id of catalogModelIds()) {
      for (const g of builtinGpus) {
        for (const engine of engineNames) {
          const r = estimate(plan(id, { gpu: g.id, engine, mml: 4096, conc: 8 }));
          if (!r.ok) continue;
          const e = r.estimate;
          for (const v of [e.memory.weightsBytesPerGpu, e.memory.kvPoolBytesPerGpu, e.memory.kvCapacityTokens, e.memory.maxConcurrency, e.latency.ttftMs, e.latency.tpotMs, e.latency.outputTokensPerSec, e.model.params, e.model.kvBytesPerToken]) {
            assert.ok(finite(v), `${id} on ${g.id} with ${engine}: ${v}`);
          }
          checked++;
        }
      }
    }
    assert.ok(checked > 1000, `only ${checked} combinations estimated`);
  });

  it('data-parallel layouts keep every figure finite, and more ranks never shrink the KV room', () => {
    let checked = 0;
    for (const id of catalogModelIds()) {
      for (const engine of ['vllm', 'sglang', 'trtllm'] as const) {
        let prev = -1;
        for (const dp of [1, 2, 4]) {
          const p = plan(id, { engine, tp: 2, mml: 4096, conc: 8 });
          p.knobs.dataParallel = sourced(dp, cli('dp'));
          if (engine !== 'vllm') p.knobs.attentionDataParallel = sourced(dp > 1, cli('dp-attention'));
          if (engine !== 'vllm' && dp > 1) p.knobs.tensorParallel = sourced(2 * dp, cli('tp'));
          const r = estimate(p);
          if (!r.ok) continue;
          const e = r.estimate;
          for (const v of [e.memory.weightsBytesPerGpu, e.memory.kvCapacityTokens, e.memory.maxConcurrency, e.latency.ttftMs, e.latency.tpotMs, e.latency.outputTokensPerSec]) {
            assert.ok(finite(v), `${id} ${engine} dp${dp}: ${v}`);
          }
          if (e.memory.fits) {
            assert.ok(e.memory.kvCapacityTokens >= prev, `${id} ${engine} dp${dp}`);
            prev = e.memory.kvCapacityTokens;
          }
          checked++;
        }
      }
    }
    assert.ok(checked > 500, `only ${checked} layouts estimated`);
  });

  it('doubling TP never raises per-GPU weights', () => {
    for (const id of catalogModelIds()) {
      let prev = Infinity;
      for (const tp of [1, 2, 4, 8, 16]) {
        const r = estimate(plan(id, { tp, mml: 4096 }));
        if (!r.ok) continue;
        assert.ok(r.estimate.memory.weightsBytesPerGpu <= prev + 1, `${id} tp${tp}`);
        prev = r.estimate.memory.weightsBytesPerGpu;
      }
    }
  });

  it('more GPU memory never lowers KV capacity', () => {
    const base = builtinGpus.find((g) => g.id === 'H100-SXM')!;
    for (const id of catalogModelIds()) {
      let prev = -1;
      for (const gib of [40, 80, 96, 141, 192]) {
        const gpus = new GpuCatalog([{ ...base, id: 'X', aliases: [], usableBytes: gib * 2 ** 30 }]);
        const r = estimate(plan(id, { gpu: 'X', mml: 4096 }), { gpus });
        if (!r.ok) continue;
        assert.ok(r.estimate.memory.kvCapacityTokens >= prev, `${id} at ${gib} GiB`);
        prev = r.estimate.memory.kvCapacityTokens;
      }
    }
  });

  it('more concurrency never lowers throughput or TPOT below the single-request figure', () => {
    const one = ok(plan('meta-llama/Llama-3.1-8B', { mml: 8192, conc: 1 }));
    const many = ok(plan('meta-llama/Llama-3.1-8B', { mml: 8192, conc: 64 }));
    assert.ok(many.latency.outputTokensPerSec > one.latency.outputTokensPerSec);
    assert.ok(many.latency.tpotMs >= one.latency.tpotMs);
  });
});

describe('bad input never throws out of the estimator', () => {
  it('unknown model: an error issue, no exception', () => {
    const r = estimate(plan('nobody/no-such-model'));
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.issues[0].code === 'unknown-model');
  });

  it('unknown GPU: a warning and the default GPU', () => {
    const e = ok(plan('meta-llama/Llama-3.1-8B', { gpu: 'Voodoo 5 6000', mml: 4096 }));
    assert.equal(e.hardware.gpu, 'H100-SXM');
    assert.ok(e.issues.some((i) => i.code === 'unknown-gpu'));
  });

  it('missing or absurd config fields: a model-config issue', () => {
    for (const config of [{}, { num_hidden_layers: 1e308, hidden_size: 4096, num_attention_heads: 32 }, { num_hidden_layers: -3, hidden_size: 'x' }]) {
      const r = estimate(plan('x', { config: config as Record<string, unknown> }));
      assert.equal(r.ok, false);
    }
  });

  it('unknown model_type falls back to generic decoder fields with a visible assumption and an unmodelled-architecture warning', () => {
    const e = ok(plan('x', { mml: 4096, config: { model_type: 'brand_new', num_hidden_layers: 24, hidden_size: 2048, num_attention_heads: 16, intermediate_size: 5632, vocab_size: 32000 } }));
    assert.ok(e.assumptions.some((a) => a.includes('brand_new') && /rough/.test(a)));
    const w = e.issues.find((i) => i.code === 'unmodelled-architecture');
    assert.equal(w?.severity, 'warning');
    assert.match(w!.message, /model_type "brand_new" is not modelled/);
    assert.match(w!.message, /Assumed instead: a generic decoder/);
  });

  it('fields the generic reader does not understand are named in the warning, with what they mean', () => {
    const llama = catalogConfig('meta-llama/Llama-3.1-8B')!;
    const hybrid = { ...llama, hybrid_override_pattern: 'M-M*-M-M*', mamba_num_heads: 64, ssm_state_size: 128, moe_latent_size: 1024 };
    const e = ok(plan('x', { mml: 4096, config: hybrid }));
    const w = e.issues.find((i) => i.code === 'unmodelled-architecture')!;
    assert.ok(w, 'a llama model_type with Mamba fields is not read silently');
    assert.match(w.message, /hybrid_override_pattern .*Mamba-2.*recurrent state/);
    assert.match(w.message, /mamba_num_heads, ssm_state_size: Mamba-2 mixer/);
    assert.match(w.message, /moe_latent_size: latent MoE/);
    const linear = ok(plan('x', { mml: 4096, config: { ...llama, layer_types: Array.from({ length: 32 }, (_, i) => (i % 4 === 3 ? 'full_attention' : 'linear_attention')) } }));
    assert.match(linear.issues.find((i) => i.code === 'unmodelled-architecture')!.message, /24 of 32 layers are linear_attention/);
  });

  it('catalog models of exactly modelled families carry no unmodelled-architecture warning for their normal fields; others do', () => {
    // The generic reader's exact types, then the family readers' (estimator/families/).
    const exact = new RegExp('^(llama|mistral|mixtral|qwen2|qwen2_moe|qwen3|qwen3_moe|phi3|phi|gemma|gemma2|gemma3_text|deepseek_v2|deepseek_v3|kimi_k2|gpt_oss|granite|llama4_text'
      + '|qwen3_next|qwen3_5_text|qwen3_5_moe_text|qwen2_vl|qwen2_5_vl|qwen2_5_vl_text|qwen3_vl_text|qwen3_vl_moe_text|qwen|nemotron_h|lfm2|falcon|gemma4_text'
      + '|minimax_m1|minimax_m2|minimax_m3|minimax_m3_vl|mimo|mimo_v2_flash|nemotron-nas|olmo2|olmo3|exaone4|smollm3|hunyuan|phimoe|granitemoe|chatglm|ministral3'
      + '|mllama_text_model|bert|roberta|xlm-roberta|deepseek_v32|glm_moe_dsa|deepseek_v4|deepseek_ref|kimi_linear|glm4_moe|opt|step3p7|minicpm|minicpmv)$');
    let exactSeen = 0;
    for (const id of catalogModelIds()) {
      const c = catalogConfig(id)!;
      const text = (c.text_config ?? c) as Record<string, unknown>;
      const modelled = exact.test(String(text.model_type ?? c.model_type));
      const e = ok(plan(id, { mml: 2048 }));
      const w = e.issues.find((i) => i.code === 'unmodelled-architecture');
      if (modelled) exactSeen++;
      // A modelled language model may still miss its tower (the narrower warning); an unmodelled one is always warned.
      if (modelled) assert.ok(!w || (/not counted in the weights/.test(w.message) && !e.model.genericRead), `${id}: ${w?.message}`);
      else assert.ok(w && e.model.genericRead, `${id}: ${w?.message ?? 'no unmodelled-architecture warning'}`);
    }
    assert.ok(exactSeen >= 300, `only ${exactSeen} exactly modelled catalog models`);
  });

  it('the verdict of a generic read says it is rough; a modelled one, or one missing only its vision tower, does not', () => {
    const verdict = (config: Record<string, unknown>) => {
      const a = analyze('file:///m/config.json', JSON.stringify(config), {});
      assert.ok(a.workloads[0]?.estimate, JSON.stringify(a.findings));
      return deploymentVerdict(a.workloads[0].estimate!, workloadFindings(a, 0)).text;
    };
    const llama = { architectures: ['LlamaForCausalLM'], ...catalogConfig('meta-llama/Llama-3.2-3B')! };
    assert.match(verdict({ ...llama, model_type: 'brand_new', architectures: ['BrandNewForCausalLM'] }), /\(rough: architecture not modelled\)$/);
    assert.doesNotMatch(verdict(llama), /rough/);
    assert.doesNotMatch(verdict({ model_type: 'llava', architectures: ['LlavaForConditionalGeneration'], text_config: llama, vision_config: { hidden_size: 1024 } }), /rough/);
  });

  it('a multimodal wrapper around a modelled language model: only "vision tower not counted"', () => {
    const text = { ...catalogConfig('meta-llama/Llama-3.1-8B')! };
    const e = ok(plan('x', { mml: 4096, config: { model_type: 'llava', architectures: ['LlavaForConditionalGeneration'], text_config: text, vision_config: { hidden_size: 1024 } } }));
    const w = e.issues.find((i) => i.code === 'unmodelled-architecture')!;
    assert.match(w.message, /^Vision tower not counted in the weights: LlavaForConditionalGeneration's language model is modelled, but not its vision_config/);
    assert.doesNotMatch(w.message, /Architecture not modelled/);
  });

  it('absurd knobs: invalid-value issues, defaults used', () => {
    const p = plan('meta-llama/Llama-3.1-8B', { mml: 4096 });
    p.knobs.gpuMemoryUtilization = sourced(7, cli('u'));
    p.knobs.tensorParallel = sourced(-2, cli('tp'));
    const e = ok(p);
    assert.ok(e.issues.filter((i) => i.code === 'invalid-value').length >= 2);
    assert.equal(e.serving.tensorParallel, 1);
  });
});

describe('values the estimator cannot take as given', () => {
  const codes = (e: Estimate) => e.issues.map((i) => i.code);

  it('a chosen workload longer than max-model-len is flagged and estimated at the longest request the engine accepts', () => {
    const p = plan('meta-llama/Llama-3.1-8B', { mml: 4096 });
    p.workload.inputLen = sourced(8000, cli('input-len'));
    const e = ok(p);
    assert.ok(codes(e).includes('request-exceeds-max-len'));
    assert.equal(e.workload.inputLen + e.workload.outputLen, 4096);
    assert.ok(e.assumptions.some((a) => a.startsWith('workload shortened to')));
    const fine = ok(plan('meta-llama/Llama-3.1-8B', { mml: 4096 }));
    assert.ok(!codes(fine).includes('request-exceeds-max-len'));
    assert.equal(fine.workload.inputLen, 1024);
  });

  it('the default workload is shortened quietly (an assumption, no warning) when the file sets a short max-model-len', () => {
    const e = ok(plan('meta-llama/Llama-3.1-8B', { mml: 512 }));
    assert.ok(!codes(e).includes('request-exceeds-max-len'));
    assert.ok(e.workload.inputLen + e.workload.outputLen <= 512);
    assert.ok(e.assumptions.some((a) => a.startsWith('workload shortened to')));
  });

  it('max-model-len 1 leaves no room for a request: invalid-value', () => {
    assert.ok(codes(ok(plan('meta-llama/Llama-3.1-8B', { mml: 1 }))).includes('invalid-value'));
  });

  it('a quantization method or KV dtype it does not model is flagged, saying what it assumed', () => {
    const p = plan('meta-llama/Llama-3.1-8B', { mml: 4096, kv: 'int2' });
    p.knobs.quantization = sourced('nf4', cli('quantization'));
    const e = ok(p);
    assert.deepEqual(codes(e).filter((c) => c === 'unmodelled-quantization' || c === 'unknown-kv-dtype'), ['unmodelled-quantization', 'unknown-kv-dtype']);
    assert.match(e.issues.find((i) => i.code === 'unmodelled-quantization')!.message, /checkpoint's format \(bf16\)/);
    for (const [q, kv] of [['fp8', 'fp8_e4m3'], ['awq', 'auto'], ['compressed-tensors', 'bfloat16'], ['gptq_marlin', 'nvfp4']]) {
      const known = plan('meta-llama/Llama-3.1-8B', { mml: 4096, kv });
      known.knobs.quantization = sourced(q, cli('quantization'));
      const c = codes(ok(known));
      assert.ok(!c.includes('unmodelled-quantization') && !c.includes('unknown-kv-dtype'), `${q} / ${kv}: ${c}`);
    }
  });
});

describe('a steady request rate (open loop)', () => {
  const atRate = (rate: number, engine: EngineName) => {
    const p = plan('Qwen/Qwen3-30B-A3B', { gpu: 'H200', tp: 2, mml: 4096, engine });
    p.workload = { ...p.workload, inputLen: sourced(1500, cli('input-len')), outputLen: sourced(300, cli('output-len')), requestRate: sourced(rate, cli('rate')) };
    return ok(p);
  };

  it('arrives spread out: no start-up burst, so SGLang prefills each arrival on its own instead of whole cohorts', () => {
    const open = atRate(8, 'sglang');
    const inFlight = Number(/keep about (\d+)/.exec(open.assumptions.join(' '))![1]);
    const closed = ok({ ...plan('Qwen/Qwen3-30B-A3B', { gpu: 'H200', tp: 2, mml: 4096, engine: 'sglang', conc: inFlight }), workload: { ...defaultWorkload(), inputLen: sourced(1500, cli('i')), outputLen: sourced(300, cli('o')), concurrency: sourced(inFlight, cli('c')) } });
    // Each spread arrival pays its own eager prompt step (SGLang's host launch floor, 48 MoE layers × 2 ms) that a
    // cohort shares, so the gap is smaller than the burst alone would make it.
    assert.ok(open.latency.ttftMs < closed.latency.ttftMs * 0.7, `open ${open.latency.ttftMs} vs closed ${closed.latency.ttftMs}`);
    assert.ok(open.latency.ttftMs < 4 * open.latency.prefillAloneMs + 50, `${open.latency.ttftMs} vs one prefill ${open.latency.prefillAloneMs}`);
    assert.ok(open.assumptions.some((a) => a.includes('arriving spread over time')));
  });

  it('more than a replica can serve is flagged; a rate it serves is not', () => {
    assert.ok(!atRate(4, 'vllm').issues.some((i) => i.code === 'rate-exceeds-capacity'));
    const over = atRate(400, 'vllm');
    assert.match(over.issues.find((i) => i.code === 'rate-exceeds-capacity')?.message ?? '', /^400 requests\/s need 120000 output tokens\/s but a replica serves at most about \d+/);
  });
});

describe('engine versions outside what is modelled', () => {
  const withVersion = (engine: EngineName, v: string) => {
    const p = plan('meta-llama/Llama-3.1-8B', { mml: 4096, engine });
    p.engine.version = sourced(v, cli('engine-version'));
    return ok(p);
  };

  it('older than the oldest modelled: estimated as the oldest, and said so', () => {
    const e = withVersion('vllm', '0.3.3');
    assert.ok(e.assumptions.includes('vllm 0.3.3 is older than the oldest modelled (0.5): 0.5 behaviour'));
    const asOldest = withVersion('vllm', '0.5.0');
    assert.deepEqual({ ...e.serving, engineVersion: '' }, { ...asOldest.serving, engineVersion: '' });
    assert.deepEqual(e.memory, asOldest.memory);
  });

  it('newer than the newest, or no number at all: the newest behaviour, said so', () => {
    assert.ok(withVersion('vllm', '0.40.1').assumptions.some((a) => a.startsWith('vllm 0.40.1 is newer than the newest modelled')));
    assert.ok(withVersion('sglang', 'latest').assumptions.some((a) => a.startsWith('sglang version "latest" has no number')));
    assert.ok(!withVersion('vllm', '0.12.0').assumptions.some((a) => /modelled/.test(a)));
  });
});

describe('GPU names resolve case- and punctuation-insensitively', () => {
  const gpus = new GpuCatalog();
  for (const name of ['H100', 'h100_sxm', 'H100-SXM-80GB', 'NVIDIA H100 80GB HBM3', 'nvidia-h100-80gb-hbm3']) {
    it(name, () => assert.equal(gpus.find(name)?.id, 'H100-SXM'));
  }
  it('A100-SXM4-80GB and L40S', () => {
    assert.equal(gpus.find('NVIDIA-A100-SXM4-80GB')?.id, 'A100-80GB');
    assert.equal(gpus.find('l40s')?.id, 'L40S');
  });
});

describe('architectures against published parameter counts (within 1 %)', () => {
  // Model cards: total / active parameters. Active counts include the embedding lookup table.
  const cases: Array<[string, number, number?]> = [
    ['mistralai/Mixtral-8x7B-v0.1', 46.7e9, 12.9e9],
    ['mistralai/Mixtral-8x22B-v0.1', 141e9, 39e9],
    ['mistralai/Mistral-Nemo-Instruct-2407', 12.2e9],
    ['Qwen/Qwen3-235B-A22B', 235e9, 22e9],
    ['Qwen/Qwen3-32B', 32.8e9],
    ['microsoft/Phi-3-medium-4k-instruct', 14e9],
    ['google/gemma-3-27b-it', 27e9],
    ['google/gemma-2-27b-it', 27.2e9],
    ['meta-llama/Llama-3.1-70B', 70.6e9],
    ['meta-llama/Llama-3.1-405B', 405.9e9],
    ['meta-llama/Llama-3.2-1B-Instruct', 1.24e9],
    ['openai/gpt-oss-120b', 116.8e9, 5.13e9 + 201088 * 2880], // 5.1 B active excludes the 0.58 B embedding
    ['meta-llama/Llama-4-Scout-17B-16E-Instruct', 107.8e9, 17.2e9],
  ];
  for (const [id, total, active] of cases) {
    it(id, () => {
      const p = countParams(modelFromConfig(id, catalogConfig(id)!));
      assert.ok(Math.abs(p.total / total - 1) < 0.01, `${p.total}`);
      if (active) assert.ok(Math.abs(p.active / active - 1) < 0.01, `${p.active}`);
    });
  }
});

describe('quantized checkpoints', () => {
  it('gpt-oss-20b: MXFP4 experts, 16-bit attention and embeddings → about 12.8 GiB', () => {
    const e = ok(plan('openai/gpt-oss-20b', { mml: 8192 }));
    assert.equal(e.serving.weightDtype, 'mxfp4');
    assert.ok(Math.abs(e.memory.weightsBytesPerGpu / 2 ** 30 - 12.8) < 0.4, String(e.memory.weightsBytesPerGpu / 2 ** 30));
  });

  it('GPTQ int4 with group 128 is ~0.52 B/param for linear layers; embeddings stay 16-bit', () => {
    const e = ok(plan('Qwen/Qwen2.5-32B-Instruct-GPTQ-Int4', { mml: 8192 }));
    const gib = e.memory.weightsBytesPerGpu / 2 ** 30;
    assert.ok(gib > 17 && gib < 19.5, String(gib));
  });

  it('online FP8 (--quantization fp8) halves the linear layers of a 16-bit checkpoint', () => {
    const p = plan('meta-llama/Llama-3.1-8B', { mml: 8192 });
    p.knobs.quantization = sourced('fp8', cli('q'));
    const e = ok(p);
    assert.ok(Math.abs(e.memory.weightsBytesPerGpu / 2 ** 30 - 8.49) < 0.05, String(e.memory.weightsBytesPerGpu / 2 ** 30));
    assert.equal(e.serving.computeDtype, 'fp8');
  });

  it('FP8 on Ampere runs weight-only kernels and says so', () => {
    const p = plan('meta-llama/Llama-3.1-8B', { mml: 8192, gpu: 'A100-80GB' });
    p.knobs.quantization = sourced('fp8', cli('q'));
    const e = ok(p);
    assert.equal(e.serving.computeDtype, 'bf16');
    assert.ok(e.issues.some((i) => i.code === 'quant-not-native'));
  });

  it('DeepSeek-V3 FP8 block-scaled needs more than one 8-GPU H100 node but fits 8 × H200', () => {
    assert.equal(ok(plan('deepseek-ai/DeepSeek-V3', { tp: 8, mml: 8192 })).memory.fits, false);
    assert.equal(ok(plan('deepseek-ai/DeepSeek-V3', { tp: 8, mml: 8192, gpu: 'H200' })).memory.fits, true);
  });
});

describe('latency physics', () => {
  it('batch-1 decode of Llama-3.1-8B on H100 is weight-streaming bound (5–9 ms; measured 6.3 ms self-written, 8.6 HF graph)', () => {
    const e = ok(plan('meta-llama/Llama-3.1-8B', { mml: 8192 }));
    assert.ok(e.latency.tpotMs > 5 && e.latency.tpotMs < 9, String(e.latency.tpotMs));
  });

  it('FP8 weights speed up batch-1 decode (measured ×1.6 on H100)', () => {
    const bf16 = ok(plan('meta-llama/Llama-3.1-8B', { mml: 8192 }));
    const p = plan('meta-llama/Llama-3.1-8B', { mml: 8192 });
    p.knobs.quantization = sourced('fp8', cli('q'));
    const ratio = bf16.latency.tpotMs / ok(p).latency.tpotMs;
    assert.ok(ratio > 1.3 && ratio < 1.9, String(ratio));
  });

  it('H200 decodes faster than H100 (more bandwidth), same compute', () => {
    const h100 = ok(plan('Qwen/Qwen3-32B', { mml: 8192 }));
    const h200 = ok(plan('Qwen/Qwen3-32B', { mml: 8192, gpu: 'H200' }));
    assert.ok(h200.latency.tpotMs < h100.latency.tpotMs * 0.8);
  });

  it('speculative decoding lowers TPOT at batch 1 and reports its assumption', () => {
    const base = ok(plan('meta-llama/Llama-3.1-8B', { mml: 8192 }));
    const p = plan('meta-llama/Llama-3.1-8B', { mml: 8192 });
    p.knobs.speculative = sourced({ method: 'eagle3', numTokens: 3 }, cli('spec'));
    const e = ok(p);
    assert.ok(e.latency.tpotMs < base.latency.tpotMs * 0.7, `${e.latency.tpotMs} vs ${base.latency.tpotMs}`);
    assert.ok(e.assumptions.some((a) => a.includes('speculative decoding')));
  });

  it('a prefix-cache hit rate shortens TTFT', () => {
    const p = plan('Qwen/Qwen3-32B', { mml: 8192 });
    p.workload.inputLen = sourced(8000, cli('i'));
    const cold = ok(p);
    p.workload.prefixHitRate = sourced(0.75, cli('hit'));
    const warm = ok(p);
    assert.ok(warm.latency.ttftMs < cold.latency.ttftMs * 0.5);
  });

  it('SGLang runs prefill batches on their own unless --enable-mixed-chunk: a cohort pays its whole prefill in TTFT, decodes unslowed', () => {
    const yaml = (mixed: boolean) => `# deploy-advisor: gpu=H100 input-len=1024 output-len=128 concurrency=64\nmodel-path: Qwen/Qwen3-32B\ntp-size: 2\n${mixed ? 'enable-mixed-chunk: true\n' : ''}`;
    const est = (mixed: boolean) => analyze('file:///x/sglang.yaml', yaml(mixed)).workloads[0].estimate!;
    const separate = est(false);
    const mixed = est(true);
    // Measured on H100 (SGLang 0.5.1, this workload): TTFT 2.5 s, TPOT 30 ms; vLLM, which mixes, 0.39 s and 46 ms.
    assert.ok(separate.latency.ttftMs > 2 * mixed.latency.ttftMs, `${separate.latency.ttftMs} vs ${mixed.latency.ttftMs}`);
    assert.ok(separate.latency.tpotMs < mixed.latency.tpotMs, `${separate.latency.tpotMs} vs ${mixed.latency.tpotMs}`);
  });

  it('every engine fits what it reserves beside its pool: the default catalog deployments of an 8B model fit one H100 under all four engines', () => {
    for (const engine of engineNames) {
      const e = ok(plan('meta-llama/Llama-3.1-8B-Instruct', { engine, mml: 8192 }));
      assert.equal(e.memory.fits, true, engine);
      const m = e.memory;
      assert.ok(m.weightsBytesPerGpu + m.activationBytesPerGpu + m.overheadBytesPerGpu + m.kvPoolBytesPerGpu <= e.hardware.memoryBytesPerGpu, engine);
    }
    // TGI keeps TGI_WIGGLE_ROOM (7 %) of the free memory out of the pool for the CUDA graphs captured after it.
    const tgi = ok(plan('meta-llama/Llama-3.1-8B-Instruct', { engine: 'tgi', mml: 8192 }));
    assert.match(tgi.memory.poolFormula, /^0\.93 × /);
  });

  it('vLLM V0 (before 0.8): chunked prefill only above 32K, so the profiling run takes a whole max_model_len prompt (measured on an RTX 3090)', () => {
    const at = (len: number) => {
      const a = analyze('file:///x/vllm.yaml', `# deploy-advisor: gpu=RTX-3090 engine-version=0.6.4\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: ${len}\n`);
      return a.workloads[0].estimate!;
    };
    const e = at(29000);
    assert.equal(e.serving.chunkedPrefill, false);
    assert.equal(e.serving.maxNumBatchedTokens, 29000);
    // vllm#10517: peak torch memory 17.98 GiB with 14.99 GiB of weights (2.99 GiB of activations), 23 648 KV tokens.
    assert.ok(Math.abs(e.memory.activationBytesPerGpu / 2 ** 30 - 2.99) < 0.15, String(e.memory.activationBytesPerGpu / 2 ** 30));
    assert.ok(Math.abs(e.memory.kvCapacityTokens / 23648 - 1) < 0.05, String(e.memory.kvCapacityTokens));
    const long = at(40000);
    assert.equal(long.serving.chunkedPrefill, true);
    assert.equal(long.serving.maxNumBatchedTokens, 2048);
    assert.equal(at(29000).serving.maxNumSeqs, 256);
  });

  it('SGLang keeps activations and CUDA graphs outside its pool: Qwen3-32B in bf16 fits one H100 (measured serving there), each counted once', () => {
    const a = analyze('file:///x/sglang.yaml', '# deploy-advisor: gpu=H100 input-len=1024 output-len=512 concurrency=16\nmodel-path: Qwen/Qwen3-32B\ncontext-length: 1600\n');
    const e = a.workloads[0].estimate!;
    assert.equal(e.memory.fits, true, a.findings.map((f) => f.message).join('\n'));
    // The logits at the peak are one CUDA-graph decode batch (256), not max-running-requests (4096) as vLLM's profiling sampler.
    assert.ok(e.memory.activationBytesPerGpu < 2 * 2 ** 30, String(e.memory.activationBytesPerGpu));
    const m = e.memory;
    assert.ok(m.weightsBytesPerGpu + m.activationBytesPerGpu + m.overheadBytesPerGpu + m.kvPoolBytesPerGpu <= e.hardware.memoryBytesPerGpu);
    assert.ok(a.findings.some((f) => f.rule === 'kv-limits-concurrency'), 'the 4.4 GiB pool holds 11 of the 16 requests');
  });

  it('TensorRT-LLM ≥ 1.0 and SGLang schedule with overlap unless disabled: arrivals mid-step start a step later, and the estimate says so', () => {
    const yaml = (off: boolean) => `# deploy-advisor: gpu=H100 engine-version=1.0 input-len=2048 output-len=256 concurrency=16\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax_num_tokens: 8192\n${off ? 'disable_overlap_scheduler: true\n' : ''}`;
    const est = (off: boolean) => analyze('file:///x/trtllm-options.yaml', yaml(off)).workloads[0].estimate!;
    const on = est(false);
    const off = est(true);
    assert.ok(on.assumptions.some((a) => a.startsWith('overlap scheduler on')), on.assumptions.join('\n'));
    assert.ok(!off.assumptions.some((a) => a.startsWith('overlap scheduler on')));
    assert.ok(on.latency.ttftMs > off.latency.ttftMs, `${on.latency.ttftMs} vs ${off.latency.ttftMs}`);
    const old = analyze('file:///x/trtllm-options.yaml', yaml(false).replace('engine-version=1.0', 'engine-version=0.21')).workloads[0].estimate!;
    assert.ok(!old.assumptions.some((a) => a.startsWith('overlap scheduler on')), 'the TensorRT engine backend before 1.0 has no overlap scheduler');
    const sglang = (flag: string) => analyze('file:///x/sglang.yaml', `# deploy-advisor: gpu=H100\nmodel-path: meta-llama/Llama-3.1-8B-Instruct\n${flag}`).workloads[0].estimate!;
    assert.ok(sglang('').assumptions.some((a) => a.startsWith('overlap scheduler on')));
    assert.ok(!sglang('disable-overlap-schedule: true\n').assumptions.some((a) => a.startsWith('overlap scheduler on')));
  });
});

describe('data parallelism: what each rank owns and what the ranks share', () => {
  const est = (uri: string, text: string): Estimate => {
    const a = analyze(uri, text);
    const e = a.workloads[0].estimate;
    assert.ok(e, a.findings.map((f) => f.message).join('\n'));
    return e;
  };
  const vllm = (body: string, load = 'concurrency=16') => est('file:///x/vllm.yaml', `# deploy-advisor: gpu=H100 input-len=2048 output-len=256 ${load}\ntensor-parallel-size: 1\n${body}`);
  const sglang = (body: string) => est('file:///x/sglang.yaml', `# deploy-advisor: gpu=H200 input-len=1000 output-len=1000 concurrency=256\nmodel-path: deepseek-ai/DeepSeek-R1\n${body}`);

  it('vLLM --data-parallel-size on a dense model: independent ranks — same GPU memory, DP × the GPUs, KV room and throughput, the same latency per rank', () => {
    const one = vllm('model: meta-llama/Llama-3.1-8B-Instruct\n', 'concurrency=8');
    const two = vllm('model: meta-llama/Llama-3.1-8B-Instruct\ndata-parallel-size: 2\n', 'concurrency=16');
    assert.equal(two.hardware.count, 2);
    assert.equal(two.serving.dataParallel, 2);
    assert.equal(two.memory.weightsBytesPerGpu, one.memory.weightsBytesPerGpu);
    assert.equal(two.memory.kvPoolBytesPerGpu, one.memory.kvPoolBytesPerGpu);
    assert.equal(two.memory.kvCapacityTokens, 2 * one.memory.kvCapacityTokens);
    assert.ok(Math.abs(two.memory.maxConcurrency - 2 * one.memory.maxConcurrency) < 0.02);
    assert.equal(two.latency.ttftMs, one.latency.ttftMs);
    assert.equal(two.latency.tpotMs, one.latency.tpotMs);
    assert.ok(Math.abs(two.latency.outputTokensPerSec / one.latency.outputTokensPerSec - 2) < 1e-9);
    assert.ok(two.assumptions.some((a) => a.startsWith('data parallel 2: 2 ranks of 1 GPU(s)')), two.assumptions.join('\n'));
  });

  it('a pod\'s GPU count is checked against TP × PP × DP', () => {
    const pod = (dp: number, gpus: number) => analyze('file:///x/deploy.yaml', ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: moe}', 'spec:', '  template:', '    spec:', '      containers:',
      '        - name: vllm', '          image: vllm/vllm-openai:v0.11.0',
      `          args: ["--model", "Qwen/Qwen3-30B-A3B", "--data-parallel-size", "${dp}", "--enable-expert-parallel", "--tensor-parallel-size", "1"]`,
      `          resources: {limits: {nvidia.com/gpu: ${gpus}}}`, ''].join('\n')).findings.filter((f) => f.rule === 'gpu-count-mismatch');
    assert.deepEqual(pod(4, 4), []);
    assert.equal(pod(4, 2).length, 1);
    assert.equal(pod(2, 4).length, 1);
  });

  it('vLLM DP on an MoE model: the experts split over TP × DP GPUs while attention stays per rank', () => {
    const body = 'model: Qwen/Qwen3-30B-A3B\n';
    const tp1 = vllm(body);
    const dp4 = vllm(`${body}data-parallel-size: 4\n`);
    const dp4ep = vllm(`${body}data-parallel-size: 4\nenable-expert-parallel: true\n`);
    assert.equal(dp4.hardware.count, 4);
    assert.equal(dp4ep.serving.expertParallel, 4);
    // Qwen3-30B-A3B is ~29 B of expert weights and ~1.4 B of the rest: a quarter of the experts per GPU saves ~41 GiB.
    const saved = (tp1.memory.weightsBytesPerGpu - dp4.memory.weightsBytesPerGpu) / 2 ** 30;
    assert.ok(saved > 38 && saved < 44, `${saved.toFixed(1)} GiB`);
    assert.ok(Math.abs(dp4ep.memory.weightsBytesPerGpu - dp4.memory.weightsBytesPerGpu) / dp4.memory.weightsBytesPerGpu < 0.01, 'EP or TP-split experts hold the same bytes');
    assert.ok(dp4.memory.kvCapacityTokens > 4 * tp1.memory.kvCapacityTokens, 'each rank keeps its own pool, and the pools grew');
  });

  it('SGLang DP attention on an MLA model: each GPU keeps only its own requests\' latent KV instead of a copy of everyone\'s', () => {
    const base = 'tp-size: 8\nmem-fraction-static: 0.8\n';
    const tp8 = sglang(base);
    const dpa = sglang(`${base}dp-size: 8\nenable-dp-attention: true\n`);
    const dpOnly = sglang(`${base}dp-size: 8\n`);
    assert.equal(dpa.hardware.count, 8, 'DP attention splits the tp-size GPUs, it adds none');
    assert.equal(dpOnly.hardware.count, 64, 'plain --dp-size launches 8 groups of tp-size GPUs');
    assert.equal(dpOnly.memory.weightsBytesPerGpu, tp8.memory.weightsBytesPerGpu);
    // Attention weights (~11 B parameters in FP8) are replicated on every GPU: ~9 GiB more per GPU, never a whole model.
    const extra = (dpa.memory.weightsBytesPerGpu - tp8.memory.weightsBytesPerGpu) / 2 ** 30;
    assert.ok(extra > 6 && extra < 12, `${extra.toFixed(1)} GiB`);
    const perGpuTokens = (e: Estimate) => e.memory.kvPoolBytesPerGpu / e.memory.kvBytesPerTokenPerGpu;
    assert.ok(Math.abs(tp8.memory.kvCapacityTokens / perGpuTokens(tp8) - 1) < 0.01, 'TP: every GPU holds the same latent of every request');
    assert.ok(Math.abs(dpa.memory.kvCapacityTokens / perGpuTokens(dpa) - 8) < 0.05, 'DP attention: eight pools of their own');
    assert.ok(dpa.memory.kvCapacityTokens > 4 * tp8.memory.kvCapacityTokens);
    assert.ok(analyze('file:///x/sglang.yaml', `# deploy-advisor: gpu=H200 input-len=1000 output-len=2000 concurrency=256\nmodel-path: deepseek-ai/DeepSeek-R1\n${base}`).findings.some((f) => f.rule === 'kv-limits-concurrency'));
    assert.ok(!analyze('file:///x/sglang.yaml', `# deploy-advisor: gpu=H200 input-len=1000 output-len=2000 concurrency=256\nmodel-path: deepseek-ai/DeepSeek-R1\n${base}dp-size: 8\nenable-dp-attention: true\n`).findings.some((f) => f.rule === 'kv-limits-concurrency'));
  });

  it('TensorRT-LLM enable_attention_dp makes every GPU an attention rank; a dp-size that does not divide SGLang\'s tp-size is flagged', () => {
    const trt = (dp: boolean) => est('file:///x/trtllm-options.yaml', `# deploy-advisor: gpu=H200 concurrency=64\nmodel: deepseek-ai/DeepSeek-V3\ntensor_parallel_size: 8\nmoe_expert_parallel_size: 8\n${dp ? 'enable_attention_dp: true\n' : ''}`);
    const plain = trt(false);
    const adp = trt(true);
    assert.equal(adp.hardware.count, 8);
    assert.equal(adp.serving.dataParallel, 8);
    assert.ok(adp.memory.kvCapacityTokens > 4 * plain.memory.kvCapacityTokens);
    const a = analyze('file:///x/sglang.yaml', '# deploy-advisor: gpu=H200\nmodel-path: deepseek-ai/DeepSeek-R1\ntp-size: 8\ndp-size: 3\nenable-dp-attention: true\n');
    assert.ok(a.findings.some((f) => f.rule === 'invalid-value' && /dp-size \(3\) to divide tp-size \(8\)/.test(f.message)), a.findings.map((f) => f.message).join('\n'));
  });

  it('kv-limits-concurrency offers DP attention where tensor parallelism copies KV: MLA latents, or KV heads fewer than the TP GPUs of an MoE model', () => {
    const offered = (uri: string, text: string) => {
      const f = analyze(uri, text).findings.find((x) => x.rule === 'kv-limits-concurrency');
      assert.ok(f, text);
      return f.fixes?.find((x) => x.changes.some((c) => c.knob === 'attentionDataParallel'));
    };
    const load = '# deploy-advisor: gpu=H100 input-len=4000 output-len=4000 concurrency=512\n';
    // Qwen3-30B-A3B has 4 KV heads: TP 8 keeps each on two GPUs; eight attention ranks keep one copy, about twice the tokens.
    // (A set fraction: the automatic one reserves 3 MiB per graph batch and DP rank more under DP attention.)
    const gqa = offered('file:///x/sglang.yaml', `${load}model-path: Qwen/Qwen3-30B-A3B\ntp-size: 8\nmem-fraction-static: 0.85\n`);
    assert.ok(gqa, 'offered for a GQA MoE model under TP 8');
    assert.deepEqual(gqa.changes, [{ knob: 'attentionDataParallel', value: true }, { knob: 'dataParallel', value: 8 }]);
    const [before, after] = /KV capacity (\d+)k → (\d+)k/.exec(gqa.title)!.slice(1).map(Number);
    assert.ok(after / before > 1.8 && after / before < 2.05, gqa.title);
    assert.ok(offered('file:///x/trtllm-options.yaml', `${load}model: Qwen/Qwen3-30B-A3B\ntensor_parallel_size: 8\n`), 'TensorRT-LLM too (a file named for it)');
    assert.equal(offered('file:///x/sglang.yaml', `${load}model-path: Qwen/Qwen3-30B-A3B\ntp-size: 4\n`), undefined, 'TP 4 splits the 4 KV heads: nothing copied');
    assert.equal(offered('file:///x/vllm.yaml', `${load}model: Qwen/Qwen3-30B-A3B\ntensor-parallel-size: 8\n`), undefined, 'vLLM has no DP attention');
    assert.equal(offered('file:///x/sglang.yaml', `${load}model-path: meta-llama/Llama-3.1-70B-Instruct\ntp-size: 8\n`), undefined, 'dense models are not offered it');
  });

  it('the batch cap is each rank\'s, except SGLang\'s max-running-requests under DP attention, which is the server\'s', () => {
    const load = '# deploy-advisor: gpu=H200 input-len=1000 output-len=1000 concurrency=max\n';
    const sg = est('file:///x/sglang.yaml', `${load}model-path: deepseek-ai/DeepSeek-R1\ntp-size: 8\ndp-size: 8\nenable-dp-attention: true\nmax-running-requests: 64\n`);
    assert.equal(sg.serving.maxNumSeqs, 64, 'the knob as the file sets it');
    assert.equal(sg.serving.maxNumSeqsPerRank, 8);
    assert.equal(sg.latency.concurrency, 64, 'eight ranks of 8');
    const trt = est('file:///x/trtllm-options.yaml', `${load}model: deepseek-ai/DeepSeek-R1\ntensor_parallel_size: 8\nenable_attention_dp: true\nmax_batch_size: 64\n`);
    assert.equal(trt.serving.maxNumSeqsPerRank, 64);
    assert.ok(trt.latency.concurrency > 64, `TensorRT-LLM's max_batch_size is each attention rank's: ${trt.latency.concurrency}`);
  });
});
