/**
 * The config files near a log (its folder and the one above: `logs/` beside the deployment), for linking the log's
 * findings to the config that produced it. Bounded: at most MAX_FILES files of at most MAX_BYTES each.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const MAX_FILES = 40;
const MAX_BYTES = 1024 * 1024;

export function siblingConfigs(logFile: string): Array<{ uri: string; text: string }> {
  const out: Array<{ uri: string; text: string }> = [];
  const dir = path.dirname(logFile);
  for (const d of [dir, path.dirname(dir)]) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(d).filter((n) => /\.(ya?ml|json)$/i.test(n)).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      if (out.length >= MAX_FILES) return out;
      const p = path.join(d, n);
      try {
        const st = fs.statSync(p);
        if (st.isFile() && st.size <= MAX_BYTES) out.push({ uri: pathToFileURL(p).href, text: fs.readFileSync(p, 'utf8') });
      } catch {
        // unreadable: skipped
      }
    }
  }
  return out;
}
