/** Neovim (Debian's package) as a second real LSP client: diagnostics, hover and a code action from dist/server.js --stdio. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { dist, fixture, root } from '../support/paths';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const skip = nvim.status === 0 ? false : 'Neovim is not installed (scripts/setup.sh installs Debian\'s neovim)';

it('Neovim headless: diagnostic, hover, FP8 quick fix applied and cleared', { skip, timeout: 60_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-nvim-'));
  const file = path.join(dir, 'llama-l4.yaml');
  fs.copyFileSync(fixture('vllm', 'llama-8b-l4-32k.yaml'), file);
  const r = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${path.join(root, 'test', 'neovim', 'check.lua')}`], {
    encoding: 'utf8', timeout: 50_000, env: { ...process.env, SERVER_JS: dist('server.js'), FIXTURE: file },
  });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, out);
  assert.match(out, /5 passed, 0 failed/, out);
});
