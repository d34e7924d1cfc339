/**
 * Lists the files of a folder that could be serving configs (YAML and JSON), for the Deployments view: asynchronous,
 * so the server keeps answering while it walks; skips `.git`, `node_modules`, what `.gitignore` files ignore (the
 * rules `check` applies) and what the caller excludes (the `.deploy-advisor.yaml` `ignore:` list);
 * never follows symbolic links (no cycles, nothing outside the folder); stops at a file cap. Node only.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isCandidate } from '../workspace/candidates';
import { IgnoreLayer, ignoreLayer, isIgnored, MAX_GITIGNORE_BYTES } from '../workspace/ignoreRules';

export interface ListedFile {
  /** Absolute path. */
  path: string;
  /** Relative to the folder, `/`-separated. */
  rel: string;
  mtimeMs: number;
  size: number;
}

export interface ListLimits {
  /** Most candidate files listed; the walk stops there and says so. */
  maxFiles: number;
  /** Deepest folder level walked (a generated tree nested beyond it is not a config repository). */
  maxDepth: number;
}

/** Paths the caller leaves out besides .gitignore's (absolute; folders are not entered). */
export type Excluded = (file: string, isDir: boolean) => boolean;

export const defaultListLimits: ListLimits = { maxFiles: 5000, maxDepth: 24 };

/** Folders never worth reading: version control and package managers' trees. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules', '.hg', '.svn']);

export async function listCandidateFiles(root: string, limits: ListLimits = defaultListLimits, excluded?: Excluded): Promise<{ files: ListedFile[]; truncated?: string }> {
  const files: ListedFile[] = [];
  let truncated: string | undefined;
  const walk = async (dir: string, rel: string, depth: number, stack: IgnoreLayer[]): Promise<void> => {
    if (truncated) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to list
    }
    const here = entries.some((e) => e.name === '.gitignore' && e.isFile()) ? await readIgnore(path.join(dir, '.gitignore'), rel) : undefined;
    const rules = here ? [...stack, here] : stack;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (truncated) return;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name) || depth >= limits.maxDepth || isIgnored(childRel, true, rules) || excluded?.(path.join(dir, e.name), true)) continue;
        await walk(path.join(dir, e.name), childRel, depth + 1, rules);
      } else if (e.isFile() && isCandidate(e.name) && !isIgnored(childRel, false, rules) && !excluded?.(path.join(dir, e.name), false)) {
        if (files.length >= limits.maxFiles) {
          truncated = `stopped after ${limits.maxFiles} YAML/JSON files`;
          return;
        }
        try {
          const st = await fs.stat(path.join(dir, e.name));
          files.push({ path: path.join(dir, e.name), rel: childRel, mtimeMs: st.mtimeMs, size: st.size });
        } catch {
          // removed while walking
        }
      }
    }
  };
  await walk(root, '', 0, []);
  return { files, truncated };
}

async function readIgnore(file: string, base: string): Promise<IgnoreLayer | undefined> {
  try {
    const st = await fs.stat(file);
    if (st.size > MAX_GITIGNORE_BYTES) return undefined;
    return ignoreLayer(await fs.readFile(file, 'utf8'), base);
  } catch {
    return undefined;
  }
}
