/**
 * The "Measured" section of a deployment's page: the benchmark results saved beside the file, each against this
 * deployment's estimate at the result's own load (server/src/measured/series.ts computes both; the page only draws).
 * One chart per figure the results state — measured as points, predicted as a line through the same loads — then
 * the numbers, the matching rule and the notes.
 */
import { Chart } from 'chart.js';
import type { MeasuredMetric, MeasuredSection, MeasuredValue } from '../protocol/report';
import type { ViewKit } from './training';

const METRICS: Array<{ key: MeasuredMetric; title: string; unit: string; digits: number }> = [
  { key: 'ttftMs', title: 'TTFT', unit: 'ms', digits: 1 },
  { key: 'tpotMs', title: 'TPOT', unit: 'ms', digits: 2 },
  { key: 'outputTokensPerSec', title: 'Output throughput', unit: 'tokens/s', digits: 0 },
];
const AXIS = { type: 'logarithmic' as const, title: { display: true, text: 'concurrency of the result' }, ticks: { callback: (v: number | string) => (Number.isInteger(Number(v)) ? String(v) : '') } };
const signed = (pct: number) => `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct).toFixed(1)} %`;

export function measuredSection(m: MeasuredSection, k: ViewKit): HTMLElement {
  const { el, fmt } = k;
  const wrap = el('div', { class: 'measured' }, el('h2', {}, 'Measured'), el('p', { class: 'muted' }, m.rule));
  const grid = el('div', { class: 'grid' });
  for (const metric of METRICS) {
    const pts = m.points.filter((p) => p[metric.key]);
    if (!pts.length) continue;
    const title = `${metric.title}: measured vs predicted`;
    const canvas = el('canvas', { id: `measured-${metric.key}-chart`, role: 'img', 'aria-label': title });
    grid.append(el('div', { class: 'card' }, el('h3', {}, title), el('div', { class: 'chart' }, canvas)));
    k.charts.push(new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          { type: 'line', label: `predicted (${metric.unit})`, data: pts.map((p) => ({ x: p.concurrency, y: p[metric.key]!.predicted })), borderColor: '#4e79a7', backgroundColor: '#4e79a7', pointRadius: 2 },
          { type: 'scatter', label: `measured (${metric.unit})`, data: pts.map((p) => ({ x: p.concurrency, y: p[metric.key]!.measured })), backgroundColor: '#f28e2b', pointRadius: 5 },
        ],
      },
      options: { maintainAspectRatio: false, scales: { x: AXIS, y: { beginAtZero: true, title: { display: true, text: metric.unit } } }, plugins: { legend: { position: 'bottom' } } },
    }));
  }
  const shown = METRICS.filter((x) => m.points.some((p) => p[x.key]));
  const cell = (v: MeasuredValue | undefined, digits: number) => (v ? [fmt(v.measured, digits), fmt(v.predicted, digits), signed(v.errorPct)] : ['', '', '']);
  const head = el('tr', {}, ...['concurrency', 'in / out', ...shown.flatMap((x) => [`${x.title} measured`, 'predicted', 'error']), 'result'].map((h) => el('th', {}, h)));
  const rows = m.points.map((p) => {
    const src = m.sources[p.source];
    const line = p.ttftMs?.line ?? p.tpotMs?.line ?? p.outputTokensPerSec?.line;
    return el('tr', {},
      el('td', { class: 'num' }, `${fmt(p.concurrency)}${p.requestRate !== undefined ? ` (${fmt(p.requestRate, 2)} req/s)` : ''}`),
      el('td', { class: 'num' }, `${fmt(p.inputLen, 0)} / ${fmt(p.outputLen, 0)}`),
      ...shown.flatMap((x) => cell(p[x.key], x.digits).map((t) => el('td', { class: 'num' }, t))),
      el('td', { title: p.client }, `${src.path}${line ? `:${line}` : ''} (${src.format}${src.engineVersion ? ` ${src.engineVersion}` : ''})`));
  });
  const median = shown.filter((x) => m.medianAbsErrorPct[x.key] !== undefined).map((x) => `${x.title} ${m.medianAbsErrorPct[x.key]!.toFixed(1)} %`);
  // A sweep's files share their notes (the same unstated TP, say): one line per note, naming its files.
  const byNote = new Map<string, string[]>();
  for (const p of m.points) for (const n of p.notes) byNote.set(n, [...(byNote.get(n) ?? []), m.sources[p.source].path]);
  const notes = [...[...byNote].map(([n, files]) => `${files.join(', ')}: ${n}`), ...m.notes];
  wrap.append(grid, el('div', { class: 'scroll' }, el('table', { class: 'measured-points' }, el('thead', {}, head), el('tbody', {}, ...rows))));
  if (median.length) wrap.append(el('p', { class: 'muted' }, `Median |error| (predicted − measured, over measured): ${median.join(' · ')}.`));
  if (notes.length) wrap.append(el('ul', { class: 'notes' }, ...notes.map((n) => el('li', {}, n))));
  return wrap;
}
