/**
 * The editor applies the same policy as `check` (issue 21 item 2), over real LSP messages: suppression comments (a
 * suppressed finding is published nowhere, an unused one is an Information diagnostic), the nearest
 * .deploy-advisor.yaml (its SLO and severities; re-read when a watched file changes), and Workspace Trust (an
 * untrusted workspace reads no config from disk, while the document's own comments still apply).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { applyEdits, LspClient } from '../support/lspClient';

const Information = 3;
const Warning = 2;
const codes = (d: Array<{ code: string }>) => d.map((x) => x.code);

describe('suppressions and .deploy-advisor.yaml in the language server', () => {
  const lsp = new LspClient();
  const untrusted = new LspClient();
  before(async () => {
    await lsp.initialize();
    await untrusted.initialize({ trusted: false });
  });
  after(async () => {
    assert.equal(await lsp.close(), 0);
    assert.equal(await untrusted.close(), 0);
  });

  it('a suppressed finding is not published; an unused suppression is an Information diagnostic on its rule code', async () => {
    const uri = lsp.open(fixture('check', 'repo', 'deploy', 'llama-8b.vllm.yaml'));
    const d = await lsp.diagnostics(uri, (x) => x.length > 0);
    assert.ok(!codes(d).includes('utilization-headroom'), codes(d).join());
    const unused = d.find((x) => x.code === 'unused-suppression')!;
    assert.equal(unused.severity, Information);
    assert.deepEqual([unused.range.start.line, unused.range.start.character], [5, 35]);
  });

  it('the nearest .deploy-advisor.yaml applies (its SLO is checked), as check applies it', async () => {
    const uri = lsp.open(fixture('check', 'repo', 'deploy', 'llama-70b-one-gpu.vllm.yaml'));
    const d = await lsp.diagnostics(uri, (x) => x.length > 0);
    assert.ok(codes(d).includes('does-not-fit') && codes(d).includes('slo-miss'), codes(d).join());
  });

  it('an untrusted workspace reads no config from disk; the document\'s own comments still apply', async () => {
    const uri = untrusted.open(fixture('check', 'repo', 'deploy', 'llama-70b-one-gpu.vllm.yaml'));
    const d = await untrusted.diagnostics(uri, (x) => x.length > 0);
    assert.ok(codes(d).includes('does-not-fit') && !codes(d).includes('slo-miss'), codes(d).join());
    const eight = untrusted.open(fixture('check', 'repo', 'deploy', 'llama-8b.vllm.yaml'));
    const d8 = await untrusted.diagnostics(eight, (x) => x.length > 0);
    assert.ok(!codes(d8).includes('utilization-headroom'), codes(d8).join());
  });

  it('an edited config is re-read on the watched-file change: severity, then off', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-lsp-cfg-'));
    fs.mkdirSync(path.join(dir, '.git'));
    const config = path.join(dir, '.deploy-advisor.yaml');
    fs.writeFileSync(config, 'rules:\n  does-not-fit: warning\n');
    const file = path.join(dir, 'big.vllm.yaml');
    fs.writeFileSync(file, 'model: meta-llama/Llama-3.1-70B-Instruct\ntensor_parallel_size: 1\nmax_model_len: 8192\n');
    const uri = lsp.open(file);
    const d = await lsp.diagnostics(uri, (x) => x.some((y) => y.code === 'does-not-fit'));
    assert.equal(d.find((x) => x.code === 'does-not-fit')!.severity, Warning);
    fs.writeFileSync(config, 'rules:\n  does-not-fit: off\n');
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    const after = await lsp.diagnostics(uri, (x) => !x.some((y) => y.code === 'does-not-fit'));
    assert.ok(!codes(after).includes('does-not-fit'));
  });

  it('the config file itself: a mistyped rule code is a warning with the rename as its quick fix', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-lsp-cfg-'));
    const config = path.join(dir, '.deploy-advisor.yaml');
    fs.writeFileSync(config, '# platform defaults\nrules:\n  kv-cache-dtpye: off\n');
    const uri = lsp.open(config);
    const [d] = await lsp.diagnostics(uri, (x) => x.length > 0);
    assert.deepEqual([d.code, d.severity, d.range.start.line, d.range.start.character], ['unknown-rule', Warning, 2, 2]);
    const [a] = await lsp.request<Array<{ title: string; edit: { changes: Record<string, Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>> } }>>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    assert.equal(a.title, 'Rename to "kv-cache-dtype"');
    assert.equal(applyEdits(lsp.text(uri), a.edit.changes[uri]), '# platform defaults\nrules:\n  kv-cache-dtype: off\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
