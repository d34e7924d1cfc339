/**
 * Kubernetes-native launchers over real LSP messages (issue 20 item 1): a NIMService and a KServe runtime +
 * InferenceService pair are diagnosed on the key that states the value, and the quick fix, applied as the client
 * applies it, writes the launcher's own place (NIM_MAX_MODEL_LEN in the service's env; the runtime's arg when the
 * service does not set it) and clears the error.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';

interface CodeAction { title: string; kind: string; edit: { changes: Record<string, TextEdit[]> } }

describe('Kubernetes-native launchers over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  async function applyFix(uri: string, code: string, line: number, title: RegExp): Promise<{ fixed: string; after: Diagnostic[]; edits: TextEdit[] }> {
    const original = lsp.text(uri);
    const diags = await lsp.diagnostics(uri);
    const d = diags.find((x) => x.code === code && x.range.start.line === line);
    assert.ok(d, `${code} on line ${line + 1}: ${JSON.stringify(diags.map((x) => [x.code, x.range.start.line + 1]))}`);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const a = actions.find((x) => title.test(x.title));
    assert.ok(a, `no fix like ${title}; got ${JSON.stringify(actions.map((x) => x.title))}`);
    assert.equal(a.kind, 'quickfix');
    const edits = a.edit.changes[uri];
    const fixed = applyEdits(original, edits);
    await lsp.change(uri, fixed);
    const after = await lsp.diagnostics(uri);
    await lsp.change(uri, original);
    await lsp.diagnostics(uri);
    return { fixed, after, edits };
  }

  it('NIMService: max-model-len above the model is an error on NIM_MAX_MODEL_LEN; the fix rewrites the variable', async () => {
    const uri = lsp.open(fixture('nim', 'nimservice-llama-3.1-8b.yaml'));
    const diags = await lsp.diagnostics(uri);
    assert.ok(diags.some((x) => x.code === 'nim-engine-assumed' && x.range.start.line === 7), JSON.stringify(diags.map((x) => x.code)));
    const r = await applyFix(uri, 'max-len-above-model', 29, /^Set max-model-len: 131072/);
    assert.deepEqual(r.edits.map((e) => [e.range.start.line, e.newText]), [[29, '"131072"']]);
    assert.ok(!r.after.some((x) => x.code === 'max-len-above-model'), JSON.stringify(r.after.map((x) => x.code)));
  });

  it('KServe pair: the value the runtime sets is fixed in the runtime\'s args', async () => {
    const uri = lsp.open(fixture('kserve', 'runtime-auto-select.yaml'));
    const r = await applyFix(uri, 'max-len-above-model', 36, /^Set max-model-len: 40960/);
    assert.deepEqual(r.edits.map((e) => [e.range.start.line, e.newText]), [[36, '"40960"']]);
    // The runtime mounts no /dev/shm for its two GPUs (shm-too-small, a finding of its own); the fix adds no other error.
    assert.ok(!r.after.some((x) => x.severity === 1 && x.code !== 'shm-too-small'), JSON.stringify(r.after.map((x) => [x.code, x.severity])));
    assert.ok(r.after.some((x) => x.code === 'shm-too-small'));
  });
});
