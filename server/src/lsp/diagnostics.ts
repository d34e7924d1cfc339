/** Findings → LSP diagnostics (a thin translation). */
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { Analysis } from '../pipeline';

const severity = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export function toDiagnostics(a: Analysis): Diagnostic[] {
  return a.findings.map((f) => ({ range: f.range, severity: severity[f.severity], source: 'deploy-advisor', code: f.rule, message: f.message }));
}
