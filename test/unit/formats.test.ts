import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { readText } from '../../server/src/formats';
import { parseHumanInt } from '../../server/src/formats/humanInt';
import { analyze } from '../../server/src/pipeline';
import { fixture } from '../support/paths';

const read = (...p: string[]) => fs.readFileSync(fixture(...p), 'utf8');

describe('vLLM config YAML', () => {
  it('reads knobs with the exact range of each value, and the directive comment', () => {
    const r = readText('file:///x/llama.yaml', read('vllm', 'llama-3.1-8b-h100.yaml'));
    assert.equal(r.format, 'vllm');
    const p = r.plans[0];
    assert.equal(p.model.ref.value, 'meta-llama/Llama-3.1-8B-Instruct');
    assert.equal(p.knobs.maxModelLen?.value, 32000);
    assert.deepEqual(p.knobs.maxModelLen?.source.kind === 'file' && p.knobs.maxModelLen.source.range, { start: { line: 4, character: 15 }, end: { line: 4, character: 18 } });
    assert.equal(p.knobs.gpuMemoryUtilization?.value, 0.9);
    assert.equal(p.workload.inputLen.value, 2000);
    assert.equal(p.workload.concurrency.value, 32);
    assert.equal(p.hardware.gpu.value, 'H100-SXM');
  });

  it('keys both vLLM and TensorRT-LLM take read as vLLM, unless the file is named for TensorRT-LLM', () => {
    const shared = 'model: Qwen/Qwen3-30B-A3B\ntensor_parallel_size: 8\n';
    assert.equal(readText('file:///x/serve.yaml', shared).format, 'vllm');
    for (const name of ['trtllm-extra-options.yaml', 'extra_llm_api_options.trt_llm.yml', 'TensorRT-config.yaml']) {
      assert.equal(readText(`file:///x/${name}`, shared).format, 'trtllm', name);
    }
    assert.equal(readText('file:///x/trtllm-options.yaml', 'model: Qwen/Qwen3-30B-A3B\ntensor-parallel-size: 8\n').format, 'vllm', 'dashed keys are vLLM\'s whatever the name');
  });

  it('underscore and dash spellings are the same flag', () => {
    const p = readText('file:///x/a.yaml', read('vllm', 'llama-3.1-70b-one-gpu.yaml')).plans[0];
    assert.equal(p.knobs.tensorParallel?.value, 1);
    assert.equal(p.knobs.maxModelLen?.value, 8192);
  });

  it('enable-expert-parallel sets EP = TP × DP', () => {
    const p = readText('file:///x/a.yaml', read('vllm', 'qwen3-30b-a3b-ep.yaml')).plans[0];
    assert.equal(p.knobs.expertParallel?.value, 4);
  });

  it('human-readable integers follow vLLM (k = 1000, K = 1024)', () => {
    assert.equal(parseHumanInt('32k'), 32000);
    assert.equal(parseHumanInt('32K'), 32768);
    assert.equal(parseHumanInt('25.6k'), 25600);
    assert.equal(parseHumanInt('1.5K'), undefined);
    assert.equal(parseHumanInt('abc'), undefined);
  });

  it('malformed YAML yields a syntax finding on the broken line, not a crash', () => {
    const a = analyze('file:///x/broken.yaml', read('vllm', 'broken.yaml'));
    const syntax = a.findings.filter((f) => f.rule === 'syntax');
    assert.ok(syntax.length >= 1);
    assert.ok(syntax.some((f) => f.range.start.line >= 1), JSON.stringify(syntax));
  });
});

describe('detection', () => {
  it('does not claim unrelated YAML (a CI workflow gets no findings)', () => {
    const a = analyze('file:///x/.github/workflows/ci.yaml', read('not-ours', 'github-workflow.yaml'));
    assert.equal(a.format, null);
    assert.equal(a.findings.length, 0);
  });

  it('a file of `model:` alone (with or without an id, comments around it) is a vLLM config; unrelated YAML stays unclaimed', () => {
    for (const text of ['model: meta-llama/Llama-3.1-8B-Instruct\n', 'model: meta-llama/Llama-3.1-8\n', 'model:\n', '# vllm serve --config x.yaml\nmodel: "Qwen/Qwen3-8B"\n']) {
      assert.equal(analyze('file:///x/serve.yaml', text).format, 'vllm', text);
    }
    const full = analyze('file:///x/serve.yaml', 'model: meta-llama/Llama-3.1-8B-Instruct\n');
    assert.ok(full.workloads[0].estimate, 'a catalog id alone estimates');
    assert.deepEqual(full.findings.filter((f) => f.severity === 'error'), []);
    // An empty `model:` says what to write, not that the key is missing.
    assert.match(analyze('file:///x/serve.yaml', 'model:\n').findings.find((f) => f.rule === 'missing-model')?.message ?? '', /`model:` is empty/);
    for (const f of ['github-workflow.yaml', 'ansible-playbook.yaml', 'k8s-configmap.yaml']) {
      const a = analyze(`file:///x/${f}`, read('not-ours', f));
      assert.equal(a.format, null, f);
      assert.equal(a.findings.length, 0, f);
    }
    // Other tools' files that have a `model` key among others are not ours either.
    for (const text of ['model: gpt-4o\ntemperature: 0.2\n', 'model:\n  name: resnet\n', '- model: x\n', 'model: x\n---\nmodel: y\n']) {
      assert.equal(analyze('file:///x/app.yaml', text).format, null, text);
    }
  });

  it('reads a Hugging Face config.json as a model with engine defaults', () => {
    const a = analyze('file:///x/llama-3.1-8b/config.json', read('hf', 'llama-3.1-8b', 'config.json'));
    assert.equal(a.format, 'hf-config');
    assert.equal(a.workloads[0].estimate?.model.params, 8_030_261_248);
  });

  it('never throws on garbage', () => {
    for (const text of ['', '\u0000\u0001\u0002', '{', ': : :', 'a: *b', '- [', '{"num_hidden_layers": "x", "model_type": "llama"}', 'x: &a [*a]']) {
      assert.doesNotThrow(() => analyze('file:///x/config.json', text));
      assert.doesNotThrow(() => analyze('file:///x/vllm.yaml', text));
    }
  });
});

describe('the fixtures produce the findings they were written for', () => {
  it('70B on one GPU: does-not-fit on the model key', () => {
    const a = analyze('file:///x/a.yaml', read('vllm', 'llama-3.1-70b-one-gpu.yaml'));
    const f = a.findings.find((x) => x.rule === 'does-not-fit');
    assert.ok(f, JSON.stringify(a.findings));
    assert.equal(f.range.start.line, 2);
  });

  it('Qwen3-32B at 131072 tokens: max-len-exceeds-kv on the max-model-len value', () => {
    const a = analyze('file:///x/a.yaml', read('vllm', 'qwen3-32b-long-context.yaml'));
    const f = a.findings.find((x) => x.rule === 'max-len-exceeds-kv');
    assert.ok(f, JSON.stringify(a.findings));
    assert.equal(f.range.start.line, 3);
    assert.match(f.message, /Largest max-model-len that fits: \d+/);
  });
});
