/**
 * LoRA serving over real LSP messages: each finding on its fixture, each quick fix applied as the client applies it,
 * the file re-diagnosed and the finding gone, the rest of the file untouched; the fix is a minimal edit in the file's
 * own syntax (a YAML key, a Kubernetes args item).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';

interface CodeAction { title: string; kind: string; isPreferred?: boolean; diagnostics?: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }

describe('LoRA findings and fixes over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  async function fixesFor(uri: string, code: string): Promise<{ d: Diagnostic; actions: CodeAction[] }> {
    const diags = await lsp.diagnostics(uri);
    const d = diags.find((x) => x.code === code);
    assert.ok(d, `expected ${code}, got ${diags.map((x) => x.code).join(', ')}`);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    return { d, actions: actions.filter((a) => a.diagnostics?.some((y) => y.code === code) ?? true) };
  }

  /** Applies `a`, re-diagnoses, checks `code` is gone from its line and no other line was lost; restores the file. */
  async function applyAndCheck(uri: string, a: CodeAction, d: Diagnostic): Promise<string> {
    const original = lsp.text(uri);
    const edits = a.edit.changes[uri];
    const fixed = applyEdits(original, edits);
    await lsp.change(uri, fixed);
    const afterDiags = await lsp.diagnostics(uri);
    assert.ok(!afterDiags.some((x) => x.code === d.code), `"${a.title}" did not clear ${d.code}: ${JSON.stringify(afterDiags.map((x) => [x.code, x.message]))}`);
    assert.ok(!afterDiags.some((x) => x.code === 'invalid-value' || x.code === 'unknown-key'), `"${a.title}" left the file invalid: ${JSON.stringify(afterDiags.map((x) => x.code))}`);
    const touched = new Set(edits.flatMap((e) => [e.range.start.line, e.range.end.line]));
    const fixedLines = fixed.split('\n');
    let j = 0;
    for (const line of original.split('\n').filter((_, i) => !touched.has(i))) {
      while (j < fixedLines.length && fixedLines[j] !== line) j++;
      assert.ok(j < fixedLines.length, `"${a.title}" lost the line ${JSON.stringify(line)}`);
      j++;
    }
    await lsp.change(uri, original);
    await lsp.diagnostics(uri);
    return fixed;
  }

  it('lora-rank-above-max: a rank-32 local adapter under the default max-lora-rank 16 is an error on the adapter; the fix adds `max-lora-rank: 32`', async () => {
    const uri = lsp.open(fixture('vllm', 'lora-rank-above-max.yaml'));
    const { d, actions } = await fixesFor(uri, 'lora-rank-above-max');
    assert.equal(d.severity, 1);
    assert.equal(d.range.start.line, 5);
    assert.match(d.message, /rank 32 .* above the default max-lora-rank 16/);
    assert.equal(actions.length, 1);
    assert.ok(actions[0].isPreferred);
    assert.match(actions[0].title, /^Set max-lora-rank: 32 — adapter slots 0\.08 GiB → 0\.16 GiB per GPU$/);
    const fixed = await applyAndCheck(uri, actions[0], d);
    assert.ok(fixed.split('\n').includes('max-lora-rank: 32'), fixed);
  });

  it('lora-slots-share: eight rank-64 slots on an L4 take most of the KV budget; the fix sets the max-loras that fits, in the args list', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-lora-l4.yaml'));
    const { d, actions } = await fixesFor(uri, 'lora-slots-share');
    assert.equal(d.severity, 2);
    assert.equal(d.range.start.line, 26);
    assert.match(d.message, /8 slots \(max-loras\) × rank 64 take 2\.50 GiB per GPU, \d+ % of the .* max-loras: 1 keeps them within 10 %/);
    assert.ok(actions.length >= 1);
    const setLoras = actions.find((a) => a.title.startsWith('Set max-loras: 1'));
    assert.ok(setLoras, JSON.stringify(actions.map((a) => a.title)));
    assert.match(setLoras.title, /adapter slots 2\.50 GiB → 0\.31 GiB, KV capacity \d+k → \d+k tokens/);
    const fixed = await applyAndCheck(uri, setLoras, d);
    assert.equal(fixed.split('\n')[26], '            - "1"');
  });

  it('an SGLang launch and a TGI environment with LoRA read cleanly: no false LoRA finding, LORA_ADAPTERS a known option', async () => {
    const uri = lsp.open(fixture('compose', 'sglang-lora.yaml'));
    const diags = await lsp.diagnostics(uri);
    assert.ok(!diags.some((x) => x.code === 'lora-slots-share' || x.code === 'lora-rank-above-max'), JSON.stringify(diags.map((x) => x.code)));
    const tgi = lsp.open(fixture('kubernetes', 'tgi-lora-env.yaml'));
    const tgiDiags = await lsp.diagnostics(tgi);
    assert.ok(!tgiDiags.some((x) => x.code === 'unknown-key'), JSON.stringify(tgiDiags.map((x) => [x.code, x.message])));
  });
});
