/** LSP wiring only: connection, documents, capabilities. Features live in lsp/, computation in the pipeline. */
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  estimateRequest, EstimateParams, fixEditRequest, FixEditParams, optimizeRequest, OptimizeParams, reportRequest, ReportParams, workspaceSummaryChangedNotification, workspaceSummaryRequest,
} from '../../protocol/requests';
import { optimizeForDocument, optimizeTarget } from './lsp/optimizeRequest';
import { optimizeWorkloads } from './lsp/optimizeWorkloads';
import { withOverrides } from './optimizer/overrides';
import { OptimizerThread } from './node/optimizerThread';
import { reportData } from './report/data';
import { gatherMeasured } from './node/measuredResults';
import type { MeasuredInput } from './measured/series';
import { trainingOptimize, trainingReport } from './lsp/trainingOptimize';
import { defaultSettings, DeployAdvisorSettings, hubTokenRequest, InitializationOptions, settingsSection } from '../../protocol/settings';
import { modelSources } from './lsp/modelSource';
import { parseText } from './formats/document';
import { AnalysisCache } from './lsp/analysisCache';
import { RepoConfigStore } from './node/repoConfig';
import { fileURLToPath } from 'node:url';
import { codeActions, fixEdit } from './lsp/codeActions';
import { codeLenses } from './lsp/codeLens';
import { completion } from './lsp/completion';
import { toDiagnostics } from './lsp/diagnostics';
import { toEstimateResult } from './lsp/estimateRequest';
import { hover } from './lsp/hover';
import { inlayHints } from './lsp/inlayHints';
import { relevantChange, WATCHERS, WorkspaceFolderRef, WorkspaceIndex } from './lsp/workspaceIndex';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** Workspace-level settings, and per-document ones (folder and language overrides) once fetched. */
let settings: DeployAdvisorSettings = { ...defaultSettings };
const perDocument = new Map<string, DeployAdvisorSettings>();
const settingsFor = (uri: string) => perDocument.get(uri) ?? settings;
let trusted = true;
let canPullConfiguration = false;
let canRefreshLenses = false;
/** Documents whose first analysis has been published (lenses are refreshed then, until the client asks for them). */
const published = new Set<string>();
/** Documents the client has asked lenses for, and those an inlay-hint request already nudged it about. */
const lensed = new Set<string>();
const hintNudged = new Set<string>();
/**
 * Asks the client for lenses again until it has asked for this document's: a refresh that reaches the editor before
 * its lens provider is registered is lost (the extension activates on opening the file), and under load the editor may
 * not ask again until the first edit (seen in code-server on a busy 2-core machine). Retries stop once it asks.
 */
function refreshLensesUntilAsked(uri: string): void {
  if (!canRefreshLenses) return;
  connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  for (const ms of [1_000, 3_000, 8_000]) {
    setTimeout(() => {
      if (!lensed.has(uri) && documents.get(uri)) connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    }, ms).unref();
  }
}
let cacheDir: string | undefined;
/** Workspace folders on disk: the .deploy-advisor.yaml lookup walks up from a document no higher than these. */
let workspaceRoots: string[] = [];
const repoConfigs = new RepoConfigStore(() => workspaceRoots, (c) => connection.console.warn(`${c.file}: not applied: ${c.problems.join('; ')}`));
const optimizer = new OptimizerThread((m) => connection.console.warn(m));
const cache = new AnalysisCache(settingsFor, () => trusted, modelSources({
  trusted: () => trusted,
  hubEnabled: (uri) => settingsFor(uri).hub.enabled,
  cacheDir: () => cacheDir,
  storedToken: async () => (await connection.sendRequest<string | null>(hubTokenRequest).catch(() => null)) || undefined,
  onUpdate: () => {
    index.clear();
    summaryChangedSoon();
    for (const d of documents.all()) {
      cache.forget(d.uri);
      publish(d);
    }
    connection.languages.inlayHint.refresh().catch(() => undefined);
    if (canRefreshLenses) connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  },
}), repoConfigs);

/** Workspace folders the Deployments view scans (initialize, then workspace/didChangeWorkspaceFolders). */
let folders: WorkspaceFolderRef[] = [];
const index = new WorkspaceIndex({
  folders: () => folders,
  trusted: () => trusted,
  openDocuments: () => documents.all(),
  analyzeOpen: (doc) => cache.get(doc),
  analyzeFile: (uri, text) => cache.analyzeText(uri, text),
  sharedInput: (file) => !!settings.gpusFile && file === settings.gpusFile,
  excluded: (file, isDir) => repoConfigs.ignores(file, isDir),
  log: (m) => connection.console.warn(m),
});
/** Whether the client has asked for the workspace summary (the view is open): only then are changes announced. */
let summaryAsked = false;
let summaryTimer: NodeJS.Timeout | undefined;
/** Tells the client the rows may have changed, once per burst (typing, a checkout writing many files). */
function summaryChangedSoon(): void {
  if (!summaryAsked) return;
  clearTimeout(summaryTimer);
  summaryTimer = setTimeout(() => void connection.sendNotification(workspaceSummaryChangedNotification), 300);
}
const pathOf = (uri: string): string | undefined => {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
};

const merge = (s: Partial<DeployAdvisorSettings> | null | undefined): DeployAdvisorSettings => ({
  ...defaultSettings, ...(s ?? {}),
  workload: { ...defaultSettings.workload, ...(s?.workload ?? {}) },
  slo: { ...defaultSettings.slo, ...(s?.slo ?? {}) },
  rules: { ...(s?.rules ?? {}) },
  hub: { ...defaultSettings.hub, ...(s?.hub ?? {}) },
  optimizer: { gpus: Array.isArray(s?.optimizer?.gpus) ? s!.optimizer!.gpus.filter((g) => typeof g === 'string') : [] },
});

let canWatchFiles = false;
let canWatchFolders = false;

/** The folders on disk among the workspace folders (the .deploy-advisor.yaml lookup stops at them). */
const rootsOf = (fs: WorkspaceFolderRef[]) => fs.filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));

connection.onInitialize((params) => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  const init = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
  trusted = init.trusted !== false;
  cacheDir = typeof init.cacheDir === 'string' ? init.cacheDir : undefined;
  settings = merge(init.settings);
  folders = params.workspaceFolders?.map((f) => ({ uri: f.uri, name: f.name }))
    ?? (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri.split('/').filter(Boolean).pop() ?? params.rootUri }] : []);
  workspaceRoots = rootsOf(folders);
  canWatchFolders = !!params.capabilities.workspace?.workspaceFolders;
  return {
    capabilities: {
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      codeLensProvider: { resolveProvider: false },
      inlayHintProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '-', '='] },
    },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: settingsSection });
  // Side profiles, local config.json folders and the GPUs file are read from disk: watch them, so an analysis never
  // outlives the files it read (the status bar refreshes on the diagnostics republished below).
  // The Deployments view's scan also follows .gitignore files.
  if (canWatchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHERS });
  if (canWatchFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => f.uri));
      folders = [...folders.filter((f) => !removed.has(f.uri)), ...e.added.map((f) => ({ uri: f.uri, name: f.name }))];
      workspaceRoots = rootsOf(folders);
      index.clear();
      summaryChangedSoon();
    });
  }
  void refreshSettings();
});

/**
 * The benchmark results saved on disk beside a file (its folder and below) make the report's "Measured" section. The
 * walk is bounded but not free, and the live report re-asks on every edit: kept per file until a watched file changes.
 * Restricted Mode reads nothing from disk.
 */
const measuredByFile = new Map<string, MeasuredInput>();
function measuredFor(uri: string): MeasuredInput {
  if (!trusted || !uri.startsWith('file:')) return { sources: [] };
  let m = measuredByFile.get(uri);
  if (!m) {
    m = gatherMeasured(fileURLToPath(uri));
    measuredByFile.set(uri, m);
  }
  return m;
}

let filesChanged: NodeJS.Timeout | undefined;
connection.onDidChangeWatchedFiles((p) => {
  const files = p.changes.map((c) => pathOf(c.uri)).filter((f): f is string => !!f && relevantChange(f));
  if (!files.length) return;
  // Before the index re-reads anything: a changed .deploy-advisor.yaml (or calibration file) applies to the very next
  // analysis, a request's included (not only once the burst below has settled).
  if (files.some((f) => repoConfigs.dependsOn(f))) {
    repoConfigs.clear();
    cache.clear();
  }
  index.changed(files);
  measuredByFile.clear();
  summaryChangedSoon();
  // Any open document may read the changed file (the GPUs file included): analyse them all again, once per burst
  // (a checkout or a build writes many files at once).
  clearTimeout(filesChanged);
  filesChanged = setTimeout(() => {
    cache.clear();
    for (const d of documents.all()) publish(d);
    if (canRefreshLenses) connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }, 50);
});

async function fetchSettings(uri?: string): Promise<DeployAdvisorSettings | undefined> {
  if (!canPullConfiguration) return undefined;
  try {
    const raw: unknown = uri ? await connection.workspace.getConfiguration({ scopeUri: uri, section: settingsSection }) : await connection.workspace.getConfiguration(settingsSection);
    return merge(raw as Partial<DeployAdvisorSettings> | null);
  } catch {
    return undefined; // clients without workspace/configuration keep the initialization settings
  }
}

async function refreshSettings(): Promise<void> {
  settings = (await fetchSettings()) ?? settings;
  perDocument.clear();
  for (const d of documents.all()) {
    const s = await fetchSettings(d.uri);
    if (s) perDocument.set(d.uri, s);
  }
  cache.clear();
  index.clear();
  summaryChangedSoon();
  for (const d of documents.all()) publish(d);
  for (const p of cache.gpuProblems()) connection.console.warn(`deployAdvisor.gpusFile: ${p}`);
  connection.languages.inlayHint.refresh().catch(() => undefined);
  if (canRefreshLenses) connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
}

connection.onDidChangeConfiguration((change) => {
  const pushed = (change.settings as Record<string, unknown> | undefined)?.[settingsSection] as Partial<DeployAdvisorSettings> | undefined;
  if (!canPullConfiguration && pushed) settings = merge(pushed);
  void refreshSettings();
});

/** Diagnostics are published on the next tick, so a burst of edits only analyses the last version. */
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
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: toDiagnostics(cache.get(doc), settingsFor(doc.uri)) });
    if (!published.has(doc.uri)) {
      // A client may ask for lenses before it has the document's first analysis; have it ask again now.
      published.add(doc.uri);
      refreshLensesUntilAsked(doc.uri);
    }
  } catch (e) {
    connection.console.error(`deploy-advisor: analysis failed for ${doc.uri}: ${(e as Error).stack ?? String(e)}`);
  }
}

/** Runs a feature on the document's cached analysis; a failure is logged, never thrown at the client. */
function withDoc<T>(uri: string, fallback: T, f: (doc: TextDocument) => T): T {
  const doc = documents.get(uri);
  if (!doc) return fallback;
  try {
    return f(doc);
  } catch (e) {
    connection.console.error(`deploy-advisor: ${(e as Error).stack ?? String(e)}`);
    return fallback;
  }
}

documents.onDidOpen((e) => {
  publish(e.document);
  // Folder- or language-scoped settings may differ from the workspace's: fetch them, re-analyse if they do.
  void fetchSettings(e.document.uri).then((s) => {
    if (!s || JSON.stringify(s) === JSON.stringify(settingsFor(e.document.uri))) return;
    perDocument.set(e.document.uri, s);
    cache.forget(e.document.uri);
    const current = documents.get(e.document.uri);
    if (current) publish(current);
  });
});
documents.onDidChangeContent((e) => {
  schedule(e.document);
  summaryChangedSoon();
});
documents.onDidClose((e) => {
  cache.forget(e.document.uri);
  perDocument.delete(e.document.uri);
  published.delete(e.document.uri);
  lensed.delete(e.document.uri);
  hintNudged.delete(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  // Its rows come from the disk again (the text there may differ from the closed editor's).
  const file = pathOf(e.document.uri);
  if (file) index.changed([file]);
  summaryChangedSoon();
});

connection.onHover((p) => withDoc(p.textDocument.uri, null, (d) => hover(parseText(d.uri, d.getText()), cache.get(d), p.position) ?? null));
connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], (d) => codeActions(d.uri, d.getText(), cache.get(d), p.range, settingsFor(d.uri))));
connection.onCodeLens((p) => {
  lensed.add(p.textDocument.uri);
  return withDoc(p.textDocument.uri, [], (d) => codeLenses(d.uri, cache.get(d)));
});
connection.languages.inlayHint.on((p) => {
  // An editor that asks for hints but never asked for lenses missed them while its providers were registering.
  if (!lensed.has(p.textDocument.uri) && !hintNudged.has(p.textDocument.uri) && canRefreshLenses) {
    hintNudged.add(p.textDocument.uri);
    connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }
  return withDoc(p.textDocument.uri, [], (d) => (settingsFor(d.uri).inlayHints ? inlayHints(cache.get(d), p.range) : []));
});
connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (d) => completion(d.getText(), p.position, cache.get(d), { uri: d.uri, languageId: d.languageId })));

connection.onRequest(estimateRequest, (params: EstimateParams) => {
  const doc = documents.get(params.uri);
  if (!doc) return { uri: params.uri, markdown: 'Open a model or serving config to estimate it.', summary: '', anyProblem: false };
  return toEstimateResult(doc.uri, cache.get(doc));
});

connection.onRequest(reportRequest, async (params: ReportParams) => {
  const doc = documents.get(params.uri);
  if (!doc) return [];
  const analysis = cache.get(doc);
  const deps = cache.deps(doc.uri);
  const training = trainingReport(doc.uri, analysis, deps);
  if (training) return training;
  // The searches run on the worker thread; diagnostics and other requests are served meanwhile.
  const searched = await Promise.all(analysis.workloads.map((w) => (w.estimate ? optimizer.optimize(w.plan, deps, { gpus: settingsFor(doc.uri).optimizer?.gpus }) : undefined)));
  return reportData(analysis, deps, (i) => searched[i], measuredFor(doc.uri));
});

connection.onRequest(fixEditRequest, (params: FixEditParams) => {
  const doc = documents.get(params.uri);
  return doc ? fixEdit(doc.uri, doc.getText(), cache.get(doc), params.finding, params.fix) : null;
});

connection.onRequest(optimizeRequest, async (params: OptimizeParams) => {
  const doc = documents.get(params.uri);
  if (!doc) return { plans: [], notes: ['Open a config first.'] };
  const text = doc.getText();
  const analysis = cache.get(doc);
  const training = trainingOptimize(doc.uri, text, analysis, cache.deps(doc.uri), params.training);
  if (training) return training;
  const workloads = optimizeWorkloads(analysis);
  if (params.listOnly) return { plans: [], notes: [], workloads };
  const target = optimizeTarget(analysis, params.workload);
  const result = target ? await optimizer.optimize(withOverrides(target.plan, params.overrides), cache.deps(doc.uri), { gpus: settingsFor(doc.uri).optimizer?.gpus }) : undefined;
  return { ...optimizeForDocument(doc.uri, text, analysis, result, params.workload), workloads };
});

connection.onRequest(workspaceSummaryRequest, async () => {
  summaryAsked = true;
  return index.summary();
});

documents.listen(connection);
connection.listen();
