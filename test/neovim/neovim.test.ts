/**
 * Neovim (Debian's package) as a second real LSP client: diagnostics, hover and a code action from dist/server.js
 * --stdio; and the README's own Neovim snippets, run as a user's init.lua on the installed Neovim.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dist, fixture, root } from '../support/paths';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const skip = nvim.status === 0 ? false : 'Neovim is not installed (scripts/setup.sh installs Debian\'s neovim)';
/** `NVIM v0.7.2` → [0, 7]. */
const version = (/NVIM v(\d+)\.(\d+)/.exec(nvim.stdout ?? '') ?? []).slice(1).map(Number);
const atLeast08 = version.length === 2 && (version[0] > 0 || version[1] >= 8);

it('Neovim headless: diagnostic, hover, FP8 quick fix applied and cleared, completion over the whole model value', { skip, timeout: 60_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-nvim-'));
  const file = path.join(dir, 'llama-l4.yaml');
  fs.copyFileSync(fixture('vllm', 'llama-8b-l4-32k.yaml'), file);
  const r = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${path.join(root, 'test', 'neovim', 'check.lua')}`], {
    encoding: 'utf8', timeout: 50_000, env: { ...process.env, SERVER_JS: dist('server.js'), FIXTURE: file },
  });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, out);
  assert.match(out, /6 passed, 0 failed/, out);
});

/** The ```lua block that follows the README paragraph starting with `heading`. */
function readmeSnippet(heading: string): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n${heading}`);
  assert.ok(at >= 0, `README has no paragraph "${heading}"`);
  const block = /```lua\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, `no lua block after "${heading}"`);
  return block[1];
}

describe('the README\'s Neovim snippets, as a user\'s init.lua', () => {
  const cases: Array<{ heading: string; applies: boolean; why: string }> = [
    { heading: 'Neovim 0.8+', applies: atLeast08, why: `Neovim ${version.join('.')} is installed; this snippet needs vim.lsp.start (0.8+)` },
    { heading: 'Neovim 0.7', applies: version.length === 2 && !atLeast08, why: `Neovim ${version.join('.')} is installed; the 0.8+ snippet is the one for it` },
  ];
  for (const c of cases) {
    it(`${c.heading}: the snippet starts the server and attaches a YAML buffer (diagnostics arrive)`, { skip: skip || (c.applies ? false : c.why), timeout: 60_000 }, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-nvim-init-'));
      const init = path.join(dir, 'init.lua');
      const snippet = readmeSnippet(c.heading);
      assert.ok(snippet.includes('/path/to/deploy-advisor/dist/server.js'), snippet);
      fs.writeFileSync(init, snippet.replace('/path/to/deploy-advisor/dist/server.js', dist('server.js')));
      const file = path.join(dir, 'llama-l4.yaml');
      fs.copyFileSync(fixture('vllm', 'llama-8b-l4-32k.yaml'), file);
      fs.copyFileSync(file, `${file}.copy.yaml`);
      const r = spawnSync('nvim', ['--headless', '-u', init, '-i', 'NONE', '-c', `luafile ${path.join(root, 'test', 'neovim', 'snippet.lua')}`], {
        encoding: 'utf8', timeout: 50_000, cwd: dir, env: { ...process.env, FIXTURE: file, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_STATE_HOME: dir },
      });
      const out = `${r.stdout}${r.stderr}`;
      assert.equal(r.status, 0, out);
      assert.match(out, /filetype=yaml clients=1 diagnostic=true/, out);
      assert.match(out, /second buffer clients=1 servers=1/, out);
    });
  }
});
