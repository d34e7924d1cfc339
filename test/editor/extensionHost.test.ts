/**
 * The extension-host suite (test/electron/suite) inside code-server's real Node extension host: the workbench URL
 * carries extensionDevelopmentPath (this checkout, built) and extensionTestsPath, the same pair desktop VS Code takes
 * on its command line. The suite writes its outcome to a file, which this test reads.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { root } from '../support/paths';
import { launchChromium, startCodeServer } from './codeServer';

it('extension-host suite in code-server (extensionDevelopmentPath + extensionTestsPath)', { timeout: 180_000 }, async () => {
  const result = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'da-suite-')), 'result.json');
  const cs = await startCodeServer({ workspace: path.join(root, 'test-fixtures'), env: { DEPLOY_ADVISOR_SUITE_RESULT: result } });
  const browser = await launchChromium();
  try {
    const remote = (p: string) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(path.join(root, 'out', 'test', 'electron', 'suite', 'index.js'))],
    ]);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${cs.url}&payload=${encodeURIComponent(payload)}`);
    const deadline = Date.now() + 120_000;
    while (!fs.existsSync(result)) {
      if (Date.now() > deadline) throw new Error('the extension-host suite did not report within 120 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    const outcome = JSON.parse(fs.readFileSync(result, 'utf8')) as { ok: boolean; error?: string };
    assert.ok(outcome.ok, outcome.error);
  } finally {
    await browser.close();
    cs.stop();
  }
});
