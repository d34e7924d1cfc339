/// <reference lib="dom" />
/**
 * The Deployments view and the walkthrough in a real VS Code (code-server 4.100.3 in Chromium): the view lists the
 * workspace's workloads with their verdicts and the totals, leaves out node_modules and .gitignore'd folders, opens a
 * workload's file at its model key, follows a file written on disk, and the walkthrough opens and its first step opens
 * the sample, which the view then lists. Screenshots in test-output/editor/.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { dist, fixture, root } from '../support/paths';
import { EditorSession, nbsp, startEditor } from './codeServer';

const read = (...p: string[]) => fs.readFileSync(fixture(...p), 'utf8');

describe('Deployments view and walkthrough in a real VS Code', { timeout: 240_000 }, () => {
  let s: EditorSession;

  before(async () => {
    const vsix = dist('deploy-advisor.vsix');
    assert.ok(fs.existsSync(vsix), 'dist/deploy-advisor.vsix is missing: npm test packages it first (npm run package)');
    s = await startEditor({
      vsix,
      shotsDir: path.join(root, 'test-output', 'editor'),
      files: {
        'vllm/llama-l4.yaml': read('vllm', 'llama-8b-l4-32k.yaml'),
        'vllm/llama-h100.yaml': read('vllm', 'llama-3.1-8b-h100.yaml'),
        'kubernetes/tp-three-gpus.yaml': read('kubernetes', 'tp-three-gpus.yaml'),
        'kubernetes/multi-doc.yaml': read('kubernetes', 'multi-doc.yaml'),
        'ci/github-workflow.yaml': read('not-ours', 'github-workflow.yaml'),
        // Neither of these is the workspace's own: the view must not list them.
        'node_modules/some-chart/vllm-values.yaml': read('vllm', 'llama-3.1-70b-one-gpu.yaml'),
        'build/generated-vllm.yaml': read('vllm', 'llama-3.1-70b-one-gpu.yaml'),
        '.gitignore': 'build/\n',
      },
    });
  });

  after(async () => s?.close());

  const pane = () => s.page.locator('.pane', { has: s.page.locator('.pane-header', { hasText: /Deployments/i }) }).first();
  const rows = (): Locator => pane().locator('.monaco-list-row');
  const rowTexts = async () => (await rows().allTextContents()).map(nbsp);
  const waitForRow = async (pattern: RegExp, what: string, ms = 45_000) => {
    try {
      await s.page.waitForFunction(
        ([src, flags]) => Array.from(document.querySelectorAll('.pane')).some((p) => /Deployments/i.test(p.querySelector('.pane-header')?.textContent ?? '')
          && Array.from(p.querySelectorAll('.monaco-list-row')).some((r) => new RegExp(src, flags).test((r.textContent ?? '').replace(/\u00a0/g, ' ')))),
        [pattern.source, pattern.flags] as const, { timeout: ms },
      );
    } catch (e) {
      await s.screenshot(`30-deployments-missing-${what}`);
      throw new Error(`${what}: no Deployments row matches ${pattern}; rows: ${JSON.stringify(await rowTexts())}`);
    }
  };

  it('the Deployments view lists every workload with its verdict, grouped by folder, the totals first', async () => {
    // The view starts collapsed at the foot of the Explorer: expand it as a user would, by its header.
    const header = s.page.locator('.pane-header', { hasText: /Deployments/i }).first();
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    // The tree draws only the rows in sight: fold the folder's file tree above it so that every row has room.
    const files = s.page.locator('.sidebar .pane-header').first();
    if ((await files.getAttribute('aria-expanded')) === 'true' && !/Deployments/i.test((await files.textContent()) ?? '')) await files.click();
    await waitForRow(/5 workloads · \d+ GPUs · \$[\d,]+\/month/, 'totals');
    await waitForRow(/llama-l4\.yaml.*vllm · meta-llama\/Llama-3\.1-8B-Instruct · 1 × L4 · does not fit · KV [\d.]+× · \$[\d.]+\/h/, 'does-not-fit row');
    await waitForRow(/tp-three-gpus\.yaml.*3 × H100-SXM · will not start/, 'will-not-start row');
    await waitForRow(/llama-h100\.yaml.*1 × H100-SXM · fits/, 'fits row');
    await waitForRow(/multi-doc\.yaml › gemma-2-9b.*fits/, 'first workload of a two-workload file');
    await waitForRow(/multi-doc\.yaml › phi-3-mini.*fits/, 'second workload of a two-workload file');
    const texts = await rowTexts();
    assert.match(texts[0], /1 does not fit · 1 will not start/, 'the totals row comes first and names the problems');
    const folder = (name: string) => texts.findIndex((t) => new RegExp(`^${name}\\d.*workloads? · \\d+ GPUs?`).test(t));
    assert.ok(folder('kubernetes') > 0 && folder('vllm') > folder('kubernetes'), `folders as groups with subtotals: ${JSON.stringify(texts)}`);
    assert.ok(!texts.some((t) => /vllm-values|generated-vllm|github-workflow/.test(t)), `node_modules, .gitignore'd and unrelated files are not listed: ${JSON.stringify(texts)}`);
    await s.page.waitForTimeout(500);
    await s.screenshot('30-deployments');
  });

  it('clicking a workload opens its file at the model key', async () => {
    await rows().filter({ hasText: 'llama-l4.yaml' }).first().click();
    await s.page.waitForSelector('.tab[aria-label*="llama-l4.yaml"]', { timeout: 15_000 });
    // The fixture names its model on line 3 (two comment lines first); the selection is the model's value.
    const position = s.page.locator('.statusbar-item[id*="selection"]').first();
    await s.page.waitForFunction(() => /Ln 3, Col/.test(document.querySelector('.statusbar-item[id*="selection"]')?.textContent ?? ''), undefined, { timeout: 15_000 });
    assert.match(nbsp(await position.textContent()), /Ln 3, Col \d+/);
    await s.screenshot('31-deployments-open');
  });

  it('the editor title has the report button on a config, and it opens the report', async () => {
    const button = s.page.locator('.editor-actions .action-label.codicon-graph').first();
    await button.waitFor({ timeout: 20_000 });
    await button.click();
    await s.page.waitForSelector('.tab[aria-label*="Deploy Advisor: llama-l4.yaml"]', { timeout: 30_000 });
    await s.screenshot('31-report-button');
  });

  it('a config written on disk appears in the view without a manual refresh', async () => {
    fs.mkdirSync(path.join(s.workspace, 'sglang'), { recursive: true });
    fs.writeFileSync(path.join(s.workspace, 'sglang', 'qwen3-32b.yaml'), read('sglang', 'qwen3-32b-tp2.yaml'));
    await waitForRow(/qwen3-32b\.yaml.*sglang · Qwen\/Qwen3-32B · 2 × H100-SXM · fits/, 'new file');
    await waitForRow(/6 workloads · /, 'totals after the new file');
    await s.screenshot('32-deployments-new-file');
  });

  it('the walkthrough opens, and its first step opens the sample, which the view then lists', async () => {
    await s.page.keyboard.press('F1');
    await s.page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await s.page.keyboard.type('Deploy Advisor: Get Started');
    const entry = s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Deploy Advisor: Get Started' }).first();
    await entry.waitFor({ timeout: 15_000 });
    await entry.click();
    const walkthrough = s.page.locator('.gettingStartedContainer', { hasText: 'Get Started with Deploy Advisor' }).first();
    try {
      await walkthrough.waitFor({ timeout: 20_000 });
    } catch (e) {
      await s.screenshot('33-walkthrough-missing');
      throw e;
    }
    const text = nbsp(await walkthrough.textContent());
    for (const step of ['Open a sample config', 'Read a finding', 'Apply a fix', 'Open the report', 'Find the cheapest plan', 'See every deployment']) {
      assert.ok(text.includes(step), `walkthrough step "${step}" missing: ${text.slice(0, 400)}`);
    }
    await s.page.waitForTimeout(800);
    await s.screenshot('33-walkthrough');
    await walkthrough.locator('a.button-link, .monaco-button', { hasText: 'Open the Sample' }).first().click();
    await s.page.waitForSelector('.tab[aria-label*="Untitled"]', { timeout: 15_000 });
    await s.page.waitForSelector('.squiggly-error', { timeout: 30_000 });
    await waitForRow(/Untitled-\d+.*1 × L4 · does not fit/, 'the sample under Open editors');
    await waitForRow(/Open editors/, 'the open-editors group');
    await s.screenshot('34-walkthrough-sample');
  });
});
