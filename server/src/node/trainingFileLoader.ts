/** The `train` command's file loader: a training config read from disk through the training readers (formats/training),
 *  the files it names (a DeepSpeed JSON) resolved beside it. Node only. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readTrainingText } from '../formats/training';
import type { TrainingFileLoader } from '../cli/train';
import { trainingFileReader } from './trainingFiles';

export const readTrainingFile: TrainingFileLoader = (file) => {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { error: (e as Error).message };
  }
  const read = readTrainingText(pathToFileURL(path.resolve(file)).toString(), text, { readFile: trainingFileReader() });
  if (!read) return undefined;
  return { plan: read.plan, findings: read.problems.map((p) => ({ rule: p.code, severity: p.severity, message: p.message, line: p.range.start.line + 1 })) };
};
