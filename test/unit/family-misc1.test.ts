/**
 * Family readers for Gemma 4, MiniMax-M1 / M2.x / M3 and MiMo / MiMo-V2-Flash against the research note's tables
 * (../shared/research/architectures-2026.md §2.6, §2.7, §2.9, §3) and MiniMax-M1's published count; configs from the
 * built-in catalog, cross-checked against the real hub configs when ../shared is beside the checkout.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { countParams, modelFromConfig, ModelSpec } from '../../server/src/estimator/model';
import { layerKvBytesPerGpu, layerKvOf, recurrentLayerStateBytesPerGpu, stateBytesPerRequest, weightBytesPerGpu } from '../../server/src/estimator/memory';
import { bf16Format } from '../../server/src/estimator/quantization';
import { byDefault, DeploymentPlan, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { root } from '../support/paths';

type Json = Record<string, unknown>;

interface Case {
  id: string;
  family: string;
  /** Checkpoint parameters (B), active (B), as the note gives them. */
  total: number;
  active: number;
  /** Growing-KV bytes/token TP 1 and per GPU at TP 8; windowed-layer bytes/token TP 1 and TP 8. */
  kv: [number, number];
  window?: [number, number];
  /** Whole-model recurrent state per request (bytes), recurrent and attention layers. */
  state?: number;
  layers: { attention: number; recurrent: number };
  /** MTP parameters (B) when the checkpoint has MTP layers vLLM can load. */
  mtp?: number;
  /** Parameters on the GPU beyond the checkpoint (Gemma 4's V copy of k=v layers). */
  gpuExtra?: number;
  wrapper?: boolean;
}

const GEMMA_26 = { family: 'Gemma 4', total: 25.23, active: 3.82, kv: [20_480, 10_240] as [number, number], window: [204_800, 25_600] as [number, number], layers: { attention: 30, recurrent: 0 }, gpuExtra: 5 * 2816 * 2 * 512, wrapper: true };
const M2 = { family: 'MiniMax-M2', total: 228.69, active: 11.03, kv: [253_952, 31_744] as [number, number], layers: { attention: 62, recurrent: 0 } };
const M3 = { family: 'MiniMax-M3', total: 426.17, active: 25.96, kv: [137_472, 45_312] as [number, number], layers: { attention: 60, recurrent: 0 } };

const CASES: Case[] = [
  { id: 'google/gemma-4-26B-A4B', ...GEMMA_26 },
  { id: 'nvidia/Gemma-4-26B-A4B-NVFP4', ...GEMMA_26 },
  { id: 'nvidia/Gemma-4-31B-IT-NVFP4', family: 'Gemma 4', total: 30.70, active: 30.70, kv: [81_920, 20_480], window: [819_200, 102_400], layers: { attention: 60, recurrent: 0 }, gpuExtra: 10 * 5376 * 4 * 512, wrapper: true },
  { id: 'MiniMaxAI/MiniMax-M2.5', ...M2 },
  { id: 'MiniMaxAI/MiniMax-M2.7', ...M2 },
  { id: 'nvidia/MiniMax-M2.5-NVFP4', ...M2 },
  { id: 'nvidia/MiniMax-M2.7-NVFP4', ...M2 },
  { id: 'MiniMaxAI/MiniMax-M3', ...M3 },
  { id: 'nvidia/MiniMax-M3-NVFP4', ...M3, wrapper: true },
  // Published 456 B total / 45.9 B active; the card's active count leaves out the two vocab matrices (checked below).
  // 70 lightning layers × 64 heads × 128 × 128 state, 16-bit (vLLM V1); 10 softmax layers × 2 × 8 × 128 × 2 B.
  { id: 'MiniMaxAI/MiniMax-M1-80k', family: 'MiniMax-M1', total: 456.09, active: 48.40, kv: [40_960, 10 * 512], state: 70 * 64 * 128 * 128 * 2, layers: { attention: 10, recurrent: 70 } },
  { id: 'XiaomiMiMo/MiMo-7B-Base', family: 'MiMo', total: 7.62, active: 7.62, kv: [147_456, 18_432], layers: { attention: 36, recurrent: 0 }, mtp: 0.21 },
  { id: 'XiaomiMiMo/MiMo-V2-Flash', family: 'MiMo-V2', total: 308.78, active: 15.45, kv: [23_040, 5_760], window: [199_680, 24_960], layers: { attention: 48, recurrent: 0 } },
];

const near = (actual: number, expectedB: number, what: string, tol = 0.005) =>
  assert.ok(Math.abs(actual / 1e9 - expectedB) <= expectedB * tol, `${what}: ${(actual / 1e9).toFixed(4)} B, note says ${expectedB} B`);

function read(id: string): ModelSpec {
  const config = catalogConfig(id);
  assert.ok(config, `${id} is in the catalog`);
  return modelFromConfig(id, config as Json);
}

/** Bytes/token of the layers of one kind on one GPU at TP `tp` (bf16 KV). */
function kvOfKind(m: ModelSpec, kinds: string[], tp: number): number {
  let sum = 0;
  m.attention.forEach((a, i) => { if (kinds.includes(a.kind)) sum += layerKvBytesPerGpu(layerKvOf(m, i), 2, tp); });
  return sum;
}

const cli = (flag: string) => ({ kind: 'cli' as const, flag });
function plan(id: string, tp: number): DeploymentPlan {
  return {
    name: id,
    model: { ref: sourced(id, cli('model')) },
    hardware: { gpu: sourced('H200', cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced('vllm', cli('engine')) },
    knobs: { tensorParallel: sourced(tp, cli('tp')), kvCacheDtype: sourced('bf16', cli('kv')), maxModelLen: sourced(8192, cli('mml')) },
    workload: defaultWorkload(),
  };
}
function est(id: string, tp: number): Estimate {
  const r = estimate(plan(id, tp));
  assert.ok(r.ok, `estimate failed: ${JSON.stringify(!r.ok && r.issues)}`);
  return r.estimate;
}

describe('Gemma 4 / MiniMax / MiMo family readers (research note §2.6, §2.7, §2.9)', () => {
  for (const c of CASES) {
    describe(c.id, () => {
      const m = read(c.id);
      const p = countParams(m);
      it(`is read exactly by the ${c.family} reader`, () => {
        assert.ok(m.family?.startsWith(c.family), String(m.family));
        // Only a wrapper's vision tower may be left (counted by the encoder readers, not by these families).
        const towersOnly = m.unmodelled?.textModelExact && m.unmodelled.items.every((i) => /encoder and projector/.test(i));
        assert.ok(!m.unmodelled || (c.wrapper && towersOnly), JSON.stringify(m.unmodelled));
      });
      it(`has ${c.total} B total and ${c.active} B active parameters`, () => {
        // The note counts checkpoint tensors; the reader counts what vLLM holds (plus Gemma 4's V copy), so both hold.
        near(p.total - (c.gpuExtra ?? 0), c.total, 'total');
        near(p.active - (c.gpuExtra ?? 0), c.active, 'active');
        near(p.total, c.total, 'total on the GPU');
      });
      it(`keeps ${c.kv[0]} B/token of growing KV (${c.kv[1]} per GPU at TP 8)`, () => {
        assert.equal(kvOfKind(m, ['full'], 1), c.kv[0]);
        assert.equal(kvOfKind(m, ['full'], 8), c.kv[1]);
      });
      it(`keeps ${c.window?.[0] ?? 0} B/token in its sliding-window layers`, () => {
        assert.equal(kvOfKind(m, ['sliding'], 1), c.window?.[0] ?? 0);
        assert.equal(kvOfKind(m, ['sliding'], 8), c.window?.[1] ?? 0);
      });
      it(`keeps ${c.state ?? 0} B of recurrent state per request`, () => {
        assert.equal(stateBytesPerRequest(m), c.state ?? 0);
        if (c.state) assert.equal(recurrentLayerStateBytesPerGpu(m, 8) * c.layers.recurrent, c.state / 8);
      });
      it(`counts MTP layers apart (${c.mtp ?? 0} B)`, () => {
        if (c.mtp) {
          near(p.mtp, c.mtp, 'MTP', 0.02);
          assert.equal(m.mtp?.kvLayers, 1);
        } else assert.equal(p.mtp, 0);
      });
      it('weights per GPU: TP 8 below TP 1, never below an eighth of it', () => {
        // The language model alone (the vision tower, counted apart, is replicated on every rank).
        const w1 = weightBytesPerGpu(m, bf16Format, { tp: 1, pp: 1, ep: 1 }, p, { encoders: false });
        const w8 = weightBytesPerGpu(m, bf16Format, { tp: 8, pp: 1, ep: 1 }, p, { encoders: false });
        // TP 1 in bf16: two bytes a parameter, plus vocab padding and the rotary cache (< 0.5 %).
        assert.ok(w1 >= 2 * p.total && w1 < 2 * p.total * 1.005, `${w1} vs ${2 * p.total}`);
        assert.ok(w8 < w1 && w8 >= w1 / 8, `${w8} vs ${w1}`);
        let prev = w1;
        for (const tp of [2, 4, 8]) {
          const w = weightBytesPerGpu(m, bf16Format, { tp, pp: 1, ep: 1 }, p, { encoders: false });
          assert.ok(w <= prev, `TP ${tp}: ${w} > ${prev}`);
          prev = w;
        }
      });
      it('the estimate reports the exact reading (no generic-decoder warning for the text model)', () => {
        for (const tp of [1, 8]) {
          const e = est(c.id, tp);
          const w = e.issues.find((i) => i.code === 'unmodelled-architecture');
          // Wrappers may still say their vision tower is not counted (that reader is not part of this family).
          if (!c.wrapper) assert.equal(w, undefined, w?.message);
          else if (w) assert.doesNotMatch(w.message, /generic decoder/, w.message);
          assert.equal(e.model.genericRead, false);
          assert.equal(e.model.params, p.total);
          assert.equal(e.model.activeParams, p.active);
          assert.equal(e.model.kvBytesPerToken, c.kv[0]);
          assert.equal(e.model.windowKvBytes, c.window?.[0] ?? 0);
          assert.equal(e.model.stateBytesPerRequest, c.state ?? 0);
          assert.equal(e.model.attentionLayers, c.layers.attention);
          assert.equal(e.model.recurrentLayers, c.layers.recurrent);
          assert.equal(e.model.mtpParams, p.mtp);
        }
      });
    });
  }

  it("MiniMax-M1's active count without the vocab matrices is the published 45.9 B", () => {
    const p = countParams(read('MiniMaxAI/MiniMax-M1-80k'));
    near(p.active - p.embedding - p.lmHead, 45.9, 'active without embeddings');
  });

  it("MiniMax-M2.x's active count without the vocab matrices is the note's 9.80 B", () => {
    const p = countParams(read('MiniMaxAI/MiniMax-M2.7'));
    near(p.active - p.embedding - p.lmHead, 9.80, 'active without embeddings');
  });

  it('Gemma 4 k=v global layers: one V copy of K on the GPU, KV heads replicated past TP', () => {
    const m = read('google/gemma-4-26B-A4B');
    const full = m.layerParams!.filter((_, i) => m.attention[i].kind === 'full');
    assert.equal(full.length, 5);
    for (const l of full) assert.deepEqual([l.kvProj, l.kvHeads], [2 * 2816 * 2 * 512, 2]);
    assert.ok(m.assumptions.some((a) => /k_eq_v/.test(a) && /V copy|copy/.test(a)));
    // The 26B-A4B MoE runs beside the dense MLP on every layer: both counted.
    assert.ok(m.layerParams!.every((l) => l.mlp === 3 * 2816 * 2112 && l.experts === 128 * 3 * 2816 * 704));
    assert.equal(m.tiedEmbeddings, true);
  });

  it('MiniMax-M3: the first 3 layers are dense and carry no index-key cache', () => {
    const m = read('MiniMaxAI/MiniMax-M3');
    assert.deepEqual(m.layerParams!.slice(0, 4).map((l) => l.experts > 0), [false, false, false, true]);
    assert.deepEqual(m.layerKv!.slice(0, 4).map((k) => k.fixedBytes ?? 0), [0, 0, 0, 256]);
    assert.deepEqual(m.moe!.moeLayers, read('nvidia/MiniMax-M3-NVFP4').moe!.moeLayers);
  });

  it('Step-3.7-Flash is its own family (families/step3p7.ts, tested in family-step.test.ts), not one of these', () => {
    const m = read('stepfun-ai/Step-3.7-Flash');
    assert.match(m.family ?? '', /^Step-3\.7-Flash/);
    assert.equal(m.unmodelled, undefined);
  });

  const hub = path.resolve(root, '..', 'shared', 'research', 'hub-configs');
  const skip = fs.existsSync(hub) ? false : `hub configs not found at ${hub} (../shared is not beside this checkout)`;
  it('the catalog keeps every field these readers use (same counts and KV as the real configs)', { skip }, () => {
    for (const c of CASES) {
      const file = path.join(hub, `${c.id.replace('/', '--')}.json`);
      const real = modelFromConfig(c.id, JSON.parse(fs.readFileSync(file, 'utf8')) as Json);
      const cat = read(c.id);
      const [a, b] = [countParams(real), countParams(cat)];
      assert.deepEqual([a.total, a.active, a.mtp], [b.total, b.active, b.mtp], c.id);
      assert.deepEqual(real.layerKv ?? null, cat.layerKv ?? null, c.id);
      assert.deepEqual(real.attention, cat.attention, c.id);
    }
  });
});
