/** Speculative decoding settings as the engines spell them → one SpeculativeConfig. */
import type { SpeculativeConfig } from '../estimator/speculative';
import { jsonObject } from './jsonObject';

/** TensorRT-LLM decoding_type → the method names the estimator knows. */
const TRT_TYPES: Record<string, string> = { eagle: 'eagle', eagle3: 'eagle3', mtp: 'mtp', ngram: 'ngram', drafttarget: 'draft_model', medusa: 'medusa', lookahead: 'ngram' };

/** vLLM `speculative-config` (mapping or JSON string) or TensorRT-LLM `speculative_config`. */
export function speculativeFrom(v: unknown): SpeculativeConfig | undefined {
  const o = jsonObject(v);
  if (!o) return undefined;
  const model = typeof o.model === 'string' ? o.model : undefined;
  const trtType = typeof o.decoding_type === 'string' ? TRT_TYPES[o.decoding_type.toLowerCase()] ?? o.decoding_type.toLowerCase() : undefined;
  const method = typeof o.method === 'string' ? o.method : trtType ?? (model ? (/eagle/i.test(model) ? 'eagle' : 'draft_model') : 'ngram');
  const numTokens = Number(o.num_speculative_tokens ?? o.max_draft_len ?? o.num_nextn_predict_layers ?? 1);
  if (!Number.isFinite(numTokens) || numTokens < 1) return undefined;
  const draftTp = Number(o.draft_tensor_parallel_size);
  return {
    method: method.replace(/^deepseek_mtp$|_mtp$/, 'mtp'), numTokens,
    ...(model ? { draftModel: model } : {}),
    ...(Number.isInteger(draftTp) && draftTp >= 1 ? { draftTensorParallel: draftTp } : {}),
  };
}

/** SGLang's flat flags: speculative-algorithm + speculative-num-draft-tokens (or num-steps). */
export function sglangSpeculative(algorithm: unknown, draftTokens: unknown, steps: unknown, draftModel?: unknown): SpeculativeConfig | undefined {
  if (typeof algorithm !== 'string' || !algorithm) return undefined;
  const a = algorithm.toLowerCase();
  const method = a === 'nextn' ? 'mtp' : a === 'standalone' ? 'draft_model' : a;
  const k = Number(draftTokens ?? steps ?? 3);
  // num-draft-tokens counts the verified token too.
  return { method, numTokens: Math.max(1, draftTokens !== undefined ? k - 1 : k), ...(typeof draftModel === 'string' && draftModel ? { draftModel } : {}) };
}
