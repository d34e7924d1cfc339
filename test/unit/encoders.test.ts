/**
 * Vision / audio towers of the multimodal wrappers (estimator/encoders/): each tower's parameters against the research
 * note's §2.10 table (≤ 0.5 %) or the published total of the wrapper (≤ 2 %), how each engine shards it, and through
 * estimate() that visionParams is set, weights per GPU include it (TP-sharded parts shrink with TP, replicated ones do
 * not) and no unmodelled-architecture warning remains where the language model is read exactly. Configs from the
 * catalog; the hub-configs copy where the catalog's entry lacks the tower (skipped when ../shared is absent); three
 * wrappers with no config at hand use their published config.json values, written out below.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { weightBytesPerGpu } from '../../server/src/estimator/memory';
import { countParams, EncoderTower, modelFromConfig } from '../../server/src/estimator/model';
import { byDefault, DeploymentPlan, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { root } from '../support/paths';

type Json = Record<string, unknown>;
const hubDir = path.resolve(root, '..', 'shared', 'research', 'hub-configs');
const hubSkip = fs.existsSync(hubDir) ? false : `hub configs not found at ${hubDir} (../shared is not beside this checkout)`;
const hub = (id: string): Json => JSON.parse(fs.readFileSync(path.join(hubDir, `${id.replace('/', '--')}.json`), 'utf8')) as Json;

/** Published config.json values (vision part + the text fields the count needs) of wrappers with no config file here. */
const QWEN2_VL_7B: Json = {
  architectures: ['Qwen2VLForConditionalGeneration'], model_type: 'qwen2_vl', hidden_size: 3584, intermediate_size: 18944, num_hidden_layers: 28,
  num_attention_heads: 28, num_key_value_heads: 4, vocab_size: 152064, tie_word_embeddings: false, max_position_embeddings: 32768,
  vision_config: { depth: 32, embed_dim: 1280, mlp_ratio: 4, num_heads: 16, in_chans: 3, hidden_size: 3584, patch_size: 14, spatial_merge_size: 2, temporal_patch_size: 2 },
};
const GEMMA3_4B: Json = {
  architectures: ['Gemma3ForConditionalGeneration'], model_type: 'gemma3',
  text_config: { model_type: 'gemma3_text', hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 34, num_attention_heads: 8, num_key_value_heads: 4,
    head_dim: 256, vocab_size: 262208, sliding_window: 1024, max_position_embeddings: 131072 },
  vision_config: { model_type: 'siglip_vision_model', hidden_size: 1152, image_size: 896, intermediate_size: 4304, num_attention_heads: 16, num_hidden_layers: 27,
    patch_size: 14, vision_use_head: false },
};
const MISTRAL_SMALL_31: Json = {
  architectures: ['Mistral3ForConditionalGeneration'], model_type: 'mistral3', spatial_merge_size: 2, multimodal_projector_bias: false,
  text_config: { model_type: 'mistral', hidden_size: 5120, intermediate_size: 32768, num_hidden_layers: 40, num_attention_heads: 32, num_key_value_heads: 8,
    head_dim: 128, vocab_size: 131072, max_position_embeddings: 131072, tie_word_embeddings: false },
  vision_config: { model_type: 'pixtral', hidden_size: 1024, intermediate_size: 4096, num_hidden_layers: 24, num_attention_heads: 16, head_dim: 64, patch_size: 14, image_size: 1540 },
};

interface Case {
  id: string;
  config: () => Json | undefined;
  skip?: string | false;
  /** Tower + projector parameters (note §2.10) or, with `total`, the wrapper's published total (text + towers). */
  towerM?: number;
  total?: number;
  /** Relative tolerance: 0.5 % against the note's exact table, 2 % against a rounded published figure or an estimate. */
  tol?: number;
  /** Sharding of each tower entry, in order. */
  sharding: EncoderTower['sharding'][];
  /** The language model is read exactly: no unmodelled-architecture warning may remain. */
  textExact?: boolean;
}

const cat = (id: string) => () => catalogConfig(id) as Json | undefined;
const CASES: Case[] = [
  { id: 'Qwen/Qwen3-VL-2B-Instruct', config: cat('Qwen/Qwen3-VL-2B-Instruct'), towerM: 407.0, sharding: ['tp'], textExact: true },
  { id: 'Qwen/Qwen3-VL-4B-Instruct', config: cat('Qwen/Qwen3-VL-4B-Instruct'), towerM: 415.3, sharding: ['tp'], textExact: true },
  { id: 'Qwen/Qwen3-VL-8B-Instruct', config: cat('Qwen/Qwen3-VL-8B-Instruct'), towerM: 576.4, sharding: ['tp'], textExact: true },
  { id: 'Qwen/Qwen3-VL-235B-A22B-Instruct', config: cat('Qwen/Qwen3-VL-235B-A22B-Instruct'), towerM: 576.4, sharding: ['tp'], textExact: true },
  { id: 'Qwen/Qwen3-VL-30B-A3B-Instruct', config: cat('Qwen/Qwen3-VL-30B-A3B-Instruct'), towerM: 538.6, sharding: ['tp'], textExact: true },
  { id: 'Qwen/Qwen3-VL-32B-Instruct', config: cat('Qwen/Qwen3-VL-32B-Instruct'), towerM: 595.3, sharding: ['tp'], textExact: true },
  // Qwen3.5: the note gives 415.9 M of blocks + embed plus 40.1–44.8 M of merger (447–461 M); 397B's out width 4,096 is Qwen3-VL-8B's merger.
  { id: 'Qwen/Qwen3.5-397B-A17B', config: cat('Qwen/Qwen3.5-397B-A17B'), towerM: 415.9 + 40.1, sharding: ['tp'] },
  { id: 'Qwen/Qwen3.5-35B-A3B', config: cat('Qwen/Qwen3.5-35B-A3B'), towerM: 447, tol: 0.02, sharding: ['tp'] },
  { id: 'Qwen/Qwen3.5-27B', config: cat('Qwen/Qwen3.5-27B'), towerM: 461, tol: 0.02, sharding: ['tp'] },
  // Qwen2.5-VL-7B / Qwen2-VL-7B: the Hub's parameter counts (8,292,166,656 / 8,291,375,616: Qwen2.5-7B's 7,615,616,512 + tower).
  { id: 'Qwen/Qwen2.5-VL-7B-Instruct', config: cat('Qwen/Qwen2.5-VL-7B-Instruct'), total: 8_292_166_656, sharding: ['tp'], textExact: true },
  { id: 'Qwen/Qwen2-VL-7B-Instruct', config: () => QWEN2_VL_7B, total: 8_291_375_616, sharding: ['tp'], textExact: true },
  { id: 'moonshotai/Kimi-K2.5', config: cat('moonshotai/Kimi-K2.5'), towerM: 471.1, sharding: ['tp', 'replicated'], textExact: true },
  { id: 'nvidia/Kimi-K2.6-NVFP4', config: cat('nvidia/Kimi-K2.6-NVFP4'), towerM: 471.1, sharding: ['tp', 'replicated'], textExact: true },
  { id: 'moonshotai/Kimi-K3', config: cat('moonshotai/Kimi-K3'), towerM: 447.4, sharding: ['replicated'] },
  // Gemma 4: the note's 0.57 / 0.58 B are estimates (norm count assumed): ≤ 2 %.
  { id: 'google/gemma-4-26B-A4B', config: cat('google/gemma-4-26B-A4B'), towerM: 570, tol: 0.02, sharding: ['replicated'] },
  { id: 'google/gemma-3-4b-it', config: () => GEMMA3_4B, total: 4_300_079_472, sharding: ['tp', 'replicated'], textExact: true },
  // Published 109 B total for Scout (text 107.8 B + vision); the catalog's entry is the text model only, so the hub copy.
  { id: 'meta-llama/Llama-4-Scout-17B-16E-Instruct', config: () => hub('meta-llama/Llama-4-Scout-17B-16E-Instruct'), skip: hubSkip, total: 109e9, tol: 0.02, sharding: ['tp'], textExact: true },
  { id: 'meta-llama/Llama-3.2-90B-Vision-Instruct', config: cat('meta-llama/Llama-3.2-90B-Vision-Instruct'), total: 88.6e9, tol: 0.02, sharding: ['tp'], textExact: true },
  { id: 'mistralai/Mistral-Small-3.1-24B-Instruct-2503', config: () => MISTRAL_SMALL_31, total: 24_011_361_280, sharding: ['tp', 'replicated'], textExact: true },
  { id: 'mistralai/Devstral-Small-2-24B-Instruct-2512', config: cat('mistralai/Devstral-Small-2-24B-Instruct-2512'), towerM: 439.0, sharding: ['tp', 'replicated'] },
  // Voxtral-Mini-3B: 4.68 B published (Whisper-large encoder 0.64 B + adapter + 4.0 B text).
  { id: 'mistralai/Voxtral-Mini-3B-2507', config: cat('mistralai/Voxtral-Mini-3B-2507'), total: 4.68e9, tol: 0.02, sharding: ['tp', 'replicated'], textExact: true },
  // MiniMax-M3-VL: tower 631.2 M (note) + projector ≈ 69 M (est.).
  { id: 'nvidia/MiniMax-M3-NVFP4', config: cat('nvidia/MiniMax-M3-NVFP4'), towerM: 631.2 + 69.2, tol: 0.02, sharding: ['tp', 'tp'] },
  // LFM2.5-VL-1.6B: 1.6 B published (LFM2-1.2B text 1.17 B + SigLIP2 NaFlex 0.41 B + projector).
  { id: 'LiquidAI/LFM2.5-VL-1.6B', config: cat('LiquidAI/LFM2.5-VL-1.6B'), towerM: 426.3, sharding: ['tp'] },
];

const cli = (flag: string) => ({ kind: 'cli' as const, flag });
function plan(id: string, config: Json, tp: number): DeploymentPlan {
  return {
    name: id,
    model: { ref: sourced(id, cli('model')), config },
    hardware: { gpu: sourced('H200', cli('gpu')), count: sourced(tp, cli('count')), replicas: byDefault(1, '') },
    engine: { name: sourced('vllm', cli('engine')) },
    knobs: { tensorParallel: sourced(tp, cli('tp')) },
    workload: defaultWorkload(),
  };
}
function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, `estimate failed: ${JSON.stringify(!r.ok && r.issues)}`);
  return r.estimate;
}
const within = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) / want <= tol, `${what}: ${got} vs ${want} (${((100 * (got - want)) / want).toFixed(2)} %, tolerance ${tol * 100} %)`);

describe('encoder towers: parameters and sharding as the engines load them', () => {
  for (const c of CASES) {
    it(`${c.id}: ${c.towerM ? `${c.towerM} M tower + projector` : `${c.total! / 1e9} B published total`}, ${c.sharding.join(' + ')}`, { skip: c.skip }, () => {
      const config = c.config();
      assert.ok(config, `${c.id} not in the catalog`);
      const m = modelFromConfig(c.id, config);
      assert.ok(m.encoders?.length, 'no tower counted');
      assert.deepEqual(m.encoders.map((e) => e.sharding), c.sharding);
      for (const e of m.encoders) assert.ok(e.source.length > 20 && e.params > 0, `tower without a source: ${JSON.stringify(e)}`);
      const p = countParams(m);
      if (c.towerM) within(p.encoders / 1e6, c.towerM, c.tol ?? 0.005, 'tower + projector (M)');
      else within(p.total + p.encoders, c.total!, c.tol ?? 0.005, 'text + towers');
      assert.ok(!m.assumptions.some((a) => /not counted/.test(a) && /encoder and projector/.test(a)), 'the tower is still said to be not counted');
    });
  }
});

describe('encoder towers through estimate()', () => {
  for (const c of CASES.filter((x) => x.textExact)) {
    it(`${c.id}: visionParams set, weights per GPU carry the tower, no unmodelled-architecture warning`, { skip: c.skip }, () => {
      const config = c.config()!;
      const e1 = ok(plan(c.id, config, 1));
      const e8 = ok(plan(c.id, config, 8));
      const m = modelFromConfig(c.id, config);
      const towers = countParams(m).encoders;
      assert.equal(e1.model.visionParams, towers);
      assert.ok(towers > 1e8);
      for (const e of [e1, e8]) assert.ok(!e.issues.some((i) => i.code === 'unmodelled-architecture'), JSON.stringify(e.issues.filter((i) => i.code === 'unmodelled-architecture')));
      assert.ok(e8.memory.weightsBytesPerGpu <= e1.memory.weightsBytesPerGpu, 'TP raised weights per GPU');
    });
  }

  it('TP-sharded towers shrink with TP, replicated ones sit whole on every rank (weightBytesPerGpu with and without encoders)', () => {
    for (const id of ['moonshotai/Kimi-K2.5', 'google/gemma-4-26B-A4B', 'Qwen/Qwen3-VL-8B-Instruct']) {
      const m = modelFromConfig(id, catalogConfig(id)!);
      for (const tp of [1, 2, 8]) {
        const par = { tp, pp: 1, ep: 1, dp: 1 } as Parameters<typeof weightBytesPerGpu>[2];
        const withTowers = weightBytesPerGpu(m, m.weightFormat, par);
        const without = weightBytesPerGpu(m, m.weightFormat, par, countParams(m), { encoders: false });
        const want = m.encoders!.reduce((s, e) => s + (2 * e.params) / (e.sharding === 'tp' ? tp : 1), 0);
        within(withTowers - without, want, 1e-9, `${id} tower bytes at TP ${tp}`);
      }
    }
  });

  it('a tower whose shape fields are absent stays not counted (Llama-4-Maverick\'s config has no vision_config)', { skip: hubSkip }, () => {
    const m = modelFromConfig('m', hub('meta-llama/Llama-4-Maverick-17B-128E-Instruct'));
    assert.equal(m.encoders, undefined);
    assert.ok(m.unmodelled?.towers.length);
    const stripped = structuredClone(catalogConfig('Qwen/Qwen3-VL-8B-Instruct')!) as Json;
    delete (stripped.vision_config as Json).num_position_embeddings;
    assert.equal(modelFromConfig('q', stripped).encoders, undefined);
  });
});

/** Llama-3.2-11B-Vision's published config.json (text part; its vision_config is the 90B's), not in the catalog. */
const LLAMA32_11B_VISION = (): Json => {
  const c = structuredClone(catalogConfig('meta-llama/Llama-3.2-90B-Vision-Instruct')!) as Json;
  c.text_config = { ...(c.text_config as Json), hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 40, num_attention_heads: 32,
    num_key_value_heads: 8, cross_attention_layers: [3, 8, 13, 18, 23, 28, 33, 38] };
  return c;
};

describe('Llama 3.2 Vision language model (mllama family)', () => {
  const m = modelFromConfig('meta-llama/Llama-3.2-90B-Vision-Instruct', catalogConfig('meta-llama/Llama-3.2-90B-Vision-Instruct')!);
  it('reads exactly: 80 self-attention layers keep KV, 20 cross-attention layers keep none', () => {
    assert.equal(m.family, 'Llama 3.2 Vision (self + image cross-attention)');
    assert.equal(m.unmodelled, undefined);
    assert.equal(m.attention.filter((a) => a.kind === 'full').length, 80);
    assert.equal(m.attention.filter((a) => a.kind === 'none').length, 20);
    assert.ok(m.assumptions.some((a) => /6,404 tokens per image/.test(a)));
  });
  it('text 87.67 B by tensor shapes; with the vision tower 88.6 B (published)', () => {
    const p = countParams(m);
    within(p.total, 87_666_865_192, 1e-9, 'text');
    within(p.total + p.encoders, 88.6e9, 0.005, 'text + vision');
  });
  it('estimate: KV of the 80 self-attention layers only (bf16: 80 × 2 × 8 × 128 × 2 B), visionParams set', () => {
    const e = ok(plan('meta-llama/Llama-3.2-90B-Vision-Instruct', catalogConfig('meta-llama/Llama-3.2-90B-Vision-Instruct')!, 8));
    assert.equal(e.model.kvBytesPerToken, 80 * 2 * 8 * 128 * 2);
    assert.equal(e.model.attentionLayers, 80);
    assert.ok(e.model.visionParams > 9e8);
  });
  it('Llama-3.2-11B-Vision: 10.67 B with the tower; weights per GPU as a vLLM V0 startup log reports them (19.86 GiB, TP 1, H100)', () => {
    const c = LLAMA32_11B_VISION();
    const m11 = modelFromConfig('meta-llama/Llama-3.2-11B-Vision', c);
    const p = countParams(m11);
    within(p.total + p.encoders, 10.67e9, 0.005, 'text + vision');
    // ../shared/calibration/vllm-startup-logs.csv, row meta-llama/Llama-3.2-11B-Vision (vLLM ~0.6.6 V0): weights 19.86 GiB.
    const p1 = plan('meta-llama/Llama-3.2-11B-Vision', c, 1);
    p1.hardware.gpu = sourced('H100-SXM', cli('gpu'));
    within(ok(p1).memory.weightsBytesPerGpu / 2 ** 30, 19.86, 0.01, 'weights GiB');
  });
});

describe('Qwen-VL language models (qwenTextWrappers family): the Qwen2 / Qwen3 decoders they wrap', () => {
  const pairs: Array<[string, string, number]> = [
    ['Qwen/Qwen2.5-VL-7B-Instruct', 'Qwen/Qwen2.5-7B', 7_615_616_512],
    ['Qwen/Qwen3-VL-30B-A3B-Instruct', 'Qwen/Qwen3-30B-A3B', 30_532_122_624],
  ];
  for (const [vl, textId, total] of pairs) {
    it(`${vl}'s language model counts as ${textId} (${total}), same KV per token, no unmodelled warning`, () => {
      const m = modelFromConfig(vl, catalogConfig(vl)!);
      const t = modelFromConfig(textId, catalogConfig(textId)!);
      assert.ok(m.family, 'read by a family reader');
      assert.equal(m.unmodelled, undefined);
      assert.equal(countParams(m).total, total);
      assert.equal(countParams(m).active, countParams(t).active);
      const e = ok(plan(vl, catalogConfig(vl)!, 1));
      const et = ok(plan(textId, catalogConfig(textId)!, 1));
      assert.equal(e.model.kvBytesPerToken, et.model.kvBytesPerToken);
    });
  }
  it('Qwen3-VL-2B: 2,127,532,032 with the tower (the Hub\'s count; tied embeddings)', () => {
    const p = countParams(modelFromConfig('q', catalogConfig('Qwen/Qwen3-VL-2B-Instruct')!));
    assert.equal(p.total + p.encoders, 2_127_532_032);
  });
});
