/** The thin client: starts the bundled server, adds the palette command, the status bar item and settings sync. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { estimateRequest, EstimateResult } from '../../protocol/requests';
import { settingsSection } from '../../protocol/settings';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Deploy Advisor', { log: true });
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'untitled', language: 'json' },
    ],
    synchronize: { configurationSection: settingsSection },
    initializationOptions: { trusted: vscode.workspace.isTrusted, settings: vscode.workspace.getConfiguration(settingsSection) },
    outputChannel: output,
  };
  client = new LanguageClient('deployAdvisor', 'Deploy Advisor', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.command = 'deployAdvisor.estimate';
  status.name = 'Deploy Advisor';
  context.subscriptions.push(status, output);

  const estimateFor = async (editor: vscode.TextEditor | undefined): Promise<EstimateResult | undefined> => {
    if (!editor || !client) return undefined;
    return client.sendRequest<EstimateResult>(estimateRequest, { uri: editor.document.uri.toString() });
  };

  const refreshStatus = async () => {
    try {
      const r = await estimateFor(vscode.window.activeTextEditor);
      if (r?.summary) {
        status.text = `${r.anyProblem ? '$(warning)' : '$(server-process)'} ${r.summary.split(' · ').slice(0, 3).join(' · ')}`;
        status.tooltip = r.summary;
        status.show();
      } else {
        status.hide();
      }
    } catch {
      status.hide();
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('deployAdvisor.estimate', async () => {
      const r = await estimateFor(vscode.window.activeTextEditor);
      if (!r) {
        void vscode.window.showInformationMessage('Deploy Advisor: open a model config.json or a serving config to estimate it.');
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: r.markdown });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void refreshStatus()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) void refreshStatus();
    }),
  );

  await client.start();
  output.info(`Deploy Advisor started (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: local model folders are not read'}).`);
  void refreshStatus();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
