/** `deploy-advisor report`: the visual report as one self-contained HTML file. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { evaluate } from '../pipeline';
import { reportData } from '../report/data';
import { reportHtml } from '../../../report-view/page';
import { applyFlags, Flags, UsageError } from './options';
import { depsFrom, readTarget } from './target';
import { estimateExitCode, OPTIMIZE_ONLY } from './estimate';

export function runReport(target: string, flags: Flags): { output: string; code: number } {
  for (const name of flags.keys()) if (OPTIMIZE_ONLY.has(name)) throw new UsageError(`--${name} does not apply to report`);
  const read = readTarget(target);
  for (const plan of read.plans) applyFlags(plan, flags);
  const deps = depsFrom(flags);
  const analysis = evaluate(read, deps);
  // __dirname is dist/ in the bundle (dist/cli.js), where esbuild also writes report-view.js.
  const script = fs.readFileSync(path.join(__dirname, 'report-view.js'), 'utf8');
  const output = reportHtml(reportData(analysis, deps), { nonce: randomBytes(18).toString('base64'), script: { inline: script }, title: `Deploy Advisor — ${path.basename(target)}` });
  return { output, code: estimateExitCode(analysis) };
}

/** The `report` command: checks its arguments, writes the page to --html OUT, returns the exit status. */
export function writeReport(target: string | undefined, flags: Flags): number {
  if (!target) throw new UsageError('report needs a file, a folder or a model id');
  const out = flags.get('html');
  if (typeof out !== 'string') throw new UsageError('report needs --html OUT.html');
  // The page is written whatever the verdict (it shows why a file does not fit); the status says the verdict.
  const { output, code } = runReport(target, flags);
  fs.writeFileSync(out, output);
  process.stderr.write(`deploy-advisor: wrote ${out}\n`);
  return code;
}
