/**
 * Workspace Trust in a real VS Code (code-server with trust on, opened in Restricted Mode): the extension reads only
 * the open document — a `model: ./my-model` folder beside it is not read, and the diagnostic and status bar say
 * why — until the user trusts the workspace, when the server restarts and reads the folder.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dist, fixture, root } from '../support/paths';
import { EditorSession, nbsp, openFile, startEditor } from './codeServer';

describe('Workspace Trust in a real VS Code (code-server 4.100.3)', { timeout: 180_000 }, () => {
  let s: EditorSession;

  before(async () => {
    s = await startEditor({
      vsix: dist('deploy-advisor.vsix'),
      shotsDir: path.join(root, 'test-output', 'editor'),
      workspaceTrust: true,
      settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' },
      files: {
        'serve-vllm.yaml': '# deploy-advisor: gpu=H100\nmodel: ./my-model\nmax-model-len: 4096\n',
        'my-model/config.json': fs.readFileSync(fixture('hf', 'llama-3.1-8b', 'config.json'), 'utf8'),
      },
    });
  });
  after(async () => s?.close());

  const problems = async () => nbsp(await s.page.locator('.markers-panel').textContent().catch(() => ''));

  it('untrusted: the local model folder is not read, and the problem says why', async () => {
    await openFile(s.page, 'serve-vllm.yaml');
    await s.page.keyboard.press('Control+Shift+M');
    await s.page.locator('.markers-panel', { hasText: 'not trusted' }).first().waitFor({ timeout: 30_000 });
    assert.match(await problems(), /Unknown model "\.\/my-model".*not trusted.*no local model folders/);
    await s.screenshot('20-untrusted');
  });

  it('trusting the workspace restarts the server, which then reads the folder', async () => {
    await s.page.keyboard.press('F1');
    await s.page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await s.page.keyboard.type('Workspaces: Manage Workspace Trust');
    await s.page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 10_000 });
    await s.page.keyboard.press('Enter');
    const trust = s.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trust.waitFor({ timeout: 15_000 });
    await s.screenshot('21-trust-editor');
    await trust.click();
    await s.page.waitForFunction(() => !/not trusted/.test(document.querySelector('.markers-panel')?.textContent ?? ''), undefined, { timeout: 30_000 });
    // Back in the config: the status bar now has an estimate of the folder's model (Llama 3.1 8B fits an H100).
    await s.page.locator('.tab[aria-label*="serve-vllm.yaml"]').click();
    const status = s.page.locator('.statusbar-item', { hasText: /fits/ }).first();
    await status.waitFor({ timeout: 30_000 });
    assert.match(nbsp(await status.textContent()), /fits/);
    assert.doesNotMatch(nbsp(await status.textContent()), /does not fit/);
    await s.screenshot('22-trusted');
    assert.doesNotMatch(await problems(), /Unknown model/);
  });
});
