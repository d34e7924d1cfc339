/** Commands declared with CliCommand (cli/command.ts). The older commands (estimate, optimize, report, evidence) are
 *  dispatched by cli.ts with the shared flag table in cli/options.ts. */
import type { CliCommand } from './command';
import { makeTrainCommand } from './train';
import { readTrainingFile } from '../node/trainingFileLoader';

export const commands: CliCommand[] = [makeTrainCommand(readTrainingFile)];

export function findCommand(name: string): CliCommand | undefined {
  return commands.find((c) => c.name === name);
}
