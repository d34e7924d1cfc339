/** Quick fixes: each finding's fix intents → minimal workspace edits (edits/ spells them in the file's syntax). */
import { CodeAction, CodeActionKind, Diagnostic, Range, WorkspaceEdit } from 'vscode-languageserver';
import { editsForFix } from '../edits/apply';
import type { Analysis } from '../pipeline';
import type { SourceRange } from '../plan/types';
import { toDiagnostic } from './diagnostics';
import type { DeployAdvisorSettings } from '../../../protocol/settings';

const before = (a: SourceRange['start'], b: SourceRange['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const overlaps = (a: Range, b: SourceRange) => before(a.start, b.end) && before(b.start, a.end);

export function codeActions(uri: string, text: string, a: Analysis, range: Range, settings: DeployAdvisorSettings): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const f of a.findings) {
    if (!f.fixes?.length || !overlaps(range, f.range)) continue;
    // Renames need only the text; knob changes need the workload's plan (where and how it writes options).
    const plan = a.workloads[f.workload ?? 0]?.plan;
    const diagnostic: Diagnostic | undefined = toDiagnostic(f, settings);
    for (const fix of f.fixes) {
      const edits = editsForFix(fix, plan, text);
      if (!edits) continue;
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: diagnostic ? [diagnostic] : [], isPreferred: fix.preferred, edit: { changes: { [uri]: edits } } });
    }
  }
  return actions;
}

/** One finding's fix as a workspace edit (the report's *Apply*); null when the finding or its fix no longer exists. */
export function fixEdit(uri: string, text: string, a: Analysis, finding: number, fix: number): WorkspaceEdit | null {
  const f = a.findings[finding];
  const intent = f?.fixes?.[fix];
  if (!intent) return null;
  const edits = editsForFix(intent, a.workloads[f.workload ?? 0]?.plan, text);
  return edits ? { changes: { [uri]: edits } } : null;
}
