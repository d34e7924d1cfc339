import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { vllm } from '../../server/src/estimator/engines/vllm';
import { trtllm } from '../../server/src/estimator/engines/trtllm';
import { sglang } from '../../server/src/estimator/engines/sglang';
import type { ResolvedKnobs } from '../../server/src/estimator/engines/types';
import type { StepModel } from '../../server/src/estimator/latency';
import { simulateClosedLoop } from '../../server/src/estimator/scheduler';

/** A toy step model: 10 ms per step plus 1 µs per prompt token — easy to reason about. */
const toy: StepModel = { computeDtype: 'bf16', step: (_d, _c, prefillTokens) => 0.01 + prefillTokens * 1e-6 };
const knobs: ResolvedKnobs = { gpuMemoryUtilization: 0.9, maxNumSeqs: 1024, maxNumBatchedTokens: 8192, chunkedPrefill: true, prefixCaching: false, blockSize: 16, cudaGraphs: true, overlapScheduling: false };

describe('closed-loop scheduler simulation', () => {
  it('one client: TTFT is one prefill step, TPOT one decode step', () => {
    const r = simulateClosedLoop(toy, vllm, knobs, { inputLen: 1000, computedLen: 1000, outputLen: 11, concurrency: 1, rounds: 3 });
    assert.ok(Math.abs(r.ttftSec - 0.011) < 1e-9, String(r.ttftSec));
    assert.ok(Math.abs(r.tpotSec - 0.01) < 1e-9, String(r.tpotSec));
  });

  it('decode tokens share the step budget with prompt chunks', () => {
    // Two running decodes leave 8190 tokens: a pair of 4096-token prompts no longer fits one step.
    const r = simulateClosedLoop(toy, vllm, knobs, { inputLen: 4096, computedLen: 4096, outputLen: 3, concurrency: 4, rounds: 1 });
    const s = 0.01 + 8192e-6;
    assert.ok(r.ttftSec > (2 * s + 2 * 2 * s) / 4, String(r.ttftSec));
  });

  it('a burst larger than the token budget queues: later prompts wait for earlier chunks', () => {
    // 4 prompts of 4096 tokens, budget 8192 → two prefill steps of 8192 tokens; mean TTFT = (2 × s + 2 × 2s) / 4.
    const r = simulateClosedLoop(toy, vllm, knobs, { inputLen: 4096, computedLen: 4096, outputLen: 1, concurrency: 4, rounds: 1 });
    const s = 0.01 + 8192e-6;
    assert.ok(Math.abs(r.ttftSec - (2 * s + 2 * 2 * s) / 4) < 1e-9, String(r.ttftSec));
  });

  it('max_num_seqs caps the batch: extra clients wait for a free slot', () => {
    const free = simulateClosedLoop(toy, vllm, knobs, { inputLen: 100, computedLen: 100, outputLen: 50, concurrency: 8, rounds: 2 });
    const capped = simulateClosedLoop(toy, vllm, { ...knobs, maxNumSeqs: 2 }, { inputLen: 100, computedLen: 100, outputLen: 50, concurrency: 8, rounds: 2 });
    assert.ok(capped.ttftSec > 5 * free.ttftSec, `${capped.ttftSec} vs ${free.ttftSec}`);
  });

  it('without chunked prefill (TensorRT-LLM default) a prompt is never split across steps', () => {
    const r = simulateClosedLoop(toy, trtllm, { ...knobs, chunkedPrefill: false, maxNumBatchedTokens: 8192 }, { inputLen: 3000, computedLen: 3000, outputLen: 1, concurrency: 3, rounds: 1 });
    // Steps: [3000 + 3000], then [3000]: TTFTs s1, s1, s1 + s2.
    const s1 = 0.01 + 6000e-6;
    const s2 = 0.01 + 3000e-6;
    assert.ok(Math.abs(r.ttftSec / ((3 * s1 + s2) / 3) - 1) < 0.005, String(r.ttftSec)); // step-time memo buckets: ≤ 3 % per step
  });

  it('a held first chunk (TensorRT-LLM stream_interval) adds its iterations to TTFT and takes them out of the client\'s TPOT', () => {
    const load = { inputLen: 1000, computedLen: 1000, outputLen: 21, concurrency: 1, rounds: 3 };
    const at = simulateClosedLoop(toy, trtllm, knobs, load);
    const held = simulateClosedLoop(toy, trtllm, { ...knobs, firstChunkIterations: 9 }, load);
    // One client: prefill 11 ms, then 9 decode steps of 10 ms before the first chunk; the client's TPOT spreads the
    // other 11 of the 20 decode steps over 20 tokens.
    assert.ok(Math.abs(held.ttftSec - (at.ttftSec + 0.09)) < 1e-9, `${held.ttftSec} vs ${at.ttftSec}`);
    assert.ok(Math.abs(held.tpotSec - (20 * 0.01 - 0.09) / 20) < 1e-9, String(held.tpotSec));
    // A request shorter than the hold streams everything at its end.
    const short = simulateClosedLoop(toy, trtllm, { ...knobs, firstChunkIterations: 50 }, load);
    assert.ok(Math.abs(short.ttftSec - (at.ttftSec + 0.2)) < 1e-9, String(short.ttftSec));
  });

  it('a held first chunk counts iterations, not tokens: a fast-forwarded run of decode steps releases it mid-run', () => {
    // Starved TensorRT-LLM (prompt = budget): the second request waits while the first decodes, in one fast-forward.
    const k = { ...knobs, chunkedPrefill: false, maxNumBatchedTokens: 1000 };
    const load = { inputLen: 1000, computedLen: 1000, outputLen: 30, concurrency: 2, rounds: 2 };
    const at = simulateClosedLoop(toy, trtllm, k, load);
    const held = simulateClosedLoop(toy, trtllm, { ...k, firstChunkIterations: 4 }, load);
    assert.ok(Math.abs(held.ttftSec - (at.ttftSec + 0.04)) < 1e-9, `${held.ttftSec} vs ${at.ttftSec}`);
  });

  it('an overlap scheduler (TRT-LLM ≥ 1.0, SGLang) makes a mid-run arrival wait one more step; an idle engine takes it at once', () => {
    // One prompt per step (budget 1001, no chunking): A prefills, then B next to A's decode, so A finishes a step before
    // B and its next request arrives while B still decodes — with overlap it misses the step already formed.
    const k = { ...knobs, chunkedPrefill: false, maxNumBatchedTokens: 1001 };
    const load = { inputLen: 1000, computedLen: 1000, outputLen: 5, concurrency: 2, rounds: 4 };
    const plain = simulateClosedLoop(toy, trtllm, k, load);
    const overlap = simulateClosedLoop(toy, trtllm, { ...k, overlapScheduling: true }, load);
    assert.ok(overlap.ttftSec > plain.ttftSec + 1e-4, `${overlap.ttftSec} vs ${plain.ttftSec}`);
    assert.ok(overlap.ttftSec - plain.ttftSec <= 0.011 + 1e-9, `${overlap.ttftSec} vs ${plain.ttftSec}`); // at most one step more
    const alone = { ...load, concurrency: 1 };
    assert.equal(simulateClosedLoop(toy, trtllm, { ...k, overlapScheduling: true }, alone).ttftSec, simulateClosedLoop(toy, trtllm, k, alone).ttftSec);
  });

  it('stays bounded for huge loads', () => {
    const t0 = Date.now();
    const r = simulateClosedLoop(toy, vllm, knobs, { inputLen: 100, computedLen: 100, outputLen: 100000, concurrency: 512, rounds: 5 });
    assert.ok(Number.isFinite(r.tpotSec) && Number.isFinite(r.ttftSec));
    assert.ok(Date.now() - t0 < 60_000);
  });
});

describe('SGLang --scheduler-recv-interval (SchedulerRecvSkipper)', () => {
  // 1k prompts, 1k outputs, 4 clients, lengths spread as InferenceX draws them: arrivals come while the others decode.
  const load = { inputLen: 1024, computedLen: 1024, outputLen: 1024, concurrency: 4, rounds: 10, lengthSpread: 0.8 };
  const run = (recvInterval?: number) => simulateClosedLoop(toy, sglang, { ...knobs, recvInterval, overlapScheduling: false }, load);
  it('an arrival waits about (N − 1) / 2 decode steps for the next poll; a prefill or an idle engine polls at once', () => {
    const every = run(1);
    const thirty = run(30);
    // Later rounds arrive at a random phase of the 30-step poll: ~14.5 steps of 10 ms on average, weighted by 9/10.
    const added = (thirty.ttftSec - every.ttftSec) / 0.01;
    assert.ok(added > 0.9 * 14.5 * 0.9 - 3 && added < 14.5 + 3, `${added.toFixed(1)} decode steps added`);
    // The first wave reaches an idle engine: the same TTFT whatever the interval (one round only).
    const first = (n: number) => simulateClosedLoop(toy, sglang, { ...knobs, recvInterval: n }, { ...load, rounds: 1 }).ttftSec;
    assert.equal(first(30), first(1));
    // Decoding itself is unchanged.
    assert.ok(Math.abs(thirty.tpotSec - every.tpotSec) / every.tpotSec < 0.02);
  });
});

describe('KV admission as each engine does it (engine.kvAdmission)', () => {
  // A step that grows with the decode batch, so a smaller batch shows in TPOT.
  const batchy: StepModel = { computeDtype: 'bf16', step: (d, _c, p) => 0.01 + d * 1e-4 + p * 1e-6 };
  const load = { inputLen: 100, computedLen: 100, outputLen: 100, concurrency: 8, rounds: 3 };
  // One byte a token: a pool of 1200 holds the 8 requests at their mean (8 × 150) but only 6 at full length (200).
  const tight = { poolBytes: 1200, bytesPerToken: 1, fixedBytes: 0 };

  it('a pool that holds every request at full length changes nothing', () => {
    const roomy = { poolBytes: 8 * 200, bytesPerToken: 1, fixedBytes: 0 };
    for (const engine of [vllm, sglang, trtllm]) {
      const free = simulateClosedLoop(batchy, engine, knobs, load);
      const kv = simulateClosedLoop(batchy, engine, knobs, { ...load, kv: roomy });
      assert.ok(Math.abs(kv.ttftSec - free.ttftSec) < 1e-12 && Math.abs(kv.tpotSec - free.tpotSec) < 1e-12, engine.name);
    }
  });

  it('on demand (vLLM) all start; reserved (TensorRT-LLM) the two that do not fit at full length wait', () => {
    const onDemand = simulateClosedLoop(batchy, vllm, knobs, { ...load, kv: tight });
    const reserved = simulateClosedLoop(batchy, trtllm, knobs, { ...load, kv: tight });
    const free = simulateClosedLoop(batchy, vllm, knobs, load);
    // The first wave prefills together under vLLM; under TensorRT-LLM two requests wait a whole lifetime (~1 s).
    assert.ok(reserved.ttftSec > 5 * onDemand.ttftSec, `${reserved.ttftSec} vs ${onDemand.ttftSec}`);
    assert.ok(onDemand.ttftSec < 2 * free.ttftSec, `${onDemand.ttftSec} vs ${free.ttftSec}`);
  });

  it('on demand, running out of blocks preempts the newest request and recomputes it: every request still finishes, later', () => {
    const free = simulateClosedLoop(batchy, vllm, knobs, load);
    const onDemand = simulateClosedLoop(batchy, vllm, knobs, { ...load, kv: tight });
    // The first wave grows past 1200 tokens half-way: the preempted requests stall, so the mean TPOT rises.
    assert.ok(onDemand.tpotSec > free.tpotSec * 1.02, `${onDemand.tpotSec} vs ${free.tpotSec}`);
    assert.ok(onDemand.steps < 200_000 && Number.isFinite(onDemand.ttftSec));
  });

  it('SGLang admits a request only when its prompt and whole output fit beside 0.7 of what the running ones have left', () => {
    // Prompt 100, output 1000, a pool of 1600: vLLM takes all four at once (4 × 100); SGLang's second request needs
    // 1100 beside 100 held + 0.7 × 1000 promised, so the clients are served nearly one after another.
    const long = { inputLen: 100, computedLen: 100, outputLen: 1000, concurrency: 4, rounds: 2 };
    const pool = { poolBytes: 1600, bytesPerToken: 1, fixedBytes: 0 };
    const v = simulateClosedLoop(batchy, vllm, knobs, { ...long, kv: pool });
    const s = simulateClosedLoop(batchy, sglang, knobs, { ...long, kv: pool });
    assert.ok(s.ttftSec > 3 * v.ttftSec, `${s.ttftSec} vs ${v.ttftSec}`);
    // With room for every prompt + output and the promises, SGLang runs them together as well.
    const big = simulateClosedLoop(batchy, sglang, knobs, { ...long, kv: { ...pool, poolBytes: 4 * 1100 + 4 * 700 } });
    assert.ok(big.ttftSec < s.ttftSec / 3, `${big.ttftSec} vs ${s.ttftSec}`);
  });

  it('attention-DP balancing holds a follow-up prompt half the gather window, at most half the timeout, and never on an idle rank', () => {
    const load = { inputLen: 100, computedLen: 100, outputLen: 200, concurrency: 16, rounds: 4, lengthSpread: 0.8 };
    const free = simulateClosedLoop(toy, trtllm, knobs, load);
    const held = simulateClosedLoop(toy, trtllm, { ...knobs, attentionDpBalance: { ranks: 8, timeoutIters: 60, batchingWaitIters: 0 } }, load);
    // Arrivals every ~200 × 10 ms / 16 at a rank: the other 7 ranks gather in 7/8 of that (~110 ms), under the 600 ms timeout.
    const extra = held.ttftSec - free.ttftSec;
    assert.ok(extra > 0.02 && extra < 0.3, String(extra));
    const capped = simulateClosedLoop(toy, trtllm, { ...knobs, attentionDpBalance: { ranks: 8, timeoutIters: 2, batchingWaitIters: 0 } }, load);
    assert.ok(capped.ttftSec - free.ttftSec < 0.02, String(capped.ttftSec - free.ttftSec));
    // One client: its rank has nothing else to decode when its next prompt arrives, so it is never held.
    const alone = { ...load, concurrency: 1 };
    assert.equal(simulateClosedLoop(toy, trtllm, { ...knobs, attentionDpBalance: { ranks: 8, timeoutIters: 60, batchingWaitIters: 10 } }, alone).ttftSec, simulateClosedLoop(toy, trtllm, knobs, alone).ttftSec);
  });
});
