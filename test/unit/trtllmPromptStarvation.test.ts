/**
 * TensorRT-LLM without chunked prefill schedules the running decodes first and a prompt only whole into the room
 * max_num_tokens leaves (issue 18, item 4): with max_num_tokens = prompt no prompt fits beside a decode and the
 * clients are served one at a time. The simulation must give that figure exactly (not a MAX_STEPS-truncated
 * average), and the trtllm-prompt-starvation finding must explain it, with fixes that leave a valid file and clear it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { editsForFix } from '../../server/src/edits/apply';
import { trtllm } from '../../server/src/estimator/engines/trtllm';
import type { ResolvedKnobs } from '../../server/src/estimator/engines/types';
import type { StepModel } from '../../server/src/estimator/latency';
import { simulateClosedLoop } from '../../server/src/estimator/scheduler';
import type { Speculation } from '../../server/src/estimator/speculative';
import { analyze, Analysis } from '../../server/src/pipeline';
import { newProblems, syntaxErrors } from '../support/applyChecks';
import { applyEdits } from '../support/lspClient';
import { fixture } from '../support/paths';

/** 10 ms per step plus 1 µs per prompt token. */
const toy: StepModel = { computeDtype: 'bf16', step: (_d, _c, prefillTokens) => 0.01 + prefillTokens * 1e-6 };
const knobs: ResolvedKnobs = { gpuMemoryUtilization: 0.9, maxNumSeqs: 1024, maxNumBatchedTokens: 1000, chunkedPrefill: false, prefixCaching: false, blockSize: 32, cudaGraphs: true, overlapScheduling: false };
const RULE = 'trtllm-prompt-starvation';

describe('TensorRT-LLM scheduling without chunked prefill', () => {
  it('max_num_tokens = prompt: no prompt fits beside a decode, requests run one at a time', () => {
    // Request i prefills once the i before it have finished: TTFT_i = i·L + p, L = p + (O − 1)·d.
    const r = simulateClosedLoop(toy, trtllm, knobs, { inputLen: 1000, computedLen: 1000, outputLen: 11, concurrency: 4, rounds: 1 });
    const p = 0.011;
    const L = p + 10 * 0.01;
    assert.ok(Math.abs(r.ttftSec - (1.5 * L + p)) < 1e-9, String(r.ttftSec));
    assert.ok(Math.abs(r.tpotSec - 0.01) < 1e-9, String(r.tpotSec));
  });

  it('max_num_tokens = prompt + running decodes: one prompt per step beside the decodes', () => {
    const r = simulateClosedLoop(toy, trtllm, { ...knobs, maxNumBatchedTokens: 1003 }, { inputLen: 1000, computedLen: 1000, outputLen: 11, concurrency: 4, rounds: 1 });
    // Steps [p0], [d0 p1], [d0 d1 p2], [d0 d1 d2 p3], each 11 ms: TTFTs 11, 22, 33, 44 ms.
    assert.ok(Math.abs(r.ttftSec - 0.0275) < 1e-9, String(r.ttftSec));
  });

  it('a starved benchmark is simulated whole: 64 clients × 10 rounds × 1024 tokens, past the step cap, match the closed form', () => {
    // 655 k engine steps, more than the simulation's 200 k iteration cap: the blocked decode steps are taken at once.
    const N = 64;
    const O = 1024;
    const r = simulateClosedLoop(toy, trtllm, knobs, { inputLen: 1000, computedLen: 1000, outputLen: O, concurrency: N, rounds: 10 });
    const p = 0.011;
    const L = p + (O - 1) * 0.01;
    // First wave: (N − 1)/2 lifetimes on average; every follow-up queues behind the N − 1 other clients.
    const first = ((N - 1) / 2) * L + p;
    const later = (N - 1) * L + p;
    const expected = (first + 9 * later) / 10;
    assert.ok(Math.abs(r.ttftSec / expected - 1) < 1e-6, `${r.ttftSec} vs ${expected}`);
    assert.ok(r.steps >= N * 10 * O, String(r.steps));
    assert.ok(Math.abs(r.outputTokensPerSec - O / L) / (O / L) < 0.01, `${r.outputTokensPerSec} vs ${O / L}`);
  });

  it('draft tokens take their share of the budget: with MTP 3 each decode holds 4 tokens', () => {
    const spec: Speculation = { k: 3, acceptance: 0.8, tokensPerStep: 2, draftCostPerToken: 0, note: '' };
    const load = { inputLen: 1000, computedLen: 1000, outputLen: 11, concurrency: 4, rounds: 1, speculation: spec };
    const tight = simulateClosedLoop(toy, trtllm, { ...knobs, maxNumBatchedTokens: 1003 }, load);
    const roomy = simulateClosedLoop(toy, trtllm, { ...knobs, maxNumBatchedTokens: 1000 + 3 * 4 }, load);
    assert.ok(tight.ttftSec > 2.5 * roomy.ttftSec, `${tight.ttftSec} vs ${roomy.ttftSec}`);
  });
});

const FIXTURE = 'trtllm/deepseek-r1-8k-no-chunking.yaml';
const text = fs.readFileSync(fixture(...FIXTURE.split('/')), 'utf8');
const uri = 'file:///x/deepseek-r1-8k-no-chunking.yaml';
const starvation = (a: Analysis) => a.findings.filter((f) => f.rule === RULE);
const ttftMs = (a: Analysis) => a.workloads[0].estimate!.latency.ttftMs;

describe('trtllm-prompt-starvation', () => {
  const a = analyze(uri, text);

  it('explains the minutes of TTFT with the numbers behind them', () => {
    const [f] = starvation(a);
    assert.ok(f, `no ${RULE}: ${a.findings.map((x) => x.rule).join(', ')}`);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /max_num_tokens 8192 tokens: one 8192-token prompt leaves no room for the 63 running decodes/);
    assert.match(f.message, /one at a time \(TTFT \d+ s/);
    assert.equal(f.range.start.line + 1, text.split('\n').findIndex((l) => l.startsWith('max_num_tokens')) + 1);
    // Bounded and consistent: what a serial engine gives, about 60 lifetimes of one request (1024 steps of batch 1).
    const t = ttftMs(a);
    assert.ok(Number.isFinite(t) && t > 60_000 && t < 3_600_000, String(t));
  });

  it('each fix leaves a valid file, clears the finding and brings TTFT to seconds', () => {
    const [f] = starvation(a);
    const kinds = (f.fixes ?? []).map((x) => x.changes.map((c) => `${c.knob}=${c.value}`).join(','));
    assert.deepEqual(kinds, ['maxNumBatchedTokens=8256', 'enableChunkedPrefill=true']);
    assert.equal(f.fixes![0].preferred, true);
    for (const fix of f.fixes!) {
      const edits = editsForFix(fix, a.workloads[0].plan, text);
      assert.ok(edits, `no edits for ${fix.title}`);
      const fixed = applyEdits(text, edits);
      assert.deepEqual(syntaxErrors(fixed), [], fixed);
      const after = analyze(uri, fixed);
      assert.deepEqual(newProblems(a, after), [], `${fix.title}\n${fixed}`);
      assert.deepEqual(starvation(after).map((x) => x.message), [], `${fix.title}\n${fixed}`);
      assert.ok(ttftMs(after) < 10_000, `${fix.title}: ${ttftMs(after)} ms`);
      assert.match(fix.title, /TTFT \d+ s → [\d.]+ s at this load/);
    }
  });

  it('a prompt longer than max_num_tokens is an error: TensorRT-LLM rejects the request', () => {
    const b = analyze(uri, text.replace('input-len=8192', 'input-len=9000'));
    const [f] = starvation(b);
    assert.equal(f?.severity, 'error');
    assert.match(f.message, /Prompts of 9000 tokens exceed max_num_tokens 8192/);
    assert.ok(f.fixes?.some((x) => x.changes.some((c) => c.knob === 'maxNumBatchedTokens' && Number(c.value) >= 9000 + 64)));
  });

  it('with MTP each decode holds 1 + its draft tokens: a budget enough for plain decoding starves MTP 3', () => {
    const mtp = text.replace('max_num_tokens: 8192', 'max_num_tokens: 8256\nspeculative_config:\n  decoding_type: MTP\n  num_nextn_predict_layers: 3');
    const [f] = starvation(analyze(uri, mtp));
    assert.equal(f?.severity, 'warning');
    assert.match(f.message, /leaves room for 16 of the 63 running decodes/);
    assert.ok(f.fixes?.some((x) => x.changes.some((c) => c.knob === 'maxNumBatchedTokens' && c.value === 8192 + 64 * 4)), JSON.stringify(f.fixes));
    // Without MTP the same budget holds a prompt beside all 64 requests.
    assert.deepEqual(starvation(analyze(uri, text.replace('max_num_tokens: 8192', 'max_num_tokens: 8256'))), []);
  });

  it('room for a prompt beside this load but not beside max_batch_size: info, not a warning', () => {
    // 16 clients: 15 decodes fit beside a prompt in 8224 tokens, the 63 that max_batch_size 64 allows would not.
    const b = analyze(uri, text.replace('max_num_tokens: 8192', 'max_num_tokens: 8224').replace('concurrency=64', 'concurrency=16'));
    const [f] = starvation(b);
    assert.equal(f?.severity, 'info');
    assert.match(f.message, /beyond 33 requests in flight \(the engine admits 64\)/);
  });

  it('silent where the budget holds a prompt beside every request, with chunked prefill, and on other engines', () => {
    assert.deepEqual(starvation(analyze(uri, text.replace('max_num_tokens: 8192', 'max_num_tokens: 8256'))), []);
    assert.deepEqual(starvation(analyze(uri, text.replace('enable_chunked_prefill: false', 'enable_chunked_prefill: true'))), []);
    const vllm = analyze('file:///x/vllm.yaml', '# deploy-advisor: gpu=H200 input-len=8192 output-len=1024 concurrency=64\nmodel: deepseek-ai/DeepSeek-R1-0528\ntensor-parallel-size: 8\nmax-num-batched-tokens: 8192\nenable-chunked-prefill: false\n');
    assert.deepEqual(starvation(vllm), []);
  });
});
