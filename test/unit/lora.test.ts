/**
 * LoRA serving memory (estimator/lora.ts) against the engines' own buffer shapes, and the LoRA options of each
 * engine's formats (formats/lora.ts). The expected figures are worked by hand from the code cited in each test, not
 * from the estimator.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { loraMemory, resolveLora, slotsWithinShare, tgiPaddedRank, rankToSet } from '../../server/src/estimator/lora';
import { modelFromConfig } from '../../server/src/estimator/model';
import { componentBytes } from '../../server/src/estimator/memoryPlan';
import { parseVersion } from '../../server/src/estimator/engines/types';
import { vllmOptions } from '../../server/src/formats/vllm';
import { sglangOptions } from '../../server/src/formats/sglang';
import { tgiOptions } from '../../server/src/formats/tgi';
import type { OptionEntry } from '../../server/src/formats/engineOptions';
import { byDefault, DeploymentPlan, EngineKnobs, EngineName, LoraKnobs, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { memorySegments } from '../../server/src/report/data';
import { estimateMarkdown } from '../../server/src/report/markdown';

const MiB = 2 ** 20;
const cli = (flag: string) => ({ kind: 'cli' as const, flag });
const llama8b = () => modelFromConfig('meta-llama/Llama-3.1-8B-Instruct', catalogConfig('meta-llama/Llama-3.1-8B-Instruct')!);
const knobs = (over: Partial<LoraKnobs> = {}): LoraKnobs => ({ adapters: [], ...over });
const v = (s: string) => parseVersion(s, '0.21');

function plan(engine: EngineName, k: EngineKnobs, version?: string): DeploymentPlan {
  return {
    name: 'lora', model: { ref: sourced('meta-llama/Llama-3.1-8B-Instruct', cli('model')) },
    hardware: { gpu: sourced('H100-SXM', cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')), ...(version ? { version: sourced(version, cli('engine-version')) } : {}) },
    knobs: k, workload: defaultWorkload(),
  };
}
function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  return r.estimate;
}

describe('LoRA slot memory (estimator/lora.ts)', () => {
  it("vLLM: one rank-16 slot of Llama-3.1-8B is 80 / 54 / 41 MiB at TP 1 / 2 / 4, as vLLM's LoRA layers allocate it", () => {
    // vllm/lora/layers: MergedQKVParallelLinearWithLoRA A 3 × (r, 4096) replicated, B (r, 4096/t + 2·1024/t);
    // RowParallelLinearWithLoRA o_proj A (r, 4096/t), B (4096, r) replicated; MergedColumnParallel gate_up A 2 × (r, 4096),
    // B 2 × (14336/t, r); down_proj A (r, 14336/t), B (4096, r). 32 layers, bf16.
    const r = 16;
    const perLayer = (t: number) => 3 * r * 4096 + r * (4096 / t + 2048 / t) + (r * 4096) / t + r * 4096 + 2 * r * 4096 + (r * 2 * 14336) / t + (r * 14336) / t + r * 4096;
    const m = llama8b();
    const lora = resolveLora('vllm', knobs(), undefined, undefined, v('0.12'), m)!;
    assert.deepEqual(lora.modules, ['qkv_proj', 'o_proj', 'gate_up_proj', 'down_proj']);
    for (const [t, mib] of [[1, 80], [2, 54], [4, 41]] as const) {
      const mem = loraMemory(m, lora, { tp: t, pp: 1, ep: 1 }, 2, 8192, 256);
      assert.equal(mem.bytesPerSlotPerGpu, perLayer(t) * 32 * 2, `TP ${t}`);
      assert.equal(Math.round(mem.bytesPerSlotPerGpu / MiB), mib, `TP ${t}`);
    }
  });

  it('is linear in max-loras and max-lora-rank (rank 64, 4 slots = 16 × the rank-16 slot)', () => {
    const m = llama8b();
    const one = loraMemory(m, resolveLora('vllm', knobs(), 1, 16, v('0.12'), m)!, { tp: 1, pp: 1, ep: 1 }, 2, 8192, 256);
    const big = loraMemory(m, resolveLora('vllm', knobs(), 4, 64, v('0.12'), m)!, { tp: 1, pp: 1, ep: 1 }, 2, 8192, 256);
    assert.equal(big.bytesPerSlotPerGpu * 4, 16 * one.bytesPerSlotPerGpu);
    // Punica metadata (punica_base.py: 5 int64 of T, 3 of max_num_seqs; two LoRAKernelMeta) and the fp32 shrink buffer.
    assert.ok(big.metadataBytesPerGpu > 0 && big.metadataBytesPerGpu < 8 * MiB);
    assert.equal(big.bytesPerGpu, 4 * big.bytesPerSlotPerGpu + big.metadataBytesPerGpu);
  });

  it('vLLM before 0.12: embed_tokens and lm_head slots with the extra vocabulary, and the base rows it adds', () => {
    // Old vocal_parallel_embedding.py: A (org_vocab + extra, r), B (hidden, r), embeddings_tensors (extra, hidden);
    // old logits_processor.py: A (r, hidden), B (ceil((vocab + extra)/256)·256, r), embeddings_tensors (extra, hidden).
    const m = llama8b();
    const r = 16;
    const x = 256;
    const V = 128256;
    const H = 4096;
    const old = loraMemory(m, resolveLora('vllm', knobs(), 1, r, v('0.11'), m)!, { tp: 1, pp: 1, ep: 1 }, 2, 8192, 256);
    const now = loraMemory(m, resolveLora('vllm', knobs(), 1, r, v('0.12'), m)!, { tp: 1, pp: 1, ep: 1 }, 2, 8192, 256);
    const vocab = (V + x) * r + H * r + x * H + r * H + Math.ceil((V + x) / 256) * 256 * r + x * H;
    assert.equal(old.bytesPerSlotPerGpu - now.bytesPerSlotPerGpu, vocab * 2);
    // llama.py ≤ 0.11: embed_tokens gains extra × max_loras rows, lm_head extra rows.
    assert.equal(old.extraVocabWeightBytesPerGpu, (x * 1 + x) * H * 2);
    assert.equal(now.extraVocabWeightBytesPerGpu, 0);
  });

  it('--fully-sharded-loras shards the replicated halves too', () => {
    const m = llama8b();
    const plain = loraMemory(m, resolveLora('vllm', knobs(), 1, 16, v('0.12'), m)!, { tp: 4, pp: 1, ep: 1 }, 2, 8192, 256);
    const fs = loraMemory(m, resolveLora('vllm', knobs({ fullySharded: sourced(true, cli('fs')) }), 1, 16, v('0.12'), m)!, { tp: 4, pp: 1, ep: 1 }, 2, 8192, 256);
    assert.ok(fs.bytesPerSlotPerGpu < plain.bytesPerSlotPerGpu);
  });

  it('SGLang: 8 slots by default, rank and target modules from the adapters (LoRAMemoryPool shapes)', () => {
    const m = llama8b();
    const adapters = [{ name: 'a', path: '/a', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, config: { rank: 32, targetModules: ['q_proj', 'v_proj'] } }];
    const lora = resolveLora('sglang', knobs({ adapters }), undefined, undefined, v('0.5'), m)!;
    assert.equal(lora.slots, 8);
    assert.equal(lora.rank, 32);
    assert.deepEqual(lora.modules, ['qkv_proj']);
    // get_lora_A_shape (slots, 3·r, 4096), get_lora_B_shape (slots, 4096 + 2·1024, r): q_proj/v_proj stack into qkv_proj.
    const mem = loraMemory(m, lora, { tp: 1, pp: 1, ep: 1 }, 2, 8192, 256);
    assert.equal(mem.bytesPerGpu, 8 * 32 * (3 * 32 * 4096 + 32 * 6144) * 2);
  });

  it('TGI: every adapter resident at its rank padded as punica_sgmv.pad_rank does', () => {
    assert.deepEqual([tgiPaddedRank(4, 1), tgiPaddedRank(8, 1), tgiPaddedRank(16, 1), tgiPaddedRank(20, 1), tgiPaddedRank(16, 4)], [8, 8, 16, 24, 32]);
    const m = llama8b();
    const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const lora = resolveLora('tgi', knobs({ adapters: [{ name: 'a', path: 'x/a', range: at }, { name: 'b', path: 'x/b', range: at }] }), undefined, undefined, v('3.3'), m)!;
    assert.equal(lora.slots, 2);
    assert.ok(lora.notes.some((n) => /rank 16/.test(n)));
  });

  it('the rank vLLM accepts (config/lora.py possible ranks) and the slots a share of the budget holds', () => {
    assert.deepEqual([rankToSet('vllm', 24), rankToSet('vllm', 32), rankToSet('vllm', 300), rankToSet('sglang', 24)], [32, 32, 320, 24]);
    const mem = { bytesPerGpu: 8 * 100 + 4, bytesPerSlotPerGpu: 100, extraVocabWeightBytesPerGpu: 0, metadataBytesPerGpu: 4, hostBytesPerWorker: 0, source: '' };
    // 10 % of (804 + 1196) = 200: one slot (100) + metadata (4) fits, two (204) do not.
    assert.equal(slotsWithinShare(mem, 1196, 0.1), 1);
  });
});

describe('LoRA slots in the KV budget (memoryPlan.ts)', () => {
  for (const engine of ['vllm', 'sglang', 'tgi'] as const) {
    it(`${engine}: the pool shrinks by exactly the adapter slots, shown as a named component`, () => {
      const base = ok(plan(engine, {}));
      const lora: LoraKnobs = { adapters: engine === 'tgi' ? [{ name: 'a', path: 'org/a', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [] };
      const withLora = ok(plan(engine, { lora: sourced(lora, cli('enable-lora')), ...(engine !== 'tgi' ? { maxLoras: sourced(4, cli('max-loras')), maxLoraRank: sourced(64, cli('max-lora-rank')) } : {}) }));
      const slots = componentBytes(withLora.memory.components, 'loraSlots');
      assert.ok(slots > 0 && slots === withLora.memory.lora?.bytesPerGpu);
      const tgiWiggle = engine === 'tgi' ? 0.93 : 1;
      assert.ok(Math.abs(base.memory.kvPoolBytesPerGpu - withLora.memory.kvPoolBytesPerGpu - tgiWiggle * slots) < 1, `${engine}: ${base.memory.kvPoolBytesPerGpu - withLora.memory.kvPoolBytesPerGpu} vs ${slots}`);
      assert.equal(withLora.memory.components.find((c) => c.name === 'loraSlots')?.budget, 'deducted');
      // The report's memory bar and the markdown table name it.
      assert.ok(memorySegments(withLora).some((s) => s.label === 'adapter slots' && s.gib > 0));
      assert.match(estimateMarkdown(withLora, []), /\| Adapter slots \(LoRA\) \| \d+\.\d\d GiB \|/);
      assert.ok(!memorySegments(base).some((s) => s.label === 'adapter slots'));
    });
  }
});

describe('LoRA options in every format (formats/lora.ts)', () => {
  const at = (line: number, s: number, e: number) => ({ start: { line, character: s }, end: { line, character: e } });
  const entry = (key: string, value: unknown, line: number, items?: string[]): OptionEntry => ({ key, value, keyRange: at(line, 0, key.length), valueRange: at(line, 20, 40), ...(items ? { items: items.map((t, i) => ({ text: t, range: at(line, 20 + 10 * i, 28 + 10 * i) })) } : {}) });

  it('vLLM: --enable-lora, the limits, name=path and JSON --lora-modules, each adapter with its own range', () => {
    const o = vllmOptions([
      entry('model', 'meta-llama/Llama-3.1-8B-Instruct', 0), entry('enable-lora', true, 1), entry('max-loras', '4', 2), entry('max-lora-rank', '64', 3),
      entry('max-cpu-loras', '12', 4), entry('lora-modules', ['sql=/m/sql', '{"name": "chat", "path": "/m/chat"}'], 5, ['sql=/m/sql', '{"name": "chat", "path": "/m/chat"}']),
      entry('lora-extra-vocab-size', '512', 6),
    ], { loadLocalAdapter: (p) => (p === '/m/sql' ? { r: 8, target_modules: ['q_proj'] } : undefined) });
    assert.deepEqual(o.problems, []);
    assert.equal(o.knobs.maxLoras?.value, 4);
    assert.equal(o.knobs.maxLoraRank?.value, 64);
    const l = o.knobs.lora!.value;
    assert.equal(l.maxCpuLoras?.value, 12);
    assert.equal(l.extraVocabSize?.value, 512);
    assert.deepEqual(l.adapters.map((a) => [a.name, a.path, a.range.start.character, a.config?.rank]), [['sql', '/m/sql', 20, 8], ['chat', '/m/chat', 30, undefined]]);
  });

  it('vLLM: --max-lora-rank outside the ranks vLLM allows is an error on its value', () => {
    const o = vllmOptions([entry('enable-lora', true, 0), entry('max-lora-rank', '24', 1)], {});
    assert.ok(o.problems.some((p) => p.code === 'invalid-value' && p.range.start.line === 1));
  });

  it('vLLM: lora-modules without --enable-lora turns nothing on', () => {
    assert.equal(vllmOptions([entry('lora-modules', 'sql=/m/sql', 0)], {}).knobs.lora, undefined);
  });

  it('SGLang: --lora-paths implies LoRA; bare paths name themselves; JSON lora_name / lora_path', () => {
    const o = sglangOptions([entry('lora-paths', ['/m/a', 'b=/m/b', '{"lora_name": "c", "lora_path": "/m/c", "pinned": true}'], 0, ['/m/a', 'b=/m/b', '{"lora_name": "c", "lora_path": "/m/c", "pinned": true}']), entry('max-loras-per-batch', '2', 1)], {});
    assert.deepEqual(o.problems, []);
    assert.equal(o.knobs.maxLoras?.value, 2);
    assert.deepEqual(o.knobs.lora!.value.adapters.map((a) => [a.name, a.path]), [['/m/a', '/m/a'], ['b', '/m/b'], ['c', '/m/c']]);
  });

  it('TGI: LORA_ADAPTERS is a comma list of id, id@revision and name=/path', () => {
    const o = tgiOptions([entry('lora-adapters', 'predibase/customer_support,org/x@main,local=/data/a', 0)]);
    assert.deepEqual(o.knobs.lora!.value.adapters.map((a) => [a.name, a.path]), [['predibase/customer_support', 'predibase/customer_support'], ['org/x@main', 'org/x'], ['local', '/data/a']]);
  });
});

describe('vLLM LoRA settings the engine refuses', () => {
  it('max-cpu-loras below max-loras is an invalid-value error on the flag (LoRAConfig: "max_cpu_loras must be >= max_loras")', () => {
    const src = { kind: 'file' as const, range: { start: { line: 3, character: 2 }, end: { line: 3, character: 3 } }, key: 'max-cpu-loras' };
    const r = estimate(plan('vllm', { lora: sourced(knobs({ maxCpuLoras: sourced(2, src) }), cli('enable-lora')), maxLoras: sourced(4, cli('max-loras')) }));
    assert.ok(r.ok);
    const issue = r.estimate.issues.find((i) => i.code === 'invalid-value' && /max-cpu-loras 2 is below max-loras 4/.test(i.message));
    assert.ok(issue, JSON.stringify(r.estimate.issues));
    assert.deepEqual(issue.source, src);
    const fine = estimate(plan('vllm', { lora: sourced(knobs({ maxCpuLoras: sourced(4, src) }), cli('enable-lora')), maxLoras: sourced(4, cli('max-loras')) }));
    assert.ok(fine.ok && !fine.estimate.issues.some((i) => i.code === 'invalid-value'));
  });
});
