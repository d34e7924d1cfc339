/**
 * `trtllm-serve MODEL ... --extra_llm_api_options /config/extra.yml` (newer releases: `--config`) in Kubernetes: the
 * options file is a ConfigMap entry in the same manifest, mounted by the pod at that path. Its YAML is read in place
 * (formats/embeddedYaml.ts) as TensorRT-LLM LLM-API options and merged with the command line the way trtllm-serve
 * merges them: tensorrt_llm/commands/serve.py loads the file with yaml.safe_load and calls
 * update_llm_args_with_extra_dict (tensorrt_llm/llmapi/llm_args.py), which ends in `llm_args | llm_args_dict` — the
 * file wins over the flags, and a `kv_cache_config` in the file replaces the one the flags built whole (the
 * `--kv_cache_free_gpu_memory_fraction` flag is then lost unless the file sets free_gpu_memory_fraction itself).
 */
import { isMap, isScalar, isSeq, YAMLMap } from 'yaml';
import type { KeyOccurrence, SourceRange, WriteBack } from '../plan/types';
import type { LaunchCommand } from './commandLine';
import type { ParsedDocument } from './document';
import { embeddedYaml } from './embeddedYaml';
import type { EngineOptionsResult } from './planBuilder';
import { trtllmKeys } from './keys/trtllm';
import { trtllmOptions } from './trtllm';
import type { FormatProblem, ReadContext } from './types';
import { mappingWriteBack } from './writeBack';
import { optionEntries } from './yamlOptions';

const get = (node: unknown, path: string[]): unknown => path.reduce<unknown>((n, p) => (isMap(n) ? (n as YAMLMap).get(p, true) : undefined), node);
const str = (n: unknown) => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);
const items = (n: unknown) => (isSeq(n) ? n.items : []);

/** The flags that name the options file (serve.py: `--extra_llm_api_options`, renamed `--config` with the old name
 *  kept; Dynamo's dynamo.trtllm worker: `--extra-engine-args`). */
const FILE_FLAGS = new Set(['extra_llm_api_options', 'config', 'extra-engine-args']);

/** The ConfigMap entry mounted at `path`: through a volume mount (whole ConfigMap or `subPath`) and its `items`. */
function configMapEntry(doc: ParsedDocument, podSpec: unknown, container: unknown, path: string): { node: unknown; where: string } | undefined {
  for (const m of items(get(container, ['volumeMounts']))) {
    const mountPath = (str(get(m, ['mountPath'])) ?? '').replace(/\/+$/, '');
    const subPath = str(get(m, ['subPath']));
    const rel = subPath !== undefined ? (path === mountPath ? subPath : undefined) : path.startsWith(`${mountPath}/`) ? path.slice(mountPath.length + 1) : undefined;
    if (rel === undefined) continue;
    const volume = items(get(podSpec, ['volumes'])).find((v) => str(get(v, ['name'])) === str(get(m, ['name'])));
    const cmName = str(get(volume, ['configMap', 'name']));
    if (!cmName) continue;
    // `items` project chosen keys to chosen paths; without them every key is a file of its own name.
    const listed = items(get(volume, ['configMap', 'items']));
    const key = listed.length ? str(get(listed.find((i) => str(get(i, ['path'])) === rel), ['key'])) : rel;
    if (!key) continue;
    for (const d of doc.docs) {
      if (str(get(d.contents, ['kind'])) !== 'ConfigMap' || str(get(d.contents, ['metadata', 'name'])) !== cmName) continue;
      const node = get(d.contents, ['data', key]);
      if (node) return { node, where: `ConfigMap ${cmName} (${key})` };
    }
  }
  return undefined;
}

export interface ExtraOptions {
  options: EngineOptionsResult;
  /** New LLM-API options go into the file's YAML, indented like its keys. */
  writeBack?: WriteBack;
}

/**
 * The launch's options merged with its options file, when the file is a ConfigMap of this manifest; a finding on the
 * path when it is not (the file is then not read, and said so).
 */
export function withExtraOptions(doc: ParsedDocument, podSpec: unknown, container: unknown, launch: LaunchCommand, o: EngineOptionsResult, ctx: ReadContext): ExtraOptions | undefined {
  const flag = launch.options.find((x) => FILE_FLAGS.has(x.key.replace(/^-+/, '')));
  if (!flag || typeof flag.value !== 'string') return undefined;
  const found = configMapEntry(doc, podSpec, container, flag.value);
  const inner = found ? embeddedYaml(doc, found.node) : undefined;
  if (!found || !inner || 'unreadable' in inner) {
    const why = !found ? 'is not a ConfigMap mounted from this manifest' : inner && 'unreadable' in inner ? `is written as ${inner.unreadable}, not a literal block (\`|\`)` : 'is not a string';
    return { options: { ...o, problems: [...o.problems, { code: 'launcher-not-read', severity: 'info', message: `The options file ${flag.value} ${why}: its settings are not read, and they override the command line.`, range: flag.valueRange }] } };
  }
  const root = inner.doc.docs[0]?.contents;
  const file = trtllmOptions(optionEntries(inner.doc, root, trtllmKeys), ctx, false);
  const problems: FormatProblem[] = [...o.problems, ...inner.doc.problems.map((p) => ({ code: 'syntax', severity: 'error' as const, message: `${found.where}: ${p.message}`, range: p.range }))];
  const knobs = { ...o.knobs };
  const at = (r: SourceRange) => `${r.start.line}:${r.start.character}`;
  const overridden = new Set<string>();
  for (const [k, v] of Object.entries(file.knobs)) {
    const cli = (o.knobs as Record<string, typeof v>)[k];
    if (cli?.source.kind === 'file' && v?.source.kind === 'file') {
      problems.push({ code: 'duplicate-key', severity: 'warning', message: `--${cli.source.key} ${String(cli.value)} is overridden by ${v.source.key}: ${String(v.value)} in ${found.where}: trtllm-serve applies the options file over its flags.`, range: cli.source.range });
      overridden.add(at(cli.source.range));
    }
    (knobs as Record<string, typeof v>)[k] = v;
  }
  // A kv_cache_config in the file replaces the flags' KvCacheConfig: the flag's fraction goes with it.
  const fraction = o.knobs.gpuMemoryUtilization;
  if (fraction?.source.kind === 'file' && isMap(get(root, ['kv_cache_config'])) && !file.knobs.gpuMemoryUtilization) {
    problems.push({ code: 'duplicate-key', severity: 'warning', message: `--${fraction.source.key} ${fraction.value} is lost: kv_cache_config in ${found.where} replaces the command line's KV cache settings, so free_gpu_memory_fraction is its default 0.9. Set it in kv_cache_config.`, range: fraction.source.range });
    overridden.add(at(fraction.source.range));
    delete knobs.gpuMemoryUtilization;
  }
  const keys: KeyOccurrence[] = [...o.keys.filter((k) => !overridden.has(at(k.valueRange))), ...file.keys];
  return {
    options: { ...o, knobs, keys, model: o.model ?? file.model, local: o.local ?? file.local, problems: [...problems, ...file.problems] },
    writeBack: mappingWriteBack(inner.doc, root, { snake: true, nestedKeys: ['kv_cache_config'] }),
  };
}
