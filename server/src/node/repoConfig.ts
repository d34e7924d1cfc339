/**
 * Finds the `.deploy-advisor.yaml` that applies to a file: the nearest one walking up from the file's folder, no
 * higher than the workspace root (the editor) or the repository root (a folder holding `.git`). Cached by folder until
 * clear() (the server clears on watched-file changes, so an edit to the config re-reads it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { CONFIG_FILE_NAMES, LoadedConfig, parseCalibrationFile, parseRepoConfig } from '../policy/repoConfig';

/** A config is a few lines; anything bigger is not one (and is not read). */
const MAX_CONFIG_BYTES = 256 * 1024;

export class RepoConfigStore {
  private readonly byDir = new Map<string, LoadedConfig | null>();
  private readonly ignoreLists = new Map<string, Ignore>();

  /**
   * @param roots folders the walk never goes above (workspace folders); none: stop at a `.git` folder.
   * @param onProblem told once per read of a config that is invalid (it is then not applied).
   */
  constructor(private readonly roots: () => string[] = () => [], private readonly onProblem?: (c: LoadedConfig) => void) {}

  forFile(file: string): LoadedConfig | undefined {
    return this.forDir(path.dirname(path.resolve(file))) ?? undefined;
  }

  /** Whether the `ignore:` list of the config that applies to `file` leaves it out (an invalid config applies nothing). */
  ignores(file: string, isDir: boolean): boolean {
    const loaded = this.forFile(file);
    if (!loaded?.config.ignore?.length || loaded.problems.length) return false;
    const rel = path.relative(path.dirname(loaded.file), path.resolve(file)).split(path.sep).join('/');
    if (!rel || rel.startsWith('../')) return false;
    let list = this.ignoreLists.get(loaded.file);
    if (!list) this.ignoreLists.set(loaded.file, (list = ignore().add(loaded.config.ignore)));
    return list.ignores(isDir ? `${rel}/` : rel);
  }

  /** Whether a change to `file` changes a config read so far (the config itself, or the calibration file it names). */
  dependsOn(file: string): boolean {
    if (CONFIG_FILE_NAMES.includes(path.basename(file))) return true;
    const f = path.resolve(file);
    for (const c of this.byDir.values()) if (c?.calibration?.file === f || (typeof c?.config.calibration === 'string' && path.resolve(path.dirname(c.file), c.config.calibration) === f)) return true;
    return false;
  }

  clear(): void {
    this.byDir.clear();
    this.ignoreLists.clear();
  }

  private forDir(dir: string): LoadedConfig | null {
    const hit = this.byDir.get(dir);
    if (hit !== undefined) return hit;
    let found: LoadedConfig | null = readIn(dir);
    if (found?.problems.length) this.onProblem?.(found);
    if (!found && !this.isBoundary(dir)) {
      const parent = path.dirname(dir);
      found = parent !== dir ? this.forDir(parent) : null;
    }
    this.byDir.set(dir, found);
    return found;
  }

  private isBoundary(dir: string): boolean {
    if (this.roots().some((r) => path.resolve(r) === dir)) return true;
    try {
      return fs.statSync(path.join(dir, '.git')) !== undefined;
    } catch {
      return false;
    }
  }
}

function readIn(dir: string): LoadedConfig | null {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(dir, name);
    let size: number;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) continue;
      size = st.size;
    } catch {
      continue;
    }
    if (size > MAX_CONFIG_BYTES) return { file, config: {}, problems: [`${(size / 1024).toFixed(0)} KiB is too large for a config file; not read`] };
    return withCalibrationFile(parseRepoConfig(file, fs.readFileSync(file, 'utf8')));
  }
  return null;
}

/** Loads one config file named explicitly (`check --config FILE`). */
export function loadRepoConfig(file: string): LoadedConfig {
  const size = fs.statSync(file).size;
  if (size > MAX_CONFIG_BYTES) return { file, config: {}, problems: [`${(size / 1024).toFixed(0)} KiB is too large for a config file; not read`] };
  return withCalibrationFile(parseRepoConfig(path.resolve(file), fs.readFileSync(file, 'utf8')));
}

/** A config whose `calibration:` names a file: that file read (bounded like a config) and its entries attached. */
export function withCalibrationFile(loaded: LoadedConfig): LoadedConfig {
  const pointer = loaded.config.calibration;
  if (typeof pointer !== 'string' || loaded.problems.length) return loaded;
  const file = path.resolve(path.dirname(loaded.file), pointer);
  let text: string | undefined;
  try {
    if (fs.statSync(file).size <= MAX_CONFIG_BYTES) text = fs.readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  const { calibration, problems } = parseCalibrationFile(file, text);
  return problems.length ? { ...loaded, problems } : { ...loaded, calibration };
}
