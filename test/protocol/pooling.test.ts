/**
 * Pooling deployments over real LSP messages (issue 19 item 4): each pooling finding on the real-world fixtures, each
 * quick fix applied as the client applies it — the finding is gone, the edit is the minimal one in the file's own
 * syntax — and TEI manifests analysed as their own engine with no generation findings.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';

interface CodeAction { title: string; kind: string; isPreferred?: boolean; diagnostics?: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }

describe('pooling models over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  const actionsFor = (uri: string, d: Diagnostic) => lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });

  /** Applies the fix whose title matches, re-diagnoses, and returns the fixed text and the diagnostics after it. */
  async function applyFix(uri: string, code: string, line: number, title: RegExp): Promise<{ fixed: string; after: Diagnostic[]; edits: TextEdit[] }> {
    const original = lsp.text(uri);
    const d = (await lsp.diagnostics(uri)).find((x) => x.code === code && x.range.start.line === line);
    assert.ok(d, `${code} on line ${line + 1}`);
    const actions = await actionsFor(uri, d);
    const a = actions.find((x) => title.test(x.title));
    assert.ok(a, `${code}: no fix like ${title}; got ${JSON.stringify(actions.map((x) => x.title))}`);
    assert.equal(a.kind, 'quickfix');
    const edits = a.edit.changes[uri];
    const fixed = applyEdits(original, edits);
    await lsp.change(uri, fixed);
    const after = await lsp.diagnostics(uri);
    await lsp.change(uri, original);
    await lsp.diagnostics(uri);
    return { fixed, after, edits };
  }

  it('an embedding checkpoint on a generative architecture, served without --runner pooling: the fix adds the runner to the command', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-embedding-without-runner.yaml'));
    const diags = await lsp.diagnostics(uri);
    const d = diags.find((x) => x.code === 'pooling-runner-mismatch');
    assert.ok(d, JSON.stringify(diags.map((x) => x.code)));
    assert.match(d.message, /Qwen3-Embedding-0\.6B is an embedding \/ reranking checkpoint \(on Qwen3ForCausalLM\)/);
    const { fixed, after } = await applyFix(uri, 'pooling-runner-mismatch', d.range.start.line, /runner: pooling/);
    assert.match(fixed, /command: \["vllm", "serve", "Qwen\/Qwen3-Embedding-0\.6B", "--max-model-len", "8192", "--runner", "pooling"\]/);
    assert.ok(!after.some((x) => x.code === 'pooling-runner-mismatch'), JSON.stringify(after.map((x) => x.code)));
  });

  it('vLLM --runner pooling with chat settings: FP8 KV, a decode-sized max-num-seqs, an oversized KV pool — each reported on its key, the fixes clear them', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-pooling-qwen3-embedding.yaml'));
    const diags = await lsp.diagnostics(uri);
    const codes = diags.map((x) => [x.code, x.range.start.line + 1]);
    assert.ok(diags.some((x) => x.code === 'pooling-decode-knobs' && x.range.start.line === 31 && /kv-cache-dtype fp8/.test(x.message)), JSON.stringify(codes));
    assert.ok(diags.some((x) => x.code === 'pooling-decode-knobs' && x.range.start.line === 29 && /admits only 8 prompts of 1024 tokens/.test(x.message)), JSON.stringify(codes));
    assert.ok(diags.some((x) => x.code === 'pooling-kv-pool'), JSON.stringify(codes));
    assert.ok(!diags.some((x) => x.code === 'pooling-runner-mismatch' || x.code === 'kv-cache-dtype'), JSON.stringify(codes));

    const kv = await applyFix(uri, 'pooling-decode-knobs', 31, /^Set kv-cache-dtype: auto/);
    assert.deepEqual(kv.edits.map((e) => e.newText), ['"auto"']);
    assert.ok(!kv.after.some((x) => x.code === 'pooling-decode-knobs' && x.range.start.line === 31));

    const pool = diags.find((x) => x.code === 'pooling-kv-pool')!;
    const util = await applyFix(uri, 'pooling-kv-pool', pool.range.start.line, /^Set gpu-memory-utilization: 0\.\d+ — KV pool [\d.]+ GiB → [\d.]+ GiB per GPU/);
    assert.match(util.fixed, /\n {12}- "--gpu-memory-utilization"\n {12}- "0\.\d+"\n {10}resources:/);
    assert.ok(!util.after.some((x) => x.code === 'pooling-kv-pool'), JSON.stringify(util.after.map((x) => x.code)));
  });

  it('SGLang --is-embedding inside a shell string: the pool finding lands on mem-fraction-static and the fix edits inside the string', async () => {
    const uri = lsp.open(fixture('kubernetes', 'sglang-is-embedding.yaml'));
    const d = (await lsp.diagnostics(uri)).find((x) => x.code === 'pooling-kv-pool');
    assert.ok(d);
    assert.equal(d.range.start.line, 22);
    const { fixed, after } = await applyFix(uri, 'pooling-kv-pool', 22, /^Set mem-fraction-static: 0\.\d+/);
    assert.match(fixed, /--port 30000 --mem-fraction-static 0\.\d+\n/);
    assert.ok(!after.some((x) => x.code === 'pooling-kv-pool'));
  });

  it('speculative decoding and prefix caching on an encoder served for pooling are flagged', async () => {
    const text = 'model: BAAI/bge-m3\nrunner: pooling\nenable-prefix-caching: true\nspeculative-config: {"method": "ngram", "num_speculative_tokens": 3, "prompt_lookup_max": 4}\nmax-num-seqs: 1024\n';
    const uri = lsp.open('/tmp/deploy-advisor-pooling/bge.yaml', 'yaml', text);
    const diags = (await lsp.diagnostics(uri)).filter((x) => x.code === 'pooling-decode-knobs');
    assert.deepEqual(diags.map((x) => x.range.start.line).sort(), [2, 3, 4]);
    const { fixed } = await applyFix(uri, 'pooling-decode-knobs', 2, /enable-prefix-caching: false/);
    assert.equal(fixed, text.replace('enable-prefix-caching: true', 'enable-prefix-caching: false'));
  });

  it('a TEI Deployment is its own engine: no KV findings, a code lens, and the estimate reports prompts per second', async () => {
    const uri = lsp.open(fixture('kubernetes', 'tei-bge-deployment.yaml'));
    const diags = await lsp.diagnostics(uri);
    assert.deepEqual(diags.map((x) => x.code), []);
    const est = await lsp.request<{ markdown: string }>('deployAdvisor/estimate', { uri });
    assert.match(est.markdown, /TEI keeps no KV cache/);
    assert.match(est.markdown, /pooling throughput: \d+ prompt\(s\) of 512 tokens per batch \(max-batch-tokens 32768\)/);
    assert.match(est.markdown, /\| Throughput \| \d+ prompts\/s · [\d,]+ tokens\/s per replica \|/);
    assert.match(est.markdown, /\| KV cache \| none \([\d.]+ GiB per GPU left unallocated\) \|/);
  });
});
