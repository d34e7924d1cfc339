import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { optimizeRequest, OptimizeResponse } from '../../protocol/requests';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { defaultDeps } from '../../server/src/estimator/estimate';
import { optimizeJob, runOptimizeJob } from '../../server/src/optimizer/forPlan';
import { withOverrides } from '../../server/src/optimizer/overrides';
import { runsFp8Kv, runsFp8Weights, runsOn } from '../../server/src/optimizer/support';
import type { OptimizeRequest } from '../../server/src/optimizer/types';
import { analyze, evaluate, withChanges } from '../../server/src/pipeline';
import type { DeploymentPlan } from '../../server/src/plan/types';
import type { KnobChange } from '../../server/src/rules/types';
import { LspClient } from '../support/lspClient';
import { catalogConfig } from '../../server/src/catalog/models';
import { engines } from '../../server/src/estimator/engines';
import { buildStepModel } from '../../server/src/estimator/latency';
import { countParams, modelFromConfig } from '../../server/src/estimator/model';
import { weightFormatFromFlag } from '../../server/src/estimator/quantization';
import { dist, fixture } from '../support/paths';

const cli = (...args: string[]) => spawnSync(process.execPath, [dist('cli.js'), ...args], { encoding: 'utf8' });
const json = (...args: string[]) => {
  const r = cli(...args, '--json');
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout);
};

const PLAN_KEYS = ['engine', 'gpu', 'gpusPerReplica', 'replicas', 'tensorParallel', 'pipelineParallel', 'expertParallel', 'attentionDataParallel', 'weightDtype', 'kvCacheDtype', 'maxNumSeqs', 'maxNumBatchedTokens', 'ttftMs', 'tpotMs', 'outputTokensPerSec', 'costPerHour', 'costPerMillionOutputTokens', 'meetsSlo'];

interface Plan { [k: string]: number | string | boolean }

function tempFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'da-optimize-')), name);
  fs.writeFileSync(file, text);
  return file;
}

/** The plan re-estimated through `deploy-advisor estimate`, an independent path through the file reader and flags. */
function reestimate(model: string, p: Plan, perReplicaConcurrency: number, workload: string[] = []): { ttftMs: number; tpotMs: number; outputTokensPerSec: number; fits: boolean } {
  const args = ['estimate', model, '--gpu', String(p.gpu), '--engine', String(p.engine), '--tensor-parallel', String(p.tensorParallel), '--pipeline-parallel', String(p.pipelineParallel),
    '--expert-parallel', String(p.expertParallel), '--kv-cache-dtype', p.kvCacheDtype === 'fp8' ? 'fp8' : 'auto', '--max-num-seqs', String(p.maxNumSeqs),
    '--max-num-batched-tokens', String(p.maxNumBatchedTokens), '--max-model-len', String(p.maxModelLen), '--concurrency', String(perReplicaConcurrency), ...workload];
  if (p.weightDtype === 'fp8') args.push('--quantization', 'fp8');
  if (Number(p.attentionDataParallel) > 1) args.push('--attention-data-parallel', ...(p.engine === 'sglang' ? ['--data-parallel', String(p.attentionDataParallel)] : []));
  const e = json(...args);
  return { ...e.latency, fits: e.memory.fits };
}

describe('deploy-advisor optimize', () => {
  it('--json prints the contract shape, plans best first, and a frontier no plan beats on cost and TPOT', () => {
    const r = json('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--concurrency', '16', '--tpot-ms', '40', '--gpus', 'H100,L40S,A100-80GB', '--max-gpus', '4');
    assert.deepEqual(Object.keys(r).slice(0, 3), ['plans', 'frontier', 'searched']);
    assert.ok(r.searched > 1000, `searched ${r.searched}`);
    assert.ok(r.plans.length > 0);
    for (const p of [...r.plans, ...r.frontier]) for (const k of PLAN_KEYS) assert.ok(k in p, `plan lacks ${k}`);
    for (let i = 1; i < r.plans.length; i++) assert.ok(r.plans[i - 1].costPerMillionOutputTokens <= r.plans[i].costPerMillionOutputTokens);
    for (const p of r.plans) assert.ok(['H100-SXM', 'L40S', 'A100-80GB'].includes(p.gpu), p.gpu);
    for (const p of r.plans) assert.ok(p.gpusPerReplica * p.replicas <= 4);
    for (const a of r.frontier) for (const b of r.frontier) {
      if (a !== b) assert.ok(!(b.costPerMillionOutputTokens <= a.costPerMillionOutputTokens && b.tpotMs < a.tpotMs), 'frontier plan dominated');
    }
  });

  it('every plan it returns re-estimates as meeting the SLO', () => {
    const slo = { ttft: 2000, tpot: 25 };
    const r = json('optimize', 'Qwen/Qwen3-30B-A3B', '--concurrency', '24', '--ttft-ms', String(slo.ttft), '--tpot-ms', String(slo.tpot), '--gpus', 'H100,L40S,A100-80GB', '--max-gpus', '4');
    const meeting = r.plans.filter((p: Plan) => p.meetsSlo);
    assert.ok(meeting.length >= 3, `only ${meeting.length} plans`);
    for (const p of meeting.slice(0, 5)) {
      const e = reestimate('Qwen/Qwen3-30B-A3B', p, Math.ceil(24 / Number(p.replicas)));
      assert.ok(e.fits, `${JSON.stringify(p)} does not fit`);
      assert.ok(e.ttftMs <= slo.ttft && e.tpotMs <= slo.tpot, `${JSON.stringify(p)} re-estimates at TTFT ${e.ttftMs} / TPOT ${e.tpotMs}`);
      assert.ok(Math.abs(e.tpotMs - Number(p.tpotMs)) < 0.01 * Number(p.tpotMs) + 0.01);
    }
  });

  it('DeepSeek-R1 on one H200 node: DP attention wins on SGLang and TensorRT-LLM (one latent copy per request, not one per GPU); vLLM never gets it', () => {
    const args = ['--gpus', 'H200', '--max-gpus', '8', '--concurrency', '256', '--input-len', '2048', '--output-len', '512', '--tpot-ms', '80'];
    for (const engine of ['sglang', 'trtllm']) {
      const r = json('optimize', 'deepseek-ai/DeepSeek-R1', '--engine', engine, ...args);
      const best = r.plans[0];
      assert.ok(best.meetsSlo && best.attentionDataParallel === 8 && best.tensorParallel === 8 && best.gpusPerReplica === 8, JSON.stringify(best));
      const plain = r.plans.find((p: Plan) => p.attentionDataParallel === 1);
      if (plain) assert.ok(Number(plain.costPerMillionOutputTokens) > Number(best.costPerMillionOutputTokens));
      // Plans prefill in chunks; TensorRT-LLM needs that switched on in its options file (the applied plan's edit does so).
      const target = engine === 'trtllm' ? tempFile('trtllm-extra-options.yaml', 'model: deepseek-ai/DeepSeek-R1\nenable_chunked_prefill: true\n') : 'deepseek-ai/DeepSeek-R1';
      const e = reestimate(target, best, 256, ['--input-len', '2048', '--output-len', '512']);
      assert.ok(e.fits);
      assert.ok(Math.abs(e.tpotMs - Number(best.tpotMs)) < 0.01 * Number(best.tpotMs) + 0.01, `re-estimated TPOT ${e.tpotMs} vs ${best.tpotMs}`);
      assert.match(cli('optimize', 'deepseek-ai/DeepSeek-R1', '--engine', engine, ...args).stdout, /\| TP 8 (EP 8 )?DP-attention 8 \|/);
    }
    const v = json('optimize', 'deepseek-ai/DeepSeek-R1', '--engine', 'vllm', ...args);
    assert.ok([...v.plans, ...v.frontier].every((p: Plan) => p.attentionDataParallel === 1));
  });

  it('a model that only fits one GPU with FP8 weights: every plan is FP8', () => {
    const r = json('optimize', 'Qwen/Qwen3-32B', '--gpus', 'L40S', '--max-gpus', '1', '--concurrency', '4');
    assert.ok(r.plans.length > 0);
    for (const p of r.plans) {
      assert.equal(p.weightDtype, 'fp8');
      assert.equal(p.gpusPerReplica, 1);
    }
    const bf16 = json('estimate', 'Qwen/Qwen3-32B', '--gpu', 'L40S', '--max-model-len', '1280');
    assert.equal(bf16.memory.fits, false, 'the 16-bit checkpoint must not fit on one L40S for this case to mean anything');
  });

  it('an SLO only tensor parallel 2 meets', () => {
    const at = (tp: number) => json('estimate', 'meta-llama/Llama-3.1-8B-Instruct', '--gpu', 'H100', '--engine', 'vllm', '--tensor-parallel', String(tp), '--quantization', 'fp8', '--kv-cache-dtype', 'fp8', '--max-model-len', '1280').latency.tpotMs;
    const tp1 = at(1);
    const tp2 = at(2);
    assert.ok(tp2 < tp1);
    const r = json('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--gpus', 'H100', '--max-gpus', '2', '--engine', 'vllm', '--concurrency', '1', '--tpot-ms', String((tp1 + tp2) / 2));
    assert.ok(r.plans.length > 0);
    for (const p of r.plans) {
      assert.equal(p.meetsSlo, true);
      assert.equal(p.tensorParallel, 2);
    }
  });

  it('an SLO nothing meets exits 1 and shows the closest plans flagged meetsSlo false', () => {
    const r = cli('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--gpus', 'L4', '--max-gpus', '1', '--tpot-ms', '1', '--json');
    assert.equal(r.status, 1);
    const j = JSON.parse(r.stdout);
    assert.ok(j.plans.every((p: Plan) => p.meetsSlo === false));
    assert.ok(j.notes.some((n: string) => /No candidate/.test(n)));
  });

  it('reads the workload and SLO from the file; flags override them', () => {
    // The profile asks TPOT ≤ 15 ms for Llama-3.1-70B at 4 in flight: two H100s cannot, four can.
    const two = json('optimize', fixture('profile', 'slo-tpot.deploy.yaml'), '--gpus', 'H100', '--max-gpus', '2');
    assert.equal(two.plans.filter((p: Plan) => p.meetsSlo).length, 0);
    const eight = json('optimize', fixture('profile', 'slo-tpot.deploy.yaml'), '--gpus', 'H100', '--max-gpus', '8');
    assert.ok(eight.plans.length > 0 && eight.plans.every((p: Plan) => p.meetsSlo && Number(p.tpotMs) <= 15 && Number(p.gpusPerReplica) >= 4));
    const text = cli('optimize', fixture('profile', 'slo-tpot.deploy.yaml'), '--gpus', 'H100', '--max-gpus', '2', '--tpot-ms', '1000');
    assert.match(text.stdout, /TPOT ≤ 1000 ms/);
    assert.match(text.stdout, /\| 1 \| /);
  });

  it('rejects conflicting or unknown options with exit 2', () => {
    assert.equal(cli('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--concurrency', '4', '--request-rate', '2').status, 2);
    assert.equal(cli('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--gpus', 'H100,NoSuchGPU').status, 2);
    assert.equal(cli('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--kv-cache-dtype', 'fp8').status, 2);
    assert.equal(cli('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--ttft-ms', '-5').status, 2);
  });

  it('an open-loop request rate: more load needs more replicas or bigger GPUs', () => {
    const light = json('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--request-rate', '1', '--tpot-ms', '30', '--gpus', 'H100', '--max-gpus', '8');
    const heavy = json('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--request-rate', '40', '--tpot-ms', '30', '--gpus', 'H100', '--max-gpus', '8');
    assert.ok(light.plans[0].meetsSlo && heavy.plans[0].meetsSlo);
    assert.ok(heavy.plans[0].outputTokensPerSec > light.plans[0].outputTokensPerSec);
    assert.ok(heavy.plans[0].costPerMillionOutputTokens < light.plans[0].costPerMillionOutputTokens, 'a busier deployment spreads its cost over more tokens');
  });
});

describe('optimizer screen', () => {
  // Eager prompt steps' host floor (SGLang) is left out of the screen, which stays a lower bound; the verify phase adds it.
  it('step times differ between engines only by their per-step overhead (the screen shares one step model across engines, overlap off)', () => {
    for (const id of ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen3-30B-A3B']) {
      const model = modelFromConfig(id, catalogConfig(id)!, {});
      const gpu = new GpuCatalog().find('H100')!;
      const build = (name: 'vllm' | 'sglang' | 'trtllm' | 'tgi') => buildStepModel({
        model, params: countParams(model), format: model.weightFormat, kvElementBytes: 2, gpu, par: { tp: 2, pp: 1, ep: 1 }, engine: { ...engines[name], eagerPromptHostSecPerMoeLayer: undefined },
        knobs: { ...engines[name].defaults(gpu, [9, 9, 9], 2, 1, 8192), chunkedPrefill: true, overlapScheduling: false }, nodes: 1,
      });
      const ref = build('vllm');
      for (const name of ['sglang', 'trtllm', 'tgi'] as const) {
        const other = build(name);
        for (const [d, dc, p, pc, n] of [[1, 2000, 0, 0, 1], [64, 1500, 512, 800, 65], [0, 0, 4096, 2048, 1]]) {
          const diff = other.step(d, dc, p, pc, n) - ref.step(d, dc, p, pc, n);
          assert.ok(Math.abs(diff - (engines[name].stepOverheadSec - engines.vllm.stepOverheadSec)) < 1e-12, `${id} ${name} ${d}/${p}`);
        }
      }
    }
  });
});

// ---- Find Cheapest Plan on real manifests (issue 16, items 3 and 4): in process, as the editor runs it ----

type Row = import('../../protocol/optimize').PlanRow;
type Overrides = import('../../protocol/requests').OptimizeOverrides;

/** The file's first workload, searched as the editor does (within its engine; `overrides` as the palette asks them). */
function searchFile(file: string, overrides?: Overrides, text = fs.readFileSync(file, 'utf8'), gpus?: string[]) {
  const a = analyze(pathToFileURL(file).toString(), text);
  const w = a.workloads.find((x) => x.estimate);
  assert.ok(w?.estimate, `${file}: no estimate`);
  const plan = withOverrides(w.plan, overrides);
  const job = optimizeJob(plan, defaultDeps, { gpus });
  return { analysis: a, base: w, plan, request: job.request, result: runOptimizeJob(job) };
}

/** A plan row as a deployment of the file: the row's knobs and hardware on the file's plan, each replica its share. */
function replan(base: DeploymentPlan, p: Row, req: OptimizeRequest): DeploymentPlan {
  const changes: KnobChange[] = [
    { knob: 'tensorParallel', value: p.tensorParallel }, { knob: 'pipelineParallel', value: p.pipelineParallel }, { knob: 'expertParallel', value: p.expertParallel },
    { knob: 'maxNumSeqs', value: p.maxNumSeqs }, { knob: 'maxNumBatchedTokens', value: p.maxNumBatchedTokens }, { knob: 'maxModelLen', value: p.maxModelLen },
    { knob: 'enableChunkedPrefill', value: true }, { knob: 'kvCacheDtype', value: p.kvCacheDtype === 'fp8' ? 'fp8' : 'auto' },
  ];
  if (p.weightDtype === 'fp8') changes.push({ knob: 'quantization', value: 'fp8' });
  if (p.attentionDataParallel > 1) {
    changes.push({ knob: 'attentionDataParallel', value: true });
    if (p.engine === 'sglang') changes.push({ knob: 'dataParallel', value: p.attentionDataParallel });
  } else if (base.knobs.attentionDataParallel?.value) {
    // As the plan's edit does: DP attention off again where the file has it on.
    changes.push({ knob: 'attentionDataParallel', value: false });
    if (p.engine === 'sglang') changes.push({ knob: 'dataParallel', value: 1 });
  }
  const plan = withChanges({ ...base, engine: p.engine === base.engine.name.value ? base.engine : { name: { value: p.engine, source: { kind: 'inferred', note: 'test' } } } }, changes, { gpu: p.gpu, gpusPerReplica: p.gpusPerReplica, replicas: p.replicas });
  const perReplica = req.concurrency !== undefined ? Math.ceil(req.concurrency / p.replicas) : undefined;
  return perReplica ? { ...plan, workload: { ...plan.workload, concurrency: { value: perReplica, source: { kind: 'inferred', note: 'test' } } } } : plan;
}

/** Error and warning findings of a plan as the rules report them. */
const flagged = (plan: DeploymentPlan) => evaluate({ format: null, plans: [plan], problems: [] }).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');

const layoutOf = (p: Row) => [p.engine, p.gpu, p.tensorParallel, p.pipelineParallel, p.expertParallel, p.attentionDataParallel, p.weightDtype, p.kvCacheDtype].join('/');
const ampere = new Set(new GpuCatalog().gpus.filter((g) => g.arch === 'ampere').map((g) => g.id));
const consumer = new Set(new GpuCatalog().gpus.filter((g) => /GeForce/.test(g.name)).map((g) => g.id));
const chat: Overrides = { concurrency: 32, inputLen: 2048, outputLen: 300 };

const rtx3090 = '# deploy-advisor: gpu=RTX-3090\nmodel: Qwen/Qwen3-8B\nmax-model-len: 8192\nmax-num-seqs: 64\n';
const trtA100 = '# deploy-advisor: gpu=A100-80GB input-len=1024 output-len=256 concurrency=16\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax_batch_size: 64\nmax_seq_len: 4096\nenable_chunked_prefill: true\n';

/** [name, file, text override, overrides]: catalog models on fixtures of every engine, including an L4 GKE and an H100 EKS manifest. */
const CASES: Array<[string, string, string | undefined, Overrides | undefined]> = [
  ['GKE L4 vLLM, no workload in the file (the palette asks: 32 × 2k/300)', fixture('kubernetes', 'optimizer-gke-l4.yaml'), undefined, chat],
  ['GKE L4 vLLM with a TPOT target', fixture('kubernetes', 'optimizer-gke-l4.yaml'), undefined, { ...chat, tpotMs: 120 }],
  ['EKS H100 SGLang, Qwen3-32B TP 4', fixture('kubernetes', 'optimizer-eks-h100.yaml'), undefined, chat],
  ['EKS H100 SGLang with TTFT and TPOT targets', fixture('kubernetes', 'optimizer-eks-h100.yaml'), undefined, { ...chat, ttftMs: 1500, tpotMs: 40 }],
  ['vLLM Llama-70B FP8 on H100 (args list)', fixture('kubernetes', 'vllm-deployment-args-list.yaml'), undefined, chat],
  ['TGI configured through its environment', fixture('kubernetes', 'tgi-deployment-env.yaml'), undefined, chat],
  ['vLLM FP8 on Ampere (A100)', fixture('vllm', 'fp8-on-ampere.yaml'), undefined, chat],
  ['vLLM on an RTX 3090', path.join(os.tmpdir(), 'rtx3090-vllm.yaml'), rtx3090, { concurrency: 8, inputLen: 1024, outputLen: 256 }],
  ['TensorRT-LLM on A100 (workload in the directive)', path.join(os.tmpdir(), 'trtllm-a100-extra-options.yaml'), trtA100, undefined],
  ['Helm production-stack (first model on L40S)', fixture('helm', 'production-stack-values.yaml'), undefined, chat],
  ['SGLang DeepSeek-R1 with DP attention on H200', fixture('sglang', 'deepseek-r1-dp-attention.yaml'), undefined, { concurrency: 64, inputLen: 2048, outputLen: 300, tpotMs: 80 }],
];

describe('Find Cheapest Plan on real manifests', () => {
  const runs = CASES.map(([name, file, text, o]) => ({ name, ...searchFile(file, o, text) }));

  it('no offered plan re-estimates with an error or warning of the tool\'s own rules', () => {
    for (const r of runs) {
      const before = new Set(flagged(r.plan).map((f) => f.rule));
      const meeting = r.result.plans.filter((p) => p.meetsSlo);
      assert.ok(meeting.length > 0, `${r.name}: no plan (${r.result.notes.join(' | ')})`);
      for (const p of meeting) {
        const after = flagged(replan(r.plan, p, r.request)).filter((f) => !before.has(f.rule) || ['kv-dtype-not-native', 'kv-limits-concurrency', 'slo-miss', 'does-not-fit', 'max-len-exceeds-kv'].includes(f.rule));
        assert.deepEqual(after.map((f) => `${f.rule}: ${f.message}`), [], `${r.name}: ${JSON.stringify(p)}`);
      }
    }
  });

  it('plans on the file\'s own GPU type come first, marked as such', () => {
    for (const r of runs) {
      const gpu = r.base.estimate!.hardware.gpu;
      const plans = r.result.plans.filter((p) => p.meetsSlo);
      const own = plans.filter((p) => p.onFileGpu);
      assert.ok(own.length > 0, `${r.name}: no plan on the file's ${gpu}: ${plans.map((p) => p.gpu).join(', ')} (${r.result.notes.join(' | ')})`);
      for (const p of own) assert.equal(p.gpu, gpu);
      const firstOther = plans.findIndex((p) => !p.onFileGpu);
      if (firstOther >= 0) assert.ok(plans.slice(firstOther).every((p) => !p.onFileGpu), `${r.name}: ${plans.map((p) => p.gpu).join(', ')}`);
      for (let i = 1; i < own.length; i++) assert.ok(own[i - 1].costPerMillionOutputTokens <= own[i].costPerMillionOutputTokens);
    }
  });

  it('replicas of one plan are one row, with the replicas the workload needs', () => {
    for (const r of runs) {
      const keys = r.result.plans.map(layoutOf);
      assert.equal(new Set(keys).size, keys.length, `${r.name}: ${keys.join('\n')}`);
      const c = r.request.concurrency;
      // No replica is left without requests, and every replica's share fits its batch cap.
      if (c !== undefined) for (const p of r.result.plans) assert.ok(p.replicas <= c && Math.ceil(c / p.replicas) <= p.maxNumSeqs * Math.max(1, p.attentionDataParallel), `${r.name}: ${JSON.stringify(p)}`);
    }
  });

  it('a plan never lowers the max-num-seqs / max-running-requests / max_batch_size the file set', () => {
    let checked = 0;
    for (const r of runs) {
      const set = r.base.plan.knobs.maxNumSeqs?.value;
      if (set === undefined) continue;
      checked++;
      for (const p of r.result.plans) assert.ok(p.maxNumSeqs >= set, `${r.name}: max-num-seqs ${p.maxNumSeqs} < the file's ${set}`);
    }
    assert.ok(checked >= 4, 'fixtures that set a batch cap');
  });

  it('no consumer GPU unless the file runs on one or the user lists them', () => {
    for (const r of runs) {
      const onConsumer = consumer.has(r.base.estimate!.hardware.gpu);
      for (const p of r.result.plans) assert.ok(!consumer.has(p.gpu) || (onConsumer && p.gpu === r.base.estimate!.hardware.gpu), `${r.name}: ${p.gpu}`);
    }
    const listed = searchFile(fixture('kubernetes', 'optimizer-gke-l4.yaml'), chat, undefined, ['RTX-4090']);
    assert.ok(listed.result.plans.some((p) => p.gpu === 'RTX-4090'), 'a GPU listed in deployAdvisor.optimizer.gpus is searched');
    assert.ok(listed.result.plans.every((p) => p.gpu === 'RTX-4090' || p.gpu === 'L4'), 'only the listed GPUs and the file\'s own');
  });

  it('only what each engine runs on each GPU: no TensorRT-LLM FP8 on Ampere, no FP8 KV cache without FP8 tensor cores; vLLM\'s weight-only FP8 on Ampere is offered', () => {
    const trt = runs.find((r) => r.name.startsWith('TensorRT-LLM'))!;
    assert.ok(trt.result.plans.some((p) => ampere.has(p.gpu)), 'TensorRT-LLM plans on the file\'s A100');
    const r = json('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--gpus', 'A100-80GB,A10G,RTX-3090,H100', '--concurrency', '16', '--max-gpus', '2');
    const all: Row[] = [...r.plans, ...r.frontier, ...trt.result.plans, ...trt.result.frontier];
    assert.ok(all.some((p) => ampere.has(p.gpu)), 'Ampere plans to check');
    for (const p of all) {
      if (p.engine === 'trtllm' && ampere.has(p.gpu)) assert.ok(p.weightDtype !== 'fp8' && p.kvCacheDtype !== 'fp8', JSON.stringify(p));
      if (ampere.has(p.gpu)) assert.notEqual(p.kvCacheDtype, 'fp8', JSON.stringify(p));
    }
    const ampereFp8 = runs.find((r) => r.name.startsWith('vLLM FP8 on Ampere'))!;
    assert.ok(ampereFp8.result.plans.some((p) => p.gpu === 'A100-80GB' && p.weightDtype === 'fp8' && p.kvCacheDtype !== 'fp8'), 'Marlin W8A16 FP8 weights on the A100, 16-bit KV');
    const onRtx = runs.find((r) => r.name.includes('RTX 3090'))!;
    assert.ok(onRtx.result.plans.some((p) => p.gpu === 'RTX-3090'), 'the file\'s own consumer GPU is searched');
  });

  it('says what it searched for, with and without an SLO', () => {
    const l4 = runs[0];
    assert.equal(l4.result.searchedFor, 'no SLO set: cheapest that fits 32 concurrent 2k/300 requests');
    assert.equal(runs[3].result.searchedFor, 'TTFT ≤ 1500 ms, TPOT ≤ 40 ms for 32 concurrent 2k/300 requests');
    assert.match(cli('optimize', fixture('kubernetes', 'optimizer-gke-l4.yaml'), '--concurrency', '32', '--input-len', '2048', '--output-len', '300').stdout, /Searched for: no SLO set: cheapest that fits 32 concurrent 2k\/300 requests\./);
  });
});

describe('deployAdvisor/optimize over LSP: a two-model Helm file', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  it('lists its models, searches the one picked with the workload given, and says what it searched', async () => {
    const uri = lsp.open(fixture('helm', 'production-stack-values.yaml'));
    await lsp.diagnostics(uri);
    const listed = await lsp.request<OptimizeResponse>(optimizeRequest, { uri, listOnly: true });
    assert.equal(listed.plans.length, 0);
    assert.deepEqual(listed.workloads?.map((w) => w.model), ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen3-32B']);
    assert.ok(listed.workloads!.every((w) => !w.statesWorkload), 'the chart gives no load: the editor asks for one');
    const r = await lsp.request<OptimizeResponse>(optimizeRequest, { uri, workload: 1, overrides: { concurrency: 16, inputLen: 1024, outputLen: 200, tpotMs: 60 } });
    assert.equal(r.searched, 'TPOT ≤ 60 ms for 16 concurrent 1k/200 requests');
    assert.ok(r.plans.length > 0, r.notes.join(' | '));
    for (const x of r.plans) {
      assert.ok(x.plan.maxNumSeqs >= 128, 'Qwen3-32B\'s maxNumSeqs 128 is kept');
      assert.ok(x.plan.meetsSlo && x.plan.tpotMs <= 60);
    }
  });

  it('bad parameters get an answer, not a crash: garbage overrides are ignored, a missing workload has no plans', async () => {
    const uri = lsp.open(fixture('kubernetes', 'optimizer-gke-l4.yaml'));
    await lsp.diagnostics(uri);
    const odd = await lsp.request<OptimizeResponse>(optimizeRequest, { uri, overrides: { concurrency: 'lots', inputLen: -5, outputLen: null, tpotMs: 'NaN' } });
    assert.ok(odd.plans.length > 0 && odd.searched === 'no SLO set: cheapest that fits 1 concurrent 1k/256 request', odd.searched);
    const none = await lsp.request<OptimizeResponse>(optimizeRequest, { uri, workload: 7 });
    assert.equal(none.plans.length, 0);
    const unknown = await lsp.request<OptimizeResponse>(optimizeRequest, { uri: 'file:///nowhere.yaml', listOnly: true });
    assert.equal(unknown.plans.length, 0);
  });
});

describe('weight-only FP8 on Ampere (Marlin W8A16)', () => {
  it('streams 1-byte weights (faster decode than 16-bit) but computes at 16-bit rates less its dequantization (slower long prefill than 16-bit)', () => {
    const id = 'meta-llama/Llama-3.1-8B-Instruct';
    const model = modelFromConfig(id, catalogConfig(id)!, {});
    const catalog = new GpuCatalog();
    const step = (gpuId: string, format: typeof model.weightFormat) => {
      const gpu = catalog.find(gpuId)!;
      return buildStepModel({ model, params: countParams(model), format, kvElementBytes: 2, gpu, par: { tp: 1, pp: 1, ep: 1 }, engine: engines.vllm, knobs: { ...engines.vllm.defaults(gpu, [9, 9, 9], 1, 1, 8192), chunkedPrefill: true }, nodes: 1 });
    };
    const fp8 = weightFormatFromFlag('fp8', model.weightFormat);
    const [a100Bf16, a100Fp8] = [step('A100-80GB', model.weightFormat), step('A100-80GB', fp8)];
    assert.ok(a100Fp8.step(1, 2000, 0, 0, 1) < 0.8 * a100Bf16.step(1, 2000, 0, 0, 1), 'decode reads half the weight bytes');
    assert.ok(a100Fp8.step(0, 0, 8192, 4096, 1) > a100Bf16.step(0, 0, 8192, 4096, 1), 'a long prefill pays the dequantization');
    // On Hopper the same format runs FP8 tensor cores: prefill is faster than 16-bit there.
    assert.ok(step('H100', fp8).step(0, 0, 8192, 4096, 1) < step('H100', model.weightFormat).step(0, 0, 8192, 4096, 1));
  });
});

describe('what each engine runs on each GPU (support.ts)', () => {
  it('FP8 weights: natively from SM 89, as Marlin W8A16 on Ampere except on TensorRT-LLM; FP8 KV only with FP8 tensor cores; TensorRT-LLM only on NVIDIA', () => {
    const g = (id: string) => new GpuCatalog().find(id)!;
    for (const e of ['vllm', 'sglang', 'tgi'] as const) {
      assert.ok(runsFp8Weights(e, g('A100-80GB')) && runsFp8Weights(e, g('RTX-3090')) && runsFp8Weights(e, g('L4')), e);
      assert.ok(!runsFp8Kv(e, g('A100-80GB')) && !runsFp8Kv(e, g('A10G')) && runsFp8Kv(e, g('H100')), e);
    }
    assert.ok(!runsFp8Weights('trtllm', g('A100-80GB')) && !runsFp8Weights('trtllm', g('A10G')) && runsFp8Weights('trtllm', g('L4')) && runsFp8Weights('trtllm', g('H100')));
    assert.ok(!runsFp8Kv('trtllm', g('A100-40GB')) && runsFp8Kv('trtllm', g('L40S')));
    assert.ok(!runsOn('trtllm', g('MI300X')) && runsOn('vllm', g('MI300X')) && runsFp8Kv('vllm', g('MI300X')));
  });
});

describe('plans the file can take', () => {
  it('only GPUs the file\'s node selector can name (GKE has no H20, MI300X or GeForce card)', () => {
    const r = searchFile(fixture('kubernetes', 'gke-l4-vllm.yaml'), chat);
    assert.ok(r.result.plans.length > 0, r.result.notes.join(' | '));
    const gke = new Set(['L4', 'A100-40GB', 'A100-80GB', 'H100-SXM', 'H200', 'B200', 'GB200', 'T4', 'V100-SXM2-16GB', 'RTX-PRO-6000']);
    for (const p of r.result.plans) assert.ok(gke.has(p.gpu), `${p.gpu} cannot be selected with cloud.google.com/gke-accelerator`);
    assert.ok(r.result.notes.some((n) => /cloud\.google\.com\/gke-accelerator selector cannot name/.test(n)), r.result.notes.join(' | '));
  });

  it('TGI plans never use pipeline parallelism (TGI shards by tensor parallelism only)', () => {
    const r = searchFile(fixture('kubernetes', 'tgi-deployment-env.yaml'), chat);
    assert.ok(r.result.plans.length > 0, r.result.notes.join(' | '));
    for (const p of r.result.plans) assert.equal(p.pipelineParallel, 1, JSON.stringify(p));
  });

  it('a max-model-len above what the engine accepts for the model is sized, and written, at the accepted length', () => {
    const file = tempFile('qwen3-long.yaml', 'model: Qwen/Qwen3-32B\nmax-model-len: 131072\ntensor-parallel-size: 4\n# deploy-advisor: gpu=A100-80GB\n');
    const r = searchFile(file, chat);
    assert.ok(r.result.plans.length > 0, r.result.notes.join(' | '));
    for (const p of r.result.plans) assert.equal(p.maxModelLen, 40960);
    assert.ok(r.result.notes.some((n) => /above the 40960 tokens vllm accepts/.test(n)), r.result.notes.join(' | '));
  });

  it('a file without max-model-len gets plans sized for the engine\'s default (what the applied file runs)', () => {
    const file = tempFile('llama-no-len.yaml', 'model: meta-llama/Llama-3.1-8B-Instruct\n# deploy-advisor: gpu=L4\n');
    const r = searchFile(file, chat);
    assert.ok(r.result.plans.length > 0, r.result.notes.join(' | '));
    for (const p of r.result.plans) assert.equal(p.maxModelLen, 131072);
  });
});
