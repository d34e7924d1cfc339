/** Finds a deployment profile beside a config file: `<name>.deploy.yaml`, else `deploy-advisor.yaml` in its folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export function findSideProfile(file: string): { uri: string; text: string } | undefined {
  if (/\.deploy\.ya?ml$/i.test(file)) return undefined;
  const dir = path.dirname(file);
  const stem = path.basename(file).replace(/\.(ya?ml|json)$/i, '');
  for (const candidate of [`${stem}.deploy.yaml`, `${stem}.deploy.yml`, 'deploy-advisor.yaml']) {
    const p = path.join(dir, candidate);
    try {
      if (fs.statSync(p).size < 1024 * 1024) return { uri: pathToFileURL(p).href, text: fs.readFileSync(p, 'utf8') };
    } catch {
      // not there
    }
  }
  return undefined;
}
