/**
 * Benchmark client results in vLLM's shape: `vllm bench serve --save-result` and `benchmark_serving.py` (mean / median /
 * p99 `_ttft_ms`, `_tpot_ms`, `_itl_ms`, `output_throughput`, `request_throughput`, `max_concurrency`, `request_rate`,
 * `num_prompts`, `random_input_len` / `random_output_len` when saved), and InferenceX's processed result JSON
 * (SemiAnalysisAI/InferenceX utils/process_result.py: `conc`, `isl`, `osl`, `tp`, `ep`, `dp_attention`, `framework`,
 * `hw`, and the same statistics in seconds: `mean_ttft`, `mean_tpot`, …; ../shared/research/silicon-harness.md §3).
 */
import type { BenchmarkClient, EngineName, Sourced, SourceRange } from '../../plan/types';
import { sourced } from '../../plan/types';
import { GpuCatalog } from '../../catalog/gpus';
import type { ReadContext } from '../types';
import { JsonText } from './jsonLocate';
import { LoggedOption, planFromLog } from './logPlan';
import type { FigureName, MeasuredFigure, MeasuredFormat, MeasuredLoad, MeasuredRun } from './types';

type Obj = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

export function isVllmBenchResult(o: Obj): boolean {
  return ('mean_ttft_ms' in o || 'mean_tpot_ms' in o) && ('num_prompts' in o || 'completed' in o) && ('model_id' in o || 'backend' in o || 'output_throughput' in o);
}

export function isInferencexResult(o: Obj): boolean {
  return 'conc' in o && ('mean_ttft' in o || 'mean_tpot' in o) && ('framework' in o || 'hw' in o || 'isl' in o);
}

/** Engines as benchmark clients and InferenceX name them (`--backend vllm` is the OpenAI-style API, any engine). */
function engineOf(name: unknown): EngineName | undefined {
  const s = String(name ?? '').toLowerCase();
  if (/sglang/.test(s)) return 'sglang';
  if (/trt|tensorrt/.test(s)) return 'trtllm';
  if (/tgi|text-generation/.test(s)) return 'tgi';
  if (/vllm/.test(s)) return 'vllm';
  return undefined;
}

const TP_KEY: Record<EngineName, string> = { vllm: 'tensor_parallel_size', sglang: 'tp_size', trtllm: 'tensor_parallel_size', tgi: 'num-shard', tei: 'tp' };

export function readBenchResult(o: Obj, text: string, ctx: ReadContext, uri: string, format: Extract<MeasuredFormat, 'vllm-bench' | 'inferencex'>): MeasuredRun {
  const j = new JsonText(text);
  const figures: MeasuredFigure[] = [];
  const assumptions: string[] = [];
  const at = (key: string) => j.locate([key]) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const seconds = format === 'inferencex' ? 1000 : 1;
  const add = (name: FigureName, key: string, scale = 1) => {
    const v = num(o[key]);
    if (v === undefined || figures.some((f) => f.name === name)) return;
    const range = at(key);
    figures.push({ name, value: v * scale, line: range.start.line + 1, range });
  };
  const suffix = format === 'inferencex' ? '' : '_ms';
  for (const [stat, name] of [['mean', ''], ['median', 'Median'], ['p99', 'P99']] as const) {
    add(`ttft${name}Ms` as FigureName, `${stat}_ttft${suffix}`, seconds);
    add(`tpot${name}Ms` as FigureName, `${stat}_tpot${suffix}`, seconds);
    add(`itl${name}Ms` as FigureName, `${stat}_itl${suffix}`, seconds);
  }
  add('outputTokensPerSec', 'output_throughput');
  add('requestsPerSec', 'request_throughput');
  const engine = engineOf(format === 'inferencex' ? o.framework : o.backend);
  const eng: EngineName = engine ?? 'vllm';
  if (!engine) assumptions.push(`engine vLLM (assumed: the result's backend ${JSON.stringify(o.backend ?? o.framework ?? null)} does not name the engine; pass --engine)`);
  const options: LoggedOption[] = [];
  const opt = (key: string, value: unknown, src: string) => {
    const r = j.locate([src]);
    if (r && value !== undefined && value !== null) options.push({ key, value, keyRange: r, valueRange: r });
  };
  const model = o.model_id ?? o.model ?? o.model_name;
  opt(eng === 'sglang' ? 'model_path' : eng === 'tgi' ? 'model-id' : 'model', model, o.model_id !== undefined ? 'model_id' : o.model !== undefined ? 'model' : 'model_name');
  if (format === 'inferencex') {
    opt(TP_KEY[eng], num(o.tp), 'tp');
    if (eng === 'sglang' && o.dp_attention === true) opt('enable_dp_attention', true, 'dp_attention');
    if (eng === 'trtllm' && o.dp_attention === true) opt('enable_attention_dp', true, 'dp_attention');
    if (num(o.ep) && num(o.ep)! > 1) opt(eng === 'sglang' ? 'ep_size' : eng === 'trtllm' ? 'moe_expert_parallel_size' : 'enable_expert_parallel', eng === 'vllm' ? true : num(o.ep), 'ep');
  }
  const hw = format === 'inferencex' ? String(o.hw ?? '') : '';
  const g = hw ? new GpuCatalog().find(hw.replace(/[-_](trt|sglang|vllm|nv|amd).*$/i, '')) : undefined;
  const gctx = g && !ctx.gpu ? { ...ctx, gpu: sourced(g.id, { kind: 'file' as const, range: at('hw'), key: 'hw' }) } : ctx;
  const { plan, assumptions: pa } = planFromLog(eng, options, gctx, { name: String(model ?? uri.split('/').pop()), engineNote: format === 'inferencex' ? 'InferenceX result' : 'benchmark result (backend)' });
  // InferenceX names the container image: its tag is the engine version (vllm/vllm-openai:v0.18.0).
  const tag = typeof o.image === 'string' ? /:v?(\d+\.\d+(?:\.\d+)?[\w.]*)$/.exec(o.image) : null;
  let engineVersion: MeasuredRun['engineVersion'];
  if (tag) {
    const r = at('image');
    const start = r.start.character + 1 + String(o.image).lastIndexOf(tag[1]);
    const range = { start: { line: r.start.line, character: start }, end: { line: r.start.line, character: start + tag[1].length } };
    engineVersion = { value: tag[1], line: r.start.line + 1, range };
    plan.engine.version = sourced(tag[1], { kind: 'file', range, key: 'image' });
  }
  if (engine) plan.engine.name = sourced(eng, { kind: 'file', range: at(format === 'inferencex' ? 'framework' : 'backend'), key: format === 'inferencex' ? 'framework' : 'backend' });
  // The load the client ran: its concurrency, rate, request count and lengths, each on its key.
  const load: MeasuredLoad = {};
  const src = (key: string): { kind: 'file'; range: SourceRange; key: string } => ({ kind: 'file', range: at(key), key });
  const w = plan.workload;
  const conc = num(o.max_concurrency ?? o.conc);
  const concKey = o.max_concurrency !== undefined ? 'max_concurrency' : 'conc';
  const rate = num(o.request_rate);
  const completed = num(o.completed) ?? num(o.num_prompts);
  const inLen = num(o.random_input_len ?? o.isl) ?? (num(o.total_input_tokens) && completed ? Math.round(num(o.total_input_tokens)! / completed) : undefined);
  const outLen = num(o.random_output_len ?? o.osl) ?? (num(o.total_output_tokens) && completed ? Math.round(num(o.total_output_tokens)! / completed) : undefined);
  const lenKey = (a: string, b: string, c: string) => (o[a] !== undefined ? a : o[b] !== undefined ? b : c);
  if (inLen) (w.inputLen = sourced(inLen, src(lenKey('random_input_len', 'isl', 'total_input_tokens')))), (load.inputLen = inLen);
  if (outLen) (w.outputLen = sourced(outLen, src(lenKey('random_output_len', 'osl', 'total_output_tokens')))), (load.outputLen = outLen);
  if (conc) (w.concurrency = sourced(conc, src(concKey))), (load.concurrency = conc);
  else if (rate) (w.requestRate = sourced(rate, src('request_rate'))), (load.requestRate = rate);
  else if (num(o.num_prompts)) {
    // No concurrency cap and an infinite rate: every prompt is sent at once.
    w.concurrency = sourced(num(o.num_prompts)!, src('num_prompts'));
    load.concurrency = num(o.num_prompts);
  }
  if (rate) load.requestRate = rate;
  const requests = num(o.num_prompts) ?? (format === 'inferencex' && conc ? conc * 10 : undefined);
  if (requests) load.requests = requests;
  const client: BenchmarkClient = { kind: 'closed-loop', preset: 'vllm-bench', ...(requests ? { requests } : {}), statistic: 'mean', firstWave: 'together' };
  // InferenceX draws lengths uniform in [0.8·L, L] and sends 10 × C requests (silicon-harness.md §1a).
  if (format === 'inferencex') Object.assign(client, { lengthSpread: 0.8 });
  w.client = sourced(client, src(o.num_prompts !== undefined ? 'num_prompts' : concKey)) as Sourced<BenchmarkClient>;
  return { format, kind: 'benchmark-result', engine: eng, engineVersion, plan, figures, events: [], load, assumptions: [...pa, ...assumptions] };
}
