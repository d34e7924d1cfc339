/** Extension-host suite run by @vscode/test-electron inside desktop VS Code (test/electron/electron.test.ts). */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
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
