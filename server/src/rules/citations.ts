/**
 * What each finding cites: a fix cites the family of the change it makes (evidence/techniques.ts), and a finding with
 * fixes cites the family of its first fix, so a shorter max-model-len cites context-length evidence, never a paper on
 * something else. A finding without fixes keeps the technique its rule names for the change its message proposes
 * (FP8 KV, a cheaper GPU), or cites nothing.
 */
import { techniqueFor } from '../evidence/techniques';
import type { Finding, FixIntent } from './types';

function citedFix(fix: FixIntent): FixIntent {
  // A rename (a mistyped key or model id) changes no knob and so applies no technique.
  return { ...fix, technique: fix.rename ? undefined : techniqueFor(fix.changes, fix.hardware) };
}

export function withCitations(f: Finding): Finding {
  if (!f.fixes?.length) return f;
  const fixes = f.fixes.map(citedFix);
  return { ...f, fixes, technique: fixes.find((x) => x.technique)?.technique };
}
