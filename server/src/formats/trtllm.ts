/** TensorRT-LLM `trtllm-serve MODEL --extra_llm_api_options file.yaml` (LLM API fields, snake_case, strict types). */
import { isMap } from 'yaml';
import { EngineKnobs, KeyOccurrence, Sourced, sourced } from '../plan/types';
import { entries } from './document';
import { applyDirective, findDirective } from './directive';
import { modelFrom, OptionEntry, readOptions } from './engineOptions';
import { trtllmKeys } from './keys/trtllm';
import type { FormatProblem, FormatReader, LocalModel, ReadContext } from './types';
import { optionEntries } from './yamlOptions';
import { planFromOptions } from './planBuilder';
import { mappingWriteBack } from './writeBack';

/** trtllm-serve's own flags, which are not LLM-API fields (tensorrt_llm/commands/serve.py click options); in an
 *  options file they would be rejected. */
const SERVE_FLAGS = new Set(['host', 'port', 'log_level', 'num_postprocess_workers', 'extra_llm_api_options', 'config', 'reasoning_parser', 'tool_parser',
  'metadata_server_config_file', 'server_role', 'fail_fast_on_attention_window_too_large', 'disagg_cluster_uri', 'media_io_kwargs', 'chat_template',
  'otlp_traces_endpoint', 'cluster_size', /* Dynamo's dynamo.trtllm options file */ 'extra-engine-args']);

export function trtllmOptions(options: OptionEntry[], ctx: ReadContext, coerce: boolean): { knobs: EngineKnobs; keys: KeyOccurrence[]; model?: Sourced<string>; local?: LocalModel; problems: FormatProblem[] } {
  // `coerce`: a command line, where trtllm-serve's own flags sit beside the LLM-API ones.
  const res = readOptions(trtllmKeys, coerce ? options.filter((o) => !SERVE_FLAGS.has(o.key.replace(/^--/, ''))) : options, { coerce, fromMapping: !coerce });
  const { model, local } = modelFrom(res, 'model', ctx);
  // trtllm-serve's CLI spells the KV fraction --kv_cache_free_gpu_memory_fraction.
  const frac = options.find((o) => o.key.replace(/^--/, '') === 'kv_cache_free_gpu_memory_fraction');
  if (frac && Number.isFinite(Number(frac.value))) res.knobs.gpuMemoryUtilization = sourced(Number(frac.value), { kind: 'file', range: frac.valueRange, key: frac.key });
  return { knobs: res.knobs, keys: res.keys, model, local, problems: res.problems.filter((p) => !(frac && p.code === 'unknown-key' && p.range === frac.keyRange)) };
}

const TRT_ONLY = new Set(['kv_cache_config', 'max_num_tokens', 'enable_attention_dp', 'moe_expert_parallel_size', 'cuda_graph_config', 'disable_overlap_scheduler', 'enable_chunked_prefill', 'max_seq_len']);

const TRT_FILE_NAME = /(^|[/\\])[^/\\]*(trt[-_]?llm|tensorrt)[^/\\]*\.ya?ml$/i;

export const trtllmReader: FormatReader = {
  name: 'trtllm',
  detect(doc) {
    const root = doc.docs[0]?.contents;
    if (!isMap(root) || doc.docs.length !== 1) return false;
    const keys = entries(root).map((e) => e.key);
    if (keys.some((k) => k.includes('-'))) return false;
    // Keys both engines take (model, tensor_parallel_size, ...) read as vLLM, unless the file is named for TensorRT-LLM.
    return keys.some((k) => TRT_ONLY.has(k)) || TRT_FILE_NAME.test(doc.uri);
  },
  read(doc, ctx) {
    const o = trtllmOptions(optionEntries(doc, doc.docs[0].contents, trtllmKeys), ctx, false);
    const { plan, problems } = planFromOptions(undefined, { engine: 'trtllm', ...o }, {}, ctx, {
      writeBack: mappingWriteBack(doc, doc.docs[0].contents, { snake: true, nestedKeys: ['kv_cache_config'] }), engineNote: 'TensorRT-LLM options file',
      missingModel: { severity: 'info', message: 'The model is the positional argument of trtllm-serve: add a `model:` key, a profile beside this file, or a `# deploy-advisor:` line.' },
    });
    applyDirective(plan, findDirective(doc.text));
    return { format: 'trtllm', plans: [plan], problems };
  },
};
