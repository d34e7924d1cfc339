/**
 * `npm run bench`: estimator time per plan and didChange → publishDiagnostics latency over real LSP (stdio),
 * reported as percentiles in bench/results/latest.md. Never asserted in tests.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
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

async function benchDidChange(): Promise<string> {
  const server = spawn(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  let resolveNext: ((v: number) => void) | undefined;
  conn.onNotification('textDocument/publishDiagnostics', () => resolveNext?.(performance.now()));
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await conn.sendNotification('initialized', {});
  const file = path.join(root, 'test-fixtures', 'vllm', 'llama-3.1-8b-h100.yaml');
  const uri = pathToFileURL(file).href;
  const base = fs.readFileSync(file, 'utf8');
  const next = () => new Promise<number>((r) => (resolveNext = r));
  let p = next();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: base } });
  await p;
  const times: number[] = [];
  for (let v = 2; v < 202; v++) {
    const text = base.replace('max-num-seqs: 256', `max-num-seqs: ${64 + v}`);
    p = next();
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    times.push((await p) - t0);
  }
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  return `| didChange → diagnostics, vLLM config (${base.split('\n').length} lines, 200 edits) | ${pct(times, 50).toFixed(2)} ms | ${pct(times, 95).toFixed(2)} ms |`;
}

async function main(): Promise<void> {
  const rows = [benchEstimator(), await benchDidChange()];
  const report = [`# Deploy Advisor benchmarks (${new Date().toISOString()}, node ${process.version})`, '', '| case | p50 | p95 |', '|---|---|---|', ...rows, ''].join('\n');
  fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench', 'results', 'latest.md'), report);
  console.log(report);
}

void main();
