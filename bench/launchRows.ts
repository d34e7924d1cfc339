/**
 * `serving-measurements-launch.csv` (../shared/calibration) as the deployments that were measured: each row's engine
 * launch flags (InferenceX, family A) or AIConfigurator's generator rules (family B, whose per-row flags are not
 * public) mapped onto the plan's knobs, plus the benchmark client (InferenceX: inferencexClient; family B: the default
 * workload, aiperf's fixed lengths at 10 × C), then estimated and compared.
 * Sources: ../shared/calibration/README.md (columns), ../shared/research/silicon-launch-recipes.md (the recipes and
 * their pitfalls), ../shared/research/silicon-harness.md (the clients and the generator rules).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogConfig } from '../server/src/catalog/models';
import { GpuCatalog } from '../server/src/catalog/gpus';
import { estimate } from '../server/src/estimator/estimate';
import { parseVersion } from '../server/src/estimator/engines/types';
import type { SpeculativeConfig } from '../server/src/estimator/speculative';
import { BenchmarkClient, EngineName, sourced } from '../server/src/plan/types';
import { KnobValues, median, pct, plan } from './calibrationPlan';
import { parseCsv } from './csv';

export const LAUNCH_FILE = 'serving-measurements-launch.csv';

export type Harness = 'inferencex' | 'aic-internal';

/** Where a row is reported: one engine × GPU × model family × harness group, or apart (and why). */
export type LaunchStanding = { kind: 'group' } | { kind: 'apart'; why: string } | { kind: 'not-expressible'; why: string };

export interface LaunchRow {
  metric: 'ttft' | 'tpot';
  engine: EngineName;
  /** Catalog GPU id. */
  gpu: string;
  /** The checkpoint's config model_type (deepseek_v3, gpt_oss, qwen3_moe): the architecture, not the size. */
  family: string;
  harness: Harness;
  /** launch_confidence of the research note (high / med / low); `generator rules` for family B. */
  confidence: string;
  label: string;
  measured: number;
  estimated: number;
  errorPct: number;
  standing: LaunchStanding;
}

/** A row the estimator refused: no estimate, counted in the not-expressible group with the refusal. */
export interface LaunchRefusal {
  engine: string;
  gpu: string;
  harness: Harness;
  label: string;
  why: string;
}

export interface LaunchRead {
  rows: LaunchRow[];
  refused: LaunchRefusal[];
  /** Lines of the file (each line gives a TTFT and a TPOT row, or one refusal). */
  lines: number;
}

/**
 * AIConfigurator's `system` names → catalog ids, only where GpuCatalog.find does not resolve the name (with or
 * without its `_sxm` suffix) to the right part: AIC's a100_sxm is the 80 GB SXM board, find('a100') the 40 GB one.
 */
const SYSTEM_GPUS: Record<string, string> = { a100_sxm: 'A100-80GB' };

export function systemGpu(system: string, catalog = new GpuCatalog()): string | undefined {
  return SYSTEM_GPUS[system] ?? catalog.find(system)?.id ?? catalog.find(system.replace(/_sxm\d?$/, ''))?.id;
}

const num = (v: string | undefined): number | undefined => {
  const n = Number(v);
  return v !== undefined && v !== '' && v !== 'default' && Number.isFinite(n) ? n : undefined;
};

/** `gpu-memory-utilization=0.9`, `mem-fraction-static=0.82`, `free_gpu_memory_fraction=0.8` → the number. */
const memSetting = (v: string): number | undefined => num(/=\s*([\d.]+)/.exec(v)?.[1]);

/** The engine version a row ran: `backend_version` when it is numbered, else the image tag (`v0.5.9-cu130` → 0.5.9). */
export function rowVersion(r: Record<string, string>): string {
  if (/\d+\.\d+/.test(r.backend_version)) return r.backend_version;
  const tag = r.launch_image_version?.split(':').pop() ?? '';
  return tag.replace(/^v/, '').replace(/-cu\d+.*$|-amd64$/, '') || r.backend_version;
}

/**
 * Speculative decoding as `launch_other_flags` records it (silicon-launch-recipes.md §4.1): TensorRT-LLM
 * `SPECULATIVE: MTP num_nextn_predict_layers=N` (N draft tokens from the checkpoint's MTP layers) and SGLang
 * `SPECULATIVE: EAGLE(MTP) num-steps=S num-draft-tokens=T` — SGLang's EAGLE worker drafting with DeepSeek's own
 * NextN layers, T counting the verified token (formats/speculative.ts sglangSpeculative), so T − 1 draft tokens.
 * Acceptance is left to the estimator's stated assumption for the method.
 */
export function launchSpeculative(flags: string): SpeculativeConfig | undefined {
  const mtp = /SPECULATIVE:\s*MTP\s+num_nextn_predict_layers=(\d+)/i.exec(flags);
  if (mtp) return { method: 'mtp', numTokens: Number(mtp[1]) };
  const eagle = /SPECULATIVE:\s*EAGLE(\(MTP\))?\s+num-steps=(\d+)\s+num-draft-tokens=(\d+)/i.exec(flags);
  if (eagle) return { method: eagle[1] ? 'mtp' : 'eagle', numTokens: Math.max(1, Number(eagle[3]) - 1) };
  return undefined;
}

/**
 * The checkpoint InferenceX served (silicon-launch-recipes.md §1.1: `DeepSeek-R1` rows are InferenceX `dsr1` =
 * DeepSeek-R1-0528, its FP4 runs NVIDIA's NVFP4 export); other model paths are the checkpoint itself.
 */
export function inferencexModel(r: Record<string, string>): string {
  if (/DeepSeek-(R1|V3)$/.test(r.model_path)) return r.precision === 'fp4' ? 'nvidia/DeepSeek-R1-0528-FP4' : 'deepseek-ai/DeepSeek-R1-0528';
  return r.model_path;
}

/** `1 (dp=8)` → 8; `0` → undefined. */
const dpAttention = (v: string): number | undefined => (v.startsWith('1') ? num(/dp=(\d+)/.exec(v)?.[1]) ?? 1 : undefined);

/** InferenceX (family A): the launch_* columns as the plan's knobs. Flags without a plan knob are listed in UNMAPPED. */
export function inferencexKnobs(r: Record<string, string>): KnobValues {
  const engine = r.backend as EngineName;
  const tp = num(r.launch_tp) ?? 1;
  const ep = num(r.launch_ep) ?? 1;
  const dp = dpAttention(r.launch_dp_attention);
  const seqs = num(r.launch_max_num_seqs);
  let budget = num(r.launch_token_budget);
  // SGLang caps one prefill batch at max-prefill-tokens (default 16384) as well as each chunk at chunked-prefill-size.
  if (engine === 'sglang' && budget !== undefined) budget = Math.min(budget, num(r.launch_max_prefill_tokens) ?? 16384);
  const kv = r.launch_kv_cache_dtype;
  const quant = r.launch_quantization;
  const knobs: KnobValues = {
    tensorParallel: tp, pipelineParallel: num(r.launch_pp) ?? 1,
    expertParallel: ep > 1 ? ep : undefined,
    maxModelLen: num(r.launch_max_model_len),
    maxNumSeqs: seqs,
    maxNumBatchedTokens: budget,
    enableChunkedPrefill: r.launch_chunked_prefill.startsWith('on') ? true : r.launch_chunked_prefill.startsWith('off') ? false : undefined,
    kvCacheDtype: kv && kv !== 'default' && kv !== 'auto' ? kv : undefined,
    gpuMemoryUtilization: memSetting(r.launch_mem_setting),
    enablePrefixCaching: r.launch_prefix_caching === 'off' ? false : r.launch_prefix_caching === 'on' ? true : undefined,
    quantization: quant && quant !== 'default' ? quant : undefined,
    speculative: launchSpeculative(r.launch_other_flags),
    // vLLM max-cudagraph-capture-size / SGLang cuda-graph-max-bs / TensorRT-LLM cuda_graph_config.max_batch_size.
    cudaGraphMaxBatch: num(r.launch_cuda_graph_max_bs),
    schedulerRecvInterval: num(/scheduler-recv-interval=(\d+)/.exec(r.launch_other_flags)?.[1]),
    // vLLM --async-scheduling (the 2025 recipes pass it; from 0.14 it is the default).
    ...(engine === 'vllm' && /(^|; )async-scheduling/.test(r.launch_other_flags) ? { asyncScheduling: true } : {}),
    // TensorRT-LLM holds the first streamed chunk for stream_interval iterations unless postprocess workers stream
    // (resolveKnobs.ts trtllmFirstChunkIterations); SGLang's and vLLM's stream intervals are not modelled.
    ...(engine === 'trtllm' ? { streamInterval: num(r.launch_stream_interval), postprocessWorkers: num(/num_postprocess_workers=(\d+)/.exec(r.launch_other_flags)?.[1]), ...attentionDpConfig(r.launch_other_flags) } : {}),
  };
  if (dp && dp > 1) {
    // launch_max_num_seqs is per DP rank (silicon-launch-recipes.md §1.7). TensorRT-LLM's max_batch_size is a rank's
    // too; SGLang's --max-running-requests is the server's (dataParallel.ts), so it is the ranks' sum; vLLM's
    // DP-attention recipes launch TP 1 × DP ranks.
    if (engine === 'trtllm') Object.assign(knobs, { attentionDataParallel: true });
    else if (engine === 'sglang') Object.assign(knobs, { attentionDataParallel: true, dataParallel: dp, maxNumSeqs: seqs !== undefined ? seqs * dp : undefined });
    else Object.assign(knobs, { tensorParallel: Math.max(1, tp / dp), dataParallel: dp });
  }
  return knobs;
}

/** TensorRT-LLM `attention_dp_config` as the recipes' flags spell it (the DeepSeek recipes set all three keys). */
function attentionDpConfig(flags: string): { attentionDpBalance?: boolean; attentionDpTimeoutIters?: number; attentionDpBatchingWaitIters?: number } {
  const m = /attention_dp_config:\s*enable_balance=(true|false),\s*batching_wait_iters=(\d+),\s*timeout_iters=(\d+)/.exec(flags);
  if (m) return { attentionDpBalance: m[1] === 'true', attentionDpBatchingWaitIters: Number(m[2]), attentionDpTimeoutIters: Number(m[3]) };
  // The gpt-oss recipes set enable_balance alone: the other two keep TensorRT-LLM's defaults.
  const alone = /attention_dp_config\.enable_balance=(true|false)/.exec(flags);
  return alone ? { attentionDpBalance: alone[1] === 'true' } : {};
}

/**
 * Launch flags the plan has no knob for, so they do not reach the estimate (the recipes set them on most rows):
 * SGLang's and vLLM's stream intervals (TensorRT-LLM's reaches the plan: stream_interval, num_postprocess_workers), attention/MoE kernel backends,
 * piecewise CUDA graphs. (CUDA-graph batch caps reach the plan as cudaGraphMaxBatch; the client's warm-up count reaches
 * it too (inferencexClient) but changes no figure: warm-ups finish before the measured run starts.)
 */
export const UNMAPPED = ['launch_stream_interval (SGLang, vLLM)', 'launch_other_flags (kernel backends, piecewise CUDA graphs)'] as const;

/**
 * AIConfigurator's own harness (family B): the per-row engine flags are not public, so the rows run the rules of
 * AIC's config generator as ../shared/research/silicon-harness.md §2b states them ([inf, med] that these rows used
 * them) — an explicit assumption, the same for every family-B row:
 * - every engine: `max_batch_size` = the row's batch (`module_bridge.py:153`, benchmark rule set `rule_plugin/benchmark/*.rule:2-4`)
 *   → vLLM --max-num-seqs / SGLang --max-running-requests / TensorRT-LLM max_batch_size;
 * - TensorRT-LLM: `max_num_tokens = bs + ISL + 1500`, chunked prefill off, block reuse off, free_gpu_memory_fraction 0.80,
 *   overlap scheduler on (`extra_engine_args.1.0.0rc3.yaml.j2:19-35`, `trtllm.py:106,126-133`);
 * - vLLM: `max_num_batched_tokens = bs + ISL + 1500` (`vllm.rule:17-21`), chunked prefill and prefix caching left at
 *   the V1 defaults (on);
 * - SGLang from the 0.5.6.post2 template on: `--enable-mixed-chunk` (`sglang.rule:10-12`, added 2026-01-19 with the
 *   Dynamo 0.8.0 templates; the 0.5.1 rows predate it and run SGLang's prefill-first default), `--max-prefill-tokens
 *   ISL + 1500` (above the H200 default 8192 chunk for every family-B ISL up to 6.6k, so the default chunk is what
 *   binds), radix cache left on.
 * Not assumed: prefix-cache hits from aiperf's reused prompt pool (silicon-harness.md §4: 0 to ~all depending on the
 * unrecorded client version), the 2026-01-30 "production" rules that raise max_batch_size to 512 / 2·bs, and the
 * 20·C / 50·C request counts of the later bench_run.sh (the latency model runs 10 rounds, AIC eval's 10·C).
 * Lengths are exact (aiperf, stddev 0) and the concurrency is the row's batch per worker.
 */
export function aicGeneratorKnobs(r: Record<string, string>, engine: EngineName): KnobValues {
  const bs = Math.max(1, Number(r.batch_size) || 1);
  const isl = Number(r.isl);
  if (engine === 'trtllm') return { maxNumSeqs: bs, maxNumBatchedTokens: bs + isl + 1500, enableChunkedPrefill: false, enablePrefixCaching: false, gpuMemoryUtilization: 0.8 };
  if (engine === 'vllm') return { maxNumSeqs: bs, maxNumBatchedTokens: bs + isl + 1500 };
  if (engine === 'sglang') {
    const [major, minor, patch] = parseVersion(r.backend_version, '0.0.0');
    const template = major > 0 || minor > 5 || (minor === 5 && patch >= 6);
    return template ? { maxNumSeqs: bs, mixedChunk: true } : { maxNumSeqs: bs };
  }
  return { maxNumSeqs: bs };
}

/** Family B parallelism and weights, for the family-B rows of both files (every row of serving-measurements.csv is one). */
export function aicLayoutKnobs(r: Record<string, string>, model: string): KnobValues {
  const tp = Number(r.tp_size) || 1;
  const dp = Number(r.attention_dp_size) || 1;
  const ep = Number(r.moe_ep_size) || 1;
  // The label is the GEMM mode AIC ran; a checkpoint already in 4 bits (gpt-oss MXFP4) or 8 bits stays as it is.
  const q = catalogConfig(model)?.quantization_config as Record<string, unknown> | undefined;
  const ckpt = String(q?.quant_method ?? q?.quant_algo ?? '').toLowerCase();
  const fourBit = /fp4|mxfp4/.test(ckpt) || /fp4/i.test(String(q?.quant_algo ?? ''));
  const quant = r.gemm_quant_mode === 'nvfp4' && !fourBit ? 'nvfp4' : r.gemm_quant_mode.startsWith('fp8') && !q ? 'fp8' : undefined;
  const knobs: KnobValues = { tensorParallel: tp, pipelineParallel: Number(r.pp_size) || 1, quantization: quant, maxModelLen: Number(r.isl) + Number(r.osl) + 1500, ...(ep > 1 ? { expertParallel: ep } : {}) };
  // AIC labels a vLLM worker by its attention TP and its MoE grid (moe_tp × moe_ep GPUs): `tp 1, moe_tp 2` is two
  // data-parallel ranks of TP 1 whose expert layers span both GPUs (235 B of FP8 weights do not fit one H200).
  const moeGpus = (Number(r.moe_tp_size) || 1) * ep;
  if (r.backend === 'vllm' && dp <= 1 && moeGpus > tp && moeGpus % tp === 0) knobs.dataParallel = moeGpus / tp;
  if (dp > 1 && r.backend === 'vllm') knobs.dataParallel = dp;
  else if (dp > 1) Object.assign(knobs, { tensorParallel: tp * dp, attentionDataParallel: true, ...(r.backend === 'sglang' ? { dataParallel: dp } : {}) });
  return knobs;
}

/** The mean of lengths uniform in [r·L, L]: (1 + r)/2 · L (0.9 · L at InferenceX's 0.8). */
export const meanLength = (label: number, rangeRatio: number): number => Math.max(1, Math.round(((1 + rangeRatio) / 2) * label));

/**
 * The InferenceX client as the row ran it (silicon-harness.md §1a): benchmark_serving.py with --num-prompts 10 × C
 * (or the row's own count: the older nightly sweeps sent 20 × C and 50 × C), --random-range-ratio 0.8 (lengths uniform
 * in [0.8·L, L] around the labels), --num-warmups 2 × C (the row's count where recorded: 0 before 2026-01-21),
 * --request-rate inf (the first wave together), the mean reported.
 */
export function inferencexClient(r: Record<string, string>, conc: number): BenchmarkClient {
  return {
    kind: 'closed-loop',
    preset: 'vllm-bench',
    requests: num(r.launch_client_num_prompts) ?? 10 * conc,
    warmup: num(r.launch_client_warmups) ?? 2 * conc,
    lengthSpread: num(r.launch_client_range_ratio) ?? 0.8,
    statistic: 'mean',
    firstWave: 'together',
  };
}

const harnessOf = (r: Record<string, string>): Harness => (r.harness.startsWith('inferencex') ? 'inferencex' : 'aic-internal');

/** Why a row is reported apart from the groups: disaggregated, or low confidence (silicon-launch-recipes.md §2). */
function apartWhy(r: Record<string, string>): string | undefined {
  if (r.mode && r.mode !== 'agg') return `mode ${r.mode} (disaggregated)`;
  if (/disaggregated/i.test(r.launch_note ?? '')) return 'disaggregated per the research note';
  if (r.launch_confidence === 'low') return 'launch config low confidence';
  return undefined;
}

/** Why a row cannot be expressed as a plan the estimator runs as measured (the knob or client setting it lacks). */
function notExpressibleWhy(r: Record<string, string>, harness: Harness): string | undefined {
  // TensorRT-LLM / SGLang MoE layers on a moe_tp × moe_ep grid: the plan's expertParallel splits the experts over EP
  // ranks alone (memory.ts expertShards), with no MoE tensor-parallel knob for the rest of the grid.
  const [tp, ep, moeTp] = harness === 'inferencex' ? [num(r.launch_tp) ?? 1, num(r.launch_ep) ?? 1, 1] : [Number(r.tp_size) || 1, Number(r.moe_ep_size) || 1, Number(r.moe_tp_size) || 1];
  if (r.backend !== 'vllm' && ep > 1 && (moeTp > 1 || ep < tp)) return `MoE on a tensor × expert grid (moe_tp ${harness === 'inferencex' ? tp / ep : moeTp} × moe_ep ${ep}): no MoE tensor-parallel knob`;
  // The InferenceX client's request count is modelled (inferencexClient); family-B rows record none, and run the
  // default workload's 10 × C (AIC eval's --request-count 10C; the later 20 × C / 50 × C bench_run.sh is unrecorded).
  return undefined;
}

export function launchRows(dir: string): LaunchRead {
  const file = path.join(dir, LAUNCH_FILE);
  const out: LaunchRead = { rows: [], refused: [], lines: 0 };
  if (!fs.existsSync(file)) return out;
  const catalog = new GpuCatalog();
  for (const r of parseCsv(fs.readFileSync(file, 'utf8'))) {
    out.lines++;
    const harness = harnessOf(r);
    const engine = r.backend as EngineName;
    const gpu = systemGpu(r.system, catalog);
    const isl = Number(r.isl);
    const osl = Number(r.osl);
    const conc = harness === 'inferencex'
      ? Math.max(1, Number(/silicon_concurrency=(\d+)/.exec(r.silicon_data_source)?.[1]) || Number(r.batch_size) || 1)
      : Math.max(1, Number(r.batch_size) || 1);
    const model = harness === 'inferencex' ? inferencexModel(r) : r.model_path;
    const label = `${harness} ${engine} ${rowVersion(r)} ${model.split('/').pop()} ${r.system} ${r.gemm_quant_mode} tp${r.launch_tp || r.tp_size}${r.launch_ep && r.launch_ep !== '1' ? ` ep${r.launch_ep}` : ''}${r.launch_dp_attention?.startsWith('1') ? ' dpattn' : ''} ${isl}/${osl} c${conc}${/SPECULATIVE/.test(r.launch_other_flags) ? ' spec' : ''}`;
    if (!gpu) {
      out.refused.push({ engine, gpu: r.system, harness, label, why: `GPU "${r.system}" not in the catalog` });
      continue;
    }
    // Lengths at the labels: the InferenceX client's spread below them is the client model's (inferencexClient).
    const workload = { isl, osl, conc };
    const knobs = harness === 'inferencex' ? inferencexKnobs(r) : { ...aicLayoutKnobs(r, model), ...aicGeneratorKnobs(r, engine) };
    const inexpressible = notExpressibleWhy(r, harness);
    const p = plan(model, gpu, engine, rowVersion(r), knobs, workload);
    if (harness === 'inferencex') p.workload.client = sourced(inferencexClient(r, conc), { kind: 'cli', flag: 'client' });
    const res = estimate(p);
    if (!res.ok) {
      const why = res.issues.find((i) => i.severity === 'error')?.message ?? 'estimate failed';
      out.refused.push({ engine, gpu, harness, label, why: `estimator refused: ${why}` });
      continue;
    }
    const e = res.estimate;
    // An estimate that says the deployment cannot run as written (does-not-fit, ...) is not the deployment measured.
    const broken = e.issues.find((i) => i.severity === 'error');
    if (broken || !(e.latency.ttftMs > 0) || !(e.latency.tpotMs > 0)) {
      out.refused.push({ engine, gpu, harness, label, why: inexpressible ?? (broken ? `the estimate says it cannot run: ${broken.code}` : 'no latency estimate') });
      continue;
    }
    const apart = apartWhy(r);
    const standing: LaunchStanding = apart ? { kind: 'apart', why: apart } : inexpressible ? { kind: 'not-expressible', why: inexpressible } : { kind: 'group' };
    const family = String(catalogConfig(model)?.model_type ?? model.split('/').pop());
    const base = { engine, gpu, family, harness, confidence: r.launch_confidence || 'generator rules', label, standing };
    out.rows.push({ ...base, metric: 'ttft', measured: Number(r.silicon_ttft_ms), estimated: e.latency.ttftMs, errorPct: pct(e.latency.ttftMs, Number(r.silicon_ttft_ms)) });
    out.rows.push({ ...base, metric: 'tpot', measured: Number(r.silicon_tpot_ms), estimated: e.latency.tpotMs, errorPct: pct(e.latency.tpotMs, Number(r.silicon_tpot_ms)) });
  }
  return out;
}

export interface LaunchGroupSummary {
  group: string;
  /** Measured runs (each has a TTFT and a TPOT row). */
  runs: number;
  ttftMedianAbsPct: number;
  ttftMedianSignedPct: number;
  tpotMedianAbsPct: number;
  tpotMedianSignedPct: number;
}

function summarizeRows(group: string, rows: LaunchRow[]): LaunchGroupSummary {
  const errs = (m: LaunchRow['metric']) => rows.filter((r) => r.metric === m).map((r) => r.errorPct);
  const t = errs('ttft');
  const p = errs('tpot');
  return { group, runs: t.length, ttftMedianAbsPct: median(t.map(Math.abs)), ttftMedianSignedPct: median(t), tpotMedianAbsPct: median(p.map(Math.abs)), tpotMedianSignedPct: median(p) };
}

/** GPU classes of the issue's targets (H100, H200, B200-class = Blackwell datacenter parts). */
export const gpuClass = (gpu: string): string => (/^(B|GB)\d/.test(gpu) ? 'B200-class' : gpu.startsWith('H100') ? 'H100' : gpu.startsWith('H200') ? 'H200' : gpu);

export const groupKey = (r: Pick<LaunchRow, 'engine' | 'gpu' | 'family' | 'harness'>): string => `${r.engine} × ${r.gpu} × ${r.family} × ${r.harness}`;

/**
 * The per-group table: every engine × GPU × family × harness group of the rows that run as measured, then totals
 * (all, per harness, per GPU class), then the rows reported apart and those not expressible, each with its reason.
 */
export function summarizeLaunch(read: LaunchRead): { groups: LaunchGroupSummary[]; totals: LaunchGroupSummary[]; apart: LaunchGroupSummary[]; refused: Array<{ why: string; runs: number }> } {
  const inGroups = read.rows.filter((r) => r.standing.kind === 'group');
  const by = <K extends string>(rows: LaunchRow[], key: (r: LaunchRow) => K) => {
    const m = new Map<K, LaunchRow[]>();
    for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  const groups = by(inGroups, groupKey).map(([g, rows]) => summarizeRows(g, rows));
  const totals = [
    summarizeRows('all (as measured)', inGroups),
    ...by(inGroups, (r) => r.harness).map(([h, rows]) => summarizeRows(`harness ${h}`, rows)),
    ...by(inGroups, (r) => gpuClass(r.gpu)).map(([c, rows]) => summarizeRows(`GPU ${c}`, rows)),
    // Medium-confidence launch configs (STP vs MTP told apart by the measured TPOT, runner-dependent prompt counts)
    // stay in their groups; this line shows whether they sit apart from the high-confidence ones.
    ...by(inGroups.filter((r) => r.harness === 'inferencex'), (r) => r.confidence).map(([c, rows]) => summarizeRows(`inferencex launch confidence ${c}`, rows)),
  ];
  const apart = by(read.rows.filter((r) => r.standing.kind !== 'group'), (r) => `${r.standing.kind === 'apart' ? 'apart' : 'not expressible'}: ${(r.standing as { why: string }).why}`)
    .map(([g, rows]) => summarizeRows(g, rows));
  // Said even when empty, so a reader sees that nothing was set aside silently.
  if (!read.rows.some((r) => r.standing.kind === 'apart')) apart.unshift(summarizeRows('apart: low confidence or disaggregated (none in the file)', []));
  const counts = new Map<string, number>();
  for (const x of read.refused) counts.set(x.why, (counts.get(x.why) ?? 0) + 1);
  const refused = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([why, runs]) => ({ why, runs }));
  return { groups, totals, apart, refused };
}

export function printLaunchTable(read: LaunchRead, log: (s: string) => void = console.log): void {
  const s = summarizeLaunch(read);
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
  const sf = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(1)}` : '—');
  log('');
  log(`Launch configs (${LAUNCH_FILE}, ${read.lines} runs): error by engine × GPU × model family × harness; signed = median of (estimate − measured) / measured`);
  log('| group | runs | TTFT median abs % | TTFT median signed % | TPOT median abs % | TPOT median signed % |');
  log('|---|---|---|---|---|---|');
  for (const g of [...s.groups, ...s.totals, ...s.apart]) log(`| ${g.group} | ${g.runs} | ${f(g.ttftMedianAbsPct)} | ${sf(g.ttftMedianSignedPct)} | ${f(g.tpotMedianAbsPct)} | ${sf(g.tpotMedianSignedPct)} |`);
  for (const r of s.refused) log(`| not expressible, not estimated: ${r.why} | ${r.runs} | — | — | — | — |`);
}
