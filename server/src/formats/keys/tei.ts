/**
 * Hugging Face text-embeddings-inference (`text-embeddings-router`) arguments and their environment variables (clap
 * `long, env`): huggingface/text-embeddings-inference@0d124dc9 router/src/main.rs (flags and defaults, tags up to
 * v1.9.3), backends/src/dtype.rs (dtype), core/src/queue.rs (batching). The research note serving-features §4.3 lists them.
 */
import type { EngineKeyTable } from './types';

export const teiKeys: EngineKeyTable = {
  engine: 'tei',
  normalize: (k) => k.trim().replace(/^--/, '').replace(/_/g, '-').toLowerCase(),
  keys: [
    { name: 'model-id', type: 'string', default: 'BAAI/bge-large-en-v1.5', description: 'Embedding, reranking or classification model to serve (Hub id or local folder).' },
    { name: 'dtype', type: 'string', enum: ['float16', 'float32', 'bfloat16'], defaultNote: 'float16 on CUDA, float32 on CPU', description: 'Weights and activations dtype.', knob: 'dtype' },
    { name: 'pooling', type: 'string', enum: ['cls', 'mean', 'splade', 'last-token'], defaultNote: "the model's 1_Pooling/config.json", description: 'How token states become one embedding.' },
    { name: 'max-batch-tokens', type: 'integer', minimum: 1, default: 16384, description: 'Token budget of one batch (Σ prompt tokens on GPU); the warm-up runs exactly one such batch.', effect: 'Sets the activation peak and how many prompts share a forward.', knob: 'maxNumBatchedTokens' },
    { name: 'max-batch-requests', type: 'integer', minimum: 1, description: 'Optional cap on requests per batch (default: max-concurrent-requests).' },
    { name: 'max-concurrent-requests', type: 'integer', minimum: 1, default: 512, description: 'Requests accepted at once; also the batch capacity when max-batch-requests is unset.', knob: 'maxNumSeqs' },
    { name: 'max-client-batch-size', type: 'integer', minimum: 1, default: 32, description: 'Inputs one client request may carry.' },
    { name: 'auto-truncate', type: 'boolean', defaultNote: 'true from v1.9.0, false before', description: 'Truncate inputs longer than the model (or max-batch-tokens) instead of refusing them.', effect: 'With it false, a model whose max input exceeds max-batch-tokens refuses to start.' },
  ],
  otherOptions: ['revision', 'tokenization-workers', 'default-prompt-name', 'default-prompt', 'dense-path', 'hf-api-token', 'hf-token', 'hostname', 'port',
    'uds-path', 'huggingface-hub-cache', 'payload-limit', 'api-key', 'json-output', 'disable-spans', 'otlp-endpoint', 'otlp-service-name',
    'prometheus-port', 'cors-allow-origin', 'serverless'],
};
