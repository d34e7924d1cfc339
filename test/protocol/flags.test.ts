/**
 * Flag hygiene over real LSP messages (issue 20 item 4): on real-world manifests whose image tag names an engine
 * release, each flag that release deprecated or removed is a diagnostic on the flag itself, and its quick fix — applied
 * as the client applies it — rewrites the option in the manifest's own syntax and clears the diagnostic.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';

interface CodeAction { title: string; kind: string; isPreferred?: boolean; edit: { changes: Record<string, TextEdit[]> } }

describe('flag hygiene over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  /** Applies the preferred fix of the diagnostic `code` on 0-based `line`; returns the fixed text and its diagnostics. */
  async function applyFix(uri: string, code: string, line: number): Promise<{ fixed: string; after: Diagnostic[]; title: string }> {
    const original = lsp.text(uri);
    const d = (await lsp.diagnostics(uri)).find((x) => x.code === code && x.range.start.line === line);
    assert.ok(d, `${code} on line ${line + 1}`);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const a = actions.find((x) => x.isPreferred);
    assert.ok(a, `${code}: no preferred fix; got ${JSON.stringify(actions.map((x) => x.title))}`);
    assert.equal(a.kind, 'quickfix');
    const fixed = applyEdits(original, a.edit.changes[uri]);
    await lsp.change(uri, fixed);
    const after = await lsp.diagnostics(uri);
    await lsp.change(uri, original);
    await lsp.diagnostics(uri);
    return { fixed, after, title: a.title };
  }

  it('vLLM 0.11 image with V0 flags: removed flags are errors on the flag, ignored ones warnings; the fix deletes the item and its value', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-legacy-flags.yaml'));
    const diags = await lsp.diagnostics(uri);
    const flags = diags.filter((x) => x.code.startsWith('flag-')).map((x) => [x.code, x.range.start.line + 1, x.severity]);
    assert.deepEqual(flags.sort(), [['flag-deprecated', 30, 2], ['flag-deprecated', 35, 2], ['flag-removed', 32, 1], ['flag-removed', 34, 1]]);
    assert.ok(!diags.some((x) => x.code === 'unknown-key'), 'no double report as an unknown option');
    const preemption = diags.find((x) => x.code === 'flag-removed' && x.range.start.line === 31)!;
    assert.match(preemption.message, /--preemption-mode is removed in vLLM 0\.11\.0: .* vLLM 0\.11\.0 \(the image tag\) refuses to start on it/);

    const r = await applyFix(uri, 'flag-removed', 31);
    assert.match(r.title, /^Remove --preemption-mode/);
    assert.match(r.fixed, /- "16"\n {12}- "--use-v2-block-manager"\n/);
    assert.ok(!r.fixed.includes('"swap"'));
    assert.ok(!r.after.some((x) => x.code === 'flag-removed' && /preemption/.test(x.message)), JSON.stringify(r.after.map((x) => x.code)));
  });

  it('--task embed inside a shell string on vLLM 0.10.1.1: a deprecation warning whose fix writes --runner pooling --convert embed in the string', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-task-embed-shell.yaml'));
    const d = (await lsp.diagnostics(uri)).find((x) => x.code === 'flag-deprecated');
    assert.ok(d);
    assert.equal(d.range.start.line, 21);
    const r = await applyFix(uri, 'flag-deprecated', 21);
    assert.match(r.fixed, /- "vllm serve Qwen\/Qwen3-Embedding-8B --runner pooling --convert embed --max-model-len 8192 --gpu-memory-utilization 0\.85"\n/);
    assert.ok(!r.after.some((x) => x.code.startsWith('flag-')), JSON.stringify(r.after.map((x) => x.code)));
  });

  it('--speculative-model / --num-speculative-tokens under a v0.9.2 image: one --speculative-config JSON replaces both', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-speculative-model-flags.yaml'));
    const r = await applyFix(uri, 'flag-removed', 19);
    assert.ok(r.fixed.includes('"--tensor-parallel-size", "4", "--speculative-config={\\"model\\":\\"meta-llama/Llama-3.2-1B-Instruct\\",\\"num_speculative_tokens\\":5}", "--max-model-len", "8192"]'), r.fixed);
    assert.ok(!r.after.some((x) => x.code.startsWith('flag-') || x.code === 'unknown-key'), JSON.stringify(r.after.map((x) => x.code)));
  });

  it('TGI MAX_INPUT_LENGTH in a pod env list: renamed to MAX_INPUT_TOKENS, value untouched', async () => {
    const uri = lsp.open(fixture('kubernetes', 'tgi-max-input-length-env.yaml'));
    const r = await applyFix(uri, 'flag-deprecated', 24);
    assert.match(r.fixed, /- name: MAX_INPUT_TOKENS\n {14}value: "4096"\n/);
    assert.ok(!r.after.some((x) => x.code.startsWith('flag-')));
  });
});
