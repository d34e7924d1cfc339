/**
 * The Deployments view's index: every serving workload in the workspace folders, one summary row each. Each file is
 * read and analysed once and kept until it changes (mtime and size); a scan yields to the event loop between files, so
 * diagnostics and requests are answered meanwhile, and stops at a file and a byte cap. Open documents are read from
 * the editor (their unsaved text, through the diagnostics' own cached analysis). In an untrusted workspace nothing is
 * read from disk: the open documents only, as for every other side file.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileSystemWatcher, WatchKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceRow, WorkspaceSummaryResult } from '../../../protocol/requests';
import type { WorkloadSummary } from '../../../protocol/workspace';
import { defaultListLimits, Excluded, listCandidateFiles, ListLimits, SKIPPED_DIRS } from '../node/workspaceFiles';
import { CONFIG_FILE_NAMES } from '../policy/repoConfig';
import type { Analysis } from '../pipeline';
import { summarizeAnalysis, totals } from '../workspace/summary';

export interface WorkspaceFolderRef {
  uri: string;
  name: string;
}

export interface IndexLimits extends ListLimits {
  /** Larger files are not read (a generated bundle, a data file): no serving config is this big. */
  maxFileBytes: number;
  /** Bytes read per scan; the rest waits for the next one and the result says so. */
  maxTotalBytes: number;
}

export const defaultIndexLimits: IndexLimits = { ...defaultListLimits, maxFileBytes: 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };

export interface WorkspaceIndexOptions {
  folders(): WorkspaceFolderRef[];
  trusted(): boolean;
  openDocuments(): TextDocument[];
  /** The open document's analysis (the one its diagnostics come from). */
  analyzeOpen(doc: TextDocument): Analysis;
  /** A file on disk, analysed as if it were open. */
  analyzeFile(uri: string, text: string): Analysis;
  /** Files every analysis may read (the deployAdvisor.gpusFile): a change re-analyses everything. */
  sharedInput?(file: string): boolean;
  /** Paths left out besides .gitignore's: the `.deploy-advisor.yaml` `ignore:` list, as `check` applies it. */
  excluded?: Excluded;
  limits?: Partial<IndexLimits>;
  log?(message: string): void;
}

interface Entry {
  mtimeMs: number;
  size: number;
  /** Value of the index's stamp counter when the analysis started (see `valid`). */
  stamp: number;
  rows: WorkloadSummary[];
}

interface Listed {
  folder: WorkspaceFolderRef;
  path: string;
  rel: string;
}

interface Scan {
  files: Listed[];
  truncated?: string;
}

/** Side profiles apply to the configs in their folder (node/sideProfile.ts). */
const SIDE_PROFILE = /(\.deploy\.ya?ml|^deploy-advisor\.ya?ml)$/i;
/** Local model and adapter configs may be named from any file (a relative path): they invalidate every row, as does a
 * `.deploy-advisor.yaml` (severities, defaults and ignored paths of everything below it). */
const MODEL_FILE = /^(config|hf_quant_config|adapter_config)\.json$/i;

/**
 * What the server watches. The file globs alone miss a folder created or deleted with its files in it: the editor's
 * watcher reports a deleted folder as one event (its children's are coalesced away), and files written into a
 * just-created folder before the watcher adds it are never reported (a checkout, `cp -r`, a test writing a file
 * right after mkdir). So folders' creation and deletion are watched too; the rescan that follows lists their files.
 */
export const WATCHERS: FileSystemWatcher[] = [
  { globPattern: '**/*.{yaml,yml,json}' },
  { globPattern: '**/.gitignore' },
  { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
];

/**
 * Whether a watched path can change an analysis or the view's rows: a YAML/JSON file, a .gitignore, or a name with
 * no extension (a folder, most likely; it cannot be stat'ed once deleted). The `**\/*` watcher's other files (sources,
 * build outputs) and whatever happens under .git or node_modules (never listed) are dropped here, so a build or a
 * commit does not rescan the workspace.
 */
export function relevantChange(file: string): boolean {
  if (file.split(/[\\/]/).some((part) => SKIPPED_DIRS.has(part))) return false;
  const base = path.basename(file);
  return CANDIDATE_OR_IGNORE.test(base) || !base.includes('.');
}
const CANDIDATE_OR_IGNORE = /(\.(ya?ml|json)|^\.gitignore)$/i;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly limits: IndexLimits;
  /** Counter bumped on every invalidation; an entry is valid when analysed after its file's, folder's and the global one. */
  private counter = 0;
  private readonly stamps = new Map<string, number>();
  private allStamp = 0;
  private dirty = true;
  private scanning?: Promise<Scan>;
  private last?: Scan;

  constructor(private readonly o: WorkspaceIndexOptions) {
    this.limits = { ...defaultIndexLimits, ...o.limits };
  }

  /** Files changed, were created or deleted (workspace/didChangeWatchedFiles): the next summary lists the folders again. */
  changed(files: string[]): void {
    this.dirty = true;
    for (const f of files) {
      const stamp = ++this.counter;
      const base = path.basename(f);
      if (MODEL_FILE.test(base) || CONFIG_FILE_NAMES.includes(base) || this.o.sharedInput?.(f)) this.allStamp = stamp;
      else if (SIDE_PROFILE.test(base)) this.stamps.set(path.dirname(f), stamp);
      this.stamps.set(f, stamp);
    }
  }

  /** Settings or trust changed, or folders were added or removed: everything is listed and analysed again. */
  clear(): void {
    this.dirty = true;
    this.allStamp = ++this.counter;
  }

  async summary(): Promise<WorkspaceSummaryResult> {
    const trusted = this.o.trusted();
    const scan: Scan = trusted ? await this.current() : { files: [] };
    const open = new Map<string, TextDocument>();
    for (const d of this.o.openDocuments()) open.set(keyOf(d.uri), d);
    const rows: WorkspaceRow[] = [];
    let recognised = 0;
    const listed = new Set<string>();
    for (const f of scan.files) {
      const key = keyOf(pathToFileURL(f.path).href);
      listed.add(key);
      const doc = open.get(key);
      const fileRows = doc ? this.openRows(doc, f.rel) : this.entries.get(f.path)?.rows ?? [];
      if (fileRows.length) recognised++;
      const uri = doc?.uri ?? pathToFileURL(f.path).href;
      for (const r of fileRows) rows.push({ ...r, uri, folder: f.folder.name });
    }
    // Open documents the scan did not list: untitled ones, files outside the folders, and all of them when untrusted.
    for (const [key, doc] of open) {
      if (listed.has(key)) continue;
      const where = this.locate(doc.uri);
      for (const r of this.openRows(doc, where.rel)) rows.push({ ...r, uri: doc.uri, folder: where.folder });
    }
    return { rows, totals: totals(rows), scanned: { files: scan.files.length, recognised }, truncated: scan.truncated, restricted: !trusted };
  }

  private openRows(doc: TextDocument, rel: string): WorkloadSummary[] {
    try {
      return summarizeAnalysis(rel, this.o.analyzeOpen(doc));
    } catch (e) {
      this.o.log?.(`deploy-advisor: workspace summary failed for ${doc.uri}: ${(e as Error).message}`);
      return [];
    }
  }

  /** The folder and relative path of a document the scan did not list. */
  private locate(uri: string): { folder: string; rel: string } {
    const file = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    if (file) {
      for (const f of this.o.folders()) {
        const root = folderPath(f.uri);
        if (root && (file === root || file.startsWith(root + path.sep))) return { folder: f.name, rel: path.relative(root, file).split(path.sep).join('/') };
      }
    }
    return { folder: '', rel: decodeURIComponent(uri.replace(/^[^:]+:/, '').split('/').pop() || uri) };
  }

  /** The latest scan, after running one if anything changed since (concurrent callers share a scan). */
  private async current(): Promise<Scan> {
    while (this.dirty || !this.last) {
      if (!this.scanning) {
        this.dirty = false;
        this.scanning = this.scan().finally(() => (this.scanning = undefined));
      }
      this.last = await this.scanning;
    }
    return this.last;
  }

  private valid(file: string, e: Entry, mtimeMs: number, size: number): boolean {
    return e.mtimeMs === mtimeMs && e.size === size && e.stamp >= this.allStamp && e.stamp >= (this.stamps.get(file) ?? 0) && e.stamp >= (this.stamps.get(path.dirname(file)) ?? 0);
  }

  private async scan(): Promise<Scan> {
    const files: Listed[] = [];
    const reasons: string[] = [];
    const open = new Set(this.o.openDocuments().map((d) => keyOf(d.uri)));
    const seen = new Set<string>();
    let bytes = 0;
    let stopped = false;
    for (const folder of this.o.folders()) {
      const root = folderPath(folder.uri);
      if (!root) continue;
      const listed = await listCandidateFiles(root, { maxFiles: Math.max(0, this.limits.maxFiles - files.length), maxDepth: this.limits.maxDepth }, this.o.excluded);
      if (listed.truncated) reasons.push(`${folder.name}: ${listed.truncated}`);
      for (const f of listed.files) {
        files.push({ folder, path: f.path, rel: f.rel });
        seen.add(f.path);
        const old = this.entries.get(f.path);
        if (stopped || open.has(keyOf(pathToFileURL(f.path).href)) || (old && this.valid(f.path, old, f.mtimeMs, f.size))) continue;
        const stamp = this.counter;
        if (f.size > this.limits.maxFileBytes) {
          this.entries.set(f.path, { mtimeMs: f.mtimeMs, size: f.size, stamp, rows: [] });
          continue;
        }
        if (bytes + f.size > this.limits.maxTotalBytes) {
          stopped = true;
          reasons.push(`read ${Math.round(bytes / 1024 / 1024)} MiB this scan; the rest on the next change`);
          continue;
        }
        bytes += f.size;
        this.entries.set(f.path, { mtimeMs: f.mtimeMs, size: f.size, stamp, rows: await this.read(f.path, f.rel) });
        await yieldToEventLoop();
      }
    }
    for (const p of this.entries.keys()) if (!seen.has(p)) this.entries.delete(p);
    return { files, truncated: reasons.length ? reasons.join('; ') : undefined };
  }

  private async read(file: string, rel: string): Promise<WorkloadSummary[]> {
    try {
      const text = await fs.readFile(file, 'utf8');
      return summarizeAnalysis(rel, this.o.analyzeFile(pathToFileURL(file).href, text));
    } catch (e) {
      this.o.log?.(`deploy-advisor: workspace summary skipped ${file}: ${(e as Error).message}`);
      return [];
    }
  }
}

function folderPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri).replace(/[\\/]+$/, '') || '/' : undefined;
  } catch {
    return undefined;
  }
}

/** One key per file whatever the URI's spelling (editors escape characters differently from Node's pathToFileURL). */
function keyOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return `file:${fileURLToPath(uri)}`;
  } catch {
    return uri;
  }
}
