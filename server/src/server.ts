/** LSP wiring only: connection, documents, capabilities. Features live in lsp/, computation in the pipeline. */
import { createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { estimateRequest, EstimateParams } from '../../protocol/requests';
import { defaultSettings, DeployAdvisorSettings, settingsSection } from '../../protocol/settings';
import { AnalysisCache } from './lsp/analysisCache';
import { toDiagnostics } from './lsp/diagnostics';
import { toEstimateResult } from './lsp/estimateRequest';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: DeployAdvisorSettings = { ...defaultSettings };
let trusted = true;
let canPullConfiguration = false;
const cache = new AnalysisCache(() => settings, () => trusted);

connection.onInitialize((params) => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  const init = (params.initializationOptions ?? {}) as { trusted?: boolean; settings?: Partial<DeployAdvisorSettings> };
  trusted = init.trusted !== false;
  settings = { ...defaultSettings, ...(init.settings ?? {}) };
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } };
});

connection.onInitialized(() => {
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: settingsSection });
  void refreshSettings();
});

async function refreshSettings(): Promise<void> {
  if (canPullConfiguration) {
    try {
      const s = (await connection.workspace.getConfiguration(settingsSection)) as Partial<DeployAdvisorSettings> | null;
      settings = { ...defaultSettings, ...(s ?? {}) };
    } catch {
      // Clients without workspace/configuration keep the initialization settings.
    }
  }
  cache.clear();
  for (const d of documents.all()) publish(d);
  for (const p of cache.gpuProblems()) connection.console.warn(`deployAdvisor.gpusFile: ${p}`);
}

connection.onDidChangeConfiguration(() => void refreshSettings());

/** Diagnostics are published on the next tick so a burst of edits only analyses the last version. */
const pending = new Map<string, NodeJS.Timeout>();
function schedule(doc: TextDocument): void {
  clearTimeout(pending.get(doc.uri));
  pending.set(doc.uri, setTimeout(() => {
    pending.delete(doc.uri);
    const current = documents.get(doc.uri);
    if (current) publish(current);
  }, 0));
}

function publish(doc: TextDocument): void {
  try {
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: toDiagnostics(cache.get(doc)) });
  } catch (e) {
    connection.console.error(`deploy-advisor: analysis failed for ${doc.uri}: ${(e as Error).stack ?? String(e)}`);
  }
}

documents.onDidOpen((e) => publish(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  cache.forget(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onRequest(estimateRequest, (params: EstimateParams) => {
  const doc = documents.get(params.uri);
  if (!doc) return { uri: params.uri, markdown: 'Open a model or serving config to estimate it.', summary: '', anyProblem: false };
  return toEstimateResult(doc.uri, cache.get(doc));
});

documents.listen(connection);
connection.listen();
