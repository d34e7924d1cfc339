/**
 * Iteration-level simulation of a closed-loop benchmark against a continuous-batching engine.
 * N clients each keep one request in flight; all start together, as benchmark clients do (or, for a steady request
 * rate, spread over one request lifetime); every engine step is timed by the roofline step model. This reproduces
 * what analytical formulas miss: the first round's prefill queue, cohorts of requests that stay in lockstep because
 * they were prefilled together, and chunked-prefill interleaving.
 *
 * Scheduling per engine (what one step may contain):
 * - vLLM V1: running decodes first, then prompt tokens FCFS up to max_num_batched_tokens (chunked prefill).
 * - SGLang (enable_mixed_chunk off, its default): waiting prompts first, as prefill batches of their own (decodes pause).
 * - TensorRT-LLM (chunked context off by default): whole prompts while they fit in max_num_tokens next to the decodes.
 *   Its micro-batch scheduler walks the active requests in arrival order — the running generation requests first,
 *   each counting 1 + its draft tokens — and stops (`break`, FCFS) at the first context request whose whole prompt no
 *   longer fits the step's remaining max_num_tokens (TensorRT-LLM cpp/tensorrt_llm/batch_manager/microBatchScheduler.cpp,
 *   mirrored by tensorrt_llm/_torch/pyexecutor/scheduler.py, as recalled, not re-read here). So a prompt of
 *   max_num_tokens − d tokens runs beside at most d decodes, and one longer than that waits until enough running
 *   requests finish: with prompt = max_num_tokens, requests run one at a time. The InferenceX recipes size
 *   max_num_tokens = ⌈C + ISL + 64⌉₆₄ (MTP: (nextn + 1)·batch + ISL + 64) for exactly this reason
 *   (../shared/research/silicon-launch-recipes.md §3 item 3). trtllm-prompt-starvation reports it.
 * - TGI: a waiting prompt batch runs as its own prefill step, pausing decodes.
 * With an overlap scheduler (TRT-LLM ≥ 1.0, SGLang) step k+1 is formed when step k starts, so a request that arrives
 * while step k runs joins step k+2; an idle engine takes it at once.
 * KV admission (engine.kvAdmission), when the load carries the rank's pool: on demand (vLLM) a request is admitted
 * while its prompt fits beside what the running requests hold, each holds its prompt and the tokens it has generated
 * so far, and when a step would overflow the pool the newest running request is preempted, its blocks freed, and it
 * is recomputed (prompt + its output so far) when it is admitted again, without streaming a new first token; SGLang
 * (`ratio`) the same, but a request is admitted only when its prompt + output fit beside a decaying share of what the
 * running ones have left (the constants below); reserved (TensorRT-LLM, TGI) only while prompt + output fit beside the
 * reservations of the running ones, never preempted. So a closed loop whose requests all fit at their mean length
 * runs at full concurrency under vLLM even when they would not all fit at full length, and TensorRT-LLM queues the rest.
 * A streaming request's TTFT is when its first chunk leaves: TensorRT-LLM's stream_interval holds it for
 * knobs.firstChunkIterations more iterations of that request (resolveKnobs.ts says where that comes from), and its
 * TPOT is then the client's, (end − first chunk) / (output − 1).
 */
import type { EngineModel, ResolvedKnobs } from './engines/types';
import type { StepModel } from './latency';
import type { Speculation } from './speculative';
import type { BenchmarkStatistic } from '../plan/types';
import { lengthFraction, weightedStatistic } from './benchmarkClient';

export interface SimulationLoad {
  inputLen: number;
  /** Prompt tokens that must be computed (after prefix-cache hits). */
  computedLen: number;
  outputLen: number;
  concurrency: number;
  /** Requests each client sends; the benchmark's mean covers all of them. */
  rounds: number;
  /** Measured requests in all (default concurrency × rounds): a client's N · C, which need not be whole rounds. */
  requests?: number;
  /** Range ratio r: request k's prompt and output are lengthFraction(k) × the length, uniform over [r, 1] (default 1). */
  lengthSpread?: number;
  /** The figure reported over the per-request TTFT / TPOT (default mean). */
  statistic?: BenchmarkStatistic;
  /** Rounds actually simulated (≥ 2; later rounds repeat the second): bounds the work for large loads. */
  simulatedRounds?: number;
  /**
   * `together` (default): every client starts at t = 0, as a benchmark's closed loop does, and the first round's
   * burst is weighted in. `spread`: first arrivals are staggered evenly over one request lifetime, as traffic at a
   * steady request rate arrives, so no cohort forms and there is no start-up burst.
   */
  arrivals?: 'together' | 'spread';
  speculation?: Speculation;
  /** One rank's KV pool and what a request holds in it; absent: no KV limit beyond the engine's sequence cap. */
  kv?: KvBudget;
}

/** A rank's KV pool in bytes, and a request's share of it: a fixed part (recurrent state, draft lookahead) plus bytes per token. */
export interface KvBudget {
  poolBytes: number;
  bytesPerToken: number;
  fixedBytes: number;
}

export interface SimulationResult {
  ttftSec: number;
  tpotSec: number;
  outputTokensPerSec: number;
  steps: number;
}

interface Req {
  arrival: number;
  /** Sent by a client whose previous request finished (not part of the benchmark's first wave). */
  followUp?: boolean;
  prefillLeft: number;
  /** Output tokens this request asks for. */
  out: number;
  generated: number;
  /** When the client saw the first token: the first chunk's time (`firstChunkIterations` after the prompt), or -1. */
  firstToken: number;
  /** Decode iterations since the prompt finished, while the first chunk is held back. */
  held?: number;
  /** Tokens its prefill computes: the prompt, or after a preemption the prompt + the output generated before it. */
  prompt: number;
  /** Output tokens generated before its last preemption (part of `prompt` since). */
  base?: number;
  /** Preempted after its first token: the next prefill recomputes prompt + output so far and streams no first token. */
  resumed?: boolean;
  /** Under TensorRT-LLM's attention-DP balancing, when the ranks release it (set when it first heads the queue). */
  releaseAt?: number;
}

/**
 * SGLang's admission constants (managers/schedule_policy.py PrefillAdder, scheduler.py; environment defaults): a new
 * request needs its prompt + min(max_new_tokens, 4096) free beside the running requests' remaining outputs (each
 * clipped to 4096) × new_token_ratio, which starts at 0.7, falls by (0.7 − 0.098) / 600 each decode step to 0.098,
 * returns to 0.7 when the engine idles, and after a retraction becomes (decoded + 20 per request) / max_new_tokens.
 */
const SGLANG_CLIP_NEW_TOKENS = 4096;
const SGLANG_INIT_NEW_TOKEN_RATIO = 0.7;
const SGLANG_MIN_NEW_TOKEN_RATIO = 0.7 * 0.14;
const SGLANG_NEW_TOKEN_RATIO_DECAY = (SGLANG_INIT_NEW_TOKEN_RATIO - SGLANG_MIN_NEW_TOKEN_RATIO) / 600;
const SGLANG_RETRACT_DECODE_STEPS = 20;

/** Hard cap on loop iterations so an estimate stays bounded in time whatever the input. */
const MAX_STEPS = 200_000;

export function simulateClosedLoop(step: StepModel, engine: EngineModel, knobs: ResolvedKnobs, load: SimulationLoad): SimulationResult {
  const { inputLen: Ilabel, computedLen: Plabel, outputLen: Olabel, concurrency: N } = load;
  const spreadR = Math.min(1, Math.max(1e-3, load.lengthSpread ?? 1));
  // Request k's lengths (its prompt's computed part scales with it); the step model's context uses their means.
  const inOf = (k: number) => Math.max(1, Math.round(Plabel * lengthFraction(k, spreadR, 'input')));
  const outOf = (k: number) => Math.max(1, Math.round(Olabel * lengthFraction(k, spreadR, 'output')));
  const meanShare = (1 + spreadR) / 2;
  const I = spreadR < 1 ? Ilabel * meanShare : Ilabel;
  const P = spreadR < 1 ? Math.max(1, Plabel * meanShare) : Plabel;
  const O = spreadR < 1 ? Math.max(1, Olabel * meanShare) : Olabel;
  const statistic = load.statistic ?? 'mean';
  const keepSamples = statistic !== 'mean';
  const budget = Math.max(1, knobs.maxNumBatchedTokens);
  const maxSeqs = Math.max(1, knobs.maxNumSeqs);
  const chunked = knobs.chunkedPrefill;
  const prefillFirst = (knobs.scheduling ?? engine.scheduling) === 'prefill-first';
  const spec = load.speculation;
  const overlap = knobs.overlapScheduling;
  const hold = Math.max(0, Math.round(knobs.firstChunkIterations ?? 0));
  const kv = load.kv && load.kv.poolBytes > 0 && load.kv.bytesPerToken > 0 ? load.kv : undefined;
  const admission = engine.kvAdmission;
  const reserve = admission === 'reserve';
  // Bytes a request holds (on demand: what it has computed; reserved: its whole prompt + output from admission on).
  const holds = (r: Req): number => kv!.fixedBytes + kv!.bytesPerToken * (reserve ? r.prompt + r.out : r.prompt - r.prefillLeft + r.generated - (r.base ?? 0));
  const remaining = (r: Req): number => Math.min(Math.max(0, r.out - r.generated), SGLANG_CLIP_NEW_TOKENS);
  // What admitting a request takes: reserved, its prompt + output; SGLang, its prompt + its (clipped) output in full;
  // on demand, its prompt.
  const needs = (r: Req): number => kv!.fixedBytes + kv!.bytesPerToken * (reserve ? r.prompt + r.out : r.prefillLeft + (admission === 'ratio' ? remaining(r) : 0));
  let kvUsed = 0;
  // SGLang: the running requests' remaining outputs × new_token_ratio are promised too; the ratio decays per decode step.
  let kvPromised = 0;
  let ratio = SGLANG_INIT_NEW_TOKEN_RATIO;
  const cache = new Map<number, number>();
  // Step times vary smoothly with batch composition: memoize on buckets that are exact for small batches and within
  // ~3 % for large ones.
  const timeOf = (decodes: number, prefillTokens: number, sampled: number, verifyTokens = 0): number => {
    const d = decodes < 128 ? decodes : Math.round(decodes / 4) * 4;
    const p = prefillTokens < 4096 ? prefillTokens : Math.round(prefillTokens / 128) * 128;
    // Verify tokens are decodes × k, so (d, p) and whether the step carries a prompt fix them.
    const key = (d * 1e7 + p) * 2 + (prefillTokens > verifyTokens ? 1 : 0);
    let t = cache.get(key);
    if (t === undefined) {
      t = step.step(d, I + O / 2, p, P / 2 + (I - P), Math.max(1, sampled), Math.min(p, verifyTokens));
      cache.set(key, t);
    }
    return t;
  };

  const waiting: Req[] = [];
  const running: Req[] = []; // admitted: prefilling (prefillLeft > 0) or decoding
  const spread = load.arrivals === 'spread';
  // One request lifetime when nothing queues: its prefill plus its decode steps at the full batch.
  const lifetime = spread ? timeOf(0, Math.min(P, budget), 1) * Math.ceil(P / budget) + O * timeOf(Math.min(N, maxSeqs), 0, N) : 0;
  for (let i = 0; i < N; i++) waiting.push({ arrival: (i * lifetime) / N, prefillLeft: inOf(i), prompt: inOf(i), out: outOf(i), generated: 0, firstToken: -1 });
  // Measured requests and the share of them the first wave is (the rest repeat the simulated later requests).
  const measured = Math.max(N, Math.round(load.requests ?? N * Math.max(1, load.rounds)));
  const rounds = measured / N;
  const simulated = Math.min(rounds, Math.max(2, load.simulatedRounds ?? rounds));
  const totalRequests = Math.round(N * simulated);
  const firstSamples: number[] = [];
  const laterSamples: number[] = [];
  const tpotSamples: number[] = [];
  let issued = N;
  let completed = 0;
  let t = 0;
  let steps = 0;
  // The first round (every client starting at t = 0) and the later ones are averaged separately, then weighted.
  let firstSum = 0;
  let firstCount = 0;
  let laterSum = 0;
  let laterCount = 0;
  let tpotSum = 0;
  let tpotCount = 0;
  let outputTokens = 0;
  const tStart = 0;

  let stepStart = 0;
  let iterations = 0;
  // SGLang's SchedulerRecvSkipper (managers/scheduler_recv_skipper.py): each loop adds the last batch's weight — 1 for
  // a decode or verify step, 1000 for a prefill — and polls for new requests when the sum reaches the interval; an
  // idle loop spins and polls at once.
  const recvEvery = Math.max(1, knobs.recvInterval ?? 1);
  // TensorRT-LLM attention-DP balancing: this rank stands for every rank, whose arrivals are taken as evenly
  // interleaved, so the system sees one every gap / ranks. A hold opens with the first rank's new prompt and ends
  // when the last rank has one, (ranks − 1) arrivals later, or at the timeout; prompts arrive evenly within it and wait
  // half of it on average, then the batching wait.
  const balance = knobs.attentionDpBalance;
  let lastFollowUp = -1;
  let arrivalGap = Infinity;
  let lastStepDt = 0;
  const balanceWait = (): number => {
    const b = balance!;
    const hold = Math.min(((b.ranks - 1) / b.ranks) * arrivalGap, b.timeoutIters * lastStepDt);
    return hold / 2 + b.batchingWaitIters * lastStepDt;
  };
  let recvCounter = 0;
  let receivedAt = 0;
  let lastWasPrefill = true;
  const firstChunk = (r: Req, at: number): void => {
    r.firstToken = at;
    r.held = undefined;
    if (r.arrival === 0 && !spread) {
      firstSum += at;
      firstCount++;
      if (keepSamples) firstSamples.push(at);
    } else {
      laterSum += at - r.arrival;
      laterCount++;
      if (keepSamples) laterSamples.push(at - r.arrival);
    }
  };
  while (completed < totalRequests && iterations < MAX_STEPS) {
    iterations++;
    steps++;
    // An idle engine waits for the next arrival (staggered starts).
    if (!running.length && waiting.length && waiting[0].arrival > t) t = waiting[0].arrival;
    recvCounter += lastWasPrefill ? 1000 : 1;
    if (recvCounter >= recvEvery || !running.length) {
      recvCounter = 0;
      receivedAt = overlap && running.length ? stepStart : t;
    }
    // Admission: FCFS while there is room for another sequence, among requests that arrived before this step was formed
    // (and were taken in by the last poll).
    const formedAt = Math.min(overlap && running.length ? stepStart : t, recvEvery > 1 ? receivedAt : Infinity);
    const idle = running.length === 0;
    while (waiting.length && running.length < maxSeqs && waiting[0].arrival <= formedAt) {
      // Follow-ups of a cohort that finished in one step leave their clients at the same instant here, but reach the
      // engine one after another (the server streams each last chunk, the client sends again, the server tokenizes —
      // a fraction of a millisecond each). A busy engine gathers them all into its next step; an idle one starts on the
      // first at once, and the rest join the step after. Tied to one instant, a cohort that filled one prefill step
      // stayed in lockstep for good while one more client broke it up, so TTFT fell as clients were added (2 → 3
      // clients of 1024-token prompts under vLLM's 2048-token budget on an L4: 431 → 308 ms).
      if (idle && running.length > 0 && waiting[0].followUp) break;
      // KV room: an engine with nothing running takes the request anyway (it cannot do better by waiting).
      if (kv && running.length > 0 && kvUsed + kvPromised + needs(waiting[0]) > kv.poolBytes) break;
      // A rank with nothing to decode releases its prompts at once (TensorRT-LLM: not every rank has generation requests).
      if (balance && running.length > 0 && waiting[0].followUp) {
        const head = waiting[0];
        head.releaseAt ??= head.arrival + balanceWait();
        if (head.releaseAt > formedAt) break;
      }
      const r = waiting.shift()!;
      if (kv) {
        kvUsed += reserve ? needs(r) : kv.fixedBytes + kv.bytesPerToken * r.prefillLeft;
        if (admission === 'ratio') kvPromised += ratio * kv.bytesPerToken * remaining(r);
      }
      running.push(r);
    }
    stepStart = t;
    // The decode iterations this loop runs (a fast-forward runs several) and their length, for held first chunks.
    const before = t;
    let stepsRun = 0;
    let stepDt = 0;
    const decoders = running.filter((r) => r.prefillLeft === 0);
    const prefilling = running.filter((r) => r.prefillLeft > 0);
    let prefillTokens = 0;
    const finishing: Req[] = [];
    if (prefillFirst && prefilling.length) {
      let room = budget;
      for (const r of prefilling) {
        if (room <= 0) break;
        const take = Math.min(r.prefillLeft, room);
        room -= take;
        prefillTokens += take;
        r.prefillLeft -= take;
        if (r.prefillLeft === 0) finishing.push(r);
      }
      t += timeOf(0, prefillTokens, finishing.length);
    } else {
      // Each decoding sequence takes 1 + its draft tokens of the budget (TensorRT-LLM: beam width + draft tokens;
      // vLLM V1 likewise schedules the spec tokens from the token budget).
      let room = budget - decoders.length * (1 + (spec?.k ?? 0));
      for (const r of prefilling) {
        if (room <= 0) break;
        if (!chunked && r.prefillLeft > room && !(prefillTokens === 0 && decoders.length === 0)) break;
        const take = Math.min(r.prefillLeft, chunked ? room : r.prefillLeft);
        room -= take;
        prefillTokens += take;
        r.prefillLeft -= take;
        if (r.prefillLeft === 0) finishing.push(r);
      }
      if (spec && decoders.length) {
        // Verification adds k query tokens per decoding sequence; the drafter runs k small passes first.
        const base = timeOf(decoders.length, prefillTokens + decoders.length * spec.k, decoders.length * (spec.k + 1) + finishing.length, decoders.length * spec.k);
        t += base + spec.k * spec.draftCostPerToken * timeOf(decoders.length, 0, decoders.length);
        for (const r of decoders) r.generated = Math.min(r.out, r.generated + spec.tokensPerStep);
        stepsRun = 1;
        stepDt = t - before;
        outputTokens += decoders.length * spec.tokensPerStep;
      } else if (prefilling.length && prefillTokens === 0 && decoders.length) {
        // The head prompt cannot join a step until a running request finishes (FCFS stops at it): the steps until then
        // are identical decode steps, taken at once. Exact, and it keeps a starved engine (one request at a time,
        // O steps each) from running into MAX_STEPS and averaging only the first requests.
        const k = Math.max(1, Math.min(...decoders.map((r) => r.out - r.generated)));
        const dt = timeOf(decoders.length, 0, decoders.length);
        stepStart = t + (k - 1) * dt;
        t += k * dt;
        steps += k - 1;
        recvCounter += k - 1;
        for (const r of decoders) r.generated += k;
        stepsRun = k;
        stepDt = dt;
        outputTokens += k * decoders.length;
      } else {
        t += timeOf(decoders.length, prefillTokens, decoders.length + finishing.length);
        for (const r of decoders) r.generated++;
        stepsRun = 1;
        stepDt = t - before;
        outputTokens += decoders.length;
      }
    }
    lastWasPrefill = prefillTokens > 0;
    if (stepsRun > 0) lastStepDt = stepDt;
    // A held first chunk leaves with the iteration that reaches the hold (or with the request's end).
    for (const r of decoders) {
      if (r.held === undefined) continue;
      const ran = r.held + stepsRun;
      if (ran >= hold || r.generated >= r.out) firstChunk(r, Math.min(t, before + Math.max(1, hold - r.held) * stepDt));
      else r.held = ran;
    }
    for (const r of finishing) {
      outputTokens++;
      if (r.resumed) {
        r.resumed = false;
        r.generated = Math.min(r.out, r.generated + 1);
        continue;
      }
      r.generated = 1;
      if (hold > 0 && r.out > 1) r.held = 0;
      else firstChunk(r, t);
    }
    // Completions free their slot; the client sends the next request at once.
    for (let i = running.length - 1; i >= 0; i--) {
      const r = running[i];
      if (r.prefillLeft === 0 && r.generated >= r.out) {
        running.splice(i, 1);
        completed++;
        if (r.out > 1) {
          tpotSum += (t - r.firstToken) / (r.out - 1);
          tpotCount++;
          if (keepSamples) tpotSamples.push((t - r.firstToken) / (r.out - 1));
        }
        if (issued < totalRequests) {
          waiting.push({ arrival: t, followUp: true, prefillLeft: inOf(issued), prompt: inOf(issued), out: outOf(issued), generated: 0, firstToken: -1 });
          if (lastFollowUp >= 0) arrivalGap = arrivalGap === Infinity ? t - lastFollowUp : 0.8 * arrivalGap + 0.2 * (t - lastFollowUp);
          lastFollowUp = t;
          issued++;
        }
      }
    }
    if (kv) {
      kvUsed = running.reduce((sum, r) => sum + holds(r), 0);
      if (admission === 'ratio') ratio = !running.length ? SGLANG_INIT_NEW_TOKEN_RATIO : decoders.length ? Math.max(SGLANG_MIN_NEW_TOKEN_RATIO, ratio - SGLANG_NEW_TOKEN_RATIO_DECAY) : ratio;
      // Out of blocks (on demand): the newest running request gives its blocks back and waits at the head of the queue
      // to be recomputed — its prompt and the output it has streamed so far — as vLLM's recompute preemption does.
      const before = running.length;
      while (!reserve && kvUsed > kv.poolBytes && running.length > 1) {
        const r = running.pop()!;
        kvUsed -= holds(r);
        const original = r.prompt - (r.base ?? 0);
        r.base = r.generated;
        r.prompt = original + r.generated;
        r.prefillLeft = r.prompt;
        r.resumed = r.generated > 0;
        r.held = undefined;
        waiting.unshift(r);
      }
      // SGLang's retract_decode resets the ratio to what the batch has decoded so far, plus 20 steps per request.
      if (admission === 'ratio' && running.length < before) {
        const decoded = running.reduce((sum, r) => sum + r.generated, 0);
        const asked = running.reduce((sum, r) => sum + r.out, 0);
        ratio = Math.min(1, (decoded + SGLANG_RETRACT_DECODE_STEPS * running.length) / Math.max(1, asked));
      }
      kvPromised = admission === 'ratio' ? ratio * kv.bytesPerToken * running.reduce((sum, r) => sum + remaining(r), 0) : 0;
    }
  }
  // The first wave is 1/rounds of the measured requests, the later ones the rest (a staggered start has no wave).
  const firstShare = firstCount ? (laterCount && rounds > 1 ? 1 / rounds : 1) : 0;
  const ttftSec = !keepSamples
    ? (firstCount ? (laterCount && rounds > 1 ? (firstSum / firstCount + (rounds - 1) * (laterSum / laterCount)) / rounds : firstSum / firstCount) : laterSum / Math.max(1, laterCount))
    : weightedStatistic([
      ...firstSamples.map((value) => ({ value, weight: firstShare / firstSamples.length })),
      ...laterSamples.map((value) => ({ value, weight: (1 - firstShare) / laterSamples.length })),
    ], statistic);
  return {
    ttftSec,
    tpotSec: tpotCount ? (keepSamples ? weightedStatistic(tpotSamples.map((value) => ({ value, weight: 1 })), statistic) : tpotSum / tpotCount) : timeOf(Math.min(N, maxSeqs), 0, N),
    outputTokensPerSec: outputTokens / Math.max(1e-9, t - tStart),
    steps,
  };
}
