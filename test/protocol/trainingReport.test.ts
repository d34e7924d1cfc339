/** The report page and *Find Cheapest Plan* on a fine-tuning config over real LSP. */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { optimizeRequest, OptimizeResponse, reportRequest } from '../../protocol/requests';
import type { TrainingReportData } from '../../protocol/trainingReport';
import { fixture } from '../support/paths';
import { applyEdits, LspClient } from '../support/lspClient';

describe('training report and search over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  it('deployAdvisor/report on a training config returns its stacked memory bar, phases, speed and cheapest setups', async () => {
    const uri = lsp.open(fixture('training', 'torchtune', 'llama3_1', '8B_lora_single_device.yaml'));
    await lsp.diagnostics(uri);
    const pages = await lsp.request<TrainingReportData[]>(reportRequest, { uri });
    assert.equal(pages.length, 1);
    const d = pages[0];
    assert.equal(d.kind, 'training');
    assert.deepEqual(d.memory.segments.map((s) => s.label), ['weights', 'gradients', 'optimizer states + step temporaries', 'activations', 'logits + loss', 'CUDA context, workspaces, fragmentation', 'free']);
    assert.ok(d.fits);
    assert.ok(d.memory.peakGiB <= d.memory.capacityGiB);
    assert.deepEqual(d.phases.rows.map((r) => r.phase), ['forward', 'loss-backward', 'backward', 'optimizer-step']);
    assert.ok(d.throughput.tokensPerSecond > 0 && d.throughput.stepSeconds > 0);
    assert.ok(d.assumptions.length > 3);
    assert.ok(d.cheapest.plans.length > 0, d.cheapest.notes.join(' | '));
    for (let i = 1; i < d.cheapest.plans.length; i++) assert.ok(d.cheapest.plans[i - 1].costPerMillionTokens <= d.cheapest.plans[i].costPerMillionTokens + 1e-4);
  });

  it('deployAdvisor/optimize on a training config answers with `training` setups for the target asked', async () => {
    const uri = lsp.open(fixture('training', 'trl', 'zephyr-7b-sft-qlora.yaml'));
    await lsp.diagnostics(uri);
    const listed = await lsp.request<OptimizeResponse>(optimizeRequest, { uri, listOnly: true });
    assert.ok(listed.training, listed.notes.join(' | '));
    assert.deepEqual(listed.workloads, []);
    const r = await lsp.request<OptimizeResponse>(optimizeRequest, { uri, training: { tokens: 1e9, maxHours: 10, methods: ['qlora', 'lora'] } });
    const t = r.training!;
    assert.match(t.searchedFor, /1,000,000,000 tokens within 10 h/);
    assert.ok(t.plans.length > 0);
    for (const p of t.plans) assert.ok(p.fits && p.meetsTarget && p.hours! <= 10 && p.totalCost! > 0);
    for (let i = 1; i < t.plans.length; i++) assert.ok(t.plans[i - 1].totalCost! <= t.plans[i].totalCost! + 0.01);
    // Each other setup carries the edit that rewrites this file to it, or why there is none.
    for (const p of t.plans.filter((x) => !x.isFile)) assert.ok(p.edit ? p.edit.changes[uri].length > 0 : p.noEdit, p.key);
    const applied = t.plans.find((x) => x.edit && x.edit.changes[uri].length);
    assert.ok(applied, 'at least one setup can be written into the TRL config');
    const edited = applyEdits(lsp.text(uri), applied.edit!.changes[uri]);
    await lsp.change(uri, edited);
    const after = await lsp.request<OptimizeResponse>(optimizeRequest, { uri, training: { tokens: 1e9, maxHours: 10, methods: ['qlora', 'lora'] } });
    // The GPU type and count are the launcher's (a note says so); the rest of the setup is now the file's.
    const knobs = (key?: string) => key?.split('/').slice(2).join('/');
    assert.equal(knobs(after.training!.current?.key), knobs(applied.key), 'the edited file is the setup picked');
  });
});
