/**
 * Bad input over LSP: each case gets a clear diagnostic, the server keeps serving, and nothing else is lost — the
 * other open document's diagnostics stay, and fixing the text brings the normal ones back. How fast (the 1 s bound
 * users feel) is measured by `npm run bench` ("bad input → first diagnostics"), not asserted here: a timed assertion
 * fails on a loaded CI machine without anything being wrong. The wait below only catches a hang.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { Diagnostic, LspClient } from '../support/lspClient';

/** A hang, not a slow answer: far above the benchmark's bound, so only a server that stopped answering trips it. */
const HANG_MS = 10_000;
const read = (...p: string[]) => fs.readFileSync(fixture(...p), 'utf8');

interface Case {
  name: string;
  /** File name (it matters: `config.json`, `*vllm*.yaml` and `*.deploy.yaml` mark broken files as ours). */
  file: string;
  text: () => string;
  expect: RegExp;
}

const vllm = (body: string) => `model: meta-llama/Llama-3.1-8B-Instruct\n${body}`;
const cases: Case[] = [
  { name: 'malformed YAML', file: 'vllm-malformed.yaml', text: () => vllm('max-model-len: "8192\ntensor-parallel-size: [1\n'), expect: /Missing closing|flow|quote/i },
  { name: 'truncated JSON config', file: 'truncated/config.json', text: () => read('bad', 'truncated.json'), expect: /Missing closing/ },
  { name: 'YAML alias bomb (billion laughs)', file: 'vllm-bomb.yaml', text: () => read('bad', 'alias-bomb.yaml'), expect: /aliases expand too far/ },
  { name: 'a 50 MB file', file: 'vllm-huge.yaml', text: () => vllm('# padding\n'.repeat(5_000_000)), expect: /only reads files up to 5 MiB/ },
  { name: 'binary content', file: 'vllm-binary.yaml', text: () => read('bad', 'binary.yaml'), expect: /binary data/ },
  { name: 'deeply nested flow collections', file: 'deep/config.json', text: () => '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), expect: /Nested more than 256 levels/ },
  { name: 'deeply nested block YAML', file: 'vllm-deep.yaml', text: () => vllm('x:\n' + Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}y:`).join('\n')), expect: /Nested more than 256 levels/ },
  { name: 'absurd numbers (negative TP, max-model-len 0, 1e308)', file: 'vllm-absurd.yaml', text: () => read('bad', 'absurd-numbers.yaml'), expect: /tensor-parallel-size: must be >= 1/ },
  { name: '1e308 layers in a config.json', file: 'absurd/config.json', text: () => read('hf', 'llama-3.1-8b', 'config.json').replace(/"num_hidden_layers": \d+/, '"num_hidden_layers": 1e308'), expect: /implausible model shape \(layers 1e\+308/ },
  { name: 'unknown model', file: 'vllm-unknown.yaml', text: () => read('bad', 'unknown-model-gpu.yaml'), expect: /Unknown model "acme\/definitely-not-a-real-model-7b"/ },
  { name: 'unknown GPU', file: 'vllm-gpu.yaml', text: () => `# deploy-advisor: gpu=Voodoo-5-6000\n${vllm('max-model-len: 4096\n')}`, expect: /Unknown GPU "Voodoo-5-6000"/ },
  { name: 'unknown engine', file: 'x.deploy.yaml', text: () => 'model: meta-llama/Llama-3.1-8B-Instruct\nengine:\n  name: warp-drive\n', expect: /warp-drive|engine/ },
];

describe('bad input over LSP: a clear finding, nothing lost', { timeout: 120_000 }, () => {
  const lsp = new LspClient();
  let healthy = '';
  let healthyDiagnostics: Diagnostic[] = [];

  before(async () => {
    await lsp.initialize();
    healthy = lsp.open(fixture('vllm', 'kv-limited-chat.yaml'));
    healthyDiagnostics = await lsp.diagnostics(healthy);
    assert.ok(healthyDiagnostics.length > 0);
  });
  after(async () => assert.equal(await lsp.close(), 0));

  for (const c of cases) {
    it(c.name, async () => {
      const text = c.text();
      const uri = lsp.open(fixture('bad', 'lsp', c.file), c.file.endsWith('.json') ? 'json' : 'yaml', text);
      const t0 = performance.now();
      const ds = await lsp.diagnostics(uri, (d) => d.length > 0, HANG_MS);
      const ms = performance.now() - t0;
      const messages = ds.map((d) => d.message).join(' | ');
      assert.match(messages, c.expect);
      assert.ok(ms < HANG_MS, `${c.name}: first diagnostics after ${ms.toFixed(0)} ms`);
      // The server still answers, and the healthy document's findings are untouched.
      assert.ok((await lsp.request<{ summary: string }>('deployAdvisor/estimate', { uri: healthy })).summary.length > 0);
      await lsp.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
      assert.deepEqual(await lsp.diagnostics(healthy), healthyDiagnostics);
      // Repairing the text brings the normal analysis back.
      await lsp.change(uri, c.file.endsWith('.json') ? read('hf', 'llama-3.1-8b', 'config.json') : vllm('max-model-len: 4096\n'));
      const repaired = await lsp.diagnostics(uri);
      assert.doesNotMatch(repaired.map((d) => d.message).join(' | '), c.expect);
    });
  }

  it('a file that changes faster than the server answers: the last version wins', async () => {
    const uri = lsp.open(fixture('bad', 'lsp', 'vllm-typing.yaml'), 'yaml', vllm('max-model-len: 1\n'));
    for (let len = 1; len <= 300; len++) void lsp.change(uri, vllm(`max-model-len: ${len * 1000}\n`));
    const t0 = performance.now();
    const ds = await lsp.diagnostics(uri);
    assert.ok(performance.now() - t0 < HANG_MS);
    assert.ok(!ds.some((d) => /max-model-len: must be/.test(d.message)));
  });
});
