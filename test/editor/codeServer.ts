/**
 * Drives a real VS Code (code-server 4.100.3 = VS Code 1.100.3) in Debian's Chromium via playwright-core, offline.
 * Follows ../shared/e2e/RECIPE.md: fresh user-data/extensions/workspace dirs, the packaged .vsix installed with
 * --install-extension, the gallery pointed at a dead port, and every non-loopback browser request aborted.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { root } from '../support/paths';

export const editorCache = process.env.DEPLOY_ADVISOR_CACHE ? path.join(process.env.DEPLOY_ADVISOR_CACHE, 'editor') : path.join(os.homedir(), '.cache', 'deploy-advisor', 'editor');
export const codeServerEntry = path.join(editorCache, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs the idempotent setup script (instant when the editor is already cached). */
export function ensureEditor(): void {
  if (!fs.existsSync(codeServerEntry)) execFileSync('bash', [path.join(root, 'scripts', 'setup-editor.sh')], { stdio: 'inherit' });
  if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: run scripts/setup.sh (installs Debian's chromium)`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface CodeServer {
  url: string;
  port: number;
  workspace: string;
  /** The editor's logs (extension output channels write here), removed on stop. */
  logsDir: string;
  stop(): void;
}

/** Installs the .vsix into fresh folders and starts code-server on a free loopback port. */
/** @param opts.workspaceTrust keep VS Code's Workspace Trust on (tests otherwise disable it, as CI editors do). */
export async function startCodeServer(opts: { vsix?: string; workspace: string; settings?: Record<string, unknown>; port?: number; env?: Record<string, string>; workspaceTrust?: boolean }): Promise<CodeServer> {
  ensureEditor();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-advisor-editor-'));
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  const config = path.join(tmp, 'config.yaml');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.writeFileSync(config, 'auth: none\n');
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false, 'telemetry.telemetryLevel': 'off', 'workbench.tips.enabled': false, 'update.mode': 'none',
    'workbench.enableExperiments': false, ...opts.settings,
  }, null, 2));

  const env = { ...process.env, ...opts.env, EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/items' }) };
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
  if (opts.vsix) execFileSync(process.execPath, [codeServerEntry, ...common, '--install-extension', opts.vsix], { env, stdio: 'pipe' });

  const port = opts.port ?? (await freePort());
  const server: ChildProcess = spawn(process.execPath, [codeServerEntry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), opts.workspace], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout?.on('data', (d) => (log += d));
  server.stderr?.on('data', (d) => (log += d));
  const deadline = Date.now() + 30_000;
  while (!log.includes('HTTP server listening')) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`code-server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`,
    port,
    workspace: opts.workspace,
    logsDir: path.join(userData, 'logs'),
    stop: () => {
      try {
        process.kill(-server.pid!, 'SIGTERM');
      } catch {
        server.kill('SIGTERM');
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export interface EditorSession {
  page: Page;
  logsDir: string;
  /** The workspace folder on disk (what the editor saves lands here). */
  workspace: string;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** code-server with a workspace of `files`, plus a headless Chromium page on it. */
export async function startEditor(opts: { vsix: string; files: Record<string, string>; shotsDir: string; settings?: Record<string, unknown>; workspaceTrust?: boolean }): Promise<EditorSession> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-advisor-ws-'));
  for (const [name, content] of Object.entries(opts.files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), content);
  }
  fs.mkdirSync(opts.shotsDir, { recursive: true });
  const cs = await startCodeServer({ vsix: opts.vsix, workspace, settings: opts.settings, workspaceTrust: opts.workspaceTrust });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  const page = await context.newPage();
  await page.goto(cs.url);
  await page.waitForSelector('.explorer-folders-view', { timeout: 60_000 });
  return {
    page,
    logsDir: cs.logsDir,
    workspace,
    screenshot: async (name) => void (await page.screenshot({ path: path.join(opts.shotsDir, `${name}.png`) })),
    close: async () => {
      await browser.close().catch(() => undefined);
      cs.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/** Opens a workspace file through Quick Open, as a user would. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(name);
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`, { timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab[aria-label*="${name}"]`, { timeout: 15_000 });
}

/** Text of the palette's entries after typing `query` (the palette stays open). */
export async function paletteEntries(page: Page, query: string): Promise<string[]> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(query);
  await page.waitForTimeout(500);
  return page.$$eval('.quick-input-list .monaco-list-row', (rows) => rows.map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ')));
}

/** The editor renders spaces as no-break spaces; compare text with plain ones. */
export const nbsp = (s: string | null) => (s ?? '').replace(/\u00a0/g, ' ');
