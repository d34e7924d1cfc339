/**
 * `deploy-advisor check [PATH...]`: every deployment config under the paths (walk: check/walk.ts; analysis with the
 * repository's .deploy-advisor.yaml and suppression comments: check/scan.ts), rendered as text, JSON, SARIF, GitHub
 * annotations or JUnit. Exit status: 1 when a finding is at or above --fail-on, 0 otherwise, 2 on usage errors.
 * --gpu and the workload/SLO flags are defaults here (used where a file is silent), since each file states its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkFormats, CheckFormat, renderCheck } from '../check/render';
import { scan } from '../check/scan';
import { FailOn, failOnValues, fails } from '../check/types';
import { Walker } from '../check/walk';
import type { ReadContext } from '../formats/types';
import { loadRepoConfig, RepoConfigStore } from '../node/repoConfig';
import { byDefault, sourced, Workload } from '../plan/types';
import type { CliCommand, CommandValues } from './command';
import { declare, hardwareFlags, sloFlags, sourceFlags, toFlags, workloadFlags } from './flags';
import { Flags, int, positive, UsageError } from './options';
import { depsFrom } from './target';

/** --gpu, --gpus, --engine-version and the workload and SLO flags as a reader's context (defaults below the file). */
export function flagContext(flags: Flags): Partial<ReadContext> {
  const cli = (flag: string) => ({ kind: 'cli' as const, flag: `--${flag}` });
  const ctx: Partial<ReadContext> = {};
  const gpu = flags.get('gpu');
  if (typeof gpu === 'string') ctx.gpu = sourced(gpu, cli('gpu'));
  const gpus = int(flags, 'gpus');
  if (gpus !== undefined) ctx.gpuCount = sourced(gpus, cli('gpus'));
  const version = flags.get('engine-version');
  if (typeof version === 'string') ctx.engineVersion = sourced(version, cli('engine-version'));
  const w: Partial<Workload> = {};
  const inputLen = int(flags, 'input-len');
  if (inputLen !== undefined) w.inputLen = sourced(inputLen, cli('input-len'));
  const outputLen = int(flags, 'output-len');
  if (outputLen !== undefined) w.outputLen = sourced(outputLen, cli('output-len'));
  const conc = flags.get('concurrency');
  const rate = positive(flags, 'request-rate');
  if (conc !== undefined && rate !== undefined) throw new UsageError('give --concurrency or --request-rate, not both');
  if (conc !== undefined) w.concurrency = sourced(conc === 'max' ? 'max' : int(flags, 'concurrency')!, cli('concurrency'));
  if (rate !== undefined) {
    w.requestRate = sourced(rate, cli('request-rate'));
    w.concurrency = byDefault(1, 'from the request rate');
  }
  if (Object.keys(w).length) ctx.workload = w;
  for (const [flag, key] of [['ttft-ms', 'ttftMs'], ['tpot-ms', 'tpotMs'], ['min-throughput', 'minThroughput']] as const) {
    const v = positive(flags, flag);
    if (v !== undefined) ctx.slo = { ...ctx.slo, [key]: sourced(v, cli(flag)) };
  }
  return ctx;
}

function choice<T extends string>(v: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got ${String(v)})`);
  return v as T;
}

/**
 * --format and --output paired in order: `--format sarif --output x.sarif --format github` writes the SARIF file and
 * prints the annotations, from one scan (what a CI job wants). At most one output goes to stdout.
 */
export function outputs(values: CommandValues): Array<{ format: CheckFormat; file?: string }> {
  const formats = (values.format as string[] | undefined) ?? [];
  const files = (values.output as string[] | undefined) ?? [];
  if (files.length > Math.max(1, formats.length)) throw new UsageError('more --output than --format: each --output takes the --format given in the same position');
  const list = (formats.length ? formats : ['text']).map((f, i) => ({ format: choice<CheckFormat>(f, 'format', checkFormats, 'text'), file: files[i] }));
  if (list.filter((o) => !o.file).length > 1) throw new UsageError('only one --format can go to stdout; give the others an --output FILE');
  return list;
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'check every deployment config under the paths (default: the current folder), respecting .gitignore and .deploy-advisor.yaml; for CI',
  usage: 'check [PATH...] [options]',
  ...declare(
    {
      'format': { type: 'string', multiple: true, value: 'text|json|sarif|github|junit', help: 'output format (default text); github: workflow-command annotations. Repeat it with --output to write several from one run' },
      'output': { type: 'string', multiple: true, value: 'FILE', help: 'write the output to FILE instead of stdout (the nth --output takes the nth --format)' },
      'fail-on': { type: 'string', value: 'error|warning|info|never', help: 'exit 1 when a finding is at or above this severity (default error)' },
      'root': { type: 'string', value: 'DIR', help: 'paths in the output are relative to DIR (default: the current folder)' },
      'config': { type: 'string', value: 'FILE', help: 'the config to use for every file (default: the nearest .deploy-advisor.yaml above each)' },
    },
    { gpu: { ...hardwareFlags.gpu, help: 'GPU where a file names none (default H100 SXM)' }, gpus: { ...hardwareFlags.gpus, help: 'GPUs per replica where a file does not say' }, 'engine-version': hardwareFlags['engine-version'] },
    workloadFlags, sloFlags, { 'gpus-file': sourceFlags['gpus-file'] },
  ),
  epilog: [
    'The GPU, workload and SLO flags apply where a file states none (the file, its profile and its # deploy-advisor:',
    'directive come first, then these flags, then .deploy-advisor.yaml). Suppress a finding with',
    '# deploy-advisor-disable-next-line RULE[,RULE] or # deploy-advisor-disable RULE (to the end of the file).',
    'Exit status: 1 when a finding is at or above --fail-on, 0 otherwise, 2 on usage errors (bad flags, a missing path,',
    'an invalid config file).',
  ].join('\n'),
  run(positionals, values) {
    const targets = outputs(values);
    const failOn = choice<FailOn>(values['fail-on'], 'fail-on', failOnValues, 'error');
    const paths = positionals.length ? positionals : ['.'];
    for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`${p}: no such file or folder`);
    const root = path.resolve(typeof values.root === 'string' ? values.root : '.');
    const flags = toFlags(values);
    const over = flagContext(flags);
    const deps = depsFrom(flags);
    const configs = new RepoConfigStore();
    let config;
    if (typeof values.config === 'string') {
      if (!fs.existsSync(values.config)) throw new UsageError(`--config: ${values.config}: no such file`);
      config = loadRepoConfig(values.config);
    }
    const walker = new Walker(configs);
    const files = walker.files(paths);
    // A broken config would silently change what CI checks: say so and stop.
    const bad = [config, ...files.map((f) => configs.forFile(f))].filter((c) => c?.problems.length);
    if (bad.length) throw new UsageError(`${path.relative(process.cwd(), bad[0]!.file) || bad[0]!.file}: ${bad[0]!.problems.join('; ')}`);
    const report = scan(files, { root, deps, configs, config, over });
    for (const s of report.skipped) process.stderr.write(`deploy-advisor: ${s.file}: not read (${s.reason})\n`);
    for (const t of targets) {
      const out = renderCheck(report, t.format, failOn);
      if (t.file) {
        fs.mkdirSync(path.dirname(path.resolve(t.file)), { recursive: true });
        fs.writeFileSync(t.file, `${out}\n`);
      } else if (out) {
        process.stdout.write(`${out}\n`);
      }
    }
    return report.findings.some((f) => fails(f.severity, failOn)) ? 1 : 0;
  },
};
