/** A log or result file: after each figure the engine or client reported, the estimate for the configuration it states. */
import { InlayHint, InlayHintKind } from 'vscode-languageserver';
import type { Range } from 'vscode-languageserver';
import { Comparison, formatFigure } from '../measured/compare';
import type { Analysis } from '../pipeline';

/** "KV 1,044,688 tokens · predicted 1,043,984 (−0.1 %)": the predicted value without a repeated unit word. */
export function measuredHintLabel(c: Comparison): string {
  const predicted = formatFigure(c.figure, c.predicted).replace(/ tokens$/, '');
  const sign = c.deltaPct >= 0 ? '+' : '−';
  const delta = `${sign}${Math.abs(c.deltaPct).toFixed(1)} %`;
  return `${c.label} ${formatFigure(c.figure, c.measured)} · predicted ${predicted} (${delta}${c.disagrees ? `, beyond ±${Math.round(c.tolerancePct)} %` : ''})`;
}

export function measuredHints(a: Analysis, range: Range): InlayHint[] {
  return (a.measured?.comparisons ?? [])
    .filter((c) => c.range.start.line >= range.start.line && c.range.end.line <= range.end.line)
    .map((c) => ({ position: c.range.end, label: ` ${measuredHintLabel(c)}`, kind: InlayHintKind.Type, paddingLeft: true }));
}
