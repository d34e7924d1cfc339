/** A minimal LSP client over stdio against dist/server.js, for protocol tests and benchmarks. */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { dist } from './paths';

export interface Diagnostic { range: { start: { line: number; character: number }; end: { line: number; character: number } }; message: string; code: string; severity: number }
export interface TextEdit { range: Diagnostic['range']; newText: string }

export class LspClient {
  readonly conn: MessageConnection;
  private readonly server: ChildProcess;
  private readonly published = new Map<string, Array<{ version?: number; diagnostics: Diagnostic[] }>>();
  private waiters: Array<() => void> = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();
  configuration: Record<string, unknown> = {};
  /** Answers for other configuration sections (yaml-language-server asks for `yaml`, `http`, `editor`…). */
  sections: Record<string, unknown> = {};
  /** Everything the server logged (stderr and window/logMessage), when constructed with `capture`. */
  log = '';

  /** Publications per document, for waiting on the next one (servers that do not version their diagnostics). */
  private counts = new Map<string, number>();
  /** `workspace/codeLens/refresh` requests received (sent only to a client that declares refreshSupport). */
  lensRefreshes = 0;
  /** `client/registerCapability` registrations received, in order. */
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];

  /** @param o.args another stdio language server to drive (the benchmark compares yaml-language-server). */
  constructor(o: { env?: NodeJS.ProcessEnv; capture?: boolean; args?: string[] } = {}) {
    this.server = spawn(process.execPath, o.args ?? [dist('server.js'), '--stdio'], { stdio: ['pipe', 'pipe', o.capture ? 'pipe' : 'inherit'], env: o.env ?? process.env });
    this.server.stderr?.on('data', (b: Buffer) => void (this.log += b.toString()));
    this.conn = createMessageConnection(new StreamMessageReader(this.server.stdout!), new StreamMessageWriter(this.server.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      this.published.set(p.uri, [...(this.published.get(p.uri) ?? []).slice(-8), { version: p.version, diagnostics: p.diagnostics }]);
      this.counts.set(p.uri, (this.counts.get(p.uri) ?? 0) + 1);
      this.waiters.splice(0).forEach((w) => w());
    });
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map((i) => (i.section && this.sections[i.section]) ?? this.configuration));
    this.conn.onRequest('client/registerCapability', (p: { registrations: Array<{ method: string; registerOptions?: unknown }> }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.conn.onRequest('workspace/inlayHint/refresh', () => null);
    this.conn.onRequest('workspace/codeLens/refresh', () => void this.lensRefreshes++);
    this.conn.onNotification('window/logMessage', (p: { message: string }) => void (this.log += `${p.message}\n`));
    this.conn.listen();
  }

  async initialize(initializationOptions?: Record<string, unknown>, workspace: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const r = (await this.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true, ...workspace } }, initializationOptions })) as { capabilities: Record<string, unknown> };
    await this.conn.sendNotification('initialized', {});
    return r.capabilities;
  }

  /** Diagnostics for `uri` once `pred` holds for the latest publication (for the latest version when versions are sent). */
  async diagnostics(uri: string, pred: (d: Diagnostic[]) => boolean = () => true, ms = 15_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const last = this.published.get(uri)?.at(-1);
      const current = this.versions.get(uri);
      if (last && (last.version === undefined || last.version === current) && pred(last.diagnostics)) return last.diagnostics;
      if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(last)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  /** Resolves with the next diagnostics published for `uri` after this call. */
  async nextDiagnostics(uri: string, ms = 15_000): Promise<Diagnostic[]> {
    const seen = this.counts.get(uri) ?? 0;
    const deadline = Date.now() + ms;
    while ((this.counts.get(uri) ?? 0) === seen) {
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} within ${ms} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return this.published.get(uri)!.at(-1)!.diagnostics;
  }

  open(file: string, languageId = 'yaml', text = fs.readFileSync(file, 'utf8')): string {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  async change(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** An incremental change (one range replaced), as editors send while typing. */
  async edit(uri: string, range: TextEdit['range'], newText: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, applyEdits(this.text(uri), [{ range, newText }]));
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: newText }] });
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return this.server.exitCode === null && this.server.signalCode === null;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  async close(): Promise<number | null> {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    const code = await new Promise<number | null>((r) => this.server.once('exit', (c) => r(c)));
    this.conn.dispose();
    return code;
  }
}

/** Applies LSP text edits to a text (edits do not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  }
  return text;
}
