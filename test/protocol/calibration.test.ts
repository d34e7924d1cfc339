/**
 * The editor applies the calibration `deploy-advisor calibrate` wrote (issue 23 item 3), over real LSP messages: the
 * estimate of a file below the config states the factors, and a re-written config is re-read on the watched-file change.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { LspClient } from '../support/lspClient';

const entry = (bandwidth: number) =>
  `# team defaults\ncalibration:\n  - gpu: H200\n    engine: vllm\n    bandwidth: ${bandwidth}\n    compute: 0.7\n    sources: [runs/c8.json]\n    fitted: "2026-12-03"\n`;
const tpotOf = (markdown: string) => Number(/TPOT[^\d]*([\d.]+) ms/.exec(markdown)?.[1]);

describe('calibration in the language server', () => {
  const lsp = new LspClient();
  before(() => lsp.initialize());
  after(async () => assert.equal(await lsp.close(), 0));

  it('an estimate below the config says it is calibrated, and follows the config when it changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-lsp-cal-'));
    fs.mkdirSync(path.join(dir, '.git'));
    const file = path.join(dir, 'vllm-config.yaml');
    fs.copyFileSync(fixture('calibration-runs', 'paired', 'vllm-config.yaml'), file);
    const uri = lsp.open(file);
    await lsp.diagnostics(uri);
    const plain = await lsp.request<{ markdown: string }>('deployAdvisor/estimate', { uri });
    assert.doesNotMatch(plain.markdown, /Calibrated on your runs/);

    const config = path.join(dir, '.deploy-advisor.yaml');
    fs.writeFileSync(config, entry(1.5));
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 1 }] });
    const fast = await lsp.request<{ markdown: string }>('deployAdvisor/estimate', { uri });
    assert.match(fast.markdown, /Calibrated on your runs \(.*\.deploy-advisor\.yaml\): NVIDIA H200 SXM 141GB × vllm bandwidth ×1\.5/);
    assert.ok(tpotOf(fast.markdown) < tpotOf(plain.markdown), `TPOT ${tpotOf(plain.markdown)} → ${tpotOf(fast.markdown)}`);

    fs.writeFileSync(config, entry(0.5));
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    const slow = await lsp.request<{ markdown: string }>('deployAdvisor/estimate', { uri });
    assert.ok(tpotOf(slow.markdown) > tpotOf(plain.markdown), `TPOT ${tpotOf(plain.markdown)} → ${tpotOf(slow.markdown)}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
