/**
 * `deploy-advisor` CLI: the terminal/CI adapter over the same pipeline the language server uses.
 * Flag names and the --json shape are a public contract (see README "CLI").
 * This entry (bundled as dist/cli.js) only dispatches; each command lives in its own file under cli/.
 */
import { HELP } from './cli/help';
import { parseArgs, UsageError } from './cli/options';
import { prefetch } from './cli/target';
import { runEstimate } from './cli/estimate';
import { runOptimize } from './cli/optimize';
import { writeReport } from './cli/report';
import { runEvidence } from './cli/evidence';
import { findCommand } from './cli/commands';
import { runCommand } from './cli/command';

export { applyFlags, parseArgs } from './cli/options';
export { estimateExitCode, runEstimate } from './cli/estimate';
export { runOptimize } from './cli/optimize';
export { runReport } from './cli/report';

export async function main(argv: string[]): Promise<number> {
  try {
    const declared = argv[0] ? findCommand(argv[0]) : undefined;
    if (declared) return await runCommand(declared, argv.slice(1));
    const { positional, flags } = parseArgs(argv);
    if (flags.get('hub') && positional[1]) await prefetch(positional[1]);
    if (flags.get('version')) {
      process.stdout.write(`${process.env.DEPLOY_ADVISOR_VERSION ?? '0.1.0'}\n`);
      return 0;
    }
    if (flags.get('help') || positional.length === 0) {
      process.stdout.write(`${HELP}\n`);
      return flags.get('help') ? 0 : 2;
    }
    const [command, target, ...rest] = positional;
    if (command === 'evidence') {
      process.stdout.write(`${runEvidence(target, flags)}\n`);
      return 0;
    }
    if (command === 'report') return writeReport(target, flags);
    if (command !== 'estimate' && command !== 'optimize') throw new UsageError(`unknown command "${command}" (try: deploy-advisor estimate <file>)`);
    if (!target) throw new UsageError(`${command} needs a file, a folder or a model id`);
    if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
    const { output, code } = command === 'estimate' ? runEstimate(target, flags) : runOptimize(target, flags);
    process.stdout.write(`${output}\n`);
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`deploy-advisor: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`deploy-advisor: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
