/**
 * `npm run bench`: estimator time per plan and didChange → publishDiagnostics latency over real LSP (stdio),
 * reported as percentiles in bench/results/latest.md. Never asserted in tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../test/support/lspClient';
import { manifest } from './manifests';
import { catalogModelIds } from '../server/src/catalog/models';
import { estimate } from '../server/src/estimator/estimate';
import { defaultWorkload } from '../server/src/plan/defaults';
import { byDefault, DeploymentPlan, sourced } from '../server/src/plan/types';

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

async function main(): Promise<void> {
  const vllmFile = fs.readFileSync(path.join(root, 'test-fixtures', 'vllm', 'llama-3.1-8b-h100.yaml'), 'utf8');
  // Each edit changes one replica count: a real keystroke, same length, so the other workloads' estimates are reused.
  const bumpReplicas = (text: string, v: number) => text.replace(/replicas: (\d)/, `replicas: ${1 + (v % 9)}`);
  const rows = [
    benchEstimator(),
    await benchDidChange('vLLM config', vllmFile, (t, v) => t.replace('max-num-seqs: 256', `max-num-seqs: ${100 + v}`)),
    await benchDidChange('Kubernetes manifest', manifest(300), bumpReplicas),
    await benchDidChange('Kubernetes manifest', manifest(10_000), bumpReplicas, 50),
  ];
  const report = [`# Deploy Advisor benchmarks (${new Date().toISOString()}, node ${process.version})`, '', '| case | p50 | p95 |', '|---|---|---|', ...rows, ''].join('\n');
  fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench', 'results', 'latest.md'), report);
  console.log(report);
}

void main();
