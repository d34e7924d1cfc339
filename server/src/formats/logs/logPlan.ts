/**
 * The configuration a log states → a DeploymentPlan, through the same option readers the config files use (so a
 * log's `tensor_parallel_size=2` means what `--tensor-parallel-size 2` means), every knob on its log line. What the
 * option readers would say about the options (unknown keys, a deprecated flag) is not said about a log: the engine
 * already accepted them.
 */
import { builtinGpus } from '../../catalog/gpus';
import type { DeploymentPlan, EngineName, SourceRange } from '../../plan/types';
import { byDefault, sourced } from '../../plan/types';
import type { OptionEntry } from '../engineOptions';
import { planFromOptions } from '../planBuilder';
import { sglangOptions } from '../sglang';
import { tgiOptions } from '../tgi';
import { trtllmOptions } from '../trtllm';
import type { ReadContext } from '../types';
import { vllmOptions } from '../vllm';
import type { DumpEntry } from './reprDump';
import { LogLine, rangeIn } from './lines';

/** One configuration value as logged: the engine's option name, its value, and where it is. */
export interface LoggedOption {
  key: string;
  value: unknown;
  keyRange: SourceRange;
  valueRange: SourceRange;
  children?: LoggedOption[];
}

export function loggedOption(line: LogLine, e: DumpEntry, key = e.key, value: unknown = e.value): LoggedOption {
  return {
    key, value, keyRange: rangeIn(line, e.keyStart, e.keyEnd), valueRange: rangeIn(line, e.valueStart, e.valueEnd),
    ...(e.children ? { children: e.children.filter((c) => c.value !== null).map((c) => loggedOption(line, c)) } : {}),
  };
}

const entry = (o: LoggedOption): OptionEntry => ({ key: o.key, value: o.value, keyRange: o.keyRange, valueRange: o.valueRange, ...(o.children ? { children: o.children.map(entry) } : {}) });

/**
 * The GPU the log's total device memory points at, when nothing else names it: the default H100 SXM when it matches
 * (the calibration logs: 79.19 GiB), else the one catalog part within 0.6 GiB of it.
 */
function gpuFromTotal(totalGiB: number | undefined): { id: string; note: string } | undefined {
  if (!totalGiB) return undefined;
  const near = builtinGpus.filter((g) => Math.abs(g.usableBytes / 2 ** 30 - totalGiB) <= 0.6);
  if (!near.length) return undefined;
  const pick = near.find((g) => g.id === 'H100-SXM') ?? near[0];
  const others = near.filter((g) => g !== pick).map((g) => g.id);
  return { id: pick.id, note: `GPU ${pick.id}: the log states ${totalGiB.toFixed(2)} GiB of device memory but not the GPU${others.length ? ` (${others.join(', ')} have as much)` : ''}; pass --gpu or set deployAdvisor.gpu` };
}

export function planFromLog(engine: EngineName, options: LoggedOption[], ctx: ReadContext, o: { name: string; version?: { value: string; range: SourceRange }; gpuTotalGiB?: number; engineNote: string }): { plan: DeploymentPlan; assumptions: string[] } {
  const entries = options.filter((x) => x.value !== null && x.value !== undefined).map(entry);
  const read = engine === 'vllm' ? { engine, ...vllmOptions(entries, ctx, { version: o.version?.value }) }
    : engine === 'sglang' ? { engine, ...sglangOptions(entries, ctx) }
      : engine === 'trtllm' ? { engine, ...trtllmOptions(entries, ctx, false) }
        : { engine, ...tgiOptions(entries, ctx) };
  const assumptions: string[] = [];
  const fromTotal = ctx.gpu ? undefined : gpuFromTotal(o.gpuTotalGiB);
  const gpu = ctx.gpu ?? (fromTotal ? byDefault(fromTotal.id, fromTotal.note) : byDefault('H100-SXM', 'GPU H100 SXM (assumed: the file does not name the GPU; pass --gpu or set deployAdvisor.gpu)'));
  if (gpu.source.kind === 'default') assumptions.push(gpu.source.note);
  const { plan } = planFromOptions(o.name, { ...read, problems: [] }, { gpu }, ctx, { engineNote: o.engineNote });
  if (o.version) plan.engine.version = sourced(o.version.value, { kind: 'file', range: o.version.range, key: 'engine version' });
  return { plan, assumptions };
}
