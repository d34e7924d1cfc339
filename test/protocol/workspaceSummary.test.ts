/**
 * deployAdvisor/workspaceSummary over real LSP messages: the Deployments view's rows for a workspace folder on disk
 * (the shared summarizeAnalysis rows, node_modules and .gitignore'd folders left out), the change notification and the
 * new rows after files change on disk (a side profile re-reads its neighbour), an open document's unsaved text, and
 * Restricted Mode (open documents only).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { workspaceSummaryChangedNotification, workspaceSummaryRequest, WorkspaceSummaryResult } from '../../protocol/requests';
import { analyze } from '../../server/src/pipeline';
import { summarizeAnalysis } from '../../server/src/workspace/summary';
import { fixture } from '../support/paths';
import { LspClient } from '../support/lspClient';

const read = (...p: string[]) => fs.readFileSync(fixture(...p), 'utf8');

function makeWorkspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-advisor-summary-'));
  const files: Record<string, string> = {
    'vllm/llama-l4.yaml': read('vllm', 'llama-8b-l4-32k.yaml'),
    'vllm/llama-h100.yaml': read('vllm', 'llama-3.1-8b-h100.yaml'),
    'vllm/with-side-profile.yaml': read('vllm', 'with-side-profile.yaml'),
    'vllm/with-side-profile.deploy.yaml': read('vllm', 'with-side-profile.deploy.yaml'),
    'kubernetes/tp-three-gpus.yaml': read('kubernetes', 'tp-three-gpus.yaml'),
    'kubernetes/multi-doc.yaml': read('kubernetes', 'multi-doc.yaml'),
    'bad/unknown-model-gpu.yaml': read('bad', 'unknown-model-gpu.yaml'),
    'ci/workflow.yaml': read('not-ours', 'github-workflow.yaml'),
    'node_modules/chart/vllm.yaml': read('vllm', 'llama-3.1-70b-one-gpu.yaml'),
    'generated/out/vllm.yaml': read('vllm', 'llama-3.1-70b-one-gpu.yaml'),
    'generated/keep/vllm.yaml': read('vllm', 'llama-3.1-8b-h100.yaml'),
    '.gitignore': '# build output\ngenerated/**\n!generated/keep/\n!generated/keep/**\n',
    // The repository config's ignore: list leaves legacy/ out, as check does.
    '.deploy-advisor.yaml': 'ignore:\n  - legacy/\n',
    'legacy/old-70b.yaml': read('vllm', 'llama-3.1-70b-one-gpu.yaml'),
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
    fs.writeFileSync(path.join(ws, name), text);
  }
  return ws;
}

async function start(ws: string, trusted: boolean): Promise<LspClient> {
  const lsp = new LspClient();
  await lsp.conn.sendRequest('initialize', {
    processId: process.pid, rootUri: pathToFileURL(ws).href, workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'repo' }],
    capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { trusted },
  });
  await lsp.conn.sendNotification('initialized', {});
  return lsp;
}

/** Resolves on the server's next workspaceSummaryChanged notification. */
function nextChange(lsp: LspClient, ms = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${workspaceSummaryChangedNotification} within ${ms} ms`)), ms);
    const d = lsp.conn.onNotification(workspaceSummaryChangedNotification, () => {
      clearTimeout(timer);
      d.dispose();
      resolve();
    });
  });
}

describe('deployAdvisor/workspaceSummary over LSP', () => {
  const ws = makeWorkspace();
  let lsp: LspClient;
  before(async () => void (lsp = await start(ws, true)));
  after(async () => {
    assert.equal(await lsp.close(), 0);
    fs.rmSync(ws, { recursive: true, force: true });
  });

  const summary = () => lsp.request<WorkspaceSummaryResult>(workspaceSummaryRequest, {});
  const row = (r: WorkspaceSummaryResult, file: string, name?: string) => {
    const found = r.rows.find((x) => x.file === file && (name === undefined || x.name === name));
    assert.ok(found, `no row for ${file}${name ? ` › ${name}` : ''}: ${r.rows.map((x) => `${x.file} › ${x.name}`).join(', ')}`);
    return found;
  };

  it('lists every workload of the folder with its verdict, and leaves out node_modules, .gitignore\'d, ignore:-listed and unrelated files', async () => {
    const r = await summary();
    assert.equal(r.restricted, false);
    assert.equal(r.truncated, undefined);
    assert.deepEqual(r.rows.map((x) => `${x.file} › ${x.name}`).sort(), [
      'bad/unknown-model-gpu.yaml › acme/definitely-not-a-real-model-7b',
      'generated/keep/vllm.yaml › meta-llama/Llama-3.1-8B-Instruct',
      'kubernetes/multi-doc.yaml › gemma-2-9b',
      'kubernetes/multi-doc.yaml › phi-3-mini',
      'kubernetes/tp-three-gpus.yaml › llama-70b-tp3',
      'vllm/llama-h100.yaml › meta-llama/Llama-3.1-8B-Instruct',
      'vllm/llama-l4.yaml › meta-llama/Llama-3.1-8B-Instruct',
      'vllm/with-side-profile.deploy.yaml › meta-llama/Llama-3.1-8B-Instruct',
      'vllm/with-side-profile.yaml › meta-llama/Llama-3.1-8B-Instruct',
    ]);
    assert.equal(row(r, 'vllm/llama-l4.yaml').verdict, 'does-not-fit');
    assert.equal(row(r, 'kubernetes/tp-three-gpus.yaml').verdict, 'will-not-start');
    assert.equal(row(r, 'vllm/llama-h100.yaml').verdict, 'fits');
    const unknown = row(r, 'bad/unknown-model-gpu.yaml');
    assert.equal(unknown.verdict, 'unknown');
    assert.ok(unknown.reason && unknown.kvHeadroom === undefined && unknown.pricePerHour === undefined);
    // The side profile beside the vLLM file gives it its GPU.
    assert.equal(row(r, 'vllm/with-side-profile.yaml').gpu, 'L40S');
    for (const x of r.rows) {
      assert.equal(x.folder, 'repo');
      assert.equal(x.uri, pathToFileURL(path.join(ws, x.file)).href);
    }
    // Rows in folder then file order, and the totals add them up.
    assert.deepEqual(r.rows.map((x) => x.file), [...r.rows.map((x) => x.file)].sort());
    assert.equal(r.totals.workloads, r.rows.length);
    assert.equal(r.totals.gpus, r.rows.reduce((t, x) => t + x.gpusPerReplica * x.replicas, 0));
    assert.ok(Math.abs(r.totals.pricePerMonth - 730 * r.rows.reduce((t, x) => t + (x.pricePerHour ?? 0), 0)) < 1e-6);
    assert.deepEqual(r.totals.byVerdict, { 'does-not-fit': 1, 'will-not-start': 1, fits: 6, unknown: 1 });
    assert.equal(r.scanned.recognised, 8);
  });

  it('the rows are the shared summary rows (what check --format json writes), the model key\'s range included', async () => {
    const r = await summary();
    for (const file of ['vllm/llama-l4.yaml', 'kubernetes/multi-doc.yaml', 'kubernetes/tp-three-gpus.yaml']) {
      const abs = path.join(ws, file);
      const expected = summarizeAnalysis(file, analyze(pathToFileURL(abs).href, fs.readFileSync(abs, 'utf8')));
      const got = r.rows.filter((x) => x.file === file).map(({ uri: _u, folder: _f, ...rest }) => rest);
      assert.deepEqual(JSON.parse(JSON.stringify(got)), JSON.parse(JSON.stringify(expected)));
    }
    // The click target: the model key's value on line 3 of the L4 file.
    const l4 = row(r, 'vllm/llama-l4.yaml');
    assert.equal(l4.range.start.line, 2);
    assert.equal(fs.readFileSync(path.join(ws, 'vllm/llama-l4.yaml'), 'utf8').split('\n')[2].slice(l4.range.start.character, l4.range.end.character), 'meta-llama/Llama-3.1-8B-Instruct');
  });

  it('files changed on disk: the server says so, and the next summary has their new rows (a side profile re-reads its neighbour)', async () => {
    const l4 = path.join(ws, 'vllm/llama-l4.yaml');
    const profile = path.join(ws, 'vllm/with-side-profile.deploy.yaml');
    const added = path.join(ws, 'sglang/qwen3-32b.yaml');
    fs.writeFileSync(l4, `${fs.readFileSync(l4, 'utf8')}kv-cache-dtype: fp8\n`);
    fs.writeFileSync(profile, fs.readFileSync(profile, 'utf8').replace('gpu: L40S', 'gpu: H100-SXM'));
    fs.mkdirSync(path.dirname(added), { recursive: true });
    fs.writeFileSync(added, read('sglang', 'qwen3-32b-tp2.yaml'));
    fs.rmSync(path.join(ws, 'bad'), { recursive: true });
    const changed = nextChange(lsp);
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: pathToFileURL(l4).href, type: 2 }, { uri: pathToFileURL(profile).href, type: 2 }, { uri: pathToFileURL(added).href, type: 1 },
        { uri: pathToFileURL(path.join(ws, 'bad/unknown-model-gpu.yaml')).href, type: 3 },
      ],
    });
    await changed;
    const r = await summary();
    assert.equal(row(r, 'vllm/llama-l4.yaml').verdict, 'fits');
    assert.equal(row(r, 'vllm/with-side-profile.yaml').gpu, 'H100-SXM', 'the neighbour of a changed side profile is read again');
    assert.equal(row(r, 'sglang/qwen3-32b.yaml').engine, 'sglang');
    assert.ok(!r.rows.some((x) => x.file.startsWith('bad/')), 'a deleted file has no rows');
  });

  it('a folder created or deleted with its files is followed from the folder\'s own event (the editor reports no event for its files)', async () => {
    const watchers = lsp.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').flatMap((r) => (r.registerOptions as { watchers: Array<{ globPattern: string; kind?: number }> }).watchers);
    assert.ok(watchers.some((w) => w.globPattern === '**/*' && w.kind === (1 | 4)), `folders' creation and deletion are watched: ${JSON.stringify(watchers)}`);
    const folder = path.join(ws, 'trt');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'l4.yaml'), read('vllm', 'llama-8b-l4-32k.yaml'));
    let changed = nextChange(lsp);
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(folder).href, type: 1 }] });
    await changed;
    assert.equal(row(await summary(), 'trt/l4.yaml').gpu, 'L4');
    fs.rmSync(folder, { recursive: true });
    changed = nextChange(lsp);
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(folder).href, type: 3 }] });
    await changed;
    assert.ok(!(await summary()).rows.some((x) => x.file.startsWith('trt/')), 'a deleted folder\'s files have no rows');
  });

  it('an edited .deploy-advisor.yaml applies at once: a folder no longer in its ignore: list is listed', async () => {
    const config = path.join(ws, '.deploy-advisor.yaml');
    assert.ok(!(await summary()).rows.some((x) => x.file.startsWith('legacy/')));
    fs.writeFileSync(config, 'ignore: []\n');
    const changed = nextChange(lsp);
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    await changed;
    assert.equal(row(await summary(), 'legacy/old-70b.yaml').verdict, 'does-not-fit');
    fs.writeFileSync(config, 'ignore:\n  - legacy/\n');
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
  });

  it('an open document counts with its unsaved text, under its own URI; closed, the disk is read again', async () => {
    const file = path.join(ws, 'vllm/llama-h100.yaml');
    const onDisk = fs.readFileSync(file, 'utf8');
    const changed = nextChange(lsp);
    const uri = lsp.open(file, 'yaml', onDisk.replace('gpu=H100-SXM', 'gpu=L4'));
    await lsp.diagnostics(uri);
    await changed;
    let r = await summary();
    assert.equal(row(r, 'vllm/llama-h100.yaml').gpu, 'L4');
    assert.equal(row(r, 'vllm/llama-h100.yaml').uri, uri);
    await lsp.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    r = await summary();
    assert.equal(row(r, 'vllm/llama-h100.yaml').gpu, 'H100-SXM');
  });

  it('an untitled document is listed apart, with no folder', async () => {
    const uri = 'untitled:Untitled-1';
    await lsp.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: read('vllm', 'llama-8b-l4-32k.yaml') } });
    const r = await summary();
    const x = r.rows.find((y) => y.uri === uri);
    assert.ok(x, 'the untitled document has a row');
    assert.equal(x.folder, '');
    assert.equal(x.file, 'Untitled-1');
    assert.equal(x.verdict, 'does-not-fit');
    await lsp.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });
});

describe('deployAdvisor/workspaceSummary in an untrusted workspace', () => {
  const ws = makeWorkspace();
  let lsp: LspClient;
  before(async () => void (lsp = await start(ws, false)));
  after(async () => {
    assert.equal(await lsp.close(), 0);
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('reads nothing from disk: only the open documents are listed, and the result says why', async () => {
    let r = await lsp.request<WorkspaceSummaryResult>(workspaceSummaryRequest, {});
    assert.equal(r.restricted, true);
    assert.deepEqual(r.rows, []);
    const uri = lsp.open(path.join(ws, 'vllm/llama-l4.yaml'));
    await lsp.diagnostics(uri);
    r = await lsp.request<WorkspaceSummaryResult>(workspaceSummaryRequest, {});
    assert.deepEqual(r.rows.map((x) => [x.folder, x.file, x.verdict]), [['repo', 'vllm/llama-l4.yaml', 'does-not-fit']]);
  });
});
