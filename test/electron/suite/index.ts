/**
 * Extension-host suite: the same checks through the VS Code API, run by @vscode/test-electron in desktop VS Code
 * (test/electron/electron.test.ts) and by code-server's extension host (test/editor/extensionHost.test.ts).
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

async function checks(): Promise<void> {
  const ext = vscode.extensions.getExtension('deploy-advisor.deploy-advisor');
  assert.ok(ext, 'extension not installed in the test host');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'no workspace folder');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'vllm', 'llama-3.1-70b-one-gpu.yaml'));
  await vscode.window.showTextDocument(doc);
  await ext.activate();
  const deadline = Date.now() + 20_000;
  let diags: vscode.Diagnostic[] = [];
  while (Date.now() < deadline) {
    diags = vscode.languages.getDiagnostics(doc.uri);
    if (diags.some((d) => d.code === 'does-not-fit')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(diags.some((d) => d.code === 'does-not-fit' && d.range.start.line === 2), JSON.stringify(diags));
  const commands = await vscode.commands.getCommands(true);
  assert.ok(commands.includes('deployAdvisor.estimate'));
}
