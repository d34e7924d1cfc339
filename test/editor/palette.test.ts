/** Real-editor test: the packaged .vsix in code-server, driven in Chromium. Screenshots go to test-output/editor/. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { dist, fixture, root } from '../support/paths';
import type { Frame } from 'playwright-core';
import { EditorSession, nbsp, openFile, paletteEntries, startEditor } from './codeServer';
import * as path from 'node:path';

let s: EditorSession;
let report: Frame | undefined;

describe('extension in a real VS Code (code-server 4.100.3)', { timeout: 180_000 }, () => {

  before(async () => {
    const vsix = dist('deploy-advisor.vsix');
    assert.ok(fs.existsSync(vsix), 'dist/deploy-advisor.vsix is missing: npm test packages it first (npm run package)');
    s = await startEditor({
      vsix,
      shotsDir: path.join(root, 'test-output', 'editor'),
      files: {
        'llama-70b.yaml': fs.readFileSync(fixture('vllm', 'llama-3.1-70b-one-gpu.yaml'), 'utf8'),
        'llama-8b.yaml': fs.readFileSync(fixture('vllm', 'llama-3.1-8b-h100.yaml'), 'utf8'),
        // No load anywhere (file, directive, settings): Find Cheapest Plan must ask for it.
        'no-load.yaml': 'model: Qwen/Qwen3-8B\n# deploy-advisor: gpu=L4\nmax-model-len: 8192\n',
      },
    });
  });

  after(async () => s?.close());

  it('activates on a vLLM config and shows the does-not-fit squiggle', async () => {
    await openFile(s.page, 'llama-70b.yaml');
    await s.page.waitForSelector('.squiggly-error', { timeout: 30_000 });
    await s.screenshot('01-squiggle');
  });

  it('shows the verdict in the status bar', async () => {
    const item = s.page.locator('.statusbar-item', { hasText: 'does not fit' });
    await item.first().waitFor({ timeout: 15_000 });
    assert.match((await item.first().textContent()) ?? '', /does not fit on 1 × H100-SXM/);
  });

  it('lists "Deploy Advisor: Estimate Deployment" in the command palette and runs it', async () => {
    const entries = await paletteEntries(s.page, 'Deploy Advisor');
    await s.screenshot('02-palette');
    assert.ok(entries.some((e) => e.includes('Deploy Advisor: Estimate Deployment')), JSON.stringify(entries));
    assert.ok(entries.some((e) => e.includes('Deploy Advisor: Find Cheapest Plan')), JSON.stringify(entries));
    assert.ok(entries.some((e) => e.includes('Deploy Advisor: Calibrate from Runs')), JSON.stringify(entries));
    // Narrow to the report's entry (the list is alphabetical: Calibrate comes first).
    await s.page.keyboard.type(': Estimate Deployment');
    await s.page.waitForTimeout(300);
    await s.page.keyboard.press('Enter');
    // The estimate opens as a webview beside the file: the report page with its charts (webviews are nested iframes).
    await s.page.waitForSelector('.tab[aria-label*="Deploy Advisor:"]', { timeout: 20_000 });
    report = await reportFrame(async (f) => (await f.$$eval('canvas', (cs) => cs.length)) >= 5 && /does not fit/.test((await f.textContent('.verdict')) ?? ''));
    await s.screenshot('03-estimate');
    assert.ok(report, 'the report webview should show its five charts and the does-not-fit verdict');
  });

  it('Apply on a what-if performs the quick fix\'s edit, and the report follows the file live', async () => {
    assert.ok(report, 'needs the report from the previous test');
    await report.click('table.what-if tr:has-text("quantization: fp8") button');
    await s.page.locator('.view-lines', { hasText: 'quantization: fp8' }).waitFor({ timeout: 20_000 });
    // No reload: the page got the new data by message and redrew (the verdict turns to "fits").
    await waitFor(async () => /^fits/.test((await report!.textContent('.verdict')) ?? ''), 'the report verdict should turn to "fits" after the edit');
    await s.screenshot('04-applied-what-if');
  });

  it('Apply on the cheapest plan rewrites the file\'s knobs and says which GPUs the plan needs', async () => {
    assert.ok(report);
    const best = report.locator('table.plans tbody tr').first();
    const cells = await best.locator('td').allTextContents();
    const [seqs] = cells[4].split(' / ');
    const tp = /TP (\d+)/.exec(cells[2])![1];
    await best.locator('button').click();
    await s.page.locator('.view-lines', { hasText: `max_num_seqs: ${seqs}` }).waitFor({ timeout: 20_000 });
    assert.match(nbsp(await s.page.locator('.view-lines').textContent()), new RegExp(`tensor_parallel_size: ${tp}`));
    await s.page.locator('.notifications-toasts', { hasText: 'plan applied' }).waitFor({ timeout: 15_000 });
    await s.screenshot('05-applied-plan');
  });

  it('Find Cheapest Plan asks for the load the file does not state, and its picker says what it searched', async () => {
    await openFile(s.page, 'no-load.yaml');
    await paletteEntries(s.page, 'Deploy Advisor: Find Cheapest Plan');
    await s.page.keyboard.press('Enter');
    const widget = s.page.locator('.quick-input-widget');
    for (const [prompt, answer] of [['requests in flight', '16'], ['Prompt / output tokens', '1024/256'], ['Optional latency targets', '']]) {
      await widget.filter({ hasText: prompt }).waitFor({ timeout: 20_000 });
      await s.page.keyboard.press('Control+A');
      if (answer) await s.page.keyboard.type(answer);
      else await s.page.keyboard.press('Backspace');
      await s.page.keyboard.press('Enter');
    }
    const title = s.page.locator('.quick-input-widget .quick-input-title', { hasText: 'no SLO set: cheapest that fits 16 concurrent 1k/256 requests' });
    await title.waitFor({ timeout: 60_000 });
    assert.match(nbsp(await s.page.locator('.quick-input-widget').textContent()), /on this file's L4/);
    await s.screenshot('06-cheapest-plan-picker');
    await s.page.keyboard.press('Escape');
  });
});

/** The report webview's frame (webviews are nested iframes) once `ready` holds for it, or undefined after 20 s. */
async function reportFrame(ready: (f: Frame) => Promise<boolean>): Promise<Frame | undefined> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const f of s.page.frames()) {
      if (await f.$('canvas#memory-chart').catch(() => null) && await ready(f).catch(() => false)) return f;
    }
    await s.page.waitForTimeout(250);
  }
  return undefined;
}

async function waitFor(check: () => Promise<boolean>, message: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) assert.fail(message);
    await new Promise((r) => setTimeout(r, 250));
  }
}
