/// <reference lib="dom" />
/**
 * The user's path in a real VS Code (code-server 4.100.3 in Chromium): a vLLM config that does not fit shows its
 * squiggle and Problems row with the numbers, the hover explains it, the FP8-KV quick fix applies and clears it, and
 * the code lens shows the estimate. Screenshots in test-output/editor/ (look at them when this changes).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dist, fixture, root } from '../support/paths';
import { EditorSession, openFile, startEditor, nbsp } from './codeServer';


describe('diagnostics, hover, quick fix and code lens in a real VS Code', { timeout: 240_000 }, () => {
  let s: EditorSession;

  before(async () => {
    s = await startEditor({
      vsix: dist('deploy-advisor.vsix'),
      shotsDir: path.join(root, 'test-output', 'editor'),
      files: { 'llama-l4.yaml': fs.readFileSync(fixture('vllm', 'llama-8b-l4-32k.yaml'), 'utf8') },
    });
    await openFile(s.page, 'llama-l4.yaml');
  });

  after(async () => s?.close());

  it('the squiggle lands on max-model-len and the Problems row carries the numbers', async () => {
    const squiggle = s.page.locator('.squiggly-error').first();
    await squiggle.waitFor({ timeout: 30_000 });
    await s.page.keyboard.press('Control+Shift+M');
    const row = s.page.locator('.markers-panel .monaco-tl-row', { hasText: 'max-len-exceeds-kv' }).first();
    await row.waitFor({ timeout: 15_000 });
    const text = nbsp(await row.textContent());
    assert.match(text, /One 32768-token request needs 4\.00 GiB of KV per GPU/);
    assert.match(text, /Largest max-model-len that fits: \d+/);
    assert.match(text, /\[Ln 4, Col 16\]/);
    await s.page.waitForTimeout(500);
    await s.screenshot('10-problems');
  });

  /** The code lens above the workload arrives after the diagnostics and shifts every line down: wait for it, so that
   *  the squiggle does not move away from under the mouse (a slow machine made the hover and quick fix flaky). */
  const settled = () => s.page.locator('.codelens-decoration', { hasText: 'weights' }).first().waitFor({ state: 'attached', timeout: 45_000 });

  it('hovering the value explains the option with its numbers here', async () => {
    await settled();
    const box = await s.page.locator('.squiggly-error').first().boundingBox();
    assert.ok(box);
    await s.page.mouse.move(box.x + 2, box.y + 2);
    await s.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    const hover = s.page.locator('.monaco-hover:not(.hidden)').first();
    try {
      await hover.waitFor({ state: 'visible', timeout: 15_000 });
      await s.page.waitForFunction(() => /max-model-len ·/.test(document.querySelector('.monaco-hover:not(.hidden)')?.textContent ?? ''), undefined, { timeout: 10_000 });
    } catch (e) {
      await s.screenshot('11-hover-missing');
      throw e;
    }
    const text = nbsp(await hover.textContent());
    assert.match(text, /Longest request \(prompt \+ output\) the engine accepts/);
    assert.match(text, /Here: one 32768-token request needs 4\.00 GiB of KV per GPU/);
    // The FP8-KV advice carries its evidence line (nearest evidence: the seeds do not test FP8 KV itself).
    assert.match(text, /Nearest evidence: .+ — “.+”/);
    await s.screenshot('11-hover');
    await s.page.mouse.move(5, 5);
  });

  it('the FP8-KV quick fix applies and the problem clears', async () => {
    await settled();
    const box = await s.page.locator('.squiggly-error').first().boundingBox();
    assert.ok(box);
    await s.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await s.page.keyboard.press('Escape');
    await s.page.keyboard.press('Control+.');
    const item = s.page.locator('.action-widget .monaco-list-row', { hasText: 'Set kv-cache-dtype: fp8' }).first();
    await item.waitFor({ timeout: 15_000 });
    assert.match(nbsp(await item.textContent()), /KV capacity \d+k → \d+k tokens, fits/);
    await s.screenshot('12-quickfix');
    // Move the list's focus to the FP8 fix and accept it, as a keyboard user would.
    const labels = await s.page.$$eval('.action-widget .monaco-list-row.action', (rows) => rows.map((r) => ({ text: r.textContent ?? '', focused: r.classList.contains('focused') })));
    const target = labels.findIndex((l) => l.text.includes('Set kv-cache-dtype: fp8'));
    const focused = Math.max(0, labels.findIndex((l) => l.focused));
    for (let i = focused; i < target; i++) await s.page.keyboard.press('ArrowDown');
    await s.page.keyboard.press('Enter');
    await s.page.waitForFunction(() => document.querySelectorAll('.squiggly-error').length === 0, undefined, { timeout: 20_000 });
    const lines = nbsp(await s.page.locator('.view-lines').textContent());
    assert.match(lines, /kv-cache-dtype: fp8/);
    assert.match(lines, /max-model-len: 32768/);
    await s.page.locator('.markers-panel', { hasText: /No problems|max-len-exceeds-kv/ }).first().waitFor({ timeout: 15_000 });
    await s.page.waitForFunction(() => !/max-len-exceeds-kv/.test(document.querySelector('.markers-panel')?.textContent ?? ''), undefined, { timeout: 20_000 });
    await s.page.waitForTimeout(500);
    await s.screenshot('13-fixed');
  });
  it('after the fix, the code lens shows weights · KV · TTFT · TPOT · the new verdict', async () => {
    const lens = s.page.locator('.codelens-decoration', { hasText: 'weights' }).first();
    try {
      await lens.waitFor({ state: 'attached', timeout: 45_000 });
      // The editor asks for code lenses again on its own schedule after an edit: the lens from before the fix can
      // stay on screen for a moment after the diagnostics cleared (a slow CI machine read it there).
      await s.page.waitForFunction(() => Array.from(document.querySelectorAll('.codelens-decoration')).some((e) => / · fits on /.test(e.textContent ?? '')), undefined, { timeout: 30_000 });
    } catch (e) {
      await s.screenshot('14-codelens-missing');
      throw e;
    }
    assert.match(nbsp(await lens.textContent()), /weights \d+\.\d GiB\/GPU · KV \S+ tokens .* · TTFT \d+ ms · TPOT [\d.]+ ms · fits on 1 × L4/);
    await s.screenshot('14-codelens');
  });

});
