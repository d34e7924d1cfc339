/**
 * `deploy-advisor` CLI: the terminal/CI adapter over the same pipeline the language server uses.
 * Flag names and the --json shape are a public contract (see README "CLI").
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalogConfig } from './catalog/models';
import { localModelLoader } from './node/localModels';
import { envToken, HubConfigStore } from './node/hub';
import { isLocalPath } from './formats/engineOptions';
import { findSideProfile } from './node/sideProfile';
import { readText } from './formats';
import type { ReadResult } from './formats/types';
import { Analysis, evaluate, workloadFindings } from './pipeline';
import { cited, evidenceMarkdown, papersFor } from './evidence/catalog';
import { families, FamilyId } from './evidence/families';
import { benchmarkPresets, benchmarkStatistics, BenchmarkClient, BenchmarkPreset, BenchmarkStatistic, byDefault, engineNames, EngineName, DeploymentPlan, sourced } from './plan/types';
import { didYouMean } from './text/didYouMean';
import { estimateToJson } from './report/json';
import { analysisMarkdown } from './report/markdown';
import { deploymentVerdict } from './verdict';
import { defaultWorkload } from './plan/defaults';
import { loadGpuOverrides } from './node/gpuOverrides';
import { defaultDeps, EstimatorDeps } from './estimator/estimate';
import { optimize } from './optimizer/search';
import { requestFromPlan } from './optimizer/request';
import type { OptimizeRequest } from './optimizer/types';
import { optimizeMarkdown } from './report/optimize';
import { reportData } from './report/data';
import { reportHtml } from '../../report-view/page';
import { randomBytes } from 'node:crypto';

const HELP = `deploy-advisor — GPU memory and latency estimates for LLM deployments

Usage:
  deploy-advisor estimate <file> [options]   estimate a config.json, a folder holding one, a vLLM config YAML,
                                             or a model id from the built-in catalog
  deploy-advisor optimize <file> [options]   the cheapest plans (GPU × count × TP/PP/EP × precision × batch × engine)
                                             that meet the SLO, ranked by cost per million output tokens
  deploy-advisor report <file> --html OUT      the visual report (memory, KV, latency curves, what-ifs) as one
                                             self-contained HTML file; takes the estimate options too
  deploy-advisor evidence [family]           the technique catalog: what each technique does, when, its caveats,
                                             and the seed papers behind it (families: kv-quantization, ...)
  deploy-advisor --help | --version

Options:
  --gpu NAME                 GPU (H100, h100_sxm, A100-80GB, L40S, "NVIDIA H100 80GB HBM3", ...)
  --gpus N                   GPUs per replica (used as tensor parallel when no parallelism is given)
  --engine vllm|sglang|trtllm|tgi
  --engine-version X.Y       version-dependent defaults and KV budget (default: newest modelled)
  --input-len N              prompt tokens per request (default 1024)
  --output-len N             output tokens per request (default 256)
  --concurrency N|max        requests in flight (default 1; max = what KV and max-num-seqs allow)
  --request-rate R           instead of --concurrency: requests/s arriving steadily (open loop), per replica
  --ttft-ms X  --tpot-ms Y  --min-throughput T   an SLO to check (slo-miss, with the fixes that meet it)
  --benchmark vllm-bench|aiperf   report latency as this client would (vllm bench serve / benchmark_serving.py;
                             aiperf / genai-perf concurrency mode), at --concurrency as its --max-concurrency
  --num-prompts N            measured requests in all (default: vllm-bench 1000, aiperf 10, else 10 × concurrency)
  --random-range-ratio F     lengths uniform in [F × L, L] (benchmark_serving.py as InferenceX runs it; default 1)
  --num-warmups N            warm-up requests, run first and excluded (default 0)
  --statistic mean|median|p90   the figure reported over the requests (default mean)
  --json                     print the estimate as JSON (an array for multi-workload files)
What-if knobs (override the file):
  --tensor-parallel N  --pipeline-parallel N  --expert-parallel N  --data-parallel N  --quantization fp8|awq|gptq|...
  --attention-data-parallel  DP attention (TensorRT-LLM enable_attention_dp; SGLang --enable-dp-attention, ranks
                             from --data-parallel)
  --kv-cache-dtype auto|fp8|...  --max-model-len N  --gpu-memory-utilization F  --max-num-seqs N
  --max-num-batched-tokens N
  --speculative-method ngram|eagle|eagle3|mtp|draft_model  --num-speculative-tokens K  --acceptance-rate A
  --prefix-hit-rate F        fraction of prompt tokens served from the prefix cache (0..1)
  --gpus-file PATH           JSON array of GPUs adding to or overriding the catalog
  --hub                      fetch config.json of model ids outside the catalog from the Hugging Face Hub
                             (HF_ENDPOINT, HF_TOKEN honoured; cached in ~/.cache/deploy-advisor/hub); off by default
Optimize options (override the workload and SLO the file states):
  --input-len N  --output-len N  --concurrency N | --request-rate R   (across all replicas)
  --ttft-ms X  --tpot-ms Y  --min-throughput T (output tokens/s)
  --gpus GPU1,GPU2,...       GPU types to consider (default: the whole catalog)
  --max-gpus N               GPUs across all replicas (default 8)
  --engine NAME              search one engine only  --gpus-file PATH  --json
Exit status (estimate and report alike): 0 when every workload fits, 1 when one does not fit or will not start, 2 on usage or input
errors (also when no workload could be estimated). optimize: 0 when a plan meets the SLO, 1 when none does, 2 on usage errors.`;

type Flags = Map<string, string | true>;

const VALUE_FLAGS = new Set([
  'gpu', 'gpus', 'engine', 'engine-version', 'input-len', 'output-len', 'concurrency', 'tensor-parallel', 'pipeline-parallel',
  'expert-parallel', 'data-parallel', 'speculative-method', 'num-speculative-tokens', 'acceptance-rate', 'prefix-hit-rate', 'gpus-file', 'quantization', 'kv-cache-dtype', 'max-model-len', 'gpu-memory-utilization', 'max-num-seqs', 'max-num-batched-tokens',
  'request-rate', 'ttft-ms', 'tpot-ms', 'min-throughput', 'max-gpus', 'html',
  'benchmark', 'num-prompts', 'random-range-ratio', 'num-warmups', 'statistic',
]);
const BOOL_FLAGS = new Set(['json', 'help', 'version', 'hub', 'attention-data-parallel']);

class UsageError extends Error {}

export function parseArgs(argv: string[]): { positional: string[]; flags: Flags } {
  const positional: string[] = [];
  const flags: Flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h') { flags.set('help', true); continue; }
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (BOOL_FLAGS.has(name)) { flags.set(name, true); continue; }
    if (!VALUE_FLAGS.has(name)) {
      const near = didYouMean(name, [...VALUE_FLAGS, ...BOOL_FLAGS]);
      throw new UsageError(`unknown option --${name}${near ? ` (did you mean --${near}?)` : ''}`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags };
}

function int(flags: Flags, name: string, min = 1): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min} (got ${String(v)})`);
  return n;
}

function float(flags: Flags, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new UsageError(`--${name} must be a number in (0, 1] (got ${String(v)})`);
  return n;
}

/** CLI flags override what the file says, each remembered as coming from the command line. */
export function applyFlags(plan: DeploymentPlan, flags: Flags): void {
  const cli = (flag: string) => ({ kind: 'cli' as const, flag: `--${flag}` });
  const str = (name: string) => (typeof flags.get(name) === 'string' ? (flags.get(name) as string) : undefined);
  if (str('gpu')) plan.hardware.gpu = sourced(str('gpu')!, cli('gpu'));
  const gpus = int(flags, 'gpus');
  if (gpus !== undefined) plan.hardware.count = sourced(gpus, cli('gpus'));
  const engine = str('engine');
  if (engine) {
    if (!engineNames.includes(engine as EngineName)) throw new UsageError(`--engine must be one of ${engineNames.join(', ')}`);
    plan.engine.name = sourced(engine as EngineName, cli('engine'));
  }
  if (str('engine-version')) plan.engine.version = sourced(str('engine-version')!, cli('engine-version'));
  const inputLen = int(flags, 'input-len');
  if (inputLen !== undefined) plan.workload.inputLen = sourced(inputLen, cli('input-len'));
  const outputLen = int(flags, 'output-len');
  if (outputLen !== undefined) plan.workload.outputLen = sourced(outputLen, cli('output-len'));
  const conc = str('concurrency');
  const rate = positive(flags, 'request-rate');
  if (conc !== undefined && rate !== undefined) throw new UsageError('give --concurrency or --request-rate, not both');
  if (conc !== undefined) {
    plan.workload.concurrency = sourced(conc === 'max' ? 'max' : int(flags, 'concurrency')!, cli('concurrency'));
    plan.workload.requestRate = undefined;
  }
  if (rate !== undefined) {
    // Open loop: the concurrency follows from the rate (the estimator reads a default concurrency as "not given").
    plan.workload.requestRate = sourced(rate, cli('request-rate'));
    plan.workload.concurrency = byDefault(1, 'from the request rate');
  }
  for (const [flag, key] of [['ttft-ms', 'ttftMs'], ['tpot-ms', 'tpotMs'], ['min-throughput', 'minThroughput']] as const) {
    const v = positive(flags, flag);
    if (v !== undefined) plan.slo = { ...plan.slo, [key]: sourced(v, cli(flag)) };
  }
  const k = plan.knobs;
  const tp = int(flags, 'tensor-parallel');
  if (tp !== undefined) k.tensorParallel = sourced(tp, cli('tensor-parallel'));
  const pp = int(flags, 'pipeline-parallel');
  if (pp !== undefined) k.pipelineParallel = sourced(pp, cli('pipeline-parallel'));
  const ep = int(flags, 'expert-parallel');
  if (ep !== undefined) k.expertParallel = sourced(ep, cli('expert-parallel'));
  const dp = int(flags, 'data-parallel');
  if (dp !== undefined) k.dataParallel = sourced(dp, cli('data-parallel'));
  if (flags.get('attention-data-parallel')) k.attentionDataParallel = sourced(true, cli('attention-data-parallel'));
  if (str('quantization')) k.quantization = sourced(str('quantization')!, cli('quantization'));
  if (str('kv-cache-dtype')) k.kvCacheDtype = sourced(str('kv-cache-dtype')!, cli('kv-cache-dtype'));
  const mml = int(flags, 'max-model-len');
  if (mml !== undefined) k.maxModelLen = sourced(mml, cli('max-model-len'));
  const util = float(flags, 'gpu-memory-utilization');
  if (util !== undefined) k.gpuMemoryUtilization = sourced(util, cli('gpu-memory-utilization'));
  const mns = int(flags, 'max-num-seqs');
  if (mns !== undefined) k.maxNumSeqs = sourced(mns, cli('max-num-seqs'));
  const mnbt = int(flags, 'max-num-batched-tokens');
  if (mnbt !== undefined) k.maxNumBatchedTokens = sourced(mnbt, cli('max-num-batched-tokens'));
  const method = str('speculative-method');
  const specTokens = int(flags, 'num-speculative-tokens');
  if (method || specTokens !== undefined) {
    const prev = k.speculative?.value;
    k.speculative = sourced({ ...prev, method: method ?? prev?.method ?? 'eagle', numTokens: specTokens ?? prev?.numTokens ?? 3 }, cli('speculative-method'));
  }
  const acceptance = fraction(flags, 'acceptance-rate');
  if (acceptance !== undefined) {
    if (!k.speculative) throw new UsageError('--acceptance-rate needs speculative decoding (--speculative-method or speculative-config in the file)');
    k.speculative = sourced({ ...k.speculative.value, acceptanceRate: acceptance }, cli('acceptance-rate'));
  }
  const hit = fraction(flags, 'prefix-hit-rate');
  if (hit !== undefined) plan.workload.prefixHitRate = sourced(hit, cli('prefix-hit-rate'));
  applyClientFlags(plan, flags);
}

/** --benchmark and the client's own flags, over what the file says about its client. */
function applyClientFlags(plan: DeploymentPlan, flags: Flags): void {
  const names = ['benchmark', 'num-prompts', 'random-range-ratio', 'num-warmups', 'statistic'];
  const given = names.filter((n) => flags.has(n));
  if (!given.length) return;
  const preset = flags.get('benchmark');
  if (preset !== undefined && !benchmarkPresets.includes(preset as BenchmarkPreset)) throw new UsageError(`--benchmark must be one of ${benchmarkPresets.join(', ')} (got ${String(preset)})`);
  const statistic = flags.get('statistic');
  if (statistic !== undefined && !benchmarkStatistics.includes(statistic as BenchmarkStatistic)) throw new UsageError(`--statistic must be one of ${benchmarkStatistics.join(', ')} (got ${String(statistic)})`);
  const prev: Partial<BenchmarkClient> = plan.workload.client?.value ?? {};
  const client: BenchmarkClient = {
    ...prev,
    kind: 'closed-loop',
    preset: (preset as BenchmarkPreset | undefined) ?? prev.preset,
    requests: int(flags, 'num-prompts') ?? prev.requests,
    warmup: int(flags, 'num-warmups', 0) ?? prev.warmup,
    lengthSpread: float(flags, 'random-range-ratio') ?? prev.lengthSpread,
    statistic: (statistic as BenchmarkStatistic | undefined) ?? prev.statistic,
  };
  plan.workload.client = sourced(client, { kind: 'cli', flag: `--${given[0]}` });
}

function fraction(flags: Flags, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--${name} must be a number in [0, 1] (got ${String(v)})`);
  return n;
}

/** Resolves <file>: a file, a folder with config.json, or a catalog model id. */
function load(target: string): { uri: string; text: string; baseDir: string } | { catalogId: string } {
  if (fs.existsSync(target)) {
    const st = fs.statSync(target);
    const file = st.isDirectory() ? path.join(target, 'config.json') : target;
    if (!fs.existsSync(file)) throw new UsageError(`${target} is a folder without a config.json`);
    const size = fs.statSync(file).size;
    if (size > 64 * 1024 * 1024) throw new UsageError(`${file} is ${(size / 2 ** 20).toFixed(0)} MiB; too large to be a config`);
    return { uri: pathToFileURL(path.resolve(file)).href, text: fs.readFileSync(file, 'utf8'), baseDir: path.dirname(path.resolve(file)) };
  }
  if (catalogConfig(target) || hub?.lookup(target)) return { catalogId: target };
  throw new UsageError(`${target}: no such file, folder, or catalog model id${hub ? ' (nor a Hub model id)' : ' (--hub looks model ids up on the Hugging Face Hub)'}`);
}

function catalogRead(id: string): ReadResult {
  const plan: DeploymentPlan = {
    name: id,
    model: { ref: sourced(id, { kind: 'cli', flag: 'model id' }) },
    hardware: { gpu: sourced('H100-SXM', { kind: 'default', note: 'GPU H100 SXM (default)' }), replicas: sourced(1, { kind: 'default', note: 'one replica' }) },
    engine: { name: sourced('vllm', { kind: 'default', note: 'engine vLLM (default)' }) },
    knobs: {},
    workload: defaultWorkload(),
  };
  return { format: 'hf-config', plans: [plan], problems: [] };
}

/** The Hub lookup, when --hub asks for it (the CLI's opt-in, as the editor's is deployAdvisor.hub.enabled). */
let hub: HubConfigStore | undefined;

function depsFrom(flags: Flags): EstimatorDeps {
  const file = flags.get('gpus-file');
  if (typeof file !== 'string') return { gpus: defaultDeps.gpus, models: hub };
  const o = loadGpuOverrides(file);
  if (o.problems.length) throw new UsageError(`--gpus-file: ${o.problems.join('; ')}`);
  return { gpus: o.catalog, models: hub };
}

/** Fetches (or finds in the disk cache) every model the target names that the catalog lacks, before estimating. */
async function prefetch(target: string): Promise<void> {
  const cacheRoot = process.env.DEPLOY_ADVISOR_CACHE ?? path.join(os.homedir(), '.cache', 'deploy-advisor');
  hub = new HubConfigStore({ cacheDir: path.join(cacheRoot, 'hub'), token: async () => envToken() });
  const ids = fs.existsSync(target) ? readTarget(target).plans.filter((p) => !p.model.config).map((p) => p.model.ref.value) : [target];
  await Promise.all(ids.filter((id) => !catalogConfig(id) && !isLocalPath(id)).map((id) => hub!.settle(id)));
}

/** <file> → plans, as both `estimate` and `optimize` read it. */
function readTarget(target: string): ReadResult {
  const src = load(target);
  let read: ReadResult;
  if ('catalogId' in src) {
    read = catalogRead(src.catalogId);
  } else {
    const file = path.join(src.baseDir, path.basename(new URL(src.uri).pathname));
    read = readText(src.uri, src.text, { loadLocalConfig: localModelLoader(src.baseDir), sideProfile: findSideProfile(file) });
    if (!read.format) throw new UsageError(`${target}: not a config Deploy Advisor reads (a Hugging Face config.json, a vLLM/SGLang/TensorRT-LLM config, a Kubernetes manifest, Helm values, a compose file or a *.deploy.yaml profile)`);
  }
  return read;
}

/** Flags `optimize` reads that mean nothing to one estimate. */
const OPTIMIZE_ONLY = new Set(['max-gpus']);

/**
 * The exit status of `estimate` and `report` (one function, so the two commands never disagree; the README's "Exit
 * status" paragraph documents it): 2 when a workload could not be estimated or the file holds none (an input error),
 * 1 when a workload does not fit its GPUs, 0 when every workload fits.
 */
export function estimateExitCode(analysis: Analysis): 0 | 1 | 2 {
  if (analysis.workloads.length === 0 || analysis.workloads.some((w) => !w.estimate)) return 2;
  // A workload that does not fit or will not start (the verdict the editor shows) fails the check.
  return analysis.workloads.some((w, i) => deploymentVerdict(w.estimate!, workloadFindings(analysis, i)).kind !== 'fits') ? 1 : 0;
}

export function runEstimate(target: string, flags: Flags): { output: string; code: number } {
  for (const name of flags.keys()) if (OPTIMIZE_ONLY.has(name) || name === 'html') throw new UsageError(`--${name} does not apply to estimate`);
  const read = readTarget(target);
  const deps = depsFrom(flags);
  for (const plan of read.plans) applyFlags(plan, flags);
  const analysis = evaluate(read, deps);
  const code = estimateExitCode(analysis);
  if (flags.get('json')) {
    // Each workload's object carries its own findings and the file-level ones.
    const items = analysis.workloads.map((w, i) =>
      w.estimate ? estimateToJson(w.estimate, workloadFindings(analysis, i)) : { model: { id: w.plan.model.ref.value }, error: (w.failure ?? []).map((x) => x.message).join(' ') });
    return { output: JSON.stringify(items.length === 1 ? items[0] : items, null, 2), code };
  }
  return { output: analysisMarkdown(analysis), code };
}

export function runReport(target: string, flags: Flags): { output: string; code: number } {
  for (const name of flags.keys()) if (OPTIMIZE_ONLY.has(name)) throw new UsageError(`--${name} does not apply to report`);
  const read = readTarget(target);
  for (const plan of read.plans) applyFlags(plan, flags);
  const deps = depsFrom(flags);
  const analysis = evaluate(read, deps);
  const script = fs.readFileSync(path.join(__dirname, 'report-view.js'), 'utf8');
  const output = reportHtml(reportData(analysis, deps), { nonce: randomBytes(18).toString('base64'), script: { inline: script }, title: `Deploy Advisor — ${path.basename(target)}` });
  return { output, code: estimateExitCode(analysis) };
}

const OPTIMIZE_FLAGS = new Set(['input-len', 'output-len', 'concurrency', 'request-rate', 'ttft-ms', 'tpot-ms', 'min-throughput', 'gpus', 'max-gpus', 'engine', 'gpus-file', 'json', 'hub']);

export function runOptimize(target: string, flags: Flags): { output: string; code: number } {
  for (const name of flags.keys()) if (!OPTIMIZE_FLAGS.has(name)) throw new UsageError(`--${name} does not apply to optimize`);
  const read = readTarget(target);
  const plan = read.plans[0];
  if (!plan) throw new UsageError(`${target}: no deployment found in it`);
  const deps = depsFrom(flags);
  const conc = flags.get('concurrency');
  const rate = positive(flags, 'request-rate');
  if (conc !== undefined && rate !== undefined) throw new UsageError('give --concurrency or --request-rate, not both');
  const engine = flags.get('engine');
  if (typeof engine === 'string' && !engineNames.includes(engine as EngineName)) throw new UsageError(`--engine must be one of ${engineNames.join(', ')}`);
  const gpus = flags.get('gpus');
  const base = requestFromPlan(plan);
  const request: OptimizeRequest = {
    ...base,
    inputLen: int(flags, 'input-len') ?? base.inputLen,
    outputLen: int(flags, 'output-len') ?? base.outputLen,
    ...(rate !== undefined ? { requestRate: rate, concurrency: undefined }
      : conc === 'max' ? { concurrency: undefined, requestRate: undefined }
      : conc !== undefined ? { concurrency: int(flags, 'concurrency'), requestRate: undefined }
      : {}),
    slo: {
      ttftMs: positive(flags, 'ttft-ms') ?? base.slo.ttftMs,
      tpotMs: positive(flags, 'tpot-ms') ?? base.slo.tpotMs,
      minThroughput: positive(flags, 'min-throughput') ?? base.slo.minThroughput,
    },
    gpus: typeof gpus === 'string' ? gpus.split(',').map((g) => g.trim()).filter(Boolean) : undefined,
    maxGpus: int(flags, 'max-gpus') ?? base.maxGpus,
    engines: typeof engine === 'string' ? [engine as EngineName] : base.engines,
  };
  for (const g of request.gpus ?? []) if (!deps.gpus.find(g)) throw new UsageError(`--gpus: unknown GPU "${g}"`);
  const result = optimize({ plan, request }, deps);
  const code = result.plans.some((p) => p.meetsSlo) ? 0 : 1;
  if (flags.get('json')) return { output: JSON.stringify(result, null, 2), code };
  return { output: optimizeMarkdown(plan.model.ref.value, request, result), code };
}

function positive(flags: Flags, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number (got ${String(v)})`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { positional, flags } = parseArgs(argv);
    if (flags.get('hub') && positional[1]) await prefetch(positional[1]);
    if (flags.get('version')) {
      process.stdout.write(`${process.env.DEPLOY_ADVISOR_VERSION ?? '0.1.0'}\n`);
      return 0;
    }
    if (flags.get('help') || positional.length === 0) {
      process.stdout.write(`${HELP}\n`);
      return flags.get('help') ? 0 : 2;
    }
    const [command, target, ...rest] = positional;
    if (command === 'evidence') {
      const ids = Object.keys(families) as FamilyId[];
      if (target && !ids.includes(target as FamilyId)) throw new UsageError(`unknown family "${target}"; one of: ${ids.join(', ')}`);
      const chosen = target ? [target as FamilyId] : ids;
      if (flags.get('json')) process.stdout.write(`${JSON.stringify(chosen.map((id) => ({ ...families[id], papers: papersFor(id).map(cited) })), null, 2)}\n`);
      else process.stdout.write(`${chosen.flatMap((id) => [`## ${families[id].name} (${id})`, '', ...evidenceMarkdown(id), '']).join('\n')}\n`);
      return 0;
    }
    if (command === 'report') {
      if (!target) throw new UsageError('report needs a file, a folder or a model id');
      const out = flags.get('html');
      if (typeof out !== 'string') throw new UsageError('report needs --html OUT.html');
      // The page is written whatever the verdict (it shows why a file does not fit); the status says the verdict.
      const { output, code } = runReport(target, flags);
      fs.writeFileSync(out, output);
      process.stderr.write(`deploy-advisor: wrote ${out}\n`);
      return code;
    }
    if (command !== 'estimate' && command !== 'optimize') throw new UsageError(`unknown command "${command}" (try: deploy-advisor estimate <file>)`);
    if (!target) throw new UsageError(`${command} needs a file, a folder or a model id`);
    if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
    const { output, code } = command === 'estimate' ? runEstimate(target, flags) : runOptimize(target, flags);
    process.stdout.write(`${output}\n`);
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`deploy-advisor: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`deploy-advisor: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
