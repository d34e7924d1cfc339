/**
 * A CLI command declared once: its flags (node's util.parseArgs option table), usage and summary. `--help` text and
 * did-you-mean for unknown flags come from the same declaration (flags.ts declares the groups commands share).
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
  /** Paragraphs after the options (exit status, notes). */
  epilog?: string;
  /** Returns the exit status; writes its own stdout. Throws UsageError for bad arguments (exit 2). */
  run(positionals: string[], values: CommandValues): Promise<number> | number;
}

export function commandHelp(c: CliCommand): string {
  const lines = [`Usage: deploy-advisor ${c.usage}`, '', c.summary, '', 'Options:'];
  for (const name of Object.keys(c.options)) lines.push(`  ${c.optionHelp[name] ?? `--${name}`}`);
  lines.push('  --help');
  if (c.epilog) lines.push('', c.epilog);
  return lines.join('\n');
}

/**
 * Parses argv (after the command name) strictly against the command's declaration. `others`: the other commands, so a
 * flag of theirs is "does not apply to" this one rather than unknown.
 */
export function parseCommandArgs(c: CliCommand, argv: string[], others: CliCommand[] = []): { positionals: string[]; values: CommandValues } {
  const options: CommandOptions = { ...c.options, help: { type: 'boolean', short: 'h' } };
  // A value that starts with one dash (`--num-warmups -1`) is the option's value, as the CLI has always read it
  // (parseArgs would call it ambiguous); its range check then says what is wrong with it.
  const args = argv.flatMap((a, i) => (a.startsWith('-') && !a.startsWith('--') && options[argv[i - 1]?.slice(2)]?.type === 'string' ? [] : [joined(a, argv[i + 1], options)]));
  try {
    const { positionals, values } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { positionals, values: values as CommandValues };
  } catch (e) {
    const m = /Unknown option '--?([^']+)'/.exec((e as Error).message);
    if (m) {
      if (others.some((o) => o !== c && m[1] in o.options)) throw new UsageError(`--${m[1]} does not apply to ${c.name}`);
      const near = didYouMean(m[1], Object.keys(options));
      throw new UsageError(`unknown option --${m[1]}${near ? ` (did you mean --${near}?)` : ''}; deploy-advisor ${c.name} --help lists its options`);
    }
    throw new UsageError((e as Error).message.split('\n')[0].replace(/\. To specify .*$/s, ''));
  }
}

function joined(a: string, next: string | undefined, options: CommandOptions): string {
  const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
  return name && options[name]?.type === 'string' && next?.startsWith('-') && !next.startsWith('--') ? `${a}=${next}` : a;
}

export async function runCommand(c: CliCommand, argv: string[], others: CliCommand[] = []): Promise<number> {
  const { positionals, values } = parseCommandArgs(c, argv, others);
  if (values.help) {
    process.stdout.write(`${commandHelp(c)}\n`);
    return 0;
  }
  return c.run(positionals, values);
}
