/**
 * Launchers around the engines — SkyPilot task YAML, NVIDIA Dynamo graphs, Ray Serve LLM configs (and a RayService's
 * embedded serveConfigV2), trtllm-serve with its options file in a ConfigMap — read with exact ranges, and fixes
 * written back in each one's own place: the `run:` command line (or the envs value it reads), the worker's args, the
 * `engine_kwargs` mapping in snake_case, the ConfigMap's YAML at its indentation. Every offered fix on the fixtures
 * leaves a file that parses, keeps strings strings, and re-reads with no new error.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { editsForFix, planEdits } from '../../server/src/edits/apply';
import { readText } from '../../server/src/formats';
import { skypilotGpu, rayGpu } from '../../server/src/formats/acceleratorNames';
import { parseText } from '../../server/src/formats/document';
import { embeddedYaml } from '../../server/src/formats/embeddedYaml';
import { analyze, Analysis } from '../../server/src/pipeline';
import type { DeploymentPlan, Sourced } from '../../server/src/plan/types';
import type { FixIntent } from '../../server/src/rules/types';
import { newProblems, nonStrings, syntaxErrors } from '../support/applyChecks';
import { applyEdits } from '../support/lspClient';
import { fixture } from '../support/paths';

const read = (...p: string[]) => fs.readFileSync(fixture(...p), 'utf8');
const uriOf = (...p: string[]) => `file://${path.resolve(fixture(...p))}`;
/** [1-based line, column] of where a value was read. */
const at = (s: Sourced<unknown> | undefined): [number, number] | undefined => (s?.source.kind === 'file' ? [s.source.range.start.line + 1, s.source.range.start.character] : undefined);
const fix = (changes: FixIntent['changes']): FixIntent => ({ title: '', changes });

function applied(uri: string, text: string, plan: DeploymentPlan, changes: FixIntent['changes']): { text: string; a: Analysis } {
  const edits = editsForFix(fix(changes), plan, text);
  assert.ok(edits, `no edits for ${JSON.stringify(changes)}`);
  const after = applyEdits(text, edits);
  return { text: after, a: analyze(uri, after) };
}

describe('SkyPilot task YAML', () => {
  it('accelerators in each form: NAME:COUNT, a mapping, SkyPilot\'s {NAME:COUNT} set, a candidate list', () => {
    const task = (acc: string) => `resources:\n  accelerators: ${acc}\nrun: |\n  vllm serve Qwen/Qwen3-8B --max-model-len 8192\n`;
    const cases: Array<[string, string, number, number]> = [
      ['H100:8', 'H100-SXM', 8, 0], ['A100-80GB:4', 'A100-80GB', 4, 0], ['{H100: 8}', 'H100-SXM', 8, 0], ['{L4:1, A10G:1}', 'L4', 1, 1],
      ['[A100-80GB:2, H100:2]', 'A100-80GB', 2, 1], ['L4', 'L4', 1, 0], ['"A100:2"', 'A100-40GB', 2, 0],
    ];
    for (const [acc, gpu, count, others] of cases) {
      const r = readText('file:///x/task.yaml', task(acc));
      assert.equal(r.format, 'skypilot', acc);
      const p = r.plans[0];
      assert.equal(p.hardware.gpu.value, gpu, acc);
      assert.equal(p.hardware.count?.value, count, acc);
      assert.equal(at(p.hardware.gpu)?.[0], 2, acc);
      assert.equal(r.problems.filter((x) => x.code === 'launcher-not-read').length, others, acc);
    }
    assert.equal(skypilotGpu('a100-80gb'), 'A100-80GB');
    assert.deepEqual(rayGpu('A100-80G'), { gpu: 'A100-80GB' });
    assert.ok(rayGpu('A100').ambiguous);
  });

  it('num_nodes multiplies the GPUs of a replica; SKYPILOT_NUM_GPUS_PER_NODE is the accelerator count', () => {
    const text = 'num_nodes: 2\nresources:\n  accelerators: H100:8\nrun: |\n  vllm serve deepseek-ai/DeepSeek-V3 \\\n    --tensor-parallel-size $SKYPILOT_NUM_GPUS_PER_NODE --pipeline-parallel-size 2\n';
    const p = readText('file:///x/task.yaml', text).plans[0];
    assert.equal(p.knobs.tensorParallel?.value, 8);
    assert.equal(p.hardware.count?.value, 16);
    assert.equal(p.hardware.nodes?.value, 2);
    assert.deepEqual(at(p.knobs.tensorParallel), [6, 27]);
  });

  it('only the launch command of a multi-command script is read: its flags stop at the pipe, the next line is another command', () => {
    const text = 'resources:\n  accelerators: L4:1\nrun: |\n  conda activate vllm\n  vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 16384 2>&1 | tee log.txt\n  echo --max-model-len 99\n';
    const r = readText('file:///x/task.yaml', text);
    assert.equal(r.plans[0].knobs.maxModelLen?.value, 16384);
    assert.deepEqual(r.problems.filter((p) => p.code === 'unknown-key'), []);
    const after = applyEdits(text, editsForFix(fix([{ knob: 'maxNumSeqs', value: 64 }]), r.plans[0], text)!);
    assert.equal(after.split('\n')[4], '  vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 16384 --max-num-seqs 64 2>&1 | tee log.txt');
  });

  it('comments in the script are not words (an apostrophe in one opens no quote); `if …; then` still finds the launch', () => {
    const text = "resources:\n  accelerators: L4\nrun: |\n  # don't forget the token\n  vllm serve Qwen/Qwen3-8B --max-model-len 4096  # short prompts only\n";
    const r = readText('file:///x/task.yaml', text);
    assert.equal(r.format, 'skypilot');
    assert.deepEqual(at(r.plans[0].knobs.maxModelLen), [5, 43]);
    const after = applyEdits(text, editsForFix(fix([{ knob: 'maxNumSeqs', value: 32 }]), r.plans[0], text)!);
    assert.equal(after.split('\n')[4], '  vllm serve Qwen/Qwen3-8B --max-model-len 4096 --max-num-seqs 32  # short prompts only');
    const multi = readText('file:///x/task.yaml', 'num_nodes: 2\nresources:\n  accelerators: H100:8\nrun: |\n  if [ "$SKYPILOT_NODE_RANK" == "0" ]; then\n    vllm serve deepseek-ai/DeepSeek-V3 --tensor-parallel-size 8 --pipeline-parallel-size $SKYPILOT_NUM_NODES\n  fi\n');
    assert.equal(multi.plans[0].knobs.pipelineParallel?.value, 2);
    assert.deepEqual(multi.problems.filter((p) => p.code !== 'launcher-not-read' || !/SKYPILOT/.test(p.message)).map((p) => p.code), []);
  });

  it('a fix in the run: command line: a new flag after the last one, a value read from envs changed there (a string)', () => {
    const uri = uriOf('skypilot', 'vllm-llama-70b-service.yaml');
    const text = read('skypilot', 'vllm-llama-70b-service.yaml');
    const plan = analyze(uri, text).workloads[0].plan;
    const r = applied(uri, text, plan, [{ knob: 'maxModelLen', value: 16384 }, { knob: 'maxNumSeqs', value: 128 }, { knob: 'gpuMemoryUtilization', value: 0.85 }]);
    const lines = r.text.split('\n');
    assert.equal(lines[6], '  MAX_MODEL_LEN: "16384"');
    assert.equal(lines[33], '    --gpu-memory-utilization 0.85 \\');
    assert.equal(lines[34], '    --host 0.0.0.0 --port 8000 --max-num-seqs 128 2>&1 | tee /tmp/vllm.log');
    const again = r.a.workloads[0].plan;
    assert.equal(again.knobs.maxModelLen?.value, 16384);
    assert.equal(again.knobs.maxNumSeqs?.value, 128);
    assert.equal(again.knobs.gpuMemoryUtilization?.value, 0.85);
    assert.deepEqual(newProblems(analyze(uri, text), r.a), []);
  });

  it('a variable envs does not define is said, and its option left to the engine default', () => {
    const r = readText('file:///x/task.yaml', read('skypilot', 'sglang-qwen-task.yaml'));
    const p = r.problems.find((x) => x.code === 'launcher-not-read')!;
    assert.match(p.message, /\$MAX_REQS/);
    assert.equal(p.range.start.line + 1, 14);
    assert.equal(r.plans[0].knobs.maxNumSeqs, undefined);
  });

  it('a GPU count change is written into NAME:COUNT', () => {
    const text = 'resources:\n  accelerators: L4:1\nrun: |\n  vllm serve Qwen/Qwen3-8B --max-model-len 8192\n';
    const plan = readText('file:///x/task.yaml', text).plans[0];
    const after = applyEdits(text, editsForFix({ title: '', changes: [{ knob: 'tensorParallel', value: 2 }], hardware: { gpusPerReplica: 2 } }, plan, text)!);
    assert.equal(after, 'resources:\n  accelerators: L4:2\nrun: |\n  vllm serve Qwen/Qwen3-8B --max-model-len 8192 --tensor-parallel-size 2\n');
  });

  it('a move to another GPU writes SkyPilot\'s name for it (and Ray\'s in accelerator_type, a node label in a RayService)', () => {
    const sky = 'resources:\n  accelerators: A100:1\nrun: |\n  vllm serve Qwen/Qwen3-8B\n';
    const move = (text: string, uri: string, gpu: string) => applyEdits(text, editsForFix({ title: '', changes: [], hardware: { gpu } }, readText(uri, text).plans[0], text)!);
    assert.equal(move(sky, 'file:///x/task.yaml', 'H100-SXM').split('\n')[1], '  accelerators: H100:1');
    assert.equal(move(sky, 'file:///x/task.yaml', 'A100-80GB').split('\n')[1], '  accelerators: A100-80GB:1');
    const ray = read('ray', 'serve-llm-qwen-l4.yaml');
    assert.equal(move(ray, 'file:///x/serve.yaml', 'H100-SXM').split('\n')[11], '          accelerator_type: H100');
    const service = read('ray', 'rayservice-llama-70b.yaml');
    assert.equal(move(service, 'file:///x/rs.yaml', 'H200').split('\n')[51], '            nvidia.com/gpu.product: NVIDIA-H200');
  });

  it('files that are not SkyPilot tasks are left alone', () => {
    assert.equal(readText('file:///x/ci.yaml', 'jobs:\n  build:\n    run: echo hi\n').format, null);
    assert.equal(readText('file:///x/task.yaml', 'resources:\n  accelerators: H100:1\nrun: python train.py\n').format, null);
  });
});

describe('NVIDIA Dynamo DynamoGraphDeployment', () => {
  it('one plan per worker with its role; the frontend has none; Dynamo\'s own flags are not engine options', () => {
    const a = analyze(uriOf('dynamo', 'vllm-disagg-llama-70b.yaml'), read('dynamo', 'vllm-disagg-llama-70b.yaml'));
    assert.deepEqual(a.workloads.map((w) => w.plan.name), ['VllmDecodeWorker', 'VllmPrefillWorker']);
    assert.match(a.workloads[0].plan.engine.name.source.kind === 'inferred' ? a.workloads[0].plan.engine.name.source.note : '', /decode worker/);
    assert.match(a.workloads[1].plan.engine.name.source.kind === 'inferred' ? a.workloads[1].plan.engine.name.source.note : '', /prefill worker/);
    assert.ok(!a.findings.some((f) => f.rule === 'unknown-key'), JSON.stringify(a.findings.map((f) => f.message)));
  });

  it('the role from the service name or the engine flag when subComponentType is absent; the engine from the module', () => {
    const graph = (name: string, module: string, args: string) => `apiVersion: nvidia.com/v1alpha1\nkind: DynamoGraphDeployment\nmetadata:\n  name: g\nspec:\n  services:\n    ${name}:\n      componentType: worker\n      resources:\n        limits:\n          gpu: "1"\n      extraPodSpec:\n        mainContainer:\n          image: nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.5.1\n          command: [python3, -m, ${module}]\n          args: [${args}]\n`;
    const note = (text: string) => {
      const p = readText('file:///x/g.yaml', text).plans[0];
      return `${p.engine.name.value}: ${p.engine.name.source.kind === 'inferred' ? p.engine.name.source.note : ''}`;
    };
    assert.match(note(graph('SGLangPrefillWorker', 'dynamo.sglang', '--model-path, Qwen/Qwen3-8B')), /^sglang: .*prefill worker/);
    assert.match(note(graph('worker', 'dynamo.sglang', '--model-path, Qwen/Qwen3-8B, --disaggregation-mode, decode')), /^sglang: .*decode worker/);
    assert.match(note(graph('VllmWorker', 'dynamo.vllm', '--model, Qwen/Qwen3-8B')), /^vllm: .*aggregated/);
    const trt = readText('file:///x/g.yaml', graph('TRTLLMWorker', 'dynamo.trtllm', '--model-path, Qwen/Qwen3-8B, --tensor-parallel-size, "1", --max-num-tokens, "4096", --free-gpu-memory-fraction, "0.8", --extra-engine-args, /engine/agg.yaml'));
    const p = trt.plans[0];
    assert.equal(p.engine.name.value, 'trtllm');
    assert.equal(p.model.ref.value, 'Qwen/Qwen3-8B');
    assert.equal(p.knobs.maxNumBatchedTokens?.value, 4096);
    assert.equal(p.knobs.gpuMemoryUtilization?.value, 0.8);
    assert.ok(trt.problems.some((x) => x.code === 'launcher-not-read' && /agg\.yaml/.test(x.message)));
    assert.ok(!trt.problems.some((x) => x.code === 'unknown-key'), JSON.stringify(trt.problems));
  });

  it('the fix for a worker that does not fit goes into its args and its gpu quantity, both kept strings', () => {
    const uri = uriOf('dynamo', 'sglang-agg-qwen3.yaml');
    const text = read('dynamo', 'sglang-agg-qwen3.yaml');
    const a = analyze(uri, text);
    const f = a.findings.find((x) => x.rule === 'does-not-fit')!;
    const offered = f.fixes!.find((x) => x.changes.some((c) => c.knob === 'tensorParallel'))!;
    const after = applyEdits(text, editsForFix(offered, a.workloads[0].plan, text)!);
    const lines = after.split('\n');
    assert.equal(lines[19], '          gpu: "2"');
    assert.equal(lines[38], '            - "2"');
    const again = analyze(uri, after);
    assert.equal(again.workloads[0].plan.knobs.tensorParallel?.value, 2);
    assert.equal(again.workloads[0].estimate?.memory.fits, true);
    assert.ok(!again.findings.some((x) => x.rule === 'does-not-fit'));
  });

  it('dynamo.trtllm --extra-engine-args from a ConfigMap (a directory mount and a subPath): the fix edits the worker\'s own entry', () => {
    const uri = uriOf('dynamo', 'trtllm-disagg-configmap.yaml');
    const text = read('dynamo', 'trtllm-disagg-configmap.yaml');
    const a = analyze(uri, text);
    assert.deepEqual(a.workloads.map((w) => w.plan.name), ['TRTLLMPrefillWorker', 'TRTLLMDecodeWorker']);
    const f = a.findings.find((x) => x.rule === 'max-num-seqs-above-kv')!;
    assert.equal(f.workload, 1);
    const after = applyEdits(text, editsForFix(f.fixes![0], a.workloads[1].plan, text)!);
    assert.match(after.split('\n')[18], /^ {4}max_batch_size: \d+$/);
    assert.equal(after.split('\n')[10], '    max_batch_size: 16', 'the prefill worker\'s entry is untouched');
    const r = applied(uri, text, a.workloads[0].plan, [{ knob: 'kvCacheDtype', value: 'fp8' }]);
    assert.equal(r.text.split('\n')[14], '      dtype: fp8');
    assert.equal(r.a.workloads[0].plan.knobs.kvCacheDtype?.value, 'fp8');
    assert.equal(r.a.workloads[1].plan.knobs.kvCacheDtype, undefined);
  });

  it('a new flag in a shell-string worker goes before its `2>&1 | tee`', () => {
    const uri = uriOf('dynamo', 'vllm-disagg-llama-70b.yaml');
    const text = read('dynamo', 'vllm-disagg-llama-70b.yaml');
    const plan = analyze(uri, text).workloads[1].plan;
    const r = applied(uri, text, plan, [{ knob: 'maxNumSeqs', value: 64 }]);
    assert.match(r.text.split('\n')[65], /--is-prefill-worker --max-num-seqs 64 2>&1 \| tee \/tmp\/prefill\.log"$/);
    assert.equal(r.a.workloads[1].plan.knobs.maxNumSeqs?.value, 64);
  });
});

describe('Ray Serve LLM', () => {
  it('a new engine option goes into engine_kwargs in snake_case; one already there changes in place', () => {
    const uri = uriOf('ray', 'serve-llm-qwen-l4.yaml');
    const text = read('ray', 'serve-llm-qwen-l4.yaml');
    const a = analyze(uri, text);
    assert.ok(a.findings.some((f) => f.rule === 'utilization-headroom' && f.workload === 0));
    const lowered = applied(uri, text, a.workloads[0].plan, [{ knob: 'gpuMemoryUtilization', value: 0.88 }]);
    assert.equal(lowered.text.split('\n')[19], '            gpu_memory_utilization: 0.88');
    assert.ok(!lowered.a.findings.some((f) => f.rule === 'utilization-headroom' && f.workload === 0));
    const r = applied(uri, text, a.workloads[1].plan, [{ knob: 'maxNumSeqs', value: 64 }, { knob: 'kvCacheDtype', value: 'fp8' }]);
    assert.deepEqual(r.text.split('\n').slice(27, 32), ['            max_model_len: 16384', '            enable_chunked_prefill: true', '            max_num_seqs: 64', '            kv_cache_dtype: fp8', '']);
    assert.equal(r.a.workloads[1].plan.knobs.maxNumSeqs?.value, 64);
    assert.equal(r.a.workloads[1].plan.knobs.kvCacheDtype?.value, 'fp8');
  });

  it('a RayService\'s serveConfigV2 block is read in place: ranges and edits are the outer file\'s', () => {
    const uri = uriOf('ray', 'rayservice-llama-70b.yaml');
    const text = read('ray', 'rayservice-llama-70b.yaml');
    const plan = analyze(uri, text).workloads[0].plan;
    assert.deepEqual(at(plan.knobs.maxModelLen), [20, 27]);
    const r = applied(uri, text, plan, [{ knob: 'maxModelLen', value: 65536 }, { knob: 'enablePrefixCaching', value: true }]);
    assert.deepEqual(r.text.split('\n').slice(19, 22), ['            max_model_len: 65536', '            gpu_memory_utilization: 0.9', '            enable_prefix_caching: true']);
    assert.deepEqual(syntaxErrors(r.text), []);
    assert.equal(r.a.workloads[0].plan.knobs.maxModelLen?.value, 65536);
    assert.equal(r.a.workloads[0].plan.knobs.enablePrefixCaching?.value, true);
  });

  it('embedded YAML keeps the outer offsets; a folded block is said to be unreadable', () => {
    const outer = parseText('file:///x/a.yaml', 'a:\n  b: |\n    x: 1\n    y:\n      z: 2\nc: 3\n');
    const node = (outer.docs[0].contents as unknown as { get: (k: string, keep: boolean) => { get: (k: string, keep: boolean) => unknown } }).get('a', true).get('b', true);
    const inner = embeddedYaml(outer, node);
    assert.ok(inner && 'doc' in inner);
    assert.deepEqual(inner.doc.docs[0].toJS(), { x: 1, y: { z: 2 } });
    const folded = parseText('file:///x/a.yaml', 'a:\n  b: >\n    x: 1\n');
    const fnode = (folded.docs[0].contents as unknown as { get: (k: string, keep: boolean) => { get: (k: string, keep: boolean) => unknown } }).get('a', true).get('b', true);
    assert.deepEqual(embeddedYaml(folded, fnode), { unreadable: 'a folded block (`>`)' });
  });

  it('llm_configs given as file paths, and models from remote storage, are said, not guessed', () => {
    const r = readText('file:///x/serve.yaml', 'applications:\n- name: a\n  import_path: ray.serve.llm:build_openai_app\n  args:\n    llm_configs:\n    - ./qwen.yaml\n');
    assert.equal(r.format, 'ray-serve');
    assert.equal(r.plans.length, 0);
    assert.equal(r.problems[0].code, 'launcher-not-read');
    assert.equal(r.problems[0].range.start.line, 5);
  });
});

describe('trtllm-serve with its options file in a ConfigMap', () => {
  it('the file wins over the flags (serve.py update_llm_args_with_extra_dict), and the overridden flag is flagged', () => {
    const r = readText('file:///x/k.yaml', read('kubernetes', 'trtllm-serve-configmap-options.yaml'));
    const p = r.plans[0];
    assert.equal(p.knobs.gpuMemoryUtilization?.value, 0.85);
    assert.deepEqual(at(p.knobs.gpuMemoryUtilization), [14, 32]);
    const dup = r.problems.find((x) => x.code === 'duplicate-key')!;
    assert.match(dup.message, /--kv_cache_free_gpu_memory_fraction 0\.9 is overridden by free_gpu_memory_fraction: 0\.85/);
    assert.equal(dup.range.start.line + 1, 49);
  });

  it('a kv_cache_config without the fraction drops the flag\'s fraction (KvCacheConfig default 0.9)', () => {
    const text = read('kubernetes', 'trtllm-serve-configmap-options.yaml').replace('      free_gpu_memory_fraction: 0.85\n', '').replace('- "0.9"', '- "0.7"');
    const r = readText('file:///x/k.yaml', text);
    assert.equal(r.plans[0].knobs.gpuMemoryUtilization, undefined);
    assert.ok(r.problems.some((x) => x.code === 'duplicate-key' && /0\.7 is lost/.test(x.message)));
  });

  it('new options go into the ConfigMap\'s YAML at its indentation, nested ones into kv_cache_config', () => {
    const uri = uriOf('kubernetes', 'trtllm-serve-configmap-options.yaml');
    const text = read('kubernetes', 'trtllm-serve-configmap-options.yaml');
    const plan = analyze(uri, text).workloads[0].plan;
    const r = applied(uri, text, plan, [{ knob: 'kvCacheDtype', value: 'fp8' }, { knob: 'enableChunkedPrefill', value: true }, { knob: 'gpuMemoryUtilization', value: 0.8 }]);
    assert.deepEqual(r.text.split('\n').slice(12, 19), ['    kv_cache_config:', '      free_gpu_memory_fraction: 0.8', '      enable_block_reuse: true', '      dtype: fp8', '    max_num_tokens: 8192', '    enable_chunked_prefill: true', '---']);
    const again = r.a.workloads[0].plan;
    assert.equal(again.knobs.kvCacheDtype?.value, 'fp8');
    assert.equal(again.knobs.enableChunkedPrefill?.value, true);
    assert.equal(again.knobs.gpuMemoryUtilization?.value, 0.8);
  });

  it('an options file the manifest does not hold is said, on its path', () => {
    const text = read('kubernetes', 'trtllm-serve-configmap-options.yaml').replace('/config/extra-llm-api-config.yml', '/opt/extra.yml');
    const r = readText('file:///x/k.yaml', text);
    const p = r.problems.find((x) => x.code === 'launcher-not-read')!;
    assert.equal(p.range.start.line + 1, 51);
    assert.equal(r.plans[0].knobs.gpuMemoryUtilization?.value, 0.9);
  });
});

describe('every offered fix on the launcher fixtures leaves a valid file', () => {
  const FILES = ['skypilot/vllm-llama-70b-service.yaml', 'skypilot/sglang-qwen-task.yaml', 'dynamo/vllm-disagg-llama-70b.yaml', 'dynamo/sglang-agg-qwen3.yaml', 'dynamo/trtllm-disagg-configmap.yaml', 'ray/serve-llm-qwen-l4.yaml', 'ray/rayservice-llama-70b.yaml', 'kubernetes/trtllm-serve-configmap-options.yaml'];
  for (const rel of FILES) {
    it(rel, () => {
      const uri = uriOf(...rel.split('/'));
      const text = read(...rel.split('/'));
      const a = analyze(uri, text);
      for (const f of a.findings) {
        for (const x of f.fixes ?? []) {
          const r = planEdits(x, a.workloads[f.workload ?? 0]?.plan, text);
          if (!('edits' in r)) continue;
          const after = applyEdits(text, r.edits);
          assert.deepEqual([...syntaxErrors(after), ...nonStrings(after), ...newProblems(a, analyze(uri, after))], [], `${rel}: ${f.rule} → ${x.title}`);
        }
      }
    });
  }
});
