/**
 * Host KV tiers as the engines' options and environment write them → the plan's `hostKvCache` knob:
 * vLLM `--kv-offloading-size` / `--kv-offloading-backend` (vllm/config/kv_offloading.py), `--kv-transfer-config` with
 * the OffloadingConnector (kv_connector_extra_config.num_cpu_blocks) or LMCacheConnectorV1 (sized by LMCACHE_* variables,
 * lmcache/v1/config.py), and SGLang `--enable-hierarchical-cache` with `--hicache-ratio` / `--hicache-size`.
 * `--cpu-offload-gb` and `--swap-space` are plain number knobs of the key tables.
 */
import { HostKvCache, Sourced, sourced } from '../plan/types';
import type { EngineKnobs, EngineName } from '../plan/types';
import type { OptionEntry } from './engineOptions';

type Values = Map<string, { value: unknown; entry: OptionEntry }>;

const at = (e: OptionEntry) => ({ kind: 'file' as const, range: e.valueRange, key: e.key });
const truthy = (v: unknown) => v === true || v === '' || v === 'true' || v === 'True' || v === '1';
const numberOf = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

function jsonObject(v: unknown): Record<string, unknown> | undefined {
  let o = v;
  if (typeof o === 'string') {
    try { o = JSON.parse(o); } catch { return undefined; }
  }
  return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
}

/** The connectors a kv-transfer-config names, MultiConnector's nested ones included. */
function connectors(cfg: Record<string, unknown>): Array<Record<string, unknown>> {
  const extra = jsonObject(cfg.kv_connector_extra_config) ?? {};
  const nested = Array.isArray(extra.connectors) ? (extra.connectors as unknown[]).map(jsonObject).filter((c): c is Record<string, unknown> => !!c) : [];
  return [cfg, ...nested.flatMap(connectors)];
}

function vllmHostKv(values: Values): Sourced<HostKvCache> | undefined {
  const size = values.get('kv-offloading-size');
  const gib = size ? numberOf(size.value) : undefined;
  if (size && gib !== undefined && gib > 0) {
    const backend = values.get('kv-offloading-backend');
    const kind = String(backend?.value ?? 'native') === 'lmcache' ? 'lmcache' : 'native';
    return sourced({ kind, totalGiB: sourced(gib, at(size.entry)) }, at(size.entry));
  }
  const kvt = values.get('kv-transfer-config');
  const cfg = kvt && jsonObject(kvt.value);
  if (!kvt || !cfg) return undefined;
  for (const c of connectors(cfg)) {
    const name = String(c.kv_connector ?? '');
    const extra = jsonObject(c.kv_connector_extra_config) ?? {};
    if (name === 'OffloadingConnector') {
      const blocks = numberOf(extra.num_cpu_blocks);
      const blockTokens = numberOf(extra.block_size);
      return sourced({ kind: 'native', ...(blocks !== undefined ? { cpuBlocks: sourced(blocks, at(kvt.entry)) } : {}), ...(blockTokens ? { cpuBlockTokens: blockTokens } : {}) }, at(kvt.entry));
    }
    if (/^LMCache(Connector(V1)?|MPConnector)$/.test(name)) return sourced({ kind: 'lmcache' }, at(kvt.entry));
  }
  return undefined;
}

function sglangHostKv(values: Values): Sourced<HostKvCache> | undefined {
  const on = values.get('enable-hierarchical-cache');
  if (!on || !truthy(on.value)) return undefined;
  const ratio = values.get('hicache-ratio');
  const size = values.get('hicache-size');
  const r = ratio && numberOf(ratio.value);
  const s = size && numberOf(size.value);
  return sourced({
    kind: 'hicache',
    ...(r ? { ratio: sourced(r, at(ratio!.entry)) } : {}),
    ...(s ? { perRankGB: sourced(s, at(size!.entry)) } : {}),
  }, { kind: 'file', range: on.entry.keyRange, key: on.entry.key });
}

/** The host KV tier an engine's option values (readOptions' `values`) turn on, or undefined. */
export function hostKvFrom(engine: EngineName, values: Values): Sourced<HostKvCache> | undefined {
  if (engine === 'vllm') return vllmHostKv(values);
  if (engine === 'sglang') return sglangHostKv(values);
  return undefined;
}

/**
 * LMCache reads its configuration from LMCACHE_* variables (or a file LMCACHE_CONFIG_FILE names, not read here):
 * max_local_cpu_size (GB per worker, default 5.0), local_cpu, chunk_size (256), local_disk with max_local_disk_size.
 * Applied to an LMCache tier that the engine's options turned on without a size of their own.
 */
export function applyLmcacheEnv(knobs: EngineKnobs, env: OptionEntry[]): void {
  const kv = knobs.hostKvCache;
  if (!kv || kv.value.kind !== 'lmcache' || kv.value.totalGiB) return;
  const get = (name: string) => env.find((e) => e.key === name);
  const cpu = get('LMCACHE_MAX_LOCAL_CPU_SIZE');
  const local = get('LMCACHE_LOCAL_CPU');
  const chunk = get('LMCACHE_CHUNK_SIZE');
  const disk = get('LMCACHE_LOCAL_DISK');
  const diskSize = get('LMCACHE_MAX_LOCAL_DISK_SIZE');
  const v: HostKvCache = { ...kv.value };
  const cpuGB = cpu && numberOf(cpu.value);
  if (cpu && cpuGB !== undefined) v.perRankGB = sourced(cpuGB, at(cpu));
  if (local) v.localCpu = truthy(String(local.value).trim());
  const chunkTokens = chunk && numberOf(chunk.value);
  if (chunkTokens) v.chunkTokens = chunkTokens;
  const diskGB = diskSize && numberOf(diskSize.value);
  if (disk && String(disk.value).trim() && diskSize && diskGB) v.diskGB = sourced(diskGB, at(diskSize));
  knobs.hostKvCache = { value: v, source: kv.source };
}
