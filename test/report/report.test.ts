import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser, chromium, Page } from 'playwright-core';
import { dist, fixture } from '../support/paths';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(chromiumPath);
/** Screenshots land here for a person to look at, beside the editor tests' (test-output/editor). */
const shots = path.resolve(__dirname, '../../../test-output/report');

function report(file: string, ...args: string[]): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'da-report-')), 'report.html');
  const r = spawnSync(process.execPath, [dist('cli.js'), 'report', file, '--html', out, ...args], { encoding: 'utf8' });
  // The page is written whatever the verdict; the status is estimate's (1 for a deployment that does not fit).
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  assert.ok(fs.existsSync(out), r.stderr);
  return out;
}

describe('visual report (deploy-advisor report --html, rendered in Chromium)', { skip: haveChromium ? false : `Chromium not found at ${chromiumPath}: run scripts/setup.sh` }, () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
    fs.mkdirSync(shots, { recursive: true });
  });
  after(async () => browser?.close());

  async function open(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 }, colorScheme });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
    await page.goto(`file://${file}`);
    await page.waitForSelector('canvas#memory-chart');
    return { page, errors, requests };
  }

  it('shows the host memory tiers beside the GPU memory when a tier is on (CPU weight offload here)', async () => {
    const { page, errors } = await open(report(fixture('kubernetes', 'vllm-offload-statefulset.yaml')));
    assert.deepEqual(errors, []);
    const rows = await page.$$eval('.host-memory tbody tr', (r) => r.map((x) => x.textContent ?? ''));
    assert.ok(rows.some((r) => /CPU weight offload/.test(r)), rows.join(' | '));
    assert.match(rows[rows.length - 1], /Total host RAM\s*\d/);
  });

  it('draws the Measured section beside benchmark results: predicted lines, measured points, the numbers per result', async () => {
    const { page, errors } = await open(report(fixture('measured', 'gpt-oss-120b-h200-tp8', 'vllm-config.yaml')));
    assert.deepEqual(errors, []);
    assert.equal(await page.$$eval('canvas#measured-ttftMs-chart, canvas#measured-tpotMs-chart', (x) => x.length), 2);
    assert.equal(await page.$$eval('canvas#measured-outputTokensPerSec-chart', (x) => x.length), 0, 'the results state no throughput');
    const rows = await page.$$eval('.measured-points tbody tr', (r) => r.map((x) => x.textContent ?? ''));
    assert.equal(rows.length, 4, rows.join(' | '));
    // C = 4: vllm-bench-c4.json's mean TTFT 136.47 ms and TPOT 3.81 ms.
    assert.match(rows[0], /^4.*136\.5.*3\.81.*vllm-bench-c4\.json:13 \(vllm-bench\)/);
    assert.ok(await page.$eval('.measured', (e) => /1 result\(s\) of other deployments/.test(e.textContent ?? '')));
  });

  it('shows no Measured section without benchmark results beside the file', async () => {
    const { page } = await open(report(fixture('vllm', 'kv-limited-chat.yaml')));
    assert.equal(await page.$$eval('.measured', (x) => x.length), 0);
  });

  it('shows no host memory table without a host tier', async () => {
    const { page } = await open(report(fixture('vllm', 'kv-limited-chat.yaml')));
    assert.equal(await page.$$eval('.host-memory', (x) => x.length), 0);
  });

  it('draws memory, KV, latency and throughput charts, the what-if table and the assumptions, with no CSP errors or remote loads', async () => {
    const { page, errors, requests } = await open(report(fixture('vllm', 'kv-limited-chat.yaml')));
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
    for (const id of ['memory-chart', 'kv-chart', 'ttft-chart', 'tpot-chart', 'throughput-chart']) {
      // A drawn canvas has non-background pixels.
      const inked = await page.$eval(`canvas#${id}`, (c) => {
        const ctx = (c as HTMLCanvasElement).getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
      });
      assert.ok(inked > 500, `${id} looks empty (${inked} pixels)`);
    }
    const text = await page.textContent('body');
    assert.match(text!, /Memory per GPU/);
    assert.match(text!, /requests of \d[\d,]* tokens fit at once/);
    assert.match(text!, /kv-cache-dtype|fp8/i, 'the KV-limited config should offer the FP8 KV what-if');
    assert.match(text!, /Assumptions/);
    const rows = await page.$$eval('table.what-if tbody tr', (r) => r.length);
    assert.ok(rows >= 1);
    assert.equal(await page.$eval('table.what-if button', (b) => (b as HTMLButtonElement).hidden), true, 'Apply needs the editor; hidden in a browser');
    // Each what-if's evidence is collapsed by default: a summary naming the technique, the paper inside.
    const evidence = await page.$$eval('table.what-if details.evidence', (ds) => ds.map((d) => ({ open: (d as HTMLDetailsElement).open, summary: d.querySelector('summary')?.textContent ?? '', text: d.textContent ?? '' })));
    assert.ok(evidence.length >= 1, 'the FP8 KV what-if carries its evidence');
    for (const d of evidence) {
      assert.equal(d.open, false, `evidence "${d.summary}" is open by default`);
      assert.ok(d.summary.length > 0);
    }
    assert.ok(evidence.some((d) => /“.+”/.test(d.text)), 'a cited paper title inside');
    // The optimizer's cheapest plans, best first, with why the runner-up lost.
    assert.match(text!, /Cheapest plans \(vllm; no SLO set/);
    const costs = await page.$$eval('table.plans tbody tr', (rows) => rows.map((r) => Number(r.children[9].textContent!.replace(/,/g, ''))));
    assert.ok(costs.length >= 2 && costs.length <= 5, `plans shown: ${costs.length}`);
    assert.deepEqual(costs, [...costs].sort((a, b) => a - b), 'ranked by cost per million output tokens');
    assert.match((await page.textContent('.cheapest ul.notes'))!, /runner-up .* costs \d+% more per output token/);
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content')!);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    await page.screenshot({ path: path.join(shots, 'report-light.png'), fullPage: true });
    await page.close();
  });

  it('an MoE model\'s cheapest plans name their DP-attention layout', async () => {
    const { page, errors } = await open(report(fixture('sglang', 'deepseek-r1-tp8.yaml')));
    assert.deepEqual(errors, []);
    const layouts = await page.$$eval('table.plans tbody tr', (rows) => rows.map((r) => r.children[2].textContent!));
    assert.ok(layouts.some((l) => /^TP (\d+)( EP \1)? DP-attention \1$/.test(l)), JSON.stringify(layouts));
    await page.close();
  });

  it('follows a dark theme, and a file that does not fit says so', async () => {
    const { page, errors } = await open(report(fixture('vllm', 'llama-3.1-70b-one-gpu.yaml')), 'dark');
    assert.deepEqual(errors, []);
    assert.match((await page.textContent('.verdict'))!, /does not fit/);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(13, 17, 23)');
    await page.screenshot({ path: path.join(shots, 'report-dark.png'), fullPage: true });
    await page.close();
  });
});
