/**
 * The report page of a fine-tuning config: the per-GPU memory as one bar stacked by component against the GPU's
 * capacity, the bytes held in each phase of a step, step time and tokens/s, findings, the cheapest setups, assumptions.
 * view.ts calls it with its DOM helper and chart list, so both pages share one look.
 */
import { Chart } from 'chart.js';
import type { TrainingPlanView, TrainingReportData } from '../protocol/trainingReport';

export interface ViewKit {
  el: <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, ...children: Array<Node | string>) => HTMLElementTagNameMap[K];
  charts: Chart[];
  fmt: (x: number, d?: number) => string;
}

const COLORS = ['#4e79a7', '#59a14f', '#f28e2b', '#b07aa1', '#e15759', '#9c755f', '#bab0ac'];

export function trainingSection(d: TrainingReportData, index: number, k: ViewKit): HTMLElement {
  const { el } = k;
  const section = el('section', { 'data-workload': String(index), 'data-kind': 'training' });
  section.append(
    el('h1', {}, d.name && d.name !== d.model ? `${d.name} — ${d.model}` : d.model),
    el('div', { class: 'muted' }, d.hardware),
    el('p', { class: `verdict ${d.fits ? 'good' : 'bad'}` }, d.verdict),
  );
  const grid = el('div', { class: 'grid' });
  grid.append(memoryCard(d, k), phaseCard(d, k), throughputCard(d, k));
  section.append(grid);
  if (d.findings.length) section.append(el('h2', {}, 'Findings'), el('ul', { class: 'notes findings' }, ...d.findings.map((f) => el('li', {}, `${f.severity}: ${f.message}`))));
  section.append(cheapestTable(d, k), el('h2', {}, 'Assumptions'), el('ul', { class: 'assumptions' }, ...d.assumptions.map((a) => el('li', {}, a))));
  return section;
}

function card(k: ViewKit, title: string, id: string): { card: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = k.el('canvas', { id, role: 'img', 'aria-label': title });
  return { card: k.el('div', { class: 'card' }, k.el('h3', {}, title), k.el('div', { class: 'chart' }, canvas)), canvas };
}

function memoryCard(d: TrainingReportData, k: ViewKit): HTMLElement {
  const { card: c, canvas } = card(k, `Memory per GPU: peak ${k.fmt(d.memory.peakGiB, 1)} of ${k.fmt(d.memory.capacityGiB, 1)} GiB`, 'training-memory-chart');
  const total = d.memory.segments.reduce((t, s) => t + s.gib, 0);
  k.charts.push(new Chart(canvas, {
    type: 'bar',
    data: { labels: ['per GPU'], datasets: d.memory.segments.map((s, i) => ({ label: `${s.label} ${k.fmt(s.gib, 2)} GiB`, data: [s.gib], backgroundColor: s.label === 'free' ? '#d0d7de' : COLORS[i % COLORS.length] })) },
    options: { indexAxis: 'y', maintainAspectRatio: false, scales: { x: { stacked: true, max: Math.max(d.memory.capacityGiB, total), title: { display: true, text: `GiB (GPU holds ${k.fmt(d.memory.capacityGiB)})` } }, y: { stacked: true } }, plugins: { legend: { position: 'bottom' } } },
  }));
  // Each component at its own largest; they do not all peak at once, so the bar can exceed the peak (said here).
  c.append(k.el('p', { class: 'muted' }, 'Each component at its largest; the peak is the largest phase plus overhead.'));
  return c;
}

function phaseCard(d: TrainingReportData, k: ViewKit): HTMLElement {
  const { card: c, canvas } = card(k, `Held in each phase (peak: ${d.phases.peak})`, 'training-phase-chart');
  k.charts.push(new Chart(canvas, {
    type: 'bar',
    data: { labels: d.phases.rows.map((r) => r.phase), datasets: [{ label: 'GiB allocated', data: d.phases.rows.map((r) => r.gib), backgroundColor: d.phases.rows.map((r) => (r.phase === d.phases.peak ? '#e15759' : '#4e79a7')) }] },
    options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, suggestedMax: d.memory.capacityGiB, title: { display: true, text: 'GiB' } } } },
  }));
  return c;
}

function throughputCard(d: TrainingReportData, k: ViewKit): HTMLElement {
  const t = d.throughput;
  const { el } = k;
  const rows: Array<[string, string]> = [
    ['tokens per step', k.fmt(t.tokensPerStep, 0)], ['effective batch', k.fmt(t.effectiveBatch, 0)], ['step time', `${k.fmt(t.stepSeconds, 2)} s`],
    ['tokens/s', k.fmt(t.tokensPerSecond, 0)], ['trainable parameters', `${k.fmt(t.trainableParams, 0)} of ${k.fmt(t.totalParams, 0)}`],
  ];
  return el('div', { class: 'card' }, el('h3', {}, 'Speed'), el('table', { class: 'throughput' }, el('tbody', {}, ...rows.map(([a, b]) => el('tr', {}, el('th', {}, a), el('td', { class: 'num' }, b))))));
}

function cheapestTable(d: TrainingReportData, k: ViewKit): HTMLElement {
  const { el } = k;
  const c = d.cheapest;
  const wrap = el('div', { class: 'cheapest' }, el('h2', {}, 'Cheapest setups'),
    el('p', { class: 'muted' }, `${c.searchedFor ? `${c.searchedFor[0].toUpperCase()}${c.searchedFor.slice(1)}. ` : ''}Estimated ${k.fmt(c.searched, 0)} setups (GPU × count × method × precision × ZeRO × checkpointing × micro-batch).`));
  if (!c.plans.length) {
    wrap.append(el('ul', { class: 'notes' }, ...c.notes.map((n) => el('li', {}, n))));
    return wrap;
  }
  const withTotal = c.plans.some((p) => p.totalCost !== undefined);
  const head = el('tr', {}, ...['#', 'GPUs', 'setup', 'peak / GPU GiB', 'tokens/s', 'step s', '$/h', '$/M tokens', ...(withTotal ? ['job'] : []), 'changes vs the file'].map((h) => el('th', {}, h)));
  const line = (p: TrainingPlanView, i: string) => el('tr', { class: p.meetsTarget ? '' : 'miss', 'data-plan': p.key }, el('td', {}, i), el('td', {}, `${p.gpus} × ${p.gpu}`), el('td', {}, p.setup),
    el('td', { class: 'num' }, `${k.fmt(p.peakGiB, 1)} / ${k.fmt(p.capacityGiB, 0)}`), el('td', { class: 'num' }, k.fmt(p.tokensPerSecond, 0)), el('td', { class: 'num' }, k.fmt(p.stepSeconds, 2)),
    el('td', { class: 'num' }, k.fmt(p.costPerHour, 2)), el('td', { class: 'num' }, k.fmt(p.costPerMillionTokens, 3)),
    ...(withTotal ? [el('td', { class: 'num' }, p.totalCost !== undefined ? `${k.fmt(p.hours!, 1)} h · $${k.fmt(p.totalCost, 2)}` : '')] : []),
    el('td', {}, p.isFile ? "the file's setup" : p.changes.join('; ')));
  const rows = c.plans.map((p, i) => line(p, String(i + 1)));
  if (c.current && !c.plans.some((p) => p.isFile)) rows.push(line(c.current, 'file'));
  wrap.append(el('div', { class: 'scroll' }, el('table', { class: 'plans training-plans' }, el('thead', {}, head), el('tbody', {}, ...rows))), el('ul', { class: 'notes' }, ...c.notes.map((n) => el('li', {}, n))));
  return wrap;
}
