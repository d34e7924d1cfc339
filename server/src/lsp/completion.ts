/**
 * Completion from the same key tables the schemas are generated from: option keys (YAML keys or `--flags` in
 * argument lists), enum values, GPU names and catalog model ids — each item a text edit over the whole value it
 * replaces (see completionTarget.ts) — and, in an empty YAML file, snippets of the files Deploy Advisor reads.
 */
import { CompletionItem, CompletionItemKind, MarkupKind, Position, Range } from 'vscode-languageserver';
import { builtinGpus } from '../catalog/gpus';
import { catalogModelIds } from '../catalog/models';
import { catalogModelFacts, ModelFacts } from '../estimator/modelFacts';
import { keyTables } from '../formats/launch';
import type { EngineKeyTable, KeySpec } from '../formats/keys/types';
import type { Analysis } from '../pipeline';
import type { DeploymentPlan, EngineName } from '../plan/types';
import { readText } from '../formats';
import { completionTarget, CompletionTarget } from './completionTarget';
import { emptyFileSnippets, isEmptyYaml } from './completionSnippets';

function doc(k: KeySpec): { kind: 'markdown'; value: string } {
  const def = k.default !== undefined ? String(k.default) : k.defaultNote;
  return { kind: MarkupKind.Markdown, value: [k.description, def ? `\n\nDefault: ${def}` : '', k.effect ? `\n\n${k.effect}` : ''].join('') };
}

/** Keys whose value is a model id: engine flags as YAML keys, TGI's variable, production-stack's `modelURL`. */
const MODEL_KEYS = /^(model|model[-_]path|model[-_]id|MODEL_ID|modelURL|tokenizer)$/;
const MODEL_FLAGS = /^(model|model[-_]path|model[-_]id|tokenizer)$/;
/** llm-d `modelArtifacts.uri` names a Hub model as `hf://<id>`. */
const HF_SCHEME = 'hf://';

interface Choice { label: string; kind: CompletionItemKind; detail?: string; documentation?: CompletionItem['documentation']; sortText?: string }

const params = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(n >= 1e11 ? 0 : 1)} B` : `${(n / 1e6).toFixed(0)} M`);
const kib = (b: number) => `${(b / 1024).toFixed(b % 1024 ? 1 : 0)} KiB`;

function modelDetail(f: ModelFacts): string {
  const active = f.activeParams < f.params * 0.95 ? ` (${params(f.activeParams)} active)` : '';
  return `${params(f.params)} params${active} · ${f.contextLength} context · ${kib(f.kvBytesPerToken)} KV/token`;
}

function modelDoc(f: ModelFacts): { kind: 'markdown'; value: string } {
  return {
    kind: MarkupKind.Markdown,
    value: [`**${f.id}** · ${f.architecture}`, '', '| | |', '|---|---|',
      `| Parameters | ${params(f.params)}${f.activeParams !== f.params ? `, ${params(f.activeParams)} active per token` : ''} (${f.weightFormat} weights) |`,
      `| Context | ${f.contextLength} tokens (the default max-model-len) |`,
      `| KV cache | ${kib(f.kvBytesPerToken)} per token (${f.kvDtype}), ${f.layers} layers |`].join('\n'),
  };
}

/** Catalog models with their facts; the list is built once (the facts are cached by modelFacts.ts). */
let modelChoiceCache: Choice[] | undefined;
function modelChoices(): Choice[] {
  if (modelChoiceCache) return modelChoiceCache;
  const facts = catalogModelFacts();
  modelChoiceCache = catalogModelIds().map((id) => {
    const f = facts.get(id);
    return { label: id, kind: CompletionItemKind.Value, detail: f ? modelDetail(f) : 'built-in catalog', documentation: f ? modelDoc(f) : undefined };
  });
  return modelChoiceCache;
}

const gpuChoices = (): Choice[] => builtinGpus.map((g) => ({ label: g.id, kind: CompletionItemKind.Value, detail: `${g.name} · ${(g.usableBytes / 2 ** 30).toFixed(0)} GiB · $${g.pricePerHour}/h` }));
const ENGINES: EngineName[] = ['vllm', 'sglang', 'trtllm', 'tgi', 'tei'];

/** Items that replace the target's whole range; `prefix` is written before each value (`hf://`, a space). */
function valueItems(choices: Choice[], range: Range, prefix = ''): CompletionItem[] {
  return choices.map((c) => {
    const newText = `${prefix}${c.label}`;
    return { ...c, filterText: newText, textEdit: { range, newText } };
  });
}

function keyItems(table: EngineKeyTable, present: Set<string>, style: 'dash' | 'underscore' | 'flag', target: CompletionTarget & { kind: 'key' | 'flag' }): CompletionItem[] {
  return table.keys.filter((k) => !present.has(k.name)).map((k) => {
    const name = style === 'underscore' ? k.name.replace(/-/g, '_') : k.name;
    const label = style === 'flag' ? `--${name}` : name;
    const newText = style === 'flag' || (target.kind === 'key' && target.colon) ? label : `${name}: `;
    return { label, kind: CompletionItemKind.Property, detail: `${table.engine} · ${k.type}`, documentation: doc(k), filterText: label, textEdit: { range: target.range, newText } };
  });
}

function specFor(table: EngineKeyTable, key: string): KeySpec | undefined {
  const n = table.normalize(key);
  return table.keys.find((k) => table.normalize(k.name) === n || (k.aliases ?? []).some((a) => table.normalize(a.replace(/^-+/, '')) === n))
    ?? table.keys.flatMap((k) => k.properties ?? []).find((p) => p.name === key);
}

function enumChoices(spec: KeySpec | undefined, booleans: boolean): Choice[] {
  if (spec?.enum) return spec.enum.map((v) => ({ label: String(v), kind: CompletionItemKind.EnumMember, documentation: doc(spec) }));
  if (booleans && spec?.type === 'boolean') return ['true', 'false'].map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, documentation: doc(spec) }));
  return [];
}

export interface CompletionDocument {
  uri?: string;
  /** The editor's language id: snippets are YAML, so a JSON file gets none. */
  languageId?: string;
}

/** The workload whose keys lie nearest the cursor's line (a multi-document file runs several engines). */
function planNear(plans: DeploymentPlan[], line: number): DeploymentPlan | undefined {
  const distance = (p: DeploymentPlan) => Math.min(Infinity, ...(p.keys ?? []).map((k) => Math.abs(k.keyRange.start.line - line)),
    ...(p.model.ref.source.kind === 'file' ? [Math.abs(p.model.ref.source.range.start.line - line)] : []));
  return plans.length < 2 ? plans[0] : plans.reduce((best, p) => (distance(p) < distance(best) ? p : best));
}

/**
 * The file as its reader sees it. A key half typed on the cursor's line (`max-num` in a file of `model:` alone) can
 * make the file unreadable or unclaimed; then the file without that line says what it is and which keys it has.
 */
/**
 * Above this a document the analysis did not recognise is not re-read per keystroke: no config is that large, and a
 * 100 kB JSON schema took 70 ms a completion to parse again.
 */
const REREAD_MAX_CHARS = 32 * 1024;

function readForCompletion(lines: string[], pos: Position, a: Analysis, uri: string): Pick<Analysis, 'format'> & { plan?: DeploymentPlan } {
  if (a.format) return { format: a.format, plan: planNear(a.workloads.map((w) => w.plan), pos.line) };
  if (lines.reduce((n, l) => n + l.length + 1, 0) > REREAD_MAX_CHARS) return { format: null };
  const without = readText(uri, lines.map((l, i) => (i === pos.line ? '' : l)).join('\n'));
  return { format: without.format, plan: without.plans[0] };
}

export function completion(text: string, pos: Position, analysis: Analysis, d: CompletionDocument = {}): CompletionItem[] {
  const lines = text.split(/\r?\n/);
  const json = /^jsonc?$/.test(d.languageId ?? '');
  if (!json && isEmptyYaml(lines, pos)) return emptyFileSnippets(lines, pos);
  const { format, plan } = readForCompletion(lines, pos, analysis, d.uri ?? 'untitled:completion');
  const engine: EngineName = plan?.engine.name.value ?? 'vllm';
  const table = keyTables[engine];
  // A Kubernetes manifest's `model:` keys are other objects' (KServe's `model: {modelFormat}`): its ids are argv.
  const modelKeys = format !== 'kubernetes' && format !== 'hf-config';
  const isValueKey = (key: string, line: number) => (modelKeys && MODEL_KEYS.test(key)) || key === 'gpu' || (key === 'uri' && format === 'helm')
    || (key === 'name' && format === 'profile' && /^\s+name\s*:/.test(lines[line] ?? '')) || (key === 'value' && /name:\s*["']?MODEL_ID["']?\s*$/.test(lines[line - 1] ?? ''))
    || enumChoices(specFor(table, key), true).length > 0;
  const modelRanges = analysis.workloads.flatMap((w) => (w.plan.model.ref.source.kind === 'file' ? [w.plan.model.ref.source.range] : []));
  const t = completionTarget(lines, pos, isValueKey, modelRanges);
  if (!t) return [];
  switch (t.kind) {
    case 'directive':
      return t.key === 'gpu' ? valueItems(gpuChoices(), t.range) : t.key === 'engine' ? valueItems(ENGINES.map((e) => ({ label: e, kind: CompletionItemKind.EnumMember })), t.range) : [];
    case 'value': {
      const prefix = t.space ? ' ' : '';
      if (t.key === 'uri') {
        // Keep what the file wrote of the scheme: replace only the id after `hf://`, or write the scheme too.
        if (t.typed.startsWith(HF_SCHEME)) return valueItems(modelChoices(), { ...t.range, start: { ...t.range.start, character: t.range.start.character + HF_SCHEME.length } });
        return valueItems(modelChoices(), t.range, `${prefix}${HF_SCHEME}`);
      }
      if (MODEL_KEYS.test(t.key) || t.key === 'value') return valueItems(modelChoices(), t.range, prefix);
      if (t.key === 'gpu') return valueItems(gpuChoices(), t.range, prefix);
      if (t.key === 'name') return valueItems(ENGINES.map((e) => ({ label: e, kind: CompletionItemKind.EnumMember })), t.range, prefix);
      return valueItems(enumChoices(specFor(table, t.key), true), t.range, prefix);
    }
    case 'flagValue':
      if (MODEL_FLAGS.test(t.flag)) return valueItems(modelChoices(), t.range);
      // A boolean flag takes no value on a command line: what follows it is the next argument.
      return valueItems(enumChoices(specFor(table, t.flag), false), t.range);
    case 'flag':
      if (format !== 'kubernetes' && format !== 'compose' && format !== 'helm') return [];
      return keyItems(table, new Set((plan?.keys ?? []).map((k) => k.name)), 'flag', t);
    case 'key': {
      if (format !== 'vllm' && format !== 'sglang' && format !== 'trtllm' && format !== 'profile') return [];
      const present = new Set((plan?.keys ?? []).map((k) => k.name));
      const underscore = (plan?.keys ?? []).some((k) => /_/.test(lines[k.keyRange.start.line]?.slice(k.keyRange.start.character, k.keyRange.end.character) ?? '')) && engine !== 'trtllm';
      return keyItems(table, present, engine === 'trtllm' ? 'dash' : underscore ? 'underscore' : 'dash', t);
    }
  }
}
