import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dist, fixture } from '../support/paths';

const run = (...args: string[]) => spawnSync(process.execPath, [dist('cli.js'), ...args], { encoding: 'utf8' });

describe('deploy-advisor CLI (the bundled dist/cli.js)', () => {
  it('--help lists the estimate command and its contract flags', () => {
    const out = execFileSync(process.execPath, [dist('cli.js'), '--help'], { encoding: 'utf8' });
    for (const flag of ['estimate <file>', '--gpu', '--gpus', '--engine', '--engine-version', '--input-len', '--output-len', '--concurrency', '--json', '--tensor-parallel', '--kv-cache-dtype', '--max-num-batched-tokens']) {
      assert.ok(out.includes(flag), flag);
    }
  });

  it('estimate <config.json folder> --json prints the contract shape', () => {
    const r = run('estimate', fixture('hf', 'llama-3.1-8b'), '--json', '--gpu', 'NVIDIA H100 80GB HBM3', '--max-model-len', '8192');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['model', 'hardware', 'serving', 'memory', 'latency', 'assumptions', 'findings', 'verdict']);
    assert.equal(j.verdict, 'fits');
    // The original fields first (the contract), issue 17's additions after them.
    assert.deepEqual(Object.keys(j.model), ['id', 'architecture', 'params', 'activeParams', 'layers', 'kvBytesPerToken', 'visionParams', 'mtpParams', 'stateBytesPerRequest', 'attentionLayers', 'recurrentLayers', 'windowKvBytes']);
    assert.deepEqual(Object.keys(j.hardware), ['gpu', 'count', 'replicas', 'memoryBytesPerGpu']);
    assert.deepEqual(Object.keys(j.serving), ['engine', 'tensorParallel', 'pipelineParallel', 'expertParallel', 'weightDtype', 'kvCacheDtype', 'maxModelLen', 'maxNumSeqs', 'maxNumBatchedTokens', 'gpuMemoryUtilization']);
    assert.deepEqual(Object.keys(j.memory), ['weightsBytesPerGpu', 'activationBytesPerGpu', 'overheadBytesPerGpu', 'kvPoolBytesPerGpu', 'kvCapacityTokens', 'maxConcurrency', 'fits', 'components']);
    assert.deepEqual(j.memory.components.map((c: { name: string }) => c.name), ['weights', 'activations', 'nonTorch', 'cudaGraphs', 'kvPool']);
    assert.equal(j.memory.components[0].bytesPerGpu, j.memory.weightsBytesPerGpu);
    assert.equal(j.memory.components.at(-1).bytesPerGpu, j.memory.kvPoolBytesPerGpu);
    assert.deepEqual([j.model.visionParams, j.model.mtpParams, j.model.stateBytesPerRequest, j.model.attentionLayers, j.model.recurrentLayers, j.model.windowKvBytes], [0, 0, 0, 32, 0, 0]);
    assert.deepEqual(Object.keys(j.latency), ['ttftMs', 'tpotMs', 'outputTokensPerSec']);
    assert.equal(j.hardware.gpu, 'H100-SXM');
    assert.equal(j.model.kvBytesPerToken, 131072);
    assert.equal(j.memory.fits, true);
  });

  it('byte and token counts are whole numbers on every catalog GPU', () => {
    for (const gpu of ['H200', 'A10G', 'L4', 'MI300X', 'RTX-4090', 'GB200']) {
      const j = JSON.parse(run('estimate', 'meta-llama/Llama-3.1-8B-Instruct', '--gpu', gpu, '--json', '--max-model-len', '8192').stdout);
      for (const v of [j.hardware.memoryBytesPerGpu, j.model.kvBytesPerToken, j.memory.weightsBytesPerGpu, j.memory.activationBytesPerGpu, j.memory.overheadBytesPerGpu, j.memory.kvPoolBytesPerGpu, j.memory.kvCapacityTokens]) {
        assert.ok(Number.isInteger(v), `${gpu}: ${v}`);
      }
    }
  });

  it('a file with several workloads prints one object per workload, each with its own findings', () => {
    const j = JSON.parse(run('estimate', fixture('helm', 'llm-d-values.yaml'), '--json').stdout);
    assert.equal(j.length, 2);
    // The TP 4 decode role mounts no /dev/shm; the 1-GPU prefill role cannot hold a 32000-token request.
    assert.deepEqual(j.map((w: { findings: Array<{ rule: string }> }) => w.findings.map((f) => f.rule)), [['shm-too-small'], ['max-len-exceeds-kv']]);
  });

  it('--request-rate estimates open-loop traffic, and SLO flags are checked; conflicting or optimize-only flags are usage errors', () => {
    const j = JSON.parse(run('estimate', 'meta-llama/Llama-3.1-8B-Instruct', '--request-rate', '5', '--tpot-ms', '1', '--json', '--max-model-len', '8192').stdout);
    assert.ok(j.assumptions.some((a: string) => /^5 requests\/s per replica keep about \d+ request/.test(a)), j.assumptions.join('\n'));
    assert.ok(j.findings.some((f: { rule: string }) => f.rule === 'slo-miss'));
    assert.equal(run('estimate', 'meta-llama/Llama-3.1-8B-Instruct', '--request-rate', '5', '--concurrency', '4').status, 2);
    assert.equal(run('estimate', 'meta-llama/Llama-3.1-8B-Instruct', '--request-rate', '0').status, 2);
    assert.match(run('estimate', 'meta-llama/Llama-3.1-8B-Instruct', '--max-gpus', '4').stderr, /--max-gpus does not apply to estimate/);
    assert.match(run('estimate', 'meta-llama/Llama-3.1-8B-Instruct', '--tensor-paralel', '2').stderr, /unknown option --tensor-paralel \(did you mean --tensor-parallel\?\)/);
  });

  it('knob flags override the file (what-if from a terminal)', () => {
    const base = JSON.parse(run('estimate', fixture('vllm', 'llama-3.1-8b-h100.yaml'), '--json').stdout);
    const fp8 = JSON.parse(run('estimate', fixture('vllm', 'llama-3.1-8b-h100.yaml'), '--json', '--kv-cache-dtype', 'fp8').stdout);
    assert.equal(fp8.serving.kvCacheDtype, 'fp8');
    assert.ok(Math.abs(fp8.memory.kvCapacityTokens / base.memory.kvCapacityTokens - 2) < 0.01);
    const tp2 = JSON.parse(run('estimate', fixture('vllm', 'llama-3.1-8b-h100.yaml'), '--json', '--tensor-parallel', '2').stdout);
    assert.equal(tp2.serving.tensorParallel, 2);
    assert.equal(tp2.hardware.count, 2);
  });

  it('--gpus N with no parallelism uses the GPUs as tensor parallel', () => {
    const j = JSON.parse(run('estimate', 'meta-llama/Llama-3.1-70B-Instruct', '--gpus', '4', '--json').stdout);
    assert.equal(j.serving.tensorParallel, 4);
    assert.equal(j.hardware.count, 4);
    // --data-parallel splits them into ranks of their own: twice the KV room, each rank half the tensor parallel.
    const dp = JSON.parse(run('estimate', 'meta-llama/Llama-3.1-70B-Instruct', '--gpus', '4', '--data-parallel', '2', '--json').stdout);
    assert.equal(dp.serving.tensorParallel, 2);
    assert.equal(dp.hardware.count, 4);
    const tp2 = JSON.parse(run('estimate', 'meta-llama/Llama-3.1-70B-Instruct', '--gpus', '2', '--json').stdout);
    assert.equal(dp.memory.kvCapacityTokens, 2 * tp2.memory.kvCapacityTokens);
  });

  it('exit status: 1 when the model does not fit, 2 on usage errors', () => {
    assert.equal(run('estimate', fixture('vllm', 'llama-3.1-70b-one-gpu.yaml')).status, 1);
    assert.equal(run('estimate', 'no/such-thing').status, 2);
    assert.equal(run('estimate', fixture('hf', 'llama-3.1-8b'), '--bogus').status, 2);
    assert.equal(run('estimate', fixture('hf', 'llama-3.1-8b'), '--gpus', '-1').status, 2);
  });

  it('a workload that fits but will not start (TP 3 on 64 heads) exits 1; --json and the text say "will not start"', () => {
    const j = run('estimate', fixture('vllm', 'tp3-64-heads.yaml'), '--json');
    assert.equal(j.status, 1);
    const out = JSON.parse(j.stdout);
    assert.equal(out.memory.fits, true);
    assert.equal(out.verdict, 'will-not-start');
    assert.match(run('estimate', fixture('vllm', 'tp3-64-heads.yaml')).stdout, /\*\*Will not start\.\*\* will not start on 3 × H100-SXM: tp-divisibility/);
  });

  it('report exits as estimate does on the same file (0 fits, 1 does not fit, 2 cannot estimate), and still writes its page', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-report-'));
    const cases: Array<[string, number]> = [['vllm/llama-3.1-8b-h100.yaml', 0], ['vllm/llama-3.1-70b-one-gpu.yaml', 1], ['bad/unknown-model-gpu.yaml', 2]];
    for (const [f, expected] of cases) {
      const file = fixture(...f.split('/'));
      const html = path.join(dir, `${path.basename(f)}.html`);
      const estimate = run('estimate', file);
      const report = run('report', file, '--html', html);
      assert.equal(estimate.status, expected, `estimate ${f}: ${estimate.stderr}`);
      assert.equal(report.status, estimate.status, `report ${f}: ${report.stderr}`);
      assert.match(fs.readFileSync(html, 'utf8'), /<html/i, f);
    }
    assert.equal(run('report', 'no/such-thing', '--html', path.join(dir, 'x.html')).status, 2);
    assert.equal(run('report', fixture('vllm', 'llama-3.1-8b-h100.yaml')).status, 2, 'no --html is a usage error');
  });
});

describe('deploy-advisor CLI: GPU overrides file', () => {
  it('--gpus-file adds a GPU validated against schemas/gpus.schema.json', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-gpus-'));
    const good = path.join(dir, 'gpus.json');
    fs.writeFileSync(good, JSON.stringify([{ id: 'H100-SXM', pricePerHour: 2.5 }, { id: 'Lab-Card', usableBytes: 40 * 2 ** 30, memBandwidth: 1e12, aliases: ['labcard'] }]));
    const r = run('estimate', 'meta-llama/Llama-3.1-8B', '--gpu', 'labcard', '--gpus-file', good, '--json', '--max-model-len', '4096');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).hardware.memoryBytesPerGpu, 40 * 2 ** 30);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify([{ id: 'X', usableBytes: -1 }]));
    const rb = run('estimate', 'meta-llama/Llama-3.1-8B', '--gpus-file', bad);
    assert.equal(rb.status, 2);
    assert.match(rb.stderr, /usableBytes/);
  });
});

describe('deploy-advisor estimate <any supported fixture> --json', () => {
  const files = ['vllm/llama-3.1-8b-h100.yaml', 'sglang/qwen3-32b-tp2.yaml', 'trtllm/llama-70b-fp8-extra-options.yaml', 'kubernetes/vllm-deployment-shell-string.yaml',
    'kubernetes/sglang-statefulset.yaml', 'kubernetes/tgi-deployment-env.yaml', 'kubernetes/kserve-huggingface.yaml', 'compose/vllm-compose.yaml', 'compose/tgi-compose.yaml',
    'profile/chat.deploy.yaml', 'hf/gpt-oss-20b', 'hf/llama-3.1-8b-fp8-modelopt/config.json', 'vllm/with-side-profile.yaml'];
  for (const f of files) {
    it(f, () => {
      const r = run('estimate', fixture(...f.split('/')), '--json');
      assert.ok(r.status === 0 || r.status === 1, `${f}: exit ${r.status} ${r.stderr}`);
      const j = JSON.parse(r.stdout);
      assert.ok(j.memory && j.latency && Number.isFinite(j.latency.tpotMs), f);
    });
  }

  it('a multi-workload file prints one object per workload as a JSON array', () => {
    for (const f of ['kubernetes/multi-doc.yaml', 'helm/production-stack-values.yaml', 'helm/llm-d-values.yaml']) {
      const j = JSON.parse(run('estimate', fixture(...f.split('/')), '--json').stdout);
      assert.ok(Array.isArray(j) && j.length === 2, f);
    }
  });

  it('a side profile supplies the GPU (L40S) and the hf_quant_config.json side file the FP8 format', () => {
    assert.equal(JSON.parse(run('estimate', fixture('vllm', 'with-side-profile.yaml'), '--json').stdout).hardware.gpu, 'L40S');
    const fp8 = JSON.parse(run('estimate', fixture('hf', 'llama-3.1-8b-fp8-modelopt', 'config.json'), '--json').stdout);
    assert.equal(fp8.serving.weightDtype, 'fp8');
    assert.equal(fp8.serving.kvCacheDtype, 'fp8');
  });

  it('a file no reader claims is a usage error, not a crash', () => {
    const r = run('estimate', fixture('not-ours', 'github-workflow.yaml'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a config Deploy Advisor reads/);
  });
});
