/**
 * `check` throughput (issue 21): a generated repository of 1,000 manifests (Kubernetes Deployments with their Services
 * and ConfigMaps, vLLM and SGLang config files, Compose files, and unrelated YAML and JSON among them, some ignored),
 * checked by the bundled CLI as CI runs it (SARIF to a file). Reports files/s and the process's peak RSS. Never asserted
 * in tests. CPU time is reported beside the wall time: on a shared machine the wall time says more about the load. Alone: `npm run compile-tests && node esbuild.mjs && node out/bench/check.js`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { manifest } from './manifests';

const root = path.resolve(__dirname, '../..');
const MODELS = ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', 'mistralai/Mistral-7B-Instruct-v0.3', 'Qwen/Qwen3-32B', 'meta-llama/Llama-3.1-70B-Instruct'];

function fileFor(i: number): [string, string] {
  const model = MODELS[i % MODELS.length];
  const team = `team-${i % 17}`;
  switch (i % 10) {
    case 0: case 1: case 2: case 3: return [`${team}/k8s/llm-${i}.yaml`, manifest(60 + (i % 5) * 40)];
    case 4: return [`${team}/vllm/serve-${i}.vllm.yaml`, `# deploy-advisor: gpu=H100 concurrency=${8 + (i % 32)}\nmodel: ${model}\ntensor_parallel_size: ${model.includes('70B') || model.includes('32B') ? 2 : 1}\nmax_model_len: ${8192 * (1 + (i % 4))}\ngpu_memory_utilization: 0.9\n`];
    case 5: return [`${team}/sglang/serve-${i}.sglang.yaml`, `model-path: ${model}\ntp-size: ${model.includes('70B') ? 4 : 1}\ncontext-length: 16384\nmem-fraction-static: 0.85\n`];
    case 6: return [`${team}/compose/docker-compose-${i}.yaml`, `services:\n  vllm:\n    image: vllm/vllm-openai:v0.10.1\n    command: ["--model", "${model}", "--max-model-len", "8192"]\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              count: 1\n              capabilities: [gpu]\n`];
    case 7: return [`${team}/ci/workflow-${i}.yaml`, `name: ci-${i}\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n`];
    case 8: return [`${team}/config/settings-${i}.json`, JSON.stringify({ name: `svc-${i}`, replicas: i % 5, features: ['a', 'b'], limits: { cpu: '2', memory: '4Gi' } }, null, 2)];
    default: return [`${team}/rendered/llm-${i}.yaml`, manifest(80)];
  }
}

export function generateRepository(n = 1000): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-check-bench-'));
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, '.gitignore'), 'rendered/\n');
  fs.writeFileSync(path.join(dir, '.deploy-advisor.yaml'), 'rules:\n  oversized-pool: off\nslo:\n  tpotMs: 50\n');
  for (let i = 0; i < n; i++) {
    const [rel, text] = fileFor(i);
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** One run of the bundled CLI: seconds and peak RSS (the child reports its own getrusage maximum at exit). */
function runCheck(dir: string): { seconds: number; cpuSeconds: number; peakMiB: number; read: number; workloads: number } {
  const preload = path.join(dir, '..', `${path.basename(dir)}-rss.js`);
  fs.writeFileSync(preload, "process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS} cpu ${process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime}\\n`));\n");
  const json = path.join(dir, '..', `${path.basename(dir)}.json`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, path.join(root, 'dist', 'cli.js'), 'check', dir, '--root', dir, '--format', 'json', '--output', json, '--fail-on', 'never'], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`check failed (${r.status}): ${r.stderr}`);
  const kib = Number(/maxrss (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const cpuSeconds = Number(/cpu (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1e6;
  const out = JSON.parse(fs.readFileSync(json, 'utf8')) as { files: { read: number }; workloads: unknown[] };
  return { seconds, cpuSeconds, peakMiB: kib / 1024, read: out.files.read, workloads: out.workloads.length };
}

export function benchCheck(runs = 3): string[] {
  const dir = generateRepository();
  const results = Array.from({ length: runs }, () => runCheck(dir));
  const med = [...results].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs / 2)];
  const peak = Math.max(...results.map((x) => x.peakMiB));
  for (const p of [dir, `${dir}-rss.js`, `${dir}.json`]) fs.rmSync(p, { recursive: true, force: true });
  return [`| check, generated repository (1000 files, ${med.read} read after .gitignore, ${med.workloads} workloads; median of ${runs}) | ${med.seconds.toFixed(2)} s (CPU ${med.cpuSeconds.toFixed(2)} s) | ${(med.read / med.seconds).toFixed(0)} files/s (${(med.read / med.cpuSeconds).toFixed(0)} per CPU-second) | ${peak.toFixed(0)} MiB |`];
}

if (require.main === module) console.log(['| case | wall | throughput | peak RSS |', '|---|---|---|---|', ...benchCheck()].join('\n'));
