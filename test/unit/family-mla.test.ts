/**
 * The MLA-based 2026 families (estimator/families/deepseekSparse.ts, deepseekV4.ts, kimiLinear.ts, glm4Moe.ts) against
 * the research note on 2026 architectures (§1.4, §2.3-2.5, §3): parameters, active parameters, MTP, KV bytes per token
 * (bf16 and fp8), fixed state per request, vLLM's hybrid block sizes, weights per GPU, and the estimate's JSON.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { hybridPool } from '../../server/src/estimator/hybridPool';
import { kvBytesForRequestPerGpu, kvBytesPerToken, stateBytesPerRequest, weightBytesPerGpu, windowKvBytesPerToken } from '../../server/src/estimator/memory';
import { countParams, modelFromConfig, ModelSpec } from '../../server/src/estimator/model';
import { parsePythonJson } from '../../server/src/formats/pythonJson';
import { byDefault, DeploymentPlan, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { root } from '../support/paths';

type Json = Record<string, unknown>;
const GiB = 2 ** 30;
const MiB = 2 ** 20;

function config(id: string): Json {
  const c = catalogConfig(id);
  assert.ok(c, `${id} is not in the catalog`);
  return c as Json;
}
const model = (id: string): ModelSpec => modelFromConfig(id, config(id));

const near = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want} (± ${(rel * 100).toFixed(2)} %)`);

const cli = (flag: string) => ({ kind: 'cli' as const, flag });
function plan(id: string, opts: { tp?: number; kv?: string; mml?: number } = {}): DeploymentPlan {
  return {
    name: id,
    model: { ref: sourced(id, cli('model')) },
    hardware: { gpu: sourced('H200', cli('gpu')), count: sourced(opts.tp ?? 8, cli('count')), replicas: byDefault(1, '') },
    engine: { name: sourced('vllm', cli('engine')) },
    knobs: {
      tensorParallel: sourced(opts.tp ?? 8, cli('tp')),
      maxModelLen: sourced(opts.mml ?? 8192, cli('max-model-len')),
      ...(opts.kv ? { kvCacheDtype: sourced(opts.kv, cli('kv-cache-dtype')) } : {}),
    },
    workload: defaultWorkload(),
  };
}
function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, `estimate failed: ${JSON.stringify(!r.ok && r.issues)}`);
  return r.estimate;
}

interface Row {
  ids: string[];
  family: RegExp;
  total: number;
  active: number;
  mtp: number;
  kvBf16: number;
  kvFp8: number;
  stateMiB: number;
  attention: number;
  recurrent: number;
}

/** Research note tables (B parameters, B/token, MiB). */
const ROWS: Row[] = [
  { ids: ['deepseek-ai/DeepSeek-V3.2', 'nvidia/DeepSeek-V3.2-NVFP4'], family: /sparse/, total: 671.88, active: 38.40, mtp: 11.62, kvBf16: 78_324, kvFp8: 48_068, stateMiB: 0, attention: 61, recurrent: 0 },
  { ids: ['zai-org/GLM-5', 'zai-org/GLM-5-FP8', 'nvidia/GLM-5-NVFP4', 'zai-org/GLM-5.1', 'zai-org/GLM-5.1-FP8', 'nvidia/GLM-5.1-NVFP4'], family: /sparse/, total: 743.91, active: 41.78, mtp: 9.95, kvBf16: 100_152, kvFp8: 61_464, stateMiB: 0, attention: 78, recurrent: 0 },
  // GLM-5.3 has GLM-5.2's shapes (same config fields); KV per the vLLM reading (an index cache in every layer).
  { ids: ['zai-org/GLM-5.2', 'zai-org/GLM-5.2-FP8', 'nvidia/GLM-5.2-NVFP4', 'zai-org/GLM-5.3', 'zai-org/GLM-5.3-FP8', 'nvidia/GLM-5.3-NVFP4'], family: /sparse/, total: 743.38, active: 41.25, mtp: 9.95, kvBf16: 100_152, kvFp8: 61_464, stateMiB: 0, attention: 78, recurrent: 0 },
  // V4: fp8 only, so bf16 and fp8 KV read the same; the note's ≈ 3,850 / 5,511 (asymptotic) and 14.7 / 22.2 MiB.
  { ids: ['deepseek-ai/DeepSeek-V4-Flash', 'nvidia/DeepSeek-V4-Flash-NVFP4', 'sgl-project/DeepSeek-V4-Flash-FP8', 'RedHatAI/DeepSeek-V4-Flash-NVFP4-FP8'], family: /V4/, total: 284.33, active: 13.80, mtp: 6.61, kvBf16: 3_850, kvFp8: 3_850, stateMiB: 14.7, attention: 43, recurrent: 0 },
  { ids: ['deepseek-ai/DeepSeek-V4-Pro', 'nvidia/DeepSeek-V4-Pro-NVFP4', 'sgl-project/DeepSeek-V4-Pro-FP8'], family: /V4/, total: 1_573.0, active: 49.78, mtp: 25.84, kvBf16: 5_511, kvFp8: 5_511, stateMiB: 22.2, attention: 61, recurrent: 0 },
  // K3: MLA latent 576 per token (fp8: 576 B), 69 KDA layers of 6,512,640 B.
  { ids: ['moonshotai/Kimi-K3'], family: /Kimi-Linear/, total: 2_779.5, active: 105.4, mtp: 0, kvBf16: 27_648, kvFp8: 13_824, stateMiB: 428.6, attention: 24, recurrent: 69 },
];

describe('MLA families: parameters, KV and state against the research note', () => {
  for (const row of ROWS) {
    for (const id of row.ids) {
      it(id, () => {
        const m = model(id);
        assert.match(m.family ?? '(generic)', row.family);
        const p = countParams(m);
        near(p.total / 1e9, row.total, 0.0005, 'total');
        near(p.active / 1e9, row.active, 0.0005, 'active');
        if (row.mtp) near(p.mtp / 1e9, row.mtp, 0.001, 'MTP');
        else assert.equal(p.mtp, 0);
        near(kvBytesPerToken(m, 2), row.kvBf16, 0.0005, 'bf16 KV B/token');
        near(kvBytesPerToken(m, 1), row.kvFp8, 0.0005, 'fp8 KV B/token');
        if (row.stateMiB) near(stateBytesPerRequest(m) / MiB, row.stateMiB, 0.005, 'state per request');
        else assert.equal(stateBytesPerRequest(m), 0);
        assert.equal(m.layerParams?.length, m.layers);
        assert.equal(m.attention.length, m.layers);
      });
    }
  }

  it('hub-configs files read as the catalog entries do (no field the readers need is dropped by the catalog)', { skip: fs.existsSync(path.resolve(root, '..', 'shared', 'research', 'hub-configs')) ? false : '../shared/research/hub-configs is absent' }, () => {
    const dir = path.resolve(root, '..', 'shared', 'research', 'hub-configs');
    for (const id of ROWS.flatMap((r) => r.ids)) {
      const file = path.join(dir, `${id.replace('/', '--')}.json`);
      if (!fs.existsSync(file)) continue;
      const hub = modelFromConfig(id, parsePythonJson(fs.readFileSync(file, 'utf8')) as Json);
      const cat = model(id);
      assert.equal(countParams(hub).total, countParams(cat).total, id);
      assert.equal(countParams(hub).mtp, countParams(cat).mtp, id);
      assert.equal(kvBytesPerToken(hub, 2), kvBytesPerToken(cat, 2), id);
      assert.equal(stateBytesPerRequest(hub), stateBytesPerRequest(cat), id);
    }
  });
});

describe('MLA families: what each rank holds', () => {
  const replicated = (m: ModelSpec) => countParams(m).perLayer.reduce((s, l) => s + l.replicated, 0) / 1e9;

  it('replicated linears: fused q_a/kv_a + indexers (V3.2, GLM-5), wqa_wkv + compressors + indexers (V4), latent-MoE projections (K3)', () => {
    near(replicated(model('deepseek-ai/DeepSeek-V3.2')), 0.92 + 0.85, 0.01, 'V3.2');
    near(replicated(model('zai-org/GLM-5')), 1.26 + 0.73, 0.01, 'GLM-5');
    near(replicated(model('deepseek-ai/DeepSeek-V4-Flash')), 0.27 + 0.26 + 0.23, 0.02, 'V4-Flash');
    near(replicated(model('deepseek-ai/DeepSeek-V4-Pro')), 0.90 + 0.67 + 0.50, 0.01, 'V4-Pro');
    // K3: the 4.73 B latent projections plus each layer's fused q_a/kv_a (24 MLA) and KDA forget-gate f_a (69).
    const k3 = model('moonshotai/Kimi-K3');
    const latent = countParams(k3).perLayer.slice(1).length * 2 * 7168 * 3584 / 1e9;
    near(latent, 4.73, 0.005, 'K3 latent projections');
    assert.ok(replicated(k3) > latent);
  });

  it('GLM-5.2: the 57 shared-indexer layers carry no indexer weights, the 21 full ones do', () => {
    const layers = countParams(model('zai-org/GLM-5.2')).perLayer;
    const perLayer = new Set(layers.map((l) => l.replicated));
    assert.equal(perLayer.size, 2);
    const small = Math.min(...perLayer);
    assert.equal(layers.filter((l) => l.replicated === small).length, 57);
    // The indexer: wq_b 2048·32·128 + wk 6144·128 + weights_proj 6144·32.
    assert.equal(Math.max(...perLayer) - small, 2048 * 32 * 128 + 6144 * 128 + 6144 * 32);
  });

  it('weights per GPU: TP never raises them, replicated parts stay whole (TP 1, 2, 4, 8, 16)', () => {
    for (const id of ['deepseek-ai/DeepSeek-V3.2', 'zai-org/GLM-5.2-FP8', 'nvidia/GLM-5-NVFP4', 'deepseek-ai/DeepSeek-V4-Flash', 'nvidia/DeepSeek-V4-Pro-NVFP4', 'moonshotai/Kimi-K3', 'zai-org/GLM-4.5']) {
      const m = model(id);
      const p = countParams(m);
      const w = [1, 2, 4, 8, 16].map((tp) => weightBytesPerGpu(m, m.weightFormat, { tp, pp: 1, ep: 1 }, p));
      for (let i = 1; i < w.length; i++) assert.ok(w[i] <= w[i - 1], `${id}: TP ${2 ** i} holds ${w[i]} > ${w[i - 1]}`);
      // Replicated linears sit whole on every rank: TP 8 holds more than an eighth.
      assert.ok(w[3] > w[0] / 8, id);
    }
  });

  it('4-bit experts beside 16-bit / FP8 linears: K3 MXFP4 (its ignore list keeps attention and shared experts 16-bit), V4 FP4 / NVFP4 experts', () => {
    const k3 = model('moonshotai/Kimi-K3').weightFormat;
    assert.deepEqual([k3.name, k3.expertBytes, k3.attentionBytes, k3.linearBytes], ['mxfp4', 0.5 + 1 / 32, 2, 2]);
    assert.equal(model('deepseek-ai/DeepSeek-V4-Pro').weightFormat.expertBytes, 0.5 + 1 / 32);
    const nv = model('nvidia/DeepSeek-V4-Pro-NVFP4').weightFormat;
    assert.deepEqual([nv.expertBytes, nv.attentionBytes], [0.5 + 1 / 16, 2]);
    assert.equal(model('RedHatAI/DeepSeek-V4-Flash-NVFP4-FP8').weightFormat.expertBytes, 0.5 + 1 / 16);
    // sgl-project's FP8 re-quantization has no expert_dtype: experts in FP8 like the rest.
    assert.ok(model('sgl-project/DeepSeek-V4-Pro-FP8').weightFormat.expertBytes >= 1);
  });

  it('DeepSeek-V4: 16-bit weights of V4-Flash at TP 1 ≈ 2 B/param, the original checkpoint with FP4 experts far less', () => {
    const m = model('deepseek-ai/DeepSeek-V4-Flash');
    const p = countParams(m);
    const bf16 = weightBytesPerGpu(m, { ...m.weightFormat, linearBytes: 2, expertBytes: 2, attentionBytes: 2 }, { tp: 1, pp: 1, ep: 1 }, p);
    near(bf16 / p.total, 2, 0.01, 'bf16 bytes/param');
    const own = weightBytesPerGpu(m, m.weightFormat, { tp: 1, pp: 1, ep: 1 }, p);
    assert.ok(own < 0.65 * p.total, `FP4 experts: ${own / p.total} B/param`);
    assert.equal(m.weightFormat.kvCacheDtype, 'fp8');
  });
});

describe('MLA families: KV and state as the engines size them', () => {
  it('DeepSeek-V4: a request holds its growing KV plus every layer\'s fixed windows, replicated on each rank', () => {
    for (const [id, windows] of [['deepseek-ai/DeepSeek-V4-Flash', 14.7], ['deepseek-ai/DeepSeek-V4-Pro', 22.2]] as const) {
      const m = model(id);
      const len = 65_536;
      const grow = kvBytesPerToken(m, 1);
      for (const tp of [1, 8]) {
        const req = kvBytesForRequestPerGpu(m, 1, { tp, pp: 1, ep: 1 }, len, 8192, 256);
        near((req - grow * len) / MiB, windows, 0.005, `${id} TP ${tp} fixed windows`);
      }
      // Sliding-only (C0) layers keep no growing KV and no per-token window bytes of their own; their window is fixed.
      assert.equal(windowKvBytesPerToken(m, 1), 0);
    }
    const flash = model('deepseek-ai/DeepSeek-V4-Flash');
    assert.deepEqual(flash.attention.filter((a) => a.kind === 'sliding').length, 2);
  });

  it('Kimi-K3: KDA state 6,512,640 B per layer at TP 1; vLLM blocks (FlashMLA, align 64) of 5,696 / 768 / 384 tokens at TP 1 / 8 / 16', () => {
    const m = model('moonshotai/Kimi-K3');
    assert.equal(stateBytesPerRequest(m), 69 * 6_512_640);
    const pool = (tp: number, poolBytes = 40 * GiB) => hybridPool({ model: m, engine: 'vllm', kvElem: 2, par: { tp, pp: 1, ep: 1 }, poolBytes, maxModelLen: 262_144, blockSize: 16, prefixCachingSet: undefined, maxNumSeqs: 256 })!;
    assert.deepEqual([1, 8, 16].map((tp) => pool(tp).blockTokens), [5_696, 768, 384]);
    // §1.4: TP 8, 40 GiB, max_model_len 262,144 → "GPU KV cache size: 1,536,391 tokens".
    assert.equal(pool(8).capacityTokens, 1_536_391);
  });

  it('Kimi-K3: 24 MLA layers and 69 KDA layers from the 1-based kda_layers / full_attn_layers; layer 93 is MLA', () => {
    const m = model('moonshotai/Kimi-K3');
    assert.equal(m.attention[92].kind, 'full');
    assert.equal(m.attention[0].kind, 'recurrent');
    assert.equal(m.attention[3].kind, 'full');
    assert.equal(m.recurrent?.kind, 'kda');
    assert.equal(m.moe?.topK, 16);
  });
});

describe('MLA families through the public estimate (vLLM, 8 × H200)', () => {
  const cases: Array<[string, Partial<Row> & { kv?: string; kvBytes: number; wrapperTower?: boolean }]> = [
    ['deepseek-ai/DeepSeek-V3.2', { kvBytes: 78_324, total: 671.88, mtp: 11.62 }],
    ['deepseek-ai/DeepSeek-V3.2', { kv: 'fp8', kvBytes: 48_068, total: 671.88, mtp: 11.62 }],
    ['zai-org/GLM-5.2-FP8', { kvBytes: 100_152, total: 743.38, mtp: 9.95 }],
    ['nvidia/GLM-5.1-NVFP4', { kv: 'fp8', kvBytes: 61_464, total: 743.91, mtp: 9.95 }],
    ['deepseek-ai/DeepSeek-V4-Pro', { kvBytes: 5_511, total: 1_573.0, mtp: 25.84, stateMiB: 22.2 }],
    ['sgl-project/DeepSeek-V4-Flash-FP8', { kvBytes: 3_850, total: 284.33, mtp: 6.61, stateMiB: 14.7 }],
    ['moonshotai/Kimi-K3', { kvBytes: 27_648, total: 2_779.5, stateMiB: 428.6, wrapperTower: true }],
    ['zai-org/GLM-4.5', { kvBytes: 376_832, total: 352.80, mtp: 3.99 }],
  ];
  for (const [id, want] of cases) {
    it(`${id}${want.kv ? ` (--kv-cache-dtype ${want.kv})` : ''}`, () => {
      const e = ok(plan(id, { kv: want.kv }));
      const w = e.issues.find((i) => i.code === 'unmodelled-architecture');
      if (want.wrapperTower) {
        // The vision tower is counted by its encoder reader (encoders/moonVit.ts): no warning, the tower apart from params.
        assert.equal(w, undefined, w?.message);
        assert.equal(e.model.genericRead, false);
        assert.ok(e.model.visionParams > 0.4e9 && e.model.visionParams < 0.5e9, `${e.model.visionParams}`);
      } else {
        assert.equal(w, undefined, w?.message);
      }
      near(e.model.params / 1e9, want.total!, 0.0005, 'params');
      near(e.model.kvBytesPerToken, want.kvBytes, 0.0005, 'kvBytesPerToken');
      // §3's "per GPU at TP 8": MLA latents, index keys and V4's single KV head are replicated; GLM-4.5's 8 KV heads split.
      near(e.memory.kvBytesPerTokenPerGpu, id === 'zai-org/GLM-4.5' ? want.kvBytes / 8 : want.kvBytes, 0.0005, 'KV B/token per GPU at TP 8');
      near(e.model.mtpParams / 1e9, want.mtp ?? 0, 0.001, 'mtpParams');
      near(e.model.stateBytesPerRequest / MiB, want.stateMiB ?? 0, 0.005, 'stateBytesPerRequest');
      if (!want.wrapperTower) assert.equal(e.model.visionParams, 0);
      const m = model(id);
      assert.equal(e.model.attentionLayers + e.model.recurrentLayers, m.layers);
      assert.ok(e.memory.weightsBytesPerGpu > 0 && Number.isFinite(e.memory.maxConcurrency));
    });
  }

  it('DeepSeek-V4 KV is fp8 by default (vLLM forces fp8_ds_mla) and says so', () => {
    const e = ok(plan('deepseek-ai/DeepSeek-V4-Flash'));
    assert.equal(e.serving.kvCacheDtype, 'fp8');
    assert.ok(e.assumptions.some((a) => /fp8 only/.test(a)), e.assumptions.join(' | '));
  });

  it('Kimi-K3 at TP 8: the hybrid pool of §1.4 (768-token blocks), 24 attention + 69 recurrent layers', () => {
    const e = ok(plan('moonshotai/Kimi-K3', { mml: 262_144 }));
    assert.equal(e.memory.kvBlockTokens, 768);
    assert.equal(e.model.attentionLayers, 24);
    assert.equal(e.model.recurrentLayers, 69);
  });
});

describe('GLM-4.5 and the DeepSeek-V3 variants', () => {
  it('GLM-4.5: 355 B total with its MTP layer, 32 B active without embeddings (the card\'s counts)', () => {
    const m = model('zai-org/GLM-4.5');
    const p = countParams(m);
    // The card's "355B-A32B" counts the MTP layer in the total and leaves embedding + LM head out of the active count.
    near((p.total + p.mtp) / 1e9, 355, 0.006, 'total + MTP');
    near((p.active - p.embedding - p.lmHead) / 1e9, 32, 0.005, 'active without embeddings');
    assert.equal(kvBytesPerToken(m, 2), 92 * 2 * 8 * 128 * 2);
    assert.ok(m.qkNorm && m.qkvBias);
  });

  it('Kimi-K2 and DeepSeek-V3 keep the generic DeepSeek-V3 reading (already exact)', () => {
    for (const [id, total] of [['moonshotai/Kimi-K2-Instruct', 1_026.4], ['deepseek-ai/DeepSeek-V3', 671.03]] as const) {
      const m = model(id);
      assert.equal(m.family, undefined, id);
      near(countParams(m).total / 1e9, total, 0.0005, id);
    }
  });
});

describe('DeepSeek-V4 KV dtype', () => {
  it('a 16-bit --kv-cache-dtype is flagged and estimated in fp8, as vLLM runs it', () => {
    const r = estimate(plan('deepseek-ai/DeepSeek-V4-Flash', { tp: 8, kv: 'bfloat16', mml: 32768 }));
    assert.ok(r.ok);
    const w = r.estimate.issues.find((i) => i.code === 'kv-dtype-fixed');
    assert.ok(w && w.severity === 'warning' && /fp8 only/.test(w.message), w?.message);
    assert.equal(r.estimate.serving.kvCacheDtype, 'fp8');
    const auto = estimate(plan('deepseek-ai/DeepSeek-V4-Flash', { tp: 8, mml: 32768 }));
    assert.ok(auto.ok && !auto.estimate.issues.some((i) => i.code === 'kv-dtype-fixed'));
  });
});
