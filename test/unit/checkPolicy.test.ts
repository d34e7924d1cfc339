/**
 * Suppression comments and .deploy-advisor.yaml (issue 21 item 2), below the CLI: what a comment suppresses, when it
 * is unused, that it never collides with the `# deploy-advisor:` directive, and what the config file accepts.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findDirective } from '../../server/src/formats/directive';
import { analyze } from '../../server/src/pipeline';
import { analyzeWithPolicy } from '../../server/src/policy/analyze';
import { applySeverities, parseRepoConfig } from '../../server/src/policy/repoConfig';
import { applySuppressions, findSuppressions } from '../../server/src/policy/suppressions';
import type { Finding } from '../../server/src/rules/types';
import { RepoConfigStore } from '../../server/src/node/repoConfig';
import { readText } from '../../server/src/formats';

const at = (line: number, rule: string, severity: Finding['severity'] = 'warning'): Finding => ({ rule, severity, message: rule, range: { start: { line, character: 2 }, end: { line, character: 9 } } });

describe('suppression comments', () => {
  it('disable-next-line suppresses the named rules on the next line only; disable suppresses to the end of the file', () => {
    const text = ['a: 1', '# deploy-advisor-disable-next-line kv-cache-dtype, slo-miss -- accepted by the team', 'b: 2', 'c: 3', '  # deploy-advisor-disable prefix-caching-off', 'd: 4', 'e: 5'].join('\n');
    const s = findSuppressions(text);
    assert.deepEqual(s.map((x) => [x.kind, x.line, x.rules.map((r) => r.code)]), [['next-line', 1, ['kv-cache-dtype', 'slo-miss']], ['rest-of-file', 4, ['prefix-caching-off']]]);
    // The rule code's own range, for the unused-suppression finding to point at.
    assert.equal(text.split('\n')[1].slice(s[0].rules[1].range.start.character, s[0].rules[1].range.end.character), 'slo-miss');
    const findings = [at(2, 'kv-cache-dtype'), at(2, 'slo-miss'), at(3, 'kv-cache-dtype'), at(0, 'prefix-caching-off'), at(5, 'prefix-caching-off'), at(6, 'prefix-caching-off'), at(2, 'does-not-fit', 'error')];
    const kept = applySuppressions(findings, s);
    assert.deepEqual(kept.map((f) => `${f.rule}@${f.range.start.line}`), ['kv-cache-dtype@3', 'prefix-caching-off@0', 'does-not-fit@2']);
  });

  it('a comment that suppresses nothing is an info finding (unused-suppression) at the rule it names; one naming no rule too', () => {
    const text = 'model: x\n# deploy-advisor-disable-next-line kv-cache-dtyp\nkv_cache_dtype: auto\n# deploy-advisor-disable\n';
    const out = applySuppressions([at(2, 'kv-cache-dtype', 'info')], findSuppressions(text));
    assert.deepEqual(out.map((f) => [f.rule, f.severity, f.range.start.line, f.range.start.character]), [['kv-cache-dtype', 'info', 2, 2], ['unused-suppression', 'info', 1, 35], ['unused-suppression', 'info', 3, 2]]);
    assert.match(out[1].message, /no kv-cache-dtyp finding on the next line/);
    assert.match(out[2].message, /names no rule/);
    // An unused suppression can itself be suppressed.
    const quiet = applySuppressions([], findSuppressions('# deploy-advisor-disable unused-suppression\n# deploy-advisor-disable-next-line slo-miss\nx: 1\n'));
    assert.deepEqual(quiet, [], 'the unused slo-miss suppression is itself suppressed');
  });

  it('never collides with the # deploy-advisor: directive, in either direction; // works where comments do (JSONC)', () => {
    const text = '# deploy-advisor-disable-next-line slo-miss\n# deploy-advisor: gpu=H200 concurrency=8\nmodel: x\n';
    assert.deepEqual([...findDirective(text)!.values.keys()], ['gpu', 'concurrency']);
    assert.deepEqual(findSuppressions(text).map((s) => s.rules.map((r) => r.code)), [['slo-miss']]);
    assert.equal(findDirective('# deploy-advisor-disable slo-miss\nmodel: x\n'), undefined);
    assert.deepEqual(findSuppressions('# deploy-advisor: gpu=H200\n# deploy-advisor-disabled x\n'), []);
    assert.equal(findSuppressions('{\n  // deploy-advisor-disable-next-line kv-cache-dtype\n  "a": 1\n}').length, 1);
  });

  it('in a real file: the finding goes, the analysis stays (estimates untouched)', () => {
    const text = 'model: meta-llama/Llama-3.1-8B-Instruct\nmax_model_len: 8192\ngpu_memory_utilization: 0.99\n';
    const plain = analyze('file:///w/chat.vllm.yaml', text);
    assert.ok(plain.findings.some((f) => f.rule === 'utilization-headroom' && f.range.start.line === 2), JSON.stringify(plain.findings.map((f) => f.rule)));
    const quiet = analyzeWithPolicy('file:///w/chat.vllm.yaml', text.replace('gpu_memory', '# deploy-advisor-disable-next-line utilization-headroom\ngpu_memory'), {}, undefined);
    assert.ok(!quiet.findings.some((f) => f.rule === 'utilization-headroom' || f.rule === 'unused-suppression'));
    assert.equal(quiet.workloads[0].estimate!.memory.kvCapacityTokens, plain.workloads[0].estimate!.memory.kvCapacityTokens);
  });
});

describe('.deploy-advisor.yaml', () => {
  const good = 'rules:\n  slo-miss: error\n  oversized-pool: off\ngpu: H200\ngpuCount: 2\nworkload:\n  inputLen: 2000\n  concurrency: max\nslo:\n  tpotMs: 40\nengineVersions:\n  vllm: "0.10.1"\nignore:\n  - legacy/**\n';

  it('a valid file parses; severities replace, off drops', () => {
    const c = parseRepoConfig('/r/.deploy-advisor.yaml', good);
    assert.deepEqual(c.problems, []);
    assert.equal(c.config.gpu, 'H200');
    const out = applySeverities([at(1, 'slo-miss'), at(2, 'oversized-pool', 'info'), at(3, 'kv-cache-dtype', 'info')], c.config.rules);
    assert.deepEqual(out.map((f) => [f.rule, f.severity]), [['slo-miss', 'error'], ['kv-cache-dtype', 'info']]);
  });

  it('the schema rejects what it does not know, saying where (and the invalid file is applied not at all)', () => {
    for (const [text, re] of [['rules:\n  slo-miss: loud\n', /\/rules\/slo-miss.*(off, error, warning, info)/], ['gpus: H200\n', /additional properties/], ['workload:\n  inputLen: -3\n', /\/workload\/inputLen/], ['engineVersions:\n  vllm: latest\n', /\/engineVersions\/vllm/], ['rules: [\n', /not valid YAML/]] as const) {
      const c = parseRepoConfig('/r/.deploy-advisor.yaml', text);
      assert.ok(c.problems.some((p) => re.test(p)), `${text}: ${c.problems.join('; ')}`);
      assert.deepEqual(c.config, {});
    }
  });

  it('is read as a document of its own: no workload; a rule code no rule has is a warning on the key, a near miss with the rename', () => {
    assert.deepEqual(readText('file:///r/.deploy-advisor.yaml', good), { format: 'deploy-advisor-config', plans: [], problems: [] });
    const text = '# team defaults\nrules:\n  kv-cache-dtpye: off   # typo\n  zzzz-nothing: info\n  does-not-fit: warning\n';
    const r = readText('file:///r/.deploy-advisor.yaml', text);
    assert.deepEqual(r.plans, []);
    assert.deepEqual(r.problems.map((p) => [p.code, p.severity, p.range.start.line, p.range.start.character, p.range.end.character]), [['unknown-rule', 'warning', 2, 2, 16], ['unknown-rule', 'warning', 3, 2, 14]]);
    assert.match(r.problems[0].message, /No rule has the code kv-cache-dtpye.*Did you mean kv-cache-dtype\?/);
    assert.deepEqual(r.problems[0].rename, { range: r.problems[0].range, from: 'kv-cache-dtpye', to: 'kv-cache-dtype' });
    assert.equal(r.problems[1].rename, undefined);
    // The rule still parses and applies what it can: the typo is the only thing that does nothing.
    assert.deepEqual(parseRepoConfig('/r/.deploy-advisor.yaml', text).problems, []);
  });

  it('its schema errors land on the offending node', () => {
    const r = readText('file:///r/.deploy-advisor.yml', 'gpu: H200\nworkload:\n  inputLen: -3\n');
    assert.deepEqual(r.problems.map((p) => [p.code, p.range.start.line, p.range.start.character]), [['schema', 2, 12]]);
    assert.match(r.problems[0].message, /^\/workload\/inputLen must be >= 1/);
  });

  it('its defaults sit below the file: a file that names its GPU keeps it; one that does not takes the config\'s; engine versions per engine', () => {
    const c = parseRepoConfig('/r/.deploy-advisor.yaml', good);
    const silent = analyzeWithPolicy('file:///r/a.vllm.yaml', 'model: meta-llama/Llama-3.1-8B-Instruct\nmax_model_len: 8192\n', {}, undefined, c);
    assert.equal(silent.workloads[0].plan.hardware.gpu.value, 'H200');
    assert.equal(silent.workloads[0].plan.engine.version?.value, '0.10.1');
    assert.equal(silent.workloads[0].plan.workload.inputLen.value, 2000);
    const stated = analyzeWithPolicy('file:///r/b.vllm.yaml', '# deploy-advisor: gpu=L40S input-len=100\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax_model_len: 8192\n', {}, undefined, c);
    assert.equal(stated.workloads[0].plan.hardware.gpu.value, 'L40S');
    assert.equal(stated.workloads[0].plan.workload.inputLen.value, 100);
  });

  it('is found walking up from the file, no higher than the repository (.git) or a given root; cached until clear()', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-cfg-'));
    fs.mkdirSync(path.join(dir, 'repo', '.git'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'repo', 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.deploy-advisor.yaml'), 'gpu: A100-80GB\n'); // above the repository: never used
    const store = new RepoConfigStore();
    assert.equal(store.forFile(path.join(dir, 'repo', 'a', 'b', 'x.yaml')), undefined);
    fs.writeFileSync(path.join(dir, 'repo', '.deploy-advisor.yaml'), 'gpu: H200\n');
    assert.equal(store.forFile(path.join(dir, 'repo', 'a', 'b', 'x.yaml')), undefined, 'cached');
    store.clear();
    assert.equal(store.forFile(path.join(dir, 'repo', 'a', 'b', 'x.yaml'))?.config.gpu, 'H200');
    const rooted = new RepoConfigStore(() => [path.join(dir, 'repo', 'a')]);
    assert.equal(rooted.forFile(path.join(dir, 'repo', 'a', 'b', 'x.yaml')), undefined, 'a workspace root below the config stops the walk');
  });
});
