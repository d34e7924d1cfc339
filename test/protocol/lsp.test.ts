/** The bundled server over real LSP messages on stdio: initialize, didOpen, diagnostics, the estimate request, shutdown. */
import { strict as assert } from 'node:assert';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { dist, fixture } from '../support/paths';

interface Diagnostic { range: { start: { line: number } }; message: string; code: string; severity: number }
interface PublishParams { uri: string; diagnostics: Diagnostic[] }

describe('language server over stdio', () => {
  let server: ChildProcess;
  let conn: MessageConnection;
  const published = new Map<string, PublishParams[]>();
  const waiters: Array<() => void> = [];

  const waitFor = async (uri: string, pred: (d: Diagnostic[]) => boolean, ms = 10_000): Promise<Diagnostic[]> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const last = published.get(uri)?.at(-1);
      if (last && pred(last.diagnostics)) return last.diagnostics;
      if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(last)}`);
      await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 200); });
    }
  };

  const open = (file: string, languageId: string) => {
    const uri = pathToFileURL(file).href;
    void conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text: fs.readFileSync(file, 'utf8') } });
    return uri;
  };

  before(async () => {
    server = spawn(process.execPath, [dist('server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    conn = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishParams) => {
      published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
      waiters.splice(0).forEach((w) => w());
    });
    conn.onRequest('workspace/configuration', () => [{ gpu: '', gpuCount: 0, gpusFile: '' }]);
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    const init = (await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } })) as { capabilities: { textDocumentSync: number } };
    assert.equal(init.capabilities.textDocumentSync, 2);
    await conn.sendNotification('initialized', {});
  });

  after(async () => {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    const code = await new Promise<number | null>((r) => server.once('exit', (c) => r(c)));
    conn.dispose();
    assert.equal(code, 0);
  });

  it('a model that does not fit: an error diagnostic on the model key, with numbers', async () => {
    const uri = open(fixture('vllm', 'llama-3.1-70b-one-gpu.yaml'), 'yaml');
    const diags = await waitFor(uri, (d) => d.some((x) => x.code === 'does-not-fit'));
    const d = diags.find((x) => x.code === 'does-not-fit')!;
    assert.equal(d.severity, 1);
    assert.equal(d.range.start.line, 2);
    assert.match(d.message, /GiB/);
  });

  it('max-model-len beyond the KV pool lands on the max-model-len value', async () => {
    const uri = open(fixture('vllm', 'qwen3-32b-long-context.yaml'), 'yaml');
    const diags = await waitFor(uri, (d) => d.some((x) => x.code === 'max-len-exceeds-kv'));
    assert.equal(diags.find((x) => x.code === 'max-len-exceeds-kv')!.range.start.line, 3);
  });

  it('edits re-diagnose: lowering max-model-len clears the finding', async () => {
    const file = fixture('vllm', 'qwen3-32b-long-context.yaml');
    const uri = pathToFileURL(file).href;
    const text = fs.readFileSync(file, 'utf8').replace('max-model-len: 131072', 'max-model-len: 16384');
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    await waitFor(uri, (d) => !d.some((x) => x.code === 'max-len-exceeds-kv'));
  });

  it('unrelated YAML gets an empty diagnostics list', async () => {
    const uri = open(fixture('not-ours', 'github-workflow.yaml'), 'yaml');
    assert.deepEqual(await waitFor(uri, () => true), []);
  });

  it('deployAdvisor/estimate returns the report and a one-line verdict', async () => {
    const uri = open(fixture('vllm', 'llama-3.1-8b-h100.yaml'), 'yaml');
    await waitFor(uri, () => true);
    const r = (await conn.sendRequest('deployAdvisor/estimate', { uri })) as { markdown: string; summary: string; anyProblem: boolean };
    assert.match(r.summary, /^fits on 1 × H100-SXM/);
    assert.match(r.markdown, /KV capacity/);
    assert.equal(r.anyProblem, false);
  });
});
