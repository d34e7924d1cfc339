/**
 * The pooling figures of a sized deployment served for pooling, and what its memory is made of: the workload's prompts
 * per second through one batch step of the step model, and how the engine sizes memory without a decode KV cache.
 */
import type { DeploymentPlan } from '../plan/types';
import type { IssueLog } from './issues';
import { buildStepModel } from './latency';
import { GiB } from './memory';
import type { Deployment } from './operatingPoint';
import { encoderOnly, modelKind, ModelKind, servedForPooling } from './poolingModel';
import { PoolingEstimate, poolingThroughput } from './pooling';
import { positiveInt } from './resolveKnobs';

export interface PoolingPoint extends PoolingEstimate {
  /** What the checkpoint is, by its config and id (undefined: neither says). */
  modelKind?: ModelKind['kind'];
  modelKindWhy?: string;
  /** GPU memory the utilization leaves beyond weights and activations that no KV cache uses (encoder-only models). */
  unusedBytesPerGpu: number;
}

/** Undefined when the deployment is not served for pooling. */
export function poolingPoint(x: Deployment, log: IssueLog): PoolingPoint | undefined {
  const plan: DeploymentPlan = x.plan;
  const kind = modelKind(plan.model.ref.value, x.model);
  if (!servedForPooling(plan, kind)) return undefined;
  const noKv = encoderOnly(x.model) || plan.engine.name.value === 'tei';
  const nodes = positiveInt(plan.hardware.nodes?.value, x.count > 8 ? Math.ceil(x.count / 8) : 1, 4096);
  const step = buildStepModel({ model: x.model, params: x.params, format: x.format, kvElementBytes: x.kvElem, gpu: x.gpu, par: x.par, engine: x.engine, knobs: x.knobs, nodes });
  const c = plan.workload.concurrency.value;
  const perRank = c === 'max' ? Infinity : Math.ceil(positiveInt(c, 1, 1e7) / x.dp.ranks);
  // A pooling request has no output: its prompt alone, cut at the engine's max input (TEI and vLLM truncate or refuse).
  const inputLen = Math.max(1, Math.min(positiveInt(plan.workload.inputLen.value, 1024, 1e8), x.maxModelLen));
  const p = poolingThroughput(step, {
    inputLen, concurrency: perRank, tokenBudget: x.knobs.maxNumBatchedTokens, maxSequences: x.knobs.maxNumSeqs, ranks: x.dp.ranks,
    bidirectional: encoderOnly(x.model),
  }, noKv ? 'none' : 'prompt-only', x.engine.knobNames.maxNumBatchedTokens);
  const unused = noKv ? Math.max(0, x.poolBytes) : 0;
  if (x.engine.name === 'tei') {
    log.assume(`TEI keeps no KV cache: GPU memory is the weights plus one warm-up batch of ${p.tokenBudget} tokens (--max-batch-tokens; backends/src/lib.rs warmup), nothing is sized from free memory`);
  } else if (noKv) {
    log.assume(`pooling an encoder-only model: ${x.engine.name} allocates no KV cache (vLLM EncoderOnlyAttention: get_kv_cache_spec returns None) — memory is weights + the profile peak at ${x.engine.knobNames.maxNumBatchedTokens} ${p.tokenBudget}; the ${(unused / GiB).toFixed(1)} GiB ${x.engine.knobNames.utilization} leaves beyond that stays unallocated`);
  } else {
    log.assume(`pooling a decoder model (causal attention): ${x.engine.name} sizes a KV pool as for generation, but each prompt's KV lives only for its one forward — a batch needs at most ${p.tokenBudget} tokens of it`);
  }
  log.assume(`pooling throughput: ${p.batchSequences} prompt(s) of ${inputLen} tokens per batch (${x.engine.knobNames.maxNumBatchedTokens} ${p.tokenBudget}), one prefill step of ${p.batchMs.toFixed(1)} ms, no decode — output length and TPOT do not apply`);
  return { ...p, modelKind: kind?.kind, modelKindWhy: kind?.why, unusedBytesPerGpu: unused };
}
