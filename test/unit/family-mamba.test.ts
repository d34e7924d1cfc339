/**
 * Family readers for Mamba / convolution hybrids and Falcon (estimator/families/nemotronH.ts, lfm2.ts, falcon.ts):
 * parameters, KV, recurrent state, vLLM's hybrid block sizes and the public estimate, against the research note on
 * 2026 architectures (§1.4 worked examples, §2.2 tables) and the published counts. Configs come from the offline
 * catalog (server/src/catalog/models.json), so nothing here reads ../shared.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { hybridPool } from '../../server/src/estimator/hybridPool';
import { kvBytesPerToken, kvBytesPerTokenPerGpu, layerCounts, recurrentLayerStateBytesPerGpu, stateBytesPerRequest, tensorParallelProblem, weightBytesPerGpu, windowKvBytesPerToken } from '../../server/src/estimator/memory';
import { countParams, ModelSpec, modelFromConfig } from '../../server/src/estimator/model';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { byDefault, DeploymentPlan, EngineName, sourced } from '../../server/src/plan/types';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function model(id: string): ModelSpec {
  const c = catalogConfig(id);
  assert.ok(c, `${id} is not in the catalog`);
  return modelFromConfig(id, c);
}

/** Billions to the note's two decimals. */
const b2 = (n: number): number => Math.round(n / 1e7) / 100;

function plan(id: string, o: { gpu?: string; count?: number; tp?: number; engine?: EngineName; mml?: number; config?: Record<string, unknown> } = {}): DeploymentPlan {
  return {
    name: id,
    model: { ref: sourced(id, cli('model')), ...(o.config ? { config: o.config } : {}) },
    hardware: { gpu: sourced(o.gpu ?? 'H200', cli('gpu')), ...(o.count ? { count: sourced(o.count, cli('count')) } : {}), replicas: byDefault(1, '') },
    engine: { name: sourced(o.engine ?? 'vllm', cli('engine')) },
    knobs: { ...(o.tp ? { tensorParallel: sourced(o.tp, cli('tp')) } : {}), ...(o.mml ? { maxModelLen: sourced(o.mml, cli('mml')) } : {}) },
    workload: defaultWorkload(),
  };
}

function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, `estimate failed: ${JSON.stringify(!r.ok && r.issues)}`);
  return r.estimate;
}

const unmodelled = (e: Estimate) => e.issues.find((i) => i.code === 'unmodelled-architecture');

function weightsMonotone(m: ModelSpec): void {
  const w = [1, 2, 4, 8].map((tp) => weightBytesPerGpu(m, m.weightFormat, { tp, pp: 1, ep: 1 }));
  for (let i = 1; i < w.length; i++) assert.ok(w[i] <= w[i - 1], `${m.id}: weights per GPU rise from TP ${2 ** (i - 1)} to TP ${2 ** i}: ${w.join(', ')}`);
}

// §2.2 and §3 of the research note: total / active / MTP (B), KV B/token TP1 and per GPU at TP8, state per layer (B)
// and per request (MiB), vLLM block size at TP 1/2/4/8, layer counts, recurrent groups (group size).
interface NemotronRow {
  ids: string[];
  total: number; active: number; mtp: number;
  kv1: number; kv8: number; statePerLayer: number; stateMiB: number;
  blocks: [number, number, number, number];
  layers: { mamba: number; attention: number; moe: number; mlp: number };
  groups: { size: number; recurrent: number };
}

const NEMOTRON: NemotronRow[] = [
  { ids: ['nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16', 'nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-NVFP4'], total: 31.58, active: 3.58, mtp: 0,
    kv1: 6144, kv8: 3072, statePerLayer: 2_134_016, stateMiB: 46.8, blocks: [2096, 2096, 1056, 528], layers: { mamba: 23, attention: 6, moe: 23, mlp: 0 }, groups: { size: 6, recurrent: 4 } },
  { ids: ['nvidia/NVIDIA-Nemotron-3.5-Lightning-30B-A3B-NVFP4'], total: 31.58, active: 3.58, mtp: 1.34,
    kv1: 6144, kv8: 3072, statePerLayer: 2_134_016, stateMiB: 46.8, blocks: [2096, 2096, 1056, 528], layers: { mamba: 23, attention: 6, moe: 23, mlp: 0 }, groups: { size: 6, recurrent: 4 } },
  { ids: ['nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-FP8', 'nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-NVFP4'], total: 120.67, active: 12.77, mtp: 2.94,
    kv1: 8192, kv8: 4096, statePerLayer: 4_255_744, stateMiB: 162.3, blocks: [4160, 4160, 2080, 1040], layers: { mamba: 40, attention: 8, moe: 40, mlp: 0 }, groups: { size: 8, recurrent: 5 } },
  { ids: ['nvidia/NVIDIA-Nemotron-3-Ultra-550B-A55B-BF16', 'nvidia/NVIDIA-Nemotron-3-Ultra-550B-A55B-FP8', 'nvidia/NVIDIA-Nemotron-3-Ultra-550B-A55B-NVFP4'], total: 549.31, active: 56.06, mtp: 11.22,
    kv1: 12288, kv8: 6144, statePerLayer: 8_499_200, stateMiB: 389.1, blocks: [8304, 8304, 4160, 2080], layers: { mamba: 48, attention: 12, moe: 48, mlp: 0 }, groups: { size: 12, recurrent: 4 } },
  { ids: ['nvidia/Nemotron-H-56B-Base-8K'], total: 56.32, active: 56.32, mtp: 0,
    kv1: 40960, kv8: 5120, statePerLayer: 16_900_096, stateMiB: 870.3, blocks: [4128, 4128, 4128, 4128], layers: { mamba: 54, attention: 10, moe: 0, mlp: 54 }, groups: { size: 10, recurrent: 6 } },
];

const vllmPool = (m: ModelSpec, tp: number, poolBytes: number, maxModelLen: number, prefixCaching = false) =>
  hybridPool({ model: m, engine: 'vllm', kvElem: 2, par: { tp, pp: 1, ep: 1 }, poolBytes, maxModelLen, blockSize: 16, prefixCachingSet: prefixCaching, maxNumSeqs: 256 })!;

describe('Nemotron-H family reader (research note §2.2)', () => {
  for (const row of NEMOTRON) {
    for (const id of row.ids) {
      describe(id, () => {
        const m = model(id);
        const p = countParams(m);

        it(`total ${row.total} B, active ${row.active} B, MTP ${row.mtp || '—'} B`, () => {
          assert.equal(m.family, 'Nemotron-H (Mamba-2 + attention + MoE)');
          assert.equal(b2(p.total), row.total);
          assert.equal(b2(p.active), row.active);
          assert.equal(b2(p.mtp), row.mtp);
          if (row.mtp) assert.equal(m.mtp?.kvLayers, 1);
          else assert.equal(m.mtp, undefined);
        });

        it(`layers: ${row.layers.mamba} Mamba-2 / ${row.layers.attention} attention / ${row.layers.moe} MoE / ${row.layers.mlp} MLP`, () => {
          const kinds = m.attention.map((a) => a.kind);
          assert.equal(kinds.filter((k) => k === 'recurrent').length, row.layers.mamba);
          assert.equal(kinds.filter((k) => k === 'full').length, row.layers.attention);
          assert.equal(kinds.filter((k) => k === 'none').length, row.layers.moe + row.layers.mlp);
          assert.equal(m.layers, row.layers.mamba + row.layers.attention + row.layers.moe + row.layers.mlp);
          assert.equal((m.moe?.moeLayers ?? []).filter(Boolean).length, row.layers.moe);
          assert.deepEqual(layerCounts(m), { attention: row.layers.attention, recurrent: row.layers.mamba });
        });

        it(`KV ${row.kv1} B/token at TP 1, ${row.kv8} per GPU at TP 8; state ${row.statePerLayer} B per layer, ${row.stateMiB} MiB per request`, () => {
          assert.equal(kvBytesPerToken(m, 2), row.kv1);
          assert.equal(kvBytesPerTokenPerGpu(m, 2, { tp: 8, pp: 1, ep: 1 }), row.kv8);
          assert.equal(recurrentLayerStateBytesPerGpu(m, 1), row.statePerLayer);
          assert.equal(stateBytesPerRequest(m), row.statePerLayer * row.layers.mamba);
          assert.equal(Math.round((10 * stateBytesPerRequest(m)) / MiB) / 10, row.stateMiB);
          assert.equal(m.recurrent?.kind, 'mamba2');
          assert.equal(m.recurrent?.stateDtypeBytes, 4, 'SSM state in float32 (mamba_ssm_cache_dtype, or vLLM\'s default)');
          assert.equal(m.recurrent?.convDtypeBytes, 2);
        });

        it(`vLLM blocks of ${row.blocks.join(' / ')} tokens at TP 1/2/4/8, ${row.groups.recurrent} recurrent groups of ${row.groups.size}`, () => {
          const got = [1, 2, 4, 8].map((tp) => vllmPool(m, tp, 40 * GiB, 8192).blockTokens);
          assert.deepEqual(got, row.blocks);
          const note = vllmPool(m, 1, 40 * GiB, 8192).note;
          assert.match(note, new RegExp(`in groups of ${row.groups.size};`));
          assert.match(note, new RegExp(`each request takes ${row.groups.recurrent} state block\\(s\\)`));
        });

        it('weights per GPU never rise with TP; latent projections are replicated', () => {
          weightsMonotone(m);
          const replicated = p.perLayer.reduce((s, l) => s + l.replicated, 0);
          // fc1/fc2_latent_proj (ReplicatedLinear): 0.34 B for Super, 1.61 B for Ultra, none without moe_latent_size.
          const expected = id.includes('Super') ? 0.34 : id.includes('Ultra') ? 1.61 : 0;
          assert.equal(b2(replicated), expected);
          if (replicated) {
            // Whole on every rank: at TP 8 they weigh 7/8 more than if they were split like attention.
            const split: ModelSpec = { ...m, layerParams: p.perLayer.map((l) => ({ ...l, attention: l.attention + l.replicated, replicated: 0 })) };
            const par = { tp: 8, pp: 1, ep: 1 };
            const extra = weightBytesPerGpu(m, m.weightFormat, par) - weightBytesPerGpu(split, split.weightFormat, par);
            assert.ok(Math.abs(extra - replicated * m.weightFormat.attentionBytes * (7 / 8)) < 1e3, String(extra));
          }
        });
      });
    }
  }

  it('a layout that is neither pattern nor list is refused, and an unknown pattern letter too', () => {
    const c = { ...catalogConfig('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16')! };
    delete c.hybrid_override_pattern;
    assert.throws(() => modelFromConfig('x', c), /neither hybrid_override_pattern nor layers_block_type/);
    assert.throws(() => modelFromConfig('x', { ...c, hybrid_override_pattern: 'M*X' }), /"X"/);
  });

  it('without mamba_ssm_cache_dtype the SSM state is float32; with bfloat16 it halves', () => {
    const c = catalogConfig('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16')!;
    const { mamba_ssm_cache_dtype: _, ...silent } = c;
    assert.equal(modelFromConfig('x', silent).recurrent?.stateDtypeBytes, 4);
    const half = modelFromConfig('x', { ...c, mamba_ssm_cache_dtype: 'bfloat16' });
    // conv 3 × (4096 + 2·8·128) × 2 B + SSM 64 × 64 × 128 × 2 B
    assert.equal(recurrentLayerStateBytesPerGpu(half, 1), 3 * 6144 * 2 + 64 * 64 * 128 * 2);
  });

  it('n_groups 8: TP 1/2/4/8 shard it, TP 16 is refused (vLLM mamba_mixer2.py:289); n_groups 1 shards under any TP', () => {
    const m = model('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16');
    for (const tp of [1, 2, 4, 8]) assert.equal(tensorParallelProblem(m, tp), undefined, `TP ${tp}`);
    assert.match(tensorParallelProblem(m, 16) ?? '', /8 Mamba-2 groups/);
    const one = modelFromConfig('x', { ...catalogConfig('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16')!, n_groups: 1 });
    assert.equal(tensorParallelProblem(one, 16), undefined);
    // n_groups 1 is replicated up to TP groups in the conv state (extra_groups_for_head_shards).
    assert.equal(recurrentLayerStateBytesPerGpu(one, 8), 3 * ((4096 + 8 * 256) / 8) * 2 + (64 / 8) * 64 * 128 * 4);
  });
});

describe('vLLM hybrid pool: the §1.4 worked examples (bf16 KV, mamba_cache_mode none unless prefix caching)', () => {
  it('Nemotron-3-Super, TP 1, 40 GiB, max_model_len 262144: blocks of 4160, 4,786,977 tokens', () => {
    const r = vllmPool(model('nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-FP8'), 1, 40 * GiB, 262_144);
    assert.equal(r.blockTokens, 4160);
    assert.equal(r.capacityTokens, 4_786_977);
    assert.equal(Math.round(r.maxConcurrency * (64 + 5)), 1260, 'num_blocks 1260 (64 KV blocks + 5 state blocks per request)');
  });

  it('the same with prefix caching on (mamba_cache_mode all): blocks of 4224, 860,636 tokens', () => {
    const r = vllmPool(model('nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-FP8'), 1, 40 * GiB, 262_144, true);
    assert.equal(r.mambaCacheMode, 'all');
    assert.equal(r.blockTokens, 4224);
    assert.equal(r.capacityTokens, 860_636);
  });

  it('Nemotron-3-Nano, TP 1, 60 GiB, 262144: blocks of 2096, 10,086,494 tokens', () => {
    const r = vllmPool(model('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16'), 1, 60 * GiB, 262_144);
    assert.equal(r.blockTokens, 2096);
    assert.equal(r.capacityTokens, 10_086_494);
    assert.ok(r.capacityTokens < (60 * GiB) / 6144, 'below the naive free ÷ bytes-per-token');
  });
});

describe('Nemotron-H through the public estimate', () => {
  it('Nano on one H200 (vLLM): exact, with the hybrid JSON fields', () => {
    const e = ok(plan('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16', { count: 1, mml: 32768 }));
    assert.equal(unmodelled(e), undefined);
    assert.equal(e.model.genericRead, false);
    assert.equal(b2(e.model.params), 31.58);
    assert.equal(b2(e.model.activeParams), 3.58);
    assert.equal(e.model.kvBytesPerToken, 6144);
    assert.equal(e.model.stateBytesPerRequest, 23 * 2_134_016);
    assert.equal(e.model.attentionLayers, 6);
    assert.equal(e.model.recurrentLayers, 23);
    assert.equal(e.model.windowKvBytes, 0);
    assert.equal(e.model.visionParams, 0);
    assert.equal(e.model.mtpParams, 0);
    assert.equal(e.memory.kvBlockTokens, 2096);
    assert.ok(e.memory.fits);
    assert.ok(e.memory.weightsBytesPerGpu > 31.58e9 * 2 * 0.99 && e.memory.weightsBytesPerGpu < 31.58e9 * 2 * 1.03, String(e.memory.weightsBytesPerGpu));
  });

  it('Super NVFP4 and Ultra BF16 on 8 × H200 at TP 8: exact, MTP beside the params', () => {
    const s = ok(plan('nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-NVFP4', { count: 8, tp: 8, mml: 32768 }));
    assert.equal(unmodelled(s), undefined);
    assert.equal(b2(s.model.params), 120.67);
    assert.equal(b2(s.model.mtpParams), 2.94);
    assert.equal(s.model.recurrentLayers, 40);
    const u = ok(plan('nvidia/NVIDIA-Nemotron-3-Ultra-550B-A55B-BF16', { count: 8, tp: 8, mml: 32768 }));
    assert.equal(unmodelled(u), undefined);
    assert.equal(b2(u.model.params), 549.31);
    assert.equal(u.model.layers, 108);
    assert.equal(u.model.kvBytesPerToken, 12288);
    assert.equal(u.model.stateBytesPerRequest, 48 * 8_499_200);
  });

  it('SGLang sizes a separate state pool; TP 16 is refused for n_groups 8', () => {
    const s = ok(plan('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16', { count: 1, engine: 'sglang', mml: 32768 }));
    assert.equal(unmodelled(s), undefined);
    assert.ok(s.memory.kvCapacityTokens > 0 && Number.isFinite(s.memory.maxConcurrency));
    const t = ok(plan('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16', { count: 16, tp: 16, mml: 32768 }));
    assert.ok(t.issues.some((i) => i.code === 'tp-divisibility' && /Mamba-2 groups/.test(i.message)), JSON.stringify(t.issues.map((i) => i.code)));
  });
});

describe('LFM2 family reader (short convolution + attention)', () => {
  const m = model('LiquidAI/LFM2-1.2B');
  const p = countParams(m);

  it("the other LFM2 sizes (not in the catalog; their shape fields as LiquidAI publishes them) reach their model cards' counts", () => {
    assert.equal(m.family, 'LFM2 (short convolution + attention)');
    assert.equal(p.total, 1_170_340_608);
    assert.equal(p.total, p.active);
    assert.equal(m.tiedEmbeddings, true);
    assert.equal(m.intermediate, 8192);
  });

  it('6 attention layers keep KV, 10 conv layers a (L_cache − 1) × conv_dim state in the model dtype', () => {
    assert.deepEqual(layerCounts(m), { attention: 6, recurrent: 10 });
    assert.deepEqual(m.attention.map((a, i) => (a.kind === 'full' ? i : -1)).filter((i) => i >= 0), [2, 5, 8, 10, 12, 14]);
    assert.equal(kvBytesPerToken(m, 2), 6 * 2 * 8 * 64 * 2);
    assert.equal(m.recurrent?.kind, 'short-conv');
    assert.equal(recurrentLayerStateBytesPerGpu(m, 1), 2 * 2048 * 2);
    assert.equal(stateBytesPerRequest(m), 10 * 2 * 2048 * 2);
    assert.equal(recurrentLayerStateBytesPerGpu(m, 2), 2 * 1024 * 2, 'the conv state splits by TP');
    weightsMonotone(m);
  });

  it('LFM2.5-VL-1.6B: its text model reads the same as LFM2-1.2B (layer_types, intermediate_size spellings)', () => {
    const vl = model('LiquidAI/LFM2.5-VL-1.6B');
    assert.equal(vl.family, m.family);
    assert.equal(countParams(vl).total, p.total);
    assert.deepEqual(vl.attention, m.attention);
    assert.equal(vl.unmodelled?.textModelExact ?? true, true, 'only the vision tower may be missing');
  });

  it('through the estimate: exact (at most the narrower vision-tower warning for the VL wrapper)', () => {
    const e = ok(plan('LiquidAI/LFM2-1.2B', { gpu: 'L4', count: 1, mml: 32768 }));
    assert.equal(unmodelled(e), undefined);
    assert.equal(e.model.attentionLayers, 6);
    assert.equal(e.model.recurrentLayers, 10);
    assert.equal(e.model.stateBytesPerRequest, 81_920);
    assert.equal(e.model.kvBytesPerToken, 12_288);
    const vl = ok(plan('LiquidAI/LFM2.5-VL-1.6B', { gpu: 'L4', count: 1, mml: 32768 }));
    assert.equal(vl.model.genericRead, false);
    const w = unmodelled(vl);
    if (w) assert.match(w.message, /not counted in the weights/);
  });

  it('the other LFM2 sizes (not in the catalog; their shape fields as LiquidAI publishes them) reach their model cards\' counts', () => {
    const lfm = (hidden: number, heads: number, ff: number) => ({ ...catalogConfig('LiquidAI/LFM2-1.2B')!, hidden_size: hidden, block_dim: hidden, conv_dim: hidden, conv_dim_out: hidden, num_attention_heads: heads, num_heads: heads, block_ff_dim: ff });
    // block_ff_dim 6656 → int(2·6656/3) = 4437 → 4608; 10240 → 6826 → 6912 (rounded up to block_multiple_of 256).
    assert.equal(countParams(modelFromConfig('LiquidAI/LFM2-350M', lfm(1024, 16, 6656))).total, 354_483_968);
    assert.equal(countParams(modelFromConfig('LiquidAI/LFM2-700M', lfm(1536, 24, 10240))).total, 742_489_344);
  });

  it('without layer_types or full_attn_idxs the layout is refused', () => {
    const { full_attn_idxs: _, ...c } = catalogConfig('LiquidAI/LFM2-1.2B')!;
    assert.throws(() => modelFromConfig('x', c), /neither layer_types nor full_attn_idxs/);
  });
});

describe('Falcon family reader', () => {
  // Shapes (vLLM falcon.py): per layer fused QKV d × (H + 2·KV)·64, dense d², MLP 2 × d × 4d, two LayerNorms with
  // bias (ln_attn, ln_mlp); word embeddings shared with lm_head; ln_f with bias.
  const shapeCount = (d: number, h: number, kv: number, layers: number, lns: number) =>
    layers * (d * (h + 2 * kv) * 64 + d * d + 8 * d * d + lns * 2 * d) + 65024 * d + 2 * d;

  it('falcon-40b: 41.30 B as vLLM loads it (published "40B"; 41.84 B with the lm_head copy the checkpoint stores)', () => {
    const m = model('tiiuae/falcon-40b');
    const p = countParams(m);
    assert.equal(m.family, 'Falcon');
    assert.equal(p.total, shapeCount(8192, 128, 8, 60, 2));
    assert.equal(b2(p.total), 41.30);
    assert.equal(b2(p.total + 65024 * 8192), 41.84);
    assert.equal(m.kvHeads, 8);
    assert.equal(m.tiedEmbeddings, true);
    assert.equal(m.maxPositions, 2048, 'FalconConfig default max_position_embeddings');
    assert.equal(kvBytesPerToken(m, 2), 60 * 2 * 8 * 64 * 2);
    weightsMonotone(m);
  });

  it('falcon-180B: 178.56 B as vLLM loads it (179.52 B counting a separate lm_head)', () => {
    const m = model('tiiuae/falcon-180B-chat');
    const p = countParams(m);
    assert.equal(p.total, shapeCount(14848, 232, 8, 80, 2));
    assert.equal(b2(p.total), 178.56);
    assert.equal(b2(p.total + 65024 * 14848), 179.52);
    assert.equal(kvBytesPerTokenPerGpu(m, 2, { tp: 8, pp: 1, ep: 1 }), 80 * 2 * 1 * 64 * 2);
    weightsMonotone(m);
  });

  it('Falcon-7B layout (multi_query, one KV head, a single input_layernorm, not in the catalog): read from its shape fields', () => {
    const c = { model_type: 'falcon', architectures: ['FalconForCausalLM'], hidden_size: 4544, n_head: 71, n_layer: 32, multi_query: true, parallel_attn: true, new_decoder_architecture: false, bias: false, vocab_size: 65024 };
    const m = modelFromConfig('tiiuae/falcon-7b', c);
    assert.equal(m.kvHeads, 1);
    assert.equal(m.normsPerLayer, 1);
    assert.equal(countParams(m).total, shapeCount(4544, 71, 1, 32, 1));
    assert.ok(countParams(m).total > 6.9e9 && countParams(m).total < 7.0e9);
  });

  it('through the estimate: exact, no generic-decoder warning', () => {
    const e = ok(plan('tiiuae/falcon-40b', { count: 2, tp: 2, mml: 2048 }));
    assert.equal(unmodelled(e), undefined);
    assert.equal(e.model.genericRead, false);
    assert.equal(b2(e.model.params), 41.30);
    assert.equal(e.model.attentionLayers, 60);
    assert.equal(e.model.recurrentLayers, 0);
    assert.equal(e.model.stateBytesPerRequest, 0);
    assert.equal(windowKvBytesPerToken(model('tiiuae/falcon-40b'), 2), 0);
  });
});
