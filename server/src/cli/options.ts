/** The flags → DeploymentPlan mapping that `estimate` and `report` share (the flags are declared in flags.ts). */
import { benchmarkPresets, benchmarkStatistics, BenchmarkClient, BenchmarkPreset, BenchmarkStatistic, byDefault, engineNames, EngineName, DeploymentPlan, sourced } from '../plan/types';

export type Flags = Map<string, string | true>;

export class UsageError extends Error {}

export function int(flags: Flags, name: string, min = 1): number | undefined {
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


export function positive(flags: Flags, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number (got ${String(v)})`);
  return n;
}
