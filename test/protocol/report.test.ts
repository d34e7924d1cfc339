/** The report's two custom requests over real LSP: its data, and *Apply* producing the quick fix's own edit. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { planKey } from '../../protocol/optimize';
import type { ReportData } from '../../protocol/report';
import { fixEditRequest, optimizeRequest, OptimizeResponse, reportRequest } from '../../protocol/requests';
import { fixture } from '../support/paths';
import { applyEdits, LspClient, TextEdit } from '../support/lspClient';

describe('report requests over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  it('deployAdvisor/report returns memory, KV, curves and what-ifs; deployAdvisor/fixEdit applies a what-if exactly as its quick fix does', async () => {
    const uri = lsp.open(fixture('vllm', 'kv-limited-chat.yaml'));
    await lsp.diagnostics(uri);
    const [data] = await lsp.request<ReportData[]>(reportRequest, { uri });
    assert.ok(data.memory.segments.length === 6 && Math.abs(data.memory.segments.reduce((t, s) => t + s.gib, 0) - data.memory.capacityGiB) < 0.05);
    assert.ok(data.kv.neededTokens > data.kv.capacityTokens, 'this fixture is KV-limited');
    assert.ok(data.curves.concurrency.length >= 3);
    // Throughput grows with the batch up to what KV admits (the operating point beyond it queues, drawn last).
    assert.equal(data.curves.concurrency.at(-1), data.operatingPoint.concurrency);
    for (let i = 1; i < data.curves.concurrency.length - 1; i++) assert.ok(data.curves.outputTokensPerSec[i] >= data.curves.outputTokensPerSec[i - 1] * 0.99);
    const fp8 = data.whatIfs.find((w) => w.changes.some((c) => c.knob === 'kvCacheDtype'));
    assert.ok(fp8, JSON.stringify(data.whatIfs.map((w) => w.title)));
    assert.ok(fp8.kvCapacityTokens > 1.9 * data.kv.capacityTokens);
    assert.match(fp8.evidence ?? '', /“.+”/);

    const edit = await lsp.request<{ changes: Record<string, TextEdit[]> } | null>(fixEditRequest, { uri, finding: fp8.finding, fix: fp8.fix });
    assert.ok(edit);
    const diags = await lsp.diagnostics(uri);
    const whole = { start: { line: 0, character: 0 }, end: { line: lsp.text(uri).split('\n').length, character: 0 } };
    const actions = await lsp.request<Array<{ title: string; edit: { changes: Record<string, TextEdit[]> } }>>('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: diags } });
    const same = actions.find((a) => a.title === fp8.title);
    assert.ok(same, `quick fix "${fp8.title}" not offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.deepEqual(edit.changes[uri], same.edit.changes[uri]);
    const fixed = applyEdits(lsp.text(uri), edit.changes[uri]);
    assert.match(fixed, /kv[-_]cache[-_]dtype: fp8/);

    assert.equal(await lsp.request(fixEditRequest, { uri, finding: 999, fix: 0 }), null);
    assert.deepEqual(await lsp.request(reportRequest, { uri: 'file:///not/open.yaml' }), []);
  });

  it('deployAdvisor/report adds the Measured section from the benchmark results saved beside the file', async () => {
    const uri = lsp.open(fixture('measured', 'gpt-oss-120b-h200-tp8', 'vllm-config.yaml'));
    await lsp.diagnostics(uri);
    const [data] = await lsp.request<ReportData[]>(reportRequest, { uri });
    assert.ok(data.measured, 'a Measured section');
    assert.deepEqual(data.measured.points.map((p) => [p.concurrency, data.measured!.sources[p.source].path]), [[4, 'vllm-bench-c4.json'], [8, 'vllm-bench-c8.json'], [16, 'vllm-bench-c16.json'], [32, 'vllm-bench-c32.json']]);
    assert.equal(data.measured.points[0].ttftMs?.measured, 136.47);
    assert.equal(data.measured.excluded, 1);
  });

  it('deployAdvisor/optimize returns SLO-meeting plans within the file\'s engine, each with an edit that rewrites its knobs', async () => {
    const uri = lsp.open(fixture('vllm', 'kv-limited-chat.yaml'));
    await lsp.diagnostics(uri);
    const r = await lsp.request<OptimizeResponse>(optimizeRequest, { uri });
    assert.ok(r.plans.length > 0, r.notes.join(' | '));
    for (const x of r.plans) assert.equal(x.plan.engine, 'vllm');
    const withEdit = r.plans.find((x) => x.edit);
    assert.ok(withEdit, 'a vLLM file can express every plan knob');
    const fixed = applyEdits(lsp.text(uri), withEdit.edit!.changes[uri]);
    assert.match(fixed, new RegExp(`max[-_]num[-_]seqs: ${withEdit.plan.maxNumSeqs}\\b`));
    assert.match(fixed, new RegExp(`tensor[-_]parallel[-_]size: ${withEdit.plan.tensorParallel}\\b`));
    assert.match(fixed, /^model: /m, 'the rest of the file is kept');
  });

  it('a plan\'s edit writes every knob the search assumed: DP attention in SGLang\'s words, chunked prefill where the engine defaults it off', async () => {
    const sg = lsp.open(fixture('sglang', 'deepseek-r1-tp8.yaml'));
    await lsp.diagnostics(sg);
    const r = await lsp.request<OptimizeResponse>(optimizeRequest, { uri: sg });
    const dpa = r.plans.find((x) => x.plan.attentionDataParallel > 1 && x.edit);
    assert.ok(dpa, `no DP-attention plan for DeepSeek-R1 under 512 chats: ${r.plans.map((x) => JSON.stringify(x.plan)).join('\n')}`);
    const fixed = applyEdits(lsp.text(sg), dpa.edit!.changes[sg]);
    assert.match(fixed, /^enable-dp-attention: true$/m);
    assert.match(fixed, new RegExp(`^dp-size: ${dpa.plan.attentionDataParallel}$`, 'm'));
    assert.match(fixed, new RegExp(`^tp-size: ${dpa.plan.tensorParallel}$`, 'm'));
    assert.match(fixed, /^trust-remote-code: true$/m, 'the rest of the file is kept');

    // The fixture without its chunked-prefill line: TensorRT-LLM's default is off.
    const file = fixture('trtllm', 'llama-70b-fp8-extra-options.yaml');
    const trt = lsp.open(file.replace(/\.yaml$/, '-unchunked.yaml'), 'yaml', fs.readFileSync(file, 'utf8').replace('enable_chunked_prefill: true\n', ''));
    assert.doesNotMatch(lsp.text(trt), /enable_chunked_prefill/);
    await lsp.diagnostics(trt);
    const t = await lsp.request<OptimizeResponse>(optimizeRequest, { uri: trt });
    const withEdit = t.plans.find((x) => x.edit);
    assert.ok(withEdit, t.notes.join(' | '));
    assert.match(applyEdits(lsp.text(trt), withEdit.edit!.changes[trt]), /^enable_chunked_prefill: true$/m);
  });

  it('plan searches run off the main thread: a hover answers while a two-second search is under way', async () => {
    const big = lsp.open(fixture('sglang', 'deepseek-r1-dp-attention.yaml'));
    const small = lsp.open(fixture('vllm', 'llama-3.1-8b-h100.yaml'));
    await Promise.all([lsp.diagnostics(big), lsp.diagnostics(small)]);
    const order: string[] = [];
    const report = lsp.request<ReportData[]>(reportRequest, { uri: big }).then((r) => (order.push('report'), r));
    const hover = lsp.request('textDocument/hover', { textDocument: { uri: small }, position: { line: 2, character: 2 } }).then(() => order.push('hover'));
    await Promise.all([report, hover]);
    assert.deepEqual(order, ['hover', 'report']);
    assert.ok((await report)[0].cheapest.searched > 0);
  });

  it('the report carries the same search: its cheapest plans are the optimize request\'s, keyed for *Apply*', async () => {
    const uri = lsp.open(fixture('vllm', 'kv-limited-chat.yaml'));
    await lsp.diagnostics(uri);
    const [data] = await lsp.request<ReportData[]>(reportRequest, { uri });
    const r = await lsp.request<OptimizeResponse>(optimizeRequest, { uri, workload: 0 });
    assert.ok(data.cheapest.plans.length > 0 && data.cheapest.plans.length <= 5);
    assert.deepEqual(data.cheapest.plans.map((p) => p.key), r.plans.slice(0, data.cheapest.plans.length).map((x) => planKey(x.plan)));
    assert.ok(data.cheapest.notes.some((n) => /^runner-up /.test(n)), data.cheapest.notes.join(' | '));
    assert.deepEqual((await lsp.request<OptimizeResponse>(optimizeRequest, { uri, workload: 7 })).plans, []);
  });
});
