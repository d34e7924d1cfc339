/**
 * The files `calibrate` reads, from disk: every result, engine log and serving config under the paths (walked as
 * `check` walks, .gitignore and the config's `ignore:` applied), each read with the policy of the config above it.
 * Bounded: a log is read up to its head (formats/logs/lines.ts reads the startup from it), anything else above the
 * cap is skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CalibrationInput, SkippedFile } from '../calibrate/runs';
import { Walker } from '../check/walk';
import type { ReadContext } from '../formats/types';
import { readWithConfig } from '../policy/analyze';
import { isRunCandidate } from '../workspace/candidates';
import { fileHead } from './fileHead';
import { localAdapterLoader, localModelLoader } from './localModels';
import type { RepoConfigStore } from './repoConfig';
import { findSideProfile } from './sideProfile';

const MAX_BYTES = 64 * 1024 * 1024;

export function readCalibrationInputs(paths: string[], root: string, configs: RepoConfigStore, over: Partial<ReadContext> = {}): { inputs: CalibrationInput[]; skipped: SkippedFile[] } {
  const inputs: CalibrationInput[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of new Walker(configs, isRunCandidate).files(paths)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    let text: string;
    try {
      const size = fs.statSync(file).size;
      if (size > MAX_BYTES && !/\.(log|txt|out)$/i.test(file)) {
        skipped.push({ file: rel, why: `${(size / 2 ** 20).toFixed(0)} MiB: too large to read` });
        continue;
      }
      text = size > MAX_BYTES ? fileHead(file, MAX_BYTES) : fs.readFileSync(file, 'utf8');
    } catch (e) {
      skipped.push({ file: rel, why: `not readable: ${(e as Error).message}` });
      continue;
    }
    const dir = path.dirname(file);
    const ctx: ReadContext = { loadLocalConfig: localModelLoader(dir), loadLocalAdapter: localAdapterLoader(dir), sideProfile: findSideProfile(file) };
    const read = readWithConfig(pathToFileURL(file).href, text, ctx, configs.forFile(file), over);
    if (read.measured || read.plans.length) inputs.push({ file: rel, plans: read.plans, ...(read.measured ? { measured: read.measured } : {}) });
  }
  return { inputs, skipped };
}
