/// <reference lib="dom" />
/**
 * Completion in a real VS Code (code-server 4.100.3 in Chromium): typing a model id prefix and accepting an item
 * leaves exactly the chosen id on the line (VS Code's word-based replace once gave `meta-llama/Llama-3.1-Qwen/Qwen3-8B`),
 * the list is filtered on the whole typed id, and an empty YAML file offers the snippets, whose expansion our readers
 * read back. Screenshots in test-output/editor/.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../server/src/pipeline';
import { dist, root } from '../support/paths';
import { EditorSession, nbsp, openFile, startEditor } from './codeServer';

const rows = '.suggest-widget.visible .monaco-list-row';

describe('completion in a real VS Code', { timeout: 300_000 }, () => {
  let s: EditorSession;

  before(async () => {
    s = await startEditor({
      vsix: dist('deploy-advisor.vsix'),
      shotsDir: path.join(root, 'test-output', 'editor'),
      files: { 'serve.yaml': '# vllm serve --config serve.yaml\nmax-model-len: 8192\n', 'empty.yaml': '' },
    });
  });

  after(async () => s?.close());

  /** The suggest list's labels, once it shows one matching `want`. */
  async function suggestions(want: RegExp): Promise<string[]> {
    // Asked again while the server has not yet seen the just-opened document (it answers nothing for it then).
    for (let attempt = 1; ; attempt++) {
      await s.page.keyboard.press('Control+Space');
      try {
        await s.page.waitForFunction(([sel, src]) => Array.from(document.querySelectorAll(sel)).some((r) => new RegExp(src).test(r.getAttribute('aria-label') ?? '')), [rows, want.source] as const, { timeout: 6_000 });
        break;
      } catch (e) {
        if (attempt === 5) {
          await s.screenshot('40-completion-missing');
          throw e;
        }
        await s.page.keyboard.press('Escape');
      }
    }
    const labels = await s.page.$$eval(rows, (els) => els.map((r) => r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? ''));
    return labels.map(nbsp).filter(Boolean);
  }

  /** Moves the suggest list's focus to the row labelled `label` and accepts it, as a keyboard user would. */
  async function accept(label: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const focused = await s.page.$eval(`${rows}.focused`, (r) => r.querySelector('.label-name')?.textContent ?? '').catch(() => '');
      if (nbsp(focused) === label) break;
      await s.page.keyboard.press('ArrowDown');
    }
    assert.equal(nbsp(await s.page.$eval(`${rows}.focused`, (r) => r.querySelector('.label-name')?.textContent ?? '')), label);
    await s.page.keyboard.press('Enter');
  }

  /** Saves the active editor and returns the file as written to disk once it has changed from `before`. */
  async function saved(name: string, before: string, until: (text: string) => boolean = () => true): Promise<string> {
    const file = path.join(s.workspace, name);
    await s.page.keyboard.press('Control+S');
    // An auto-save of the typed prefix may land first: wait for the write the test is about.
    const deadline = Date.now() + 20_000;
    const done = () => { const t = fs.readFileSync(file, 'utf8'); return t !== before && until(t); };
    while (Date.now() < deadline && !done()) await s.page.waitForTimeout(200);
    return fs.readFileSync(file, 'utf8');
  }

  it('typing `model: meta-llama/Llama-3.1-8` and accepting an id leaves exactly that id on the line', async () => {
    await openFile(s.page, 'serve.yaml');
    await s.page.locator('.view-lines', { hasText: 'max-model-len' }).waitFor({ timeout: 30_000 });
    await s.page.locator('.monaco-editor .view-lines').first().click();
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.type('model: meta-llama/Llama-3.1-8', { delay: 20 });
    await s.page.keyboard.press('Escape');
    const labels = await suggestions(/meta-llama\/Llama-3\.1-8B-Instruct/);
    // Filtered on the whole typed id (VS Code matches it fuzzily): Llama 3.1 ids of meta-llama only — no Qwen, which
    // word-based filtering on the trailing `8` kept.
    assert.ok(labels.includes('meta-llama/Llama-3.1-8B') && labels.every((l) => /^meta-llama\/.*Llama-3\.1-/.test(l)), labels.join(', '));
    await s.screenshot('40-completion-model');
    await accept('meta-llama/Llama-3.1-8B-Instruct');
    await s.screenshot('41-completion-model-accepted');
    const text = await saved('serve.yaml', '# vllm serve --config serve.yaml\nmax-model-len: 8192\n', (t) => t.includes('Llama-3.1-8B-Instruct'));
    assert.equal(text.split('\n').find((l) => l.startsWith('model')), 'model: meta-llama/Llama-3.1-8B-Instruct', text);
    assert.equal(text, '# vllm serve --config serve.yaml\nmax-model-len: 8192\nmodel: meta-llama/Llama-3.1-8B-Instruct');
  });

  it('accepting a different id in the middle of the value replaces the whole value', async () => {
    // Retype the start of the line written above as `model: Qwen/Qwen3-8`, the cursor before `Llama-3.1-8B-Instruct`; pick
    // Qwen3-8B: the whole value, also what follows the cursor, becomes Qwen's id.
    await s.page.keyboard.press('Home');
    for (let i = 0; i < 'model: meta-llama/'.length; i++) await s.page.keyboard.press('ArrowRight');
    await s.page.keyboard.press('Shift+Home');
    await s.page.keyboard.type('model: Qwen/Qwen3-8', { delay: 20 });
    await s.page.keyboard.press('Escape');
    await suggestions(/Qwen\/Qwen3-8B/);
    await accept('Qwen/Qwen3-8B');
    const text = await saved('serve.yaml', fs.readFileSync(path.join(s.workspace, 'serve.yaml'), 'utf8'));
    assert.equal(text.split('\n')[2], 'model: Qwen/Qwen3-8B', text);
  });

  it('an empty YAML file offers the four snippets; the Kubernetes Deployment one expands to a manifest our readers estimate without errors', async () => {
    await openFile(s.page, 'empty.yaml');
    const labels = await suggestions(/Deploy Advisor profile/);
    for (const want of ['vLLM config (vllm serve --config)', 'Kubernetes Deployment running vLLM', 'SGLang config (sglang.launch_server --config)', 'Deploy Advisor profile (*.deploy.yaml)']) {
      assert.ok(labels.includes(want), `${want} not in ${labels.join(', ')}`);
    }
    await s.screenshot('42-completion-snippets');
    await accept('Kubernetes Deployment running vLLM');
    // Leave the snippet (its first stop is a choice list) with every default in place.
    await s.page.keyboard.press('Escape');
    await s.page.keyboard.press('Escape');
    const text = await saved('empty.yaml', '');
    assert.match(text, /^apiVersion: apps\/v1\nkind: Deployment\n/);
    const a = analyze(`file://${path.join(s.workspace, 'empty.yaml')}`, text);
    assert.equal(a.format, 'kubernetes');
    assert.equal(a.workloads[0]?.plan.model.ref.value, 'meta-llama/Llama-3.1-8B-Instruct');
    assert.deepEqual(a.findings.filter((f) => f.severity === 'error').map((f) => f.message), []);
    await s.screenshot('43-completion-snippet-expanded');
  });
});
