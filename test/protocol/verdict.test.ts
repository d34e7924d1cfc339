/**
 * The verdict over LSP: a server the engine refuses to start never reads "fits" in the code lens or the status bar's
 * estimate; the engine version comes from the image tag, a comment, the setting or the newest modelled, and the
 * hovers say which; an analysis follows the files it read when they change on disk.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fixture } from '../support/paths';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';

interface CodeAction { title: string; diagnostics?: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }
interface Estimate { summary: string; anyProblem: boolean; worstSeverity?: string; markdown: string }
interface Lens { command: { title: string } }
interface Hover { contents: { value: string } }

function requests(lsp: LspClient) {
  return {
    lens: async (uri: string) => (await lsp.request<Lens[]>('textDocument/codeLens', { textDocument: { uri } })).map((l) => l.command.title),
    estimate: (uri: string) => lsp.request<Estimate>('deployAdvisor/estimate', { uri }),
    hoverAt: (uri: string, line: number, character: number) => lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } }),
  };
}

describe('verdict, engine version and freshness over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  const { lens, estimate, hoverAt } = requests(lsp);

  it('TP 3 on a 64-head model: the lens and the status bar say "will not start", with the error icon\'s severity', async () => {
    const uri = lsp.open(fixture('vllm', 'tp3-64-heads.yaml'));
    const diags = await lsp.diagnostics(uri);
    assert.ok(diags.some((d) => d.code === 'tp-divisibility' && d.severity === 1));
    const [title] = await lens(uri);
    assert.match(title, / · will not start on 3 × H100-SXM: tp-divisibility$/);
    assert.doesNotMatch(title, /\bfits\b/);
    const e = await estimate(uri);
    assert.match(e.summary, /^will not start on 3 × H100-SXM: tp-divisibility · weights/);
    assert.equal(e.anyProblem, true);
    assert.equal(e.worstSeverity, 'error');
    assert.match(e.markdown, /\*\*Will not start\.\*\*/);
  });

  it('max-model-len 65536 on Qwen3-8B (40960 positions): an error that says "will not start"; both fixes clear it and the lens reads "fits"', async () => {
    const uri = lsp.open(fixture('vllm', 'qwen3-8b-max-len-65536.yaml'));
    const original = lsp.text(uri);
    const diags = await lsp.diagnostics(uri);
    const d = diags.find((x) => x.code === 'max-len-above-model');
    assert.ok(d && d.severity === 1, JSON.stringify(diags));
    assert.match(d.message, /max-model-len 65536 exceeds the 40960 tokens vLLM derives .*refuses to start unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1/);
    assert.match((await lens(uri))[0], /will not start on 1 × H100-SXM: max-len-above-model$/);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => /^Set max-model-len: 40960 — the model's own context/.test(t)), JSON.stringify(titles));
    assert.ok(titles.some((t) => /^Add YaRN RoPE scaling \(hf-overrides, factor 2/.test(t)), JSON.stringify(titles));
    for (const a of actions) {
      const fixed = applyEdits(original, a.edit.changes[uri]);
      await lsp.change(uri, fixed);
      const after = await lsp.diagnostics(uri);
      assert.deepEqual(after.filter((x) => x.severity === 1).map((x) => x.code), [], `${a.title}:\n${fixed}`);
      assert.match((await lens(uri))[0], / · fits on 1 × H100-SXM$/, a.title);
      assert.equal((await estimate(uri)).anyProblem, false);
      if (/YaRN/.test(a.title)) assert.match(fixed, /^hf-overrides: '\{"rope_scaling":\{"rope_type":"yarn","factor":2,"original_max_position_embeddings":32768\}\}'$/m);
      await lsp.change(uri, original);
      await lsp.diagnostics(uri);
    }
  });

  it('the image tag sets the engine version, and the hovers on the image and the model say so', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-v0.11-image.yaml'));
    await lsp.diagnostics(uri);
    const lines = lsp.text(uri).split('\n');
    const imageLine = lines.findIndex((l) => l.includes('image: vllm/vllm-openai:v0.11.0'));
    const onImage = await hoverAt(uri, imageLine, lines[imageLine].indexOf('v0.11.0') + 2);
    assert.ok(onImage);
    assert.match(onImage.contents.value, new RegExp(`vLLM 0\\.11\\.0, from the image tag on line ${imageLine + 1}\\.`));
    assert.match(onImage.contents.value, /KV pool [\d.]+ GiB per GPU = 0\.9 × /);
    const modelLine = lines.findIndex((l) => l.includes('Qwen/Qwen3-8B'));
    const onModel = await hoverAt(uri, modelLine, lines[modelLine].indexOf('Qwen') + 2);
    assert.match(onModel!.contents.value, new RegExp(`\\| Engine \\| vLLM 0\\.11\\.0, from the image tag on line ${imageLine + 1} \\|`));
    assert.match(onModel!.contents.value, /\| GPUs \| 1 × NVIDIA H100/);
    assert.doesNotMatch(onModel!.contents.value, /assumed/);
    assert.match((await estimate(uri)).markdown, /\(vllm 0\.11\.0\)/);
  });

  it('a file without a GPU or a version: the model hover says the GPU is assumed and the version is the newest modelled, with how to set each', async () => {
    const uri = lsp.open(fixture('vllm', 'kv-limited-chat.yaml'));
    await lsp.diagnostics(uri);
    const lines = lsp.text(uri).split('\n');
    const modelLine = lines.findIndex((l) => /^model:/.test(l));
    const h = await hoverAt(uri, modelLine, 10);
    assert.match(h!.contents.value, /\| Engine \| vLLM [\d.]+, newest modelled \(set `# deploy-advisor: engine-version=…` or deployAdvisor\.engineVersion\) \|/);
  });
});

describe('deployAdvisor.engineVersion and files changed on disk', () => {
  const lsp = new LspClient();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-verdict-'));
  const { estimate, hoverAt } = requests(lsp);
  before(async () => void (await lsp.initialize(undefined, { didChangeWatchedFiles: { dynamicRegistration: true } })));
  after(async () => {
    assert.equal(await lsp.close(), 0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the setting applies below the image tag and above the newest modelled', async () => {
    lsp.configuration = { engineVersion: '0.10.1' };
    await lsp.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const plain = lsp.open(fixture('vllm', 'llama-3.1-8b-h100.yaml'));
    const tagged = lsp.open(fixture('kubernetes', 'vllm-v0.11-image.yaml'));
    await lsp.diagnostics(plain);
    await lsp.diagnostics(tagged);
    const deadline = Date.now() + 10_000;
    let md = '';
    while (Date.now() < deadline && !/\(vllm 0\.10\.1\)/.test(md)) {
      md = (await estimate(plain)).markdown;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(md, /\(vllm 0\.10\.1\)/);
    const lines = lsp.text(plain).split('\n');
    const modelLine = lines.findIndex((l) => /^model:/.test(l));
    assert.match((await hoverAt(plain, modelLine, 10))!.contents.value, /\| Engine \| vLLM 0\.10\.1, from the deployAdvisor\.engineVersion setting \|/);
    assert.match((await estimate(tagged)).markdown, /\(vllm 0\.11\.0\)/);
    lsp.configuration = {};
    await lsp.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  });

  it('a side profile changed on disk re-analyses the open file that reads it', async () => {
    const file = path.join(dir, 'chat.yaml');
    fs.writeFileSync(file, 'model: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 8192\n');
    const profile = path.join(dir, 'chat.deploy.yaml');
    fs.writeFileSync(profile, 'model: meta-llama/Llama-3.1-8B-Instruct\nhardware:\n  gpu: L4\n');
    const uri = lsp.open(file);
    await lsp.diagnostics(uri);
    assert.match((await estimate(uri)).summary, /on 1 × L4\b/);
    fs.writeFileSync(profile, 'model: meta-llama/Llama-3.1-8B-Instruct\nhardware:\n  gpu: H200\n');
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(profile).href, type: 2 }] });
    // The open's own publishes may still be arriving on a busy machine: wait for the re-analysis itself.
    let summary = '';
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && !/on 1 × H200\b/.test(summary); await new Promise((r) => setTimeout(r, 100))) {
      summary = (await estimate(uri)).summary;
    }
    assert.match(summary, /on 1 × H200\b/);
  });
});
