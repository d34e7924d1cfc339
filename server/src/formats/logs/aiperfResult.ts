/**
 * aiperf and genai-perf exports: `profile_export_aiperf.json` / `profile_export_genai_perf.json` (each metric an object
 * with `unit`, `avg`, `p50`, `p99`, …; aiperf may nest them under `records`; the run's `input_config` beside them) and
 * their CSV (`Metric,avg,min,max,p99,…` rows such as `Time To First Token (ms)`, then `Metric,Value` rows for the
 * throughputs). aiperf's inter-token latency is (request latency − TTFT) / (output tokens − 1): TPOT
 * (ai-dynamo/aiperf aiperf/metrics/types/inter_token_latency_metric.py; ../shared/research/silicon-harness.md §3).
 */
import type { SourceRange } from '../../plan/types';
import { sourced } from '../../plan/types';
import type { ReadContext } from '../types';
import { JsonText } from './jsonLocate';
import { LoggedOption, planFromLog } from './logPlan';
import { cleanLine, rangeIn } from './lines';
import type { FigureName, MeasuredFigure, MeasuredLoad, MeasuredRun } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const metricsOf = (o: Obj): Obj => (isObj(o.records) ? o.records : o);

export function isAiperfResult(o: Obj): boolean {
  const m = metricsOf(o);
  return isObj(m.time_to_first_token) && ('avg' in m.time_to_first_token || 'p50' in m.time_to_first_token) && (isObj(m.inter_token_latency) || isObj(m.request_throughput) || isObj(m.output_token_throughput));
}

/** Time units → ms. */
const TO_MS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, us: 1e-3, ns: 1e-6 };

/** The value at `path` in nested objects. */
function dig(o: unknown, path: string[]): unknown {
  let v = o;
  for (const k of path) v = isObj(v) ? v[k] : undefined;
  return v;
}

export function readAiperfJson(o: Obj, text: string, ctx: ReadContext, uri: string): MeasuredRun {
  const j = new JsonText(text);
  const m = metricsOf(o);
  const base = m === o ? [] : ['records'];
  const figures: MeasuredFigure[] = [];
  const add = (name: FigureName, metric: string, stat: string, time: boolean) => {
    const mo = m[metric];
    if (!isObj(mo)) return;
    const v = num(mo[stat]);
    if (v === undefined) return;
    const scale = time ? TO_MS[String(mo.unit ?? 'ms').toLowerCase()] ?? 1 : 1;
    const range = j.locate([...base, metric, stat]);
    if (range) figures.push({ name, value: v * scale, line: range.start.line + 1, range });
  };
  add('ttftMs', 'time_to_first_token', 'avg', true);
  add('ttftMedianMs', 'time_to_first_token', 'p50', true);
  add('ttftP99Ms', 'time_to_first_token', 'p99', true);
  add('tpotMs', 'inter_token_latency', 'avg', true);
  add('tpotMedianMs', 'inter_token_latency', 'p50', true);
  add('tpotP99Ms', 'inter_token_latency', 'p99', true);
  add('itlMs', 'inter_token_latency', 'avg', true);
  add('outputTokensPerSec', 'output_token_throughput', 'avg', false);
  add('requestsPerSec', 'request_throughput', 'avg', false);
  const aiperf = 'records' in o || isObj(dig(o, ['input_config', 'loadgen'])) || isObj(dig(o, ['input_config', 'endpoint'])) || /aiperf/i.test(uri);
  // The run's own settings: aiperf nests them (endpoint / loadgen / input.prompt), genai-perf keeps them flat.
  const ic = isObj(o.input_config) ? o.input_config : {};
  const first = (paths: string[][]): { value: unknown; path: string[] } | undefined => {
    for (const p of paths) {
      const v = dig(ic, p);
      if (v !== undefined && v !== null) return { value: Array.isArray(v) ? v[0] : v, path: ['input_config', ...p] };
    }
    return undefined;
  };
  const model = first([['endpoint', 'model_names'], ['model_names'], ['model']]);
  const conc = first([['loadgen', 'concurrency'], ['concurrency']]);
  const rate = first([['loadgen', 'request_rate'], ['request_rate']]);
  const count = first([['loadgen', 'request_count'], ['request_count'], ['num_prompts']]);
  const isl = first([['input', 'prompt', 'input_tokens', 'mean'], ['prompt', 'input_tokens', 'mean'], ['synthetic_input_tokens_mean']]);
  const osl = first([['input', 'prompt', 'output_tokens', 'mean'], ['prompt', 'output_tokens', 'mean'], ['output_tokens_mean']]);
  const at = (p: { path: string[] }): SourceRange => j.locate(p.path) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const options: LoggedOption[] = model && typeof model.value === 'string' ? [{ key: 'model', value: model.value, keyRange: at(model), valueRange: at(model) }] : [];
  const { plan, assumptions } = planFromLog('vllm', options, ctx, { name: String(model?.value ?? uri.split('/').pop()), engineNote: 'engine vLLM (assumed: an aiperf result does not name the engine; pass --engine)' });
  assumptions.push(`engine vLLM (assumed: ${aiperf ? 'aiperf' : 'genai-perf'} results do not name the engine; pass --engine)`);
  const load: MeasuredLoad = {};
  const src = (p: { path: string[] }) => ({ kind: 'file' as const, range: at(p), key: p.path.join('.') });
  const w = plan.workload;
  if (isl && num(isl.value)) (w.inputLen = sourced(num(isl.value)!, src(isl))), (load.inputLen = num(isl.value));
  if (osl && num(osl.value)) (w.outputLen = sourced(num(osl.value)!, src(osl))), (load.outputLen = num(osl.value));
  if (conc && num(conc.value)) (w.concurrency = sourced(num(conc.value)!, src(conc))), (load.concurrency = num(conc.value));
  else if (rate && num(rate.value)) (w.requestRate = sourced(num(rate.value)!, src(rate))), (load.requestRate = num(rate.value));
  if (count && num(count.value)) load.requests = num(count.value);
  w.client = sourced({ kind: 'closed-loop' as const, preset: 'aiperf' as const, ...(load.requests ? { requests: load.requests } : {}) }, conc ? src(conc) : { kind: 'default' as const, note: 'aiperf client' });
  return { format: aiperf ? 'aiperf' : 'genai-perf', kind: 'benchmark-result', engine: 'vllm', plan, figures, events: [], load, assumptions };
}

/** CSV rows by their metric name (case and spacing as aiperf and genai-perf write them). */
const CSV_ROWS: Array<{ re: RegExp; figures: Array<[FigureName, string]>; time: boolean }> = [
  { re: /^time to first token \((\w+)\)$/i, figures: [['ttftMs', 'avg'], ['ttftMedianMs', 'p50'], ['ttftP99Ms', 'p99']], time: true },
  { re: /^inter token latency \((\w+)\)$/i, figures: [['tpotMs', 'avg'], ['tpotMedianMs', 'p50'], ['tpotP99Ms', 'p99'], ['itlMs', 'avg']], time: true },
  { re: /^output token throughput \(tokens\/sec\)$/i, figures: [['outputTokensPerSec', 'value'], ['outputTokensPerSec', 'avg']], time: false },
  { re: /^request throughput \((?:per sec|requests\/sec)\)$/i, figures: [['requestsPerSec', 'value'], ['requestsPerSec', 'avg']], time: false },
];

export function isAiperfCsv(text: string): boolean {
  return /^\uFEFF?Metric,/.test(text) && /^(?:"?)time to first token \(/im.test(text.slice(0, 20000));
}

export function readAiperfCsv(text: string, ctx: ReadContext, uri: string): MeasuredRun {
  const figures: MeasuredFigure[] = [];
  let header: string[] = [];
  const lines = text.split('\n', 500);
  lines.forEach((raw, i) => {
    const line = cleanLine(raw, i);
    const cells = line.text.split(',');
    if (/^\uFEFF?Metric$/i.test(cells[0].replace(/"/g, ''))) {
      header = cells.map((c) => c.trim().replace(/"/g, '').toLowerCase());
      return;
    }
    const name = cells[0].replace(/"/g, '').trim();
    const row = CSV_ROWS.find((r) => r.re.test(name));
    if (!row) return;
    const unit = row.time ? TO_MS[(row.re.exec(name)?.[1] ?? 'ms').toLowerCase()] ?? 1 : 1;
    for (const [fig, col] of row.figures) {
      const c = header.indexOf(col);
      if (c < 0 || figures.some((f) => f.name === fig)) continue;
      const v = Number(cells[c]?.replace(/"/g, ''));
      if (!Number.isFinite(v) || cells[c].trim() === '') continue;
      const start = cells.slice(0, c).join(',').length + 1;
      const range = rangeIn(line, start, start + cells[c].length);
      figures.push({ name: fig, value: v * unit, line: i + 1, range });
    }
  });
  const { plan, assumptions } = planFromLog('vllm', [], ctx, { name: uri.split('/').pop() ?? 'aiperf CSV', engineNote: 'engine vLLM (assumed)' });
  assumptions.push('engine vLLM, model and load unknown: a CSV export states neither (pass --engine, --input-len, --output-len, --concurrency, or keep the JSON export)');
  plan.workload.client = sourced({ kind: 'closed-loop', preset: 'aiperf' }, { kind: 'default', note: 'aiperf client' });
  return { format: /genai[-_]perf/i.test(uri) ? 'genai-perf' : 'aiperf', kind: 'benchmark-result', engine: 'vllm', plan, figures, events: [], assumptions };
}
