/** Multimodal terms against the engines' own formulas (each test names the vLLM code it follows). */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as fs from 'node:fs';
import { encoderBudgetTokens, encoderCacheBytes, imageProcessor, maxPixelsForTokens, maxTokensPerImage, multimodalMemory, profiledItems } from '../../server/src/estimator/multimodal';
import { modelFromConfig } from '../../server/src/estimator/model';
import { mmLimitsFrom, mmLimitsText } from '../../server/src/formats/multimodal';
import { fixture } from '../support/paths';
import { analyze } from '../../server/src/pipeline';

const hub = (name: string) => JSON.parse(fs.readFileSync(`${__dirname}/../../../../shared/research/hub-configs/${name}.json`, 'utf8')) as Record<string, unknown>;

describe('multimodal: tokens per image', () => {
  it('Qwen2.5-VL: the largest image is a square of floor(√max_pixels / 28)² tokens (qwen2_vl.py get_image_size_with_most_features + smart_resize)', () => {
    const p = imageProcessor(hub('Qwen--Qwen2.5-VL-7B-Instruct'))!;
    assert.equal(p.kind, 'merged-patches');
    assert.equal(maxTokensPerImage(p), 16384); // 12 845 056 = 16 384 × 28²: the model card's ceiling
    assert.equal(maxTokensPerImage(p, 1280 * 28 * 28), 35 * 35); // √1 003 520 = 1001.8 → 35 merged patches a side
    assert.equal(maxPixelsForTokens(p as Extract<typeof p, { kind: 'merged-patches' }>, 1280), 35 * 35 * 28 * 28);
  });
  it('Qwen3-VL: patch 16 × merge 2, factor 32', () => {
    const p = imageProcessor(hub('Qwen--Qwen3-VL-8B-Instruct'))!;
    assert.equal(p.kind === 'merged-patches' && p.patch * p.merge, 32);
    assert.equal(maxTokensPerImage(p), 16384);
  });
  it('InternVL: (max_dynamic_patch + thumbnail) tiles × 256 tokens (internvl.py get_max_image_tokens)', () => {
    const p = imageProcessor({ model_type: 'internvl_chat', force_image_size: 448, downsample_ratio: 0.5, max_dynamic_patch: 12, vision_config: { patch_size: 14, hidden_size: 1024, intermediate_size: 4096 } })!;
    assert.equal(maxTokensPerImage(p), 13 * 256);
  });
});

describe('multimodal: vLLM encoder budget and profile (encoder_cache_manager.py compute_encoder_budget, budget.py _get_max_items)', () => {
  it('budget = max(max_num_batched_tokens, M)', () => {
    assert.equal(encoderBudgetTokens(16384, 8192), 16384);
    assert.equal(encoderBudgetTokens(1225, 8192), 8192);
  });
  it('items per batch = max(1, min(E // M, max_num_seqs × max(1, min(limit, max_model_len // M))))', () => {
    assert.equal(profiledItems(16384, 16384, 256, 8, 32768), 1);
    assert.equal(profiledItems(8192, 1225, 256, 4, 32768), 6);
    assert.equal(profiledItems(8192, 1225, 1, 2, 32768), 2);
  });
  it('cache rows widen to the budget (gpu_model_runner.py profile_run): items × max(M, E) × hidden × dtype', () => {
    assert.equal(encoderCacheBytes(1, 16384, 16384, 3584, 2), 16384 * 3584 * 2);
    assert.equal(encoderCacheBytes(6, 1225, 8192, 3584, 2), 6 * 8192 * 3584 * 2);
  });
});

describe('multimodal: what loads', () => {
  const raw = hub('Qwen--Qwen2.5-VL-7B-Instruct');
  const model = modelFromConfig('Qwen/Qwen2.5-VL-7B-Instruct', raw);
  const base = { engine: 'vllm' as const, model, raw, tp: 2, maxNumBatchedTokens: 8192, maxNumSeqs: 256, maxModelLen: 32768, lmActivationBytes: 0 };
  it('limit 0 for every modality and --language-model-only skip the tower; data mode replicates it', () => {
    assert.equal(multimodalMemory({ ...base, limits: mmLimitsFrom('image=0,video=0') })!.towerLoaded, false);
    assert.equal(multimodalMemory({ ...base, languageOnly: true })!.towerLoaded, false);
    assert.equal(multimodalMemory({ ...base })!.towerReplicated, false);
    assert.equal(multimodalMemory({ ...base, tpMode: 'data' })!.towerReplicated, true);
  });
  it('SGLang sizes no encoder cache', () => {
    assert.equal(multimodalMemory({ ...base, engine: 'sglang' })!.encoderCacheBytes, 0);
  });
});

describe('multimodal: parsing --limit-mm-per-prompt', () => {
  it('JSON, JSON with dummy sizes, and the legacy form; fixes keep the form', () => {
    assert.deepEqual(mmLimitsFrom('{"image": 2, "video": 0}'), { counts: { image: 2, video: 0 }, form: 'json' });
    assert.deepEqual(mmLimitsFrom({ image: { count: 3, width: 512, height: 512 } }), { counts: { image: 3 }, form: 'json' });
    assert.deepEqual(mmLimitsFrom('image=2,video=1'), { counts: { image: 2, video: 1 }, form: 'legacy' });
    assert.equal(mmLimitsText({ counts: { image: 1, video: 0 }, form: 'legacy' }), 'image=1,video=0');
    assert.equal(mmLimitsFrom('image=lots'), undefined);
  });
  it('the fixtures: ranges kept, tower and encoder cache named in the memory components, image tokens in the prompt', () => {
    const f = fixture('kubernetes', 'vllm-qwen2.5-vl-images.yaml');
    const a = analyze(`file://${f}`, fs.readFileSync(f, 'utf8'));
    const w = a.workloads[0];
    assert.equal(w.plan!.knobs.mmLimits!.source.kind, 'file');
    assert.equal(w.plan!.knobs.mmProcessorKwargs!.value.max_pixels, 12845056);
    const names = w.estimate!.memory.components.map((c) => c.name);
    for (const n of ['tower', 'encoderCache'] as const) assert.ok(names.includes(n), names.join());
    assert.equal(w.estimate!.workload.inputLen, 32768 - 300); // 600 + 2 × 16 384 cut to max-model-len
    const t = fixture('kubernetes', 'vllm-qwen2.5-vl-text-only.yaml');
    const text = analyze(`file://${t}`, fs.readFileSync(t, 'utf8')).workloads[0].estimate!;
    assert.ok(!text.memory.components.some((c) => c.name === 'tower'));
    assert.ok(text.memory.weightsBytesPerGpu < w.estimate!.memory.weightsBytesPerGpu);
  });
});

describe('multimodal: --mm-encoder-tp-mode (vllm/config/multimodal.py MMEncoderTPMode; vision.py run_dp_sharded_vision_model)', () => {
  it('data keeps the whole tower on every rank: tower bytes per GPU × TP against weights mode', () => {
    const yaml = (mode: string) => `# deploy-advisor: gpu=H100-SXM count=2\nmodel: Qwen/Qwen2.5-VL-7B-Instruct\ntensor-parallel-size: 2\nmm-encoder-tp-mode: ${mode}\n`;
    const tower = (mode: string) => analyze('file:///tmp/vl.vllm.yaml', yaml(mode)).workloads[0].estimate!.memory.components.find((c) => c.name === 'tower')!.bytesPerGpu;
    const ratio = tower('data') / tower('weights');
    assert.ok(ratio > 1.9 && ratio <= 2.0001, String(ratio));
  });
});
