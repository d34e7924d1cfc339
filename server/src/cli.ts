/**
 * `deploy-advisor` CLI: the terminal/CI adapter over the same pipeline the language server uses.
 * Flag names and the --json shape are a public contract (see README "CLI").
 * This entry (bundled as dist/cli.js) only dispatches; each command lives in its own file under cli/ and is declared
 * as a CliCommand (cli/command.ts): its flags parsed by util.parseArgs, its --help and did-you-mean from the same table.
 */
import { globalHelp } from './cli/help';
import { Flags, UsageError } from './cli/options';
import { commands, findCommand } from './cli/commands';
import { parseCommandArgs, runCommand } from './cli/command';
import { estimateCommand } from './cli/estimate';
import { toFlags } from './cli/flags';
import { didYouMean } from './text/didYouMean';
import { TOOL } from './check/tool';

export { applyFlags } from './cli/options';
export { estimateExitCode, runEstimate } from './cli/estimate';
export { runOptimize } from './cli/optimize';
export { runReport } from './cli/report';

/** The estimate command's flags parsed as the CLI does (kept for callers of the former shared parser). */
export function parseArgs(argv: string[]): { positional: string[]; flags: Flags } {
  const { positionals, values } = parseCommandArgs(estimateCommand, argv, commands);
  return { positional: positionals, flags: toFlags(values) };
}

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv.includes('--version')) {
      process.stdout.write(`${TOOL.version}\n`);
      return 0;
    }
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h') {
      process.stdout.write(`${globalHelp(commands)}\n`);
      return name === undefined ? 2 : 0;
    }
    const command = findCommand(name);
    if (!command) {
      const near = didYouMean(name, commands.map((c) => c.name));
      throw new UsageError(`unknown command "${name}"${near ? ` (did you mean ${near}?)` : ''}; one of: ${commands.map((c) => c.name).join(', ')}`);
    }
    return await runCommand(command, rest, commands);
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
