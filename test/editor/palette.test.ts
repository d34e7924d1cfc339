/** Real-editor test: the packaged .vsix in code-server, driven in Chromium. Screenshots go to test-output/editor/. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { dist, fixture, root } from '../support/paths';
import { EditorSession, openFile, paletteEntries, startEditor } from './codeServer';
import * as path from 'node:path';

describe('extension in a real VS Code (code-server 4.100.3)', { timeout: 180_000 }, () => {
  let s: EditorSession;

  before(async () => {
    const vsix = dist('deploy-advisor.vsix');
    assert.ok(fs.existsSync(vsix), 'dist/deploy-advisor.vsix is missing: npm test packages it first (npm run package)');
    s = await startEditor({
      vsix,
      shotsDir: path.join(root, 'test-output', 'editor'),
      files: {
        'llama-70b.yaml': fs.readFileSync(fixture('vllm', 'llama-3.1-70b-one-gpu.yaml'), 'utf8'),
        'llama-8b.yaml': fs.readFileSync(fixture('vllm', 'llama-3.1-8b-h100.yaml'), 'utf8'),
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
    await s.page.keyboard.press('Enter');
    // The estimate opens as a webview beside the file: the report page with its charts (webviews are nested iframes).
    await s.page.waitForSelector('.tab[aria-label*="Deploy Advisor:"]', { timeout: 20_000 });
    const deadline = Date.now() + 20_000;
    let drawn = false;
    while (!drawn && Date.now() < deadline) {
      for (const f of s.page.frames()) {
        if (await f.$('canvas#memory-chart').catch(() => null)) {
          drawn = (await f.$$eval('canvas', (cs) => cs.length).catch(() => 0)) >= 5 && /does not fit/.test((await f.textContent('.verdict').catch(() => '')) ?? '');
          if (drawn) break;
        }
      }
      if (!drawn) await s.page.waitForTimeout(250);
    }
    await s.screenshot('03-estimate');
    assert.ok(drawn, 'the report webview should show its five charts and the does-not-fit verdict');
  });
});
