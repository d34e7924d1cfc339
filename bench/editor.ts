/**
 * The extension in a real editor (code-server with the packaged .vsix, as the editor tests run it): activation time
 * (activate() to the language client running, as the extension logs it) and the time from opening a config to its
 * first squiggle. Fresh editor per run; medians of RUNS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openFile, startEditor } from '../test/editor/codeServer';

const root = path.resolve(__dirname, '../..');
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function activationMs(logsDir: string): number | undefined {
  const walk = (d: string): string[] => (fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)])) : []);
  for (const f of walk(logsDir).filter((f) => f.endsWith('.log'))) {
    const m = /Deploy Advisor started in (\d+) ms/.exec(fs.readFileSync(f, 'utf8'));
    if (m) return Number(m[1]);
  }
  return undefined;
}

export async function benchEditor(): Promise<string[]> {
  const vsix = path.join(root, 'dist', 'deploy-advisor.vsix');
  if (!fs.existsSync(vsix)) return ['| (skipped: dist/deploy-advisor.vsix missing; run npm run package) | |'];
  const activation: number[] = [];
  const firstSquiggle: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = await startEditor({
      vsix, shotsDir: path.join(os.tmpdir(), 'deploy-advisor-bench-shots'),
      files: { 'llama-70b.yaml': fs.readFileSync(path.join(root, 'test-fixtures', 'vllm', 'llama-3.1-70b-one-gpu.yaml'), 'utf8') },
    });
    try {
      const t0 = performance.now();
      await openFile(s.page, 'llama-70b.yaml');
      await s.page.waitForSelector('.squiggly-error', { timeout: 60_000 });
      firstSquiggle.push(performance.now() - t0);
      for (let tries = 0; tries < 50 && activationMs(s.logsDir) === undefined; tries++) await s.page.waitForTimeout(100);
      const ms = activationMs(s.logsDir);
      if (ms !== undefined) activation.push(ms);
    } finally {
      await s.close();
    }
  }
  return [
    `| extension activation (activate() → language client running), median of ${activation.length} | ${activation.length ? `${median(activation)} ms` : 'not found in the logs'} |`,
    `| open a vLLM config → first squiggle (activation included, first file), median of ${firstSquiggle.length} | ${median(firstSquiggle).toFixed(0)} ms |`,
  ];
}
