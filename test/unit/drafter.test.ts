/**
 * The speculative drafter's memory terms (estimator/drafter.ts) against the engines' own code:
 * vLLM v1 spec_decode/eagle.py (EagleProposer.load_model shares embed_tokens, and lm_head except for EAGLE-3),
 * llama_eagle3.py (fc 3·d → d, first qkv_proj over 2·d), deepseek_mtp.py (the checkpoint's MTP layers, reused per
 * step), the draft-model proposer with draft_tensor_parallel_size, v1/core/sched/scheduler.py (num_lookahead_tokens),
 * and SGLang's eagle_worker.py (draft ModelRunner after the target's pool).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { analyze } from '../../server/src/pipeline';
import { planEdits } from '../../server/src/edits/apply';
import { fixture } from '../support/paths';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { drafterMemory, eagleParams, eagleShape } from '../../server/src/estimator/drafter';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { GiB } from '../../server/src/estimator/memory';
import { modelFromConfig } from '../../server/src/estimator/model';
import { bf16Format } from '../../server/src/estimator/quantization';
import type { SpeculativeConfig } from '../../server/src/estimator/speculative';
import { byDefault, DeploymentPlan, EngineName, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';

const cli = (flag: string) => ({ kind: 'cli' as const, flag });
const llama8b = modelFromConfig('meta-llama/Llama-3.1-8B-Instruct', catalogConfig('meta-llama/Llama-3.1-8B-Instruct')!);

/** yuhuili/EAGLE3-LLaMA3.1-Instruct-8B config.json (LlamaForCausalLMEagle3): one layer, 32 000-token draft vocabulary. */
const eagle3Llama8b = {
  architectures: ['LlamaForCausalLMEagle3'], hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336,
  num_hidden_layers: 1, vocab_size: 128256, draft_vocab_size: 32000, torch_dtype: 'float16',
};

function plan(model: string, engine: EngineName, spec: SpeculativeConfig | undefined, tp = 1, gpu = 'H100-SXM'): DeploymentPlan {
  return {
    name: 'drafter',
    model: { ref: sourced(model, cli('model')) },
    hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')) },
    knobs: { ...(tp > 1 ? { tensorParallel: sourced(tp, cli('tp')) } : {}), ...(spec ? { speculative: sourced(spec, cli('speculative-config')) } : {}), maxModelLen: sourced(8192, cli('max-model-len')) },
    workload: defaultWorkload(),
  };
}

function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  return r.estimate;
}
const drafter = (e: Estimate) => e.memory.components.find((c) => c.name === 'drafter');

describe('speculative drafter memory (drafter.ts)', () => {
  it('EAGLE-3 head of Llama-3.1-8B from its config: one layer, qkv over 2·d, fc 3·d → d, its own 32k lm_head', () => {
    const s = eagleShape('eagle3', llama8b, eagle3Llama8b);
    const p = eagleParams('eagle3', s);
    // qkv 8192 × 6144 + o 4096² + MLP 3 × 4096 × 14336 + lm_head 32000 × 4096 (TP-sharded);
    // fc 12288 × 4096 + input/hidden/post-attention norms + final norm (whole on every rank).
    assert.equal(p.sharded, 8192 * 6144 + 4096 * 4096 + 3 * 4096 * 14336 + 32000 * 4096);
    assert.equal(p.replicated, 12288 * 4096 + 4 * 4096);
    // ≈ 0.42 B parameters: the published checkpoint's ~0.85 GB of 16-bit weights.
    assert.ok(Math.abs(p.sharded + p.replicated - 424.7e6) < 0.1e6, String(p.sharded + p.replicated));
    const d = drafterMemory({ spec: { method: 'eagle3', numTokens: 3, draftModel: 'yuhuili/EAGLE3-LLaMA3.1-Instruct-8B' }, target: llama8b, format: bf16Format, kvElem: 2, par: { tp: 1, pp: 1, ep: 1 }, engine: 'vllm', draftConfig: eagle3Llama8b });
    assert.equal(d.weightsBytesPerGpu, (p.sharded + p.replicated) * 2);
    // One more KV layer: 2 × 8 KV heads × 128 × 2 B; 3 lookahead slots per running request (scheduler.py).
    assert.deepEqual([d.kvLayers, d.kvBytesPerTokenPerGpu, d.lookaheadTokens], [1, 4096, 3]);
    assert.equal(d.unmodelled, undefined);
    assert.match(d.note, /from yuhuili\/EAGLE3-LLaMA3.1-Instruct-8B's config/);
  });

  it('EAGLE-1 shares the target lm_head; an unknown head is assumed target-shaped and says so', () => {
    const s = eagleShape('eagle', llama8b);
    assert.deepEqual([s.hidden, s.kvHeads, s.intermediate, s.layers, s.ownVocab], [4096, 8, 14336, 1, 0]);
    const p = eagleParams('eagle', s);
    assert.equal(p.sharded, 4096 * 6144 + 4096 * 4096 + 3 * 4096 * 14336);
    assert.equal(p.replicated, 8192 * 4096 + 3 * 4096);
    const d = drafterMemory({ spec: { method: 'eagle', numTokens: 2, draftModel: 'someone/unknown-eagle' }, target: llama8b, format: bf16Format, kvElem: 2, par: { tp: 2, pp: 1, ep: 1 }, engine: 'vllm' });
    // Under TP 2 the layer's linears split, fc and norms stay whole (ReplicatedLinear / plain norms).
    assert.equal(d.weightsBytesPerGpu, (p.sharded * 2) / 2 + p.replicated * 2);
    assert.equal(d.kvBytesPerTokenPerGpu, 2048);
    assert.match(d.note, /assumed: someone\/unknown-eagle's config is not known/);
  });

  it('n-gram and suffix drafting load nothing and reserve no lookahead slots', () => {
    for (const method of ['ngram', 'suffix']) {
      const d = drafterMemory({ spec: { method, numTokens: 4 }, target: llama8b, format: bf16Format, kvElem: 2, par: { tp: 1, pp: 1, ep: 1 }, engine: 'vllm' });
      assert.deepEqual([d.weightsBytesPerGpu, d.kvBytesPerTokenPerGpu, d.lookaheadTokens], [0, 0, 0], method);
    }
    const base = ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'vllm', undefined));
    const ngram = ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'vllm', { method: 'ngram', numTokens: 4 }));
    assert.equal(drafter(ngram), undefined);
    assert.deepEqual([ngram.memory.kvPoolBytesPerGpu, ngram.memory.kvCapacityTokens], [base.memory.kvPoolBytesPerGpu, base.memory.kvCapacityTokens]);
  });

  it('vLLM: the drafter is deducted before the KV budget and its layer grows every token of the pool', () => {
    const base = ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'vllm', undefined));
    const e = ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'vllm', { method: 'eagle3', numTokens: 3 }));
    const c = drafter(e)!;
    assert.equal(c.budget, 'deducted');
    // Unknown EAGLE-3 head: the target's width and its own lm_head over the full vocabulary (~0.96 B in bf16).
    assert.ok(c.bytesPerGpu > 1.5 * GiB && c.bytesPerGpu < 2 * GiB, String(c.bytesPerGpu / GiB));
    assert.ok(Math.abs(base.memory.kvPoolBytesPerGpu - e.memory.kvPoolBytesPerGpu - c.bytesPerGpu) < 1e3);
    assert.equal(e.memory.kvBytesPerTokenPerGpu, base.memory.kvBytesPerTokenPerGpu * 33 / 32);
    assert.ok(e.memory.kvCapacityTokens < base.memory.kvCapacityTokens);
    // A max-length request holds its 8192 tokens of 33 layers plus 3 lookahead slots.
    assert.equal(e.memory.kvBytesPerMaxLenRequest, (8192 + 3) * e.memory.kvBytesPerTokenPerGpu);
    assert.ok(e.assumptions.some((a) => /EAGLE3 drafter \(assumed/.test(a)), e.assumptions.join('\n'));
  });

  it('MTP on DeepSeek-V3: the checkpoint\'s MTP layer as the drafter, one more MLA layer of KV', () => {
    const base = ok(plan('deepseek-ai/DeepSeek-V3', 'vllm', undefined, 8, 'H200'));
    const e = ok(plan('deepseek-ai/DeepSeek-V3', 'vllm', { method: 'mtp', numTokens: 1 }, 8, 'H200'));
    const c = drafter(e)!;
    assert.ok(e.model.mtpParams > 11e9 && e.model.mtpParams < 15e9, String(e.model.mtpParams));
    // FP8 checkpoint: ≈ 1 B per MTP parameter, split over TP 8; not in the target's weights.
    assert.ok(Math.abs(c.bytesPerGpu - (e.model.mtpParams * 1.0002) / 8) < 0.01 * GiB, String(c.bytesPerGpu / GiB));
    assert.equal(e.memory.weightsBytesPerGpu, base.memory.weightsBytesPerGpu);
    // MLA's latent (576 × 2 B) is one never-split head: 61 → 62 layers per token.
    assert.ok(Math.abs(e.memory.kvBytesPerTokenPerGpu - (base.memory.kvBytesPerTokenPerGpu * 62) / 61) < 1e-6);
  });

  it('MTP asked of a checkpoint without MTP layers is a finding, not a number', () => {
    const e = ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'vllm', { method: 'mtp', numTokens: 1 }));
    assert.equal(drafter(e), undefined);
    assert.ok(e.issues.some((i) => i.code === 'drafter-not-counted'));
  });

  it('a draft model: its own weights at draft_tensor_parallel_size and its own KV layers in the shared pool', () => {
    const spec = (tp?: number): SpeculativeConfig => ({ method: 'draft_model', numTokens: 4, draftModel: 'meta-llama/Llama-3.2-1B-Instruct', ...(tp ? { draftTensorParallel: tp } : {}) });
    const base = ok(plan('meta-llama/Llama-3.1-70B-Instruct', 'vllm', undefined, 4));
    const sharded = ok(plan('meta-llama/Llama-3.1-70B-Instruct', 'vllm', spec(), 4));
    const whole = ok(plan('meta-llama/Llama-3.1-70B-Instruct', 'vllm', spec(1), 4));
    // Llama-3.2-1B: 1.24 B parameters (tied embeddings), 2.3 GiB in bf16 whole; about a quarter of it per GPU at TP 4.
    assert.ok(Math.abs(drafter(whole)!.bytesPerGpu / GiB - 2.31) < 0.05, String(drafter(whole)!.bytesPerGpu / GiB));
    assert.ok(drafter(sharded)!.bytesPerGpu < drafter(whole)!.bytesPerGpu / 3.5);
    // Its 16 layers × 8 KV heads × 64 dims: 2 × 8 × 64 × 2 B × 16 / 4 GPUs = 8 KiB per token more per GPU.
    assert.equal(sharded.memory.kvBytesPerTokenPerGpu - base.memory.kvBytesPerTokenPerGpu, 8192);
    assert.equal(whole.memory.kvBytesPerTokenPerGpu - base.memory.kvBytesPerTokenPerGpu, 32768);
    const unknown = ok(plan('meta-llama/Llama-3.1-70B-Instruct', 'vllm', { method: 'draft_model', numTokens: 4, draftModel: 'acme/private-draft' }, 4));
    assert.ok(unknown.issues.some((i) => i.code === 'drafter-not-counted' && /acme\/private-draft/.test(i.message)));
  });

  it('SGLang: draft weights load after the target sized its pool (outside the budget); draft KV shares the cell', () => {
    const base = ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'sglang', undefined));
    const e = ok(plan('meta-llama/Llama-3.1-8B-Instruct', 'sglang', { method: 'eagle', numTokens: 3 }));
    const c = drafter(e)!;
    assert.equal(c.budget, 'outside');
    // The automatic mem_fraction_static reserves 2 GiB more for an EAGLE drafter (server_args._handle_gpu_memory_settings):
    // the pool is 2 GiB smaller, to within the fraction's rounding to 3 decimals.
    assert.ok(Math.abs(base.memory.kvPoolBytesPerGpu - e.memory.kvPoolBytesPerGpu - 2 * 2 ** 30) < 0.2e9, `${base.memory.kvPoolBytesPerGpu} → ${e.memory.kvPoolBytesPerGpu}`);
    assert.equal(e.memory.kvBytesPerTokenPerGpu, (base.memory.kvBytesPerTokenPerGpu * 33) / 32);
    // SGLang's draft slots are sized beside the pool, not per request.
    assert.equal(e.memory.kvBytesPerMaxLenRequest, 8192 * e.memory.kvBytesPerTokenPerGpu);
  });
});

describe('removing a speculative config (edits/remove.ts)', () => {
  it('inside a shell string: the flag, its quoted JSON and the space before them go, the command stays valid', () => {
    const file = fixture('kubernetes', 'vllm-deepseek-r1-mtp.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const plan = analyze('file:///mtp.yaml', text).workloads[0].plan;
    const r = planEdits({ title: 'Remove speculative decoding', changes: [{ knob: 'speculative', value: '', remove: true }] }, plan, text);
    assert.ok('edits' in r, JSON.stringify(r));
    const lines = text.split('\n');
    for (const e of r.edits) {
      const l = lines[e.range.start.line];
      lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
    }
    assert.equal(lines.join('\n'), text.replace(` --speculative-config '{"method": "mtp", "num_speculative_tokens": 1}'`, ''));
    assert.equal(analyze('file:///mtp.yaml', lines.join('\n')).workloads[0].plan.knobs.speculative, undefined);
  });
});
