/**
 * Whether a flag says the engine runs the model for pooling (embeddings, scores, rewards) or for generation.
 * vLLM ≤ v0.10.0 selects it with `--task {auto, generate, embedding, embed, classify, score, reward, transcription}`;
 * v0.10.1 on with `--runner {auto, generate, pooling, draft}` and `--convert {auto, none, embed, classify, reward}`
 * (docs.vllm.ai v0.10.0 vs v0.10.1 pooling pages; `--task` is gone from vllm/engine/arg_utils.py by ≈ v0.13).
 * SGLang: `--is-embedding` (store_true) serves the model through its embedding path.
 */

/** vLLM `--task` values that run a pooling model (`transcription` is Whisper's generation). */
export const VLLM_POOLING_TASKS = ['embedding', 'embed', 'classify', 'score', 'reward'];
export const VLLM_TASKS = ['auto', 'generate', ...VLLM_POOLING_TASKS, 'transcription'];
export const VLLM_RUNNERS = ['auto', 'generate', 'pooling', 'draft'];
export const VLLM_CONVERTS = ['auto', 'none', 'embed', 'classify', 'reward'];

/**
 * The pooling knob a value states: true (pooling), false (generation) or undefined (`auto`: the engine decides from the
 * architecture; `--convert none`: says nothing about the runner). Booleans are SGLang's `--is-embedding`.
 */
export function poolingFrom(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = String(v ?? '').trim().toLowerCase();
  if (s === '' || s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'pooling' || VLLM_POOLING_TASKS.includes(s)) return true;
  if (s === 'generate' || s === 'draft' || s === 'transcription') return false;
  return undefined;
}
