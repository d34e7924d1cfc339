/** The thin client: starts the bundled server, adds the palette commands, the status bar item, the Deployments view and settings sync. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { randomBytes } from 'node:crypto';
import type { WorkspaceEdit } from 'vscode-languageclient';
import type { ReportPage, TrainingSearchParams } from '../../protocol/trainingReport';
import { estimateRequest, EstimateResult, fixEditRequest, optimizeRequest, OptimizeOverrides, OptimizeResponse, OptimizeWorkload, reportRequest } from '../../protocol/requests';
import { planKey, planLayout } from '../../protocol/optimize';
import { reportHtml } from '../../report-view/page';
import { DeployAdvisorSettings, hubTokenRequest, InitializationOptions, settingsSection } from '../../protocol/settings';
import { DeploymentsView } from './deploymentsView';
import { calibrateArgs, calibrateSummary, runCalibrate } from './calibrateRuns';

let client: LanguageClient | undefined;
const HUB_TOKEN_SECRET = 'deployAdvisor.hubToken';
/** Set while the active editor holds a workload: the editor-title report button and the keybindings show only then. */
const WORKLOAD_IN_EDITOR = 'deployAdvisor.workloadInEditor';
const RESTRICTED = 'the workspace is not trusted, so only open documents are read; local model folders, side profiles, the deployAdvisor.gpusFile setting and the Hub lookup are off until you trust it.';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activation = performance.now();
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
      // Engine startup logs (*.log): predicted beside measured (server/src/formats/logs/).
      { scheme: 'file', language: 'log' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'untitled', language: 'json' },
    ],
    synchronize: { configurationSection: settingsSection },
    // A function, so a restart after the user grants trust sends the new state.
    initializationOptions: (): InitializationOptions => ({
      trusted: vscode.workspace.isTrusted, settings: vscode.workspace.getConfiguration(settingsSection) as unknown as Partial<DeployAdvisorSettings>,
      cacheDir: context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : undefined,
    }),
    outputChannel: output,
  };
  client = new LanguageClient('deployAdvisor', 'Deploy Advisor', serverOptions, clientOptions);
  // The Hub token stays in the editor's secret storage; the server asks for it only to fetch, and only when trusted.
  client.onRequest(hubTokenRequest, async () => (vscode.workspace.isTrusted ? (await context.secrets.get(HUB_TOKEN_SECRET)) ?? null : null));

  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.command = 'deployAdvisor.estimate';
  status.name = 'Deploy Advisor';
  context.subscriptions.push(status, output);

  const report = new ReportPanel(context.extensionUri, () => client);
  context.subscriptions.push(report);

  const estimateFor = async (editor: vscode.TextEditor | undefined): Promise<EstimateResult | undefined> => {
    if (!editor || !client) return undefined;
    return client.sendRequest<EstimateResult>(estimateRequest, { uri: editor.document.uri.toString() });
  };

  const refreshStatus = async () => {
    try {
      const r = await estimateFor(vscode.window.activeTextEditor);
      void vscode.commands.executeCommand('setContext', WORKLOAD_IN_EDITOR, !!r?.summary);
      if (r?.summary) {
        // An error (and a deployment that does not fit or will not start) shows as one; warnings as warnings.
        const icon = r.anyProblem || r.worstSeverity === 'error' ? '$(error)' : r.worstSeverity === 'warning' ? '$(warning)' : '$(server-process)';
        status.text = `${icon} ${r.summary.split(' · ').slice(0, 3).join(' · ')}${vscode.workspace.isTrusted ? '' : ' $(shield)'}`;
        status.tooltip = vscode.workspace.isTrusted ? r.summary : `${r.summary}\n\nRestricted Mode: ${RESTRICTED}`;
        status.show();
      } else {
        status.hide();
      }
    } catch {
      status.hide();
      void vscode.commands.executeCommand('setContext', WORKLOAD_IN_EDITOR, false);
    }
  };
  // The active estimate also reads files beside it (a side profile, a model folder's config.json, the GPUs file), which
  // change on disk or in other editors without an event on the active document: refresh on saves, on file changes, on
  // edits of other documents and whenever the server republishes the active document's diagnostics (it re-analyses
  // open documents when a watched file changes). Debounced: one request per burst.
  let statusTimer: NodeJS.Timeout | undefined;
  const refreshStatusSoon = () => {
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => void refreshStatus(), 150);
  };
  const statusWatcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json}');
  context.subscriptions.push(
    statusWatcher,
    statusWatcher.onDidChange(refreshStatusSoon), statusWatcher.onDidCreate(refreshStatusSoon), statusWatcher.onDidDelete(refreshStatusSoon),
    vscode.workspace.onDidSaveTextDocument(refreshStatusSoon),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== vscode.window.activeTextEditor?.document && (e.document.languageId === 'yaml' || e.document.languageId === 'json')) refreshStatusSoon();
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) refreshStatusSoon();
    }),
    { dispose: () => clearTimeout(statusTimer) },
  );

  context.subscriptions.push(
    // From the palette, the editor title or the editor's context menu: the active document; from the explorer's
    // context menu: the file clicked (a Uri); from a Deployments row: its file.
    vscode.commands.registerCommand('deployAdvisor.estimate', async (target?: vscode.Uri | { uri?: string }) => {
      const uri = target instanceof vscode.Uri ? target : typeof target?.uri === 'string' ? vscode.Uri.parse(target.uri) : undefined;
      const document = uri ? await vscode.workspace.openTextDocument(uri).then((d) => d, () => undefined) : configEditor()?.document;
      if (!document || !(await report.show(document))) {
        void vscode.window.showInformationMessage('Deploy Advisor: open a model config.json or a serving config to estimate it.');
      }
    }),
    vscode.commands.registerCommand('deployAdvisor.optimize', async () => {
      const editor = configEditor();
      if (editor && client) await findCheapestPlan(client, context.workspaceState, editor.document.uri.toString());
    }),
    // From the palette (asks for the folders) or a folder's context menu in the Explorer.
    vscode.commands.registerCommand('deployAdvisor.calibrate', async (target?: vscode.Uri) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('Deploy Advisor: calibrating reads your run files and writes .deploy-advisor.yaml; trust the workspace first.');
        return;
      }
      const picked = target instanceof vscode.Uri ? [target] : await vscode.window.showOpenDialog({
        canSelectFiles: true, canSelectFolders: true, canSelectMany: true, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        openLabel: 'Calibrate on These Runs', title: 'Deploy Advisor: benchmark results to calibrate on (each beside its deployment config or log)',
      });
      if (!picked?.length) return;
      const paths = picked.map((u) => u.fsPath);
      const cwd = vscode.workspace.getWorkspaceFolder(picked[0])?.uri.fsPath ?? path.dirname(paths[0]);
      const gpu = vscode.workspace.getConfiguration(settingsSection).get<string>('gpu') || undefined;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Deploy Advisor: calibrating on your runs', cancellable: true }, async (_progress, token) => {
        try {
          const out = await runCalibrate(context.asAbsolutePath(path.join('dist', 'cli.js')), calibrateArgs(paths, gpu), cwd, { onCancel: (f) => token.onCancellationRequested(f) });
          for (const s of out.skipped) output.info(`calibrate: not used ${s.file}: ${s.why}`);
          const summary = calibrateSummary(out);
          output.info(`calibrate: ${summary}${out.written ? ` Written to ${out.config}.` : ''}`);
          const open = 'Open Config';
          const choice = out.groups.length
            ? await vscode.window.showInformationMessage(`Deploy Advisor: ${summary}`, ...(out.written ? [open] : []))
            : await vscode.window.showWarningMessage(`Deploy Advisor: ${summary}`);
          if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(out.config));
        } catch (e) {
          if ((e as Error).message !== 'cancelled') void vscode.window.showErrorMessage(`Deploy Advisor: calibration failed: ${(e as Error).message}`);
        }
      });
    }),
    vscode.commands.registerCommand('deployAdvisor.openSample', async () => {
      // An untitled copy: the walkthrough's fix edits it, never the installed extension's file.
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'media', 'sample', 'llama-8b-l4-32k.yaml'));
      const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: new TextDecoder().decode(bytes) });
      // From the walkthrough (no text editor active): beside it, so its next steps stay in view.
      await vscode.window.showTextDocument(document, vscode.window.activeTextEditor ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside);
    }),
    vscode.commands.registerCommand('deployAdvisor.gettingStarted', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#deployAdvisor.gettingStarted`, false)),
    vscode.commands.registerCommand('deployAdvisor.setHubToken', async () => {
      const token = await vscode.window.showInputBox({
        title: 'Deploy Advisor: Hugging Face token', password: true, ignoreFocusOut: true,
        prompt: 'Read access to gated models\' config.json. Kept in the editor\'s secret storage and sent only to the Hub. Leave empty to remove it.',
      });
      if (token === undefined) return;
      if (token) await context.secrets.store(HUB_TOKEN_SECRET, token.trim());
      else await context.secrets.delete(HUB_TOKEN_SECRET);
      void vscode.window.showInformationMessage(`Deploy Advisor: Hugging Face token ${token ? 'saved' : 'removed'}.`);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      output.info('Workspace trusted: reading local model folders, side profiles and the GPUs file (and the Hub, if enabled).');
      await client?.restart();
      void refreshStatus();
      void vscode.commands.executeCommand('deployAdvisor.refreshDeployments');
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void refreshStatus()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) void refreshStatus();
      report.changed(e.document);
    }),
  );

  await client.start();
  // After the start: the view's first request needs a running server.
  const deployments = new DeploymentsView(client);
  context.subscriptions.push(deployments, vscode.commands.registerCommand('deployAdvisor.refreshDeployments', () => deployments.refresh()));
  // `npm run bench` reads this line from the editor's log to report activation time.
  const ms = (performance.now() - activation).toFixed(0);
  output.info(vscode.workspace.isTrusted ? `Deploy Advisor started in ${ms} ms.` : `Deploy Advisor started in ${ms} ms, in Restricted Mode: ${RESTRICTED}`);
  void refreshStatus();
}

/** The editor a command acts on: the active one, else (a walkthrough or the report has the focus) a visible config. */
function configEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => ['yaml', 'json', 'jsonc', 'dockercompose'].includes(e.document.languageId));
}

/**
 * *Find Cheapest Plan*: pick the workload (a file can serve several models), make sure the search knows the load —
 * the file's, or one asked here and remembered per file and workload — then offer the plans, the file's own GPU first.
 */
async function findCheapestPlan(c: LanguageClient, memory: vscode.Memento, uri: string): Promise<void> {
  const listed = await c.sendRequest<OptimizeResponse>(optimizeRequest, { uri, listOnly: true });
  const workloads = listed.workloads ?? [];
  if (listed.training) {
    await pickTrainingSetup(c, memory, uri, listed);
    return;
  }
  if (!workloads.length) {
    void vscode.window.showInformationMessage(listed.notes[0] ? `Deploy Advisor: ${listed.notes[0]}` : 'Deploy Advisor: open a model config.json or a serving config to search for plans.');
    return;
  }
  const target = workloads.length === 1 ? workloads[0] : (await vscode.window.showQuickPick(
    workloads.map((w) => ({ label: w.model, description: w.name, detail: `on ${w.gpu} · ${w.statesWorkload ? w.workloadText : 'no workload in the file'}`, w })),
    { title: 'Deploy Advisor: which model to find the cheapest plan for?' },
  ))?.w;
  if (!target) return;
  const key = `deployAdvisor.optimize.workload:${uri}#${target.index}`;
  let overrides = memory.get<OptimizeOverrides>(key);
  if (!overrides && !target.statesWorkload) {
    overrides = await askWorkload(target);
    if (!overrides) return;
    await memory.update(key, overrides);
  }
  for (;;) {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deploy Advisor: searching for the cheapest plan for ${target.model}…` },
      () => c.sendRequest<OptimizeResponse>(optimizeRequest, { uri, workload: target.index, overrides }));
    const pick = await pickPlan(r, target, workloads.length > 1);
    if (pick === 'change') {
      const asked = await askWorkload(target, overrides);
      if (!asked) return;
      overrides = asked;
      await memory.update(key, overrides);
      continue;
    }
    if (pick) await applyPlan(c, pick);
    return;
  }
}

/**
 * *Find Cheapest Plan* on a fine-tuning config: the server's cheapest setups as a quick pick, with a target (tokens/s,
 * or a token budget within hours) and the methods allowed asked here and remembered per file. Picking a setup rewrites
 * the file to it with the framework's own keys (the server's edit), or says why it cannot.
 */
async function pickTrainingSetup(c: LanguageClient, memory: vscode.Memento, uri: string, first: OptimizeResponse): Promise<void> {
  const key = `deployAdvisor.optimize.training:${uri}`;
  let params = memory.get<TrainingSearchParams>(key);
  let r = params ? await c.sendRequest<OptimizeResponse>(optimizeRequest, { uri, training: params }) : first;
  for (;;) {
    const t = r.training;
    if (!t) {
      void vscode.window.showInformationMessage(`Deploy Advisor: ${r.notes[0] ?? 'no estimate for this training config'}`);
      return;
    }
    type Item = vscode.QuickPickItem & { plan?: NonNullable<OptimizeResponse['training']>['plans'][number]; action?: 'target' | 'methods' };
    const items: Item[] = t.plans.map((p) => ({
      label: `${p.totalCost !== undefined ? `$${p.totalCost.toFixed(2)} for the job (${p.hours!.toFixed(1)} h)` : `$${p.costPerMillionTokens.toFixed(3)} / M tokens`} — ${p.gpus} × ${p.gpu}`,
      description: `${p.isFile ? "$(check) the file's setup · " : ''}${p.setup}`,
      detail: `peak ${p.peakGiB.toFixed(1)} of ${p.capacityGiB.toFixed(0)} GiB · ${p.tokensPerSecond.toLocaleString('en-US')} tokens/s · $${p.costPerHour.toFixed(2)}/h${p.changes.length ? ` · ${p.changes.join('; ')}` : ''}`,
      plan: p,
    }));
    if (!items.length) items.push({ label: 'No setup meets the target', detail: t.notes[0] ?? '' });
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(edit) Set a target…', description: 'tokens/s, or a token budget within hours', action: 'target' },
      { label: '$(settings) Methods allowed…', description: params?.methods?.join(', ') ?? "the file's", action: 'methods' });
    const pick = await vscode.window.showQuickPick(items, { title: `Deploy Advisor · ${t.model}: ${t.searchedFor}`, matchOnDescription: true, matchOnDetail: true });
    if (!pick) return;
    if (pick.plan) {
      const p = pick.plan;
      if (p.isFile) void vscode.window.showInformationMessage(`Deploy Advisor: the file's own setup is the cheapest (${p.setup} on ${p.gpus} × ${p.gpu}).`);
      else if (!p.edit) void vscode.window.showWarningMessage(`Deploy Advisor: ${p.gpus} × ${p.gpu}, ${p.setup} — ${p.noEdit ?? 'this file cannot be rewritten to it'}. Change: ${p.changes.join('; ')}.`);
      else {
        await vscode.workspace.applyEdit(await c.protocol2CodeConverter.asWorkspaceEdit(p.edit));
        void vscode.window.showInformationMessage(`Deploy Advisor: setup applied — ${p.setup}${p.editNotes?.length ? `; ${p.editNotes.join('; ')}` : ''}.`);
      }
      return;
    }
    const next = pick.action === 'target' ? await askTrainingTarget(params) : pick.action === 'methods' ? await askMethods(params) : undefined;
    if (!next) return;
    params = next;
    await memory.update(key, params);
    r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deploy Advisor: searching for the cheapest setup for ${t.model}…` },
      () => c.sendRequest<OptimizeResponse>(optimizeRequest, { uri, training: params }));
  }
}

/** "20000/s" → tokens/s; "2B in 24h", "500M" → a token budget (within hours); empty → cheapest per token. */
async function askTrainingTarget(previous?: TrainingSearchParams): Promise<TrainingSearchParams | undefined> {
  const parse = (v: string): Pick<TrainingSearchParams, 'tokensPerSecond' | 'tokens' | 'maxHours'> | undefined => {
    if (!v.trim()) return {};
    const num = (x: string, unit = '') => Number(x) * ({ k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[unit.toLowerCase() as 'k'] ?? 1);
    const rate = /^\s*(\d+(?:\.\d+)?)\s*([kmb])?\s*(?:\/\s*s|tok\/s|tokens\/s)\s*$/i.exec(v);
    if (rate) return { tokensPerSecond: num(rate[1], rate[2]) };
    const budget = /^\s*(\d+(?:\.\d+)?)\s*([kmbt])?\s*(?:tokens)?\s*(?:(?:in|within)\s*(\d+(?:\.\d+)?)\s*h(?:ours?)?)?\s*$/i.exec(v);
    return budget ? { tokens: num(budget[1], budget[2]), ...(budget[3] ? { maxHours: Number(budget[3]) } : {}) } : undefined;
  };
  const was = previous?.tokensPerSecond !== undefined ? `${previous.tokensPerSecond}/s` : previous?.tokens !== undefined ? `${previous.tokens}${previous.maxHours !== undefined ? ` in ${previous.maxHours}h` : ''}` : '';
  const v = await vscode.window.showInputBox({
    title: 'Deploy Advisor: training target', ignoreFocusOut: true, value: was,
    prompt: 'Tokens per second (e.g. 20k/s), or a token budget within hours (e.g. 2B in 24h). Empty: cheapest per token.',
    validateInput: (x) => (parse(x) ? undefined : 'e.g. 20k/s, 2B, or 2B in 24h'),
  });
  return v === undefined ? undefined : { methods: previous?.methods, ...parse(v)! };
}

async function askMethods(previous?: TrainingSearchParams): Promise<TrainingSearchParams | undefined> {
  const all = ['full', 'lora', 'qlora'] as const;
  const picked = await vscode.window.showQuickPick(all.map((m) => ({ label: m, picked: previous?.methods?.includes(m) ?? false })), { canPickMany: true, title: "Deploy Advisor: methods the search may use (none: the file's)" });
  if (!picked) return undefined;
  return { ...previous, methods: picked.length ? picked.map((p) => p.label as (typeof all)[number]) : undefined };
}

/** The plans as a quick pick, those on the file's GPU first under their own separator; 'change' asks for another workload. */
async function pickPlan(r: OptimizeResponse, target: OptimizeWorkload, named: boolean): Promise<OptimizeResponse['plans'][number] | 'change' | undefined> {
  type Item = vscode.QuickPickItem & { x?: OptimizeResponse['plans'][number]; change?: true };
  const meeting = r.plans.filter((p) => p.plan.meetsSlo);
  const items: Item[] = [];
  const row = (x: OptimizeResponse['plans'][number]): Item => {
    const p = x.plan;
    return {
      label: `$${p.costPerMillionOutputTokens.toFixed(3)} / M output tokens — ${p.gpusPerReplica} × ${p.gpu}${p.replicas > 1 ? ` × ${p.replicas} replicas for the workload` : ''}`,
      description: `${p.onFileGpu ? '$(check) file\'s GPU · ' : ''}${planLayout(p)} · ${p.weightDtype} weights · ${p.kvCacheDtype} KV · max-num-seqs ${p.maxNumSeqs}`,
      detail: `TTFT ${p.ttftMs.toFixed(0)} ms · TPOT ${p.tpotMs.toFixed(1)} ms · ${p.outputTokensPerSec.toFixed(0)} tok/s · $${p.costPerHour.toFixed(2)}/h${x.hardware ? ` · ${x.hardware}` : ''}`,
      x,
    };
  };
  const own = meeting.filter((x) => x.plan.onFileGpu);
  const other = meeting.filter((x) => !x.plan.onFileGpu);
  if (own.length) items.push({ label: `on this file's ${own[0].plan.gpu}`, kind: vscode.QuickPickItemKind.Separator }, ...own.map(row));
  if (other.length) items.push({ label: own.length ? 'other GPUs' : 'plans', kind: vscode.QuickPickItemKind.Separator }, ...other.map(row));
  if (!meeting.length) {
    const why = r.notes.find((n) => /No candidate/.test(n)) ?? r.notes[0] ?? '';
    items.push({ label: 'No plan meets the SLO', detail: why });
  }
  // Last, so Enter on the opened picker takes the first plan.
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(edit) Change the workload or SLO…', description: r.searched ?? '', change: true });
  const subject = named ? `${target.model} (${target.name})` : target.model;
  const pick = await vscode.window.showQuickPick(items, {
    title: `Deploy Advisor · ${subject}: ${r.searched ?? 'cheapest plans'} (Enter rewrites this file)`,
    matchOnDescription: true, matchOnDetail: true,
  });
  return pick?.change ? 'change' : pick?.x;
}

/** Asks for the load (requests in flight or a rate), the request shape and an optional latency target. */
async function askWorkload(target: OptimizeWorkload, previous?: OptimizeOverrides): Promise<OptimizeOverrides | undefined> {
  const title = `Deploy Advisor: workload for ${target.model}`;
  const load = await vscode.window.showInputBox({
    title, ignoreFocusOut: true, prompt: 'The file does not say how loaded it is: requests in flight (e.g. 32) or a request rate (e.g. 4/s).',
    value: previous?.requestRate !== undefined ? `${previous.requestRate}/s` : String(previous?.concurrency ?? 32),
    validateInput: (v) => (parseLoad(v) ? undefined : 'a positive number of requests in flight, or a rate like 4/s'),
  });
  if (load === undefined) return undefined;
  const shape = await vscode.window.showInputBox({
    title, ignoreFocusOut: true, prompt: 'Prompt / output tokens per request (e.g. 2048/300, or 2k/300).',
    value: `${previous?.inputLen ?? 2048}/${previous?.outputLen ?? 300}`,
    validateInput: (v) => (parsePair(v, true) ? undefined : 'two positive numbers: prompt/output tokens'),
  });
  if (shape === undefined) return undefined;
  const slo = await vscode.window.showInputBox({
    title, ignoreFocusOut: true, prompt: 'Optional latency targets in ms: TTFT/TPOT (e.g. 500/50, 500/ or /50). Empty: cheapest that fits.',
    value: previous?.ttftMs !== undefined || previous?.tpotMs !== undefined ? `${previous?.ttftMs ?? ''}/${previous?.tpotMs ?? ''}` : '',
    validateInput: (v) => (!v.trim() || parsePair(v, false) ? undefined : 'TTFT/TPOT in ms, either may be empty (500/50, 500/, /50)'),
  });
  if (slo === undefined) return undefined;
  const [inputLen, outputLen] = parsePair(shape, true)!;
  const [ttftMs, tpotMs] = slo.trim() ? parsePair(slo, false)! : [undefined, undefined];
  return { ...parseLoad(load)!, inputLen, outputLen, ...(ttftMs ? { ttftMs } : {}), ...(tpotMs ? { tpotMs } : {}) };
}

/** "32" → 32 in flight; "4/s", "4 rps", "4 req/s" → 4 requests/s. */
function parseLoad(v: string): Pick<OptimizeOverrides, 'concurrency' | 'requestRate'> | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(\/\s*s|rps|req\/s|requests\/s)?\s*$/i.exec(v);
  if (!m || !(Number(m[1]) > 0)) return undefined;
  return m[2] ? { requestRate: Number(m[1]) } : { concurrency: Math.max(1, Math.round(Number(m[1]))) };
}

/** "2048/300", "2k/300" → [2048, 300]; with `both` false either side may be empty. */
function parsePair(v: string, both: boolean): [number | undefined, number | undefined] | undefined {
  const parts = v.split('/');
  if (parts.length !== 2) return undefined;
  const num = (t: string): number | undefined | null => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(k)?\s*$/i.exec(t);
    if (!m) return t.trim() || both ? null : undefined;
    const n = Number(m[1]) * (m[2] ? 1024 : 1);
    return n > 0 ? Math.round(n) : null;
  };
  const a = num(parts[0]);
  const b = num(parts[1]);
  if (a === null || b === null || (a === undefined && b === undefined)) return undefined;
  return [a, b];
}

/** Rewrites the file's knobs to an optimizer plan, and says what the edit cannot change (GPU type or count). */
async function applyPlan(c: LanguageClient, x: OptimizeResponse['plans'][number]): Promise<void> {
  if (!x.edit) {
    void vscode.window.showWarningMessage(`Deploy Advisor: cannot rewrite this file to that plan (${x.noEdit ?? 'this file has no place for one of its knobs'}); set its knobs by hand.`);
    return;
  }
  await vscode.workspace.applyEdit(await c.protocol2CodeConverter.asWorkspaceEdit(x.edit));
  const p = x.plan;
  void vscode.window.showInformationMessage(`Deploy Advisor: plan applied — ${planLayout(p)} on ${p.replicas > 1 ? `${p.replicas} × ` : ''}${p.gpusPerReplica} × ${p.gpu}${x.hardware ? `; it ${x.hardware}` : ''}.`);
}

/**
 * The *Estimate Deployment* webview: the same page as `deploy-advisor report --html`, its script loaded from dist/
 * under a nonce CSP. It follows its document live (debounced re-requests posted as updates, so the page keeps its
 * scroll) and turns *Apply* into the quick fix's own edit, or a cheapest plan's knob edit, fetched from the server.
 */
class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly client: () => LanguageClient | undefined) {}

  /** Opens or refreshes the panel on this document; false when the document has nothing to estimate. */
  async show(document: vscode.TextDocument): Promise<boolean> {
    const previous = this.document;
    this.document = document;
    const data = await this.load();
    if (!data.length) {
      this.document = previous;
      return false;
    }
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('deployAdvisor.report', 'Deploy Advisor', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: { type?: string; finding?: number; fix?: number; workload?: number; key?: string }) => {
        if (m.type === 'apply' && typeof m.finding === 'number' && typeof m.fix === 'number') void this.apply(m.finding, m.fix);
        if (m.type === 'applyPlan' && typeof m.workload === 'number' && typeof m.key === 'string') void this.applyPlan(m.workload, m.key);
      });
    }
    const webview = this.panel.webview;
    const title = `Deploy Advisor: ${path.basename(document.uri.path)}`;
    this.panel.title = title;
    webview.html = reportHtml(data, {
      nonce: randomBytes(18).toString('base64'), title,
      script: { uri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'report-view.js')).toString(), cspSource: webview.cspSource },
    });
    this.panel.reveal(undefined, true);
    return true;
  }

  changed(document: vscode.TextDocument): void {
    if (!this.panel || document !== this.document) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load().then((data) => this.panel?.webview.postMessage({ type: 'update', data })), 300);
  }

  private async load(): Promise<ReportPage[]> {
    const c = this.client();
    return c && this.document ? c.sendRequest<ReportPage[]>(reportRequest, { uri: this.document.uri.toString() }) : [];
  }

  private async apply(finding: number, fix: number): Promise<void> {
    const c = this.client();
    if (!c || !this.document) return;
    const edit = await c.sendRequest<WorkspaceEdit | null>(fixEditRequest, { uri: this.document.uri.toString(), finding, fix });
    if (!edit) {
      void vscode.window.showWarningMessage('Deploy Advisor: that fix no longer applies to the file as it is now.');
      return;
    }
    await vscode.workspace.applyEdit(await c.protocol2CodeConverter.asWorkspaceEdit(edit));
  }

  private async applyPlan(workload: number, key: string): Promise<void> {
    const c = this.client();
    if (!c || !this.document) return;
    const r = await c.sendRequest<OptimizeResponse>(optimizeRequest, { uri: this.document.uri.toString(), workload });
    const x = r.plans.find((p) => planKey(p.plan) === key);
    if (x) await applyPlan(c, x);
    else void vscode.window.showWarningMessage('Deploy Advisor: that plan is no longer among the cheapest for the file as it is now.');
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
