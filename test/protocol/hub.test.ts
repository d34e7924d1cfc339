/**
 * The opt-in Hub lookup against a local imitation of the Hub on 127.0.0.1 (its `resolve/main/config.json` endpoint):
 * good, gated, missing, renamed, slow and malicious answers; disk cache and offline; and over LSP, that nothing is
 * fetched unless the setting is on in a trusted workspace, and that the token goes to the Hub only, never to a log.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HubConfigStore } from '../../server/src/node/hub';
import { dist, fixture } from '../support/paths';
import { LspClient } from '../support/lspClient';

const TOKEN = 'hf_test_secret_0123456789abcdef';
const config = fs.readFileSync(fixture('hf', 'llama-3.1-8b', 'config.json'), 'utf8');

interface FakeHub {
  url: string;
  /** Paths requested, with the Authorization header each carried. */
  seen: Array<{ path: string; auth?: string }>;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function fakeHub(elsewhere = 'http://localhost:9'): Promise<FakeHub> {
  const seen: FakeHub['seen'] = [];
  const { server, url } = await listen((req, res) => {
    const p = req.url ?? '';
    seen.push({ path: p, auth: req.headers.authorization });
    const repo = /^\/([^/]+\/[^/]+)\/resolve\/main\/config\.json$/.exec(p)?.[1];
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    switch (repo) {
      case 'acme/good-8b': return send(200, config);
      case 'acme/renamed-8b': return send(307, '', { location: '/acme/good-8b/resolve/main/config.json' });
      case 'acme/gated-8b': return req.headers.authorization === `Bearer ${TOKEN}` ? send(200, config) : send(401, '{"error":"Access to model acme/gated-8b is restricted."}');
      case 'acme/away-8b': return send(302, '', { location: `${elsewhere}/steal/config.json` });
      case 'acme/huge-8b': {
        // Chunked, no content-length: the reader must stop counting at its bound.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = ' '.repeat(64 * 1024);
        let n = 0;
        const pump = () => {
          while (n++ < 200) if (!res.write(chunk)) return void res.once('drain', pump);
          res.end('{}');
        };
        return pump();
      }
      case 'acme/html-8b': return send(200, '<html><body>Sign in</body></html>', { 'content-type': 'text/html' });
      case 'acme/array-8b': return send(200, '[1, 2, 3]');
      case 'acme/proto-8b': return send(200, '{"__proto__": {"polluted": true}, "hidden_size": 1}');
      case 'acme/slow-8b': return void setTimeout(() => send(200, config), 5_000);
      case 'acme/broken-8b': return send(500, 'upstream error');
      default: return send(404, '{"error":"Repository not found"}');
    }
  });
  return { url, seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

async function settle(store: HubConfigStore, id: string) {
  await store.settle(id);
  return store.lookup(id);
}

describe('Hub lookup (HubConfigStore) against a local Hub on 127.0.0.1', () => {
  let hub: FakeHub;
  let cacheDir: string;
  before(async () => {
    hub = await fakeHub();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-hub-'));
  });
  after(async () => hub.close());

  it('fetches a model\'s config.json, caches it on disk, and serves it offline in a later session', async () => {
    const store = new HubConfigStore({ endpoint: hub.url, cacheDir });
    const first = store.lookup('acme/good-8b');
    assert.ok(first && 'status' in first && /^Fetching/.test(first.status), 'the first lookup starts a fetch and says so');
    const got = await settle(store, 'acme/good-8b');
    assert.ok(got && 'config' in got, JSON.stringify(got));
    assert.equal(got.config.num_hidden_layers, 32);
    assert.match(got.note, /fetched from http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(store.version, 1);
    assert.equal(fs.readdirSync(cacheDir).length, 1);

    const offline = new HubConfigStore({ endpoint: hub.url.replace(/:\d+$/, ':9'), cacheDir });
    const cached = offline.lookup('acme/good-8b');
    assert.ok(!cached || !('config' in cached), 'the cache is per Hub origin');
    const sameOrigin = new HubConfigStore({ endpoint: hub.url, cacheDir });
    const again = sameOrigin.lookup('acme/good-8b');
    assert.ok(again && 'config' in again && /cached/.test(again.note), 'served from disk without a request');
  });

  it('follows a redirect within the Hub, refuses one to another host (the token must not leave)', async () => {
    const thief = await listen((req, res) => res.end(config));
    const stolen: string[] = [];
    thief.server.on('request', (req) => stolen.push(String(req.headers.authorization)));
    const local = await fakeHub(thief.url);
    try {
      const store = new HubConfigStore({ endpoint: local.url, token: async () => TOKEN });
      assert.ok('config' in (await settle(store, 'acme/renamed-8b'))!);
      const away = await settle(store, 'acme/away-8b');
      assert.ok(away && 'status' in away && /redirected to another host/.test(away.status), JSON.stringify(away));
      assert.deepEqual(stolen, []);
    } finally {
      await local.close();
      thief.server.closeAllConnections();
      thief.server.close();
    }
  });

  it('gated models: a clear message without a token, the config with one', async () => {
    const anonymous = await settle(new HubConfigStore({ endpoint: hub.url }), 'acme/gated-8b');
    assert.ok(anonymous && 'status' in anonymous && /401: the model is gated or private; set HF_TOKEN/.test(anonymous.status));
    const withToken = await settle(new HubConfigStore({ endpoint: hub.url, token: async () => TOKEN }), 'acme/gated-8b');
    assert.ok(withToken && 'config' in withToken);
    const wrong = await settle(new HubConfigStore({ endpoint: hub.url, token: async () => 'hf_wrong' }), 'acme/gated-8b');
    assert.ok(wrong && 'status' in wrong && /token does not grant access/.test(wrong.status) && !wrong.status.includes('hf_wrong'));
  });

  it('refuses malicious and broken answers: oversized, not JSON, not an object, not a config, server errors, missing', async () => {
    const store = new HubConfigStore({ endpoint: hub.url });
    const expect: Record<string, RegExp> = {
      'acme/huge-8b': /larger than 1024 kB/, 'acme/html-8b': /not a model config/, 'acme/array-8b': /not a model config/,
      'acme/proto-8b': /not a model config/, 'acme/broken-8b': /answered 500/, 'acme/missing-8b': /no such model \(404\)/,
    };
    for (const [id, re] of Object.entries(expect)) {
      const r = await settle(store, id);
      assert.ok(r && 'status' in r && re.test(r.status), `${id}: ${JSON.stringify(r)}`);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('times out slow answers, reports an unreachable Hub as offline, and never fetches ids that are not repo ids', async () => {
    const slow = await settle(new HubConfigStore({ endpoint: hub.url, timeoutMs: 300 }), 'acme/slow-8b');
    assert.ok(slow && 'status' in slow && /no answer within 0.3 s/.test(slow.status), JSON.stringify(slow));
    const closed = await listen(() => undefined);
    await new Promise((r) => closed.server.close(r));
    const offline = await settle(new HubConfigStore({ endpoint: closed.url }), 'acme/good-8b');
    assert.ok(offline && 'status' in offline && /cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); working offline/.test(offline.status), JSON.stringify(offline));
    const before = hub.seen.length;
    const store = new HubConfigStore({ endpoint: hub.url });
    for (const id of ['../etc/passwd', 'acme/../../x', 'acme/x/y', '/abs/path', 'acme', 'acme/x?y=1', 'http://evil/x']) assert.equal(store.lookup(id), undefined, id);
    assert.equal(hub.seen.length, before);
  });
});

describe('Hub lookup from the CLI: --hub', () => {
  let hub: FakeHub;
  before(async () => (hub = await fakeHub()));
  after(async () => hub.close());

  const cli = (...args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const env = { ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, DEPLOY_ADVISOR_CACHE: fs.mkdtempSync(path.join(os.tmpdir(), 'da-hub-cli-')) };
    const child = spawn(process.execPath, [dist('cli.js'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

  it('without --hub an id outside the catalog is a usage error and nothing is requested', async () => {
    const before = hub.seen.length;
    const r = await cli('estimate', 'acme/gated-8b', '--json');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no such file, folder, or catalog model id \(--hub looks model ids up/);
    assert.equal(hub.seen.length, before);
  });

  it('with --hub the config is fetched (token from HF_TOKEN) and estimated; a failed lookup says why', async () => {
    const r = await cli('estimate', 'acme/gated-8b', '--json', '--hub');
    assert.equal(r.status, 0, r.stderr);
    const e = JSON.parse(r.stdout) as { model: { params: number; layers: number }; assumptions: string[] };
    assert.equal(e.model.layers, 32);
    assert.ok(e.assumptions.some((a) => /fetched from http:\/\/127\.0\.0\.1/.test(a)));
    assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN));
    const missing = await cli('estimate', 'acme/missing-8b', '--hub');
    assert.equal(missing.status, 2);
    assert.match(missing.stdout, /The Hub lookup failed: the Hub has no such model \(404\)/);
  });
});

describe('Hub lookup over LSP: opt-in, trusted only, token to the Hub only', { timeout: 60_000 }, () => {
  let hub: FakeHub;
  before(async () => (hub = await fakeHub()));
  after(async () => hub.close());

  const doc = (id: string) => `model: ${id}\nmax-model-len: 8192\n`;

  async function session(o: { enabled: boolean; trusted: boolean }) {
    const lsp = new LspClient({ env: { ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN }, capture: true });
    lsp.configuration = { hub: { enabled: o.enabled } };
    await lsp.initialize({ trusted: o.trusted, cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'da-hub-lsp-')) });
    return lsp;
  }

  it('off by default: an unknown id is reported, and nothing is requested', async () => {
    const lsp = await session({ enabled: false, trusted: true });
    const before = hub.seen.length;
    const uri = lsp.open(path.join(os.tmpdir(), 'vllm-hub-off.yaml'), 'yaml', doc('acme/good-8b'));
    const ds = await lsp.diagnostics(uri, (d) => d.length > 0);
    assert.match(ds.map((d) => d.message).join(' | '), /Unknown model "acme\/good-8b"/);
    assert.equal(hub.seen.length, before);
    assert.equal(await lsp.close(), 0);
  });

  it('untrusted workspace: never fetches, and says what is disabled', async () => {
    const lsp = await session({ enabled: true, trusted: false });
    const before = hub.seen.length;
    const uri = lsp.open(path.join(os.tmpdir(), 'vllm-hub-untrusted.yaml'), 'yaml', doc('acme/good-8b'));
    const ds = await lsp.diagnostics(uri, (d) => d.length > 0);
    assert.match(ds.map((d) => d.message).join(' | '), /not trusted.*no local model folders, side profiles, GPUs file or Hub lookup/);
    assert.equal(hub.seen.length, before);
    assert.equal(await lsp.close(), 0);
  });

  it('enabled and trusted: the model is fetched and estimated; the token reaches the Hub and no log', async () => {
    const lsp = await session({ enabled: true, trusted: true });
    const uri = lsp.open(path.join(os.tmpdir(), 'vllm-hub-on.yaml'), 'yaml', doc('acme/gated-8b'));
    const estimated = await lsp.diagnostics(uri, (d) => !d.some((x) => /Unknown model/.test(x.message)));
    assert.ok(!estimated.some((d) => /Unknown model/.test(d.message)));
    const r = await lsp.request<{ markdown: string }>('deployAdvisor/estimate', { uri });
    assert.match(r.markdown, /model config for acme\/gated-8b fetched from http:\/\/127\.0\.0\.1/);
    const request = hub.seen.find((s) => s.path === '/acme/gated-8b/resolve/main/config.json');
    assert.equal(request?.auth, `Bearer ${TOKEN}`);
    assert.equal(await lsp.close(), 0);
    assert.ok(!lsp.log.includes(TOKEN), 'the token must never be logged');
  });
});
