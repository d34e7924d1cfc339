/** Hugging Face TGI launcher arguments and their environment variables (launcher/src/main.rs, clap `long, env`). */
import type { EngineKeyTable } from './types';

/** `--max-total-tokens` ↔ `MAX_TOTAL_TOKENS`. */
export const tgiEnvName = (flag: string) => flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase();

export const tgiKeys: EngineKeyTable = {
  engine: 'tgi',
  normalize: (k) => k.trim().replace(/^--/, '').replace(/_/g, '-').toLowerCase(),
  keys: [
    { name: 'model-id', type: 'string', default: 'bigscience/bloom-560m', description: 'Model to serve.' },
    { name: 'num-shard', type: 'integer', minimum: 1, defaultNote: 'all visible GPUs', description: 'Tensor parallel shards.', knob: 'tensorParallel' },
    { name: 'sharded', type: 'boolean', description: 'Shard the model across GPUs.' },
    { name: 'quantize', type: 'string', enum: ['awq', 'compressed-tensors', 'eetq', 'exl2', 'gptq', 'marlin', 'bitsandbytes', 'bitsandbytes-nf4', 'bitsandbytes-fp4', 'fp8'], description: 'Weight quantization.', knob: 'quantization' },
    { name: 'dtype', type: 'string', enum: ['float16', 'bfloat16'], description: 'Weights dtype (not with --quantize).', knob: 'dtype' },
    { name: 'kv-cache-dtype', type: 'string', enum: ['fp8_e4m3fn', 'fp8_e5m2'], description: 'KV cache storage type (CUDA only).', knob: 'kvCacheDtype' },
    { name: 'speculate', type: 'integer', minimum: 1, description: 'Speculative tokens (Medusa heads or n-gram).' },
    { name: 'max-input-tokens', type: 'integer', aliases: ['max-input-length'], minimum: 1, description: 'Longest prompt.' },
    { name: 'max-total-tokens', type: 'integer', minimum: 1, description: 'Longest request (prompt + output).', knob: 'maxModelLen' },
    { name: 'max-batch-prefill-tokens', type: 'integer', minimum: 1, defaultNote: 'computed (often 4096)', description: 'Most prompt tokens in one prefill batch.', knob: 'maxNumBatchedTokens' },
    { name: 'max-batch-total-tokens', type: 'integer', minimum: 1, defaultNote: 'inferred from free memory', description: 'Tokens the KV cache holds across the batch.' },
    { name: 'max-concurrent-requests', type: 'integer', minimum: 1, default: 128, description: 'Requests accepted at once.', knob: 'maxNumSeqs' },
    { name: 'cuda-memory-fraction', type: 'number', exclusiveMinimum: 0, maximum: 1, default: 1, description: 'Fraction of GPU memory TGI may use.', knob: 'gpuMemoryUtilization' },
    { name: 'max-batch-size', type: 'integer', minimum: 1, description: 'Batch size for non-paged hardware.' },
    { name: 'max-waiting-tokens', type: 'integer', minimum: 0, default: 20, description: 'Steps before waiting requests are forced in.' },
    { name: 'waiting-served-ratio', type: 'number', minimum: 0, default: 0.3, description: 'Waiting/running ratio that triggers a prefill.' },
    { name: 'lora-adapters', type: 'string', description: 'LoRA adapters loaded at startup: comma list of id, id@revision or name=/path (TGI ≥ 2.0.6).', effect: 'Every adapter is loaded onto the GPU before the warm-up sizes the KV cache.' },
    { name: 'cuda-graphs', type: 'string', description: 'Batch sizes captured in CUDA graphs (0 disables).' },
  ],
  otherOptions: ['revision', 'hostname', 'port', 'trust-remote-code', 'max-stop-sequences', 'max-top-n-tokens', 'max-best-of', 'huggingface-hub-cache',
    'weights-cache-override', 'disable-custom-kernels', 'json-output', 'otlp-endpoint', 'cors-allow-origin', 'watermark-gamma', 'watermark-delta',
    'tokenizer-config-path', 'disable-grammar-support', 'env', 'max-client-batch-size', 'usage-stats', 'payload-limit',
    'enable-prefill-logprobs', 'rope-scaling', 'rope-factor', 'validation-workers', 'shard-uds-path', 'master-addr', 'master-port', 'api-key'],
};
