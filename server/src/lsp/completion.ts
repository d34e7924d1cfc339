/**
 * Completion from the same key tables the schemas are generated from: option keys (YAML keys or `--flags` in
 * argument lists), enum values, GPU names and catalog model ids.
 */
import { CompletionItem, CompletionItemKind, MarkupKind, Position } from 'vscode-languageserver';
import { builtinGpus } from '../catalog/gpus';
import { catalogModelIds } from '../catalog/models';
import { keyTables } from '../formats/launch';
import type { EngineKeyTable, KeySpec } from '../formats/keys/types';
import type { Analysis } from '../pipeline';
import type { EngineName } from '../plan/types';

function doc(k: KeySpec): { kind: 'markdown'; value: string } {
  const def = k.default !== undefined ? String(k.default) : k.defaultNote;
  return { kind: MarkupKind.Markdown, value: [k.description, def ? `\n\nDefault: ${def}` : '', k.effect ? `\n\n${k.effect}` : ''].join('') };
}

const gpuItems = (): CompletionItem[] => builtinGpus.map((g) => ({ label: g.id, kind: CompletionItemKind.Value, detail: `${g.name} · ${(g.usableBytes / 2 ** 30).toFixed(0)} GiB · $${g.pricePerHour}/h` }));
const modelItems = (): CompletionItem[] => catalogModelIds().map((id) => ({ label: id, kind: CompletionItemKind.Value, detail: 'built-in catalog' }));

function keyItems(table: EngineKeyTable, present: Set<string>, style: 'dash' | 'underscore' | 'flag'): CompletionItem[] {
  return table.keys.filter((k) => !present.has(k.name)).map((k) => {
    const name = style === 'underscore' ? k.name.replace(/-/g, '_') : k.name;
    const label = style === 'flag' ? `--${name}` : name;
    return { label, kind: CompletionItemKind.Property, detail: `${table.engine} · ${k.type}`, documentation: doc(k), insertText: style === 'flag' ? label : `${name}: ` };
  });
}

export function completion(text: string, pos: Position, a: Analysis): CompletionItem[] {
  const line = text.split('\n')[pos.line] ?? '';
  const before = line.slice(0, pos.character);
  // `# deploy-advisor: gpu=...`
  if (/deploy-advisor:.*\bgpu=[\w-]*$/.test(before)) return gpuItems();
  const plan = a.workloads[0]?.plan;
  const engine: EngineName = plan?.engine.name.value ?? 'vllm';
  const table = keyTables[engine];
  const value = /^\s*-?\s*["']?([\w.-]+)["']?\s*:\s*["']?([\w./-]*)$/.exec(before);
  if (value) {
    const key = value[1];
    if (/^(model|model-path|model_path|model-id|modelURL)$/.test(key)) return modelItems();
    if (key === 'gpu') return gpuItems();
    if (key === 'name' && a.format === 'profile') return (['vllm', 'sglang', 'trtllm', 'tgi'] as const).map((e) => ({ label: e, kind: CompletionItemKind.EnumMember }));
    const spec = table.keys.find((k) => table.normalize(k.name) === table.normalize(key)) ?? table.keys.flatMap((k) => k.properties ?? []).find((p) => p.name === key);
    if (spec?.enum) return spec.enum.map((v) => ({ label: String(v), kind: CompletionItemKind.EnumMember, documentation: doc(spec) }));
    if (spec?.type === 'boolean') return ['true', 'false'].map((v) => ({ label: v, kind: CompletionItemKind.EnumMember }));
    return [];
  }
  const present = new Set((plan?.keys ?? []).map((k) => k.name));
  // A flag in an argument list or command string.
  if (/(^|\s|["'[,])--[\w-]*$/.test(before) && (a.format === 'kubernetes' || a.format === 'compose' || a.format === 'helm')) return keyItems(table, present, 'flag');
  // A key in an engine options mapping.
  if (/^\s*[\w-]*$/.test(before) && (a.format === 'vllm' || a.format === 'sglang' || a.format === 'trtllm' || a.format === 'profile')) {
    const underscore = (plan?.keys ?? []).some((k) => /_/.test(text.split('\n')[k.keyRange.start.line]?.slice(k.keyRange.start.character, k.keyRange.end.character) ?? '')) && engine !== 'trtllm';
    return keyItems(table, present, engine === 'trtllm' ? 'dash' : underscore ? 'underscore' : 'dash');
  }
  return [];
}
