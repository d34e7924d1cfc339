/**
 * `deploy-advisor calibrate <files or folders>`: fits the estimator's efficiency factors per GPU and engine on the
 * benchmark results found there (each beside the config or engine log of its deployment), prints the error before and
 * after on the fitted and the held-out runs, and writes the factors to `.deploy-advisor.yaml` (or the calibration file
 * it points at), where every later estimate below it uses them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { calibrationRuns } from '../calibrate/runs';
import { CalibrationFit, fitCalibration, GroupFit } from '../calibrate/fit';
import { calibrationPointer, withCalibration } from '../calibrate/configEdit';
import { readCalibrationInputs } from '../node/calibrationInputs';
import { RepoConfigStore } from '../node/repoConfig';
import { CONFIG_FILE_NAMES, parseRepoConfig } from '../policy/repoConfig';
import type { CalibrationError } from '../plan/calibration';
import { engineNames, sourced } from '../plan/types';
import type { EngineName } from '../plan/types';
import type { CliCommand } from './command';
import { flagContext } from './check';
import { declare, hardwareFlags, jsonFlag, sourceFlags, toFlags } from './flags';
import { int, UsageError } from './options';
import { depsFrom } from './target';

/** Where the factors go: --config, else the nearest config above the first path, else a new one at the repository root. */
function configTarget(first: string, explicit: string | undefined): string {
  if (explicit) return path.resolve(explicit);
  const abs = path.resolve(first);
  const dir = fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  const found = new RepoConfigStore().forFile(path.join(dir, CONFIG_FILE_NAMES[0]));
  if (found) return found.file;
  for (let d = dir; path.dirname(d) !== d; d = path.dirname(d)) if (fs.existsSync(path.join(d, '.git'))) return path.join(d, CONFIG_FILE_NAMES[0]);
  return path.join(dir, CONFIG_FILE_NAMES[0]);
}

const pct = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(1)} %`);
const errLine = (label: string, before: CalibrationError, after: CalibrationError) =>
  `  ${label.padEnd(16)} TTFT ${pct(before.ttftPct)} → ${pct(after.ttftPct)}   TPOT ${pct(before.tpotPct)} → ${pct(after.tpotPct)}`;

function groupText(g: GroupFit): string[] {
  const e = g.entry;
  const factors = [
    e.bandwidth !== undefined ? `bandwidth ×${e.bandwidth.toFixed(3)}` : 'bandwidth not fitted (no TPOT)',
    e.compute !== undefined ? `compute ×${e.compute.toFixed(3)}` : 'compute not fitted (no TTFT)',
    e.stepOverheadMs !== undefined ? `step overhead ${e.stepOverheadMs.toFixed(2)} ms` : 'step overhead built-in (fewer than 4 fitted runs)',
  ];
  const fitted = g.runs.filter((r) => !r.heldOut).length;
  const held = g.runs.length - fitted;
  const lines = [`${g.gpuName} × ${g.engine}: ${g.runs.length} run(s), ${fitted} fitted, ${held} held out`, `  ${factors.join(', ')}`, '  median |error|   before → after'];
  lines.push(errLine(`fitted (${fitted})`, e.error!.fit!.before, e.error!.fit!.after));
  if (e.error?.heldOut) lines.push(errLine(`held out (${held})`, e.error.heldOut.before, e.error.heldOut.after));
  else lines.push('  held out         none (a group needs 3 runs before one is held out)');
  return lines;
}

export function calibrateText(fit: CalibrationFit, written: string | undefined, runsRead: number): string {
  const lines: string[] = [];
  if (!fit.groups.length) lines.push(`No run to calibrate on among ${runsRead} file(s) read: calibrate needs benchmark results (vllm bench, aiperf, genai-perf, InferenceX) with the deployment that produced them.`);
  for (const g of fit.groups) lines.push(...groupText(g), '');
  if (fit.skipped.length) lines.push('Not used:', ...fit.skipped.map((s) => `  ${s.file}: ${s.why}`), '');
  if (written) lines.push(`Wrote ${fit.groups.length} calibration entr${fit.groups.length === 1 ? 'y' : 'ies'} to ${written}: every estimate below it uses them and says so. Memory is never calibrated.`);
  else if (fit.groups.length) lines.push('Dry run: nothing written.');
  return lines.join('\n').trimEnd();
}

export const calibrateCommand: CliCommand = {
  name: 'calibrate',
  summary: 'fit the estimator\'s per-GPU, per-engine efficiency factors on your benchmark results and write them to .deploy-advisor.yaml',
  usage: 'calibrate <file|folder>... [options]',
  ...declare(
    {
      'config': { type: 'string', value: 'FILE', help: 'the config to write (default: the nearest .deploy-advisor.yaml above the first path, else one at the repository root)' },
      'dry-run': { type: 'boolean', help: 'fit and print, write nothing' },
      'tensor-parallel': { type: 'string', value: 'N', help: 'tensor parallelism of results that do not state it and have no deployment file beside them' },
    },
    { gpu: { ...hardwareFlags.gpu, help: 'GPU of results that name none and have no deployment file beside them' }, engine: { ...hardwareFlags.engine, help: 'engine of results whose client does not name it' }, 'engine-version': hardwareFlags['engine-version'] },
    { 'gpus-file': sourceFlags['gpus-file'] },
    { ...jsonFlag, json: { type: 'boolean', help: 'print the fit as JSON: { config, written, groups: [{ gpu, engine, factors, error, runs }], skipped }' } },
  ),
  epilog: [
    'Each result is paired with the deployment that produced it: a serving config or engine log beside it (the nearest',
    'folder up) serving the same model on the same engine, the result\'s own stated parallelism and GPU over it. Every',
    'third run of a group (by file name) is held out of the fit and reported apart. Fitted: achievable bandwidth (TPOT),',
    'tensor-core rate (TTFT) and, from 4 runs on, the engine\'s per-step overhead; never memory.',
    'Exit status: 0 when a group was fitted, 1 when no run could be used, 2 on usage errors.',
  ].join('\n'),
  run(positionals, values) {
    if (!positionals.length) throw new UsageError('calibrate needs the result files or folders to fit on');
    for (const p of positionals) if (!fs.existsSync(p)) throw new UsageError(`${p}: no such file or folder`);
    const flags = toFlags(values);
    const deps = depsFrom(flags);
    const over = flagContext(flags);
    const engine = values.engine;
    if (engine !== undefined && !engineNames.includes(engine as EngineName)) throw new UsageError(`--engine must be one of ${engineNames.join(', ')}`);
    const tp = int(flags, 'tensor-parallel');
    const target = configTarget(positionals[0], typeof values.config === 'string' ? values.config : undefined);
    const existing = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (existing !== undefined) {
      const loaded = parseRepoConfig(target, existing);
      if (loaded.problems.length) throw new UsageError(`${target}: ${loaded.problems.join('; ')}`);
    }
    const pointer = existing !== undefined ? calibrationPointer(existing) : undefined;
    const writeTo = pointer ? path.resolve(path.dirname(target), pointer) : target;
    const root = path.dirname(writeTo);
    const { inputs, skipped } = readCalibrationInputs(positionals, root, new RepoConfigStore(), over);
    for (const i of inputs) {
      if (i.measured?.kind !== 'benchmark-result') continue;
      const plan = i.measured.plan;
      if (tp !== undefined && !plan.knobs.tensorParallel) plan.knobs.tensorParallel = sourced(tp, { kind: 'cli', flag: '--tensor-parallel' });
      if (engine && plan.engine.name.source.kind !== 'file') plan.engine.name = sourced(engine as EngineName, { kind: 'cli', flag: '--engine' });
    }
    const paired = calibrationRuns(inputs);
    const fit = fitCalibration(paired.runs, [...skipped, ...paired.skipped], deps, new Date().toISOString().slice(0, 10));
    let written: string | undefined;
    if (fit.groups.length && !values['dry-run']) {
      const current = writeTo === target ? existing : fs.existsSync(writeTo) ? fs.readFileSync(writeTo, 'utf8') : undefined;
      const text = withCalibration(current, fit.groups.map((g) => g.entry));
      // Never leave a config the next run refuses.
      const check = parseRepoConfig(writeTo, text);
      if (check.problems.length) throw new Error(`internal: the calibration written would be invalid: ${check.problems.join('; ')}`);
      fs.mkdirSync(path.dirname(writeTo), { recursive: true });
      fs.writeFileSync(writeTo, text);
      written = path.relative(process.cwd(), writeTo) || writeTo;
    }
    if (values.json) {
      const groups = fit.groups.map((g) => ({ gpu: g.gpu, engine: g.engine, factors: { bandwidth: g.entry.bandwidth, compute: g.entry.compute, stepOverheadMs: g.entry.stepOverheadMs }, error: g.entry.error, runs: g.runs }));
      process.stdout.write(`${JSON.stringify({ config: writeTo, written: !!written, groups, skipped: fit.skipped }, null, 2)}\n`);
    } else {
      process.stdout.write(`${calibrateText(fit, written, inputs.length)}\n`);
    }
    return fit.groups.length ? 0 : 1;
  },
};
