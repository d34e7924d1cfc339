/** `deploy-advisor report`: the visual report as one self-contained HTML file. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { evaluate } from '../pipeline';
import { reportData } from '../report/data';
import { reportHtml } from '../../../report-view/page';
import type { CliCommand } from './command';
import { declare, toFlags } from './flags';
import { applyFlags, Flags, UsageError } from './options';
import { depsFrom, prefetch, readTarget } from './target';
import { trainingReportFor } from './trainingReport';
import { ESTIMATE_EXIT, estimateExitCode, estimateFlags, oneTarget, OPTIMIZE_ONLY } from './estimate';
import { gatherMeasured } from '../node/measuredResults';

export function runReport(target: string, flags: Flags): { output: string; code: number } {
  for (const name of flags.keys()) if (OPTIMIZE_ONLY.has(name)) throw new UsageError(`--${name} does not apply to report`);
  let read;
  try {
    read = readTarget(target);
  } catch (e) {
    // A file no serving reader claims may be a fine-tuning config (as in the editor's pipeline).
    const training = e instanceof UsageError ? trainingReportFor(target) : undefined;
    if (!training) throw e;
    if (training.error) throw new UsageError(`${target}: ${training.error}`);
    const script = fs.readFileSync(path.join(__dirname, 'report-view.js'), 'utf8');
    return { output: reportHtml(training.data, { nonce: randomBytes(18).toString('base64'), script: { inline: script }, title: `Deploy Advisor — ${path.basename(target)}` }), code: training.code };
  }
  for (const plan of read.plans) applyFlags(plan, flags);
  const deps = depsFrom(flags);
  const analysis = evaluate(read, deps);
  // __dirname is dist/ in the bundle (dist/cli.js), where esbuild also writes report-view.js.
  const script = fs.readFileSync(path.join(__dirname, 'report-view.js'), 'utf8');
  const output = reportHtml(reportData(analysis, deps, undefined, gatherMeasured(target)), { nonce: randomBytes(18).toString('base64'), script: { inline: script }, title: `Deploy Advisor — ${path.basename(target)}` });
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

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'the visual report (memory, KV, latency curves, what-ifs) as one self-contained HTML file; takes the estimate options too',
  usage: 'report <file> --html OUT [options]',
  ...declare({ html: { type: 'string', value: 'OUT', help: 'the HTML file to write (required)' } }, ...estimateFlags),
  epilog: ESTIMATE_EXIT,
  async run(positionals, values) {
    const target = oneTarget('report', positionals);
    if (values.hub) await prefetch(target);
    return writeReport(target, toFlags(values));
  },
};
