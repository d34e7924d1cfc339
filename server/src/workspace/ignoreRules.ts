/**
 * `.gitignore` files as git applies them (gitignore(5)), through the `ignore` library: within a file the last
 * matching pattern wins; a deeper `.gitignore` decides before the ones above it (so its `!pattern` re-includes what
 * an outer file excluded); a file in an excluded folder stays excluded (the walkers never enter such a folder).
 * Shared by `check`'s walk and the Deployments view's, so both list the same files. Pure: the callers read the files.
 */
import ignore, { Ignore } from 'ignore';

/** A .gitignore bigger than this is not one a person wrote; it is not read (nothing is ignored by it). */
export const MAX_GITIGNORE_BYTES = 256 * 1024;

export interface IgnoreLayer {
  /** Folder the `.gitignore` was read in, relative to the walk's root, `/`-separated ('' for the root). */
  base: string;
  rules: Ignore;
}

export function ignoreLayer(text: string, base = ''): IgnoreLayer {
  return { base, rules: ignore().add(text) };
}

/** Whether `rel` (relative to the walk's root, `/`-separated) is ignored by the layers, outermost first. */
export function isIgnored(rel: string, isDir: boolean, layers: readonly IgnoreLayer[]): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const { base, rules } = layers[i];
    if (base && rel !== base && !rel.startsWith(`${base}/`)) continue;
    const sub = base ? rel.slice(base.length + 1) : rel;
    if (!sub) continue;
    const t = rules.test(isDir ? `${sub}/` : sub);
    if (t.ignored) return true;
    if (t.unignored) return false;
  }
  return false;
}
