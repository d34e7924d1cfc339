/**
 * What a checkpoint is for — pooling (embeddings, scores, rewards) or generation — as far as its config and id say,
 * and whether the engine serves it for pooling as configured.
 *
 * vLLM's `--runner auto` picks pooling from the architecture name (docs.vllm.ai v0.10.1+ pooling page: `*ForTextEncoding`,
 * `*EmbeddingModel`, `*Model` → embed; `*ForSequenceClassification` → classify; `*RewardModel` → reward); an embedding
 * checkpoint published under a generative architecture (Qwen3-Embedding's `Qwen3ForCausalLM`) needs `--runner pooling`.
 */
import type { DeploymentPlan } from '../plan/types';
import type { ModelSpec } from './model';

export type ServingKind = 'pooling' | 'generate';

export interface ModelKind {
  kind: ServingKind;
  /** Read from the architecture (vLLM's auto runner follows it) or only from the model id. */
  by: 'encoder' | 'architecture' | 'id';
  why: string;
}

const POOLING_ARCH = /(ForSequenceClassification|ForTextEncoding|EmbeddingModel|RewardModel|ForTokenClassification)$/;
/** A bare backbone (`MistralModel`, `BertModel`): vLLM's auto runner converts `*Model` to embed; `*LMHeadModel` generates. */
const BACKBONE_ARCH = /[a-z0-9]Model$/;
const GENERATIVE_ARCH = /(ForCausalLM|ForConditionalGeneration|LMHeadModel)$/;
/** Ids of embedding and reranking checkpoints (BAAI/bge-*, intfloat/e5-*, thenlper/gte-*, Qwen3-Embedding, -Reranker, MiniLM sentence encoders). */
const POOLING_ID = /(embed|rerank|\/bge-|\/e5-|\/multilingual-e5|\/gte-|sentence-transformers\/|cross-encoder\/)/i;

/** Every layer attends bidirectionally over its own request (the BERT family reads them as `none`): no KV at all. */
export const encoderOnly = (m: ModelSpec): boolean => m.attention.length > 0 && m.attention.every((a) => a.kind === 'none');

export function modelKind(id: string, m: ModelSpec): ModelKind | undefined {
  if (encoderOnly(m)) return { kind: 'pooling', by: 'encoder', why: `${m.architecture} is an encoder-only model` };
  if (POOLING_ARCH.test(m.architecture) || (BACKBONE_ARCH.test(m.architecture) && !/LMHeadModel$/.test(m.architecture))) return { kind: 'pooling', by: 'architecture', why: `${m.architecture} is a pooling architecture` };
  if (POOLING_ID.test(id)) return { kind: 'pooling', by: 'id', why: `${id} is an embedding / reranking checkpoint (on ${m.architecture})` };
  if (GENERATIVE_ARCH.test(m.architecture)) return { kind: 'generate', by: 'architecture', why: `${m.architecture} is a generative model` };
  return undefined;
}

/**
 * Whether the deployment runs the model for pooling: the file's flag when it sets one; TEI always; otherwise what the
 * engine's auto choice makes of the architecture (an id alone does not switch vLLM's runner).
 */
export function servedForPooling(plan: DeploymentPlan, kind: ModelKind | undefined): boolean {
  if (plan.knobs.pooling) return plan.knobs.pooling.value;
  if (plan.engine.name.value === 'tei') return true;
  return kind?.kind === 'pooling' && kind.by !== 'id';
}
