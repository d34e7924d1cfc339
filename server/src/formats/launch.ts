/**
 * A serving container, wherever it is declared (Kubernetes pod, compose service, Helm values): its command line and
 * environment → the engine's options → one DeploymentPlan, with the hardware the surrounding object states.
 */
import { defaultWorkload } from '../plan/defaults';
import { byDefault, DeploymentPlan, EngineKnobs, EngineName, KeyOccurrence, Sourced, sourced, WriteBack } from '../plan/types';
import { LaunchCommand, parseLaunch, Token } from './commandLine';
import type { OptionEntry } from './engineOptions';
import { sglangKeys } from './keys/sglang';
import { tgiKeys } from './keys/tgi';
import { trtllmKeys } from './keys/trtllm';
import { vllmKeys } from './keys/vllm';
import { sglangOptions } from './sglang';
import { tgiEnvOptions, tgiOptions } from './tgi';
import { trtllmOptions } from './trtllm';
import type { FormatProblem, LocalModel, ReadContext } from './types';
import { isLocalPath, vllmOptions } from './vllm';

export const keyTables = { vllm: vllmKeys, sglang: sglangKeys, tgi: tgiKeys, trtllm: trtllmKeys };

export interface ContainerSpec {
  name: string;
  tokens: Token[];
  env: OptionEntry[];
  image?: string;
  engineHint?: EngineName;
}

/** Kubernetes expands `$(VAR)` in command and args from the container's env. */
export function expandEnv(tokens: Token[], env: OptionEntry[]): Token[] {
  const vars = new Map(env.map((e) => [e.key, String(e.value ?? '')]));
  return tokens.map((t) => ({ ...t, text: t.text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => vars.get(v) ?? m) }));
}

export interface EngineOptionsResult {
  engine: EngineName;
  knobs: EngineKnobs;
  keys: KeyOccurrence[];
  model?: Sourced<string>;
  local?: LocalModel;
  problems: FormatProblem[];
}

/** The engine's options from its launch command (and, for TGI, its environment variables). */
export function launchOptions(launch: LaunchCommand, env: OptionEntry[], ctx: ReadContext): EngineOptionsResult {
  const modelEntry: OptionEntry[] = launch.model ? [{ key: launch.engine === 'sglang' ? 'model-path' : launch.engine === 'tgi' ? 'model-id' : 'model', value: launch.model.text, keyRange: launch.model.range, valueRange: launch.model.range }] : [];
  switch (launch.engine) {
    case 'vllm':
      return { engine: 'vllm', ...vllmOptions([...modelEntry, ...launch.options], ctx) };
    case 'sglang':
      return { engine: 'sglang', ...sglangOptions([...modelEntry, ...launch.options], ctx) };
    case 'trtllm':
      return { engine: 'trtllm', ...trtllmOptions([...modelEntry, ...launch.options], ctx, true) };
    case 'tgi': {
      const r = tgiOptions([...tgiEnvOptions(env), ...modelEntry, ...launch.options]);
      const local = r.model && isLocalPath(r.model.value) ? ctx.loadLocalConfig?.(r.model.value) : undefined;
      return { engine: 'tgi', ...r, local };
    }
  }
}

/** A container's launch: its command line, or (TGI) just its environment when the image runs the launcher itself. */
export function containerLaunch(c: ContainerSpec): LaunchCommand | undefined {
  const tokens = expandEnv(c.tokens, c.env);
  const launch = parseLaunch(tokens, keyTables, c.engineHint);
  if (launch) return launch;
  if (c.engineHint === 'tgi' && c.env.some((e) => e.key === 'MODEL_ID')) return { engine: 'tgi', options: [], launcher: 'text-generation-launcher' };
  return undefined;
}

export interface HardwareFacts {
  gpu?: Sourced<string>;
  /** GPUs per replica. */
  count?: Sourced<number>;
  replicas?: Sourced<number>;
}

export function planFromOptions(name: string, o: EngineOptionsResult, hw: HardwareFacts, ctx: ReadContext, fallbackModel?: Sourced<string>, writeBack?: WriteBack): { plan: DeploymentPlan; problems: FormatProblem[] } {
  const problems = [...o.problems];
  const model = o.model ?? fallbackModel;
  if (!model) problems.push({ code: 'missing-model', severity: 'warning', message: `${name}: no model found in the ${o.engine} command line.`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  const plan: DeploymentPlan = {
    name,
    model: { ref: model ?? byDefault('(unknown model)', 'no model in the command line'), config: o.local?.config, hfQuantConfig: o.local?.hfQuantConfig },
    hardware: {
      gpu: hw.gpu ?? ctx.gpu ?? byDefault('H100-SXM', 'GPU H100 SXM (default; add a node selector, the deployAdvisor.gpu setting or a deploy-advisor: gpu= comment)'),
      count: hw.count ?? ctx.gpuCount,
      replicas: hw.replicas ?? byDefault(1, 'one replica'),
    },
    engine: { name: sourced(o.engine, { kind: 'inferred', note: `${o.engine} from the container's command` }) },
    knobs: o.knobs,
    keys: o.keys,
    workload: defaultWorkload(),
    writeBack,
  };
  // GPUs requested vs what the engine uses (vllm: TP × PP; TGI: num-shard).
  const used = (o.knobs.tensorParallel?.value ?? 1) * (o.knobs.pipelineParallel?.value ?? 1);
  if (hw.count && hw.count.source.kind === 'file' && (o.knobs.tensorParallel || o.knobs.pipelineParallel) && hw.count.value !== used) {
    problems.push({
      code: 'gpu-count-mismatch', severity: hw.count.value < used ? 'error' : 'warning',
      message: hw.count.value < used
        ? `The pod requests ${hw.count.value} GPU(s) but tensor × pipeline parallel needs ${used}; the engine will fail to start.`
        : `The pod requests ${hw.count.value} GPU(s) but tensor × pipeline parallel uses ${used}; ${hw.count.value - used} GPU(s) sit idle.`,
      range: hw.count.source.range,
    });
  }
  return { plan, problems };
}
