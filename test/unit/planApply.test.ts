/**
 * Applying an optimizer plan to a file must give that plan: every fixture's plans on its own GPU are applied as the
 * editor applies them (deployAdvisor/optimize's edit), the file is read again, and the estimate must run the plan's
 * layout, batch knobs and precisions with no new errors. Plans a file cannot take say why.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { editsForFix, planEdits } from '../../server/src/edits/apply';
import { plainString } from '../../server/src/edits/text';
import { gpuFromInstanceType, gpuFromLabel, instanceFor, labelValueFor } from '../../server/src/formats/gpuLabels';
import type { FixIntent } from '../../server/src/rules/types';
import { newProblems, nonStrings, syntaxErrors } from '../support/applyChecks';
import { optimizeForDocument } from '../../server/src/lsp/optimizeRequest';
import { optimizeJob, runOptimizeJob } from '../../server/src/optimizer/forPlan';
import { analyze } from '../../server/src/pipeline';
import { applyEdits } from '../support/lspClient';
import { fixture } from '../support/paths';

const FOLDERS = ['vllm', 'sglang', 'trtllm', 'kubernetes', 'compose', 'helm', 'profile', 'equivalence'];
const catalog = new GpuCatalog();

describe('optimizer plans applied to the files they were searched for', () => {
  it('read back as the plan: layout, batch knobs, precisions, chunked prefill, DP attention; no new errors', () => {
    let applied = 0;
    let attentionDp = 0;
    const engines = new Set<string>();
    for (const folder of FOLDERS) {
      for (const name of fs.readdirSync(fixture(folder)).filter((n) => /\.ya?ml$/.test(n))) {
        const file = fixture(folder, name);
        const uri = `file://${path.resolve(file)}`;
        const text = fs.readFileSync(file, 'utf8');
        const a = analyze(uri, text);
        const w = a.workloads[0];
        if (!w?.estimate) continue;
        // The file's own GPU type: plans on another need the cluster changed, which no edit of this file does.
        const job = optimizeJob(w.plan);
        job.gpus = [catalog.find(w.estimate.hardware.gpu)!];
        const r = optimizeForDocument(uri, text, a, runOptimizeJob(job), 0);
        // An error the file already had stays the same error when its figures move with the plan (a host-memory-limit
        // whose tiers scale with the GPUs): compared by message, and by rule for the pod checks, whose numbers do.
        const podRules = new Set(['host-memory-limit', 'shm-too-small', 'probe-before-load']);
        const errorsBefore = new Set(a.findings.filter((f) => f.severity === 'error').map((f) => (podRules.has(f.rule) ? f.rule : f.message)));
        for (const x of r.plans.slice(0, 8)) {
          const p = x.plan;
          const label = `${folder}/${name}: ${JSON.stringify(p)}`;
          if (!x.edit) {
            assert.ok(x.noEdit, `no edit and no reason: ${label}`);
            continue;
          }
          const b = analyze(uri, applyEdits(text, x.edit.changes[uri]));
          const s = b.workloads[0]?.estimate?.serving;
          assert.ok(s, `no estimate after applying ${label}`);
          assert.deepEqual(
            [s.tensorParallel, s.pipelineParallel, s.expertParallel, p.attentionDataParallel > 1 ? s.dataParallel : 1, s.maxNumSeqs, s.maxNumBatchedTokens, s.kvCacheDtype, s.weightDtype, s.chunkedPrefill],
            [p.tensorParallel, p.pipelineParallel, p.expertParallel, p.attentionDataParallel, p.maxNumSeqs, p.maxNumBatchedTokens, p.kvCacheDtype, p.weightDtype, true],
            label,
          );
          const added = b.findings.filter((f) => f.severity === 'error' && !errorsBefore.has(podRules.has(f.rule) ? f.rule : f.message));
          assert.deepEqual(added.map((f) => f.message), [], label);
          applied++;
          if (p.attentionDataParallel > 1) attentionDp++;
          engines.add(p.engine);
        }
      }
    }
    assert.ok(applied > 150, `only ${applied} plans applied`);
    assert.ok(attentionDp > 0, 'no DP-attention plan among them');
    assert.deepEqual([...engines].sort(), ['sglang', 'tgi', 'trtllm', 'vllm']);
  });
});

/** Reads a fixture, applies a fix intent through planEdits, and reads the result back. */
function applyTo(rel: string | { uri: string; text: string }, fix: FixIntent, workload = 0) {
  const { uri, text } = typeof rel === 'string' ? { uri: `file://${path.resolve(fixture(rel))}`, text: fs.readFileSync(fixture(rel), 'utf8') } : rel;
  const a = analyze(uri, text);
  const r = planEdits(fix, a.workloads[workload].plan, text);
  if (!('edits' in r)) return { reason: r.reason, text, after: text, notes: [] as string[], a, b: a };
  const after = applyEdits(text, r.edits);
  return { text, after, notes: r.notes, a, b: analyze(uri, after), reason: undefined };
}
const lineOf = (text: string, re: RegExp) => text.split('\n').filter((l) => re.test(l)).map((l) => l.trim());

describe('values written into string-typed places stay strings', () => {
  it('an args list of unquoted items gets new numbers quoted in the file\'s quote style, flags bare', () => {
    const r = applyTo('kubernetes/vllm-args-unquoted.yaml', { title: '', changes: [{ knob: 'maxNumSeqs', value: 8 }, { knob: 'enableChunkedPrefill', value: true }, { knob: 'kvCacheDtype', value: 'fp8' }] });
    assert.match(r.after, /\n {12}- --enable-prefix-caching\n {12}- --max-num-seqs\n {12}- '8'\n {12}- --enable-chunked-prefill\n {12}- --kv-cache-dtype\n {12}- fp8\n {10}env:/);
    assert.deepEqual(nonStrings(r.after), []);
    assert.equal(r.b.workloads[0].plan.knobs.maxNumSeqs?.value, 8);
  });

  it('in place: "4" → "8", a bare 4 → "8", --x=4 → --x=8, and booleans and YAML 1.1 words are quoted', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: vllm\n      image: vllm/vllm-openai:v0.10.1\n      args: [--model, Qwen/Qwen3-8B, --max-num-seqs, 4, --gpu-memory-utilization, "0.8", --max-model-len=4096]\n';
    const r = applyTo({ uri: 'file:///x/pod.yaml', text }, { title: '', changes: [{ knob: 'maxNumSeqs', value: 8 }, { knob: 'maxModelLen', value: 8192 }, { knob: 'gpuMemoryUtilization', value: 0.9 }, { knob: 'maxNumBatchedTokens', value: 2048 }] });
    assert.equal(lineOf(r.after, /args:/)[0], 'args: [--model, Qwen/Qwen3-8B, --max-num-seqs, "8", --gpu-memory-utilization, "0.9", --max-model-len=8192, --max-num-batched-tokens, "2048"]');
    assert.deepEqual(nonStrings(r.after), []);
    for (const w of ['8', '0.9', 'true', 'yes', 'on', '~', 'null', '1e3', '0o17', '1_000', '1:20', '.5']) assert.equal(plainString(w), false, w);
    for (const w of ['--max-num-seqs', 'fp8', 'Qwen/Qwen3-8B', '--x=4', 'auto']) assert.equal(plainString(w), true, w);
  });

  it('env values: a Kubernetes env value and a Compose environment number are strings', () => {
    const text = 'services:\n  tgi:\n    image: ghcr.io/huggingface/text-generation-inference:3.3.4\n    environment:\n      MODEL_ID: Qwen/Qwen2.5-7B-Instruct\n      MAX_TOTAL_TOKENS: 8192\n';
    const r = applyTo({ uri: 'file:///x/compose.yaml', text }, { title: '', changes: [{ knob: 'maxModelLen', value: 4096 }, { knob: 'maxNumSeqs', value: 16 }] });
    assert.match(r.after, /MAX_TOTAL_TOKENS: "4096"\n {6}MAX_CONCURRENT_REQUESTS: "16"\n$/);
    const list = 'services:\n  tgi:\n    image: ghcr.io/huggingface/text-generation-inference:3.3.4\n    environment:\n      - MODEL_ID=Qwen/Qwen2.5-7B-Instruct\n      - MAX_TOTAL_TOKENS=8192\n';
    const l = applyTo({ uri: 'file:///x/compose.yaml', text: list }, { title: '', changes: [{ knob: 'maxModelLen', value: 4096 }] });
    assert.match(l.after, /- MAX_TOTAL_TOKENS=4096\n$/);
  });

  it('a shell string in a single-quoted YAML scalar takes a quoted word escaped for it', () => {
    const text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: vllm\n      image: vllm/vllm-openai:v0.10.1\n      command: ['/bin/sh', '-c', 'vllm serve Qwen/Qwen3-8B --max-model-len 4096']\n";
    const r = applyTo({ uri: 'file:///x/pod.yaml', text }, { title: '', changes: [{ knob: 'maxModelLen', value: 8192 }] });
    assert.match(r.after, /'vllm serve Qwen\/Qwen3-8B --max-model-len 8192'/);
    assert.deepEqual(syntaxErrors(r.after), []);
  });
});

describe('production-stack values: what the chart maps goes to vllmConfig, the rest to extraArgs', () => {
  it('max-num-batched-tokens joins extraArgs; maxNumSeqs stays a vllmConfig key', () => {
    const r = applyTo('helm/production-stack-values.yaml', { title: '', changes: [{ knob: 'maxNumBatchedTokens', value: 2048 }, { knob: 'maxNumSeqs', value: 32 }] });
    assert.ok(!/maxNumBatchedTokens/.test(r.after));
    assert.match(r.after, /extraArgs: \["--disable-log-requests", "--gpu-memory-utilization", "0.8", "--max-num-batched-tokens", "2048"\]\n {8}maxNumSeqs: 32\n/);
    assert.equal(r.b.workloads[0].plan.knobs.maxNumBatchedTokens?.value, 2048);
  });

  it('a model without extraArgs gets the list, its items strings', () => {
    const r = applyTo('helm/production-stack-gpus.yaml', { title: '', changes: [{ knob: 'maxNumBatchedTokens', value: 2048 }, { knob: 'kvCacheDtype', value: 'fp8' }] });
    assert.match(r.after, /\n {8}gpuMemoryUtilization: 0.9\n {8}extraArgs:\n {10}- "--max-num-batched-tokens"\n {10}- "2048"\n {10}- "--kv-cache-dtype"\n {10}- "fp8"\n {4}- name: "llama70b"/);
    assert.deepEqual(nonStrings(r.after), []);
    const k = r.b.workloads[0].plan.knobs;
    assert.deepEqual([k.maxNumBatchedTokens?.value, k.kvCacheDtype?.value], [2048, 'fp8']);
  });
});

describe('applied hardware: GPU count, type and replicas where the file states them', () => {
  it('EKS p5.48xlarge, 4 H100s in limits and requests: TP 8 on 8 GPUs rewrites both, the instance type holds 8', () => {
    const r = applyTo('kubernetes/eks-h100-instance-type.yaml', { title: '', changes: [{ knob: 'tensorParallel', value: 8 }], hardware: { gpusPerReplica: 8 } });
    assert.deepEqual(lineOf(r.after, /nvidia.com\/gpu: \d/), ['nvidia.com/gpu: 8', 'nvidia.com/gpu: 8']);
    assert.deepEqual(lineOf(r.after, /instance-type/), ['node.kubernetes.io/instance-type: p5.48xlarge']);
    assert.deepEqual(newProblems(r.a, r.b), []);
  });

  it('moving to another GPU picks that GPU\'s instance type of the same cloud, or says none exists', () => {
    const l4 = applyTo('kubernetes/eks-h100-instance-type.yaml', { title: '', changes: [], hardware: { gpu: 'L4', gpusPerReplica: 4, replicas: 3 } });
    assert.deepEqual(lineOf(l4.after, /instance-type|replicas:/), ['replicas: 3', 'node.kubernetes.io/instance-type: g6.12xlarge']);
    assert.deepEqual([l4.b.workloads[0].estimate?.hardware.gpu, l4.b.workloads[0].estimate?.hardware.count, l4.b.workloads[0].estimate?.hardware.replicas], ['L4', 4, 3]);
    const h200 = applyTo('kubernetes/eks-h100-instance-type.yaml', { title: '', changes: [], hardware: { gpu: 'H200' } });
    assert.deepEqual(lineOf(h200.after, /instance-type/), ['node.kubernetes.io/instance-type: p5en.48xlarge']);
    const mi = applyTo('kubernetes/eks-h100-instance-type.yaml', { title: '', changes: [], hardware: { gpu: 'MI300X' } });
    assert.match(mi.reason ?? '', /no AWS instance type known here has 4 × .*MI300X/);
  });

  it('GKE accelerator and GPU feature discovery labels take the label\'s own spelling', () => {
    const gke = applyTo('kubernetes/gke-l4-vllm.yaml', { title: '', changes: [], hardware: { gpu: 'H100-SXM' } });
    assert.deepEqual(lineOf(gke.after, /gke-accelerator/), ['cloud.google.com/gke-accelerator: nvidia-h100-80gb']);
    assert.match(applyTo('kubernetes/gke-l4-vllm.yaml', { title: '', changes: [], hardware: { gpu: 'L40S' } }).reason ?? '', /gke-accelerator has no value known here for L40S/);
    const gfd = applyTo('kubernetes/vllm-deployment-args-list.yaml', { title: '', changes: [], hardware: { gpu: 'A100-80GB' } });
    assert.deepEqual(lineOf(gfd.after, /gpu.product/), ['nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB']);
    const karpenter = applyTo('kubernetes/karpenter-l40s-sglang.yaml', { title: '', changes: [], hardware: { gpu: 'H100-SXM' } });
    assert.deepEqual(lineOf(karpenter.after, /^\s*- h100$/), ['- h100']);
    const catalog = new GpuCatalog();
    for (const g of catalog.gpus) {
      for (const label of ['nvidia.com/gpu.product', 'cloud.google.com/gke-accelerator', 'karpenter.k8s.aws/instance-gpu-name']) {
        const v = labelValueFor(label, '', g.id);
        if (v && !(label.startsWith('karpenter') && g.id === 'A100-80GB')) assert.equal(catalog.find(gpuFromLabel(label, v)!)?.id, g.id, `${label}: ${v}`);
      }
    }
    for (const [cloud, gpu, n, name] of [['aws', 'H100-SXM', 8, 'p5.48xlarge'], ['aws', 'L4', 1, 'g6.xlarge'], ['aws', 'L4', 4, 'g6.12xlarge'], ['gcp', 'L4', 1, 'g2-standard-8'], ['gcp', 'L4', 2, 'g2-standard-24'], ['gcp', 'H100-SXM', 8, 'a3-highgpu-8g']] as const) {
      assert.equal(instanceFor(cloud, gpu, n), name);
      assert.deepEqual(gpuFromInstanceType('node.kubernetes.io/instance-type', name), { gpu, perInstance: n });
    }
  });

  it('a fix that changes TP brings the pod\'s GPU limit and request along (TP 3 → 4 on 3 GPUs)', () => {
    const { text, uri } = { text: fs.readFileSync(fixture('kubernetes', 'tp-three-gpus.yaml'), 'utf8'), uri: 'file:///x/tp3.yaml' };
    const a = analyze(uri, text);
    const fix = a.findings.find((f) => f.rule === 'tp-divisibility')!.fixes!.find((f) => f.changes.some((c) => c.value === 4))!;
    const after = applyEdits(text, editsForFix(fix, a.workloads[0].plan, text)!);
    assert.deepEqual(lineOf(after, /nvidia.com\/gpu:|^- "4"$/), ['nvidia.com/gpu: 4', 'nvidia.com/gpu: 4']);
    const b = analyze(uri, after);
    assert.deepEqual(b.findings.filter((f) => f.rule === 'gpu-count-mismatch' || f.rule === 'tp-divisibility'), []);
  });

  it('Compose device ids, Helm requestGPU and replicaCount, a LeaderWorkerSet group', () => {
    const text = 'services:\n  vllm:\n    image: vllm/vllm-openai:v0.10.1\n    command: ["--model", "Qwen/Qwen3-8B", "--tensor-parallel-size", "1"]\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              device_ids: ["0"]\n              capabilities: [gpu]\n';
    const c = applyTo({ uri: 'file:///x/compose.yaml', text }, { title: '', changes: [{ knob: 'tensorParallel', value: 2 }], hardware: { gpusPerReplica: 2, gpu: 'H200' } });
    assert.deepEqual(lineOf(c.after, /device_ids/), ['device_ids: ["0", "1"]']);
    assert.equal(c.after.split('\n')[0], '# deploy-advisor: gpu=H200');
    assert.match(c.notes.join(' '), /names no GPU type/);
    assert.deepEqual([c.b.workloads[0].estimate?.hardware.gpu, c.b.workloads[0].estimate?.hardware.count], ['H200', 2]);

    const h = applyTo('helm/production-stack-gpus.yaml', { title: '', changes: [{ knob: 'tensorParallel', value: 8 }], hardware: { gpusPerReplica: 8, replicas: 2, gpu: 'H200' } }, 1);
    assert.deepEqual(lineOf(h.after, /^\s*(requestGPU|replicaCount|tensorParallelSize):|"NVIDIA-H/), ['replicaCount: 1', 'requestGPU: 1', 'replicaCount: 2', 'requestGPU: 8', '- "NVIDIA-H200"', 'tensorParallelSize: 8']);

    const lws = applyTo('kubernetes/lws-vllm-multinode.yaml', { title: '', changes: [{ knob: 'tensorParallel', value: 8 }, { knob: 'pipelineParallel', value: 4 }], hardware: { gpusPerReplica: 32 } });
    assert.deepEqual(lineOf(lws.after, /size:|nvidia.com\/gpu/), ['size: 4', 'nvidia.com/gpu: "8"', 'nvidia.com/gpu: "8"']);
    const one = applyTo('kubernetes/lws-vllm-multinode.yaml', { title: '', changes: [{ knob: 'pipelineParallel', value: 1 }], hardware: { gpusPerReplica: 8 } });
    assert.deepEqual(lineOf(one.after, /size:|nvidia.com\/gpu/), ['size: 1', 'nvidia.com/gpu: "8"', 'nvidia.com/gpu: "8"']);
    assert.deepEqual(newProblems(one.a, one.b), []);
  });

  it('a file that names no GPU type says so, and its deploy-advisor comment states the plan\'s GPU', () => {
    const r = applyTo('kubernetes/kserve-huggingface.yaml', { title: '', changes: [], hardware: { gpu: 'L40S', replicas: 2 } });
    assert.equal(r.after.split('\n')[0], '# deploy-advisor: gpu=L40S replicas=2');
    assert.equal(r.notes.length, 2);
    assert.match(r.notes[0], /the file names no GPU type .*L40S.*nvidia.com\/gpu.product: NVIDIA-L40S/);
    assert.match(r.notes[1], /states no replica count: run 2 replicas/);
    assert.equal(r.b.workloads[0].estimate?.hardware.gpu, 'L40S');
  });

  it('a profile\'s hardware keys and an engine config\'s deploy-advisor comment are where those files state hardware', () => {
    const p = applyTo('profile/chat.deploy.yaml', { title: '', changes: [{ knob: 'tensorParallel', value: 2 }], hardware: { gpu: 'H200', gpusPerReplica: 2, replicas: 3 } });
    assert.deepEqual(lineOf(p.after, /^\s*(gpu|count|replicas):/), ['gpu: H200', 'count: 2', 'replicas: 3']);
    assert.deepEqual(p.notes, []);
    const v = applyTo('vllm/llama-3.1-8b-h100.yaml', { title: '', changes: [], hardware: { gpu: 'L4', replicas: 2 } });
    assert.equal(v.after.split('\n')[1], '# deploy-advisor: gpu=L4 input-len=2000 output-len=300 concurrency=32 replicas=2');
    assert.deepEqual([v.b.workloads[0].estimate?.hardware.gpu, v.b.workloads[0].estimate?.hardware.replicas], ['L4', 2]);
  });

  it('in a file of several workloads that names no GPU, moving one to another GPU is not offered (the comment would move all)', () => {
    const r = applyTo('kubernetes/multi-doc.yaml', { title: '', changes: [], hardware: { gpu: 'L40S' } });
    assert.match(r.reason ?? '', /names no GPU type for this workload/);
    const same = applyTo('kubernetes/multi-doc.yaml', { title: '', changes: [], hardware: { replicas: 3 } }, 1);
    assert.deepEqual(lineOf(same.after, /^\s*replicas:/), ['replicas: 1', 'replicas: 3']);
  });
});
