/**
 * The launchers over real LSP messages: a Dynamo worker that does not fit is fixed by its quick fix (the worker's
 * args and its gpu quantity), SkyPilot and trtllm-serve findings land on the line of the key they concern (the
 * accelerators, the overridden flag), and a RayService's embedded serve config is diagnosed at its own lines.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';

interface CodeAction { title: string; kind: string; diagnostics?: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }

describe('launchers over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  it('Dynamo: the does-not-fit quick fix raises TP and the worker\'s gpu quantity, and the finding clears', async () => {
    const uri = lsp.open(fixture('dynamo', 'sglang-agg-qwen3.yaml'));
    const d = (await lsp.diagnostics(uri)).find((x) => x.code === 'does-not-fit')!;
    assert.ok(d, 'does-not-fit expected');
    assert.equal(d.range.start.line + 1, 33);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => /tp-size: 2/.test(a.title))!;
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const original = lsp.text(uri);
    const fixed = applyEdits(original, fix.edit.changes[uri]);
    assert.equal(fixed.split('\n')[19], '          gpu: "2"');
    await lsp.change(uri, fixed);
    const after = await lsp.diagnostics(uri);
    assert.ok(!after.some((x) => x.code === 'does-not-fit'), JSON.stringify(after.map((x) => x.code)));
  });

  it('SkyPilot: the candidate accelerators are said on their line; trtllm-serve: the flag the ConfigMap overrides', async () => {
    const sky = lsp.open(fixture('skypilot', 'vllm-llama-70b-service.yaml'));
    const s = (await lsp.diagnostics(sky)).find((x) => x.code === 'launcher-not-read')!;
    assert.equal(s.range.start.line + 1, 20);
    assert.equal(s.severity, 3);
    const trt = lsp.open(fixture('kubernetes', 'trtllm-serve-configmap-options.yaml'));
    const t = (await lsp.diagnostics(trt)).find((x) => x.code === 'duplicate-key')!;
    assert.equal(t.range.start.line + 1, 49);
    assert.match(t.message, /overridden by free_gpu_memory_fraction: 0\.85/);
  });

  it('RayService: a finding inside serveConfigV2 lands on the embedded key, and its fix edits it there', async () => {
    const uri = lsp.open(fixture('ray', 'rayservice-llama-70b.yaml'));
    await lsp.diagnostics(uri);
    const text = lsp.text(uri).replace('gpu_memory_utilization: 0.9', 'gpu_memory_utilization: 0.99');
    await lsp.change(uri, text);
    const d = (await lsp.diagnostics(uri, (x) => x.some((y) => y.code === 'utilization-headroom'))).find((x) => x.code === 'utilization-headroom')!;
    assert.deepEqual([d.range.start.line + 1, d.range.start.character], [21, 36]);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    assert.ok(actions.length, 'a quick fix');
    const fixed = applyEdits(text, actions[0].edit.changes[uri]);
    assert.match(fixed.split('\n')[20], /^ {12}gpu_memory_utilization: 0\.9\d?$/);
    await lsp.change(uri, fixed);
    assert.ok(!(await lsp.diagnostics(uri)).some((x) => x.code === 'utilization-headroom'));
  });
});
