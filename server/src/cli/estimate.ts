/** `deploy-advisor estimate`: the estimate of every workload the file holds, as Markdown or the --json contract. */
import { Analysis, evaluate, workloadFindings } from '../pipeline';
import { estimateToJson } from '../report/json';
import { measuredJson } from '../measured/json';
import { analysisMarkdown } from '../report/markdown';
import { deploymentVerdict } from '../verdict';
import type { CliCommand } from './command';
import { clientFlags, declare, hardwareFlags, jsonFlag, knobFlags, sloFlags, sourceFlags, toFlags, workloadFlags } from './flags';
import { applyFlags, Flags, UsageError } from './options';
import { depsFrom, prefetch, readTarget } from './target';

/** Flags `optimize` reads that mean nothing to one estimate. */
export const OPTIMIZE_ONLY = new Set(['max-gpus']);

/**
 * The exit status of `estimate` and `report` (one function, so the two commands never disagree; the README's "Exit
 * status" paragraph documents it): 2 when a workload could not be estimated or the file holds none (an input error),
 * 1 when a workload does not fit its GPUs, 0 when every workload fits.
 */
export function estimateExitCode(analysis: Analysis): 0 | 1 | 2 {
  if (analysis.workloads.length === 0 || analysis.workloads.some((w) => !w.estimate)) return 2;
  // A workload that does not fit or will not start (the verdict the editor shows) fails the check.
  return analysis.workloads.some((w, i) => deploymentVerdict(w.estimate!, workloadFindings(analysis, i)).kind !== 'fits') ? 1 : 0;
}

export function runEstimate(target: string, flags: Flags): { output: string; code: number } {
  for (const name of flags.keys()) if (OPTIMIZE_ONLY.has(name) || name === 'html') throw new UsageError(`--${name} does not apply to estimate`);
  const read = readTarget(target);
  const deps = depsFrom(flags);
  for (const plan of read.plans) applyFlags(plan, flags);
  const analysis = evaluate(read, deps);
  const code = estimateExitCode(analysis);
  if (flags.get('json')) {
    // Each workload's object carries its own findings and the file-level ones.
    const items = analysis.workloads.map((w, i) =>
      w.estimate ? estimateToJson(w.estimate, workloadFindings(analysis, i)) : { model: { id: w.plan.model.ref.value }, error: (w.failure ?? []).map((x) => x.message).join(' ') });
    // A log or benchmark result: what it measured, beside the estimate of the configuration it states.
    if (analysis.measured && items.length === 1) Object.assign(items[0], { measured: measuredJson(analysis.measured.run) });
    return { output: JSON.stringify(items.length === 1 ? items[0] : items, null, 2), code };
  }
  return { output: analysisMarkdown(analysis), code };
}

export const ESTIMATE_EXIT = 'Exit status (estimate and report alike): 0 when every workload fits, 1 when one does not fit or will not start, 2 on usage or input\nerrors (also when no workload could be estimated).';

/** The options estimate and report share: what the file says, overridden from the command line. */
export const estimateFlags = [hardwareFlags, workloadFlags, sloFlags, clientFlags, knobFlags, sourceFlags];

/** A target and nothing more (estimate, optimize and report take one file, folder or model id). */
export function oneTarget(command: string, positionals: string[]): string {
  const [target, ...rest] = positionals;
  if (!target) throw new UsageError(`${command} needs a file, a folder or a model id`);
  if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
  return target;
}

export const estimateCommand: CliCommand = {
  name: 'estimate',
  summary: 'estimate a config.json, a folder holding one, a serving config (vLLM, SGLang, TensorRT-LLM, Kubernetes, Helm, Compose, profile) or a model id from the built-in catalog',
  usage: 'estimate <file> [options]',
  ...declare(...estimateFlags, { ...jsonFlag, json: { type: 'boolean', help: 'print the estimate as JSON (an array for multi-workload files)' } }),
  epilog: ESTIMATE_EXIT,
  async run(positionals, values) {
    const target = oneTarget('estimate', positionals);
    if (values.hub) await prefetch(target);
    const { output, code } = runEstimate(target, toFlags(values));
    process.stdout.write(`${output}\n`);
    return code;
  },
};
