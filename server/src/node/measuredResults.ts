/**
 * The benchmark results a report sets beside a deployment: the JSON files in the deployment file's folder and below it
 * (walked as `check` walks, so .gitignore and the `ignore:` list apply) — a result belongs to the nearest config of its
 * model (and engine, where it names one) in its own folder or an ancestor's, as `calibrate` pairs them, so one that
 * sits below another config of that model is that config's. Bounded: at most MAX_FILES files are read, none larger than
 * MAX_FILE_BYTES; the section says what was left out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Walker } from '../check/walk';
import { readText } from '../formats';
import type { MeasuredInput, MeasuredSource } from '../measured/series';
import { modelKey } from '../measured/series';
import { RepoConfigStore } from './repoConfig';

/** Files read in all: a folder of a sweep's results is tens of files, not thousands. */
export const MAX_FILES = 200;
/** vLLM's saved result with per-request arrays of 10k prompts is a few MB. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** @param deployment the deployment file on disk, or undefined (a model id, an unsaved buffer): no results then. */
export function gatherMeasured(deployment: string | undefined): MeasuredInput {
  if (!deployment || !fs.existsSync(deployment) || !fs.statSync(deployment).isFile()) return { sources: [] };
  const self = path.resolve(deployment);
  const base = path.dirname(self);
  const all = new Walker(new RepoConfigStore()).files([base]).filter((f) => f !== self);
  const listed = all.filter((f) => /\.json$/i.test(f));
  const sources: MeasuredSource[] = [];
  const notes: string[] = [];
  const tooLarge: string[] = [];
  const deployed = new Map<string, Deployed[]>();
  const rel = (f: string) => path.relative(base, f).split(path.sep).join('/');
  for (const [i, f] of listed.entries()) {
    if (i >= MAX_FILES) {
      notes.push(`read the first ${MAX_FILES} JSON files; ${listed.length - MAX_FILES} more were not read`);
      break;
    }
    if (fs.statSync(f).size > MAX_FILE_BYTES) {
      tooLarge.push(rel(f));
      continue;
    }
    const run = readText(pathToFileURL(f).href, fs.readFileSync(f, 'utf8')).measured;
    if (run?.kind !== 'benchmark-result') continue;
    const engine = run.plan.engine.name.source.kind === 'file' ? run.plan.engine.name.value : undefined;
    const nearer = nearerConfig(path.dirname(f), base, (d) => d.model === modelKey(run.plan.model.ref.value) && (!engine || d.engine === engine), all, deployed);
    if (nearer) notes.push(`${rel(f)} is left to ${rel(nearer)}, the config of its model nearer to it`);
    else sources.push({ path: rel(f), run });
  }
  if (tooLarge.length) notes.push(`not read (over ${MAX_FILE_BYTES / 2 ** 20} MiB): ${tooLarge.join(', ')}`);
  return { sources, notes };
}

interface Deployed {
  model: string;
  engine: string;
}

/** What a file deploys, when it is a config or log (a benchmark result deploys nothing of its own). */
function deployedBy(f: string, seen: Map<string, Deployed[]>): Deployed[] {
  let got = seen.get(f);
  if (!got) {
    const read = fs.statSync(f).size > MAX_FILE_BYTES ? undefined : readText(pathToFileURL(f).href, fs.readFileSync(f, 'utf8'));
    got = !read || read.measured?.kind === 'benchmark-result' ? [] : read.plans.map((p) => ({ model: modelKey(p.model.ref.value), engine: p.engine.name.value }));
    seen.set(f, got);
  }
  return got;
}

/** A config the result could be of in `dir` or a folder between it and `base` (base itself excluded), nearest first. */
function nearerConfig(dir: string, base: string, fits: (d: Deployed) => boolean, files: string[], seen: Map<string, Deployed[]>): string | undefined {
  for (let d = dir; d !== base && d.startsWith(base + path.sep); d = path.dirname(d)) {
    const here = files.find((f) => path.dirname(f) === d && deployedBy(f, seen).some(fits));
    if (here) return here;
  }
  return undefined;
}
