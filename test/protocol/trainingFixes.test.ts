/** Training findings over LSP: diagnostics on a torchtune config, the quick fix applied, the finding gone. */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';
import { fixture } from '../support/paths';

interface CodeAction { title: string; isPreferred?: boolean; diagnostics?: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }

describe('training findings and fixes over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  it('checkpointing off where it would fit: a warning on the key, a fix that writes True, and the finding clears', async () => {
    const file = fixture('training', 'torchtune', 'llama3_1', '8B_full.yaml');
    const text = fs.readFileSync(file, 'utf8').replace(/^enable_activation_checkpointing: True/m, 'enable_activation_checkpointing: False').replace(/^batch_size: 2/m, 'batch_size: 4');
    const uri = lsp.open(file, 'yaml', text);
    const diags = await lsp.diagnostics(uri, (d) => d.some((x) => x.code === 'training-checkpointing-off'));
    const d = diags.find((x) => x.code === 'training-checkpointing-off')!;
    assert.ok(d, JSON.stringify(diags.map((x) => x.code)));
    assert.equal(d.severity, 2);
    assert.match(text.split('\n')[d.range.start.line], /^enable_activation_checkpointing: False/);
    assert.ok(diags.some((x) => x.code === 'training-does-not-fit' && x.severity === 1));
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const a = actions.find((x) => x.title.startsWith('Set enable_activation_checkpointing'));
    assert.ok(a, JSON.stringify(actions.map((x) => x.title)));
    assert.match(a.title, /peak \d+\.\d GiB → \d+\.\d GiB per GPU, fits/);
    const fixed = applyEdits(text, a.edit.changes[uri]);
    assert.match(fixed, /^enable_activation_checkpointing: True {2}# True reduces memory$/m);
    await lsp.change(uri, fixed);
    const after = await lsp.diagnostics(uri, (ds) => !ds.some((x) => x.code === 'training-does-not-fit'));
    assert.deepEqual(after.filter((x) => x.code === 'training-checkpointing-off' || x.code === 'training-does-not-fit'), []);
  });
});
