/**
 * Pooling, embedding and reranking models (issue 19 item 4): the runner flags, TEI's options and image tags, the
 * model-kind reading, the prompt batching and its throughput from the step model, and the memory TEI and vLLM's
 * pooling runner take (no KV for an encoder; TEI: weights + one warm-up batch of --max-batch-tokens).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { catalogConfig } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { tei } from '../../server/src/estimator/engines/tei';
import { activationPeakBytes, GiB, V0_MLP } from '../../server/src/estimator/memory';
import { modelFromConfig } from '../../server/src/estimator/model';
import { poolingBatch, poolingThroughput } from '../../server/src/estimator/pooling';
import type { StepModel } from '../../server/src/estimator/latency';
import { modelKind } from '../../server/src/estimator/poolingModel';
import { imageVersion } from '../../server/src/formats/imageTag';
import { poolingFrom } from '../../server/src/formats/pooling';
import { teiEnvOptions, teiOptions } from '../../server/src/formats/tei';
import { vllmOptions } from '../../server/src/formats/vllm';
import { sglangOptions } from '../../server/src/formats/sglang';
import type { OptionEntry } from '../../server/src/formats/engineOptions';
import { analyze } from '../../server/src/pipeline';
import { byDefault, DeploymentPlan, EngineName, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';

const r0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const opt = (key: string, value: unknown): OptionEntry => ({ key, value, keyRange: r0, valueRange: r0 });
const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function plan(model: string, engine: EngineName, knobs: DeploymentPlan['knobs'] = {}, gpu = 'H100-SXM'): DeploymentPlan {
  return {
    name: model, model: { ref: sourced(model, cli('model')) }, hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')) }, knobs, workload: defaultWorkload(),
  };
}
function ok(p: DeploymentPlan): Estimate {
  const r = estimate(p);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  return r.estimate;
}
const spec = (id: string) => modelFromConfig(id, catalogConfig(id)!);

describe('runner flags → the pooling knob', () => {
  it('vLLM --runner / --task values and SGLang --is-embedding', () => {
    assert.equal(poolingFrom('pooling'), true);
    for (const t of ['embed', 'embedding', 'classify', 'score', 'reward']) assert.equal(poolingFrom(t), true, t);
    assert.equal(poolingFrom('generate'), false);
    assert.equal(poolingFrom('transcription'), false);
    assert.equal(poolingFrom('auto'), undefined);
    assert.equal(poolingFrom(true), true);
  });

  it('vLLM: --runner, the older --task, and --convert under the auto runner', () => {
    assert.equal(vllmOptions([opt('runner', 'pooling')], {}).knobs.pooling?.value, true);
    assert.equal(vllmOptions([opt('task', 'embed')], {}).knobs.pooling?.value, true);
    assert.equal(vllmOptions([opt('task', 'generate')], {}).knobs.pooling?.value, false);
    assert.equal(vllmOptions([opt('runner', 'auto')], {}).knobs.pooling, undefined);
    assert.equal(vllmOptions([opt('convert', 'classify')], {}).knobs.pooling?.value, true);
    assert.equal(vllmOptions([opt('convert', 'none')], {}).knobs.pooling, undefined);
    const bad = vllmOptions([opt('runner', 'embedding')], {});
    assert.ok(bad.problems.some((p) => p.code === 'invalid-value'), 'runner takes auto, generate, pooling, draft');
  });

  it('SGLang --is-embedding', () => {
    assert.equal(sglangOptions([opt('is-embedding', true)], {}).knobs.pooling?.value, true);
  });

  it('a command line keeps each flag\'s range', () => {
    const a = analyze('file:///x/c.yaml', 'services:\n  e:\n    image: vllm/vllm-openai:v0.11.0\n    command: --model BAAI/bge-m3 --runner pooling\n');
    const k = a.workloads[0].plan.knobs.pooling!;
    assert.equal(k.value, true);
    assert.equal(k.source.kind === 'file' && k.source.range.start.line, 3);
  });
});

describe('text-embeddings-inference options and images', () => {
  it('env variables are router flags; max-batch-requests caps the batch when set (core/src/queue.rs)', () => {
    const env = [opt('MODEL_ID', 'BAAI/bge-small-en-v1.5'), opt('MAX_BATCH_TOKENS', '8192'), opt('MAX_CONCURRENT_REQUESTS', '128'), opt('HF_TOKEN', 'x'), opt('POOLING', 'mean')];
    const read = teiEnvOptions(env);
    assert.deepEqual(read.map((e) => e.key), ['model-id', 'max-batch-tokens', 'max-concurrent-requests', 'pooling']);
    const o = teiOptions(read);
    assert.equal(o.model?.value, 'BAAI/bge-small-en-v1.5');
    assert.equal(o.knobs.maxNumBatchedTokens?.value, 8192);
    assert.equal(o.knobs.maxNumSeqs?.value, 128);
    assert.equal(teiOptions([...read, opt('max-batch-requests', '16')]).knobs.maxNumSeqs?.value, 16);
    assert.ok(teiOptions([opt('pooling', 'max')]).problems.some((p) => p.code === 'invalid-value'));
  });

  it('TEI tags name the release after the GPU-architecture prefix', () => {
    assert.deepEqual(imageVersion('ghcr.io/huggingface/text-embeddings-inference:1.9.3'), { kind: 'version', engine: 'tei', version: '1.9.3', tag: '1.9.3' });
    assert.equal((imageVersion('ghcr.io/huggingface/text-embeddings-inference:89-1.9') as { version: string }).version, '1.9');
    assert.equal((imageVersion('ghcr.io/huggingface/text-embeddings-inference:hopper-1.8') as { version: string }).version, '1.8');
    assert.equal((imageVersion('ghcr.io/huggingface/text-embeddings-inference:cpu-1.9') as { version: string }).version, '1.9');
    assert.equal(imageVersion('ghcr.io/huggingface/text-embeddings-inference:latest')?.kind, 'newest');
  });

  it('a TEI container giving only flags (the image runs text-embeddings-router) is read as TEI', () => {
    const a = analyze('file:///x/c.yaml', 'services:\n  e:\n    image: ghcr.io/huggingface/text-embeddings-inference:1.9\n    command: --model-id BAAI/bge-large-en-v1.5 --max-batch-tokens 4096\n');
    assert.equal(a.workloads[0].plan.engine.name.value, 'tei');
    assert.equal(a.workloads[0].plan.knobs.maxNumBatchedTokens?.value, 4096);
  });
});

describe('what a checkpoint is for', () => {
  it('encoders, classification heads, embedding ids on generative architectures, and generators', () => {
    assert.deepEqual(modelKind('BAAI/bge-large-en-v1.5', spec('BAAI/bge-large-en-v1.5'))?.by, 'encoder');
    assert.equal(modelKind('BAAI/bge-reranker-v2-m3', spec('BAAI/bge-reranker-v2-m3'))?.kind, 'pooling');
    const q = modelKind('Qwen/Qwen3-Embedding-8B', spec('Qwen/Qwen3-Embedding-8B'));
    assert.deepEqual([q?.kind, q?.by], ['pooling', 'id']);
    assert.equal(modelKind('meta-llama/Llama-3.1-8B-Instruct', spec('meta-llama/Llama-3.1-8B-Instruct'))?.kind, 'generate');
    const mistralModel = { ...catalogConfig('meta-llama/Llama-3.1-8B-Instruct')!, architectures: ['MistralModel'], model_type: 'mistral' };
    assert.equal(modelKind('org/some-mistral-encoder', modelFromConfig('org/some-mistral-encoder', mistralModel))?.by, 'architecture');
  });
});

describe('prompt batching and pooling throughput (one prefill step per batch)', () => {
  it('the token budget admits floor(budget / length) prompts, at least one, at most the cap and the load', () => {
    assert.equal(poolingBatch(512, 16384, 512, Infinity), 32);
    assert.equal(poolingBatch(512, 16384, 8, Infinity), 8);
    assert.equal(poolingBatch(512, 16384, 512, 3), 3);
    assert.equal(poolingBatch(20000, 16384, 512, Infinity), 1);
  });

  it('a batch is one step of the step model with no decode and nothing sampled', () => {
    const calls: number[][] = [];
    const step: StepModel = { computeDtype: 'bf16', step: (d, dc, p, pc, s) => (calls.push([d, dc, p, pc, s]), 0.01) };
    const r = poolingThroughput(step, { inputLen: 512, concurrency: Infinity, tokenBudget: 16384, maxSequences: 512, ranks: 2, bidirectional: true }, 'none', 'max-batch-tokens');
    assert.deepEqual(calls, [[0, 0, 32 * 512, 512, 0]]);
    assert.equal(r.batchSequences, 32);
    assert.equal(r.sequencesPerSec, (32 / 0.01) * 2);
    assert.equal(r.tokensPerSec, r.sequencesPerSec * 512);
    // A causal embedder attends, on average, to half its prompt.
    calls.length = 0;
    poolingThroughput(step, { inputLen: 512, concurrency: 1, tokenBudget: 16384, maxSequences: 512, ranks: 1, bidirectional: false }, 'prompt-only', 'max-num-batched-tokens');
    assert.deepEqual(calls, [[0, 0, 512, 256, 0]]);
  });
});

describe('memory of pooling deployments', () => {
  it('TEI: weights + one warm-up batch of --max-batch-tokens (no sampler rows, eager intermediates), no KV, no CUDA graphs', () => {
    const m = spec('BAAI/bge-large-en-v1.5');
    const par = { tp: 1, pp: 1, ep: 1 };
    assert.equal(tei.activationPeak(m, 16384, 512, par, undefined as never, [1, 9, 0]), activationPeakBytes(m, 16384, 0, par, V0_MLP));
    const e = ok(plan('BAAI/bge-large-en-v1.5', 'tei', { maxNumBatchedTokens: sourced(32768, cli('max-batch-tokens')) }, 'L4'));
    assert.equal(e.memory.cudaGraphBytesPerGpu, 0);
    assert.equal(e.memory.kvCapacityTokens, 0);
    assert.equal(e.pooling?.kv, 'none');
    assert.equal(e.pooling?.tokenBudget, 32768);
    assert.ok(e.pooling!.unusedBytesPerGpu > 15 * GiB, 'the rest of the L4 stays unallocated');
    assert.ok(e.memory.fits);
    // More budget, more warm-up activations: TEI's one memory knob.
    const big = ok(plan('BAAI/bge-large-en-v1.5', 'tei', { maxNumBatchedTokens: sourced(131072, cli('max-batch-tokens')) }, 'L4'));
    assert.ok(big.memory.activationBytesPerGpu > 3 * e.memory.activationBytesPerGpu);
  });

  it('vLLM pooling an encoder: no KV pool is used; a decoder embedder keeps a pool sized as for generation', () => {
    const enc = ok(plan('BAAI/bge-m3', 'vllm'));
    assert.equal(enc.pooling?.kv, 'none');
    assert.equal(enc.memory.kvBytesPerTokenPerGpu, 0);
    const dec = ok(plan('Qwen/Qwen3-Embedding-8B', 'vllm', { pooling: sourced(true, cli('runner')) }));
    assert.equal(dec.pooling?.kv, 'prompt-only');
    assert.ok(dec.memory.kvCapacityTokens > 100_000);
    // Without --runner pooling vLLM's auto runner generates with it: no pooling figures.
    assert.equal(ok(plan('Qwen/Qwen3-Embedding-8B', 'vllm')).pooling, undefined);
    assert.equal(ok(plan('Qwen/Qwen3-Embedding-8B', 'vllm')).model.servingKind?.kind, 'pooling');
  });

  it('more prompts per batch raise prompts per second (a batch amortizes the weights read)', () => {
    const at = (c: number) => ok({ ...plan('BAAI/bge-large-en-v1.5', 'tei'), workload: { ...defaultWorkload(), inputLen: sourced(256, cli('in')), concurrency: sourced(c, cli('c')) } }).pooling!;
    const one = at(1);
    const many = at(64);
    assert.equal(many.batchSequences, 64);
    assert.ok(many.sequencesPerSec > 4 * one.sequencesPerSec, `${one.sequencesPerSec} → ${many.sequencesPerSec}`);
  });
});
