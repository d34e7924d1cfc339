/**
 * `check --format json`: the workloads (workspace/summary.ts rows, as the Deployments view shows them) with totals,
 * and every finding with 1-based positions and `workload` pointing into `workloads` (absent: file-level).
 */
import { totals } from '../workspace/summary';
import type { CheckReport } from './types';
import { TOOL } from './tool';

export function checkJson(r: CheckReport): string {
  const count = (s: string) => r.findings.filter((f) => f.severity === s).length;
  return JSON.stringify({
    tool: { name: TOOL.name, version: TOOL.version },
    root: r.root,
    files: { read: r.filesRead, recognised: r.filesRecognised },
    totals: totals(r.workloads),
    counts: { error: count('error'), warning: count('warning'), info: count('info') },
    workloads: r.workloads.map((w) => ({ ...w, range: position(w.range) })),
    findings: r.findings.map((f) => ({
      file: f.file, ...position(f.range), rule: f.rule, severity: f.severity, message: f.message,
      ...(f.workload !== undefined ? { workload: f.workload } : {}), ...(f.technique ? { technique: f.technique } : {}),
      fixes: f.fixes.map((x) => ({ title: x.title, edits: x.edits })),
    })),
  }, null, 2);
}

const position = (range: CheckReport['findings'][number]['range']) => ({
  line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1,
});
