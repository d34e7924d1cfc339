/**
 * `deploy-advisor report <training config> --html OUT`: the training report page (report/trainingData.ts) for a
 * fine-tuning config, the same page the editor shows. A file only the training readers claim; undefined otherwise, so
 * `report` goes on to the serving readers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GpuCatalog } from '../catalog/gpus';
import { readTrainingText } from '../formats/training';
import { trainingFileReader } from '../node/trainingFiles';
import { searchForTraining, trainingReportData } from '../report/trainingData';
import { analyzeTrainingRead } from '../trainingPipeline';
import type { TrainingReportData } from '../../../protocol/trainingReport';

export function trainingReportFor(target: string): { data: TrainingReportData[]; code: number; error?: string } | undefined {
  let text: string;
  try {
    if (!fs.statSync(target).isFile()) return undefined;
    text = fs.readFileSync(target, 'utf8');
  } catch {
    return undefined;
  }
  const read = readTrainingText(pathToFileURL(path.resolve(target)).toString(), text, { readFile: trainingFileReader() });
  if (!read) return undefined;
  const deps = { gpus: new GpuCatalog() };
  const { training, findings } = analyzeTrainingRead(read, deps);
  if (!training.estimate) return { data: [], code: 2, error: training.error };
  const data = trainingReportData(path.basename(target), training, findings, searchForTraining(training, deps, { target: {} }));
  // Exit status as for `train`: 0 fits, 1 does not.
  return { data, code: training.estimate.fits ? 0 : 1 };
}
