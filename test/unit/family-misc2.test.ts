/**
 * Families read exactly beside the big 2026 ones (issue 17): Nemotron-NAS (per-layer block configs, research note
 * §2.8), the near-Llama decoders the engines load with Llama-like code (OLMo 3, EXAONE 4, SmolLM3, Hunyuan-A13B,
 * PhiMoE, Granite MoE, ChatGLM2/3 and ChatGLM-6B v1, Ministral 3) and the encoder-only BERT / XLM-RoBERTa models served
 * for pooling. Parameters are checked two ways: against the tensor shapes written out here by hand (so a reader that
 * drifts from them fails), and against the published count within the precision it is published to. Configs come from
 * the built-in catalog; the hub-configs copies in ../shared are checked to read the same (skipped when absent).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { countParams, modelFromConfig, ModelSpec } from '../../server/src/estimator/model';
import { kvBytesPerToken, weightBytesPerGpu, windowKvBytesPerToken } from '../../server/src/estimator/memory';
import { parsePythonJson } from '../../server/src/formats/pythonJson';
import { byDefault, DeploymentPlan, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { root } from '../support/paths';

const hubDir = path.resolve(root, '..', 'shared', 'research', 'hub-configs');
const noHub = fs.existsSync(hubDir) ? false : `hub configs not found at ${hubDir} (../shared is not beside this checkout)`;

const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function config(id: string): Record<string, unknown> {
  const c = catalogConfig(id);
  assert.ok(c, `${id} is not in the catalog`);
  return c;
}

const spec = (id: string): ModelSpec => modelFromConfig(id, config(id));

function plan(id: string, gpu = 'H200', tp?: number, mml?: number): DeploymentPlan {
  return {
    name: id,
    model: { ref: sourced(id, cli('model')) },
    hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced('vllm', cli('engine')) },
    knobs: { ...(tp ? { tensorParallel: sourced(tp, cli('tp')) } : {}), ...(mml ? { maxModelLen: sourced(mml, cli('mml')) } : {}) },
    workload: defaultWorkload(),
  };
}

function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, `estimate failed: ${JSON.stringify(!r.ok && r.issues)}`);
  return r.estimate;
}

/** Paths of the numbers in `v` that are not finite. */
function nonFinite(v: unknown, at = ''): string[] {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [`${at} = ${v}`];
  if (Array.isArray(v)) return v.flatMap((x, i) => nonFinite(x, `${at}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => nonFinite(x, at ? `${at}.${k}` : k));
  return [];
}

// Hand-written tensor shapes (vLLM's modules, see each family file). a: attention q+o, kv: k+v, mlp, norms per layer.
const gqa = (d: number, heads: number, kv: number, hd: number) => 2 * d * heads * hd + 2 * d * kv * hd;
const swiglu = (d: number, w: number) => 3 * d * w;

interface Case {
  id: string;
  /** Parameters from the shapes, computed here independently of the reader. */
  shapes: number;
  active?: number;
  /** The published count and the relative tolerance its precision allows ("80B": ± 0.5 B). */
  published: number;
  tol: number;
  publishedActive?: [number, number];
  source: string;
  /** Growing KV (full layers) and windowed KV, bf16, whole model, B/token. */
  kv: number;
  windowKv?: number;
  attentionLayers: number;
}

const L = (layers: number, perLayer: number) => layers * perLayer;

const CASES: Case[] = [
  {
    id: 'nvidia/Llama-3_3-Nemotron-Super-49B-v1',
    shapes: 49_867_145_216, // research note §2.8: 49.87 B
    published: 49.87e9, tol: 0.001, source: 'research note §2.8 (model card: 49B)',
    kv: 200_704, attentionLayers: 49,
  },
  {
    id: 'allenai/Olmo-3.1-32B-Instruct',
    shapes: L(64, gqa(5120, 40, 8, 128) + swiglu(5120, 27648) + 2 * 5120 + (40 + 8) * 128) + 2 * 100278 * 5120 + 5120,
    published: 32.2e9, tol: 0.005, source: 'Hub safetensors: 32.2B',
    kv: 16 * 2 * 8 * 128 * 2, windowKv: 48 * 2 * 8 * 128 * 2, attentionLayers: 64,
  },
  {
    id: 'LGAI-EXAONE/EXAONE-4.0-32B',
    shapes: L(64, gqa(5120, 40, 8, 128) + swiglu(5120, 27392) + 2 * 5120 + 2 * 128) + 2 * 102400 * 5120 + 5120,
    // The card counts without embeddings: 30.95 B; with the untied embedding and LM head that is 32.00 B.
    published: 30.95e9 + 2 * 102400 * 5120, tol: 0.001, source: 'model card: 30.95B without embeddings',
    kv: 16 * 4096, windowKv: 48 * 4096, attentionLayers: 64,
  },
  {
    id: 'HuggingFaceTB/SmolLM3-3B',
    shapes: L(36, gqa(2048, 16, 4, 128) + swiglu(2048, 11008) + 2 * 2048) + 128256 * 2048 + 2048, // tied
    published: 3.08e9, tol: 0.005, source: 'Hub safetensors: 3.08B',
    kv: 36 * 2 * 4 * 128 * 2, attentionLayers: 36,
  },
  {
    id: 'tencent/Hunyuan-A13B-Instruct',
    shapes: L(32, gqa(4096, 32, 8, 128) + 2 * 128 + 64 * swiglu(4096, 3072) + swiglu(4096, 3072) + 4096 * 64 + 2 * 4096) + 128167 * 4096 + 4096,
    active: L(32, gqa(4096, 32, 8, 128) + 2 * 128 + 8 * swiglu(4096, 3072) + swiglu(4096, 3072) + 4096 * 64 + 2 * 4096) + 128167 * 4096 + 4096,
    published: 80e9, tol: 0.00625, publishedActive: [13e9, 0.5 / 13], source: 'model card: 80B total, 13B active',
    kv: 32 * 2 * 8 * 128 * 2, attentionLayers: 32,
  },
  {
    id: 'microsoft/Phi-mini-MoE-instruct',
    // Biased q/k/v/o, 16 experts top-2, LayerNorms with bias, biased LM head.
    shapes: L(32, gqa(4096, 32, 8, 128) + 4096 + 2 * 1024 + 4096 + 16 * swiglu(4096, 960) + 4096 * 16 + 4 * 4096) + 2 * 32064 * 4096 + 32064 + 2 * 4096,
    active: L(32, gqa(4096, 32, 8, 128) + 4096 + 2 * 1024 + 4096 + 2 * swiglu(4096, 960) + 4096 * 16 + 4 * 4096) + 2 * 32064 * 4096 + 32064 + 2 * 4096,
    published: 7.6e9, tol: 0.05 / 7.6, publishedActive: [2.4e9, 0.05 / 2.4], source: 'model card: 7.6B total, 2.4B activated',
    kv: 0, windowKv: 32 * 2 * 8 * 128 * 2, attentionLayers: 32,
  },
  {
    id: 'ibm-granite/granite-3.1-1b-a400m-instruct',
    shapes: L(24, gqa(1024, 16, 8, 64) + 32 * swiglu(1024, 512) + 1024 * 32 + 2 * 1024) + 49155 * 1024 + 1024,
    active: L(24, gqa(1024, 16, 8, 64) + 8 * swiglu(1024, 512) + 1024 * 32 + 2 * 1024) + 49155 * 1024 + 1024,
    published: 1.3e9, tol: 0.05 / 1.3, publishedActive: [0.4e9, 0.05 / 0.4], source: 'model card: 1.3B total, 400M active',
    kv: 24 * 2 * 8 * 64 * 2, attentionLayers: 24,
  },
  {
    id: 'THUDM/chatglm2-6b',
    // query_key_value 4096 → 4096 + 2 × 2 × 128 with bias, dense, SwiGLU 13696, two RMSNorms; padded vocab 65,024 untied.
    shapes: L(28, 4096 * 4608 + 4608 + 4096 * 4096 + swiglu(4096, 13696) + 2 * 4096) + 2 * 65024 * 4096 + 4096,
    published: 6.24e9, tol: 0.005 / 6.24, source: 'Hub: 6.24B',
    kv: 28 * 2 * 2 * 128 * 2, attentionLayers: 28,
  },
  {
    id: 'THUDM/codegeex2-6b',
    shapes: L(28, 4096 * 4608 + 4608 + 4096 * 4096 + swiglu(4096, 13696) + 2 * 4096) + 2 * 65024 * 4096 + 4096,
    published: 6.24e9, tol: 0.005 / 6.24, source: 'ChatGLM2-6B base: 6.24B',
    kv: 28 * 2 * 2 * 128 * 2, attentionLayers: 28,
  },
  {
    id: 'THUDM/chatglm-6b',
    // GLM v1: biased qkv and dense, GELU MLP 16384 with biases, four LayerNorm vectors, tied 130,528-row embedding.
    shapes: L(28, 4096 * 3 * 4096 + 3 * 4096 + 4096 * 4096 + 4096 + 2 * 4096 * 16384 + 16384 + 4096 + 4 * 4096) + 130528 * 4096 + 2 * 4096,
    published: 6.2e9, tol: 0.05 / 6.2, source: 'model card: 6.2B (62亿)',
    kv: 28 * 2 * 32 * 128 * 2, attentionLayers: 28,
  },
  {
    id: 'mistralai/Devstral-2-123B-Instruct-2512',
    shapes: L(88, gqa(12288, 96, 8, 128) + swiglu(12288, 28672) + 2 * 12288) + 2 * 131072 * 12288 + 12288,
    // "123B" is the Mistral-Large-2 lineage figure (32,768-token vocabulary); Devstral 2's 131,072-token vocabulary adds
    // 2.4 B of embeddings and LM head: the shapes give 125.03 B.
    published: 123e9, tol: 0.02, source: 'model card: 123B (see comment)',
    kv: 88 * 2 * 8 * 128 * 2, attentionLayers: 88,
  },
  {
    id: 'mistralai/Devstral-Small-2-24B-Instruct-2512',
    // Text model only; the Pixtral tower (≈ 0.4 B) makes up the card's 24B.
    shapes: L(40, gqa(5120, 32, 8, 128) + swiglu(5120, 32768) + 2 * 5120) + 2 * 131072 * 5120 + 5120,
    published: 23.6e9, tol: 0.005, source: 'model card: 24B with its ~0.4 B vision tower',
    kv: 40 * 2 * 8 * 128 * 2, attentionLayers: 40,
  },
];

/** BERT encoder layer: biased q/k/v/o, biased intermediate and output, two LayerNorms. */
const bertLayer = (d: number, w: number) => 4 * (d * d + d) + 2 * d * w + w + d + 4 * d;
/** Word + position + token-type embeddings and the embedding LayerNorm. */
const bertEmbeddings = (vocab: number, pos: number, types: number, d: number) => (vocab + pos + types) * d + 2 * d;
const pooler = (d: number) => d * d + d;

interface EncoderCase { id: string; shapes: number; withPooler: number; published: number; tol: number; source: string; maxPositions: number }

const ENCODERS: EncoderCase[] = [
  { id: 'BAAI/bge-large-zh', shapes: bertEmbeddings(21128, 512, 2, 1024) + L(24, bertLayer(1024, 4096)), withPooler: pooler(1024), published: 326e6, tol: 0.5 / 326, source: 'Hub: 326M', maxPositions: 512 },
  // 22,713,216 is the widely quoted exact count of all-MiniLM-L6-v2 (with its pooler).
  { id: 'sentence-transformers/all-MiniLM-L6-v2', shapes: bertEmbeddings(30522, 512, 2, 384) + L(6, bertLayer(384, 1536)), withPooler: pooler(384), published: 22_713_216, tol: 0, source: 'exact count with pooler', maxPositions: 512 },
  { id: 'thenlper/gte-base', shapes: bertEmbeddings(30522, 512, 2, 768) + L(12, bertLayer(768, 3072)), withPooler: pooler(768), published: 109.5e6, tol: 0.05 / 109.5, source: 'Hub: 109M', maxPositions: 512 },
  { id: 'BAAI/bge-large-en-v1.5', shapes: bertEmbeddings(30522, 512, 2, 1024) + L(24, bertLayer(1024, 4096)), withPooler: pooler(1024), published: 335e6, tol: 0.5 / 335, source: 'Hub: 335M', maxPositions: 512 },
  { id: 'BAAI/bge-small-en-v1.5', shapes: bertEmbeddings(30522, 512, 2, 384) + L(12, bertLayer(384, 1536)), withPooler: pooler(384), published: 33.4e6, tol: 0.05 / 33.4, source: 'Hub: 33.4M', maxPositions: 512 },
  // XLM-RoBERTa: 8,194 position rows, positions from padding_idx + 1 → 8,192 usable.
  { id: 'BAAI/bge-m3', shapes: bertEmbeddings(250002, 8194, 1, 1024) + L(24, bertLayer(1024, 4096)), withPooler: pooler(1024), published: 568e6, tol: 0.5 / 568, source: 'Hub: 568M', maxPositions: 8192 },
];

describe('misc2 families: parameters against the shapes and the published counts', () => {
  for (const c of CASES) {
    it(`${c.id}: ${(c.shapes / 1e9).toFixed(3)} B (${c.source})`, () => {
      const m = spec(c.id);
      assert.ok(m.family, `${c.id} is read by no family`);
      assert.equal(m.unmodelled?.textModelExact ?? true, true, `${c.id}: the language model is not read exactly`);
      const p = countParams(m);
      assert.equal(p.total, c.shapes);
      assert.equal(p.active, c.active ?? c.shapes);
      assert.ok(Math.abs(p.total / c.published - 1) <= c.tol, `${p.total} vs published ${c.published} (±${(c.tol * 100).toFixed(2)} %)`);
      if (c.publishedActive) {
        const [pub, tol] = c.publishedActive;
        assert.ok(Math.abs(p.active / pub - 1) <= tol, `active ${p.active} vs published ${pub}`);
      }
    });
  }

  it('Nemotron-NAS: 49 attention layers of 8 KV heads, FFN widths as §2.8 lists them', () => {
    const m = spec('nvidia/Llama-3_3-Nemotron-Super-49B-v1');
    assert.equal(m.attention.filter((a) => a.kind === 'full').length, 49);
    assert.equal(m.attention.filter((a) => a.kind === 'none').length, 31);
    const widths = new Map<number, number>();
    for (const l of countParams(m).perLayer) widths.set(l.mlp / (3 * 8192), (widths.get(l.mlp / (3 * 8192)) ?? 0) + 1);
    assert.deepEqual([...widths].sort((a, b) => a[0] - b[0]), [[2816, 6], [5632, 8], [7168, 10], [14336, 6], [17920, 1], [28672, 49]]);
    // No-op attention layers hold no projections and no input_layernorm.
    m.attention.forEach((a, i) => {
      const l = countParams(m).perLayer[i];
      if (a.kind === 'none') assert.equal(l.attention + l.kvProj + l.norms, 8192);
      else assert.equal(l.kvHeads, 8);
    });
  });

  it('Nemotron-NAS: null top-level KV heads / intermediate size leave no generic-reader assumption behind', () => {
    const m = spec('nvidia/Llama-3_3-Nemotron-Super-49B-v1');
    assert.ok(!m.assumptions.some((a) => a.startsWith('num_key_value_heads absent')), m.assumptions.join(' | '));
    assert.equal(m.kvHeads, 8);
    assert.ok(m.intermediate > 0);
  });

  it('ChatGLM2 reads padded_vocab_size, ffn_hidden_size and seq_length (no 32000-vocab assumption)', () => {
    const m = spec('THUDM/chatglm2-6b');
    assert.equal(m.vocab, 65024);
    assert.equal(m.intermediate, 13696);
    assert.equal(m.kvHeads, 2);
    assert.equal(m.maxPositions, 32768);
    assert.ok(!m.assumptions.some((a) => a.startsWith('vocab_size absent')));
  });

  it('ChatGLM-6B v1 says no engine here serves it, and counts 2,048 positions', () => {
    const m = spec('THUDM/chatglm-6b');
    assert.equal(m.maxPositions, 2048);
    assert.ok(m.assumptions.some((a) => /vLLM and SGLang do not serve it/.test(a)), m.assumptions.join(' | '));
  });

  it('Hunyuan-A13B reads per-layer top-k 8 and one shared expert per layer (not the generic default top-2)', () => {
    const m = spec('tencent/Hunyuan-A13B-Instruct');
    assert.equal(m.moe?.topK, 8);
    assert.equal(m.moe?.sharedIntermediate, 3072);
    assert.equal(m.tiedEmbeddings, true);
  });

  it('Hunyuan with cross-layer attention: only every cla_share_factor-th layer projects and keeps K/V', () => {
    const c = { ...config('tencent/Hunyuan-A13B-Instruct'), use_cla: true, cla_share_factor: 2 };
    const m = modelFromConfig('cla', c);
    assert.equal(m.attention.filter((a) => a.kind === 'full').length, 16);
    assert.equal(kvBytesPerToken(m, 2), 16 * 4096);
    const plain = countParams(spec('tencent/Hunyuan-A13B-Instruct')).total;
    assert.equal(plain - countParams(m).total, 16 * 2 * 4096 * 1024);
  });
});

describe('misc2 families: encoder-only BERT / XLM-RoBERTa (pooling, no KV cache)', () => {
  for (const c of ENCODERS) {
    it(`${c.id}: ${c.shapes} parameters as vLLM loads it (pooler skipped), ${c.source} with the pooler`, () => {
      const m = spec(c.id);
      assert.ok(m.family);
      assert.equal(m.unmodelled, undefined);
      const p = countParams(m);
      assert.equal(p.total, c.shapes);
      assert.ok(Math.abs((p.total + c.withPooler) / c.published - 1) <= c.tol + 1e-9, `${p.total} + pooler vs ${c.published}`);
      assert.ok(m.attention.every((a) => a.kind === 'none'));
      assert.equal(kvBytesPerToken(m, 2), 0);
      assert.equal(windowKvBytesPerToken(m, 2), 0);
      assert.equal(m.maxPositions, c.maxPositions);
    });
  }

  it('a sequence classifier loads the pooler and its head (ms-marco cross-encoder: one label)', () => {
    const p = countParams(spec('cross-encoder/ms-marco-MiniLM-L-6-v2'));
    assert.equal(p.total, bertEmbeddings(30522, 512, 2, 384) + L(6, bertLayer(384, 1536)) + pooler(384) + 384 + 1);
  });

  it('an XLM-RoBERTa reranker loads its classification head, no pooler (bge-reranker-base: 278M, 512 positions)', () => {
    const m = spec('BAAI/bge-reranker-base');
    const p = countParams(m);
    assert.equal(p.total, bertEmbeddings(250002, 514, 1, 768) + L(12, bertLayer(768, 3072)) + (768 * 768 + 768) + (768 + 1));
    assert.ok(Math.abs(p.total / 278e6 - 1) < 0.5 / 278);
    assert.equal(m.maxPositions, 512);
  });

  it('bge-large-zh on an L4: estimates, finite, no unmodelled warning, no KV, encoder-only stated', () => {
    const e = ok(plan('BAAI/bge-large-zh', 'L4'));
    assert.deepEqual(nonFinite(e), []);
    assert.ok(!e.issues.some((i) => i.code === 'unmodelled-architecture'), JSON.stringify(e.issues));
    assert.equal(e.model.genericRead, false);
    assert.equal(e.model.kvBytesPerToken, 0);
    assert.equal(e.model.windowKvBytes, 0);
    assert.equal(e.model.attentionLayers, 0);
    assert.equal(e.model.params, ENCODERS[0].shapes);
    assert.equal(e.memory.kvBytesPerTokenPerGpu, 0);
    assert.ok(e.memory.fits);
    assert.ok(e.memory.maxConcurrency > 0);
    assert.ok(e.assumptions.some((a) => /encoder-only/.test(a) && /no KV cache/.test(a)), e.assumptions.join(' | '));
  });
});

describe('misc2 families: through the estimate', () => {
  for (const c of CASES) {
    it(`${c.id}: JSON model fields, no generic-read warning`, () => {
      const e = ok(plan(c.id, 'H200', 1, 4096));
      assert.deepEqual(nonFinite(e), []);
      assert.equal(e.model.genericRead, false);
      // Devstral-Small-2's vision tower is another reader's: the only warning it may keep is the tower's.
      const warn = e.issues.find((i) => i.code === 'unmodelled-architecture');
      assert.ok(!warn || /^Vision tower not counted/.test(warn.message), warn?.message);
      assert.equal(e.model.params, c.shapes);
      assert.equal(e.model.activeParams, c.active ?? c.shapes);
      assert.equal(e.model.kvBytesPerToken, c.kv);
      assert.equal(e.model.windowKvBytes, c.windowKv ?? 0);
      assert.equal(e.model.attentionLayers, c.attentionLayers);
      assert.equal(e.model.recurrentLayers, 0);
      assert.equal(e.model.stateBytesPerRequest, 0);
      assert.equal(e.model.mtpParams, 0);
    });
  }

  it('weights per GPU never rise with TP (1 → 2 → 4 → 8), and TP 8 holds at least an eighth of TP 1', () => {
    for (const c of [...CASES.map((x) => x.id), ...ENCODERS.map((x) => x.id)]) {
      const m = spec(c);
      const p = countParams(m);
      const per = [1, 2, 4, 8].map((tp) => weightBytesPerGpu(m, m.weightFormat, { tp, pp: 1, ep: 1 }, p));
      for (let i = 1; i < per.length; i++) assert.ok(per[i] <= per[i - 1], `${c}: TP ${2 ** i} ${per[i]} > TP ${2 ** (i - 1)} ${per[i - 1]}`);
      assert.ok(per[3] >= per[0] / 8, `${c}: TP 8 below a perfect split`);
    }
  });

  it('Nemotron-NAS at TP 8 on H200: 25,088 KV B/token per GPU (§3)', () => {
    const e = ok(plan('nvidia/Llama-3_3-Nemotron-Super-49B-v1', 'H200', 8, 8192));
    assert.equal(e.memory.kvBytesPerTokenPerGpu, 25088);
  });
});

describe('misc2 families: the hub-configs copies read as the catalog does', { skip: noHub }, () => {
  for (const id of [...CASES.map((c) => c.id), ...ENCODERS.map((c) => c.id)]) {
    const file = path.join(hubDir, `${id.replace('/', '--')}.json`);
    it(id, { skip: fs.existsSync(file) ? false : `no ${path.basename(file)} in hub-configs` }, () => {
      const hub = modelFromConfig(id, parsePythonJson(fs.readFileSync(file, 'utf8')) as Record<string, unknown>);
      const cat = spec(id);
      assert.equal(countParams(hub).total, countParams(cat).total);
      assert.equal(countParams(hub).active, countParams(cat).active);
      assert.equal(kvBytesPerToken(hub, 2), kvBytesPerToken(cat, 2));
      assert.equal(windowKvBytesPerToken(hub, 2), windowKvBytesPerToken(cat, 2));
      assert.equal(hub.maxPositions, cat.maxPositions);
      assert.equal(hub.family, cat.family);
    });
  }
});
