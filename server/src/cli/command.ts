/**
 * A CLI command declared once: its flags (node's util.parseArgs option table), usage and summary. `--help` text and
 * did-you-mean for unknown flags come from the same declaration (cli/commandRunner.ts).
 */
import type { ParseArgsConfig } from 'node:util';
import { parseArgs } from 'node:util';
import { didYouMean } from '../text/didYouMean';
import { UsageError } from './options';

export type CommandOptions = NonNullable<ParseArgsConfig['options']>;
export type CommandValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** `deploy-advisor NAME …` synopsis, e.g. `train <file|model> [options]`. */
  usage: string;
  options: CommandOptions;
  /** One line of help per option, by option name (the value's placeholder included, e.g. `--gpus N  GPUs per node`). */
  optionHelp: Record<string, string>;
  /** Returns the exit status; writes its own stdout. Throws UsageError for bad arguments (exit 2). */
  run(positionals: string[], values: CommandValues): Promise<number> | number;
}

export function commandHelp(c: CliCommand): string {
  const lines = [`Usage: deploy-advisor ${c.usage}`, '', c.summary, '', 'Options:'];
  for (const name of Object.keys(c.options)) lines.push(`  ${c.optionHelp[name] ?? `--${name}`}`);
  lines.push('  --help');
  return lines.join('\n');
}

/** Parses argv (after the command name) strictly against the command's declaration. */
export function parseCommandArgs(c: CliCommand, argv: string[]): { positionals: string[]; values: CommandValues } {
  const options: CommandOptions = { ...c.options, help: { type: 'boolean', short: 'h' } };
  try {
    const { positionals, values } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { positionals, values: values as CommandValues };
  } catch (e) {
    const m = /Unknown option '--?([^']+)'/.exec((e as Error).message);
    if (m) {
      const near = didYouMean(m[1], Object.keys(options));
      throw new UsageError(`unknown option --${m[1]} for ${c.name}${near ? ` (did you mean --${near}?)` : ''}`);
    }
    throw new UsageError((e as Error).message.replace(/\. To specify .*$/s, ''));
  }
}

export async function runCommand(c: CliCommand, argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(c, argv);
  if (values.help) {
    process.stdout.write(`${commandHelp(c)}\n`);
    return 0;
  }
  return c.run(positionals, values);
}
