/**
 * Kubernetes-native launchers (issue 20 item 1): KServe ServingRuntime + InferenceService pairs merged as KServe
 * merges them, llm-d ModelService roles, KubeAI Model, NVIDIA NIM (NIMService, nim-llm values, a Deployment). Plan
 * values with their 1-based lines, and each launcher's fixes applied as the quick fix applies them and re-read: the
 * edit lands in the launcher's own place (predictor or runtime args, role args, the Model's args, NIM_* variables).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { editsForFix } from '../../server/src/edits/apply';
import { expandPlaceholders } from '../../server/src/formats/kserve';
import { analyze, Analysis } from '../../server/src/pipeline';
import type { Finding } from '../../server/src/rules/types';
import type { Sourced } from '../../server/src/plan/types';
import { applyEdits } from '../support/lspClient';
import { fixture } from '../support/paths';

const read = (...p: string[]) => fs.readFileSync(fixture(...p), 'utf8');
const line = (s: Sourced<unknown> | undefined) => (s?.source.kind === 'file' ? s.source.range.start.line + 1 : s?.source.kind);
const codes = (a: Analysis) => JSON.stringify(a.findings.map((f) => [f.rule, f.range.start.line + 1]));

/** Applies the fix of `rule` whose title matches, as the quick fix does; returns the new text and its analysis. */
function fixed(uri: string, text: string, rule: string, title: RegExp): { text: string; after: Analysis; finding: Finding } {
  const a = analyze(uri, text);
  const f = a.findings.find((x) => x.rule === rule && (x.fixes ?? []).some((fx) => title.test(fx.title)));
  assert.ok(f, `${rule} with a fix like ${title}: ${codes(a)} ${JSON.stringify(a.findings.find((x) => x.rule === rule)?.fixes?.map((x) => x.title))}`);
  const fix = f.fixes!.find((fx) => title.test(fx.title))!;
  const edits = editsForFix(fix, a.workloads[f.workload ?? 0].plan, text);
  assert.ok(edits, `${fix.title}: no edit`);
  const out = applyEdits(text, edits);
  for (const d of parseAllDocuments(out)) assert.deepEqual(d.errors, [], 'the fixed file stays valid YAML');
  return { text: out, after: analyze(uri, out), finding: f };
}

describe('KServe: runtime + InferenceService pairs', () => {
  it('placeholders are the service\'s metadata; unknown ones stay as written', () => {
    const doc = parse('metadata:\n  name: granite\n  namespace: ai\n  labels:\n    tier: gold\n');
    const { parseDocument } = require('yaml') as typeof import('yaml');
    const meta = parseDocument('name: granite\nnamespace: ai\nlabels:\n  tier: gold\n').contents;
    assert.ok(doc);
    const r = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const out = expandPlaceholders(['--served-model-name={{.Name}}', '{{ .Namespace }}/{{.Labels.tier}}', '{{.Annotations.x}}'].map((text) => ({ text, range: r })), meta);
    assert.deepEqual(out.map((t) => t.text), ['--served-model-name=granite', 'ai/gold', '{{.Annotations.x}}']);
  });

  it('the predictor\'s args follow the runtime\'s and override them; env merged by name; resources from the predictor', () => {
    const a = analyze('file:///k/pair.yaml', read('kserve', 'vllm-runtime-llama.yaml'));
    assert.equal(a.workloads.length, 1, 'the runtime used by the service is not a plan of its own');
    const p = a.workloads[0].plan;
    assert.equal(p.engine.name.value, 'vllm');
    assert.equal(p.engine.name.source.kind === 'inferred' && p.engine.name.source.note, 'vllm from runtime vllm-runtime');
    assert.equal(p.knobs.maxModelLen?.value, 16384);
    assert.equal(line(p.knobs.maxModelLen), 59, 'the predictor\'s --max-model-len (line 59), not the runtime\'s (line 28)');
    // The predictor's VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 replaces the runtime's 0.
    assert.equal(p.engine.allowLongContext?.value, true);
    assert.equal(line(p.engine.allowLongContext), 64);
    assert.equal(p.engine.version?.value, '0.10.1');
    assert.deepEqual(p.hardwareSites?.gpuCount.map((s) => s.range.start.line + 1), [72], 'the predictor\'s GPU limit is the one in force');
    assert.ok(!a.findings.some((f) => f.rule === 'duplicate-key'), codes(a));
  });

  it('a fix of a value the predictor sets edits the predictor\'s arg', () => {
    const r = fixed('file:///k/pair.yaml', read('kserve', 'vllm-runtime-llama.yaml'), 'max-num-seqs-above-kv', /^Set max-num-seqs: /);
    assert.equal(r.text.split('\n')[60], '        - --max-num-seqs=28');
    assert.equal(line(r.after.workloads[0].plan.knobs.maxNumSeqs), 61);
    assert.ok(!r.after.findings.some((f) => f.rule === 'max-num-seqs-above-kv'), codes(r.after));
  });

  it('a fix of a value the runtime sets edits the runtime\'s arg (the service writes no args)', () => {
    const r = fixed('file:///k/auto.yaml', read('kserve', 'runtime-auto-select.yaml'), 'max-len-above-model', /^Set max-model-len: 40960/);
    assert.equal(r.text.split('\n')[36], '        - "40960"');
    assert.equal(r.after.workloads[0].plan.knobs.maxModelLen?.value, 40960);
    // The runtime mounts no /dev/shm for its two GPUs: that error is the merged pod's own (shm-too-small), not the fix's.
    assert.ok(!r.after.findings.some((f) => f.severity === 'error' && f.rule !== 'shm-too-small'), codes(r.after));
  });

  it('a new flag goes after the last merged arg: the predictor\'s when it has args', () => {
    const text = read('kserve', 'vllm-runtime-llama.yaml').replace('        - --max-model-len=16384\n', '').replace('        - --max-model-len=8192\n', '');
    const r = fixed('file:///k/pair.yaml', text, 'max-len-exceeds-kv', /^Set max-model-len: /);
    const lines = r.text.split('\n');
    const at = lines.findIndex((l) => /^ {8}- --max-model-len=\d+$/.test(l));
    assert.ok(at > lines.findIndex((l) => l.includes('storageUri')), 'inserted among the predictor\'s args');
    assert.equal(line(r.after.workloads[0].plan.knobs.maxModelLen), at + 1);
    assert.ok(!r.after.findings.some((f) => f.rule === 'max-len-exceeds-kv'), codes(r.after));
  });

  it('a runtime no service uses and that serves the mounted model is no plan, but says why', () => {
    const a = analyze('file:///k/auto.yaml', read('kserve', 'runtime-auto-select.yaml'));
    assert.deepEqual(a.workloads.map((w) => w.plan.name), ['qwen3-32b'], 'autoSelect: false runtimes are not picked; the namespaced HuggingFace one is (format names compared case-insensitively)');
    assert.ok(a.findings.some((f) => f.rule === 'kserve-runtime-no-model' && f.range.start.line === 11));
  });

  it('a runtime alone that names its model is a plan of its own', () => {
    const text = 'apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata:\n  name: qwen-rt\nspec:\n  supportedModelFormats:\n    - name: vLLM\n  containers:\n    - name: kserve-container\n      image: vllm/vllm-openai:v0.10.1\n      args: ["--model", "Qwen/Qwen3-8B", "--max-model-len", "16384"]\n      resources:\n        limits:\n          nvidia.com/gpu: "1"\n';
    const a = analyze('file:///k/rt.yaml', text);
    assert.equal(a.workloads.length, 1);
    assert.equal(a.workloads[0].plan.model.ref.value, 'Qwen/Qwen3-8B');
    assert.equal(line(a.workloads[0].plan.knobs.maxModelLen), 11);
    assert.equal(line(a.workloads[0].plan.hardware.count), 14);
  });

  it('a service whose runtime is not in the file is read as before, with the assumption stated on its format', () => {
    const a = analyze('file:///k/hf.yaml', read('kubernetes', 'kserve-huggingface.yaml'));
    assert.equal(a.workloads[0].plan.model.ref.value, 'Qwen/Qwen2.5-7B-Instruct');
    const f = a.findings.find((x) => x.rule === 'kserve-runtime-assumed');
    assert.ok(f, codes(a));
    assert.equal(f.range.start.line + 1, 9);
    assert.match(f.message, /Hugging Face runtime \(huggingfaceserver, vLLM backend\)/);
  });

  it('a storageUri that is not hf:// leaves the model unknown, said on the storageUri', () => {
    const text = read('kserve', 'vllm-runtime-llama.yaml').replace('hf://meta-llama/Llama-3.1-8B-Instruct', 's3://models/llama-3.1-8b');
    const a = analyze('file:///k/s3.yaml', text);
    const f = a.findings.find((x) => x.rule === 'missing-model');
    assert.ok(f, codes(a));
    assert.equal(f.range.start.line + 1, 57);
    assert.match(f.message, /s3:\/\/models\/llama-3\.1-8b is not a Hugging Face id/);
  });
});

describe('llm-d ModelService', () => {
  it('one plan per role, named after the object; a fix edits that role\'s args', () => {
    const r = fixed('file:///k/ms.yaml', read('llm-d', 'modelservice-pd.yaml'), 'utilization-headroom', /^Set gpu-memory-utilization: /);
    assert.equal(r.finding.workload, 1);
    assert.match(r.text.split('\n')[46], /^ {10}- "0\.9\d*"$/);
    const prefill = r.after.workloads[1].plan;
    assert.equal(prefill.name, 'llama-31-8b-pd prefill');
    assert.equal(line(prefill.knobs.gpuMemoryUtilization), 47);
    assert.ok(prefill.knobs.gpuMemoryUtilization!.value < 0.98);
    assert.equal(r.after.workloads[0].plan.knobs.gpuMemoryUtilization, undefined, 'the decode role is untouched');
  });

  it('a role whose parallelism.tensor differs from its --tensor-parallel-size is reported', () => {
    const text = read('llm-d', 'modelservice-pd.yaml').replace('      tensor: 2\n', '      tensor: 4\n');
    const a = analyze('file:///k/ms.yaml', text);
    assert.ok(a.findings.some((f) => f.rule === 'llmd-parallelism-mismatch' && f.range.start.line + 1 === 19), codes(a));
  });
});

describe('KubeAI Model', () => {
  const uri = 'file:///k/kubeai.yaml';
  it('a fix adds the flag after the args in KubeAI\'s --flag=value style, and the count in resourceProfile', () => {
    const text = read('kubeai', 'llama-3.1-8b-l4.yaml');
    const len = fixed(uri, text, 'max-len-exceeds-kv', /^Set max-model-len: /);
    assert.match(len.text.split('\n')[13], /^ {4}- --max-model-len=\d+$/);
    assert.equal(line(len.after.workloads[0].plan.knobs.maxModelLen), 14);
    assert.ok(!len.after.findings.some((f) => f.rule === 'max-len-exceeds-kv'), codes(len.after));
    const tp = fixed(uri, text, 'max-len-exceeds-kv', /^Set tensor-parallel-size: 2/);
    assert.match(tp.text, /\n {2}resourceProfile: nvidia-gpu-l4:2\n/);
    const p = tp.after.workloads[0].plan;
    assert.deepEqual([p.knobs.tensorParallel?.value, p.hardware.count?.value, p.hardware.gpu.value], [2, 2, 'L4']);
  });

  it('a Model without args: the fix opens the list after the spec\'s last key', () => {
    const text = 'apiVersion: kubeai.org/v1\nkind: Model\nmetadata:\n  name: llama\nspec:\n  url: hf://meta-llama/Llama-3.1-8B-Instruct\n  engine: VLLM\n  resourceProfile: nvidia-gpu-l4:1\n';
    const r = fixed(uri, text, 'max-len-exceeds-kv', /^Set max-model-len: /);
    assert.match(r.text, /\n {2}resourceProfile: nvidia-gpu-l4:1\n {2}args:\n {4}- "--max-model-len=\d+"\n$/);
    assert.ok(!r.after.findings.some((f) => f.rule === 'max-len-exceeds-kv'), codes(r.after));
  });

  it('an engine other than vLLM is no plan, a profile of the cluster\'s own gets no guessed GPU, a non-hf url no model', () => {
    const a = analyze(uri, read('kubeai', 'llama-3.1-8b-l4.yaml'));
    assert.deepEqual(a.workloads.map((w) => w.plan.name), ['llama-3.1-8b-instruct-l4', 'llama-3.3-70b-h100']);
    const custom = analyze(uri, 'apiVersion: kubeai.org/v1\nkind: Model\nmetadata:\n  name: m\nspec:\n  url: s3://bucket/llama\n  engine: VLLM\n  resourceProfile: my-a100s:2\n');
    const p = custom.workloads[0].plan;
    assert.equal(p.hardware.gpu.source.kind, 'default');
    assert.equal(p.hardware.count?.value, 2);
    assert.ok(custom.findings.some((f) => f.rule === 'kubeai-profile-unknown' && f.range.start.line === 7 && f.range.end.character === 27), codes(custom));
    assert.ok(custom.findings.some((f) => f.rule === 'missing-model' && f.range.start.line === 5), codes(custom));
  });
});

describe('NVIDIA NIM', () => {
  it('NIMService: the model from the image repository, NIM_* variables as knobs; a fix rewrites NIM_MAX_MODEL_LEN', () => {
    const r = fixed('file:///k/nim.yaml', read('nim', 'nimservice-llama-3.1-8b.yaml'), 'max-len-above-model', /^Set max-model-len: 131072/);
    assert.equal(r.text.split('\n')[29], '      value: "131072"');
    const p = r.after.workloads[0].plan;
    assert.equal(p.knobs.maxModelLen?.value, 131072);
    assert.ok(!r.after.findings.some((f) => f.severity === 'error'), codes(r.after));
    const f = r.after.findings.find((x) => x.rule === 'nim-engine-assumed');
    assert.match(f!.message, /estimated as vLLM/);
  });

  it('a Deployment running a NIM image: a new setting is a NIM_* entry in its env list', () => {
    const r = fixed('file:///k/nimd.yaml', read('nim', 'deployment-nim.yaml'), 'max-len-exceeds-kv', /^Set max-model-len: /);
    const env = parse(r.text).spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
    const added = env.find((e) => e.name === 'NIM_MAX_MODEL_LEN');
    assert.ok(added && typeof added.value === 'string' && /^\d+$/.test(added.value), JSON.stringify(env));
    const p = r.after.workloads[0].plan;
    assert.equal(p.knobs.maxModelLen?.value, Number(added.value));
    assert.equal(line(p.knobs.maxModelLen), 30);
    assert.ok(!r.after.findings.some((x) => x.rule === 'max-len-exceeds-kv'), codes(r.after));
  });

  it('a fix of a knob NIM has no variable for is refused rather than written as an engine flag', () => {
    const a = analyze('file:///k/nimd.yaml', read('nim', 'deployment-nim.yaml'));
    const f = a.findings.find((x) => x.rule === 'max-len-exceeds-kv')!;
    const fp8 = f.fixes!.find((x) => /kv-cache-dtype: fp8/.test(x.title))!;
    assert.equal(editsForFix(fp8, a.workloads[0].plan, read('nim', 'deployment-nim.yaml')), undefined);
  });

  it('nim-llm Helm values: a named TensorRT-LLM profile sets the engine, its TP and PP, and its GPU where no selector does', () => {
    const a = analyze('file:///k/values.yaml', read('nim', 'nim-llm-values.yaml'));
    const p = a.workloads[0].plan;
    assert.equal(p.engine.name.value, 'trtllm');
    assert.deepEqual([p.knobs.tensorParallel?.value, p.knobs.tensorParallel?.source.kind, p.knobs.pipelineParallel?.value], [4, 'inferred', 1]);
    assert.equal(line(p.knobs.maxModelLen), 26);
    const noSelector = analyze('file:///k/values.yaml', read('nim', 'nim-llm-values.yaml').replace(/nodeSelector:\n.*\n/, ''));
    assert.deepEqual([noSelector.workloads[0].plan.hardware.gpu.value, line(noSelector.workloads[0].plan.hardware.gpu)], ['H100-SXM', 22]);
  });

  it('a multi-node NIM in a LeaderWorkerSet: GPUs per replica are the group\'s, and a GPU change rewrites every pod template', () => {
    const text = 'apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nmetadata:\n  name: nim-405b\nspec:\n  replicas: 1\n  leaderWorkerTemplate:\n    size: 2\n    leaderTemplate:\n      spec:\n        containers:\n          - name: nim-leader\n            image: nvcr.io/nim/meta/llama-3.1-405b-instruct:1.8.4\n            env:\n              - name: NIM_TENSOR_PARALLEL_SIZE\n                value: "8"\n              - name: NIM_PIPELINE_PARALLEL_SIZE\n                value: "2"\n            resources:\n              limits:\n                nvidia.com/gpu: "8"\n    workerTemplate:\n      spec:\n        containers:\n          - name: nim-worker\n            image: nvcr.io/nim/meta/llama-3.1-405b-instruct:1.8.4\n            resources:\n              limits:\n                nvidia.com/gpu: "8"\n';
    const a = analyze('file:///k/lws.yaml', text);
    const p = a.workloads[0].plan;
    assert.deepEqual([p.hardware.count?.value, line(p.hardware.count), p.knobs.tensorParallel?.value, p.knobs.pipelineParallel?.value], [16, 21, 8, 2]);
    assert.ok(!a.findings.some((f) => f.rule === 'gpu-count-mismatch'), codes(a));
    const { planEdits } = require('../../server/src/edits/apply') as typeof import('../../server/src/edits/apply');
    const r = planEdits({ title: '', changes: [], hardware: { gpusPerReplica: 8 } }, p, text);
    assert.ok('edits' in r, JSON.stringify(r));
    assert.deepEqual(r.edits.map((e) => [e.range.start.line + 1, e.newText]), [[8, '1'], [21, '"8"'], [29, '"8"']]);
  });

  it('an image outside the table is an unknown model said on the image; the multi-LLM NIM reads NIM_MODEL_NAME', () => {
    const base = read('nim', 'deployment-nim.yaml');
    const unknown = analyze('file:///k/u.yaml', base.replace('nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4', 'nvcr.io/nim/acme/private-llm:1.0'));
    const f = unknown.findings.find((x) => x.rule === 'missing-model');
    assert.ok(f && f.range.start.line + 1 === 20, codes(unknown));
    const multi = analyze('file:///k/m.yaml', base.replace('nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4', 'nvcr.io/nim/nvidia/llm-nim:1.12').replace('            - name: NIM_KV_CACHE_PERCENT', '            - name: NIM_MODEL_NAME\n              value: hf://Qwen/Qwen3-8B\n            - name: NIM_KV_CACHE_PERCENT'));
    assert.deepEqual([multi.workloads[0].plan.model.ref.value, line(multi.workloads[0].plan.model.ref)], ['Qwen/Qwen3-8B', 28]);
  });
});
