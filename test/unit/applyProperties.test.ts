/**
 * Property tests (fast-check) for applied advice on randomly built Kubernetes manifests — random model, engine, TP,
 * GPU counts (matching or not), limits with or without requests, replicas or none, GPU selectors of every kind or
 * none, argv as a block list, a flow list or one shell string, items quoted or bare, `--k v` or `--k=v`: every offered
 * fix leaves YAML whose argv items and env values are strings and that re-diagnoses with no new error and no new
 * gpu-count-mismatch; a hardware change reads back as that hardware wherever the file could state it.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planEdits } from '../../server/src/edits/apply';
import { instanceFor, labelValueFor } from '../../server/src/formats/gpuLabels';
import { analyze } from '../../server/src/pipeline';
import { newProblems, nonStrings, syntaxErrors } from '../support/applyChecks';
import { applyEdits } from '../support/lspClient';

const GPUS = ['H100-SXM', 'L4', 'A100-80GB', 'L40S', 'H200'];
const MODELS = ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen3-8B', 'meta-llama/Llama-3.1-70B-Instruct', 'mistralai/Mistral-7B-Instruct-v0.3', 'Qwen/Qwen2.5-32B-Instruct'];
const FLAGS = {
  vllm: { tp: 'tensor-parallel-size', len: 'max-model-len', seqs: 'max-num-seqs', mem: 'gpu-memory-utilization' },
  sglang: { tp: 'tp-size', len: 'context-length', seqs: 'max-running-requests', mem: 'mem-fraction-static' },
};

interface Manifest {
  engine: 'vllm' | 'sglang';
  model: string;
  gpu: string;
  tp: number;
  count: number | 'tp' | 'none';
  requests: boolean;
  countQuote: '' | '"';
  replicas?: number;
  selector: 'none' | 'gpu.product' | 'gke' | 'instance' | 'karpenter' | 'affinity';
  maxModelLen: number;
  maxNumSeqs?: number;
  mem?: number;
  list: 'block' | 'flow' | 'shell';
  quote: '' | '"' | "'";
  equals: boolean;
}

const manifest: fc.Arbitrary<Manifest> = fc.record({
  engine: fc.constantFrom('vllm' as const, 'sglang' as const),
  model: fc.constantFrom(...MODELS),
  gpu: fc.constantFrom(...GPUS),
  tp: fc.constantFrom(1, 2, 3, 4, 8),
  count: fc.constantFrom<Manifest['count']>('tp', 'tp', 1, 2, 4, 8, 'none'),
  requests: fc.boolean(),
  countQuote: fc.constantFrom('' as const, '"' as const),
  replicas: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  selector: fc.constantFrom<Manifest['selector']>('none', 'gpu.product', 'gke', 'instance', 'karpenter', 'affinity'),
  maxModelLen: fc.constantFrom(4096, 16384, 65536, 131072),
  maxNumSeqs: fc.option(fc.constantFrom(8, 64, 256, 1024), { nil: undefined }),
  mem: fc.option(fc.constantFrom(0.85, 0.9, 0.95), { nil: undefined }),
  list: fc.constantFrom('block' as const, 'flow' as const, 'shell' as const),
  quote: fc.constantFrom('' as const, '"' as const, "'" as const),
  equals: fc.boolean(),
});

/** The node selector (or affinity) lines for the manifest's GPU, or none where the label has no value for it. */
function selector(m: Manifest, perPod: number): string[] {
  const label = m.selector === 'gpu.product' || m.selector === 'affinity' ? 'nvidia.com/gpu.product' : m.selector === 'gke' ? 'cloud.google.com/gke-accelerator' : m.selector === 'karpenter' ? 'karpenter.k8s.aws/instance-gpu-name' : 'node.kubernetes.io/instance-type';
  const value = m.selector === 'none' ? undefined : m.selector === 'instance' ? instanceFor('aws', m.gpu, perPod) : labelValueFor(label, '', m.gpu);
  if (!value) return [];
  if (m.selector === 'affinity') {
    return ['      affinity:', '        nodeAffinity:', '          requiredDuringSchedulingIgnoredDuringExecution:', '            nodeSelectorTerms:', '              - matchExpressions:', `                  - key: ${label}`, '                    operator: In', `                    values: ["${value}"]`];
  }
  return ['      nodeSelector:', `        ${label}: ${value}`];
}

function render(m: Manifest): string {
  const f = FLAGS[m.engine];
  const pairs: Array<[string, string | undefined]> = [[m.engine === 'vllm' ? 'model' : 'model-path', m.model], [f.tp, String(m.tp)], [f.len, String(m.maxModelLen)]];
  if (m.maxNumSeqs) pairs.push([f.seqs, String(m.maxNumSeqs)]);
  if (m.mem) pairs.push([f.mem, String(m.mem)]);
  pairs.push(['enable-prefix-caching', undefined]);
  if (m.engine === 'sglang') pairs.pop();
  const words = pairs.flatMap(([k, v]) => (v === undefined ? [`--${k}`] : m.equals ? [`--${k}=${v}`] : [`--${k}`, v]));
  // Bare items stay valid Kubernetes: a word YAML would read as a number is quoted.
  const item = (w: string) => (m.quote ? (m.quote === '"' ? JSON.stringify(w) : `'${w}'`) : /^[\d.]+$/.test(w) ? `"${w}"` : w);
  const launcher = m.engine === 'vllm' ? ['vllm', 'serve'] : ['python3', '-m', 'sglang.launch_server'];
  const image = m.engine === 'vllm' ? 'vllm/vllm-openai:v0.10.1' : 'lmsysorg/sglang:v0.5.3-cu126';
  const argv = m.list === 'block'
    ? ['          command:', ...launcher.map((w) => `            - ${item(w)}`), '          args:', ...words.map((w) => `            - ${item(w)}`)]
    : m.list === 'flow'
      ? [`          command: [${launcher.map(item).join(', ')}]`, `          args: [${words.map(item).join(', ')}]`]
      : ['          command: ["/bin/sh", "-c"]', `          args: ["${[...launcher, ...words].join(' ')}"]`];
  const count = m.count === 'none' ? undefined : m.count === 'tp' ? m.tp : m.count;
  const q = (n: number) => `${m.countQuote}${n}${m.countQuote}`;
  const resources = count === undefined ? [] : ['          resources:', '            limits:', `              nvidia.com/gpu: ${q(count)}`, ...(m.requests ? ['            requests:', `              nvidia.com/gpu: ${q(count)}`] : [])];
  return [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: served', 'spec:', ...(m.replicas ? [`  replicas: ${m.replicas}`] : []),
    '  selector:', '    matchLabels:', '      app: served', '  template:', '    metadata:', '      labels:', '        app: served', '    spec:',
    ...selector(m, count ?? m.tp), '      containers:', '        - name: server', `          image: ${image}`, ...argv,
    '          env:', '            - name: HF_HOME', '              value: /models', ...resources, '',
  ].join('\n');
}

const uri = 'file:///x/served.yaml';

describe('advice applied to random manifests', () => {
  it('every fix leaves strings in argv and env, and no new error or gpu-count-mismatch', () => {
    let fixes = 0;
    fc.assert(fc.property(manifest, (m) => {
      const text = render(m);
      const a = analyze(uri, text);
      assert.equal(a.workloads.length, 1, text);
      for (const f of a.findings) {
        for (const fix of f.fixes ?? []) {
          const r = planEdits(fix, a.workloads[0].plan, text);
          if (!('edits' in r)) continue;
          const after = applyEdits(text, r.edits);
          const label = `${f.rule} → ${fix.title}\n${after}`;
          assert.deepEqual([...syntaxErrors(after), ...nonStrings(after)], [], label);
          assert.deepEqual(newProblems(a, analyze(uri, after)), [], label);
          fixes++;
        }
      }
    }), { numRuns: 60, seed: 1616, includeErrorInReport: true });
    assert.ok(fixes > 20, `only ${fixes} fixes applied`);
  });

  it('a hardware change reads back as that hardware, or says what the file cannot state', () => {
    let readBack = 0;
    const change = fc.record({ tp: fc.constantFrom(1, 2, 4, 8), gpu: fc.constantFrom(...GPUS), replicas: fc.integer({ min: 1, max: 4 }) });
    fc.assert(fc.property(manifest, change, (m, c) => {
      const text = render(m);
      const a = analyze(uri, text);
      const fix = { title: '', changes: [{ knob: 'tensorParallel' as const, value: c.tp }], hardware: { gpu: c.gpu, gpusPerReplica: c.tp, replicas: c.replicas } };
      const r = planEdits(fix, a.workloads[0].plan, text);
      if (!('edits' in r)) {
        // Only a GPU the file's selector has no value for (or no instance type of its cloud) blocks the edit.
        assert.match(r.reason, /no value known here|instance type known here/, text);
        return;
      }
      const after = applyEdits(text, r.edits);
      assert.deepEqual([...syntaxErrors(after), ...nonStrings(after)], [], after);
      const b = analyze(uri, after);
      assert.deepEqual(b.findings.filter((f) => f.rule === 'gpu-count-mismatch').map((f) => f.message), [], after);
      const hw = b.workloads[0].estimate?.hardware;
      if (!hw) return;
      assert.equal(hw.gpu, c.gpu, after);
      assert.equal(hw.replicas, c.replicas, after);
      if (m.count !== 'none') {
        assert.equal(hw.count, c.tp, after);
        readBack++;
      } else if (hw.count !== c.tp) {
        // No GPU request to write: the note says to add one.
        assert.ok(r.notes.some((n) => /requests no GPUs/.test(n)), `no note for the missing GPU request\n${after}`);
      }
    }), { numRuns: 80, seed: 1617, includeErrorInReport: true });
    assert.ok(readBack > 20, `only ${readBack} read back`);
  });
});
