/** Every CLI command, declared with CliCommand (cli/command.ts): one file each, one line here. */
import { calibrateCommand } from './calibrate';
import { checkCommand } from './check';
import type { CliCommand } from './command';
import { estimateCommand } from './estimate';
import { evidenceCommand } from './evidence';
import { optimizeCommand } from './optimize';
import { reportCommand } from './report';
import { makeTrainCommand } from './train';
import { readTrainingFile } from '../node/trainingFileLoader';

export const commands: CliCommand[] = [estimateCommand, optimizeCommand, reportCommand, evidenceCommand, checkCommand, makeTrainCommand(readTrainingFile), calibrateCommand];

export function findCommand(name: string): CliCommand | undefined {
  return commands.find((c) => c.name === name);
}
