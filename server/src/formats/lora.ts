/**
 * LoRA options as each engine spells them → one LoraKnobs with the ranges of every value, and each local adapter's
 * adapter_config.json (rank, target modules) read through ReadContext.loadLocalAdapter — the reader does the I/O, the
 * estimator only sees the numbers.
 */
import type { EngineName, LoraAdapter, LoraKnobs, SourceRange, Sourced } from '../plan/types';
import { sourced } from '../plan/types';
import type { OptionEntry } from './engineOptions';
import { isLocalPath } from './engineOptions';
import type { ReadContext } from './types';

type Values = Map<string, { value: unknown; entry: OptionEntry }>;

const truthy = (v: unknown) => v === true || v === '' || v === 'true' || v === 'True' || v === '1';

/** The words of a list option, each with its range (a YAML list, several argv words, or one string). */
function items(entry: OptionEntry): Array<{ text: string; range: SourceRange }> {
  if (entry.items) return entry.items;
  if (Array.isArray(entry.value)) return entry.value.map((v) => ({ text: String(v), range: entry.valueRange }));
  return entry.value === undefined || entry.value === null ? [] : [{ text: String(entry.value), range: entry.valueRange }];
}

/**
 * One adapter spec: vLLM `name=path` or JSON {"name", "path"} (entrypoints/openai/cli_args.py LoRAParserAction);
 * SGLang `name=path`, a bare path (named by itself) or JSON {"lora_name", "lora_path"} (server_args.LoRAPathAction);
 * TGI `id`, `id@revision` or `name=/path` (docs/source/conceptual/lora.md).
 */
function adapterOf(text: string, range: SourceRange): LoraAdapter | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as Record<string, unknown>;
      const name = String(o.name ?? o.lora_name ?? '');
      const path = String(o.path ?? o.lora_path ?? '');
      return path ? { name: name || path, path, range } : undefined;
    } catch {
      return undefined;
    }
  }
  const eq = t.indexOf('=');
  if (eq > 0) return { name: t.slice(0, eq), path: t.slice(eq + 1), range };
  return { name: t, path: t.replace(/@[^/@]*$/, ''), range };
}

/** adapter_config.json's rank and target modules (PEFT LoraConfig `r`, `target_modules`). */
function adapterConfig(path: string, ctx: ReadContext): LoraAdapter['config'] {
  if (!isLocalPath(path)) return undefined;
  const c = ctx.loadLocalAdapter?.(path);
  if (!c) return undefined;
  const rank = typeof c.r === 'number' && c.r > 0 ? c.r : undefined;
  const tm = c.target_modules;
  const targetModules = Array.isArray(tm) ? tm.map(String) : typeof tm === 'string' ? [tm] : undefined;
  return { rank, targetModules };
}

function withConfigs(adapters: LoraAdapter[], ctx: ReadContext): LoraAdapter[] {
  return adapters.map((a) => {
    const config = adapterConfig(a.path, ctx);
    return config ? { ...a, config } : a;
  });
}

const at = (e: OptionEntry) => ({ kind: 'file' as const, range: e.valueRange, key: e.key });

function num(values: Values, key: string): Sourced<number> | undefined {
  const v = values.get(key);
  if (!v) return undefined;
  const n = typeof v.value === 'number' ? v.value : typeof v.value === 'string' && /^\d+$/.test(v.value.trim()) ? Number(v.value) : undefined;
  return n !== undefined ? sourced(n, at(v.entry)) : undefined;
}

function list(values: Values, key: string): Sourced<string[]> | undefined {
  const v = values.get(key);
  if (!v) return undefined;
  const words = items(v.entry).flatMap((i) => i.text.split(',')).map((s) => s.trim()).filter(Boolean);
  return sourced(words, at(v.entry));
}

/** vLLM: --enable-lora turns it on (lora-modules alone does not: vLLM then refuses to load them). */
function vllmLora(values: Values, ctx: ReadContext): Sourced<LoraKnobs> | undefined {
  const on = values.get('enable-lora');
  if (!on || !truthy(on.value)) return undefined;
  const modules = values.get('lora-modules');
  const adapters = modules ? items(modules.entry).map((i) => adapterOf(i.text, i.range)).filter((a): a is LoraAdapter => !!a) : [];
  const fs = values.get('fully-sharded-loras');
  const knobs: LoraKnobs = {
    maxCpuLoras: num(values, 'max-cpu-loras'),
    extraVocabSize: num(values, 'lora-extra-vocab-size'), targetModules: list(values, 'lora-target-modules'),
    fullySharded: fs ? sourced(truthy(fs.value), at(fs.entry)) : undefined,
    adapters: withConfigs(adapters, ctx),
  };
  return sourced(knobs, { kind: 'file', range: on.entry.keyRange, key: on.entry.key });
}

/** SGLang: --lora-paths implies --enable-lora (server_args: "--enable-lora is set to True because --lora-paths is provided"). */
function sglangLora(values: Values, ctx: ReadContext): Sourced<LoraKnobs> | undefined {
  const paths = values.get('lora-paths');
  const on = values.get('enable-lora');
  if (!paths && !(on && truthy(on.value))) return undefined;
  const adapters = paths ? items(paths.entry).map((i) => adapterOf(i.text, i.range)).filter((a): a is LoraAdapter => !!a) : [];
  const knobs: LoraKnobs = {
    maxCpuLoras: num(values, 'max-loaded-loras'),
    targetModules: list(values, 'lora-target-modules'), adapters: withConfigs(adapters, ctx),
  };
  const key = (paths ?? on)!.entry;
  return sourced(knobs, { kind: 'file', range: key.keyRange, key: key.key });
}

/** TGI: --lora-adapters / LORA_ADAPTERS, a comma list; every adapter is resident (no slot limit). */
function tgiLora(values: Values, ctx: ReadContext): Sourced<LoraKnobs> | undefined {
  const v = values.get('lora-adapters');
  if (!v || typeof v.value !== 'string' || !v.value.trim()) return undefined;
  const adapters = v.value.split(',').map((s) => adapterOf(s, v.entry.valueRange)).filter((a): a is LoraAdapter => !!a);
  return sourced({ adapters: withConfigs(adapters, ctx) }, { kind: 'file', range: v.entry.keyRange, key: v.entry.key });
}

/** The LoRA knob from an engine's option values (readOptions' `values`), or undefined when LoRA is off. */
export function loraFrom(engine: EngineName, values: Values, ctx: ReadContext): Sourced<LoraKnobs> | undefined {
  switch (engine) {
    case 'vllm': return vllmLora(values, ctx);
    case 'sglang': return sglangLora(values, ctx);
    case 'tgi': return tgiLora(values, ctx);
    default: return undefined;
  }
}
