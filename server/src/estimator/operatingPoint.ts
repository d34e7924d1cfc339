/**
 * The workload on the sized deployment: the request shape the engine accepts, the requests in flight (closed loop,
 * `max`, or an open-loop rate through Little's law), what the KV pool and the batch cap admit, and the latency there.
 */
import type { GpuSpec } from '../catalog/gpus';
import type { DeploymentPlan } from '../plan/types';
import type { DataParallelLayout } from './dataParallel';
import type { EngineModel, ResolvedKnobs } from './engines/types';
import type { IssueLog } from './issues';
import { BENCHMARK_ROUNDS, buildStepModel, EAGER_LAUNCH_SEC_PER_LAYER, eagerPromptHostSec, servingLatency } from './latency';
import { measuredErrorFor } from './measuredError';
import { kvBytesForRequestPerGpu, Parallelism } from './memory';
import type { ModelParams, ModelSpec } from './model';
import type { WeightFormat } from './quantization';
import { positiveInt } from './resolveKnobs';
import { speculation } from './speculative';
import type { KvBudget } from './scheduler';
import { describeClient, resolveClient } from './benchmarkClient';

/** Prompt and output lengths, cut to the longest request `maxModelLen` accepts (a workload someone chose is flagged).
 *  `imageTokens`: the tokens of the workload's images, which join the prompt (estimator/multimodal.ts). */
export function requestShape(plan: DeploymentPlan, engine: EngineModel, maxModelLen: number, log: IssueLog, imageTokens = 0): { inputLen: number; outputLen: number } {
  const w = plan.workload;
  const k = plan.knobs;
  let inputLen = positiveInt(w.inputLen.value, 1024, 1e8) + imageTokens;
  let outputLen = positiveInt(w.outputLen.value, 256, 1e8);
  if (maxModelLen < 2) log.refuse('invalid-value', `${engine.knobNames.maxModelLen} ${maxModelLen} leaves no room for a prompt and an output token.`, k.maxModelLen?.source);
  else if (inputLen + outputLen > maxModelLen) {
    // Every engine rejects a request longer than its max length (vLLM: "This model's maximum context length is …"):
    // latency is estimated for the longest request it accepts, and a workload someone chose is flagged.
    const chosen = [w.inputLen, w.outputLen, ...(imageTokens && w.imagesPerRequest ? [w.imagesPerRequest] : [])].find((x) => x.source.kind !== 'default');
    if (chosen) {
      const where = chosen.source.kind === 'file' ? chosen.source : k.maxModelLen?.source ?? chosen.source;
      log.bad('request-exceeds-max-len', `Requests of ${inputLen} + ${outputLen} tokens exceed ${engine.knobNames.maxModelLen} ${maxModelLen}; ${engine.name} rejects them. Latency below is for the longest request it accepts.`, where, 'warning');
    }
    // The prompt is what gets cut; the output keeps its length while it is at most a fifth of max-model-len.
    outputLen = Math.max(1, Math.min(outputLen, Math.floor(maxModelLen / 5)));
    inputLen = Math.max(1, maxModelLen - outputLen);
    log.assume(`workload shortened to ${inputLen} + ${outputLen} tokens: the longest request ${engine.knobNames.maxModelLen} ${maxModelLen} accepts`);
  }
  return { inputLen, outputLen };
}

/** The sized deployment the workload runs on. */
export interface Deployment {
  plan: DeploymentPlan;
  model: ModelSpec;
  params: ModelParams;
  format: WeightFormat;
  kvElem: number;
  gpu: GpuSpec;
  par: Parallelism;
  dp: DataParallelLayout;
  engine: EngineModel;
  knobs: ResolvedKnobs;
  /** GPUs in one replica. */
  count: number;
  maxModelLen: number;
  poolBytes: number;
  fits: boolean;
  /** Hybrid models: state each request holds in the KV pool (vLLM's shared blocks), and the requests a separate state
   *  pool lets run per rank (SGLang, TensorRT-LLM). */
  stateInPoolBytes?: number;
  stateRequestLimit?: number;
  /** The speculative drafter's KV beside each request's: its layers' bytes per token and the lookahead slots' bytes. */
  draftKv?: { perTokenBytes: number; lookaheadBytes: number };
  /** Seconds each step reads CPU-offloaded weights over the host link (offload.ts). */
  hostStreamSec?: number;
  inputLen: number;
  outputLen: number;
}

export interface OperatingPoint {
  concurrency: number;
  prefixHitRate: number;
  computeDtype: string;
  latency: { ttftMs: number; tpotMs: number; outputTokensPerSec: number; prefillAloneMs: number; decodeStepMs: number };
}

export function operatingPoint(x: Deployment, memoryOnly: boolean, log: IssueLog): OperatingPoint {
  const { plan, model, engine, knobs, dp, gpu, inputLen, outputLen } = x;
  const w = plan.workload;
  const maxNumSeqs = knobs.maxNumSeqs;
  const hit = Math.min(1, Math.max(0, w.prefixHitRate?.value ?? 0));
  const reqTokens = inputLen + outputLen;
  const perRequestKv = kvBytesForRequestPerGpu(model, x.kvElem, x.par, reqTokens, knobs.maxNumBatchedTokens, knobs.blockSize) + (x.stateInPoolBytes ?? 0)
    + (x.draftKv ? x.draftKv.perTokenBytes * reqTokens + x.draftKv.lookaheadBytes : 0);
  // Per data-parallel rank: the requests its KV pool holds and those its scheduler runs at once (a model that keeps
  // nothing per request, an encoder served for pooling, is limited by its scheduler alone).
  const kvLimitRank = Math.min(perRequestKv > 0 ? Math.floor(Math.max(0, x.poolBytes) / perRequestKv) : Number.MAX_SAFE_INTEGER, x.stateRequestLimit ?? Infinity);
  const kvLimit = kvLimitRank * dp.ranks;
  // The simulation admits against the rank's KV pool as the engine does (scheduler.ts, engine.kvAdmission); a separate
  // recurrent-state pool caps the requests outright.
  const slots = Math.max(1, Math.min(maxNumSeqs, x.fits ? Math.max(1, x.stateRequestLimit ?? Infinity) : Infinity));
  const fixedKv = (x.stateInPoolBytes ?? 0) + (x.draftKv?.lookaheadBytes ?? 0);
  const kv: KvBudget | undefined = x.fits && perRequestKv > 0 ? { poolBytes: Math.max(0, x.poolBytes), fixedBytes: fixedKv, bytesPerToken: (perRequestKv - fixedKv) / reqTokens } : undefined;
  const seqsLimit = maxNumSeqs * dp.ranks;
  const nodes = positiveInt(plan.hardware.nodes?.value, x.count > 8 ? Math.ceil(x.count / 8) : 1, 4096);
  const stepModel = buildStepModel({ model, params: x.params, format: x.format, kvElementBytes: x.kvElem, gpu, par: x.par, engine, knobs, nodes, hostStreamSec: x.hostStreamSec });
  const spec = speculation(plan.knobs.speculative?.value, { layers: model.layers, activeParams: x.params.active, headParams: model.vocab * model.hidden });
  if (spec) log.assume(spec.note);
  const rate = w.requestRate?.value;
  // A request rate is open-loop traffic: arrivals spread over time, no benchmark start-up burst.
  const openLoop = rate !== undefined && Number.isFinite(rate) && rate > 0 && w.concurrency.source.kind === 'default';
  // Requests split evenly over the data-parallel ranks: the busiest rank sets the latency, all of them the throughput.
  // A benchmark client shapes the reported figure only (the open-loop fixed point and capacity check run without it);
  // its measured requests split over the data-parallel ranks as the requests in flight do.
  const latencyAt = (n: number, quick = false, client?: ReturnType<typeof resolveClient>) => {
    const perRank = Math.ceil(n / dp.ranks);
    const perRankClient = client ? { ...client, requests: Math.max(1, Math.ceil(client.requests / dp.ranks)) } : undefined;
    const arrivals = openLoop || client?.firstWave === 'staggered' ? 'spread' : 'together';
    const l = servingLatency(stepModel, engine, { ...knobs, maxNumSeqs: slots }, { inputLen, outputLen, concurrency: perRank, prefixHitRate: knobs.prefixCaching ? hit : 0, arrivals, quick, speculation: spec, client: perRankClient, kv });
    return perRank === n ? l : { ...l, outputTokensPerSec: (l.outputTokensPerSec * n) / perRank };
  };

  let concurrency: number;
  if (openLoop && rate !== undefined) {
    concurrency = openLoopConcurrency(rate, outputLen, latencyAt, log);
    // What one replica serves at most: its full batch, back to back (capped at 1024 in flight like the report's
    // concurrency curve, which bounds the simulation).
    const capacity = latencyAt(Math.min(slots, 1024) * dp.ranks, true).outputTokensPerSec;
    // The two-round capacity run includes its start-up burst, so it reads a few % low: flag only a clear overload.
    if (x.fits && rate * outputLen > 1.05 * capacity) {
      log.bad('rate-exceeds-capacity', `${rate} requests/s need ${Math.round(rate * outputLen)} output tokens/s but a replica serves at most about ${Math.round(capacity)}: queues grow without bound and TTFT with them. Add replicas or make each faster (FP8, more GPUs per replica).`, w.requestRate!.source, 'warning');
    }
  } else if (w.concurrency.value === 'max') {
    concurrency = Math.max(1, Math.min(seqsLimit, kvLimit));
    log.assume(`concurrency max = ${concurrency} (min of ${engine.knobNames.maxNumSeqs} ${seqsLimit}${dp.ranks > 1 ? ` (${maxNumSeqs} per rank × ${dp.ranks} ranks)` : ''} and KV room for ${kvLimit} requests of ${reqTokens} tokens)`);
  } else {
    concurrency = positiveInt(w.concurrency.value, 1, 1e7);
  }
  if (concurrency > seqsLimit) log.assume(`only ${seqsLimit} of ${concurrency} requests run at once (${engine.knobNames.maxNumSeqs}${dp.ranks > 1 ? ' per rank' : ''}); the rest queue`);
  if (x.fits && w.concurrency.value !== 'max' && concurrency > kvLimit && kvLimit >= 1) {
    const then = engine.kvAdmission === 'reserve'
      ? `${engine.name} reserves prompt + output at admission, so the rest wait`
      : engine.kvAdmission === 'ratio'
      ? `${engine.name} admits a request when its prompt + output fit beside part of what the running ones still need, and retracts the newest when the blocks run out (the latency below simulates it)`
      : `${engine.name} admits by what requests hold now, so they start, and when the blocks run out the newest are preempted and recomputed (the latency below simulates it)`;
    log.bad('kv-limits-concurrency', `KV cache holds ${kvLimit} concurrent ${reqTokens}-token requests but the workload keeps ${concurrency} in flight: ${then}.`, w.requestRate && w.concurrency.source.kind === 'default' ? w.requestRate.source : w.concurrency.source, 'warning');
  }
  if (!x.fits) log.assume('latency figures assume the deployment fits (it does not as configured)');
  const client = w.client && !openLoop ? resolveClient(w.client.value, concurrency) : undefined;
  if (w.client && openLoop) log.assume('the benchmark client is not modelled under a request rate (open loop): its settings apply to a closed loop at a concurrency');
  const latency = memoryOnly && !openLoop ? { ttftMs: 0, tpotMs: 0, outputTokensPerSec: 0, prefillAloneMs: 0, decodeStepMs: 0 } : latencyAt(concurrency, false, client);
  latencyAssumptions(log, x, { openLoop, rate, concurrency, nodes, client: client && describeClient(client, concurrency) });
  return { concurrency, prefixHitRate: hit, computeDtype: stepModel.computeDtype, latency };
}

/**
 * Open loop: requests in flight = rate × request lifetime (Little's law), solved by a few fixed-point steps. Like
 * concurrency, the rate is one replica's (the optimizer divides a deployment's load over its replicas).
 */
function openLoopConcurrency(rate: number, outputLen: number, latencyAt: (n: number) => { ttftMs: number; tpotMs: number }, log: IssueLog): number {
  let concurrency = 1;
  for (let i = 0; i < 6; i++) {
    const l = latencyAt(concurrency);
    const lifetimeSec = (l.ttftMs + (outputLen - 1) * l.tpotMs) / 1e3;
    const next = Math.max(1, Math.min(1e6, Math.ceil(rate * lifetimeSec)));
    if (next === concurrency) break;
    concurrency = next;
  }
  log.assume(`${rate} requests/s per replica keep about ${concurrency} request(s) in flight (rate × request lifetime)`);
  return concurrency;
}

function latencyAssumptions(log: IssueLog, x: Deployment, s: { openLoop: boolean; rate?: number; concurrency: number; nodes: number; client?: string }): void {
  const { gpu, knobs, inputLen, outputLen } = x;
  log.assume(s.client
    ? `latency: as the benchmark client reports it — ${s.client}; L = ${inputLen} prompt + ${outputLen} output tokens; roofline calibrated on H100 measurements, scaled by ${gpu.id} specs`
    : s.openLoop
    ? `latency: ${s.rate} requests/s of ${inputLen} prompt + ${outputLen} output tokens arriving spread over time (no start-up burst); roofline calibrated on H100 measurements, scaled by ${gpu.id} specs`
    : `latency: closed loop, ${s.concurrency} request(s) in flight, ${inputLen} prompt + ${outputLen} output tokens, simulated over ${BENCHMARK_ROUNDS} rounds as a benchmark runs it (all clients start together); roofline calibrated on H100 measurements, scaled by ${gpu.id} specs`);
  if (s.concurrency > 1) {
    const err = measuredErrorFor(x.engine.name, gpu.id);
    log.assume(`under concurrent load TTFT is the least certain figure: TTFT ±${Math.round(err.ttftPct)} % / TPOT ±${Math.round(err.tpotPct)} % median error on ${err.basis} (closed-loop benchmarks, npm run accuracy); how requests fall into step with each other moves queueing more than the GPU does`);
  }
  // One rank's decode batch: its share of the requests, at most its slots.
  const rankBatch = Math.min(Math.ceil(s.concurrency / x.dp.ranks), knobs.maxNumSeqs);
  if (knobs.cudaGraphs && rankBatch > (knobs.cudaGraphMaxBatch ?? Infinity)) log.assume(`decode batches above ${x.engine.knobNames.cudaGraphMaxBatch ?? 'the CUDA-graph cap'} ${knobs.cudaGraphMaxBatch} run without a CUDA graph (${rankBatch} sequences${x.dp.ranks > 1 ? ' per rank' : ''}: eager kernel launches, ~${((EAGER_LAUNCH_SEC_PER_LAYER * x.model.layers) * 1e3).toFixed(1)} ms a step)`);
  const eager = eagerPromptHostSec(x.engine, x.model);
  if (eager.seconds > 0) log.assume(`steps that carry prompt tokens run eagerly (no CUDA graph): at least ${(eager.seconds * 1e3).toFixed(0)} ms of kernel launches from the host (${eager.moeLayers} MoE layers × ${(x.engine.eagerPromptHostSecPerMoeLayer! * 1e3).toFixed(1)} ms, fitted on measured ${x.engine.name} runs), or the GPU time where that is longer`);
  if (x.engine.name === 'sglang') log.assume(knobs.scheduling === 'mixed' ? 'SGLang mixes prompt chunks into decode batches (enable-mixed-chunk)' : 'SGLang runs prompt batches on their own, pausing decodes (enable-mixed-chunk off, its default): requests arriving together prefill together');
  if ((knobs.recvInterval ?? 1) > 1) log.assume(`scheduler-recv-interval ${knobs.recvInterval}: while decoding, SGLang takes in new requests every ${knobs.recvInterval} steps, so an arrival waits about ${((knobs.recvInterval! - 1) / 2).toFixed(1)} decode steps before its prefill`);
  if (knobs.overlapScheduling) log.assume('overlap scheduler on (the default): the next step is formed while the current one runs, so a request arriving mid-step starts one step later');
  if (s.nodes > 1) log.assume(`a replica spans ${s.nodes} nodes: TP/PP traffic crossing nodes uses the ${gpu.interNode / 1e9} GB/s per-GPU network`);
}
