/**
 * The headline facts of each catalog model — parameters, context length, KV bytes per token — read with the
 * estimator's own model reader, so completion details and estimates never disagree. Computed once per process
 * (about 250 config reads, ~20 ms) and cached: completion asks for them on every keystroke in a model value.
 */
import { catalogConfig, catalogModelIds } from '../catalog/models';
import { kvBytesPerToken } from './memory';
import { countParams, modelFromConfig } from './model';
import { kvDtypeBytes, kvDtypeFrom, KvDtype } from './quantization';

export interface ModelFacts {
  id: string;
  architecture: string;
  params: number;
  /** Parameters touched per token (differs from `params` for MoE models). */
  activeParams: number;
  layers: number;
  /** max_position_embeddings: the engines' default max-model-len. */
  contextLength: number;
  /** Whole-model KV bytes per token at the engines' default (`auto`) KV dtype. */
  kvBytesPerToken: number;
  kvDtype: KvDtype;
  /** The checkpoint's weight format (`bf16`, `fp8`, `gptq`, ...). */
  weightFormat: string;
}

let cache: ReadonlyMap<string, ModelFacts> | undefined;

/** Facts of every catalog id (aliases included); a model whose config cannot be read is left out, never thrown. */
export function catalogModelFacts(): ReadonlyMap<string, ModelFacts> {
  if (cache) return cache;
  const facts = new Map<string, ModelFacts>();
  for (const id of catalogModelIds()) {
    const config = catalogConfig(id);
    if (!config) continue;
    try {
      const m = modelFromConfig(id, config);
      const p = countParams(m);
      const kvDtype = kvDtypeFrom('auto', m);
      facts.set(id, {
        id, architecture: m.architecture, params: p.total, activeParams: p.active, layers: m.layers, contextLength: m.maxPositions,
        kvBytesPerToken: kvBytesPerToken(m, kvDtypeBytes(kvDtype)), kvDtype, weightFormat: m.weightFormat.name,
      });
    } catch {
      // A catalog entry the reader rejects gets no facts; completion still offers its id.
    }
  }
  cache = facts;
  return facts;
}
