/**
 * The files `check` reads under its paths: folders walked depth-first in name order (stable output), skipping what
 * `.gitignore` files (at every level, and above the start up to the repository root; workspace/ignoreRules.ts) and the
 * config's `ignore:` list exclude, and always `.git` and `node_modules`. Only YAML and JSON(C) names are candidates; symbolic links are not
 * followed (no cycles, no escaping the tree). A path named explicitly is read even if ignored (the user asked for it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RepoConfigStore } from '../node/repoConfig';
import { SKIPPED_DIRS } from '../node/workspaceFiles';
import { isCandidate } from '../workspace/candidates';
import { IgnoreLayer, ignoreLayer, isIgnored, MAX_GITIGNORE_BYTES } from '../workspace/ignoreRules';

export class Walker {
  /** @param accept which file names are read (default: the config candidates; `calibrate` adds logs and CSVs). */
  constructor(private readonly configs: RepoConfigStore, private readonly accept: (name: string) => boolean = isCandidate) {}

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
      else if (st.isDirectory()) {
        const above = ancestors(abs);
        const root = above[0] ?? abs;
        const layers = above.map((d) => readLayer(d, root)).filter((l): l is IgnoreLayer => !!l);
        this.walk(abs, root, layers, add);
      }
    }
    return out;
  }

  private walk(dir: string, root: string, layers: IgnoreLayer[], add: (f: string) => void): void {
    const own = readLayer(dir, root);
    const here = own ? [...layers, own] : layers;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing of ours to report in it
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const rel = posixRelative(root, abs);
      if (e.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name) || isIgnored(rel, true, here) || this.configs.ignores(abs, true)) continue;
        this.walk(abs, root, here, add);
      } else if (e.isFile() && this.accept(e.name) && !isIgnored(rel, false, here) && !this.configs.ignores(abs, false)) {
        add(abs);
      }
    }
  }
}

/** The folders above `dir` whose .gitignore applies (up to the one holding `.git`), outermost first. */
function ancestors(dir: string): string[] {
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

function readLayer(dir: string, root: string): IgnoreLayer | undefined {
  try {
    const file = path.join(dir, '.gitignore');
    if (fs.statSync(file).size > MAX_GITIGNORE_BYTES) return undefined;
    return ignoreLayer(fs.readFileSync(file, 'utf8'), posixRelative(root, dir));
  } catch {
    return undefined;
  }
}

const posixRelative = (from: string, to: string) => path.relative(from, to).split(path.sep).join('/');
