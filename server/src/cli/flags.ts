/**
 * Flag groups several commands share, declared once (name, type, help line) and spread into each command's
 * declaration: util.parseArgs reads the types, `--help` prints the lines, did-you-mean searches the names.
 */
import type { CommandOptions, CommandValues } from './command';
import type { Flags } from './options';

export interface FlagDecl {
  type: 'string' | 'boolean';
  /** Repeatable (parseArgs collects the values into an array). */
  multiple?: boolean;
  /** `--name PLACEHOLDER` (what the value looks like) and what it does; the name is added. */
  value?: string;
  help: string;
  short?: string;
}
export type FlagGroup = Record<string, FlagDecl>;

const COLUMN = 27;

/** A command's option table and help lines from its groups (a later group's entry replaces an earlier one's). */
export function declare(...groups: FlagGroup[]): { options: CommandOptions; optionHelp: Record<string, string> } {
  const all: FlagGroup = Object.assign({}, ...groups);
  const options: CommandOptions = {};
  const optionHelp: Record<string, string> = {};
  for (const [name, d] of Object.entries(all)) {
    options[name] = { type: d.type, ...(d.short ? { short: d.short } : {}), ...(d.multiple ? { multiple: true } : {}) };
    const head = `--${name}${d.value ? ` ${d.value}` : ''}`;
    // A long placeholder gets the help on its own line, aligned with the others.
    optionHelp[name] = head.length < COLUMN - 1 ? `${head.padEnd(COLUMN - 1)} ${d.help}` : `${head}\n${' '.repeat(COLUMN + 2)}${d.help}`;
  }
  return { options, optionHelp };
}

/** parseArgs values → the Flags map the estimate/optimize/report code reads (undefined and --help dropped). */
export function toFlags(values: CommandValues): Flags {
  const flags: Flags = new Map();
  for (const [k, v] of Object.entries(values)) {
    if (k === 'help' || v === undefined || v === false) continue;
    // A repeatable flag's values stay with its command (check's --format); the Flags map keeps the last.
    flags.set(k, typeof v === 'string' ? v : Array.isArray(v) ? String(v.at(-1)) : true);
  }
  return flags;
}

export const hardwareFlags: FlagGroup = {
  'gpu': { type: 'string', value: 'NAME', help: 'GPU (H100, h100_sxm, A100-80GB, L40S, "NVIDIA H100 80GB HBM3", ...)' },
  'gpus': { type: 'string', value: 'N', help: 'GPUs per replica (used as tensor parallel when no parallelism is given)' },
  'engine': { type: 'string', value: 'vllm|sglang|trtllm|tgi|tei', help: 'the serving engine' },
  'engine-version': { type: 'string', value: 'X.Y', help: 'version-dependent defaults and KV budget (default: newest modelled)' },
};

export const workloadFlags: FlagGroup = {
  'input-len': { type: 'string', value: 'N', help: 'prompt tokens per request (default 1024)' },
  'output-len': { type: 'string', value: 'N', help: 'output tokens per request (default 256)' },
  'concurrency': { type: 'string', value: 'N|max', help: 'requests in flight (default 1; max = what KV and max-num-seqs allow)' },
  'request-rate': { type: 'string', value: 'R', help: 'instead of --concurrency: requests/s arriving steadily (open loop), per replica' },
};

export const sloFlags: FlagGroup = {
  'ttft-ms': { type: 'string', value: 'X', help: 'time-to-first-token SLO (slo-miss, with the fixes that meet it)' },
  'tpot-ms': { type: 'string', value: 'Y', help: 'time-per-output-token SLO' },
  'min-throughput': { type: 'string', value: 'T', help: 'output tokens/s the deployment must reach' },
};

export const clientFlags: FlagGroup = {
  'benchmark': { type: 'string', value: 'vllm-bench|aiperf', help: 'report latency as this client would (vllm bench serve / benchmark_serving.py; aiperf / genai-perf concurrency mode), at --concurrency as its --max-concurrency' },
  'num-prompts': { type: 'string', value: 'N', help: 'measured requests in all (default: vllm-bench 1000, aiperf 10, else 10 × concurrency)' },
  'random-range-ratio': { type: 'string', value: 'F', help: 'lengths uniform in [F × L, L] (benchmark_serving.py as InferenceX runs it; default 1)' },
  'num-warmups': { type: 'string', value: 'N', help: 'warm-up requests, run first and excluded (default 0)' },
  'statistic': { type: 'string', value: 'mean|median|p90', help: 'the figure reported over the requests (default mean)' },
};

/** What-if knobs: override what the file says. */
export const knobFlags: FlagGroup = {
  'tensor-parallel': { type: 'string', value: 'N', help: 'tensor parallel size' },
  'pipeline-parallel': { type: 'string', value: 'N', help: 'pipeline parallel size' },
  'expert-parallel': { type: 'string', value: 'N', help: 'expert parallel size' },
  'data-parallel': { type: 'string', value: 'N', help: 'data parallel ranks' },
  'attention-data-parallel': { type: 'boolean', help: 'DP attention (TensorRT-LLM enable_attention_dp; SGLang --enable-dp-attention, ranks from --data-parallel)' },
  'quantization': { type: 'string', value: 'fp8|awq|gptq|...', help: 'weight quantization' },
  'kv-cache-dtype': { type: 'string', value: 'auto|fp8|...', help: 'KV cache dtype' },
  'max-model-len': { type: 'string', value: 'N', help: 'longest request (prompt + output) the engine admits' },
  'gpu-memory-utilization': { type: 'string', value: 'F', help: 'fraction of GPU memory the engine may use' },
  'max-num-seqs': { type: 'string', value: 'N', help: 'sequences in a batch' },
  'max-num-batched-tokens': { type: 'string', value: 'N', help: 'tokens in one engine step' },
  'speculative-method': { type: 'string', value: 'ngram|eagle|eagle3|mtp|draft_model', help: 'speculative decoding method' },
  'num-speculative-tokens': { type: 'string', value: 'K', help: 'draft tokens per step' },
  'acceptance-rate': { type: 'string', value: 'A', help: 'draft acceptance rate (0..1)' },
  'prefix-hit-rate': { type: 'string', value: 'F', help: 'fraction of prompt tokens served from the prefix cache (0..1)' },
};

export const sourceFlags: FlagGroup = {
  'gpus-file': { type: 'string', value: 'PATH', help: 'JSON array of GPUs adding to or overriding the catalog' },
  'hub': { type: 'boolean', help: 'fetch config.json of model ids outside the catalog from the Hugging Face Hub (HF_ENDPOINT, HF_TOKEN honoured; cached in ~/.cache/deploy-advisor/hub); off by default' },
};

export const jsonFlag: FlagGroup = {
  json: { type: 'boolean', help: 'print JSON instead of Markdown' },
};
