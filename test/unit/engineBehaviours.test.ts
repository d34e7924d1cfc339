/**
 * Engine behaviours the launch-config rows expose (#18 item 4): CUDA-graph batch caps (a decode batch above the cap
 * runs eager), SGLang's chunk and graph sizes by GPU memory tier, engine slots equal to the concurrency, and
 * speculative decoding as the recipes run it (MTP drafts, acceptance stated as an assumption).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { sglangAutoFraction, sglangChunkedPrefill, sglangCudaGraphMaxBs } from '../../server/src/estimator/engines/sglang';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { buildStepModel, runsEager } from '../../server/src/estimator/latency';
import { catalogConfig } from '../../server/src/catalog/models';
import { engines } from '../../server/src/estimator/engines';
import type { EngineModel } from '../../server/src/estimator/engines/types';
import { countParams, modelFromConfig } from '../../server/src/estimator/model';
import { speculation } from '../../server/src/estimator/speculative';
import { analyze } from '../../server/src/pipeline';
import { byDefault, DeploymentPlan, EngineKnobs, EngineName, sourced } from '../../server/src/plan/types';

const cli = (flag: string) => ({ kind: 'cli' as const, flag });
const gpus = new GpuCatalog();

function run(engine: EngineName, gpu: string, conc: number, knobs: Partial<Record<keyof EngineKnobs, unknown>> = {}, model = 'Qwen/Qwen2.5-7B', version?: string): Estimate {
  const k: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(knobs)) k[name] = sourced(v, cli(name));
  const p: DeploymentPlan = {
    name: model,
    model: { ref: sourced(model, cli('model')) },
    hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')), ...(version ? { version: sourced(version, cli('engine-version')) } : {}) },
    knobs: k as DeploymentPlan['knobs'],
    workload: { inputLen: sourced(1024, cli('isl')), outputLen: sourced(256, cli('osl')), concurrency: sourced(conc, cli('c')) },
  };
  const r = estimate(p);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  return r.estimate;
}

describe('CUDA-graph batch caps', () => {
  it('a pure-decode step above the cap runs eager; at the cap, with prompt tokens, or uncapped it does not', () => {
    const k = { cudaGraphs: true, cudaGraphMaxBatch: 256 };
    assert.equal(runsEager(k, 256, 0), false);
    assert.equal(runsEager(k, 257, 0), true);
    assert.equal(runsEager(k, 300, 512), false);
    assert.equal(runsEager({ cudaGraphs: true }, 1e6, 0), false);
    assert.equal(runsEager({ cudaGraphs: false, cudaGraphMaxBatch: 256 }, 1, 0), true);
  });

  for (const engine of ['vllm', 'sglang', 'trtllm'] as const) {
    it(`${engine}: 64 clients under a cap of 32 decode slower than under a cap of 64, which matches the default, and the estimate says why`, () => {
      const capped = run(engine, 'H100-SXM', 64, { cudaGraphMaxBatch: 32 });
      const at = run(engine, 'H100-SXM', 64, { cudaGraphMaxBatch: 64 });
      const dflt = run(engine, 'H100-SXM', 64);
      // Qwen2.5-7B, 28 layers × 12 launches × 4 µs ≈ 1.3 ms a step more.
      const extra = capped.latency.tpotMs - at.latency.tpotMs;
      assert.ok(extra > 0.5 && extra < 1.6, `${extra} ms`);
      assert.equal(at.latency.tpotMs, dflt.latency.tpotMs);
      assert.ok(capped.assumptions.some((a) => /decode batches above .* 32 run without a CUDA graph \(64 sequences/.test(a)), capped.assumptions.join('\n'));
      assert.ok(!at.assumptions.some((a) => /run without a CUDA graph/.test(a)));
    });
  }

  it('vLLM V1 captures up to 512, V0 up to 256: 300 clients decode eager only on V0', () => {
    const v1 = run('vllm', 'H100-SXM', 300, { maxNumSeqs: 512 });
    assert.ok(!v1.assumptions.some((a) => /run without a CUDA graph/.test(a)));
    const v0p: DeploymentPlan = { ...planFor('0.6.3', 300) };
    const r = estimate(v0p);
    assert.ok(r.ok);
    assert.ok(r.estimate.assumptions.some((a) => /max-cudagraph-capture-size 256 run without a CUDA graph/.test(a)), r.estimate.assumptions.join('\n'));
  });

  it('the cap is read from vLLM, SGLang and TensorRT-LLM files', () => {
    const knob = (uri: string, text: string) => analyze(uri, text).workloads[0].plan.knobs.cudaGraphMaxBatch?.value;
    assert.equal(knob('file:///x/vllm.yaml', '# deploy-advisor: gpu=H100-SXM\nmodel: Qwen/Qwen2.5-7B\ntensor-parallel-size: 1\nmax-cudagraph-capture-size: 48\n'), 48);
    assert.equal(knob('file:///x/s.yaml', '# python -m sglang.launch_server --config s.yaml\n# deploy-advisor: gpu=H100-SXM\nmodel-path: Qwen/Qwen2.5-7B\ncuda-graph-max-bs: 24\n'), 24);
    assert.equal(knob('file:///x/t.yaml', '# trtllm-serve Qwen/Qwen2.5-7B --extra_llm_api_options t.yaml\n# deploy-advisor: gpu=H100-SXM\nmodel: Qwen/Qwen2.5-7B\ncuda_graph_config:\n  max_batch_size: 16\n  enable_padding: true\n'), 16);
  });
});

function planFor(version: string, conc: number): DeploymentPlan {
  return {
    name: 'v0',
    model: { ref: sourced('Qwen/Qwen2.5-7B', cli('model')) },
    hardware: { gpu: sourced('H100-SXM', cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced('vllm', cli('engine')), version: sourced(version, cli('v')) },
    knobs: { maxNumSeqs: sourced(512, cli('seqs')), maxModelLen: sourced(4096, cli('mml')) },
    workload: { inputLen: sourced(1024, cli('isl')), outputLen: sourced(256, cli('osl')), concurrency: sourced(conc, cli('c')) },
  };
}

describe('SGLang defaults by GPU memory tier (server_args._handle_gpu_memory_settings, tiers in GiB)', () => {
  const cases: Array<[string, number, number, number]> = [
    // GPU, chunked-prefill-size, cuda-graph-max-bs at TP 1, at TP 4
    ['T4', 2048, 8, 8],
    ['RTX-4090', 2048, 24, 80],
    ['A100-40GB', 4096, 32, 160],
    ['L40S', 4096, 32, 160],
    ['H100-SXM', 8192, 256, 512],
    ['H200', 8192, 256, 512],
    ['B200', 16384, 512, 512],
    ['B300', 16384, 512, 512],
  ];
  for (const [id, chunk, bs1, bs4] of cases) {
    it(`${id}: chunk ${chunk}, CUDA graphs up to ${bs1} (TP 4: ${bs4})`, () => {
      const g = gpus.find(id)!;
      assert.ok(g, id);
      assert.equal(sglangChunkedPrefill(g.usableBytes), chunk);
      assert.equal(sglangCudaGraphMaxBs(g.usableBytes, 1), bs1);
      assert.equal(sglangCudaGraphMaxBs(g.usableBytes, 4), bs4);
    });
  }

  it('the estimate runs the tier: chunk 16384 on B200, 8192 on H200', () => {
    assert.equal(run('sglang', 'B200', 8).serving.maxNumBatchedTokens, 16384);
    assert.equal(run('sglang', 'H200', 8).serving.maxNumBatchedTokens, 8192);
  });
});

describe('engine slots equal to the concurrency (the recipes\' max-num-seqs = C)', () => {
  for (const engine of ['vllm', 'sglang', 'trtllm'] as const) {
    it(`${engine}: slots = C runs like the default; half of C queues the rest (TTFT up, TPOT no higher)`, () => {
      const dflt = run(engine, 'H100-SXM', 64);
      const equal = run(engine, 'H100-SXM', 64, { maxNumSeqs: 64 });
      const half = run(engine, 'H100-SXM', 64, { maxNumSeqs: 32 });
      assert.equal(equal.latency.ttftMs, dflt.latency.ttftMs);
      assert.equal(equal.latency.tpotMs, dflt.latency.tpotMs);
      assert.ok(half.latency.ttftMs > 1.5 * equal.latency.ttftMs, `${half.latency.ttftMs} vs ${equal.latency.ttftMs}`);
      assert.ok(half.latency.tpotMs <= equal.latency.tpotMs);
    });
  }
});

describe('speculative decoding as the recipes run it', () => {
  it('MTP with 1–3 draft tokens: acceptance 0.8 stated as an assumption, expected tokens per step from it', () => {
    for (const k of [1, 2, 3]) {
      const s = speculation({ method: 'mtp', numTokens: k }, { layers: 61, activeParams: 37e9 })!;
      assert.equal(s.acceptance, 0.8);
      assert.ok(Math.abs(s.tokensPerStep - (1 - 0.8 ** (k + 1)) / 0.2) < 1e-12);
      assert.match(s.note, new RegExp(`mtp, ${k} tokens\\): assumed acceptance 0.8`));
    }
    assert.equal(speculation({ method: 'mtp', numTokens: 3, acceptanceRate: 0.6 }, { layers: 61, activeParams: 37e9 })!.note.includes('assumed'), false);
  });

  it('an MTP or EAGLE draft token costs a decoder layer plus the shared output head (DeepSeek-R1: 1/61 + 0.93 B / 37 B)', () => {
    const head = 129280 * 7168;
    const s = speculation({ method: 'mtp', numTokens: 3 }, { layers: 61, activeParams: 37e9, headParams: head })!;
    assert.ok(Math.abs(s.draftCostPerToken - (1 / 61 + head / 37e9)) < 1e-12);
    assert.equal(speculation({ method: 'ngram', numTokens: 3 }, { layers: 61, activeParams: 37e9, headParams: head })!.draftCostPerToken, 0);
  });

  it('DeepSeek-R1 on B200 with MTP 3 through the estimate: TPOT below the same deployment without it, acceptance in the assumptions', () => {
    const base = { tensorParallel: 8, kvCacheDtype: 'fp8', maxNumSeqs: 64 };
    const mtp = run('trtllm', 'B200', 64, { ...base, speculative: { method: 'mtp', numTokens: 3 } }, 'nvidia/DeepSeek-R1-0528-FP4');
    const stp = run('trtllm', 'B200', 64, base, 'nvidia/DeepSeek-R1-0528-FP4');
    assert.ok(mtp.latency.tpotMs < stp.latency.tpotMs, `${mtp.latency.tpotMs} vs ${stp.latency.tpotMs}`);
    assert.ok(mtp.assumptions.some((a) => /speculative decoding \(mtp, 3 tokens\): assumed acceptance 0.8/.test(a)), mtp.assumptions.join('\n'));
  });
});

describe('when the first streamed chunk leaves (TensorRT-LLM stream_interval)', () => {
  it('stream_interval 10 without postprocess workers holds the first chunk 9 decode steps: TTFT up by about 9 TPOTs, stated', () => {
    const at = run('trtllm', 'H100-SXM', 4);
    const held = run('trtllm', 'H100-SXM', 4, { streamInterval: 10 });
    // 9 iterations, some of them carrying other clients' prompts (longer than a TPOT), in TPOTs of the unheld run.
    const extra = (held.latency.ttftMs - at.latency.ttftMs) / at.latency.tpotMs;
    assert.ok(extra > 8.5 && extra < 12, `${extra} TPOTs`);
    assert.ok(held.latency.tpotMs < at.latency.tpotMs);
    assert.ok(held.assumptions.some((a) => /stream_interval 10 without postprocess workers: .* 9 more iterations/.test(a)), held.assumptions.join('\n'));
  });

  it('postprocess workers stream the first token at once; vLLM and SGLang are not held', () => {
    const at = run('trtllm', 'H100-SXM', 4);
    const workers = run('trtllm', 'H100-SXM', 4, { streamInterval: 20, postprocessWorkers: 4 });
    assert.equal(workers.latency.ttftMs, at.latency.ttftMs);
    assert.ok(workers.assumptions.some((a) => /stream_interval 20 with 4 postprocess worker\(s\): the first token streams at once/.test(a)));
    for (const engine of ['vllm', 'sglang'] as const) assert.equal(run(engine, 'H100-SXM', 4, { streamInterval: 10 }).latency.ttftMs, run(engine, 'H100-SXM', 4).latency.ttftMs);
  });

  it('read from a TensorRT-LLM file with its position, and the file validates', () => {
    const text = '# trtllm-serve Qwen/Qwen2.5-7B --extra_llm_api_options t.yaml\n# deploy-advisor: gpu=H100-SXM concurrency=4\nmodel: Qwen/Qwen2.5-7B\nmax_num_tokens: 8192\nstream_interval: 10 # responses every 10 iterations\nnum_postprocess_workers: 0\n';
    const a = analyze('file:///x/t.yaml', text);
    const k = a.workloads[0].plan.knobs;
    assert.equal(k.streamInterval?.value, 10);
    assert.equal(k.postprocessWorkers?.value, 0);
    const src = k.streamInterval?.source;
    assert.ok(src && src.kind === 'file' && src.range.start.line === 4, JSON.stringify(src));
    assert.ok(!a.findings.some((f) => /stream_interval|num_postprocess_workers/.test(f.message) && f.severity === 'error'), JSON.stringify(a.findings));
    assert.ok(a.workloads[0].estimate?.assumptions.some((x) => /stream_interval 10 without postprocess workers/.test(x)));
  });

  it('one client and the steady-state closed form hold it too', () => {
    const one = run('trtllm', 'H100-SXM', 1);
    const oneHeld = run('trtllm', 'H100-SXM', 1, { streamInterval: 5 });
    assert.ok(Math.abs(oneHeld.latency.ttftMs - one.latency.ttftMs - 4 * one.latency.tpotMs) < 1e-6, `${oneHeld.latency.ttftMs} vs ${one.latency.ttftMs}`);
  });
});

describe('TensorRT-LLM attention-DP balancing (attention_dp_config.enable_balance)', () => {
  const base = { tensorParallel: 8, attentionDataParallel: true, expertParallel: 8, kvCacheDtype: 'fp8' };
  const model = 'nvidia/DeepSeek-R1-0528-FP4';

  it('holds new prompts until every rank has one: TTFT up, bounded by the timeout, TPOT unchanged, stated', () => {
    const free = run('trtllm', 'B200', 64, base, model);
    const balanced = run('trtllm', 'B200', 64, { ...base, attentionDpBalance: true, attentionDpTimeoutIters: 60, attentionDpBatchingWaitIters: 0 }, model);
    const extra = balanced.latency.ttftMs - free.latency.ttftMs;
    assert.ok(extra > 0 && extra < 60 * balanced.latency.tpotMs, `${extra} ms over ${balanced.latency.tpotMs} ms TPOT`);
    assert.ok(Math.abs(balanced.latency.tpotMs / free.latency.tpotMs - 1) < 0.1);
    assert.ok(balanced.assumptions.some((a) => /enable_balance over 8 attention-DP ranks: .*at most 60 iterations/.test(a)), balanced.assumptions.join('\n'));
    // A shorter timeout caps the hold lower; the batching wait adds its iterations.
    const short = run('trtllm', 'B200', 64, { ...base, attentionDpBalance: true, attentionDpTimeoutIters: 2, attentionDpBatchingWaitIters: 0 }, model);
    assert.ok(short.latency.ttftMs < balanced.latency.ttftMs);
    const batching = run('trtllm', 'B200', 64, { ...base, attentionDpBalance: true, attentionDpTimeoutIters: 2, attentionDpBatchingWaitIters: 10 }, model);
    assert.ok(batching.latency.ttftMs > short.latency.ttftMs);
  });

  it('without attention DP, or on another engine, enable_balance changes nothing', () => {
    const tp = { tensorParallel: 8, kvCacheDtype: 'fp8' };
    assert.equal(run('trtllm', 'B200', 64, { ...tp, attentionDpBalance: true }, model).latency.ttftMs, run('trtllm', 'B200', 64, tp, model).latency.ttftMs);
    assert.equal(run('vllm', 'H100-SXM', 16, { attentionDpBalance: true }).latency.ttftMs, run('vllm', 'H100-SXM', 16).latency.ttftMs);
  });

  it('read from a TensorRT-LLM file with its positions, and the file validates', () => {
    const text = '# trtllm-serve nvidia/DeepSeek-R1-0528-FP4 --extra_llm_api_options t.yaml\n# deploy-advisor: gpu=B200 concurrency=64\nmodel: nvidia/DeepSeek-R1-0528-FP4\ntensor_parallel_size: 8\nmoe_expert_parallel_size: 8\nenable_attention_dp: true\nattention_dp_config:\n  enable_balance: true # prefill the ranks together\n  batching_wait_iters: 0\n  timeout_iters: 60\n';
    const a = analyze('file:///x/t.yaml', text);
    const k = a.workloads[0].plan.knobs;
    assert.equal(k.attentionDpBalance?.value, true);
    assert.equal(k.attentionDpTimeoutIters?.value, 60);
    assert.equal(k.attentionDpBatchingWaitIters?.value, 0);
    const src = k.attentionDpBalance?.source;
    assert.ok(src && src.kind === 'file' && src.range.start.line === 7, JSON.stringify(src));
    assert.ok(!a.findings.some((f) => /attention_dp_config|enable_balance|timeout_iters/.test(f.message)), JSON.stringify(a.findings.map((f) => f.message)));
    assert.ok(a.workloads[0].estimate?.assumptions.some((x) => /enable_balance over 8 attention-DP ranks/.test(x)));
  });
});

describe('SGLang prompt batches run the eager forward (engines/sglang.ts eagerPromptHostSecPerMoeLayer)', () => {
  const id = 'deepseek-ai/DeepSeek-R1-0528';
  const m = modelFromConfig(id, catalogConfig(id)!);
  const B200 = gpus.find('B200')!;
  const stepOf = (engine: EngineModel) => buildStepModel({ model: m, params: countParams(m), format: m.weightFormat, kvElementBytes: 1, gpu: B200, par: { tp: 8, pp: 1, ep: 1 }, engine: { ...engine, stepOverheadSec: 0 }, knobs: { ...engine.defaults(B200, [0, 5, 9], 8, 1, m.maxPositions), cudaGraphs: true }, nodes: 1 });
  const sglang = stepOf(engines.sglang);
  const graphed = stepOf({ ...engines.sglang, eagerPromptHostSecPerMoeLayer: undefined });
  const floor = 58 * engines.sglang.eagerPromptHostSecPerMoeLayer!;

  it('a short prompt step takes the host launch time of its 58 MoE layers; a long one its GPU time', () => {
    assert.ok(graphed.step(0, 0, 1024, 512, 1) < floor / 2, `GPU ${graphed.step(0, 0, 1024, 512, 1)} s`);
    assert.equal(sglang.step(0, 0, 1024, 512, 1), floor);
    assert.ok(graphed.step(0, 0, 16384, 8192, 1) > floor);
    assert.equal(sglang.step(0, 0, 16384, 8192, 1), graphed.step(0, 0, 16384, 8192, 1));
  });

  it('decode and draft-verify steps stay in the CUDA graphs; other engines and dense models keep their GPU time', () => {
    assert.equal(sglang.step(32, 2048, 0, 0, 32), graphed.step(32, 2048, 0, 0, 32));
    // 32 sequences verifying 2 drafts each: 64 query tokens, none of them a prompt.
    assert.equal(sglang.step(32, 2048, 64, 2048, 96, 64), graphed.step(32, 2048, 64, 2048, 96, 64));
    assert.ok(sglang.step(32, 2048, 64 + 1, 2048, 97, 64) >= floor);
    const vllm = stepOf(engines.vllm);
    assert.ok(vllm.step(0, 0, 1024, 512, 1) < floor / 2);
    const dense = run('sglang', 'H100-SXM', 4);
    assert.ok(!dense.assumptions.some((a) => /run eagerly/.test(a)), dense.assumptions.join('\n'));
  });

  it('the estimate states it, and a single-prompt TTFT carries it', () => {
    const e = run('sglang', 'B200', 1, { tensorParallel: 8, kvCacheDtype: 'fp8' }, id, '0.5.9');
    assert.ok(e.assumptions.some((a) => /prompt tokens run eagerly .* 116 ms .*58 MoE layers × 2\.0 ms/.test(a)), e.assumptions.join('\n'));
    assert.ok(e.latency.ttftMs >= floor * 1e3, `${e.latency.ttftMs} ms`);
  });
});

describe('SGLang automatic mem_fraction_static (server_args._handle_gpu_memory_settings, 0.5 line)', () => {
  const H100 = 81_559 * 2 ** 20; // get_device_memory_capacity of an H100 80GB, MiB
  it('reserves chunk, graph and TP terms, floored at 10 GiB above 60 GB (the config-formats worked example: ≈ 0.835 at TP 1)', () => {
    // 512 + 1.5 × 8192 + 2 × 256 + 1/8 × 1024 = 13 440 MiB
    assert.equal(sglangAutoFraction(H100, 1, 1, 8192, 256), Math.round(((81_559 - 13_440) / 81_559) * 1000) / 1000);
    assert.equal(sglangAutoFraction(40e9, 1, 1, 4096, 32), Math.round((1 - (512 + 6144 + 64 + 128) / (40e9 / 2 ** 20)) * 1000) / 1000, 'no floor at or below 60 GB');
  });
  it('drafters add 2 GiB (EAGLE, MTP) or 6 GiB (a draft model), n-grams nothing; DP attention 3 (+1.5 past 300) MiB per graph batch per rank', () => {
    const base = sglangAutoFraction(H100, 1, 1, 8192, 256);
    const at = (mb: number) => Math.round(((81_559 - 13_440 - mb) / 81_559) * 1000) / 1000;
    assert.equal(sglangAutoFraction(H100, 1, 1, 8192, 256, { speculativeMethod: 'eagle' }), at(2048));
    assert.equal(sglangAutoFraction(H100, 1, 1, 8192, 256, { speculativeMethod: 'draft_model' }), at(6144));
    assert.equal(sglangAutoFraction(H100, 1, 1, 8192, 256, { speculativeMethod: 'ngram' }), base);
    // TP 8, graph batch 512, 8 attention ranks: 512 + 12 288 + 1024 + 1024 + 512·8·3 + 512·8·1.5 MiB
    const reserved = 512 + 1.5 * 8192 + 1024 + 1024 + 512 * 8 * 4.5;
    assert.equal(sglangAutoFraction(H100, 8, 1, 8192, 512, { attentionDpRanks: 8 }), Math.round(((81_559 - reserved) / 81_559) * 1000) / 1000);
  });
  it('scales a VLM by 0.95 × clamp(1 − 0.1 × (ratio − 1), 0.8, 1.05) of its vision_config against ViT-L/14', () => {
    const base = sglangAutoFraction(H100, 1, 1, 8192, 256);
    assert.equal(sglangAutoFraction(H100, 1, 1, 8192, 256, { vision: { layers: 24, hidden: 1024 } }), base * 0.95);
    assert.equal(sglangAutoFraction(H100, 1, 1, 8192, 256, { vision: { layers: 27, hidden: 1152 } }), base * 0.95 * (1 - 0.1 * ((27 * 1152 ** 2) / (24 * 1024 ** 2) - 1)));
    assert.equal(sglangAutoFraction(H100, 1, 1, 8192, 256, { vision: { layers: 24, hidden: 3584 } }), base * 0.95 * 0.8, 'clamped at 0.8');
  });
  it('an SGLang plan of a VLM and of a speculative config states the fraction it got', () => {
    const vlm = run('sglang', 'H100-SXM', 8, {}, 'Qwen/Qwen2.5-VL-7B-Instruct');
    assert.ok(vlm.assumptions.some((a) => /mem-fraction-static 0\.\d+: SGLang's automatic fraction, scaled down for the vision tower/.test(a)), vlm.assumptions.join('\n'));
    const eagle = run('sglang', 'H100-SXM', 8, { speculative: { method: 'eagle', numTokens: 3 } }, 'meta-llama/Llama-3.1-8B-Instruct');
    assert.ok(eagle.assumptions.some((a) => /less its 2 GiB drafter reserve/.test(a)), eagle.assumptions.join('\n'));
  });
});

describe('TGI defaults for vision-language models (launcher/src/main.rs)', () => {
  it('a vision_config turns prefix caching off, and Qwen2.5-VL gets a 10 000-token prefill budget, Gemma 3 8000', () => {
    const vl = run('tgi', 'H100-SXM', 8, {}, 'Qwen/Qwen2.5-VL-7B-Instruct');
    assert.equal(vl.serving.prefixCaching, false);
    assert.equal(vl.serving.maxNumBatchedTokens, 10_000);
    const text = run('tgi', 'H100-SXM', 8, {}, 'Qwen/Qwen2.5-7B');
    assert.equal(text.serving.prefixCaching, true);
    assert.equal(text.serving.maxNumBatchedTokens, 4096);
    assert.equal(run('tgi', 'H100-SXM', 8, { enablePrefixCaching: true }, 'Qwen/Qwen2.5-VL-7B-Instruct').serving.prefixCaching, true, 'PREFIX_CACHING=1 wins');
  });
});

describe('vLLM async scheduling (on by default from v0.14.0; --no-async-scheduling)', () => {
  it('from 0.14 the scheduler\'s CPU time hides behind the GPU step, so a decode step costs 1 ms less than on 0.12', () => {
    const old = run('vllm', 'H100-SXM', 1, {}, 'Qwen/Qwen2.5-7B', '0.12.0');
    const now = run('vllm', 'H100-SXM', 1, {}, 'Qwen/Qwen2.5-7B', '0.15.1');
    assert.ok(Math.abs(old.latency.tpotMs - now.latency.tpotMs - 1) < 1e-6, `${old.latency.tpotMs} vs ${now.latency.tpotMs}`);
    assert.ok(now.assumptions.some((a) => /overlap scheduler on/.test(a)) && !old.assumptions.some((a) => /overlap scheduler on/.test(a)));
    // The flag decides either way.
    const optIn = run('vllm', 'H100-SXM', 1, { asyncScheduling: true }, 'Qwen/Qwen2.5-7B', '0.12.0');
    const optOut = run('vllm', 'H100-SXM', 1, { asyncScheduling: false }, 'Qwen/Qwen2.5-7B', '0.15.1');
    assert.ok(Math.abs(optIn.latency.tpotMs - now.latency.tpotMs) < 1e-6 && Math.abs(optOut.latency.tpotMs - old.latency.tpotMs) < 1e-6);
  });

  it('TensorRT-LLM and SGLang keep their step overhead (fitted with their overlap schedulers on)', () => {
    for (const engine of ['trtllm', 'sglang'] as const) {
      const on = run(engine, 'H100-SXM', 1);
      const off = run(engine, 'H100-SXM', 1, { disableOverlap: true });
      assert.ok(Math.abs(on.latency.tpotMs - off.latency.tpotMs) < 1e-6, engine);
    }
  });

  it('read from a vLLM config and from a command line\'s --no-async-scheduling, with positions', () => {
    const yaml = analyze('file:///x/vllm.yaml', '# vllm serve --config vllm.yaml\n# deploy-advisor: gpu=H100-SXM concurrency=4\nmodel: Qwen/Qwen2.5-7B\ntensor-parallel-size: 1\nasync-scheduling: false # measured without it\n');
    const k = yaml.workloads[0].plan.knobs.asyncScheduling;
    assert.equal(k?.value, false);
    assert.ok(k?.source.kind === 'file' && k.source.range.start.line === 4, JSON.stringify(k?.source));
    assert.ok(!yaml.findings.some((f) => f.severity === 'error'), JSON.stringify(yaml.findings));
    const compose = analyze('file:///x/docker-compose.yaml', 'services:\n  vllm:\n    image: vllm/vllm-openai:v0.15.1\n    command: ["--model", "Qwen/Qwen2.5-7B", "--no-async-scheduling"]\n');
    assert.equal(compose.workloads[0]?.plan.knobs.asyncScheduling?.value, false, JSON.stringify(compose.findings));
  });
});

describe('KV admission through the estimate (engine.kvAdmission)', () => {
  // Llama-3.1-8B on one L4: ~30k tokens of KV. 16 clients of 512 + 2048 tokens hold ~25k at their mean length but
  // would need ~41k at full length: vLLM runs them all (preempting a few near the end of the first wave), TensorRT-LLM
  // reserves prompt + output and queues the rest a whole request lifetime.
  const plan = (engine: EngineName): DeploymentPlan => ({
    name: 'kv', model: { ref: sourced('meta-llama/Llama-3.1-8B-Instruct', cli('model')) },
    hardware: { gpu: sourced('L4', cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')) },
    knobs: { maxModelLen: sourced(4096, cli('max-model-len')) },
    workload: { inputLen: sourced(512, cli('isl')), outputLen: sourced(2048, cli('osl')), concurrency: sourced(16, cli('c')) },
  });
  const est = (engine: EngineName) => {
    const r = estimate(plan(engine));
    assert.ok(r.ok);
    return r.estimate;
  };

  it('a load that fits at its mean length does not queue under vLLM; under TensorRT-LLM it does, and the finding says which', () => {
    const v = est('vllm');
    const t = est('trtllm');
    const finding = (e: Estimate) => e.issues.find((i) => i.code === 'kv-limits-concurrency')?.message ?? '';
    assert.match(finding(v), /admits by what requests hold now/);
    assert.match(finding(t), /reserves prompt \+ output at admission/);
    assert.ok(t.latency.ttftMs > 5 * v.latency.ttftMs, `${t.latency.ttftMs} vs ${v.latency.ttftMs}`);
  });
});
