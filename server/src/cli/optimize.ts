/** `deploy-advisor optimize`: the cheapest plans that meet the SLO, from the file's deployment and the flags. */
import { engineNames, EngineName } from '../plan/types';
import { optimize } from '../optimizer/search';
import { requestFromPlan } from '../optimizer/request';
import type { OptimizeRequest } from '../optimizer/types';
import { optimizeMarkdown } from '../report/optimize';
import type { CliCommand } from './command';
import { oneTarget } from './estimate';
import { declare, FlagGroup, hardwareFlags, jsonFlag, sloFlags, sourceFlags, toFlags, workloadFlags } from './flags';
import { Flags, int, positive, UsageError } from './options';
import { depsFrom, prefetch, readTarget } from './target';

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

const searchFlags: FlagGroup = {
  'gpus': { type: 'string', value: 'GPU1,GPU2,...', help: 'GPU types to consider (default: the whole catalog)' },
  'max-gpus': { type: 'string', value: 'N', help: 'GPUs across all replicas (default 8)' },
  'engine': { type: 'string', value: 'NAME', help: 'search one engine only' },
};

export const optimizeCommand: CliCommand = {
  name: 'optimize',
  summary: 'the cheapest plans (GPU × count × TP/PP/EP × precision × batch × engine) that meet the SLO, ranked by cost per million output tokens; the workload and SLO flags override what the file states (across all replicas)',
  usage: 'optimize <file> [options]',
  ...declare(workloadFlags, sloFlags, { engine: hardwareFlags.engine }, searchFlags, sourceFlags, jsonFlag),
  epilog: 'Exit status: 0 when a plan meets the SLO, 1 when none does, 2 on usage errors.',
  async run(positionals, values) {
    const target = oneTarget('optimize', positionals);
    if (values.hub) await prefetch(target);
    const { output, code } = runOptimize(target, toFlags(values));
    process.stdout.write(`${output}\n`);
    return code;
  },
};
