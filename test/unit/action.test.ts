/**
 * The GitHub Action (action.yml) and the pre-commit hook, run locally: each shell step of the composite action is
 * executed as GitHub would run it (inputs and github.action_path substituted, bash), against real fixtures.
 * The `uses:` steps (setup-node, upload-sarif) are GitHub's own and are not run here.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { dist, fixture, root } from '../support/paths';

interface Step { id?: string; name?: string; run?: string; uses?: string; env?: Record<string, string>; shell?: string; 'working-directory'?: string; if?: string }
const action = parse(fs.readFileSync(path.join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, { default: string }>; runs: { using: string; steps: Step[] } };

function expand(s: string, inputs: Record<string, string>): string {
  return s.replace(/\$\{\{\s*(inputs\.([\w-]+)|github\.action_path)\s*\}\}/g, (_m, _all, name?: string) => (name ? inputs[name] ?? '' : root));
}

function runStep(id: string, inputs: Record<string, string>, cwd: string) {
  const step = action.runs.steps.find((s) => s.id === id);
  assert.ok(step?.run, `step ${id} has a shell command`);
  assert.equal(step.shell, 'bash');
  const env: Record<string, string> = { ...process.env as Record<string, string> };
  for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v, inputs);
  return spawnSync('bash', ['-e', '-o', 'pipefail', '-c', step.run], { cwd: step['working-directory'] ? expand(step['working-directory'], inputs) : cwd, env, encoding: 'utf8' });
}

const withDefaults = (over: Record<string, string>) => ({ ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), ...over });

test('action.yml is a composite action whose inputs every step refers to exist', () => {
  assert.equal(action.runs.using, 'composite');
  const text = fs.readFileSync(path.join(root, 'action.yml'), 'utf8');
  for (const m of text.matchAll(/inputs\.([\w-]+)/g)) assert.ok(action.inputs[m[1]], `input ${m[1]} is declared`);
  assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif')), 'uploads SARIF to code scanning');
});

test('the build step is skipped when the bundled CLI is there', { skip: !fs.existsSync(dist('cli.js')) && 'dist/cli.js not built (npm run build)' }, () => {
  const r = runStep('build', withDefaults({}), root);
  assert.equal(r.status, 0, r.stderr);
});

test('the SARIF step writes a SARIF 2.1.0 report of the fixtures and never fails the job itself', { skip: !fs.existsSync(dist('cli.js')) && 'dist/cli.js not built (npm run build)' }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'da-action-'));
  fs.cpSync(fixture('vllm'), path.join(work, 'vllm'), { recursive: true });
  const r = runStep('sarif', withDefaults({ paths: 'vllm', gpu: 'H100' }), work);
  assert.equal(r.status, 0, r.stderr);
  const sarif = JSON.parse(fs.readFileSync(path.join(work, 'deploy-advisor.sarif'), 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  const results = sarif.runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
  assert.ok(results.length > 0, 'the fixtures have findings');
  for (const res of results) assert.match(res.locations[0].physicalLocation.artifactLocation.uri, /^vllm\//, 'URIs are relative to the checked root');
});

test('the annotate step prints workflow commands and fails on errors, as fail-on says', { skip: !fs.existsSync(dist('cli.js')) && 'dist/cli.js not built (npm run build)' }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'da-action-'));
  fs.cpSync(fixture('vllm', 'llama-3.1-70b-one-gpu.yaml'), path.join(work, 'serve.yaml'));
  const failing = runStep('annotate', withDefaults({ paths: 'serve.yaml' }), work);
  assert.equal(failing.status, 1, failing.stderr);
  assert.match(failing.stdout, /^::error file=serve\.yaml,line=\d+,col=\d+(,endLine=\d+,endColumn=\d+)?,title=[\w-]+::/m);
  const lenient = runStep('annotate', withDefaults({ paths: 'serve.yaml', 'fail-on': 'never' }), work);
  assert.equal(lenient.status, 0, lenient.stderr);
});

test('the pre-commit hook checks the files it is given and fails on an error-level finding', { skip: !fs.existsSync(dist('cli.js')) && 'dist/cli.js not built (npm run build)' }, () => {
  const hooks = parse(fs.readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{ id: string; entry: string; language: string; files: string }>;
  const hook = hooks.find((h) => h.id === 'deploy-advisor')!;
  assert.equal(hook.language, 'script');
  assert.ok(new RegExp(hook.files).test('deploy/vllm.yaml'));
  const entry = path.join(root, hook.entry);
  const bad = spawnSync(entry, [fixture('vllm', 'llama-3.1-70b-one-gpu.yaml')], { encoding: 'utf8' });
  assert.equal(bad.status, 1, bad.stderr);
  const unrelated = spawnSync(entry, [fixture('kubernetes', 'nginx-not-serving.yaml')], { encoding: 'utf8' });
  assert.equal(unrelated.status, 0, unrelated.stderr);
  assert.equal(spawnSync(entry, [], { encoding: 'utf8' }).status, 0, 'nothing staged: nothing to check');
});
