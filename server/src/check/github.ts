/**
 * `check --format github`: GitHub Actions workflow commands, one per finding, which the pull request shows inline:
 * `::error file=PATH,line=N,col=M,endLine=…,endColumn=…,title=RULE::message` (warning and notice for the others).
 * Escaping as GitHub's toolkit does (@actions/core command.ts): data `%` `\r` `\n`; properties also `:` and `,`.
 */
import { evidenceLine } from '../evidence/catalog';
import type { CheckFinding, CheckReport } from './types';

const command = { error: 'error', warning: 'warning', info: 'notice' } as const;

export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(f: CheckFinding): string {
  const props = [
    `file=${escapeProperty(f.file)}`, `line=${f.range.start.line + 1}`, `col=${f.range.start.character + 1}`,
    `endLine=${f.range.end.line + 1}`,
    // GitHub reads a column span only on one line.
    ...(f.range.end.line === f.range.start.line ? [`endColumn=${f.range.end.character + 1}`] : []),
    `title=${escapeProperty(f.rule)}`,
  ];
  const message = f.technique ? `${f.message}\n${evidenceLine(f.technique)}` : f.message;
  return `::${command[f.severity]} ${props.join(',')}::${escapeData(message)}`;
}

export function checkGithub(r: CheckReport): string {
  return r.findings.map(annotation).join('\n');
}
