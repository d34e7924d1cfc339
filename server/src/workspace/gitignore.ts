/**
 * `.gitignore` patterns as git reads them (gitignore(5)), enough for skipping build output and vendored trees while
 * scanning a workspace: comments, `!` negation (last match wins), a trailing `/` for directories only, a `/` at the
 * start or in the middle anchoring to the file's folder, `*`, `?`, `[…]` and `**`. Pure: the caller reads the files.
 */

interface Rule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

export interface IgnoreRules {
  /** Folder the patterns were read in, relative to the scan root, `/`-separated ('' for the root). */
  base: string;
  rules: Rule[];
}

export function parseGitignore(text: string, base = ''): IgnoreRules {
  const rules: Rule[] = [];
  for (let line of text.split(/\r?\n/)) {
    // Trailing spaces are ignored unless escaped; a leading `\` escapes `#` and `!`.
    line = line.replace(/(?<!\\)\s+$/, '');
    if (!line || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\#') || line.startsWith('\\!')) {
      line = line.slice(1);
    }
    let dirOnly = false;
    if (line.endsWith('/')) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    if (!line) continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const body = globToRegex(line);
    rules.push({ re: new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`), negate, dirOnly });
  }
  return { base, rules };
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        const atStart = i === 0 || glob[i - 1] === '/';
        if (atStart && slashAfter) {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
      } else {
        const cls = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${cls}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escape(glob[++i]);
    } else {
      out += escape(c);
    }
  }
  return out;
}

const escape = (c: string) => c.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `path` (relative to the scan root, `/`-separated) is ignored by the rule sets in force there (outer folders
 * first). Undecided by a deeper file, an outer file's last match stands, as in git.
 */
export function isIgnored(path: string, isDir: boolean, stack: IgnoreRules[]): boolean {
  let ignored = false;
  for (const set of stack) {
    const rel = set.base ? (path.startsWith(`${set.base}/`) ? path.slice(set.base.length + 1) : undefined) : path;
    if (rel === undefined) continue;
    for (const r of set.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.re.test(rel)) ignored = !r.negate;
    }
  }
  return ignored;
}
