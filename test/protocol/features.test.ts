/**
 * Every rule and every quick fix over real LSP messages: the fix is applied as the client would apply it, the file
 * is re-diagnosed, the finding is gone, and the rest of the file is untouched. Plus hovers, code lenses, inlay
 * hints, completion and settings changes.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../support/paths';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';

interface CodeAction { title: string; kind: string; isPreferred?: boolean; diagnostics?: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }

/** fixture → rules it must raise; each fix offered for them must clear them. */
const RULE_FIXTURES: Array<[string, string[]]> = [
  ['vllm/llama-3.1-70b-one-gpu.yaml', ['does-not-fit']],
  ['vllm/qwen3-32b-long-context.yaml', ['max-len-exceeds-kv']],
  ['vllm/kv-limited-chat.yaml', ['kv-limits-concurrency', 'kv-cache-dtype']],
  ['vllm/llama-3.1-8b-h100.yaml', ['max-num-seqs-above-kv']],
  ['vllm/tp-not-dividing.yaml', ['tp-divisibility']],
  ['vllm/tp3-64-heads.yaml', ['tp-divisibility']],
  ['vllm/qwen3-8b-max-len-65536.yaml', ['max-len-above-model']],
  ['kubernetes/vllm-v0.11-image.yaml', []],
  ['vllm/no-headroom.yaml', ['utilization-headroom']],
  ['vllm/tiny-model-big-gpu.yaml', ['oversized-pool']],
  ['vllm/chunked-prefill-off.yaml', ['chunked-prefill-off', 'vllm-batched-tokens-below-max-len']],
  ['profile/prefix-off.deploy.yaml', ['prefix-caching-off']],
  ['profile/slo-tpot.deploy.yaml', ['slo-miss']],
  ['vllm/typos-and-bad-values.yaml', ['unknown-key', 'invalid-value', 'duplicate-key']],
  ['kubernetes/gpu-count-mismatch.yaml', ['gpu-count-mismatch']],
  ['kubernetes/vllm-deployment-args-list.yaml', []],
  ['helm/llm-d-values.yaml', ['max-len-exceeds-kv']],
  // DP attention keeps one copy of each request's MLA latent instead of eight: 256 requests fit (plain TP 8 holds 162).
  ['sglang/deepseek-r1-dp-attention.yaml', []],
  // …while plain TP 8 keeps the latent on every GPU: only DP attention makes room for 512 (fp8 KV alone holds 324).
  ['sglang/deepseek-r1-tp8.yaml', ['kv-limits-concurrency', 'kv-cache-dtype']],
  ['trtllm/llama-70b-fp8-extra-options.yaml', ['max-num-seqs-above-kv']],
  ['vllm/fp8-on-ampere.yaml', ['quant-not-native', 'kv-dtype-not-native']],
  ['bad/unknown-model-gpu.yaml', ['unknown-model']],
  ['trtllm/unknown-field.yaml', ['unknown-key']],
  ['trtllm/deepseek-r1-8k-no-chunking.yaml', ['trtllm-prompt-starvation']],
  ['vllm/model-typo.yaml', ['unknown-model']],
  ['profile/bad.deploy.yaml', ['schema']],
  // Multimodal: 8 full-size images (16 384 tokens each) cannot fit 32 768 tokens; at 0.85 on an L4 the tower and the
  // encoder profile leave no KV for one max-len request (a smaller max_pixels frees it).
  ['kubernetes/vllm-qwen2.5-vl-images.yaml', ['mm-images-exceed-context']],
  ['kubernetes/vllm-qwen2.5-vl-tight-l4.yaml', ['mm-encoder-memory']],
  ['kubernetes/vllm-qwen2.5-vl-text-only.yaml', []],
  ['vllm/ngram-speculative-busy.yaml', ['speculative-slower']],
  ['kubernetes/vllm-eagle3-speculative.yaml', []],
  ['kubernetes/vllm-deepseek-r1-mtp.yaml', []],
  ['sglang/llama-3.1-8b-eagle.yaml', []],
  // The pod around the engine (issue 20): /dev/shm, memory limit against host tiers, probes, CPU weight offload.
  ['kubernetes/vllm-tp4-no-shm-probes.yaml', ['shm-too-small', 'probe-before-load']],
  ['kubernetes/vllm-offload-statefulset.yaml', ['cpu-offload-unneeded', 'shm-too-small', 'host-memory-limit']],
  ['compose/vllm-lmcache-compose.yaml', ['shm-too-small', 'host-memory-limit']],
  ['kubernetes/sglang-hicache-kserve.yaml', ['host-memory-limit', 'probe-before-load']],
  ['kubernetes/lws-vllm-multinode.yaml', ['shm-too-small']],
];

describe('rules and quick fixes over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  for (const [rel, rules] of RULE_FIXTURES) {
    it(`${rel}: ${rules.join(', ') || 'fixes'} — every quick fix clears its finding and edits only its lines`, async () => {
      const uri = lsp.open(fixture(...rel.split('/')));
      const diags = await lsp.diagnostics(uri);
      for (const r of rules) assert.ok(diags.some((d) => d.code === r), `${rel}: expected ${r}, got ${diags.map((d) => d.code).join(', ')}`);
      const original = lsp.text(uri);
      let fixesTried = 0;
      for (const d of diags) {
        const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
        for (const a of actions.filter((x) => x.diagnostics?.some((y: Diagnostic) => y.code === d.code) ?? true)) {
          assert.equal(a.kind, 'quickfix');
          const edits = a.edit.changes[uri];
          const fixed = applyEdits(original, edits);
          await lsp.change(uri, fixed);
          const after = await lsp.diagnostics(uri);
          assert.ok(!after.some((x) => x.code === d.code && x.range.start.line === d.range.start.line), `${rel}: "${a.title}" did not clear ${d.code}: ${JSON.stringify(after.map((x) => x.code))}`);
          // Untouched elsewhere: every original line outside the edited ones survives, in order.
          // (every line an edit spans: a removal deletes the lines between its ends too)
          const touched = new Set(edits.flatMap((e) => Array.from({ length: e.range.end.line - e.range.start.line + 1 }, (_, k) => e.range.start.line + k)));
          const kept = original.split('\n').filter((_, i) => !touched.has(i));
          const fixedLines = fixed.split('\n');
          let j = 0;
          for (const line of kept) {
            while (j < fixedLines.length && fixedLines[j] !== line) j++;
            assert.ok(j < fixedLines.length, `${rel}: "${a.title}" lost the line ${JSON.stringify(line)}`);
            j++;
          }
          await lsp.change(uri, original);
          await lsp.diagnostics(uri);
          fixesTried++;
        }
      }
      if (rules.some((r) => ['does-not-fit', 'max-len-exceeds-kv', 'kv-limits-concurrency', 'tp-divisibility', 'utilization-headroom', 'prefix-caching-off', 'slo-miss'].includes(r))) {
        assert.ok(fixesTried > 0, `${rel}: no quick fix offered`);
      }
    });
  }

  it('findings with advice carry an evidence line from the seed papers', async () => {
    const uri = lsp.open(fixture('vllm', 'kv-limited-chat.yaml'));
    const d = (await lsp.diagnostics(uri)).find((x) => x.code === 'kv-cache-dtype')!;
    assert.match(d.message, /\nNearest evidence: .+ — “.+”/);
    const est = await lsp.request<{ markdown: string }>('deployAdvisor/estimate', { uri });
    assert.match(est.markdown, /### Evidence/);
  });

  it('fix titles state their estimated effect', async () => {
    const uri = lsp.open(fixture('vllm', 'kv-limited-chat.yaml'));
    const d = (await lsp.diagnostics(uri)).find((x) => x.code === 'kv-cache-dtype')!;
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    assert.ok(actions.some((a) => /^Set kv-cache-dtype: fp8 — KV capacity \d+k → \d+k tokens/.test(a.title)), JSON.stringify(actions.map((a) => a.title)));
    assert.ok(actions.some((a) => a.isPreferred));
  });

  it('a mistyped key or model id is renamed in place, in the file\'s own spelling', async () => {
    const uri = lsp.open(fixture('trtllm', 'unknown-field.yaml'));
    const text = lsp.text(uri);
    const titles: string[] = [];
    let fixed = text;
    for (const d of (await lsp.diagnostics(uri)).filter((x) => x.code === 'unknown-key')) {
      const [a] = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      titles.push(a.title);
      assert.ok(a.isPreferred);
      fixed = applyEdits(fixed, a.edit.changes[uri]);
    }
    assert.deepEqual(titles.sort(), ['Rename to "enable_chunked_prefill"', 'Rename to "free_gpu_memory_fraction"']);
    assert.equal(fixed, text.replace('free_gpu_mem_fraction:', 'free_gpu_memory_fraction:').replace('enable_chunk_prefill:', 'enable_chunked_prefill:'));
    const m = lsp.open(fixture('vllm', 'model-typo.yaml'));
    const d = (await lsp.diagnostics(m)).find((x) => x.code === 'unknown-model')!;
    const [a] = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: m }, range: d.range, context: { diagnostics: [d] } });
    assert.equal(applyEdits(lsp.text(m), a.edit.changes[m]).split('\n')[1], 'model: "meta-llama/Llama-3.1-8B-Instruct"');
  });

  it('a shell-string Kubernetes fix edits inside the string', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-deployment-shell-string.yaml'));
    await lsp.diagnostics(uri);
    const text = lsp.text(uri).replace('--max-model-len 8192', '--max-model-len 131072');
    await lsp.change(uri, text);
    const d = (await lsp.diagnostics(uri, (x) => x.some((y) => y.code === 'max-len-exceeds-kv'))).find((x) => x.code === 'max-len-exceeds-kv')!;
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.title.startsWith('Set max-model-len'))!;
    const fixed = applyEdits(text, fix.edit.changes[uri]);
    assert.match(fixed, /--max_num_batched_tokens 1024 --max-model-len \d+"/);
  });
});

describe('speculative decoding slower at the batch: the fix takes the config out in the file\'s own syntax', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  /** The file after the "Remove speculative decoding" fix, with the finding's message. */
  async function removeSpeculation(rel: string, edit: (t: string) => string): Promise<{ original: string; fixed: string; message: string; title: string }> {
    const uri = lsp.open(fixture(...rel.split('/')));
    await lsp.diagnostics(uri);
    const original = edit(lsp.text(uri));
    await lsp.change(uri, original);
    const d = (await lsp.diagnostics(uri, (x) => x.some((y) => y.code === 'speculative-slower'))).find((x) => x.code === 'speculative-slower')!;
    assert.ok(d, `${rel}: no speculative-slower finding`);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const a = actions.find((x) => x.title.startsWith('Remove speculative decoding'))!;
    assert.ok(a, JSON.stringify(actions.map((x) => x.title)));
    const fixed = applyEdits(original, a.edit.changes[uri]);
    await lsp.change(uri, fixed);
    const after = await lsp.diagnostics(uri);
    assert.ok(!after.some((x) => x.code === 'speculative-slower'), JSON.stringify(after.map((x) => x.code)));
    return { original, fixed, message: d.message, title: a.title };
  }

  it('vLLM config file: the nested speculative-config mapping goes, with the measured TPOT and the acceptance assumed', async () => {
    const r = await removeSpeculation('vllm/ngram-speculative-busy.yaml', (t) => t);
    assert.match(r.message, /slower at 256 concurrent requests: TPOT [\d.]+ ms with it, [\d.]+ ms without \(\+\d+ %\)/);
    assert.match(r.message, /assumed acceptance 0\.3 per token/);
    assert.match(r.title, /^Remove speculative decoding — TPOT [\d.]+ → [\d.]+ ms at this load$/);
    assert.equal(r.fixed, r.original.replace(/speculative-config:\n(  .*\n)+/, ''));
  });

  it('Kubernetes args list: the flag item and its JSON value item go together', async () => {
    const r = await removeSpeculation('kubernetes/vllm-eagle3-speculative.yaml', (t) => t.replace('"eagle3"', '"ngram"').replace('concurrency=128', 'concurrency=256'));
    assert.equal(r.fixed, r.original.replace(/ *- --speculative-config\n *- '\{.*\}'\n/, ''));
  });

  it('SGLang: speculative-algorithm goes with every speculative-* option that only means something with it', async () => {
    const r = await removeSpeculation('sglang/llama-3.1-8b-eagle.yaml', (t) => t.replace('EAGLE\n', 'NGRAM\n').replace('concurrency=8', 'concurrency=256').replace('cuda-graph-max-bs: 8', 'cuda-graph-max-bs: 256'));
    assert.ok(!/speculative/.test(r.fixed.split('\n').filter((l) => !l.startsWith('#')).join('\n')), r.fixed);
    assert.match(r.fixed, /^model-path: meta-llama\/Llama-3\.1-8B-Instruct\nmem-fraction-static: 0\.7$/m);
  });
});

describe('code lens refresh', () => {
  it('asks the editor for lenses again until it does: a refresh lost while its provider registers is retried', async () => {
    const lsp = new LspClient();
    await lsp.initialize(undefined, { codeLens: { refreshSupport: true } });
    const uri = lsp.open(fixture('vllm', 'kv-limited-chat.yaml'));
    await lsp.diagnostics(uri);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.ok(lsp.lensRefreshes >= 2, `refreshes: ${lsp.lensRefreshes}`);
    const lenses = await lsp.request<unknown[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.length > 0);
    const asked = lsp.lensRefreshes;
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(lsp.lensRefreshes, asked, 'no more refreshes once the editor has asked');
    assert.equal(await lsp.close(), 0);
  });
});

describe('hover, code lens, inlay hints, completion, settings', () => {
  const lsp = new LspClient();
  let caps: Record<string, unknown>;
  before(async () => void (caps = await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  it('advertises the features', () => {
    for (const k of ['hoverProvider', 'codeActionProvider', 'codeLensProvider', 'inlayHintProvider', 'completionProvider']) assert.ok(caps[k], k);
  });

  it('hover on a key explains it with its default and its effect here, with the alternative', async () => {
    const uri = lsp.open(fixture('vllm', 'kv-limited-chat.yaml'));
    await lsp.diagnostics(uri);
    const h = await lsp.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 5 } });
    assert.match(h.contents.value, /\*\*gpu-memory-utilization\*\*/);
    assert.match(h.contents.value, /Default: 0\.9/);
    assert.match(h.contents.value, /KV pool \d+\.\d+ GiB per GPU/);
    assert.match(h.contents.value, /At 0\.95:/);
  });

  it('hover on DP attention shows the ranks and what turning it off would cost in KV room', async () => {
    const uri = lsp.open(fixture('sglang', 'deepseek-r1-dp-attention.yaml'));
    await lsp.diagnostics(uri);
    const h = await lsp.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 5 } });
    assert.match(h.contents.value, /\*\*enable-dp-attention\*\*/);
    const here = /Here: 8 rank\(s\) on 8 GPU\(s\), [\d.]+ GiB of weights per GPU, KV (\d+)k tokens/.exec(h.contents.value);
    const without = /Without it: 8 GPU\(s\), [\d.]+ GiB per GPU, KV (\d+)k tokens/.exec(h.contents.value);
    assert.ok(here && without, h.contents.value);
    assert.ok(Number(here[1]) > 4 * Number(without[1]), h.contents.value);
  });

  it('hover on the model shows architecture, parameters, KV bytes per token and context', async () => {
    const uri = lsp.open(fixture('vllm', 'llama-3.1-70b-one-gpu.yaml'));
    await lsp.diagnostics(uri);
    const h = await lsp.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 12 } });
    assert.match(h.contents.value, /LlamaForCausalLM/);
    assert.match(h.contents.value, /70\.55 B total/);
    assert.match(h.contents.value, /320\.0 KiB per token/);
    assert.match(h.contents.value, /131072 tokens/);
  });

  it('hover on a config.json field explains its memory effect', async () => {
    const uri = lsp.open(fixture('hf', 'llama-3.1-8b', 'config.json'), 'json');
    await lsp.diagnostics(uri);
    const lines = lsp.text(uri).split('\n');
    const line = lines.findIndex((l) => l.includes('num_key_value_heads'));
    const h = await lsp.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line].indexOf('num_key') + 3 } });
    assert.match(h.contents.value, /128\.0 KiB/);
  });

  it('hover on a profile\'s workload, hardware and SLO keys says what each comes to here', async () => {
    const uri = lsp.open(fixture('profile', 'chat.deploy.yaml'));
    await lsp.diagnostics(uri);
    const lines = lsp.text(uri).split('\n');
    const at = async (key: string) => {
      const line = lines.findIndex((l) => l.trimStart().startsWith(`${key}:`));
      return (await lsp.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line].indexOf(key) + 1 } })).contents.value;
    };
    assert.match(await at('concurrency'), /^\*\*workload\.concurrency\*\*[\s\S]*Here: 64 in flight, \d+ output tokens\/s; the KV cache holds \d+ such requests\./);
    assert.match(await at('outputLen'), /TPOT [\d.]+ ms, so a request lasts about [\d.]+ s/);
    assert.match(await at('replicas'), /Here: 2 × \d+ output tokens\/s/);
  });

  it('a code lens per workload: weights · KV · TTFT · TPOT · fits', async () => {
    const uri = lsp.open(fixture('kubernetes', 'multi-doc.yaml'));
    await lsp.diagnostics(uri);
    const lenses = await lsp.request<Array<{ command: { title: string; command: string } }>>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 2);
    for (const l of lenses) {
      // The file names no GPU: the lens says the H100 SXM is assumed, and how to name one.
      assert.match(l.command.title, /^weights [\d.]+ GiB\/GPU · KV \S+ tokens \(.+\) · TTFT \d+ ms · TPOT [\d.]+ ms · fits on 1 × H100-SXM \(assumed: set `# deploy-advisor: gpu=…` or deployAdvisor\.gpu\)$/);
      assert.equal(l.command.command, 'deployAdvisor.estimate');
    }
  });

  it('inlay hints after the keys that matter', async () => {
    const uri = lsp.open(fixture('vllm', 'llama-3.1-8b-h100.yaml'));
    await lsp.diagnostics(uri);
    const hints = await lsp.request<Array<{ label: string; position: { line: number } }>>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } });
    assert.ok(hints.some((h) => h.position.line === 4 && /concurrent at this length/.test(h.label)), JSON.stringify(hints));
    assert.ok(hints.some((h) => h.position.line === 5 && /KV pool/.test(h.label)));
  });

  it('completion: keys, enum values, GPU names and model ids from the key tables and catalogs', async () => {
    const uri = lsp.open(fixture('vllm', 'no-headroom.yaml'));
    await lsp.diagnostics(uri);
    const text = `${lsp.text(uri)}kv-cache-dtype: \n# deploy-advisor: gpu=\nmax\n`;
    await lsp.change(uri, text);
    await lsp.diagnostics(uri);
    const lines = text.split('\n');
    const at = (line: number) => lsp.request<Array<{ label: string }>>('textDocument/completion', { textDocument: { uri }, position: { line, character: lines[line].length } });
    assert.ok((await at(3)).some((i) => i.label === 'fp8'));
    assert.ok((await at(4)).some((i) => i.label === 'H100-SXM'));
    const keys = (await at(5)).map((i) => i.label);
    assert.ok(keys.includes('max-num-seqs') && !keys.includes('max-model-len'), JSON.stringify(keys.slice(0, 10)));
    const modelLine = lines.findIndex((l) => l.startsWith('model:'));
    assert.ok((await at(modelLine)).some((i) => i.label === 'meta-llama/Llama-3.1-8B-Instruct'));
  });

  it('completion over the wire: a model item is a textEdit over the whole value, filtered on it, with the model\'s facts; an empty file gets snippets', async () => {
    const uri = lsp.open(fixture('vllm', 'no-headroom.yaml'));
    await lsp.diagnostics(uri);
    const lines = lsp.text(uri).split('\n');
    const modelLine = lines.findIndex((l) => l.startsWith('model:'));
    lines[modelLine] = 'model: "meta-llama/Llama-3.1-8"';
    await lsp.change(uri, lines.join('\n'));
    type Item = { label: string; kind: number; detail?: string; filterText?: string; insertTextFormat?: number; textEdit?: TextEdit };
    const items = await lsp.request<Item[]>('textDocument/completion', { textDocument: { uri }, position: { line: modelLine, character: 30 } });
    const qwen = items.find((i) => i.label === 'Qwen/Qwen3-8B');
    assert.ok(qwen?.textEdit, JSON.stringify(items.slice(0, 2)));
    assert.deepEqual(qwen.textEdit.range, { start: { line: modelLine, character: 8 }, end: { line: modelLine, character: 30 } });
    assert.equal(qwen.filterText, 'Qwen/Qwen3-8B');
    assert.equal(applyEdits(lines.join('\n'), [qwen.textEdit]).split('\n')[modelLine], 'model: "Qwen/Qwen3-8B"');
    assert.match(qwen.detail ?? '', /^8\.2 B params · 40960 context · 144 KiB KV\/token$/);
    const empty = lsp.open(fixture('vllm', 'brand-new.yaml'), 'yaml', '');
    const snippets = await lsp.request<Item[]>('textDocument/completion', { textDocument: { uri: empty }, position: { line: 0, character: 0 } });
    assert.deepEqual(snippets.map((i) => [i.kind, i.insertTextFormat]), [[15, 2], [15, 2], [15, 2], [15, 2]]);
  });

  it('settings apply without restart: GPU, workload, and a rule turned off', async () => {
    const uri = lsp.open(fixture('vllm', 'with-side-profile.yaml'));
    await lsp.diagnostics(uri);
    const baseline = await lsp.request<{ summary: string }>('deployAdvisor/estimate', { uri });
    lsp.configuration = { gpu: 'A100-80GB', workload: { inputLen: 1024, outputLen: 256, concurrency: 1 }, rules: { 'oversized-pool': 'off' } };
    await lsp.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const deadline = Date.now() + 10_000;
    let summary = baseline.summary;
    while (Date.now() < deadline) {
      summary = (await lsp.request<{ summary: string }>('deployAdvisor/estimate', { uri })).summary;
      if (summary !== baseline.summary) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The side profile names L40S, which wins over the setting; the setting applies to files that say nothing.
    const other = lsp.open(fixture('vllm', 'no-headroom.yaml'));
    const diags = await lsp.diagnostics(other);
    assert.ok(!diags.some((d) => d.code === 'oversized-pool'));
    assert.match((await lsp.request<{ summary: string }>('deployAdvisor/estimate', { uri: other })).summary, /A100-80GB/);
  });
});
