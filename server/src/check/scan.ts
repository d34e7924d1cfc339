/**
 * `check`'s engine: files → one analysis each (parsed once, with the repository policy: config defaults, suppression
 * comments, rule severities) → a CheckReport. Bounded: a file over the parser's size cap is not read whole — only its
 * head, to tell whether it is a serving config (then the cap is a finding) or something else (skipped silently).
 */
import { fileHead } from '../node/fileHead';
import { trainingFileReader } from '../node/trainingFiles';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { editsForFix } from '../edits/apply';
import type { EstimatorDeps } from '../estimator/estimate';
import { looksLikeOurs } from '../formats';
import { MAX_PARSE_BYTES } from '../formats/document';
import type { ReadContext } from '../formats/types';
import { localAdapterLoader, localModelLoader } from '../node/localModels';
import type { RepoConfigStore } from '../node/repoConfig';
import { findSideProfile } from '../node/sideProfile';
import type { Analysis } from '../pipeline';
import { analyzeWithPolicy } from '../policy/analyze';
import type { LoadedConfig } from '../policy/repoConfig';
import { summarizeAnalysis } from '../workspace/summary';
import type { CheckFinding, CheckReport } from './types';

/** How much of an oversized file is read to tell whether it is ours (looksLikeOurs reads as much). */
const HEAD_BYTES = 20_000;

export interface ScanOptions {
  root: string;
  deps?: EstimatorDeps;
  configs: RepoConfigStore;
  /** A config named on the command line: used for every file instead of the nearest one. */
  config?: LoadedConfig;
  /** The command line's defaults (--gpu, workload, SLO), above the config, below the file. */
  over?: Partial<ReadContext>;
}

export const relativePath = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');


/** One file's analysis with the policy that applies to it; undefined when no reader recognises it. */
export function analyzeFile(file: string, opts: ScanOptions): { analysis: Analysis; text: string } | undefined {
  const uri = pathToFileURL(file).href;
  const size = fs.statSync(file).size;
  if (size > MAX_PARSE_BYTES) {
    if (!looksLikeOurs(uri, fileHead(file, HEAD_BYTES))) return undefined;
    // The editor says the same for a file this large (formats/document.ts).
    const message = `File is ${(size / 2 ** 20).toFixed(1)} MiB; Deploy Advisor only reads files up to ${MAX_PARSE_BYTES / 2 ** 20} MiB.`;
    const zero = { line: 0, character: 0 };
    return { text: '', analysis: { format: null, workloads: [], findings: [{ rule: 'syntax', severity: 'error', message, range: { start: zero, end: zero } }] } };
  }
  const text = fs.readFileSync(file, 'utf8');
  const dir = path.dirname(file);
  const ctx: ReadContext = { loadLocalConfig: localModelLoader(dir), loadLocalAdapter: localAdapterLoader(dir), sideProfile: findSideProfile(file), readLinkedFile: trainingFileReader() };
  const analysis = analyzeWithPolicy(uri, text, ctx, opts.deps, opts.config ?? opts.configs.forFile(file), opts.over);
  if (analysis.format === null && !analysis.findings.length && !analysis.training) return undefined;
  return { analysis, text };
}

const before = (a: CheckFinding, b: CheckFinding) =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);

export function scan(files: string[], opts: ScanOptions): CheckReport {
  const report: CheckReport = { root: opts.root, filesRead: files.length, filesRecognised: 0, workloads: [], skipped: [], findings: [] };
  for (const file of files) {
    let res: ReturnType<typeof analyzeFile>;
    try {
      res = analyzeFile(file, opts);
    } catch (e) {
      // Only the file system throws here (the pipeline never does on bad text): an unreadable file is not a finding.
      report.skipped.push({ file: relativePath(opts.root, file), reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
      continue;
    }
    if (!res) continue;
    // A .deploy-advisor.yaml is read for its own findings (a mistyped rule code) but is not a deployment config.
    if (res.analysis.format !== 'deploy-advisor-config') report.filesRecognised++;
    const rel = relativePath(opts.root, file);
    const first = report.workloads.length;
    report.workloads.push(...summarizeAnalysis(rel, res.analysis));
    for (const f of res.analysis.findings) {
      const plan = res.analysis.workloads[f.workload ?? 0]?.plan;
      const fixes = (f.fixes ?? []).flatMap((fix) => {
        const edits = editsForFix(fix, plan, res.text);
        return edits?.length ? [{ title: fix.title, edits }] : [];
      });
      report.findings.push({
        file: rel, rule: f.rule, severity: f.severity, message: f.message, range: f.range,
        ...(f.workload !== undefined ? { workload: first + f.workload } : {}), ...(f.technique ? { technique: f.technique } : {}), fixes,
      });
    }
  }
  report.findings.sort(before);
  return report;
}
