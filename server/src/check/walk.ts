/**
 * The files `check` reads under its paths: folders walked depth-first in name order (stable output), skipping what
 * `.gitignore` files (at every level, and above the start up to the repository root) and the config's `ignore:` list
 * exclude, and always `.git` and `node_modules`. Only YAML and JSON(C) names are candidates; symbolic links are not
 * followed (no cycles, no escaping the tree). A path named explicitly is read even if ignored (the user asked for it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import type { RepoConfigStore } from '../node/repoConfig';
import { CONFIG_FILE_NAMES } from '../policy/repoConfig';

const CANDIDATE = /\.(ya?ml|jsonc?)$/i;
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);
/** Lock files and other generated JSON that are never serving configs and can be large. */
const NEVER_CONFIGS = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'composer.lock', 'pnpm-lock.yaml', 'yarn.lock']);

export function isCandidate(name: string): boolean {
  return CANDIDATE.test(name) && !NEVER_CONFIGS.has(name) && !CONFIG_FILE_NAMES.includes(name);
}

export class Walker {
  private readonly gitignores = new Map<string, Ignore | null>();
  private readonly configIgnores = new Map<string, Ignore>();

  constructor(private readonly configs: RepoConfigStore) {}

  /** Every candidate file under the paths, each once, in a stable order. */
  files(paths: string[]): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    const add = (f: string) => {
      if (!seen.has(f)) {
        seen.add(f);
        out.push(f);
      }
    };
    for (const p of paths) {
      const abs = path.resolve(p);
      const st = fs.statSync(abs);
      if (st.isFile()) add(abs);
      else if (st.isDirectory()) this.walk(abs, this.ancestorsLayers(abs), add);
    }
    return out;
  }

  /** The .gitignore folders that apply from above `dir` (up to the folder holding `.git`). */
  private ancestorsLayers(dir: string): string[] {
    const chain: string[] = [];
    let d = dir;
    for (;;) {
      const parent = path.dirname(d);
      if (fs.existsSync(path.join(d, '.git')) || parent === d) break;
      chain.unshift(parent);
      d = parent;
    }
    // Above a folder that is not inside a repository, no .gitignore applies.
    return fs.existsSync(path.join(chain[0] ?? dir, '.git')) ? chain : [];
  }

  private walk(dir: string, layers: string[], add: (f: string) => void): void {
    const here = [...layers, dir];
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing of ours to report in it
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (ALWAYS_SKIPPED.has(e.name) || this.ignored(abs, true, here)) continue;
        this.walk(abs, here, add);
      } else if (e.isFile() && isCandidate(e.name) && !this.ignored(abs, false, here)) {
        add(abs);
      }
    }
  }

  private ignored(abs: string, isDir: boolean, layers: string[]): boolean {
    const rel = (base: string) => path.relative(base, abs).split(path.sep).join('/') + (isDir ? '/' : '');
    for (const dir of layers) {
      const ig = this.gitignore(dir);
      if (ig && ig.ignores(rel(dir))) return true;
    }
    const loaded = this.configs.forFile(abs);
    if (loaded?.config.ignore?.length && !loaded.problems.length) {
      const base = path.dirname(loaded.file);
      const r = rel(base);
      if (!r.startsWith('../')) {
        let ig = this.configIgnores.get(loaded.file);
        if (!ig) this.configIgnores.set(loaded.file, (ig = ignore().add(loaded.config.ignore)));
        if (ig.ignores(r)) return true;
      }
    }
    return false;
  }

  private gitignore(dir: string): Ignore | null {
    let ig = this.gitignores.get(dir);
    if (ig !== undefined) return ig;
    try {
      ig = ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'));
    } catch {
      ig = null;
    }
    this.gitignores.set(dir, ig);
    return ig;
  }
}
