/**
 * A serving container, wherever it is declared (Kubernetes pod, compose service, Helm values): its command line and
 * environment → the engine's options → one DeploymentPlan, with the hardware the surrounding object states.
 */
import { applyLmcacheEnv } from './offload';
import { sourced } from '../plan/types';
import type { EngineName, Sourced } from '../plan/types';
import type { EngineOptionsResult } from './planBuilder';
import { LaunchCommand, parseLaunch, Token } from './commandLine';
import type { OptionEntry } from './engineOptions';
import { sglangKeys } from './keys/sglang';
import { teiKeys } from './keys/tei';
import { tgiKeys } from './keys/tgi';
import { trtllmKeys } from './keys/trtllm';
import { vllmKeys } from './keys/vllm';
import { sglangOptions } from './sglang';
import { tgiEnvOptions, tgiOptions } from './tgi';
import { teiEnvOptions, teiOptions } from './tei';
import { trtllmOptions } from './trtllm';
import type { ReadContext } from './types';
import { vllmOptions } from './vllm';
import { isLocalPath } from './engineOptions';

export const keyTables = { vllm: vllmKeys, sglang: sglangKeys, tgi: tgiKeys, trtllm: trtllmKeys, tei: teiKeys };

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


/** vLLM and SGLang read these at startup to accept a max length above the model's (estimator/contextLength.ts). */
const ALLOW_LONG_CONTEXT: Partial<Record<EngineName, string>> = { vllm: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN', sglang: 'SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN' };

function allowLongContext(engine: EngineName, env: OptionEntry[]): Sourced<boolean> | undefined {
  const e = env.find((x) => x.key === ALLOW_LONG_CONTEXT[engine]);
  return e ? sourced(/^(1|true)$/i.test(String(e.value ?? '').trim()), { kind: 'file', range: e.valueRange, key: e.key }) : undefined;
}

/** The engine's options from its launch command (and, for TGI, its environment variables). */
export function launchOptions(launch: LaunchCommand, env: OptionEntry[], ctx: ReadContext): EngineOptionsResult {
  const r = launchOptionsOnly(launch, env, ctx);
  applyLmcacheEnv(r.knobs, env);
  const allow = allowLongContext(launch.engine, env);
  return allow ? { ...r, allowLongContext: allow } : r;
}

function launchOptionsOnly(launch: LaunchCommand, env: OptionEntry[], ctx: ReadContext): EngineOptionsResult {
  const modelEntry: OptionEntry[] = launch.model ? [{ key: launch.engine === 'sglang' ? 'model-path' : launch.engine === 'tgi' || launch.engine === 'tei' ? 'model-id' : 'model', value: launch.model.text, keyRange: launch.model.range, valueRange: launch.model.range }] : [];
  switch (launch.engine) {
    case 'vllm':
      return { engine: 'vllm', ...vllmOptions([...modelEntry, ...launch.options], ctx) };
    case 'sglang':
      return { engine: 'sglang', ...sglangOptions([...modelEntry, ...launch.options], ctx) };
    case 'trtllm':
      return { engine: 'trtllm', ...trtllmOptions([...modelEntry, ...launch.options], ctx, true) };
    case 'tgi': {
      const r = tgiOptions([...tgiEnvOptions(env), ...modelEntry, ...launch.options], ctx);
      const local = r.model && isLocalPath(r.model.value) ? ctx.loadLocalConfig?.(r.model.value) : undefined;
      return { engine: 'tgi', ...r, local };
    }
    case 'tei': {
      const r = teiOptions([...teiEnvOptions(env), ...modelEntry, ...launch.options]);
      const local = r.model && isLocalPath(r.model.value) ? ctx.loadLocalConfig?.(r.model.value) : undefined;
      return { engine: 'tei', ...r, local };
    }
  }
}

/** A container's launch: its command line, or (TGI) just its environment when the image runs the launcher itself. */
export function containerLaunch(c: ContainerSpec): LaunchCommand | undefined {
  const tokens = expandEnv(c.tokens, c.env);
  const launch = parseLaunch(tokens, keyTables, c.engineHint);
  if (launch) return launch;
  if (c.engineHint === 'tgi' && c.env.some((e) => e.key === 'MODEL_ID')) return { engine: 'tgi', options: [], launcher: 'text-generation-launcher' };
  if (c.engineHint === 'tei' && c.env.some((e) => e.key === 'MODEL_ID')) return { engine: 'tei', options: [], launcher: 'text-embeddings-router' };
  return undefined;
}
