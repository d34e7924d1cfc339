/**
 * Opening an engine log or a benchmark result (issue 23): inlay hints with the estimate beside each figure, a
 * diagnostic where they disagree beyond the stated error (with the likely reason), and the engine's own warnings as
 * findings on their lines.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient } from '../support/lspClient';
import { fixture } from '../support/paths';

interface Hint { label: string; position: { line: number; character: number } }
const whole = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

describe('logs and results in the editor', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  it('a vLLM log: predicted beside measured after each figure, a lens on the model line, no disagreement', async () => {
    const file = fixture('logs', 'vllm-v1-0.19-llama-3.1-8b-tp2.log');
    const uri = lsp.open(file, 'log');
    const diags = await lsp.diagnostics(uri);
    assert.deepEqual(diags.filter((d) => d.code === 'measured-differs'), []);
    const hints = await lsp.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range: whole });
    const at = (line: number) => hints.filter((h) => h.position.line === line - 1).map((h) => h.label);
    assert.ok(at(16).some((l) => /^ KV 1,044,688 tokens · predicted [\d,]+ \([+−]\d+\.\d %\)$/.test(l)), JSON.stringify(at(16)));
    assert.ok(at(11).some((l) => /^ weights 7\.51 GiB · predicted [\d.]+ GiB \([+−]\d+\.\d %\)$/.test(l)), JSON.stringify(at(11)));
    assert.ok(at(15).some((l) => /^ KV pool 63\.76 GiB · predicted/.test(l)));
    assert.ok(at(17).some((l) => /^ max concurrency 127\.53× · predicted/.test(l)));
    // The hint sits right after the number as written.
    const line16 = fs.readFileSync(file, 'utf8').split(/\r\n|\r|\n/)[15];
    const h = hints.find((x) => x.position.line === 15 && x.label.startsWith(' KV 1,'))!;
    assert.equal(line16.slice(0, h.position.character).slice(-9), '1,044,688');
    const lenses = await lsp.request<Array<{ range: { start: { line: number } }; command: { title: string } }>>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].range.start.line, 2, 'on the non-default args line, where the model is');
    assert.match(lenses[0].command.title, /^weights [\d.]+ GiB\/GPU · KV/);
  });

  it('engine warnings become findings on their lines, with the fix to make in the config', async () => {
    const uri = lsp.open(fixture('logs', 'vllm-v0-0.5.3-llama-3-8b.log'), 'log');
    const diags = await lsp.diagnostics(uri, (d) => d.some((x) => x.code === 'engine-preemption'));
    const by = (code: string) => diags.find((d) => d.code === code)!;
    assert.equal(by('engine-preemption').range.start.line, 16);
    assert.equal(by('engine-preemption').severity, 2);
    assert.match(by('engine-preemption').message, /preempted requests 2 times \(lines 17–19\).*gpu-memory-utilization up, kv-cache-dtype: fp8.*max-num-seqs/);
    assert.equal(by('engine-kv-cache-full').range.start.line, 17);
    assert.match(by('engine-chunked-prefill-off').message, /Fix in the config: enable-chunked-prefill: true/);
    assert.equal(by('engine-chunked-prefill-off').range.start.line, 1);
    const sg = lsp.open(fixture('logs', 'sglang-0.4-llama-3.1-8b.log'), 'log');
    const s = await lsp.diagnostics(sg, (d) => d.some((x) => x.code === 'engine-preemption'));
    assert.match(s.find((d) => d.code === 'engine-preemption')!.message, /^SGLang preempted requests at line 14: .*mem-fraction-static up/);
  });

  it('a figure beyond the stated error: a diagnostic on it, with the likely reason', async () => {
    // The CodeLlama log as if 2 GiB more had been loaded: weights up, pool and tokens down.
    const text = fs.readFileSync(fixture('logs', 'vllm-v1-kubectl-codellama-7b.log'), 'utf8')
      .replace('Model loading took 12.56 GiB', 'Model loading took 14.56 GiB')
      .replace('Available KV cache memory: 61.66 GiB', 'Available KV cache memory: 59.66 GiB')
      .replace('GPU KV cache size: 126,256 tokens', 'GPU KV cache size: 122,160 tokens');
    const uri = lsp.open(fixture('logs', 'edited-codellama.log'), 'log', text);
    const diags = await lsp.diagnostics(uri, (d) => d.some((x) => x.code === 'measured-differs'));
    const differs = diags.filter((d) => d.code === 'measured-differs');
    assert.deepEqual(differs.map((d) => d.range.start.line + 1).sort((a, b) => a - b), [6, 9, 10]);
    const weights = differs.find((d) => d.range.start.line === 5)!;
    assert.match(weights.message, /^weights: measured 14\.56 GiB, predicted 12\.\d\d GiB \(−?-?\d+\.\d %\), beyond the estimator's stated memory error \(±2 %\)\. Likely: /);
    assert.match(differs.find((d) => d.range.start.line === 9)!.message, /Likely: the weights differ/);
    const hints = await lsp.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range: whole });
    assert.ok(hints.some((h) => h.position.line === 9 && /beyond ±3 %\)$/.test(h.label)), JSON.stringify(hints.map((h) => h.label)));
    // The kubectl prefix and ANSI codes: the range points into the raw line.
    const raw = text.split('\n')[9];
    assert.equal(raw.slice(differs.find((d) => d.range.start.line === 9)!.range.start.character).slice(0, 7), '122,160');
  });

  it('a benchmark result: TTFT and TPOT beside the estimate for the load it ran', async () => {
    const uri = lsp.open(fixture('results', 'inferencex-gpt-oss-120b-h200-c4.json'), 'json');
    await lsp.diagnostics(uri);
    const hints = await lsp.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range: whole });
    assert.ok(hints.some((h) => /^ TTFT 46\.1 ms · predicted [\d.]+ ms \(/.test(h.label)), JSON.stringify(hints.map((h) => h.label)));
    assert.ok(hints.some((h) => /^ TPOT 3\.9 ms · predicted [\d.]+ ms \(/.test(h.label)));
  });

  it('with the config beside the log, each warning links to the key its fix changes (related information)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-logs-'));
    const config = path.join(dir, 'llama3.vllm.yaml');
    fs.writeFileSync(config, 'model: meta-llama/Meta-Llama-3-8B-Instruct\nmax-model-len: 8192\ngpu-memory-utilization: 0.9\n');
    fs.writeFileSync(path.join(dir, 'other.vllm.yaml'), 'model: Qwen/Qwen3-8B\ngpu-memory-utilization: 0.8\n');
    fs.mkdirSync(path.join(dir, 'logs'));
    const log = path.join(dir, 'logs', 'serve.log');
    fs.copyFileSync(fixture('logs', 'vllm-v0-0.5.3-llama-3-8b.log'), log);
    const uri = lsp.open(log, 'log');
    const diags = await lsp.diagnostics(uri, (d) => d.some((x) => x.code === 'engine-preemption'));
    type Related = { location: { uri: string; range: { start: { line: number } } }; message: string };
    const rel = (code: string) => (diags.find((d) => d.code === code) as unknown as { relatedInformation?: Related[] }).relatedInformation ?? [];
    assert.deepEqual(rel('engine-preemption').map((r) => [r.location.uri, r.location.range.start.line]), [[pathToFileURL(config).href, 2]]);
    assert.match(rel('engine-preemption')[0].message, /^gpu-memory-utilization in llama3\.vllm\.yaml, the config serving meta-llama\/Meta-Llama-3-8B-Instruct$/);
    // The config leaves chunked prefill to the default: the link is to the model line, where the key would go.
    assert.deepEqual(rel('engine-chunked-prefill-off').map((r) => r.location.range.start.line), [0]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
