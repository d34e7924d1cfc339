/**
 * `npm run bench`: estimator time per plan, optimizer throughput, and didChange → publishDiagnostics latency over real LSP (stdio),
 * reported as percentiles in bench/results/latest.md. Never asserted in tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../test/support/lspClient';
import * as os from 'node:os';
import { ours, yamlLanguageServer } from './compare';
import { benchEditor } from './editor';
import { manifest } from './manifests';
import { benchCheck } from './check';
import { catalogModelIds } from '../server/src/catalog/models';
import { estimate } from '../server/src/estimator/estimate';
import { defaultWorkload } from '../server/src/plan/defaults';
import { byDefault, DeploymentPlan, engineNames, sourced } from '../server/src/plan/types';
import { GpuCatalog } from '../server/src/catalog/gpus';
import { optimize } from '../server/src/optimizer/search';
import type { OptimizeRequest } from '../server/src/optimizer/types';

const root = path.resolve(__dirname, '../..');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

function benchEstimator(): string {
  const ids = catalogModelIds();
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const id of ids) {
      const plan: DeploymentPlan = {
        name: id, model: { ref: byDefault(id, '') }, hardware: { gpu: byDefault('H100-SXM', ''), replicas: byDefault(1, '') },
        engine: { name: byDefault('vllm', '') }, knobs: { maxModelLen: byDefault(8192, '') }, workload: { ...defaultWorkload(), concurrency: sourced(32, { kind: 'cli', flag: 'c' }) },
      };
      const t0 = performance.now();
      estimate(plan);
      times.push(performance.now() - t0);
    }
  }
  return `| estimator, one plan (${times.length} plans, catalog models, concurrency 32) | ${pct(times, 50).toFixed(3)} ms | ${pct(times, 95).toFixed(3)} ms |`;
}

/** `optimize` with the default search space (whole GPU catalog, every engine, up to 8 GPUs): candidates screened per second and time per full search. */
function benchOptimizer(): string[] {
  const deps = { gpus: new GpuCatalog() };
  const cases: Array<[string, OptimizeRequest['slo'], number]> = [
    ['meta-llama/Llama-3.1-8B-Instruct', { ttftMs: 500, tpotMs: 30 }, 32],
    ['Qwen/Qwen3-30B-A3B', { tpotMs: 25 }, 64],
    ['meta-llama/Llama-3.1-70B-Instruct', { tpotMs: 40 }, 16],
    ['deepseek-ai/DeepSeek-V3', { tpotMs: 60 }, 64],
  ];
  const times: number[] = [];
  let searched = 0;
  let screenMs = 0;
  for (let round = 0; round < 3; round++) {
    for (const [id, slo, concurrency] of cases) {
      const plan: DeploymentPlan = {
        name: id, model: { ref: byDefault(id, '') }, hardware: { gpu: byDefault('H100-SXM', ''), replicas: byDefault(1, '') },
        engine: { name: byDefault('vllm', '') }, knobs: {}, workload: defaultWorkload(),
      };
      const req: OptimizeRequest = { inputLen: 1024, outputLen: 256, concurrency, slo, maxGpus: 8, engines: engineNames, limit: 10 };
      let t0 = performance.now();
      const r = optimize({ plan, request: req }, deps);
      times.push(performance.now() - t0);
      // The screen alone: an SLO nothing can meet leaves no survivors to verify.
      t0 = performance.now();
      searched += optimize({ plan, request: { ...req, slo: { tpotMs: 1e-6 } } }, deps).searched;
      screenMs += performance.now() - t0;
      if (!r.plans.length) throw new Error(`optimizer found no plan for ${id}`);
    }
  }
  return [
    `| optimize, screen only (${searched.toLocaleString('en-US')} candidates) | ${Math.round(searched / (screenMs / 1e3)).toLocaleString('en-US')} candidates/s | |`,
    `| optimize, full default search (${times.length} searches: 4 models, whole catalog, 4 engines, ≤ 8 GPUs) | ${pct(times, 50).toFixed(0)} ms | ${pct(times, 95).toFixed(0)} ms |`,
  ];
}

/** didChange → publishDiagnostics over real LSP, editing one value per change (the typing path). */
async function benchDidChange(label: string, base: string, edit: (text: string, v: number) => string, edits = 200): Promise<string> {
  const client = new LspClient();
  await client.initialize();
  const uri = client.open(path.join(root, 'bench', label.replace(/\W+/g, '-') + '.yaml'), 'yaml', base);
  await client.diagnostics(uri);
  const times: number[] = [];
  for (let v = 0; v < edits; v++) {
    const t0 = performance.now();
    await client.change(uri, edit(base, v));
    await client.diagnostics(uri);
    times.push(performance.now() - t0);
  }
  await client.close();
  return `| didChange → diagnostics, ${label} (${base.split('\n').length} lines, ${edits} edits) | ${pct(times, 50).toFixed(2)} ms | ${pct(times, 95).toFixed(2)} ms |`;
}

/** yaml-language-server waits this long after a change before validating (yamlSettings.validationDelayMs, fixed). */
const YAML_LS_DELAY_MS = 200;

/** The same edits through both servers; ratio = ours / yaml-language-server at p50 (lower is better for us). */
async function benchCompare(label: string, base: string, edit: (t: string, v: number) => string, edits: number, schema?: string): Promise<string> {
  const file = path.join(root, 'bench', `${label.replace(/\W+/g, '-')}.yaml`);
  const a = await ours(file, base, edit, edits);
  const b = await yamlLanguageServer(file, base, edit, edits, schema);
  const work = b.p50 - YAML_LS_DELAY_MS;
  return `| ${label} (${base.split('\n').length} lines, ${edits} edits${schema ? `, yaml-ls given ${schema}` : ', yaml-ls without a schema'}) | ${a.p50.toFixed(2)} / ${a.p95.toFixed(2)} ms | ${b.p50.toFixed(2)} / ${b.p95.toFixed(2)} ms | ${(a.p50 / b.p50).toFixed(2)}× | ${(a.p50 / work).toFixed(2)}× |`;
}

/** Spawn → initialized → first diagnostics of a file, over stdio: the server's share of opening the first config. */
async function benchColdStart(runs = 5): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const client = new LspClient();
    await client.initialize();
    const uri = client.open(path.join(root, 'test-fixtures', 'vllm', 'llama-3.1-70b-one-gpu.yaml'));
    await client.diagnostics(uri, (d) => d.length > 0);
    times.push(performance.now() - t0);
    await client.close();
  }
  return `| server cold start: spawn → initialize → first diagnostics (${runs} runs) | ${pct(times, 50).toFixed(0)} ms | ${pct(times, 95).toFixed(0)} ms |`;
}

/** Bad input → first diagnostics over LSP (the 1 s bound): a 50 MB file, an alias bomb, deep nesting, malformed YAML. */
async function benchBadInput(runs = 5): Promise<string[]> {
  const cases: Array<[string, string, string]> = [
    ['a 50 MB file', 'vllm-huge.yaml', `model: meta-llama/Llama-3.1-8B-Instruct\n${'# padding\n'.repeat(5_000_000)}`],
    ['YAML alias bomb', 'vllm-bomb.yaml', fs.readFileSync(path.join(root, 'test-fixtures', 'bad', 'alias-bomb.yaml'), 'utf8')],
    ['100 000-deep flow nesting', 'deep/config.json', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['malformed YAML', 'vllm-malformed.yaml', 'model: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: "8192\ntensor-parallel-size: [1\n'],
  ];
  const client = new LspClient();
  await client.initialize();
  const rows: string[] = [];
  for (const [label, file, text] of cases) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const uri = client.open(path.join(root, 'test-fixtures', 'bad', 'lsp', `${i}-${file}`), file.endsWith('.json') ? 'json' : 'yaml', text);
      await client.diagnostics(uri, (d) => d.length > 0, 30_000);
      times.push(performance.now() - t0);
    }
    rows.push(`| bad input → first diagnostics, ${label} (${runs} opens; bound 1 s) | ${pct(times, 50).toFixed(0)} ms | ${pct(times, 95).toFixed(0)} ms |`);
  }
  await client.close();
  return rows;
}

/** Size of what ships. */
function bundleSizes(): string[] {
  return ['client.js', 'server.js', 'cli.js', 'report-view.js', 'deploy-advisor.vsix'].flatMap((f) => {
    const file = path.join(root, 'dist', f);
    return fs.existsSync(file) ? [`| ${f} | ${(fs.statSync(file).size / 1024).toFixed(0)} KiB |`] : [];
  });
}

async function main(): Promise<void> {
  const vllmFile = fs.readFileSync(path.join(root, 'test-fixtures', 'vllm', 'llama-3.1-8b-h100.yaml'), 'utf8');
  // Each edit changes one replica count: a real keystroke, same length, so the other workloads' estimates are reused.
  const bumpReplicas = (text: string, v: number) => text.replace(/replicas: (\d)/, `replicas: ${1 + (v % 9)}`);
  const rows = [
    await benchColdStart(),
    benchEstimator(),
    ...benchOptimizer(),
    await benchDidChange('vLLM config', vllmFile, (t, v) => t.replace('max-num-seqs: 256', `max-num-seqs: ${100 + v}`)),
    await benchDidChange('Kubernetes manifest', manifest(300), bumpReplicas),
    await benchDidChange('Kubernetes manifest', manifest(10_000), bumpReplicas, 50),
    ...(await benchBadInput()),
  ];
  const compare = [
    await benchCompare('vLLM config', vllmFile, (t, v) => t.replace('max-num-seqs: 256', `max-num-seqs: ${100 + v}`), 200, 'vllm.schema.json'),
    await benchCompare('Kubernetes manifest', manifest(300), bumpReplicas, 100),
    await benchCompare('Kubernetes manifest', manifest(10_000), bumpReplicas, 30),
  ];
  const check = benchCheck();
  const editor = process.argv.includes('--no-editor') ? ['| (skipped: --no-editor) | |'] : await benchEditor();
  const report = [
    `# Deploy Advisor benchmarks (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPUs)`, '',
    '| case | p50 | p95 |', '|---|---|---|', ...rows, '',
    '## Against yaml-language-server (same client, files and edits; didChange → next diagnostics)', '',
    '| file | Deploy Advisor p50 / p95 | yaml-language-server p50 / p95 | ratio (p50) | ratio to its work (p50 − its 200 ms delay) |', '|---|---|---|---|---|', ...compare, '',
    'Deploy Advisor parses, reads every workload, estimates memory and latency and runs its rules on each change; yaml-language-server parses and validates (the schema where given). Its fixed 200 ms validation delay is what users feel; the last column compares the work alone.', '',
    '## check over a repository (bundled CLI, as CI runs it)', '', '| case | wall | throughput | peak RSS |', '|---|---|---|---|', ...check, '',
    '## In the real editor (code-server, packaged .vsix)', '', '| measure | value |', '|---|---|', ...editor, '',
    '## Bundle sizes', '', '| file | size |', '|---|---|', ...bundleSizes(), '',
  ].join('\n');
  fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench', 'results', 'latest.md'), report);
  console.log(report);
}

void main();
