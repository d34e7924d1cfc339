/**
 * max-model-len above the model's context: an error that stops vLLM and SGLang ("will not start"), a warning where the
 * engine runs it (TGI, TensorRT-LLM, or an environment override), and its fixes — applied with the edits the quick fix
 * makes and re-analysed: no error is left and the verdict is "fits". Plus the verdict every adapter shows.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parse, parseDocument } from 'yaml';
import { editsForFix } from '../../server/src/edits/apply';
import { derivedMaxLen, yarnExtension } from '../../server/src/estimator/contextLength';
import { analyze, Analysis, workloadFindings } from '../../server/src/pipeline';
import { estimateToJson } from '../../server/src/report/json';
import { analysisMarkdown } from '../../server/src/report/markdown';
import type { Finding } from '../../server/src/rules/types';
import { deploymentVerdict } from '../../server/src/verdict';
import { applyEdits } from '../support/lspClient';

const verdictOf = (a: Analysis, i = 0) => deploymentVerdict(a.workloads[i].estimate!, workloadFindings(a, i));
const finding = (a: Analysis) => a.findings.find((f) => f.rule === 'max-len-above-model');

/** Applies each fix of the finding as the quick fix would and re-analyses the result. */
function applied(uri: string, text: string, f: Finding, a: Analysis): Array<{ title: string; text: string; after: Analysis }> {
  return (f.fixes ?? []).map((fix) => {
    const edits = editsForFix(fix, a.workloads[f.workload ?? 0].plan, text);
    assert.ok(edits, `${fix.title}: no edit for this file`);
    const fixed = applyEdits(text, edits.map((e) => ({ range: e.range, newText: e.newText })));
    return { title: fix.title, text: fixed, after: analyze(uri, fixed) };
  });
}

const noErrors = (a: Analysis, label: string) => assert.deepEqual(a.findings.filter((x) => x.severity === 'error').map((x) => x.rule), [], label);

describe('max-len-above-model', () => {
  it('vLLM, Qwen3-8B at 65536: an error that refuses start; the model-length and YaRN fixes each leave no error', () => {
    const uri = 'file:///x/qwen.yaml';
    const text = '# deploy-advisor: gpu=H100-SXM\nmodel: Qwen/Qwen3-8B\nmax-model-len: 65536\n';
    const a = analyze(uri, text);
    const f = finding(a)!;
    assert.equal(f.severity, 'error');
    assert.equal(f.refusesStart, true);
    assert.equal(f.range.start.line, 2);
    assert.equal(verdictOf(a).kind, 'will-not-start');
    assert.equal(a.workloads[0].estimate!.memory.fits, true);
    const results = applied(uri, text, f, a);
    assert.deepEqual(results.map((r) => r.title.split(' — ')[0]), ['Set max-model-len: 40960', 'Add YaRN RoPE scaling (hf-overrides, factor 2, as the model card describes)']);
    for (const r of results) {
      noErrors(r.after, r.title);
      assert.equal(verdictOf(r.after).kind, 'fits', r.title);
    }
    // The YaRN fix keeps the requested length and states the override vLLM reads.
    const yarn = results[1];
    assert.equal(yarn.after.workloads[0].estimate!.serving.maxModelLen, 65536);
    assert.deepEqual(parse(yarn.text)['hf-overrides'], '{"rope_scaling":{"rope_type":"yarn","factor":2,"original_max_position_embeddings":32768}}');
  });

  it('a Kubernetes args list: the YaRN fix adds --hf-overrides and its JSON as string items', () => {
    const uri = 'file:///x/k.yaml';
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: q\nspec:\n  template:\n    spec:\n      containers:\n        - name: vllm\n          image: vllm/vllm-openai:v0.11.0\n          args:\n            - --model\n            - Qwen/Qwen3-8B\n            - --max-model-len\n            - "131072"\n          resources:\n            limits:\n              nvidia.com/gpu: 1\n`;
    const a = analyze(uri, text);
    const f = finding(a)!;
    assert.equal(f.severity, 'error');
    const yarn = applied(uri, text, f, a).find((r) => /YaRN/.test(r.title));
    assert.ok(yarn, JSON.stringify(f.fixes?.map((x) => x.title)));
    assert.match(yarn.title, /factor 4/);
    const args = parse(yarn.text).spec.template.spec.containers[0].args as unknown[];
    assert.ok(args.every((x) => typeof x === 'string'), JSON.stringify(args));
    assert.equal(args[args.indexOf('--hf-overrides') + 1], '{"rope_scaling":{"rope_type":"yarn","factor":4,"original_max_position_embeddings":32768}}');
    assert.ok(!yarn.after.findings.some((x) => x.rule === 'max-len-above-model'));
  });

  it('a shell string in a double-quoted, a flow or a block scalar: the YaRN words are escaped for the scalar and the file stays valid', () => {
    const head = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers:\n    - name: vllm\n      image: vllm/vllm-openai:v0.11.0\n';
    const bodies = [
      '      command: ["/bin/sh", "-c"]\n      args: ["vllm serve Qwen/Qwen3-8B --max-model-len 65536"]\n',
      "      command: ['/bin/sh', '-c', 'vllm serve Qwen/Qwen3-8B --max-model-len=65536']\n",
      '      command: ["/bin/sh", "-c"]\n      args:\n        - |\n          vllm serve Qwen/Qwen3-8B \\\n            --max-model-len 65536\n',
    ];
    for (const body of bodies) {
      const text = head + body;
      const a = analyze('file:///x/p.yaml', text);
      for (const r of applied('file:///x/p.yaml', text, finding(a)!, a)) {
        assert.deepEqual(parseDocument(r.text).errors.map((e) => e.message), [], `${r.title}\n${r.text}`);
        noErrors(r.after, `${r.title}\n${r.text}`);
      }
    }
  });

  it('SGLang: context-length above the model refuses start; its YaRN fix states the scaled max_position_embeddings too', () => {
    const uri = 'file:///x/sglang.yaml';
    const text = '# deploy-advisor: gpu=H100-SXM\nmodel-path: Qwen/Qwen3-8B\ncontext-length: 65536\nmem-fraction-static: 0.85\n';
    const a = analyze(uri, text);
    assert.equal(a.workloads[0].plan.engine.name.value, 'sglang');
    const f = finding(a)!;
    assert.match(f.message, /SGLang refuses to start unless SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN=1/);
    const yarn = applied(uri, text, f, a).find((r) => /YaRN/.test(r.title))!;
    assert.match(yarn.title, /json-model-override-args/);
    assert.deepEqual(JSON.parse(parse(yarn.text)['json-model-override-args']), { rope_scaling: { rope_type: 'yarn', factor: 2, original_max_position_embeddings: 32768 }, max_position_embeddings: 65536 });
    noErrors(yarn.after, yarn.title);
  });

  it('no RoPE fix for a model whose card documents none (Llama 3.1): only the model\'s own length', () => {
    const a = analyze('file:///x/a.yaml', '# deploy-advisor: gpu=H200\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 200000\n');
    const f = finding(a)!;
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.fixes?.map((x) => x.changes), [[{ knob: 'maxModelLen', value: 131072 }]]);
  });

  it('a length beyond what YaRN factor 4 reaches gets no YaRN fix', () => {
    const f = finding(analyze('file:///x/a.yaml', '# deploy-advisor: gpu=H200\nmodel: Qwen/Qwen3-8B\nmax-model-len: 200000\n'))!;
    assert.ok(!f.fixes?.some((x) => /YaRN/.test(x.title)), JSON.stringify(f.fixes?.map((x) => x.title)));
  });

  it('VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 in the container: a warning, and the verdict is "fits"', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers:\n    - name: vllm\n      image: vllm/vllm-openai:v0.11.0\n      command: ["vllm", "serve", "Qwen/Qwen3-8B", "--max-model-len", "65536"]\n      env:\n        - name: VLLM_ALLOW_LONG_MAX_MODEL_LEN\n          value: "1"\n`;
    const a = analyze('file:///x/pod.yaml', text);
    const f = finding(a)!;
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 lets it start/);
    assert.equal(verdictOf(a).kind, 'fits');
  });

  it('TGI runs a longer MAX_TOTAL_TOKENS (no startup check recorded): a warning, not "will not start"', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  containers:\n    - name: tgi\n      image: ghcr.io/huggingface/text-generation-inference:3.0.1\n      env:\n        - name: MODEL_ID\n          value: Qwen/Qwen3-8B\n        - name: MAX_TOTAL_TOKENS\n          value: "65536"\n`;
    const a = analyze('file:///x/pod.yaml', text);
    assert.equal(a.workloads[0].plan.engine.name.value, 'tgi');
    assert.equal(finding(a)?.severity, 'warning');
    assert.notEqual(verdictOf(a).kind, 'will-not-start');
  });

  it('a RoPE override already in the file lengthens the context vLLM derives', () => {
    const a = analyze('file:///x/a.yaml', `# deploy-advisor: gpu=H100-SXM\nmodel: Qwen/Qwen3-8B\nmax-model-len: 131072\nhf-overrides:\n  rope_scaling:\n    rope_type: yarn\n    factor: 4.0\n    original_max_position_embeddings: 32768\n`);
    assert.equal(finding(a), undefined);
    assert.equal(a.workloads[0].estimate!.model.contextLimit, 131072);
  });
});

describe('the lengths engines derive', () => {
  const qwen = { maxPositions: 40960, modelType: 'qwen3' };
  const yarn = { ropeScaling: { rope_type: 'yarn', factor: 4, original_max_position_embeddings: 32768 } };
  it('vLLM: YaRN scales the original length; llama3 and longrope are already scaled; no rope_scaling is the positions', () => {
    assert.equal(derivedMaxLen('vllm', qwen), 40960);
    assert.equal(derivedMaxLen('vllm', qwen, yarn), 131072);
    assert.equal(derivedMaxLen('vllm', { maxPositions: 131072, modelType: 'llama', ropeScaling: { rope_type: 'llama3', factor: 8 } }), 131072);
    assert.equal(derivedMaxLen('vllm', { maxPositions: 131072, modelType: 'phi3', ropeScaling: { type: 'longrope', factor: 32 } }), 131072);
    assert.equal(derivedMaxLen('vllm', { maxPositions: 4096, modelType: 'llama', ropeScaling: { type: 'linear', factor: 2 } }), 8192);
  });
  it('SGLang: the factor is ignored when rope_scaling names the original length (the override states the positions)', () => {
    assert.equal(derivedMaxLen('sglang', qwen, yarn), 40960);
    assert.equal(derivedMaxLen('sglang', qwen, { ...yarn, maxPositions: 131072 }), 131072);
  });
  it('YaRN only where the model card documents it', () => {
    const m = (id: string, modelType: string, maxPositions: number, ropeScaled = false) => yarnExtension({ id, modelType, maxPositions, ropeScaled });
    assert.ok(m('Qwen/Qwen3-8B', 'qwen3', 40960));
    assert.ok(m('Qwen/Qwen3-30B-A3B', 'qwen3_moe', 40960));
    assert.ok(m('Qwen/Qwen2.5-7B-Instruct', 'qwen2', 32768));
    assert.equal(m('Qwen/Qwen3-30B-A3B-Instruct-2507', 'qwen3_moe', 262144), undefined);
    assert.equal(m('deepseek-ai/DeepSeek-R1-Distill-Qwen-7B', 'qwen2', 131072), undefined);
    assert.equal(m('meta-llama/Llama-3.1-8B-Instruct', 'llama', 131072), undefined);
    assert.equal(m('Qwen/Qwen3-8B', 'qwen3', 40960, true), undefined);
  });
});

describe('one verdict for every adapter', () => {
  const tp3 = '# deploy-advisor: gpu=H100-SXM count=3\nmodel: meta-llama/Llama-3.3-70B-Instruct\ntensor-parallel-size: 3\nmax-model-len: 16384\n';
  it('TP 3 on a 64-head model fits in memory but will not start: JSON, Markdown and the verdict agree', () => {
    const a = analyze('file:///x/a.yaml', tp3);
    const e = a.workloads[0].estimate!;
    assert.equal(e.memory.fits, true);
    const v = verdictOf(a);
    assert.equal(v.kind, 'will-not-start');
    assert.equal(v.text, 'will not start on 3 × H100-SXM: tp-divisibility');
    assert.equal(v.worst, 'error');
    assert.equal(estimateToJson(e, workloadFindings(a, 0)).verdict, 'will-not-start');
    assert.match(analysisMarkdown(a), /\*\*Will not start\.\*\* will not start on 3 × H100-SXM: tp-divisibility/);
  });

  it('warnings alone keep "fits"; a memory misfit says "does not fit" first', () => {
    const warn = analyze('file:///x/a.yaml', '# deploy-advisor: gpu=H100-SXM\nmodel: meta-llama/Llama-3.1-8B-Instruct\ngpu-memory-utilization: 0.99\n');
    assert.ok(warn.findings.some((f) => f.severity === 'warning'));
    assert.equal(verdictOf(warn).kind, 'fits');
    const big = analyze('file:///x/a.yaml', '# deploy-advisor: gpu=L4\nmodel: meta-llama/Llama-3.1-70B-Instruct\ntensor-parallel-size: 3\n');
    assert.equal(verdictOf(big).kind, 'does-not-fit');
  });

  it('the lens names an assumed GPU and how to set it; a named GPU is not marked', () => {
    const a = analyze('file:///x/a.yaml', 'model: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 8192\n');
    assert.equal(deploymentVerdict(a.workloads[0].estimate!, workloadFindings(a, 0), a.workloads[0].plan).text, 'fits on 1 × H100-SXM (assumed: set `# deploy-advisor: gpu=…` or deployAdvisor.gpu)');
    const named = analyze('file:///x/a.yaml', tp3);
    assert.doesNotMatch(deploymentVerdict(named.workloads[0].estimate!, workloadFindings(named, 0), named.workloads[0].plan).text, /assumed/);
  });
});
