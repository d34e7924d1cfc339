/**
 * ReportData → one HTML page: a strict Content-Security-Policy (nothing remote, scripts and styles only with the
 * page's nonce), the data as inert JSON, and the bundled view script (dist/report-view.js: Chart.js + our drawing).
 * The same page serves the VS Code webview (script by URI, theme from VS Code's CSS variables) and
 * `deploy-advisor report --html` (script inlined, a self-contained file).
 */
import type { ReportPage } from '../protocol/trainingReport';

export interface HtmlOptions {
  nonce: string;
  /** The view script: inlined text (a standalone file) or a URI the webview may load. */
  script: { inline: string } | { uri: string; cspSource: string };
  title: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON inside <script type="application/json">: only `<` needs escaping to keep `</script>` out. */
const jsonForScript = (x: unknown) => JSON.stringify(x).replace(/</g, '\\u003c');

export function reportHtml(data: ReportPage[], o: HtmlOptions): string {
  const scriptSrc = 'uri' in o.script ? `${o.script.cspSource} 'nonce-${o.nonce}'` : `'nonce-${o.nonce}'`;
  const csp = `default-src 'none'; img-src data:; style-src 'nonce-${o.nonce}'; script-src ${scriptSrc};`;
  const script = 'uri' in o.script
    ? `<script nonce="${o.nonce}" src="${escapeHtml(o.script.uri)}"></script>`
    : `<script nonce="${o.nonce}">${o.script.inline.replace(/<\/script/gi, '<\\/script')}</script>`;
  return `<!DOCTYPE html>
<html lang="en"${'inline' in o.script ? ' class="standalone"' : ''}>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style nonce="${o.nonce}">${STYLE}</style>
</head>
<body>
<main id="report"><p class="muted">${data.length ? 'Loading…' : 'No estimate for this file: open a model or deployment config.'}</p></main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
${script}
</body>
</html>
`;
}

// In a webview VS Code sets the --vscode-* variables from the theme (light, dark, high contrast); a standalone page
// falls back to GitHub-like colours and follows the browser's light/dark preference.
const STYLE = `
:root { --fg: var(--vscode-editor-foreground, #1f2328); --bg: var(--vscode-editor-background, #ffffff);
  --muted: var(--vscode-descriptionForeground, #59636e); --border: var(--vscode-panel-border, #d0d7de);
  --accent: var(--vscode-button-background, #0969da); --accent-fg: var(--vscode-button-foreground, #ffffff);
  --bad: var(--vscode-errorForeground, #cf222e); --good: var(--vscode-testing-iconPassed, #1a7f37); }
@media (prefers-color-scheme: dark) { :root.standalone { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --border: #30363d; } }
body { color: var(--fg); background: var(--bg); font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: 13px; margin: 0; padding: 16px 24px; }
h1 { font-size: 18px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 24px 0 8px; } h3 { font-size: 13px; margin: 16px 0 6px; }
.muted { color: var(--muted); } .verdict { font-weight: 600; margin: 6px 0 0; }
.verdict.bad { color: var(--bad); } .verdict.good { color: var(--good); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 16px; }
.card { border: 1px solid var(--border); border-radius: 6px; padding: 12px; }
.chart { position: relative; height: 220px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--border); vertical-align: top; }
th { color: var(--muted); font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
button { background: var(--accent); color: var(--accent-fg); border: 0; border-radius: 3px; padding: 3px 10px; cursor: pointer; }
.evidence { color: var(--muted); font-size: 12px; } .evidence summary { cursor: pointer; } ul.assumptions, ul.notes { margin: 0; padding-left: 18px; } ul.assumptions li, ul.notes li { margin: 2px 0; }
ul.notes { margin-top: 8px; color: var(--muted); } tr.miss td { color: var(--bad); } .scroll { overflow-x: auto; }
`;
