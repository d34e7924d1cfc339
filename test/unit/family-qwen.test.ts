/**
 * The Qwen family readers (estimator/families/qwenGatedDeltaNet.ts, qwenTextWrappers.ts, qwenV1.ts) against the
 * research note on 2026 architectures (§2.1 tables, §1.4 worked examples) and published parameter counts. Configs come
 * from the built-in catalog; the hub-configs cross-check skips when ../shared is not beside the checkout.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { hybridPool } from '../../server/src/estimator/hybridPool';
import { kvBytesPerToken, kvBytesPerTokenPerGpu, layerCounts, Parallelism, recurrentLayerStateBytesPerGpu, stateBytesPerRequest, weightBytesPerGpu } from '../../server/src/estimator/memory';
import { countParams, modelFromConfig, ModelSpec } from '../../server/src/estimator/model';
import { byDefault, DeploymentPlan, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { root } from '../support/paths';

type Json = Record<string, unknown>;
const GiB = 2 ** 30;
const MiB = 2 ** 20;
const par = (tp: number): Parallelism => ({ tp, pp: 1, ep: 1 });
const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function config(id: string): Json {
  const c = catalogConfig(id);
  assert.ok(c, `${id} is not in the catalog`);
  return c;
}
const model = (id: string, c: Json = config(id)): ModelSpec => modelFromConfig(id, c);

/** The note's figures are rounded to 0.01 B: `actual` (parameters) rounds to within that unit of them. */
function rounded(actual: number, note: number, what: string): void {
  assert.ok(Math.abs(actual / 1e9 - note) <= 0.005 + 1e-9, `${what}: ${actual / 1e9} B vs the note's ${note} B`);
}

/** `actual` within `tol` (a fraction) of `expected`. */
function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.abs(expected), `${what}: ${actual} vs ${expected} (±${tol * 100} %)`);
}

function plan(id: string, tp: number, opts: { mml?: number; engine?: 'vllm' | 'sglang'; gpu?: string } = {}): DeploymentPlan {
  return {
    name: id,
    model: { ref: sourced(id, cli('model')) },
    hardware: { gpu: sourced(opts.gpu ?? 'H200', cli('gpu')), count: sourced(tp, cli('count')), replicas: byDefault(1, '') },
    engine: { name: sourced(opts.engine ?? 'vllm', cli('engine')) },
    knobs: { tensorParallel: sourced(tp, cli('tp')), maxModelLen: sourced(opts.mml ?? 32768, cli('max-model-len')) },
    workload: defaultWorkload(),
  };
}

function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, `estimate failed: ${JSON.stringify(!r.ok && r.issues)}`);
  return r.estimate;
}

/** The language model is read exactly: at most the towers-only warning (a vision tower not counted yet) remains. */
function assertExact(e: Estimate, hasTower: boolean): void {
  assert.equal(e.model.genericRead, false, `${e.model.id} read as a generic decoder`);
  const w = e.issues.filter((i) => i.code === 'unmodelled-architecture');
  if (!hasTower) { assert.deepEqual(w.map((i) => i.message), []); return; }
  for (const i of w) {
    assert.match(i.message, /not counted in the weights/);
    assert.doesNotMatch(i.message, /Architecture not modelled/);
  }
}

/** Research note §2.1 tables (B = 10⁹ params, TP 1 unless said; vision = tower + projector, §2.10). */
interface Row {
  ids: string[]; total: number; active: number; mtp: number; vision: number; full: number; gdn: number;
  kvTp1: number; kvTp8: number; statePerLayer: number; stateMiB: number; blocks: [number, number, number, number];
  /** vLLM's page padding over TP 1–8, in % to one decimal (the state page raised to a whole attention block). */
  padding: [number, number];
}
const QWEN35: Row[] = [
  { ids: ['Qwen/Qwen3.5-27B', 'nvidia/Qwen3.6-27B-NVFP4'], total: 26.90, active: 26.90, mtp: 0.42, vision: 0.46, full: 16, gdn: 48,
    kvTp1: 65_536, kvTp8: 16_384, statePerLayer: 3_207_168, stateMiB: 146.8, blocks: [784, 784, 784, 400], padding: [0.1, 2.2] },
  { ids: ['Qwen/Qwen3.5-35B-A3B', 'Qwen/Qwen3.6-35B-A3B', 'nvidia/Qwen3.6-35B-A3B-NVFP4'], total: 34.66, active: 3.45, mtp: 0.84, vision: 0.45, full: 10, gdn: 30,
    kvTp1: 20_480, kvTp8: 10_240, statePerLayer: 2_146_304, stateMiB: 61.4, blocks: [1056, 1056, 528, 272], padding: [0.8, 3.8] },
  { ids: ['Qwen/Qwen3.5-122B-A10B', 'nvidia/Qwen3.5-122B-A10B-NVFP4'], total: 122.11, active: 9.77, mtp: 2.52, vision: 0.45, full: 12, gdn: 36,
    kvTp1: 24_576, kvTp8: 12_288, statePerLayer: 4_268_032, stateMiB: 146.5, blocks: [2096, 2096, 1056, 528], padding: [0.6, 1.3] },
  { ids: ['Qwen/Qwen3.5-397B-A17B', 'nvidia/Qwen3.5-397B-A17B-NVFP4'], total: 396.35, active: 17.35, mtp: 6.60, vision: 0.46, full: 15, gdn: 45,
    kvTp1: 30_720, kvTp8: 15_360, statePerLayer: 4_268_032, stateMiB: 183.2, blocks: [2096, 2096, 1056, 528], padding: [0.6, 1.3] },
];

const vllmPool = (m: ModelSpec, tp: number, poolBytes: number, maxModelLen: number, prefixCaching?: boolean) =>
  hybridPool({ model: m, engine: 'vllm', kvElem: 2, par: par(tp), poolBytes, maxModelLen, blockSize: 16, prefixCachingSet: prefixCaching, maxNumSeqs: 256 })!;

describe('Qwen3.5 / Qwen3.6: gated DeltaNet + attention (research note §2.1)', () => {
  for (const row of QWEN35) {
    for (const id of row.ids) {
      describe(id, () => {
        const m = model(id);
        const p = countParams(m);
        it(`total ${row.total} B, active ${row.active} B, MTP ${row.mtp} B (not in params)`, () => {
          assert.equal(m.family, 'Qwen3-Next / Qwen3.5 (gated DeltaNet + attention)');
          rounded(p.total, row.total, 'total');
          rounded(p.active, row.active, 'active');
          rounded(p.mtp, row.mtp, 'MTP');
          assert.equal(m.mtp?.kvLayers, 1);
        });
        it(`${row.full} full-attention + ${row.gdn} gated-DeltaNet layers; KV ${row.kvTp1} B/token, ${row.kvTp8} per GPU at TP 8`, () => {
          assert.deepEqual(layerCounts(m), { attention: row.full, recurrent: row.gdn });
          assert.equal(kvBytesPerToken(m, 2), row.kvTp1);
          assert.equal(kvBytesPerTokenPerGpu(m, 2, par(8)), row.kvTp8);
          // KV heads are replicated past TP = KV heads: per GPU stops shrinking there.
          assert.ok(kvBytesPerTokenPerGpu(m, 2, par(16)) === row.kvTp8 || m.kvHeads > 8);
        });
        it(`GDN state ${row.statePerLayer} B per layer, ${row.stateMiB} MiB per request (conv bf16 + delta fp32)`, () => {
          assert.equal(m.recurrent?.kind, 'gated-deltanet');
          assert.equal(m.recurrent?.stateDtypeBytes, 4);
          assert.equal(recurrentLayerStateBytesPerGpu(m, 1), row.statePerLayer);
          assert.equal(Math.round((stateBytesPerRequest(m) / MiB) * 10) / 10, row.stateMiB);
        });
        it(`vLLM block size ${row.blocks.join(' / ')} at TP 1 / 2 / 4 / 8`, () => {
          assert.deepEqual([1, 2, 4, 8].map((tp) => vllmPool(m, tp, 40 * GiB, 262_144).blockTokens), row.blocks);
        });
        it(`page padding ${row.padding[0]}–${row.padding[1]} %`, () => {
          const pad = [1, 2, 4, 8].map((tp) => {
            const page = vllmPool(m, tp, 40 * GiB, 262_144).blockTokens * 2 * Math.max(1, m.kvHeads / tp) * 256 * 2;
            const state = recurrentLayerStateBytesPerGpu(m, tp);
            return Math.round((1000 * (page - state)) / state) / 10;
          });
          assert.deepEqual([Math.min(...pad), Math.max(...pad)], row.padding);
        });
        it('weights per GPU never rise with TP; bf16 TP 1 is the parameters × 2 B (+ the rotary cache)', () => {
          const w = [1, 2, 4, 8].map((tp) => weightBytesPerGpu(m, m.weightFormat, par(tp), p));
          for (let i = 1; i < w.length; i++) assert.ok(w[i] <= w[i - 1], `TP ${2 ** i}: ${w[i]} > ${w[i - 1]}`);
          if (m.weightFormat.name === 'bf16') assert.equal(w[0], p.total * 2 + 262_144 * 256 * 2);
        });
      });
    }
  }

  it('Qwen3.5-397B at TP 8 in bf16: weights per GPU as vLLM shards them (KV projections replicated past 2 KV heads, routers whole)', () => {
    const c = config('Qwen/Qwen3.5-397B-A17B');
    const m = model('Qwen/Qwen3.5-397B-A17B', c);
    // Independent of the reader: the note's §2.1 formulas, placed as vLLM places them.
    const d = 4096, V = 248_320, H = 32, KV = 2, hd = 256, nk = 16, nv = 64, dk = 128, dv = 128, K = 4, E = 512, I = 1024, Ish = 1024, tp = 8;
    const full = (d * 2 * H * hd + H * hd * d) / tp + (2 * d * KV * hd) / KV + 2 * hd;
    const gdn = (d * (2 * nk * dk + 2 * nv * dv) + d * 2 * nv + (2 * nk * dk + nv * dv) * K + nv * dv * d) / tp + 2 * nv + dv;
    const mlp = 2 * d + d * E + d + (3 * d * Ish) / tp + (E * 3 * d * I) / tp;
    const elements = (2 * V * d) / tp + d + 15 * full + 45 * gdn + 60 * mlp;
    const rope = 262_144 * hd * 2;
    assert.equal(weightBytesPerGpu(m, m.weightFormat, par(tp)), elements * 2 + rope);
  });
});

describe('vLLM hybrid pool worked examples (research note §1.4)', () => {
  it('Qwen3.5-397B-A17B, TP 8, 60 GiB: 4,164,419 tokens at 262,144 and 3,943,579 at 32,768 (B = 528)', () => {
    const m = model('Qwen/Qwen3.5-397B-A17B');
    const long = vllmPool(m, 8, 60 * GiB, 262_144);
    assert.equal(long.blockTokens, 528);
    assert.equal(long.capacityTokens, 4_164_419);
    assert.equal(vllmPool(m, 8, 60 * GiB, 32_768).capacityTokens, 3_943_579);
    // Below the naive 60 GiB ÷ 15,360 B/token = 4,194,304.
    assert.ok(long.capacityTokens < (60 * GiB) / kvBytesPerTokenPerGpu(m, 2, par(8)));
  });
  it('Qwen3.5-35B-A3B, TP 1, prefix caching on (align mode), 60 GiB, 262,144: 3,061,430 tokens (B = 1,056)', () => {
    const r = vllmPool(model('Qwen/Qwen3.5-35B-A3B'), 1, 60 * GiB, 262_144, true);
    assert.equal(r.mambaCacheMode, 'align');
    assert.equal(r.blockTokens, 1056);
    assert.equal(r.capacityTokens, 3_061_430);
  });
});

describe('Qwen3.5 dense 9B and Qwen3.8 (qwen3_5_moe_text at top level)', () => {
  it('Qwen3.5-9B: 8 of 32 layers keep KV, about 9 B parameters', () => {
    const m = model('Qwen/Qwen3.5-9B');
    assert.deepEqual(layerCounts(m), { attention: 8, recurrent: 24 });
    near(countParams(m).total / 1e9, 9, 0.01, 'Qwen3.5-9B text');
    assert.equal(countParams(m).total, countParams(m).active);
  });
  for (const id of ['Qwen/Qwen3.8-2.4T-A95B', 'Qwen/Qwen3.8-2.4T-A95B-FP8']) {
    it(`${id}: 2.4 T total, 95 B active as the name says; 23 of 92 layers keep KV`, () => {
      const m = model(id);
      const p = countParams(m);
      near(p.total / 1e12, 2.4, 0.01, 'total');
      near(p.active / 1e9, 95, 0.01, 'active');
      assert.deepEqual(layerCounts(m), { attention: 23, recurrent: 69 });
      assert.equal(kvBytesPerToken(m, 2), 23 * 2 * 4 * 256 * 2);
      // 69 × ((3 × (4,096 + 16,384) × 2 B) + 128 × 128 × 128 × 4 B)
      assert.equal(stateBytesPerRequest(m), 69 * (3 * (2 * 16 * 128 + 128 * 128) * 2 + 128 * 128 * 128 * 4));
    });
  }
});

describe('Qwen3-Next layouts the Qwen3.5 configs do not show', () => {
  const c35 = config('Qwen/Qwen3.5-35B-A3B');
  const text = c35.text_config as Json;
  it('full_attention_interval alone gives the same layers as layer_types', () => {
    const { layer_types: _, ...rest } = text;
    const a = model('a', c35);
    const b = model('b', { ...c35, text_config: rest });
    assert.deepEqual(b.attention, a.attention);
    assert.equal(countParams(b).total, countParams(a).total);
  });
  it('qwen3_next at top level with no mamba_ssm_dtype keeps the delta state in the model dtype (vLLM default)', () => {
    const { mamba_ssm_dtype: _, ...rest } = text;
    const m = model('next', { ...rest, model_type: 'qwen3_next', architectures: ['Qwen3NextForCausalLM'], tie_word_embeddings: false });
    assert.equal(m.family, 'Qwen3-Next / Qwen3.5 (gated DeltaNet + attention)');
    assert.equal(m.recurrent?.stateDtypeBytes, 2);
    assert.equal(recurrentLayerStateBytesPerGpu(m, 1), 3 * (2 * 16 * 128 + 32 * 128) * 2 + 32 * 128 * 128 * 2);
    assert.equal(countParams(m).total, countParams(model('Qwen/Qwen3.5-35B-A3B')).total);
    assert.equal(m.unmodelled, undefined);
  });
  it('mlp_only_layers / decoder_sparse_step make dense layers of intermediate_size', () => {
    const dense = model('x', { ...c35, text_config: { ...text, mlp_only_layers: [0], intermediate_size: 4096 } });
    const moe = model('y', c35);
    const p = countParams(dense).perLayer[0];
    assert.equal(p.experts, 0);
    assert.equal(p.mlp, 3 * 2048 * 4096);
    assert.ok(countParams(moe).perLayer[0].experts > 0);
  });
  it('a layer_types entry it does not know is refused, not guessed', () => {
    const bad = [...(text.layer_types as string[])];
    bad[0] = 'sliding_attention';
    assert.throws(() => model('z', { ...c35, text_config: { ...text, layer_types: bad } }), /layer_types entry "sliding_attention"/);
  });
});

describe('Qwen VL wrappers: the language model is Qwen2 / Qwen3 / Qwen3-MoE', () => {
  // The VL language model has the shape of the text model it was built from: same parameters as its catalog entry.
  const sameAs: Array<[string, string]> = [
    ['Qwen/Qwen3-VL-2B-Instruct', 'Qwen/Qwen3-1.7B'],
    ['Qwen/Qwen3-VL-8B-Instruct', 'Qwen/Qwen3-8B'],
    ['Qwen/Qwen3-VL-30B-A3B-Instruct', 'Qwen/Qwen3-30B-A3B'],
    ['Qwen/Qwen3-VL-32B-Instruct', 'Qwen/Qwen3-32B'],
    ['Qwen/Qwen3-VL-32B-Thinking', 'Qwen/Qwen3-32B'],
    ['Qwen/Qwen3-VL-235B-A22B-Instruct', 'Qwen/Qwen3-235B-A22B'],
    ['Qwen/Qwen2.5-VL-7B-Instruct', 'Qwen/Qwen2.5-7B'],
    ['allenai/olmOCR-2-7B-1025', 'Qwen/Qwen2.5-7B'],
  ];
  for (const [vl, text] of sameAs) {
    it(`${vl}: text model = ${text} (params, active, KV per token)`, () => {
      const a = model(vl);
      const b = model(text);
      assert.equal(a.family, 'Qwen2-VL / Qwen2.5-VL / Qwen3-VL language model (Qwen2 / Qwen3 / Qwen3-MoE)');
      assert.equal(countParams(a).total, countParams(b).total);
      assert.equal(countParams(a).active, countParams(b).active);
      assert.equal(kvBytesPerToken(a, 2), kvBytesPerToken(b, 2));
    });
  }
  it('published counts: Qwen2.5-VL-7B text 7,615,616,512 (Qwen2.5-7B), Qwen3-VL-4B text 4,022,468,096 (Qwen3-4B, tied)', () => {
    assert.equal(countParams(model('Qwen/Qwen2.5-VL-7B-Instruct')).total, 7_615_616_512);
    const m4 = model('Qwen/Qwen3-VL-4B-Instruct');
    assert.equal(m4.tiedEmbeddings, true);
    assert.equal(countParams(m4).total, 4_022_468_096);
  });
  it('Qwen2-VL (qwen2_vl) without use_sliding_window keeps full attention, with q/k/v biases', () => {
    const c = { ...config('Qwen/Qwen2.5-VL-7B-Instruct'), model_type: 'qwen2_vl', architectures: ['Qwen2VLForConditionalGeneration'], sliding_window: 32768 };
    delete (c as Json).use_sliding_window;
    const m = model('q2vl', c);
    assert.ok(m.attention.every((a) => a.kind === 'full'));
    assert.equal(m.qkvBias, true);
    assert.equal(countParams(m).total, 7_615_616_512);
  });
  it('mrope rope_scaling does not change the context length (no factor)', () => {
    assert.equal(ok(plan('Qwen/Qwen2.5-VL-7B-Instruct', 1)).model.contextLimit, 128_000);
    assert.equal(ok(plan('allenai/olmOCR-2-7B-1025', 1)).model.contextLimit, 128_000);
    assert.equal(ok(plan('Qwen/Qwen3-VL-32B-Instruct', 2)).model.contextLimit, 262_144);
    assert.equal(ok(plan('Qwen/Qwen3-VL-32B-Instruct', 2, { engine: 'sglang' })).model.contextLimit, 262_144);
  });
});

describe('Qwen v1 (QWenLMHeadModel)', () => {
  it('Qwen-72B: 72.3 B parameters (MLP of intermediate_size / 2, biased c_attn, untied head), 8,192 positions', () => {
    const m = model('Qwen/Qwen-72B');
    assert.equal(m.family, 'Qwen (v1, QWenLMHeadModel)');
    // 80 × (8,192 × 24,576 × 3 + 8,192² × 4 + 3 × 8,192 + 2 × 8,192) + 2 × 152,064 × 8,192 + 8,192
    assert.equal(countParams(m).total, 72_287_920_128);
    near(countParams(m).total / 1e9, 72.3, 0.005, 'Qwen-72B');
    assert.equal(kvBytesPerToken(m, 2), 80 * 2 * 64 * 128 * 2);
    assert.equal(m.maxPositions, 8192);
    assert.equal(m.intermediate, 24_576);
  });
  it('Qwen-VL-Chat-Int4: the language model is Qwen-7B (7.72 B); vLLM derives 2,048 tokens from seq_length', () => {
    const m = model('Qwen/Qwen-VL-Chat-Int4');
    assert.equal(countParams(m).total, 7_721_324_544);
    assert.equal(m.maxPositions, 2048);
    assert.ok(m.unmodelled?.textModelExact, 'only the visual tower is left unmodelled');
  });
  it('weights per GPU never rise with TP', () => {
    const m = model('Qwen/Qwen-72B');
    const w = [1, 2, 4, 8].map((tp) => weightBytesPerGpu(m, m.weightFormat, par(tp)));
    for (let i = 1; i < w.length; i++) assert.ok(w[i] <= w[i - 1]);
    assert.equal(w[0], countParams(m).total * 2 + 8192 * 128 * 2);
  });
});

describe('through the public estimate: exact reads and the JSON fields', () => {
  const VISION: Record<string, number> = {
    'Qwen/Qwen3-VL-8B-Instruct': 0.5764, 'Qwen/Qwen3-VL-30B-A3B-Instruct': 0.5386, 'Qwen/Qwen3-VL-235B-A22B-Instruct': 0.5764,
  };
  for (const row of QWEN35) {
    const id = row.ids[0];
    it(`${id} on H200 × 8, TP 8`, () => {
      const e = ok(plan(id, 8));
      assertExact(e, true);
      rounded(e.model.params, row.total, 'params');
      rounded(e.model.activeParams, row.active, 'activeParams');
      rounded(e.model.mtpParams, row.mtp, 'mtpParams');
      assert.equal(e.model.kvBytesPerToken, row.kvTp1);
      assert.equal(e.memory.kvBytesPerTokenPerGpu, row.kvTp8);
      assert.equal(Math.round((e.model.stateBytesPerRequest / MiB) * 10) / 10, row.stateMiB);
      assert.deepEqual([e.model.attentionLayers, e.model.recurrentLayers, e.model.windowKvBytes], [row.full, row.gdn, 0]);
      assert.equal(e.memory.kvBlockTokens, row.blocks[3]);
      // No encoder reader yet: 0; once one counts the tower it must match the note's.
      assert.ok(e.model.visionParams === 0 || Math.abs(e.model.visionParams / 1e9 - row.vision) < 0.01, String(e.model.visionParams));
      // vLLM's pool holds fewer tokens than pool ÷ bytes per token: each request's state takes blocks too.
      assert.ok(e.memory.kvCapacityTokens < e.memory.kvPoolBytesPerGpu / e.memory.kvBytesPerTokenPerGpu);
    });
  }
  it('Qwen3.5-35B-A3B on SGLang: a separate state pool limits the requests', () => {
    const e = ok(plan('Qwen/Qwen3.5-35B-A3B', 1, { engine: 'sglang' }));
    assertExact(e, true);
    assert.ok(e.memory.components.some((c) => c.name === 'state' && c.bytesPerGpu > 0));
  });
  for (const [id, tp, hasTower] of [['Qwen/Qwen3.8-2.4T-A95B-FP8', 8, false], ['Qwen/Qwen-72B', 4, false], ['Qwen/Qwen-VL-Chat-Int4', 1, true],
    ['Qwen/Qwen3-VL-8B-Instruct', 1, true], ['Qwen/Qwen3-VL-30B-A3B-Instruct', 2, true], ['Qwen/Qwen3-VL-235B-A22B-Instruct', 8, true],
    ['Qwen/Qwen2.5-VL-7B-Instruct', 1, true], ['allenai/olmOCR-2-7B-1025', 1, true]] as Array<[string, number, boolean]>) {
    it(`${id}: read exactly (TP ${tp})`, () => {
      const e = ok(plan(id, tp, { mml: 2048 }));
      assertExact(e, hasTower);
      const m = model(id);
      assert.equal(e.model.params, countParams(m).total);
      assert.equal(e.model.kvBytesPerToken, kvBytesPerToken(m, 2));
      assert.equal(e.model.recurrentLayers, id.includes('3.8') ? 69 : 0);
      if (VISION[id]) assert.ok(e.model.visionParams === 0 || Math.abs(e.model.visionParams / 1e9 - VISION[id]) < 0.005, String(e.model.visionParams));
    });
  }
});

describe('catalog copies read like the hub configs', () => {
  const dir = path.resolve(root, '..', 'shared', 'research', 'hub-configs');
  const skip = fs.existsSync(dir) ? false : `hub configs not found at ${dir} (../shared is not beside this checkout)`;
  const ids = ['Qwen/Qwen3.5-27B', 'Qwen/Qwen3.5-35B-A3B', 'Qwen/Qwen3.5-122B-A10B', 'Qwen/Qwen3.5-397B-A17B', 'Qwen/Qwen3.5-9B', 'Qwen/Qwen3.6-35B-A3B',
    'nvidia/Qwen3.6-27B-NVFP4', 'Qwen/Qwen3.8-2.4T-A95B', 'Qwen/Qwen3-VL-2B-Instruct', 'Qwen/Qwen3-VL-4B-Instruct', 'Qwen/Qwen3-VL-30B-A3B-Instruct',
    'Qwen/Qwen2.5-VL-7B-Instruct', 'allenai/olmOCR-2-7B-1025', 'Qwen/Qwen-72B', 'Qwen/Qwen-VL-Chat-Int4'];
  it('same parameters, MTP, KV, state and context length', { skip }, () => {
    for (const id of ids) {
      const hub = JSON.parse(fs.readFileSync(path.join(dir, `${id.replace('/', '--')}.json`), 'utf8')) as Json;
      const a = model(id, hub);
      const b = model(id);
      const facts = (m: ModelSpec) => [countParams(m).total, countParams(m).active, countParams(m).mtp, kvBytesPerToken(m, 2), stateBytesPerRequest(m), m.maxPositions, m.tiedEmbeddings];
      assert.deepEqual(facts(b), facts(a), id);
      assert.equal(a.family, b.family, id);
    }
  });
});
