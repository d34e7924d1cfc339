/**
 * Completion items replace the whole value they complete (a text edit over the YAML scalar inside its quotes, the
 * argv token after a flag, the directive's value) and are filtered on it; model items carry the model's facts; an
 * empty YAML file offers snippets that read back as the intended format and estimate without errors.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import type { CompletionItem, TextEdit } from 'vscode-languageserver';
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';
import { completion } from '../../server/src/lsp/completion';
import { expandSnippet, FILE_SNIPPETS } from '../../server/src/lsp/completionSnippets';
import { analyze } from '../../server/src/pipeline';
import { readText } from '../../server/src/formats';
import { fixture } from '../support/paths';

/** Completion at the `|` in `text` (removed), as the server computes it for that exact text. */
function complete(text: string, uri = 'file:///x/serve.yaml', languageId = 'yaml'): { items: CompletionItem[]; text: string; line: number; character: number } {
  const at = text.indexOf('|');
  assert.ok(at >= 0, 'mark the cursor with |');
  const clean = text.slice(0, at) + text.slice(at + 1);
  const line = clean.slice(0, at).split('\n').length - 1;
  const character = at - (clean.lastIndexOf('\n', at - 1) + 1);
  return { items: completion(clean, { line, character }, analyze(uri, clean), { languageId }), text: clean, line, character };
}

/** Applies the item's text edit as an editor does. */
function accept(text: string, item: CompletionItem | undefined): string {
  assert.ok(item, 'no such item');
  const e = item.textEdit as TextEdit;
  assert.ok(e && 'range' in e, `${item.label} has no textEdit`);
  assert.equal(e.range.start.line, e.range.end.line, 'a completion edit stays on one line');
  const lines = text.split('\n');
  const l = lines[e.range.start.line];
  lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  return lines.join('\n');
}

/** What an editor filters on: the text from the edit's start to the cursor must prefix the item's filterText. */
function matchesTyped(r: ReturnType<typeof complete>, item: CompletionItem): boolean {
  const e = item.textEdit as TextEdit;
  const typed = r.text.split('\n')[r.line].slice(e.range.start.character, r.character);
  return (item.filterText ?? item.label).toLowerCase().startsWith(typed.toLowerCase());
}

const byLabel = (items: CompletionItem[], label: string) => items.find((i) => i.label === label);
const lineOf = (text: string, n: number) => text.split('\n')[n];

describe('model-id completion replaces the whole value', () => {
  it('unquoted `model:` — the reported bug: accepting after `meta-llama/Llama-3.1-8` gives the chosen id, nothing left over', () => {
    const r = complete('max-model-len: 8192\nmodel: meta-llama/Llama-3.1-8|\n');
    for (const id of ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen3-8B']) {
      assert.equal(lineOf(accept(r.text, byLabel(r.items, id)), 1), `model: ${id}`);
    }
    const qwen = byLabel(r.items, 'Qwen/Qwen3-8B')!;
    assert.equal(qwen.filterText, 'Qwen/Qwen3-8B');
    assert.deepEqual((qwen.textEdit as TextEdit).range, { start: { line: 1, character: 7 }, end: { line: 1, character: 29 } });
    // Filtering on the whole typed value keeps the Llama ids and drops the rest.
    const shown = r.items.filter((i) => matchesTyped(r, i)).map((i) => i.label);
    assert.ok(shown.includes('meta-llama/Llama-3.1-8B-Instruct') && !shown.includes('Qwen/Qwen3-8B'), shown.join(', '));
  });

  it('the cursor in the middle of a value still replaces all of it; a trailing comment is kept', () => {
    const r = complete('model: meta-llama/|Llama-3.1-8 # the model\ntensor-parallel-size: 1\n');
    assert.equal(lineOf(accept(r.text, byLabel(r.items, 'meta-llama/Llama-3.1-70B-Instruct')), 0), 'model: meta-llama/Llama-3.1-70B-Instruct # the model');
  });

  it('quoted values are replaced inside their quotes (double, single, unclosed)', () => {
    for (const [src, want] of [
      ['model: "meta-llama/Llama-3.1-8|"\n', 'model: "Qwen/Qwen3-8B"'],
      ["model: 'meta-llama/Lla|ma'\n", "model: 'Qwen/Qwen3-8B'"],
      ['model: "meta-ll|\n', 'model: "Qwen/Qwen3-8B'],
    ]) {
      const r = complete(src);
      assert.equal(lineOf(accept(r.text, byLabel(r.items, 'Qwen/Qwen3-8B')), 0), want, src);
    }
  });

  it('`model:` with the cursor right after the colon writes the space YAML needs', () => {
    const r = complete('tensor-parallel-size: 1\nmodel:|\n');
    assert.equal(lineOf(accept(r.text, byLabel(r.items, 'Qwen/Qwen3-8B')), 1), 'model: Qwen/Qwen3-8B');
  });

  it('SGLang model-path, a profile model and production-stack modelURL', () => {
    const sg = complete(`${fs.readFileSync(fixture('sglang', 'qwen3-32b-tp2.yaml'), 'utf8').replace('model-path: Qwen/Qwen3-32B', 'model-path: Qwen/Qwen3-3|2B')}`);
    assert.match(accept(sg.text, byLabel(sg.items, 'Qwen/Qwen3-8B')), /\nmodel-path: Qwen\/Qwen3-8B\n/);
    const prof = complete(fs.readFileSync(fixture('profile', 'chat.deploy.yaml'), 'utf8').replace('model: meta-llama/Llama-3.1-70B-Instruct', 'model: meta-llama/Llama-3.1-7|0B-Instruct'), 'file:///x/chat.deploy.yaml');
    assert.match(accept(prof.text, byLabel(prof.items, 'Qwen/Qwen3-32B')), /\nmodel: Qwen\/Qwen3-32B\n/);
    const helm = complete(fs.readFileSync(fixture('helm', 'production-stack-values.yaml'), 'utf8').replace('modelURL: "meta-llama/Llama-3.1-8B-Instruct"', 'modelURL: "meta-llama/Lla|ma-3.1-8B-Instruct"'), 'file:///x/values.yaml');
    assert.match(accept(helm.text, byLabel(helm.items, 'Qwen/Qwen3-8B')), /modelURL: "Qwen\/Qwen3-8B"\n/);
  });

  it('llm-d modelArtifacts.uri: the id after hf:// is replaced, the scheme kept (or written when absent)', () => {
    const src = fs.readFileSync(fixture('helm', 'llm-d-values.yaml'), 'utf8');
    const r = complete(src.replace('uri: "hf://RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic"', 'uri: "hf://meta-llama/Llama-3.3|-70B-Instruct-FP8-dynamic"'), 'file:///x/values.yaml');
    const item = byLabel(r.items, 'meta-llama/Llama-3.3-70B-Instruct')!;
    assert.ok(matchesTyped(r, item));
    assert.match(accept(r.text, item), /\n {2}uri: "hf:\/\/meta-llama\/Llama-3\.3-70B-Instruct"\n/);
    const bare = complete(src.replace('uri: "hf://RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic"', 'uri: |'), 'file:///x/values.yaml');
    assert.match(accept(bare.text, byLabel(bare.items, 'Qwen/Qwen3-8B')), /\n {2}uri: hf:\/\/Qwen\/Qwen3-8B\n/);
  });

  const k8s = fs.readFileSync(fixture('kubernetes', 'vllm-deployment-args-list.yaml'), 'utf8');

  it('Kubernetes args list: `--model` then the id as the next item, `--model=id`, and the positional id after `vllm serve`', () => {
    const split = complete(k8s.replace('- "nvidia/Llama-3.1-70B-Instruct-FP8"', '- "--model"\n            - "nvidia/Llama-3.1|-70B"'));
    assert.match(accept(split.text, byLabel(split.items, 'meta-llama/Llama-3.1-8B-Instruct')), /\n {12}- "--model"\n {12}- "meta-llama\/Llama-3\.1-8B-Instruct"\n/);
    const joined = complete(k8s.replace('- "nvidia/Llama-3.1-70B-Instruct-FP8"', '- --model=nvidia/Llama-3.1|-70B'));
    assert.match(accept(joined.text, byLabel(joined.items, 'meta-llama/Llama-3.1-8B-Instruct')), /\n {12}- --model=meta-llama\/Llama-3\.1-8B-Instruct\n/);
    // `command: ["vllm", "serve"]` + the first args item: where the reader found the model.
    const positional = complete(k8s.replace('- "nvidia/Llama-3.1-70B-Instruct-FP8"', '- "nvidia/Llama-3.1-70B-Ins|truct-FP8"'));
    assert.match(accept(positional.text, byLabel(positional.items, 'meta-llama/Llama-3.1-70B-Instruct')), /\n {12}- "meta-llama\/Llama-3\.1-70B-Instruct"\n {12}- "--tensor-parallel-size"/);
  });

  it('flow lists: `["--model", "id", ...]` and an enum flag value in one', () => {
    const flow = k8s.replace(/command: \["vllm", "serve"\]\n\s+args:\n(\s+- .*\n)+/, 'command: ["vllm", "serve"]\n          args: ["--model", "meta-llama/Llama-3.1-8|", "--kv-cache-dtype", "fp8"]\n');
    const r = complete(flow);
    assert.match(accept(r.text, byLabel(r.items, 'meta-llama/Llama-3.1-8B-Instruct')), /args: \["--model", "meta-llama\/Llama-3\.1-8B-Instruct", "--kv-cache-dtype", "fp8"\]/);
    const e = complete(flow.replace('meta-llama/Llama-3.1-8|', 'meta-llama/Llama-3.1-8B-Instruct').replace('"fp8"]', '"fp|8"]'));
    const fp8 = byLabel(e.items, 'fp8_e4m3') ?? byLabel(e.items, 'fp8');
    assert.ok(fp8, e.items.map((i) => i.label).join(', '));
    assert.match(accept(e.text, fp8), new RegExp(`"--kv-cache-dtype", "${fp8.label}"\\]`));
  });

  it('shell strings: the id after `vllm serve` or `--model`, up to the next space only', () => {
    const shell = fs.readFileSync(fixture('kubernetes', 'vllm-deployment-shell-string.yaml'), 'utf8');
    const r = complete(shell.replace('vllm serve mistralai/Mistral-7B-Instruct-v0.3 --trust', 'vllm serve mistralai/Mistral-7B|-Instruct-v0.3 --trust'));
    assert.match(accept(r.text, byLabel(r.items, 'mistralai/Mistral-Nemo-Instruct-2407')), /"vllm serve mistralai\/Mistral-Nemo-Instruct-2407 --trust-remote-code --enable-chunked-prefill/);
    const flag = complete(shell.replace('vllm serve mistralai/Mistral-7B-Instruct-v0.3 --trust', 'vllm serve --model mistralai/Mis|tral-7B-Instruct-v0.3 --trust'));
    assert.match(accept(flag.text, byLabel(flag.items, 'mistralai/Mistral-7B-v0.3')), /"vllm serve --model mistralai\/Mistral-7B-v0\.3 --trust-remote-code/);
  });

  it('TGI\'s MODEL_ID (a Kubernetes env item\'s value, a Compose environment key) and a Compose command block', () => {
    const k = complete(fs.readFileSync(fixture('kubernetes', 'tgi-deployment-env.yaml'), 'utf8').replace('value: meta-llama/Llama-3.1-8B-Instruct', 'value: meta-llama/Llama-3.1-8|B-Instruct'), 'file:///x/tgi.yaml');
    assert.match(accept(k.text, byLabel(k.items, 'meta-llama/Llama-3.1-70B-Instruct')), /- name: MODEL_ID\n {14}value: meta-llama\/Llama-3\.1-70B-Instruct\n/);
    const c = complete(fs.readFileSync(fixture('compose', 'tgi-compose.yaml'), 'utf8').replace('MODEL_ID: Qwen/Qwen2.5-7B-Instruct', 'MODEL_ID: Qwen/Qwen2.5-7|B-Instruct'), 'file:///x/compose.yaml');
    assert.match(accept(c.text, byLabel(c.items, 'Qwen/Qwen2.5-72B-Instruct')), /\n {6}MODEL_ID: Qwen\/Qwen2\.5-72B-Instruct\n/);
    const v = complete(fs.readFileSync(fixture('compose', 'vllm-compose.yaml'), 'utf8').replace('--model Qwen/Qwen2.5-14B-Instruct', '--model Qwen/Qwen2.5-1|4B-Instruct'), 'file:///x/compose.yaml');
    assert.match(accept(v.text, byLabel(v.items, 'Qwen/Qwen2.5-14B')), /\n {6}--model Qwen\/Qwen2\.5-14B\n/);
  });

  it('KServe: `model:` (an object there) offers no ids, `--model_id=` does', () => {
    const src = fs.readFileSync(fixture('kubernetes', 'kserve-huggingface.yaml'), 'utf8');
    assert.deepEqual(complete(src.replace('    model:\n', '    model:|\n'), 'file:///x/isvc.yaml').items, []);
    const r = complete(src.replace('--model_id=Qwen/Qwen2.5-7B-Instruct', '--model_id=Qwen/Qwen2.5-7|B-Instruct'), 'file:///x/isvc.yaml');
    assert.match(accept(r.text, byLabel(r.items, 'Qwen/Qwen2.5-14B-Instruct')), /\n {8}- --model_id=Qwen\/Qwen2\.5-14B-Instruct\n/);
  });

  it('model items state parameters, context length and KV bytes per token (the estimator\'s own numbers)', () => {
    const r = complete('model: meta-llama/Llama-3.1-8|\n');
    const item = byLabel(r.items, 'meta-llama/Llama-3.1-8B-Instruct')!;
    assert.equal(item.detail, '8.0 B params · 131072 context · 128 KiB KV/token');
    const est = analyze('file:///x/a.yaml', 'model: meta-llama/Llama-3.1-8B-Instruct\n').workloads[0].estimate!;
    assert.equal(est.model.kvBytesPerToken, 128 * 1024);
    assert.match(String((item.documentation as { value: string }).value), /131072 tokens/);
    const moe = byLabel(r.items, 'Qwen/Qwen3-30B-A3B')!;
    assert.match(moe.detail ?? '', /^30\.5 B params \(3\.\d B active\) · 40960 context · 96 KiB KV\/token$/);
    // Every catalog model has its facts (none falls back to a bare "built-in catalog").
    assert.deepEqual(r.items.filter((i) => !/params/.test(i.detail ?? '')).map((i) => i.label), []);
  });
});

describe('GPU names, enum values and keys replace the whole value too', () => {
  it('a profile\'s hardware.gpu and the directive\'s gpu= (only its own word)', () => {
    const prof = complete(fs.readFileSync(fixture('profile', 'chat.deploy.yaml'), 'utf8').replace('gpu: H100-SXM', 'gpu: H1|00-SXM'), 'file:///x/chat.deploy.yaml');
    assert.match(accept(prof.text, byLabel(prof.items, 'H200')), /\n {2}gpu: H200\n/);
    const dir = complete('# deploy-advisor: gpu=H1|00-SXM count=2\nmodel: meta-llama/Llama-3.1-8B-Instruct\n');
    const item = byLabel(dir.items, 'H200')!;
    assert.equal(item.filterText, 'H200');
    assert.equal(lineOf(accept(dir.text, item), 0), '# deploy-advisor: gpu=H200 count=2');
  });

  it('enum values of a YAML key, quoted or not, and booleans', () => {
    const r = complete('model: meta-llama/Llama-3.1-8B-Instruct\nkv-cache-dtype: f|p\n');
    assert.equal(lineOf(accept(r.text, byLabel(r.items, 'fp8')), 1), 'kv-cache-dtype: fp8');
    const q = complete('model: meta-llama/Llama-3.1-8B-Instruct\nkv-cache-dtype: "au|"\n');
    assert.equal(lineOf(accept(q.text, byLabel(q.items, 'fp8')), 1), 'kv-cache-dtype: "fp8"');
    const b = complete('model: meta-llama/Llama-3.1-8B-Instruct\nenable-prefix-caching: tr|\n');
    assert.equal(lineOf(accept(b.text, byLabel(b.items, 'false')), 1), 'enable-prefix-caching: false');
  });

  it('keys replace the word being typed and write `: ` only where the line has no colon yet', () => {
    const r = complete('model: meta-llama/Llama-3.1-8B-Instruct\nmax-num|\n');
    assert.equal(lineOf(accept(r.text, byLabel(r.items, 'max-num-seqs')), 1), 'max-num-seqs: ');
    const c = complete('model: meta-llama/Llama-3.1-8B-Instruct\nmax-n|um-sqs: 64\n');
    assert.equal(lineOf(accept(c.text, byLabel(c.items, 'max-num-seqs')), 1), 'max-num-seqs: 64');
    const flag = complete(k8sWith('- "--max-n|um"'));
    assert.match(accept(flag.text, byLabel(flag.items, '--max-num-seqs')), /\n {12}- "--max-num-seqs"\n/);
  });

  it('in a multi-document file, flags come from the engine of the workload at the cursor', () => {
    const vllm = k8sWith('- "--enable-prefix-caching"');
    const sglang = fs.readFileSync(fixture('kubernetes', 'sglang-statefulset.yaml'), 'utf8');
    const atSglang = complete(`${vllm}---\n${sglang.replace('- --host', '- --chunked-pre|')}`, 'file:///x/two.yaml');
    assert.ok(byLabel(atSglang.items, '--chunked-prefill-size'), atSglang.items.slice(0, 5).map((i) => i.label).join(', '));
    const atVllm = complete(`${k8sWith('- "--max-num-bat|"')}---\n${sglang}`, 'file:///x/two.yaml');
    assert.ok(byLabel(atVllm.items, '--max-num-batched-tokens') && !byLabel(atVllm.items, '--chunked-prefill-size'));
  });

  function k8sWith(item: string): string {
    return fs.readFileSync(fixture('kubernetes', 'vllm-deployment-args-list.yaml'), 'utf8').replace('- "--enable-prefix-caching"', item);
  }
});

describe('an empty YAML file offers snippets of the files Deploy Advisor reads', () => {
  it('four snippets (vLLM, Kubernetes Deployment, SGLang, profile), as LSP snippets over the typed word; none in JSON', () => {
    for (const src of ['|', '\n|\n', '# notes\n|', 'vll|', '  k8s|']) {
      const r = complete(src, 'untitled:Untitled-1');
      assert.deepEqual(r.items.map((i) => i.kind), [CompletionItemKind.Snippet, CompletionItemKind.Snippet, CompletionItemKind.Snippet, CompletionItemKind.Snippet], src);
      for (const i of r.items) {
        assert.equal(i.insertTextFormat, InsertTextFormat.Snippet);
        const e = i.textEdit as TextEdit;
        assert.deepEqual(e.range.end, { line: r.line, character: r.character });
        assert.equal(e.range.start.character, r.text.split('\n')[r.line].length - r.text.split('\n')[r.line].trimStart().length);
      }
    }
    assert.match(complete('|').items.map((i) => i.label).join(' | '), /vLLM config.*Kubernetes Deployment running vLLM.*SGLang config.*Deploy Advisor profile/);
    assert.deepEqual(complete('|', 'file:///x/config.json', 'json').items, []);
    assert.ok(!complete('model: x\n|').items.some((i) => i.kind === CompletionItemKind.Snippet));
  });

  for (const s of FILE_SNIPPETS) {
    it(`${s.label}: expanded with its defaults, it reads as ${s.format} and estimates without an error finding`, () => {
      const text = expandSnippet(s.body);
      assert.doesNotMatch(text, /\$\{?\d/, 'every tab stop expanded');
      for (const uri of ['file:///x/new.yaml', 'untitled:Untitled-1']) {
        const read = readText(uri, text);
        assert.equal(read.format, s.format, uri);
        assert.deepEqual(read.problems.filter((p) => p.severity === 'error'), [], uri);
        const a = analyze(uri, text);
        assert.equal(a.workloads.length, 1);
        assert.ok(a.workloads[0].estimate, JSON.stringify(a.workloads[0].failure));
        assert.ok(a.workloads[0].estimate.memory.fits);
        assert.deepEqual(a.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`), [], uri);
        assert.deepEqual(a.findings.filter((f) => f.rule === 'unknown-gpu' || f.rule === 'unknown-key' || f.rule === 'unknown-model'), []);
      }
      // Every choice of every choice stop reads and fits too (a user may pick any of them).
      for (const m of s.body.matchAll(/\$\{(\d+)\|([^}]*)\|\}/g)) {
        for (const choice of m[2].split(',')) {
          const chosen = expandSnippet(s.body.replace(m[0], choice));
          const a = analyze('file:///x/new.yaml', chosen);
          assert.equal(a.format, s.format, choice);
          assert.ok(a.workloads[0]?.estimate?.memory.fits, `${choice}: ${JSON.stringify(a.workloads[0]?.failure)}`);
          assert.deepEqual(a.findings.filter((f) => f.severity === 'error' || f.rule === 'unknown-gpu' || f.rule === 'unknown-key').map((f) => `${choice}: ${f.rule}: ${f.message}`), []);
        }
      }
    });
  }

  it('the Kubernetes snippet is what kubectl takes: container args are strings, the GPU limit mirrors the TP size, a GPU node selector', () => {
    const s = FILE_SNIPPETS.find((x) => x.format === 'kubernetes')!;
    const text = expandSnippet(s.body);
    const { parse } = require('yaml') as typeof import('yaml');
    const d = parse(text);
    const c = d.spec.template.spec.containers[0];
    assert.ok(c.args.every((x: unknown) => typeof x === 'string'), JSON.stringify(c.args));
    assert.ok(c.command.every((x: unknown) => typeof x === 'string'));
    assert.equal(c.resources.limits['nvidia.com/gpu'], c.args[c.args.indexOf('--tensor-parallel-size') + 1]);
    assert.equal(d.spec.selector.matchLabels.app, d.spec.template.metadata.labels.app);
    assert.ok(d.spec.template.spec.nodeSelector['nvidia.com/gpu.product']);
    const a = analyze('file:///x/deploy.yaml', text);
    assert.equal(a.workloads[0].plan.hardware.gpu.source.kind, 'file', 'the GPU comes from the node selector, not a default');
  });
});

describe('completion never throws', () => {
  it('at every line of every fixture (start, middle, end, past the end) and outside the document', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = `${dir}/${e.name}`;
        if (e.isDirectory()) walk(p);
        else if (/\.(ya?ml|json)$/.test(e.name)) files.push(p);
      }
    };
    walk(fixture());
    assert.ok(files.length >= 30, `${files.length} fixtures`);
    let answered = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const a = analyze(`file://${f}`, text);
      const lines = text.split('\n');
      for (let line = 0; line <= lines.length + 1; line++) {
        const len = lines[line]?.length ?? 0;
        for (const character of [0, Math.floor(len / 2), len, len + 5]) {
          const items = completion(text, { line, character }, a, { languageId: f.endsWith('.json') ? 'json' : 'yaml' });
          for (const i of items) {
            const e = i.textEdit as TextEdit | undefined;
            if (e) assert.ok(e.range.start.line === line && e.range.end.line === line && e.range.start.character <= Math.min(character, len) && Math.min(character, len) <= e.range.end.character, `${f}:${line}:${character} ${i.label}`);
          }
          answered += items.length ? 1 : 0;
        }
      }
    }
    assert.ok(answered > 100, `only ${answered} positions got items`);
  });
});
