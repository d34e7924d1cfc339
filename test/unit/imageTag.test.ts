/**
 * The engine version an image tag states: official repositories and their odd tags, images whose tag versions
 * something else, the tag's range as provenance, precedence (comment > image tag > setting > newest modelled) in
 * Kubernetes, Compose and Helm, and the estimator applying the version it was given.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { imageVersion } from '../../server/src/formats/imageTag';
import type { ReadContext } from '../../server/src/formats/types';
import { analyze } from '../../server/src/pipeline';
import { sourced } from '../../server/src/plan/types';

describe('image tag → engine version', () => {
  const cases: Array<[string, Record<string, string> | undefined]> = [
    ['vllm/vllm-openai:v0.11.0', { kind: 'version', engine: 'vllm', version: '0.11.0' }],
    ['docker.io/vllm/vllm-openai:v0.6.3.post1', { kind: 'version', engine: 'vllm', version: '0.6.3.post1' }],
    ['vllm/vllm-openai:v0.10.1.1', { kind: 'version', engine: 'vllm', version: '0.10.1.1' }],
    ['vllm/vllm-openai:v0.9.2-cu128', { kind: 'version', engine: 'vllm', version: '0.9.2' }],
    ['VLLM/VLLM-OPENAI:V0.8.5', { kind: 'version', engine: 'vllm', version: '0.8.5' }],
    ['vllm/vllm-openai:latest', { kind: 'newest', engine: 'vllm', tag: 'latest' }],
    ['vllm/vllm-openai:nightly', { kind: 'newest', engine: 'vllm', tag: 'nightly' }],
    ['vllm/vllm-openai', { kind: 'newest', engine: 'vllm', tag: 'latest' }],
    ['vllm/vllm-openai@sha256:5b0e6f2a9c0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012', { kind: 'newest', engine: 'vllm' }],
    ['vllm/vllm-openai:v0.11.0@sha256:5b0e6f2a9c0d1e2f', { kind: 'version', engine: 'vllm', version: '0.11.0' }],
    ['lmsysorg/sglang:v0.4.6.post1-cu124', { kind: 'version', engine: 'sglang', version: '0.4.6.post1' }],
    ['lmsysorg/sglang:v0.5.3-cu126', { kind: 'version', engine: 'sglang', version: '0.5.3' }],
    ['lmsysorg/sglang:v0.4.3.post2-rocm630', { kind: 'version', engine: 'sglang', version: '0.4.3.post2' }],
    ['lmsysorg/sglang:latest', { kind: 'newest', engine: 'sglang' }],
    ['lmsysorg/sglang:dev', { kind: 'newest', engine: 'sglang', tag: 'dev' }],
    ['nvcr.io/nvidia/tensorrt-llm/release:1.0.0rc3', { kind: 'version', engine: 'trtllm', version: '1.0.0rc3' }],
    ['nvcr.io/nvidia/tensorrt-llm/release:0.21.0', { kind: 'version', engine: 'trtllm', version: '0.21.0' }],
    ['ghcr.io/huggingface/text-generation-inference:3.0.1', { kind: 'version', engine: 'tgi', version: '3.0.1' }],
    ['ghcr.io/huggingface/text-generation-inference:3.3.4', { kind: 'version', engine: 'tgi', version: '3.3.4' }],
    ['ghcr.io/huggingface/text-generation-inference:2.4.1-rocm', { kind: 'version', engine: 'tgi', version: '2.4.1' }],
    ['ghcr.io/huggingface/text-generation-inference:sha-7a3e2f1', { kind: 'newest', engine: 'tgi', tag: 'sha-7a3e2f1' }],
    // Dynamo and llm-d tags version their own releases, which bundle an engine release the tag does not name.
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.5.1', { kind: 'bundle', engine: 'vllm', product: 'NVIDIA Dynamo' }],
    ['nvcr.io/nvidia/ai-dynamo/sglang-runtime:0.5.1-cu126', { kind: 'bundle', engine: 'sglang' }],
    ['nvcr.io/nvidia/ai-dynamo/tensorrtllm-runtime:0.4.0', { kind: 'bundle', engine: 'trtllm' }],
    ['ghcr.io/llm-d/llm-d-cuda:v0.3.0', { kind: 'bundle', engine: 'vllm', product: 'llm-d' }],
    // Not official images: their tags are not engine releases.
    ['lmcache/vllm-openai:2025-05-27', undefined],
    ['myregistry.example.com:5000/vllm/vllm-openai:v0.11.0', undefined],
    ['nginx:1.27', undefined],
    ['', undefined],
  ];
  for (const [image, expected] of cases) {
    it(`${image || '(empty)'} → ${expected ? `${expected.kind} ${expected.version ?? ''}` : 'none'}`, () => {
      const got = imageVersion(image);
      if (!expected) return assert.equal(got, undefined);
      assert.ok(got, image);
      for (const [k, v] of Object.entries(expected)) assert.equal((got as Record<string, unknown>)[k], v, `${image}: ${k}`);
    });
  }
});

const deployment = (image: string, extra = '') => `${extra}apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama
spec:
  template:
    spec:
      containers:
        - name: vllm
          image: ${image}
          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]
          resources:
            limits:
              nvidia.com/gpu: 1
`;

const settingCtx: ReadContext = { engineVersion: sourced('0.10.1', { kind: 'setting', name: 'deployAdvisor.engineVersion' }) };

describe('engine version precedence and provenance', () => {
  it('Kubernetes: the tag gives the version, with the tag\'s own range', () => {
    const a = analyze('file:///x/k.yaml', deployment('vllm/vllm-openai:v0.11.0'));
    const v = a.workloads[0].plan.engine.version!;
    assert.equal(v.value, '0.11.0');
    assert.deepEqual(v.source.kind === 'file' && [v.source.key, v.source.range], ['image tag', { start: { line: 9, character: 34 }, end: { line: 9, character: 41 } }]);
    assert.equal(a.workloads[0].estimate!.serving.engineVersion, '0.11.0');
  });

  it('a quoted image keeps the tag\'s range inside the quotes', () => {
    const a = analyze('file:///x/k.yaml', deployment('"vllm/vllm-openai:v0.11.0"'));
    const v = a.workloads[0].plan.engine.version!;
    assert.ok(v.source.kind === 'file');
    assert.equal(v.source.range.start.character, 35);
  });

  it('image tag > setting > newest modelled; a comment overrides the tag', () => {
    assert.equal(analyze('file:///x/k.yaml', deployment('vllm/vllm-openai:v0.11.0'), settingCtx).workloads[0].plan.engine.version!.value, '0.11.0');
    const latest = analyze('file:///x/k.yaml', deployment('vllm/vllm-openai:latest'), settingCtx).workloads[0];
    assert.equal(latest.plan.engine.version!.value, '0.10.1');
    assert.equal(latest.plan.engine.version!.source.kind, 'setting');
    const newest = analyze('file:///x/k.yaml', deployment('vllm/vllm-openai:latest')).workloads[0];
    assert.equal(newest.plan.engine.version, undefined);
    assert.equal(newest.estimate!.serving.engineVersion, '0.21');
    assert.ok(newest.estimate!.assumptions.some((x) => /newest modelled, since the image tag is `latest`/.test(x)), newest.estimate!.assumptions.join('\n'));
    const comment = analyze('file:///x/k.yaml', deployment('vllm/vllm-openai:v0.11.0', '# deploy-advisor: engine-version=0.9.2\n')).workloads[0];
    assert.equal(comment.plan.engine.version!.value, '0.9.2');
  });

  it('a digest or a Dynamo runtime: newest modelled, and the assumption says why', () => {
    const digest = analyze('file:///x/k.yaml', deployment('vllm/vllm-openai@sha256:5b0e6f2a9c0d')).workloads[0].estimate!;
    assert.ok(digest.assumptions.some((x) => /pinned by digest/.test(x)));
    const dynamo = analyze('file:///x/k.yaml', deployment('nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.5.1')).workloads[0].estimate!;
    assert.equal(dynamo.serving.engineVersion, '0.21');
    assert.ok(dynamo.assumptions.some((x) => /`0\.5\.1` is the NVIDIA Dynamo release, not vLLM's/.test(x)), dynamo.assumptions.join('\n'));
  });

  it('plain config files take the setting (no image), a comment wins over it', () => {
    const plain = 'model: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 8192\n';
    assert.equal(analyze('file:///x/a.yaml', plain, settingCtx).workloads[0].estimate!.serving.engineVersion, '0.10.1');
    assert.equal(analyze('file:///x/a.yaml', `# deploy-advisor: engine-version=0.11.0\n${plain}`, settingCtx).workloads[0].estimate!.serving.engineVersion, '0.11.0');
  });

  it('Compose and Helm (production-stack repository + tag, llm-d image) read it too', () => {
    const compose = `services:\n  vllm:\n    image: lmsysorg/sglang:v0.4.6.post1-cu124\n    command: python3 -m sglang.launch_server --model-path Qwen/Qwen3-8B --context-length 8192\n`;
    const c = analyze('file:///x/docker-compose.yaml', compose).workloads[0];
    assert.equal(c.plan.engine.name.value, 'sglang');
    assert.equal(c.estimate!.serving.engineVersion, '0.4.6.post1');
    const helm = `servingEngineSpec:\n  modelSpec:\n    - name: llama\n      repository: "vllm/vllm-openai"\n      tag: "v0.11.0"\n      modelURL: meta-llama/Llama-3.1-8B-Instruct\n      requestGPU: 1\n      vllmConfig:\n        maxModelLen: 8192\n`;
    const h = analyze('file:///x/values.yaml', helm).workloads[0].plan.engine.version!;
    assert.equal(h.value, '0.11.0');
    assert.deepEqual(h.source.kind === 'file' && h.source.range, { start: { line: 4, character: 12 }, end: { line: 4, character: 19 } });
    const latestHelm = analyze('file:///x/values.yaml', helm.replace('"v0.11.0"', 'latest')).workloads[0];
    assert.equal(latestHelm.plan.engine.version, undefined);
    assert.match(latestHelm.plan.engine.image!.note!, /`latest`/);
  });

  it('the image of another engine gives no version to this one', () => {
    const a = analyze('file:///x/k.yaml', deployment('lmsysorg/sglang:v0.4.6').replace('args: ["--model"', 'command: ["vllm", "serve"]\n          args: ["--model"'));
    assert.equal(a.workloads[0].plan.engine.name.value, 'vllm');
    assert.equal(a.workloads[0].plan.engine.version, undefined);
  });
});

describe('the estimator applies the version it reads', () => {
  it('vLLM 0.11 from the tag: gpu-memory-utilization 0.9 and CUDA graphs outside the pool; 0.21: 0.92 and graphs inside', () => {
    const old = analyze('file:///x/k.yaml', deployment('vllm/vllm-openai:v0.11.0')).workloads[0].estimate!;
    const cur = analyze('file:///x/k.yaml', deployment('vllm/vllm-openai:v0.21.0')).workloads[0].estimate!;
    assert.equal(old.serving.gpuMemoryUtilization, 0.9);
    assert.equal(cur.serving.gpuMemoryUtilization, 0.92);
    assert.doesNotMatch(old.memory.poolFormula, /CUDA graphs/);
    assert.match(cur.memory.poolFormula, /CUDA graphs/);
    assert.notEqual(old.memory.kvCapacityTokens, cur.memory.kvCapacityTokens);
  });

  it('SGLang 0.4 from the tag uses its fixed memory fraction (0.88 at TP 1), 0.5 the reserved-memory formula', () => {
    const compose = (tag: string) => `services:\n  sglang:\n    image: lmsysorg/sglang:${tag}\n    command: python3 -m sglang.launch_server --model-path Qwen/Qwen3-8B --context-length 8192\n`;
    assert.equal(analyze('file:///x/docker-compose.yaml', compose('v0.4.6.post1-cu124')).workloads[0].estimate!.serving.gpuMemoryUtilization, 0.88);
    assert.notEqual(analyze('file:///x/docker-compose.yaml', compose('v0.5.3-cu126')).workloads[0].estimate!.serving.gpuMemoryUtilization, 0.88);
  });

  it('vLLM 0.7 from the tag runs the V0 engine defaults (256 sequences, no prefix caching)', () => {
    const v0 = analyze('file:///x/k.yaml', deployment('vllm/vllm-openai:v0.7.3')).workloads[0].estimate!;
    assert.equal(v0.serving.maxNumSeqs, 256);
    assert.equal(v0.serving.prefixCaching, false);
  });
});
