/** Findings → LSP diagnostics (a thin translation, with the user's per-rule severities). */
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { DeployAdvisorSettings } from '../../../protocol/settings';
import type { Analysis } from '../pipeline';
import type { Finding } from '../rules/types';
import { evidenceLine } from '../evidence/catalog';

const severity = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

export function toDiagnostic(f: Finding, settings: DeployAdvisorSettings): Diagnostic | undefined {
  const override = settings.rules?.[f.rule];
  if (override === 'off') return undefined;
  // The advice's evidence: the strongest claim of the papers behind its technique (full list in the report).
  const message = f.technique ? `${f.message}\n${evidenceLine(f.technique)}` : f.message;
  const related = f.related?.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message }));
  return { range: f.range, severity: severity[override ?? f.severity], source: 'deploy-advisor', code: f.rule, message, ...(related?.length ? { relatedInformation: related } : {}) };
}

export function toDiagnostics(a: Analysis, settings: DeployAdvisorSettings): Diagnostic[] {
  return a.findings.flatMap((f) => toDiagnostic(f, settings) ?? []);
}
