/**
 * `deploy-advisor check` end to end through the bundled CLI (issue 21 item 1): every format on a small repository
 * (test-fixtures/check/repo: a .gitignore, a .deploy-advisor.yaml, suppression comments, unrelated YAML and JSON),
 * exit codes, usage errors, the size cap, and SARIF validated against the 2.1.0 schema vendored in test-fixtures/check/.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { escapeData, escapeProperty } from '../../server/src/check/github';
import { applyEdits } from '../support/lspClient';
import { dist, fixture } from '../support/paths';

const repo = fixture('check', 'repo');
const check = (args: string[], cwd = repo) => spawnSync(process.execPath, [dist('cli.js'), 'check', ...args], { encoding: 'utf8', cwd });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'da-check-'));

interface JsonFinding { file: string; line: number; column: number; endLine: number; endColumn: number; rule: string; severity: string; message: string; workload?: number; fixes: Array<{ title: string; edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }> }> }

describe('check: text output, ignores, suppressions, exit status', () => {
  it('reports each finding as path:line:col, skips .gitignore\'d, ignore:-listed and unrelated files, and fails on the error', () => {
    const r = check([]);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.includes('deploy/llama-70b-one-gpu.vllm.yaml:2:8: error does-not-fit: ' + lines.find((l) => l.includes('does-not-fit'))!.split('does-not-fit: ')[1]), r.stdout);
    for (const l of lines.slice(0, -1)) assert.match(l, /^deploy\/[\w.-]+:\d+:\d+: (error|warning|info) [a-z-]+: /);
    // .gitignore (ignored/, *.rendered.yaml), ignore: (legacy/**), and the workflow/settings files say nothing.
    for (const skipped of ['ignored/', 'rendered', 'legacy/', 'ci/']) assert.ok(!r.stdout.includes(skipped), `${skipped} in\n${r.stdout}`);
    assert.match(lines.at(-1)!, /^3 of 6 files read are deployment configs; 3 workloads; 1 errors, 1 warnings, 2 infos\.$/);
  });

  it('applies the config (SLO, severities) and the comments: a suppressed finding appears nowhere, an unused one is an info', () => {
    const j = JSON.parse(check(['--format', 'json']).stdout);
    const rules = j.findings.map((f: JsonFinding) => `${f.file}:${f.line}:${f.rule}`);
    assert.ok(rules.includes('deploy/llama-70b-one-gpu.vllm.yaml:2:slo-miss'), 'the config\'s tpotMs: 60 is checked');
    assert.ok(!rules.some((x: string) => /utilization-headroom|qwen-k8s.yaml:\d+:oversized-pool/.test(x)), rules.join('\n'));
    assert.ok(rules.includes('deploy/llama-8b.vllm.yaml:6:unused-suppression'));
    // Without the comments, the suppressed findings are there (the suppressions are what removes them).
    const dir = tmp();
    fs.cpSync(repo, dir, { recursive: true });
    for (const f of ['deploy/llama-8b.vllm.yaml', 'deploy/qwen-k8s.yaml']) {
      const p = path.join(dir, f);
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/deploy-advisor-disable/g, 'note'));
    }
    const loud = JSON.parse(check(['--format', 'json'], dir).stdout).findings.map((f: JsonFinding) => `${f.file}:${f.rule}`);
    assert.ok(loud.includes('deploy/llama-8b.vllm.yaml:utilization-headroom') && loud.includes('deploy/qwen-k8s.yaml:oversized-pool'), loud.join('\n'));
    assert.ok(!loud.some((x: string) => x.endsWith('unused-suppression')));
  });

  it('--fail-on: error (default) / warning / info / never', () => {
    const one = 'deploy/llama-8b.vllm.yaml'; // info findings only
    assert.equal(check([one]).status, 0);
    assert.equal(check([one, '--fail-on', 'warning']).status, 0);
    assert.equal(check([one, '--fail-on', 'info']).status, 1);
    assert.equal(check(['--fail-on', 'never']).status, 0);
    assert.equal(check(['deploy/qwen-k8s.yaml', '--fail-on', 'info']).status, 0, 'its only finding is suppressed');
  });

  it('usage errors exit 2 with a message: bad --format / --fail-on, a missing path, an unknown flag (did you mean), an invalid config', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--format', 'xml'], /--format must be one of text, json, sarif, github, junit/],
      [['--fail-on', 'loud'], /--fail-on must be one of error, warning, info, never/],
      [['no/such/dir'], /no\/such\/dir: no such file or folder/],
      [['--fail-of', 'error'], /unknown option --fail-of \(did you mean --fail-on\?\)/],
      [['--max-gpus', '2'], /--max-gpus does not apply to check/],
      [['--concurrency', '4', '--request-rate', '2'], /not both/],
    ];
    for (const [args, re] of cases) {
      const r = check(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, re);
    }
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.deploy-advisor.yaml'), 'rules:\n  slo-miss: loud\n');
    fs.writeFileSync(path.join(dir, 'a.vllm.yaml'), 'model: meta-llama/Llama-3.1-8B-Instruct\n');
    const r = check([], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.deploy-advisor\.yaml: \/rules\/slo-miss must be equal to one of the allowed values/);
  });

  it('--output writes the report to a file (folders created), stdout stays empty; --root sets what paths are relative to', () => {
    const dir = tmp();
    const out = path.join(dir, 'reports', 'check.sarif');
    const r = check(['--format', 'sarif', '--output', out]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).version, '2.1.0');
    const rooted = check(['deploy', '--root', 'deploy', '--fail-on', 'never']);
    assert.match(rooted.stdout, /^llama-70b-one-gpu\.vllm\.yaml:2:8: error does-not-fit/m);
  });

  it('one scan, several outputs: the nth --output takes the nth --format, one may go to stdout (what a CI job wants)', () => {
    const dir = tmp();
    const sarif = path.join(dir, 'check.sarif');
    const r = check(['--format', 'sarif', '--output', sarif, '--format', 'github']);
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].results.length, 4);
    assert.match(r.stdout, /^::error file=deploy\/llama-70b-one-gpu\.vllm\.yaml,/);
    const two = check(['--format', 'json', '--format', 'github']);
    assert.equal(two.status, 2);
    assert.match(two.stderr, /only one --format can go to stdout/);
  });

  it('an unreadable file is said on stderr and skipped, not a crash', { skip: process.getuid?.() === 0 ? 'running as root: permissions do not stop reads' : false }, () => {
    const dir = tmp();
    const f = path.join(dir, 'locked.vllm.yaml');
    fs.writeFileSync(f, 'model: meta-llama/Llama-3.1-8B-Instruct\n');
    fs.chmodSync(f, 0o000);
    const r = check([], dir);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /locked\.vllm\.yaml: not read \(EACCES\)/);
  });

  it('the GPU and workload flags are defaults where a file is silent, above the config', () => {
    const slow = JSON.parse(check(['deploy/llama-8b.vllm.yaml', '--format', 'json', '--gpu', 'L4', '--concurrency', '64']).stdout);
    assert.equal(slow.workloads[0].gpu, 'L4');
    const stated = JSON.parse(check(['deploy/qwen-k8s.yaml', '--format', 'json', '--input-len', '100']).stdout);
    assert.equal(stated.workloads.length, 1);
  });
});

describe('check: bounded work and what it reads', () => {
  it('a file over the size cap is a finding when it is a serving config, and skipped silently when not', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'huge.vllm.yaml'), `model: meta-llama/Llama-3.1-8B-Instruct\n${'# padding\n'.repeat(600_000)}`);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), `{"vocab": "${'x'.repeat(6 * 2 ** 20)}"}`);
    const r = check(['--format', 'json'], dir);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.findings.map((f: JsonFinding) => [f.file, f.rule, f.line]), [['huge.vllm.yaml', 'syntax', 1]]);
    assert.match(j.findings[0].message, /only reads files up to 5 MiB/);
    assert.equal(r.status, 1);
  });

  it('.gitignore at every level (negations too) and from above the start up to the repository root; an explicit path is read anyway', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, 'apps', 'gen'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
    const bad = 'model: meta-llama/Llama-3.1-70B-Instruct\ntensor_parallel_size: 1\nmax_model_len: 8192\n';
    fs.writeFileSync(path.join(dir, '.gitignore'), 'apps/gen/\n*.tmp.yaml\n');
    fs.writeFileSync(path.join(dir, 'apps', '.gitignore'), '*.vllm.yaml\n!keep.vllm.yaml\n');
    for (const f of ['apps/gen/a.vllm.yaml', 'apps/x.tmp.yaml', 'apps/drop.vllm.yaml', 'apps/keep.vllm.yaml', 'node_modules/pkg/b.vllm.yaml', 'top.vllm.yaml']) fs.writeFileSync(path.join(dir, f), bad);
    const files = (args: string[], cwd = dir) => [...new Set(JSON.parse(check([...args, '--format', 'json'], cwd).stdout).findings.map((f: JsonFinding) => f.file))];
    assert.deepEqual(files([]), ['apps/keep.vllm.yaml', 'top.vllm.yaml']);
    // Started inside apps/, the repository root's .gitignore still applies.
    assert.deepEqual(files(['.', '--root', '.'], path.join(dir, 'apps')), ['keep.vllm.yaml']);
    assert.deepEqual(files(['apps/drop.vllm.yaml']), ['apps/drop.vllm.yaml']);
  });

  it('a Kubernetes ConfigMap, a GitHub workflow, an Ansible playbook and a truncated unrelated JSON give nothing', () => {
    const dir = tmp();
    for (const f of fs.readdirSync(fixture('not-ours'))) fs.copyFileSync(fixture('not-ours', f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'data.json'), '{"rows": [1, 2,');
    const r = check([], dir);
    assert.equal(r.status, 0);
    assert.match(r.stdout.trim(), /^0 of 4 files read are deployment configs; 0 workloads; 0 errors, 0 warnings, 0 infos\.$/);
  });
});

describe('check --format sarif', () => {
  // The SARIF 2.1.0 (rtm.5) JSON Schema verbatim, a draft-04 schema, as published in schemastore and shipped in
  // @microsoft/sarif-matcher-utils 1.0.0-beta.0 (MIT): formats (uri, uri-reference, date-time) checked too. Its language
  // pattern has a stray `]` that a unicode RegExp rejects, hence unicodeRegExp off.
  const schema = JSON.parse(fs.readFileSync(fixture('check', 'sarif-schema-2.1.0.json'), 'utf8'));
  const validate = addFormats(new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false })).compile(schema);
  const sarif = JSON.parse(check(['--format', 'sarif']).stdout);

  it('validates against the SARIF 2.1.0 schema (and the schema does reject a broken log)', () => {
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    const broken = JSON.parse(JSON.stringify(sarif));
    delete broken.runs[0].tool.driver.name;
    broken.runs[0].results[0].level = 'fatal';
    assert.equal(validate(broken), false);
    assert.ok(validate.errors!.some((e) => e.instancePath === '/runs/0/tool/driver') && validate.errors!.some((e) => e.instancePath === '/runs/0/results/0/level'));
  });

  it('tool.driver names the tool, one rules[] entry per code with descriptions, default level and evidence in the help', () => {
    const d = sarif.runs[0].tool.driver;
    assert.equal(d.name, 'deploy-advisor');
    assert.match(d.version, /^\d+\.\d+\.\d+/);
    assert.match(d.informationUri, /^https:\/\//);
    const ids = d.rules.map((r: { id: string }) => r.id);
    assert.deepEqual(ids, [...new Set(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId))].sort());
    const fit = d.rules.find((r: { id: string }) => r.id === 'does-not-fit');
    assert.equal(fit.defaultConfiguration.level, 'error');
    assert.ok(fit.shortDescription.text && fit.fullDescription.text);
    assert.match(fit.help.text, /Evidence: .*“/);
    for (const res of sarif.runs[0].results) assert.equal(ids[res.ruleIndex], res.ruleId);
  });

  it('results point at the offending value, relative to %SRCROOT%, and carry the quick fixes\' edits', () => {
    const run = sarif.runs[0];
    assert.equal(run.originalUriBaseIds.SRCROOT.uri, `file://${repo}/`);
    const fit = run.results.find((r: { ruleId: string }) => r.ruleId === 'does-not-fit');
    assert.equal(fit.level, 'error');
    const loc = fit.locations[0].physicalLocation;
    assert.deepEqual(loc.artifactLocation, { uri: 'deploy/llama-70b-one-gpu.vllm.yaml', uriBaseId: 'SRCROOT' });
    const text = fs.readFileSync(path.join(repo, 'deploy', 'llama-70b-one-gpu.vllm.yaml'), 'utf8');
    const line = text.split('\n')[loc.region.startLine - 1];
    assert.equal(line.slice(loc.region.startColumn - 1, loc.region.endColumn - 1), 'meta-llama/Llama-3.1-70B-Instruct');
    assert.ok(fit.fixes.length >= 1);
    // Applying a fix's replacements gives the file with the change (here: TP 2 or FP8 written as the file spells keys).
    const fixed = fit.fixes.map((f: { artifactChanges: Array<{ replacements: Array<{ deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number }; insertedContent: { text: string } }> }> }) => applyEdits(text, f.artifactChanges[0].replacements.map((x) => ({
      range: { start: { line: x.deletedRegion.startLine - 1, character: x.deletedRegion.startColumn - 1 }, end: { line: x.deletedRegion.endLine - 1, character: x.deletedRegion.endColumn - 1 } }, newText: x.insertedContent.text,
    }))));
    assert.ok(fixed.some((t: string) => /^tensor_parallel_size: 2$/m.test(t)), fixed.join('\n---\n'));
    assert.ok(fixed.some((t: string) => /^quantization: fp8$/m.test(t)), fixed.join('\n---\n'));
    assert.equal(run.results.filter((r: { level: string }) => r.level === 'note').length, 2);
  });
});

describe('check --format github / junit / json', () => {
  it('github: one workflow command per finding, error/warning/notice, properties and data escaped as the toolkit does', () => {
    const lines = check(['--format', 'github']).stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0], /^::error file=deploy\/llama-70b-one-gpu\.vllm\.yaml,line=2,col=8,endLine=2,endColumn=41,title=does-not-fit::The model does not fit: .*%0AEvidence: /);
    assert.match(lines[1], /^::warning file=.*title=slo-miss::/);
    assert.match(lines[3], /^::notice file=deploy\/llama-8b\.vllm\.yaml,line=6,col=36,.*title=unused-suppression::/);
    assert.equal(escapeProperty('a,b:c%d\r\ne'), 'a%2Cb%3Ac%25d%0D%0Ae');
    assert.equal(escapeData('50% of a: b, c\nnext'), '50%25 of a: b, c%0Anext');
  });

  it('junit: a test case per workload, failed when a finding is at or above --fail-on', () => {
    const xml = check(['--format', 'junit']).stdout;
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="deploy-advisor check" tests="3" failures="1" errors="0">/);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
    assert.match(xml, /<testcase classname="deploy\/llama-70b-one-gpu\.vllm\.yaml" name="meta-llama\/Llama-3\.1-70B-Instruct">\n\s*<failure type="does-not-fit" message="1 finding at or above error: does-not-fit: /);
    assert.match(xml, /<testcase classname="deploy\/qwen-k8s\.yaml" name="qwen-chat \(Qwen\/Qwen2\.5-7B-Instruct\)"\/>/);
    assert.equal((xml.match(/<testsuite /g) ?? []).length, (xml.match(/<\/testsuite>/g) ?? []).length);
    const strict = check(['--format', 'junit', '--fail-on', 'info']).stdout;
    assert.match(strict, /tests="3" failures="2"/);
    assert.match(check(['--format', 'junit', '--fail-on', 'never']).stdout, /tests="3" failures="0"/);
  });

  it('json: the workloads as the Deployments view summarises them, totals, and each finding with its workload', () => {
    const j = JSON.parse(check(['--format', 'json']).stdout);
    assert.deepEqual(j.files, { read: 6, recognised: 3 });
    assert.deepEqual(j.workloads.map((w: { file: string; verdict: string; gpu: string }) => [w.file, w.verdict, w.gpu]), [
      ['deploy/llama-70b-one-gpu.vllm.yaml', 'does-not-fit', 'H100-SXM'], ['deploy/llama-8b.vllm.yaml', 'fits', 'H100-SXM'], ['deploy/qwen-k8s.yaml', 'fits', 'H100-SXM'],
    ]);
    assert.equal(j.totals.workloads, 3);
    assert.equal(j.totals.gpus, 4, 'Qwen runs 2 replicas');
    assert.ok(Math.abs(j.totals.pricePerMonth - j.totals.pricePerHour * 730) < 1e-6);
    assert.deepEqual(j.counts, { error: 1, warning: 1, info: 2 });
    const fit = j.findings.find((f: JsonFinding) => f.rule === 'does-not-fit');
    assert.equal(j.workloads[fit.workload].file, fit.file);
    assert.deepEqual([fit.line, fit.column, fit.endLine, fit.endColumn], [2, 8, 2, 41]);
    assert.ok(fit.fixes[0].title && fit.fixes[0].edits.length);
    assert.equal(j.findings.find((f: JsonFinding) => f.rule === 'unused-suppression').workload, undefined);
  });
});

describe('CLI commands declared once: --help and did-you-mean from the declarations', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [dist('cli.js'), ...args], { encoding: 'utf8' });

  it('each command has its own --help listing its options (and exit status)', () => {
    for (const [cmd, flags] of [['check', ['--format', '--fail-on', '--output', '--gpu', '--input-len']], ['estimate', ['--gpu', '--kv-cache-dtype', '--json', '--benchmark']], ['optimize', ['--max-gpus', '--gpus GPU1,GPU2']], ['report', ['--html OUT']], ['evidence', ['--json']]] as const) {
      const r = cli(cmd, '--help');
      assert.equal(r.status, 0, cmd);
      assert.match(r.stdout, new RegExp(`^Usage: deploy-advisor ${cmd}`));
      for (const f of flags) assert.ok(r.stdout.includes(f), `${cmd} --help lacks ${f}`);
    }
    assert.ok(!cli('optimize', '--help').stdout.includes('--kv-cache-dtype'));
    assert.match(cli('--help').stdout, /deploy-advisor check \[PATH\.\.\.\]/);
  });

  it('an unknown command or a flag of another command says so, exit 2', () => {
    const r = cli('estimat', 'x');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command "estimat" \(did you mean estimate\?\)/);
    assert.match(cli('estimate', 'meta-llama/Llama-3.1-8B-Instruct', '--html', 'x.html').stderr, /--html does not apply to estimate/);
    assert.match(cli('optimize', 'meta-llama/Llama-3.1-8B-Instruct', '--kv-cache-dtype', 'fp8').stderr, /--kv-cache-dtype does not apply to optimize/);
    assert.equal(cli('--version').stdout.trim(), JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')).version);
  });
});
