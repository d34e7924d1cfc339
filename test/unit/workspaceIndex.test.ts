/**
 * The Deployments view's pieces without an editor: .gitignore matching (shared with check's walk), the server's workspace index (each file read
 * once until it changes, invalidation of a side profile's neighbours, the file and byte caps, yielding between files,
 * Restricted Mode), and the client's row text and folder groups.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceRow } from '../../protocol/requests';
import { groupByFolder, groupDescription, money, rowDescription, rowLabel, totalsLabel, totalsProblems } from '../../client/src/deploymentsRows';
import { relevantChange, WorkspaceIndex, WorkspaceIndexOptions } from '../../server/src/lsp/workspaceIndex';
import { analyze } from '../../server/src/pipeline';
import { ignoreLayer, isIgnored } from '../../server/src/workspace/ignoreRules';
import { fixture } from '../support/paths';

const read = (...p: string[]) => fs.readFileSync(fixture(...p), 'utf8');

describe('.gitignore matching', () => {
  const rules = (text: string, base = '') => [ignoreLayer(text, base)];
  it('names match at any depth, a slash anchors, a trailing slash means folders only', () => {
    const r = rules('dist\n/build\nout/\n*.log\n');
    assert.ok(isIgnored('dist', true, r) && isIgnored('a/b/dist', true, r) && isIgnored('a/dist', false, r));
    assert.ok(isIgnored('build', true, r) && !isIgnored('a/build', true, r));
    assert.ok(isIgnored('x/out', true, r) && !isIgnored('x/out', false, r));
    assert.ok(isIgnored('deep/er/run.log', false, r) && !isIgnored('run.logs', false, r));
  });
  it('** spans folders, ! re-includes, the last match wins, comments and escapes', () => {
    const r = rules('# comment\ngenerated/**\n!generated/keep/\n!generated/keep/**\n**/tmp/*.yaml\n\\#literal\ncharts/[ab]*.yaml\n');
    assert.ok(isIgnored('generated/out', true, r) && isIgnored('generated/out/x.yaml', false, r));
    assert.ok(!isIgnored('generated', true, r) && !isIgnored('generated/keep', true, r) && !isIgnored('generated/keep/x.yaml', false, r));
    assert.ok(isIgnored('tmp/a.yaml', false, r) && isIgnored('a/b/tmp/c.yaml', false, r) && !isIgnored('tmp/a.json', false, r));
    assert.ok(isIgnored('#literal', false, r) && !isIgnored('comment', false, r));
    assert.ok(isIgnored('charts/alpha.yaml', false, r) && !isIgnored('charts/gamma.yaml', false, r));
  });
  it('a nested .gitignore applies below its folder only, after the outer one', () => {
    const stack = [ignoreLayer('*.yaml\n'), ignoreLayer('!keep.yaml\n', 'sub')];
    assert.ok(isIgnored('a.yaml', false, stack) && isIgnored('other/keep.yaml', false, stack));
    assert.ok(!isIgnored('sub/keep.yaml', false, stack) && isIgnored('sub/drop.yaml', false, stack));
  });
});

describe('workspace index', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function workspace(files: Record<string, string>): string {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-advisor-index-'));
    dirs.push(ws);
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
      fs.writeFileSync(path.join(ws, name), text);
    }
    return ws;
  }

  /** An index over `ws` whose analyses are counted per file (the real pipeline, with the side profile read as the server does). */
  function index(ws: string, o: Partial<WorkspaceIndexOptions> = {}) {
    const reads: string[] = [];
    const open: TextDocument[] = [];
    const idx = new WorkspaceIndex({
      folders: () => [{ uri: pathToFileURL(ws).href, name: 'ws' }],
      trusted: () => true,
      openDocuments: () => open,
      analyzeOpen: (d) => analyze(d.uri, d.getText()),
      analyzeFile: (uri, text) => {
        reads.push(path.relative(ws, new URL(uri).pathname));
        const side = uri.replace(/\.yaml$/, '.deploy.yaml');
        const sideFile = new URL(side).pathname;
        return analyze(uri, text, fs.existsSync(sideFile) && side !== uri && !uri.endsWith('.deploy.yaml') ? { sideProfile: { uri: side, text: fs.readFileSync(sideFile, 'utf8') } } : {});
      },
      ...o,
    });
    return { idx, reads, open };
  }

  it('watched paths that matter: YAML/JSON files, .gitignore files and extension-less names (folders); not sources or build outputs', () => {
    for (const f of ['/ws/a/vllm.yaml', '/ws/a/b.YML', '/ws/config.json', '/ws/.gitignore', '/ws/sglang', '/ws/deploy/prod']) assert.ok(relevantChange(f), f);
    for (const f of ['/ws/train.py', '/ws/build/out.o', '/ws/README.md', '/ws/.git/index.lock', '/ws/.git/refs/heads/main', '/ws/node_modules/chart/values.yaml']) assert.ok(!relevantChange(f), f);
  });

  it('reads each file once; a second summary reads nothing, a changed file only itself', async () => {
    const ws = workspace({ 'a/l4.yaml': read('vllm', 'llama-8b-l4-32k.yaml'), 'a/h100.yaml': read('vllm', 'llama-3.1-8b-h100.yaml'), 'b/multi.yaml': read('kubernetes', 'multi-doc.yaml') });
    const { idx, reads } = index(ws);
    const first = await idx.summary();
    assert.deepEqual(reads.sort(), ['a/h100.yaml', 'a/l4.yaml', 'b/multi.yaml']);
    assert.equal(first.rows.length, 4);
    reads.length = 0;
    idx.changed([]);
    assert.deepEqual((await idx.summary()).rows, first.rows);
    assert.deepEqual(reads, [], 'unchanged files are not read again');
    fs.appendFileSync(path.join(ws, 'a/l4.yaml'), 'kv-cache-dtype: fp8\n');
    idx.changed([path.join(ws, 'a/l4.yaml')]);
    const third = await idx.summary();
    assert.deepEqual(reads, ['a/l4.yaml']);
    assert.equal(third.rows.find((r) => r.file === 'a/l4.yaml')?.verdict, 'fits');
  });

  it('a changed side profile re-reads the files of its folder, and only those', async () => {
    const ws = workspace({ 'v/with-side-profile.yaml': read('vllm', 'with-side-profile.yaml'), 'v/with-side-profile.deploy.yaml': read('vllm', 'with-side-profile.deploy.yaml'), 'w/h100.yaml': read('vllm', 'llama-3.1-8b-h100.yaml') });
    const { idx, reads } = index(ws);
    assert.equal((await idx.summary()).rows.find((r) => r.file === 'v/with-side-profile.yaml')?.gpu, 'L40S');
    reads.length = 0;
    const profile = path.join(ws, 'v/with-side-profile.deploy.yaml');
    fs.writeFileSync(profile, fs.readFileSync(profile, 'utf8').replace('gpu: L40S', 'gpu: H200'));
    idx.changed([profile]);
    const r = await idx.summary();
    assert.deepEqual(reads.sort(), ['v/with-side-profile.deploy.yaml', 'v/with-side-profile.yaml']);
    assert.equal(r.rows.find((x) => x.file === 'v/with-side-profile.yaml')?.gpu, 'H200');
  });

  it('yields to the event loop between files (a pending message is served before the next file is read)', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`f${i}.yaml`] = read('vllm', 'llama-3.1-8b-h100.yaml');
    const ws = workspace(files);
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    const seen: number[] = [];
    const { idx } = index(ws, { analyzeFile: (uri, text) => (seen.push(ticks), analyze(uri, text)) });
    setImmediate(tick);
    await idx.summary();
    running = false;
    assert.equal(seen.length, 6);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], `the event loop ran between file ${i - 1} and ${i}: ${seen.join(', ')}`);
  });

  it('stops at the file cap and the byte cap, skips files above the size cap, and says so', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`f${i}.yaml`] = read('vllm', 'llama-3.1-8b-h100.yaml');
    files['big.yaml'] = `${read('vllm', 'llama-3.1-8b-h100.yaml')}#${'x'.repeat(5000)}\n`;
    const ws = workspace(files);
    const capped = await index(ws, { limits: { maxFiles: 3 } }).idx.summary();
    assert.equal(capped.scanned.files, 3);
    assert.match(capped.truncated ?? '', /stopped after 3 YAML\/JSON files/);
    const big = await index(ws, { limits: { maxFileBytes: 4000 } }).idx.summary();
    assert.ok(!big.rows.some((r) => r.file === 'big.yaml') && big.rows.length === 5, 'the big file is listed but not read');
    const bytes = index(ws, { limits: { maxTotalBytes: 3 * Buffer.byteLength(files['f0.yaml']) + 10 } });
    const partial = await bytes.idx.summary();
    assert.ok(bytes.reads.length < 6 && partial.rows.length === bytes.reads.length, `read until the byte cap: ${bytes.reads.join(', ')}`);
    assert.match(partial.truncated ?? '', /the rest on the next change/);
  });

  it('untrusted: nothing is read from disk, the open documents are listed', async () => {
    const ws = workspace({ 'a/l4.yaml': read('vllm', 'llama-8b-l4-32k.yaml') });
    const { idx, reads, open } = index(ws, { trusted: () => false });
    open.push(TextDocument.create('untitled:Untitled-1', 'yaml', 1, read('vllm', 'llama-3.1-8b-h100.yaml')));
    const r = await idx.summary();
    assert.deepEqual(reads, []);
    assert.equal(r.restricted, true);
    assert.deepEqual(r.rows.map((x) => [x.folder, x.file, x.verdict]), [['', 'Untitled-1', 'fits']]);
  });
});

describe('Deployments view rows', () => {
  const base: WorkspaceRow = {
    uri: 'file:///ws/k8s/a.yaml', folder: 'ws', file: 'k8s/a.yaml', name: 'llama', engine: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct', gpu: 'L4',
    gpusPerReplica: 1, replicas: 3, verdict: 'does-not-fit', verdictText: 'does not fit on 1 × L4', kvHeadroom: 0.4213, kvCapacityTokens: 25120, pricePerHour: 2.4000000000000004,
    findings: 2, worst: 'error', range: { start: { line: 2, character: 7 }, end: { line: 2, character: 39 } },
  };

  it('a row says engine · model · GPUs × count · verdict · KV headroom · $/h', () => {
    assert.equal(rowDescription(base), 'vllm · meta-llama/Llama-3.1-8B-Instruct · 1 × L4 × 3 replicas · does not fit · KV 0.42× · $2.40/h');
    assert.equal(rowDescription({ ...base, replicas: 1, verdict: 'fits', kvHeadroom: 12.6, pricePerHour: 0.8 }), 'vllm · meta-llama/Llama-3.1-8B-Instruct · 1 × L4 · fits · KV 13× · $0.80/h');
    assert.equal(rowDescription({ ...base, verdict: 'unknown', kvHeadroom: undefined, pricePerHour: undefined }), 'vllm · meta-llama/Llama-3.1-8B-Instruct · 1 × L4 × 3 replicas · not estimated');
    assert.equal(rowLabel(base, 1), 'a.yaml');
    assert.equal(rowLabel(base, 2), 'a.yaml › llama');
  });

  it('rows group by folder with subtotals; open documents outside the folders come last; totals in words', () => {
    const rows: WorkspaceRow[] = [
      { ...base, uri: 'untitled:Untitled-1', folder: '', file: 'Untitled-1' },
      base,
      { ...base, file: 'k8s/b.yaml', uri: 'file:///ws/k8s/b.yaml', gpusPerReplica: 2, replicas: 1, pricePerHour: 10 },
      { ...base, file: 'top.yaml', uri: 'file:///ws/top.yaml' },
    ];
    const groups = groupByFolder(rows);
    assert.deepEqual(groups.map((g) => [g.label, g.rows.length, g.gpus]), [['k8s', 2, 5], ['ws', 1, 3], ['Open editors', 1, 3]]);
    assert.equal(groupDescription(groups[0]), `2 workloads · 5 GPUs · ${money((2.4 + 10) * 730)}/month`);
    assert.equal(money(9052), '$9,052');
    assert.equal(money(6.875), '$6.88');
    const t = { workloads: 4, gpus: 11, pricePerHour: 17.2, pricePerMonth: 12556, byVerdict: { fits: 1, 'does-not-fit': 2, 'will-not-start': 1 } };
    assert.equal(totalsLabel(t), '4 workloads · 11 GPUs · $12,556/month');
    assert.equal(totalsProblems(t), '2 do not fit · 1 will not start');
    assert.equal(totalsProblems({ ...t, byVerdict: { fits: 4 } }), '');
    // Several workspace folders: the folder's name leads each group.
    const multi = groupByFolder([base, { ...base, folder: 'other', uri: 'file:///other/k8s/a.yaml' }]);
    assert.deepEqual(multi.map((g) => g.label), ['ws/k8s', 'other/k8s']);
  });
});
