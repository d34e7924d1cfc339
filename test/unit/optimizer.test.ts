import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { catalogConfig } from '../../server/src/catalog/models';
import { engines } from '../../server/src/estimator/engines';
import { buildStepModel } from '../../server/src/estimator/latency';
import { countParams, modelFromConfig } from '../../server/src/estimator/model';
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
  it('step times differ between engines only by their per-step overhead (the screen shares one step model across engines)', () => {
    for (const id of ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen3-30B-A3B']) {
      const model = modelFromConfig(id, catalogConfig(id)!, {});
      const gpu = new GpuCatalog().find('H100')!;
      const build = (name: 'vllm' | 'sglang' | 'trtllm' | 'tgi') => buildStepModel({
        model, params: countParams(model), format: model.weightFormat, kvElementBytes: 2, gpu, par: { tp: 2, pp: 1, ep: 1 }, engine: engines[name],
        knobs: { ...engines[name].defaults(gpu, [9, 9, 9], 2, 1, 8192), chunkedPrefill: true }, nodes: 1,
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
