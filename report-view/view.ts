/**
 * The report page's script (bundled to dist/report-view.js with Chart.js; no remote resources). Reads the data from
 * the page's inert JSON, draws, and — inside VS Code — posts *Apply* clicks back to the extension, which performs the
 * same edit as the quick fix. Later data arrives by message, so the page updates live as the file changes.
 */
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Tooltip,
} from 'chart.js';
import type { ReportData } from '../protocol/report';
import { isTrainingPage, ReportPage } from '../protocol/trainingReport';
import { trainingSection } from './training';
import { measuredSection } from './measured';
import { planLayout } from '../protocol/optimize';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, ScatterController, Legend, Tooltip);
Chart.defaults.animation = false;

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };
const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const charts: Chart[] = [];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

const fmt = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d });
const money = (x: number, d: number) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const SEGMENT_COLORS = ['#4e79a7', '#59a14f', '#f28e2b', '#b07aa1', '#9c755f', '#bab0ac'];

function render(data: ReportPage[]): void {
  for (const c of charts.splice(0)) c.destroy();
  const root = document.getElementById('report')!;
  root.replaceChildren();
  if (!data.length) {
    root.append(el('p', { class: 'muted' }, 'No estimate for this file: open a model or deployment config.'));
    return;
  }
  Chart.defaults.color = css('--fg') || '#1f2328';
  Chart.defaults.borderColor = css('--border') || '#d0d7de';
  data.forEach((d, i) => root.append(isTrainingPage(d) ? trainingSection(d, i, { el, charts, fmt }) : workload(d, i)));
}

function workload(d: ReportData, index: number): HTMLElement {
  const section = el('section', { 'data-workload': String(index) });
  section.append(
    el('h1', {}, d.name && d.name !== d.model ? `${d.name} — ${d.model}` : d.model),
    el('div', { class: 'muted' }, d.hardware),
    el('p', { class: `verdict ${d.fits ? 'good' : 'bad'}` }, d.verdict),
  );
  const grid = el('div', { class: 'grid' });
  grid.append(memoryCard(d), kvCard(d), latencyCard(d, 'ttft'), latencyCard(d, 'tpot'), throughputCard(d));
  section.append(grid, ...(d.measured ? [measuredSection(d.measured, { el, charts, fmt })] : []), ...(d.host ? [hostTable(d.host)] : []), whatIfTable(d, index), cheapestTable(d, index), el('h2', {}, 'Assumptions'), el('ul', { class: 'assumptions' }, ...d.assumptions.map((a) => el('li', {}, a))));
  return section;
}

function card(title: string, id: string): { card: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = el('canvas', { id, role: 'img', 'aria-label': title });
  return { card: el('div', { class: 'card' }, el('h3', {}, title), el('div', { class: 'chart' }, canvas)), canvas };
}

function memoryCard(d: ReportData): HTMLElement {
  const { card: c, canvas } = card(`Memory per GPU (of ${fmt(d.memory.capacityGiB)} GiB)`, 'memory-chart');
  charts.push(new Chart(canvas, {
    type: 'bar',
    data: { labels: ['per GPU'], datasets: d.memory.segments.map((s, i) => ({ label: `${s.label} ${fmt(s.gib, 2)} GiB`, data: [s.gib], backgroundColor: SEGMENT_COLORS[i % SEGMENT_COLORS.length] })) },
    options: { indexAxis: 'y', maintainAspectRatio: false, scales: { x: { stacked: true, max: Math.max(d.memory.capacityGiB, d.memory.segments.reduce((t, s) => t + s.gib, 0)), title: { display: true, text: `GiB (GPU holds ${fmt(d.memory.capacityGiB)})` } }, y: { stacked: true } }, plugins: { legend: { position: 'bottom' } } },
  }));
  return c;
}

function kvCard(d: ReportData): HTMLElement {
  const { card: c, canvas } = card(`KV cache: ${fmt(d.kv.maxConcurrency, 2)} requests of ${fmt(d.kv.maxModelLen, 0)} tokens fit at once`, 'kv-chart');
  const short = d.kv.neededTokens > d.kv.capacityTokens;
  charts.push(new Chart(canvas, {
    type: 'bar',
    data: {
      labels: ['capacity', 'workload needs'],
      datasets: [{ label: 'tokens', data: [d.kv.capacityTokens, d.kv.neededTokens], backgroundColor: ['#59a14f', short ? '#e15759' : '#4e79a7'] }],
    },
    options: { indexAxis: 'y', maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: 'tokens' } } } },
  }));
  return c;
}

type Metric = 'ttft' | 'tpot';
const CONCURRENCY_AXIS = { type: 'logarithmic' as const, title: { display: true, text: 'requests in flight' }, ticks: { callback: (v: number | string) => (Number.isInteger(Number(v)) ? String(v) : '') } };

function latencyCard(d: ReportData, metric: Metric): HTMLElement {
  const ys = metric === 'ttft' ? d.curves.ttftMs : d.curves.tpotMs;
  const slo = metric === 'ttft' ? d.slo.ttftMs : d.slo.tpotMs;
  const op = metric === 'ttft' ? d.operatingPoint.ttftMs : d.operatingPoint.tpotMs;
  const { card: c, canvas } = card(`${metric.toUpperCase()} vs concurrency`, `${metric}-chart`);
  const xs = d.curves.concurrency;
  const datasets: NonNullable<Chart['config']['data']>['datasets'] = [
    { type: 'line', label: `${metric.toUpperCase()} (ms)`, data: xs.map((x, i) => ({ x, y: ys[i] })), borderColor: '#4e79a7', backgroundColor: '#4e79a7', pointRadius: 2 },
    { type: 'scatter', label: 'operating point', data: [{ x: d.operatingPoint.concurrency, y: op }], backgroundColor: '#f28e2b', pointRadius: 6 },
  ];
  if (slo !== undefined && xs.length) datasets.push({ type: 'line', label: `SLO ${slo} ms`, data: [{ x: xs[0], y: slo }, { x: Math.max(xs[xs.length - 1], d.operatingPoint.concurrency), y: slo }], borderColor: '#e15759', borderDash: [6, 4], pointRadius: 0 });
  charts.push(new Chart(canvas, {
    type: 'line', data: { datasets },
    options: { maintainAspectRatio: false, scales: { x: CONCURRENCY_AXIS, y: { beginAtZero: true, title: { display: true, text: 'ms' } } }, plugins: { legend: { position: 'bottom' } } },
  }));
  return c;
}

function throughputCard(d: ReportData): HTMLElement {
  const { card: c, canvas } = card('Output throughput vs concurrency', 'throughput-chart');
  const xs = d.curves.concurrency;
  const datasets: NonNullable<Chart['config']['data']>['datasets'] = [
    { type: 'line', label: 'output tokens/s', data: xs.map((x, i) => ({ x, y: d.curves.outputTokensPerSec[i] })), borderColor: '#59a14f', backgroundColor: '#59a14f', pointRadius: 2 },
    { type: 'scatter', label: 'operating point', data: [{ x: d.operatingPoint.concurrency, y: d.operatingPoint.outputTokensPerSec }], backgroundColor: '#f28e2b', pointRadius: 6 },
  ];
  if (d.slo.minThroughput !== undefined && xs.length) datasets.push({ type: 'line', label: `SLO ≥ ${d.slo.minThroughput} tok/s`, data: [{ x: xs[0], y: d.slo.minThroughput }, { x: xs[xs.length - 1], y: d.slo.minThroughput }], borderColor: '#e15759', borderDash: [6, 4], pointRadius: 0 });
  charts.push(new Chart(canvas, {
    type: 'line', data: { datasets },
    options: { maintainAspectRatio: false, scales: { x: CONCURRENCY_AXIS, y: { beginAtZero: true, title: { display: true, text: 'tokens/s' } } }, plugins: { legend: { position: 'bottom' } } },
  }));
  return c;
}

/** Host RAM per replica: a budget of its own (the pod's memory limit), beside the GPU's. */
function hostTable(host: NonNullable<ReportData['host']>): HTMLElement {
  const head = el('tr', {}, ...['tier', 'GiB', 'tokens', 'why'].map((h) => el('th', {}, h)));
  const rows = host.tiers.map((t) => el('tr', {}, el('td', {}, t.label), el('td', { class: 'num' }, fmt(t.gib, 2)), el('td', { class: 'num' }, t.tokens ? fmt(t.tokens, 0) : ''), el('td', { class: 'muted' }, t.source)));
  rows.push(el('tr', {}, el('th', {}, 'Total host RAM'), el('th', { class: 'num' }, fmt(host.ramGiB, 2)), el('td', {}), el('td', {})));
  return el('div', { class: 'host-memory' }, el('h2', {}, 'Host memory per replica'), el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows))));
}

function whatIfTable(d: ReportData, index: number): HTMLElement {
  const wrap = el('div', {}, el('h2', {}, 'What if'));
  if (!d.whatIfs.length) {
    wrap.append(el('p', { class: 'muted' }, 'No technique applies to this configuration as it stands.'));
    return wrap;
  }
  const head = el('tr', {}, ...['change', 'fits', 'KV tokens', 'max concurrency', 'TTFT ms', 'TPOT ms', 'tokens/s', ''].map((h) => el('th', {}, h)));
  const rows = d.whatIfs.map((w) => {
    const apply = applyButton({ type: 'apply', workload: index, finding: w.finding, fix: w.fix }, { 'data-finding': String(w.finding), 'data-fix': String(w.fix) });
    const change = el('td', {}, el('div', {}, w.title));
    // The evidence is there for whoever asks: collapsed by default so the table reads as changes and numbers.
    if (w.evidence) change.append(el('details', { class: 'evidence' }, el('summary', {}, w.technique ?? 'Evidence'), el('div', {}, w.evidence)));
    return el('tr', {}, change, el('td', {}, w.fits ? 'yes' : 'no'), el('td', { class: 'num' }, fmt(w.kvCapacityTokens, 0)), el('td', { class: 'num' }, fmt(w.maxConcurrency, 2)),
      el('td', { class: 'num' }, fmt(w.ttftMs)), el('td', { class: 'num' }, fmt(w.tpotMs, 2)), el('td', { class: 'num' }, fmt(w.outputTokensPerSec, 0)), el('td', {}, apply));
  });
  wrap.append(el('div', { class: 'scroll' }, el('table', { class: 'what-if' }, el('thead', {}, head), el('tbody', {}, ...rows))));
  return wrap;
}

function applyButton(message: Record<string, unknown>, attrs: Record<string, string>): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, 'Apply');
  if (vscode) b.addEventListener('click', () => vscode.postMessage(message));
  else b.hidden = true;
  return b;
}

function cheapestTable(d: ReportData, index: number): HTMLElement {
  const c = d.cheapest;
  const meeting = c.plans.some((p) => p.meetsSlo);
  const hasSlo = d.slo.ttftMs !== undefined || d.slo.tpotMs !== undefined || d.slo.minThroughput !== undefined;
  const title = !hasSlo ? `Cheapest plans (${c.engine}; no SLO set, so any plan that fits qualifies)` : meeting ? `Cheapest plans that meet the SLO (${c.engine})` : `No ${c.engine} plan meets the SLO: the closest`;
  const wrap = el('div', { class: 'cheapest' }, el('h2', {}, title),
    el('p', { class: 'muted' }, `Searched ${fmt(c.searched, 0)} candidates (GPU type × count × TP/PP/EP × precision × max-num-seqs × chunk size); ranked by cost per million output tokens. Apply rewrites this file's knobs.`));
  if (!c.plans.length) {
    wrap.append(el('ul', { class: 'notes' }, ...c.notes.map((n) => el('li', {}, n))));
    return wrap;
  }
  const head = el('tr', {}, ...['#', 'GPUs', 'layout', 'weights / KV', 'max-num-seqs / chunk', 'TTFT ms', 'TPOT ms', 'tokens/s', '$/h', '$/M tokens', ''].map((h) => el('th', {}, h)));
  const rows = c.plans.map((p, i) => {
    const layout = planLayout(p);
    return el('tr', { class: p.meetsSlo ? '' : 'miss' }, el('td', {}, String(i + 1)), el('td', {}, `${p.replicas > 1 ? `${p.replicas} × ` : ''}${p.gpusPerReplica} × ${p.gpu}`), el('td', {}, layout),
      el('td', {}, `${p.weightDtype} / ${p.kvCacheDtype}`), el('td', { class: 'num' }, `${p.maxNumSeqs} / ${p.maxNumBatchedTokens}`),
      el('td', { class: 'num' }, fmt(p.ttftMs)), el('td', { class: 'num' }, fmt(p.tpotMs, 2)), el('td', { class: 'num' }, fmt(p.outputTokensPerSec, 0)),
      el('td', { class: 'num' }, money(p.costPerHour, 2)), el('td', { class: 'num' }, money(p.costPerMillionOutputTokens, 3)),
      el('td', {}, applyButton({ type: 'applyPlan', workload: index, key: p.key }, { 'data-plan': p.key })));
  });
  wrap.append(el('div', { class: 'scroll' }, el('table', { class: 'plans' }, el('thead', {}, head), el('tbody', {}, ...rows))), el('ul', { class: 'notes' }, ...c.notes.map((n) => el('li', {}, n))));
  return wrap;
}

render(JSON.parse(document.getElementById('report-data')?.textContent ?? '[]') as ReportPage[]);
window.addEventListener('message', (e: MessageEvent<{ type?: string; data?: ReportPage[] }>) => {
  if (e.data?.type === 'update' && Array.isArray(e.data.data)) render(e.data.data);
});
