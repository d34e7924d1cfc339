/**
 * Extension-host suite: the user-visible features through the VS Code API. Run by @vscode/test-electron in desktop
 * VS Code (test/electron/electron.test.ts) and inside code-server's extension host (test/editor/extensionHost.test.ts).
 * When DEPLOY_ADVISOR_SUITE_RESULT is set, the outcome is also written there (the web workbench cannot report it).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const out = process.env.DEPLOY_ADVISOR_SUITE_RESULT;
  try {
    await checks();
    if (out) fs.writeFileSync(out, JSON.stringify({ ok: true }));
  } catch (e) {
    if (out) fs.writeFileSync(out, JSON.stringify({ ok: false, error: (e as Error).stack ?? String(e) }));
    throw e;
  }
}

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const L4_32K = `# deploy-advisor: gpu=L4 input-len=2000 output-len=300 concurrency=4
model: meta-llama/Llama-3.1-8B-Instruct
max-model-len: 32768
gpu-memory-utilization: 0.9
`;

async function checks(): Promise<void> {
  const ext = vscode.extensions.getExtension('deploy-advisor.deploy-advisor');
  assert.ok(ext, 'extension not installed in the test host');
  const commands = await vscode.commands.getCommands(true);
  assert.ok(commands.includes('deployAdvisor.estimate'));

  // A workspace fixture: diagnostics on the right line.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'no workspace folder');
  const fixture = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'vllm', 'llama-3.1-70b-one-gpu.yaml'));
  await vscode.window.showTextDocument(fixture);
  await ext.activate();
  const diags = await until('does-not-fit', () => {
    const d = vscode.languages.getDiagnostics(fixture.uri);
    return d.some((x) => x.code === 'does-not-fit') ? d : undefined;
  });
  assert.ok(diags.some((d) => d.code === 'does-not-fit' && d.range.start.line === 2 && /GiB/.test(d.message)), JSON.stringify(diags));

  // An untitled document: the FP8-KV quick fix through the API clears the finding.
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: L4_32K });
  await vscode.window.showTextDocument(doc);
  const d = await until('max-len-exceeds-kv', () => vscode.languages.getDiagnostics(doc.uri).find((x) => x.code === 'max-len-exceeds-kv'));
  assert.match(d.message, /One 32768-token request needs 4\.00 GiB of KV per GPU/);
  assert.equal(d.range.start.line, 2);

  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, d.range.start);
  const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
  assert.match(hoverText, /\*\*max-model-len\*\*/);

  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
  assert.ok(lenses.some((l) => /does not fit on 1 × L4/.test(l.command?.title ?? '')), JSON.stringify(lenses.map((l) => l.command?.title)));

  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
  const fp8 = actions.find((a) => a.title.startsWith('Set kv-cache-dtype: fp8'));
  assert.ok(fp8?.edit, JSON.stringify(actions.map((a) => a.title)));
  assert.ok(await vscode.workspace.applyEdit(fp8.edit));
  assert.match(doc.getText(), /kv-cache-dtype: fp8/);
  await until('the finding to clear', () => !vscode.languages.getDiagnostics(doc.uri).some((x) => x.code === 'max-len-exceeds-kv'));
}
