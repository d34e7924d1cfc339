/** `check --format text`: one line per finding, `path:line:col: severity rule: message`, and a closing count. */
import type { CheckReport } from './types';

export function checkText(r: CheckReport): string {
  const lines = r.findings.map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.rule}: ${f.message.replace(/\n/g, ' ')}`);
  const n = (s: string) => r.findings.filter((f) => f.severity === s).length;
  lines.push(`${r.filesRecognised} of ${r.filesRead} files read are deployment configs; ${r.workloads.length} workload${r.workloads.length === 1 ? '' : 's'}; ${n('error')} errors, ${n('warning')} warnings, ${n('info')} infos.`);
  return lines.join('\n');
}
