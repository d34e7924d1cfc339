/**
 * Fuzz: dist/server.js over LSP takes 10 000 random incremental edits across real fixtures, typed faster than it
 * answers, with requests of every kind in between. It must stay alive, answer every request within BOUND_MS, end
 * with diagnostics for each document's last version, and agree with a fresh copy of the final text (so incremental
 * sync and the incremental parser never drift). The PRNG is seeded (FUZZ_SEED to replay); percentiles are printed.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { Diagnostic, LspClient } from '../support/lspClient';

const EDITS = 10_000;
const REQUEST_EVERY = 25;
/** A liveness bound, not a speed check (npm run bench measures latency): each answer must arrive, edits queued before
 *  it included, before this — generous enough for a loaded 2-core machine (8 s was seen with five builds beside it). */
const BOUND_MS = 30_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

const FILES = [
  ['vllm', 'kv-limited-chat.yaml'], ['vllm', 'llama-3.1-70b-one-gpu.yaml'], ['sglang', 'qwen3-32b-tp2.yaml'],
  ['trtllm', 'llama-70b-fp8-extra-options.yaml'], ['kubernetes', 'vllm-deployment-args-list.yaml'],
  ['kubernetes', 'vllm-deployment-shell-string.yaml'], ['helm', 'production-stack-values.yaml'], ['profile', 'chat.deploy.yaml'],
];

/** mulberry32: small, fast, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['', ' ', '\n', '\n  ', ':', ': ', '- ', '"', "'", '[', ']', '{', '}', '#', '0', '1', '8', '32k', '1e308', '-4', '0.95', 'fp8',
  'auto', 'tensor-parallel-size: ', 'max-model-len: ', 'kv-cache-dtype: ', 'gpu-memory-utilization: ', 'model: ', '--max-num-seqs=',
  '&a ', '*a', '<<: *a', '\t', 'é', '日本', '\u0000', 'H100', 'nvidia.com/gpu: ', '    - --dtype\n', '---\n'];

describe('fuzz: 10 000 random edits over LSP', { timeout: 600_000 }, () => {
  const lsp = new LspClient();
  const rand = prng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const texts = FILES.map((f) => fs.readFileSync(fixture(...f), 'utf8'));
  let uris: string[] = [];

  before(async () => {
    await lsp.initialize();
    uris = FILES.map((f) => lsp.open(fixture(...f)));
  });
  after(async () => assert.equal(await lsp.close(), 0));

  function position(text: string, offset: number): { line: number; character: number } {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  }

  function randomEdit(uri: string): void {
    const text = lsp.text(uri);
    const r = rand();
    let start = Math.floor(rand() * (text.length + 1));
    let end = Math.min(text.length, start + (r < 0.5 ? 0 : Math.floor(rand() * 12)));
    let insert = pick(SNIPPETS);
    if (r > 0.995) [start, end, insert] = [0, text.length, pick(texts)]; // replace everything (paste another file)
    else if (r > 0.99) [start, end, insert] = [start, start, pick(texts)]; // paste a whole file in the middle
    else if (r > 0.985) insert = '['.repeat(500); // a deep flow collection
    // Keep documents bounded: past 200 kB, cut instead of paste.
    if (text.length > 200_000) [end, insert] = [Math.min(text.length, start + 50_000), ''];
    void lsp.edit(uri, { start: position(text, start), end: position(text, end) }, insert);
  }

  async function randomRequest(uri: string): Promise<number> {
    const text = lsp.text(uri);
    const pos = position(text, Math.floor(rand() * (text.length + 1)));
    const whole = { start: { line: 0, character: 0 }, end: position(text, text.length) };
    const t0 = performance.now();
    const kind = Math.floor(rand() * 7);
    if (kind === 0) await lsp.request('textDocument/hover', { textDocument: { uri }, position: pos });
    else if (kind === 1) await lsp.request('textDocument/codeAction', { textDocument: { uri }, range: { start: pos, end: pos }, context: { diagnostics: [] } });
    else if (kind === 2) await lsp.request('textDocument/completion', { textDocument: { uri }, position: pos });
    else if (kind === 3) await lsp.request('textDocument/inlayHint', { textDocument: { uri }, range: whole });
    else if (kind === 4) await lsp.request('textDocument/codeLens', { textDocument: { uri } });
    else if (kind === 5) await lsp.request('deployAdvisor/estimate', { uri });
    else await lsp.request('deployAdvisor/report', { uri });
    return performance.now() - t0;
  }

  it(`stays alive, answers every request within ${BOUND_MS} ms, and ends consistent (seed ${SEED})`, async (t) => {
    await Promise.all(uris.map((u) => lsp.diagnostics(u)));
    const latencies: number[] = [];
    for (let i = 1; i <= EDITS; i++) {
      randomEdit(pick(uris));
      if (i % REQUEST_EVERY === 0) {
        const ms = await randomRequest(pick(uris));
        latencies.push(ms);
        assert.ok(ms < BOUND_MS, `request after edit ${i} took ${ms.toFixed(0)} ms`);
        assert.ok(lsp.alive, `server exited after edit ${i}`);
      }
    }
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
    t.diagnostic(`${EDITS} edits, ${latencies.length} requests: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`);

    // Every document ends with diagnostics for its last version, equal to a fresh open of the same text.
    for (const [i, uri] of uris.entries()) {
      const incremental = await lsp.diagnostics(uri);
      const copy = lsp.open(fixture(FILES[i][0], `fresh-${FILES[i][1]}`), 'yaml', lsp.text(uri));
      const fresh = await lsp.diagnostics(copy);
      const shape = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`).sort();
      assert.deepEqual(shape(incremental), shape(fresh), `${FILES[i].join('/')} drifted from a fresh parse of its text`);
    }
  });
});
