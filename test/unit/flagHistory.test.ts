/**
 * Flag hygiene by version (issue 20 item 4): every flag of catalog/flagHistory.ts is flagged exactly in the releases
 * where its engine changed it — nothing before, `flag-deprecated` (a warning) while it is still accepted, `flag-removed`
 * once the release drops it — read from a real launch (a Deployment whose image tag names the release); and the fixes
 * rewrite the option in the file's own syntax (args lists, shell strings, YAML config files, environment variables) so
 * that the rewritten file reads back clean for that release.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { flagHistory, flagState, releaseOf } from '../../server/src/catalog/flagHistory';
import { planEdits } from '../../server/src/edits/apply';
import { analyze, Analysis } from '../../server/src/pipeline';
import type { Finding } from '../../server/src/rules/types';
import { applyEdits } from '../support/lspClient';
import { syntaxErrors } from '../support/applyChecks';

/**
 * The releases each change happened in, as the sources say — written here independently of the table, so that a table
 * edit that drifts from its source fails. [engine, flag, last release before any change, first deprecated release
 * (or null), first removed release (or null)].
 */
const CHANGES: Array<[string, string, string, string | null, string | null]> = [
  // docs.vllm.ai v0.10.0 (`--task`) vs v0.10.1 (`--runner`, `--convert`); no --task in arg_utils.py @a78dc92f (≈ v0.13).
  ['vllm', 'task', '0.10.0', '0.10.1', '0.13.0'],
  // The flat speculative flags: parsed by v0.8-era builds at the latest, none in v0.9's dataclass parser.
  ['vllm', 'speculative-model', '0.8.5', null, '0.9.0'],
  ['vllm', 'num-speculative-tokens', '0.8.5', null, '0.9.0'],
  ['vllm', 'speculative-draft-tensor-parallel-size', '0.8.5', null, '0.9.0'],
  ['vllm', 'speculative-max-model-len', '0.8.5', null, '0.9.0'],
  ['vllm', 'ngram-prompt-lookup-max', '0.8.5', null, '0.9.0'],
  ['vllm', 'ngram-prompt-lookup-min', '0.8.5', null, '0.9.0'],
  // V1 the default from v0.8.0 (RFC #18571); V0 removed in v0.11.0 (release notes v0.11.0).
  ['vllm', 'preemption-mode', '0.7.3', '0.8.0', '0.11.0'],
  ['vllm', 'num-scheduler-steps', '0.7.3', '0.8.0', '0.11.0'],
  ['vllm', 'multi-step-stream-outputs', '0.7.3', '0.8.0', '0.11.0'],
  ['vllm', 'num-lookahead-slots', '0.7.3', '0.8.0', '0.11.0'],
  // Block manager v2 the only one from v0.6.2.
  ['vllm', 'use-v2-block-manager', '0.6.1', '0.6.2', '0.11.0'],
  // Only V0 swapped; still parsed at ≈ v0.13 (no removal known).
  ['vllm', 'swap-space', '0.10.2', '0.11.0', null],
  // docs.vllm.ai v0.10.1 engine args: "[DEPRECATED] Prompt adapter has been removed".
  ['vllm', 'enable-prompt-adapter', '0.10.0', '0.10.1', null],
  // config/lora.py @01230b40: "will be removed in v0.12.0".
  ['vllm', 'lora-extra-vocab-size', '0.10.2', '0.11.0', '0.12.0'],
  // Deprecated mid-2025 (triton-inference-server/tutorials#142 drops it in Sep 2025); v0.11.0 by the latest.
  ['vllm', 'disable-log-requests', '0.10.2', '0.11.0', null],
  // SGLang server_args deprecation texts (serving-features.md §7.2).
  ['sglang', 'enable-ep-moe', '0.4.9', '0.5.0', null],
  ['sglang', 'enable-deepep-moe', '0.4.9', '0.5.0', null],
  // TGI launcher main.rs: max_input_length is the "Legacy version of [`Args::max_input_tokens`]" (2.0.0).
  ['tgi', 'max-input-length', '1.4.5', '2.0.0', null],
];

/** A value the flag takes in a launch (a switch takes none). */
const SAMPLE: Record<string, string | undefined> = {
  task: 'embed', 'speculative-model': 'meta-llama/Llama-3.2-1B-Instruct', 'num-speculative-tokens': '5', 'speculative-draft-tensor-parallel-size': '1',
  'speculative-max-model-len': '4096', 'ngram-prompt-lookup-max': '4', 'ngram-prompt-lookup-min': '1', 'preemption-mode': 'swap', 'num-scheduler-steps': '8',
  'num-lookahead-slots': '4', 'swap-space': '16', 'lora-extra-vocab-size': '256', 'max-input-length': '4096',
};

const IMAGES: Record<string, string> = { vllm: 'vllm/vllm-openai:v', sglang: 'lmsysorg/sglang:v', tgi: 'ghcr.io/huggingface/text-generation-inference:' };
const LAUNCH: Record<string, string[]> = {
  vllm: ['vllm', 'serve', 'meta-llama/Llama-3.1-8B-Instruct', '--max-model-len', '8192'],
  sglang: ['python3', '-m', 'sglang.launch_server', '--model-path', 'meta-llama/Llama-3.1-8B-Instruct', '--tp-size', '1'],
  tgi: ['text-generation-launcher', '--model-id', 'meta-llama/Llama-3.1-8B-Instruct', '--max-total-tokens', '8192'],
};

/** A Deployment that runs `engine` at `version` with `--flag [value]` on its command line. */
function deployment(engine: string, version: string, flag: string): string {
  const args = [...LAUNCH[engine], `--${flag}`, ...(SAMPLE[flag] !== undefined ? [SAMPLE[flag]!] : [])];
  return [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: flags', 'spec:', '  template:', '    spec:',
    '      nodeSelector:', '        nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3', '      containers:', '        - name: server',
    `          image: ${IMAGES[engine]}${version}`, '          args:', ...args.map((a) => `            - "${a}"`),
    '          resources:', '            limits:', '              nvidia.com/gpu: "1"', '',
  ].join('\n');
}

const flagFindings = (a: Analysis) => a.findings.filter((f) => f.rule === 'flag-deprecated' || f.rule === 'flag-removed');

/** The release just before `v` in this test's terms: the last release of the previous minor line, or the previous patch. */
function justBefore(v: string): string {
  const [maj, min, patch] = releaseOf(v)!;
  return patch > 0 ? `${maj}.${min}.${patch - 1}` : min > 0 ? `${maj}.${min - 1}.9` : `${maj - 1}.9.9`;
}

describe('flag history: each change flagged exactly in its releases', () => {
  it('the table lists exactly the changes above, with their releases', () => {
    assert.deepEqual(
      flagHistory.map((c) => [c.engine, c.flag, c.deprecatedIn ?? null, c.removedIn ?? null]).sort(),
      CHANGES.map(([e, f, , d, r]) => [e, f, d, r]).sort(),
    );
  });

  for (const [engine, flag, before, deprecated, removed] of CHANGES) {
    it(`${engine} --${flag}: nothing at ${before}${deprecated ? `, a warning from ${deprecated}` : ''}${removed ? `, removed from ${removed}` : ''}`, () => {
      const at = (v: string) => flagFindings(analyze(`file:///flags/${engine}-${flag}-${v}.yaml`, deployment(engine, v, flag)));
      const none = at(before);
      assert.deepEqual(none.map((f) => f.rule), [], `${before}: ${none.map((f) => f.message).join(' | ')}`);
      // An unknown-key warning would double-report it: the history owns the flag in every release.
      assert.ok(!analyze(`file:///flags/x.yaml`, deployment(engine, before, flag)).findings.some((f) => f.rule === 'unknown-key'));
      if (deprecated) {
        const last = removed ? justBefore(removed) : deprecated;
        for (const v of [deprecated, last]) {
          const f = at(v);
          assert.deepEqual(f.map((x) => [x.rule, x.severity]), [['flag-deprecated', 'warning']], `${v}: ${f.map((x) => x.message).join(' | ')}`);
          assert.match(f[0].message, new RegExp(`deprecated since .* ${deprecated.replace(/\./g, '\\.')}`));
        }
      }
      if (removed) {
        const f = at(removed);
        const c = flagHistory.find((x) => x.engine === engine && x.flag === flag)!;
        const refused = flagState(c, releaseOf(removed)!).state === 'removed' && (c.removedEffect ?? 'refused') === 'refused';
        assert.deepEqual(f.map((x) => [x.rule, x.severity]), [['flag-removed', refused ? 'error' : 'warning']], f.map((x) => x.message).join(' | '));
        if (refused) assert.equal(f[0].refusesStart, true);
        assert.match(f[0].message, refused ? /refuses to start on it/ : /ignores it/);
      }
    });
  }

  it('a file that states no version runs the newest release: a removed flag is a warning that says the version was assumed', () => {
    const a = analyze('file:///flags/none.yaml', 'model: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 8192\npreemption-mode: swap\n');
    const [f] = flagFindings(a);
    assert.equal(f.rule, 'flag-removed');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /The newest vLLM \([\d.]+, assumed: the file states no version\) refuses to start on it/);
  });
});

/** Applies the first fix of the finding on `line` (1-based) and returns the new text. */
function fixed(text: string, uri: string, rule: string, line: number): { text: string; finding: Finding } {
  const a = analyze(uri, text);
  const f = a.findings.find((x) => x.rule === rule && x.range.start.line === line - 1);
  assert.ok(f, `${rule} on line ${line}: ${JSON.stringify(a.findings.map((x) => [x.rule, x.range.start.line + 1]))}`);
  const fix = f.fixes?.[0];
  assert.ok(fix?.flagRewrites, `${rule}: a rewrite fix`);
  const r = planEdits(fix, a.workloads[f.workload ?? 0].plan, text);
  assert.ok('edits' in r, 'reason' in r ? r.reason : '');
  const out = applyEdits(text, r.edits);
  assert.deepEqual(syntaxErrors(out), []);
  return { text: out, finding: f };
}

const clean = (text: string, uri: string) => assert.deepEqual(flagFindings(analyze(uri, text)).map((f) => f.message), []);

describe('flag rewrites in the file\'s own syntax', () => {
  it('args block list: removing a V0 option takes its value item with it; a switch goes alone', () => {
    const text = deployment('vllm', '0.11.0', 'preemption-mode').replace('            - "swap"\n', '            - "swap"\n            - "--use-v2-block-manager"\n');
    const uri = 'file:///flags/block.yaml';
    let t = fixed(text, uri, 'flag-removed', 19).text;
    assert.ok(!t.includes('preemption-mode') && !t.includes('"swap"'), t);
    t = fixed(t, uri, 'flag-removed', 19).text;
    assert.ok(!t.includes('use-v2-block-manager'));
    assert.match(t, /- "8192"\n {10}resources:/);
    clean(t, uri);
  });

  it('args block list with --task=embed: one item per new option, in the same `=` form and quotes', () => {
    const text = deployment('vllm', '0.10.1', 'task').replace('            - "--task"\n            - "embed"\n', '            - "--task=embed"\n');
    const { text: t } = fixed(text, 'file:///flags/eq.yaml', 'flag-deprecated', 19);
    assert.match(t, /\n {12}- "--runner=pooling"\n {12}- "--convert=embed"\n {10}resources:/);
    clean(t, 'file:///flags/eq.yaml');
    assert.equal(analyze('file:///flags/eq.yaml', t).workloads[0].plan.knobs.pooling?.value, true);
  });

  it('shell string: --task embed becomes --runner pooling --convert embed inside the string', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: emb\nspec:\n  containers:\n    - name: vllm\n      image: vllm/vllm-openai:v0.13.0\n      command: ["/bin/sh", "-c"]\n      args: ["vllm serve Qwen/Qwen3-Embedding-8B --task embed --max-model-len 8192"]\n      resources:\n        limits:\n          nvidia.com/gpu: 1\n';
    const { text: t, finding } = fixed(text, 'file:///flags/shell.yaml', 'flag-removed', 10);
    assert.equal(finding.severity, 'error');
    assert.ok(t.includes('args: ["vllm serve Qwen/Qwen3-Embedding-8B --runner pooling --convert embed --max-model-len 8192"]'), t);
    clean(t, 'file:///flags/shell.yaml');
  });

  it('flow args list: the flat speculative flags fold into one --speculative-config JSON the plan reads back', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: spec\nspec:\n  containers:\n    - name: vllm\n      image: vllm/vllm-openai:v0.9.2\n      args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--speculative-model", "meta-llama/Llama-3.2-1B-Instruct", "--num-speculative-tokens", "5"]\n      resources:\n        limits:\n          nvidia.com/gpu: 1\n';
    const { text: t } = fixed(text, 'file:///flags/flow.yaml', 'flag-removed', 9);
    assert.ok(t.includes('args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--speculative-config", "{\\"model\\":\\"meta-llama/Llama-3.2-1B-Instruct\\",\\"num_speculative_tokens\\":5}"]'), t);
    clean(t, 'file:///flags/flow.yaml');
    const spec = analyze('file:///flags/flow.yaml', t).workloads[0].plan.knobs.speculative?.value;
    assert.equal(spec?.numTokens, 5);
    assert.equal(spec?.draftModel, 'meta-llama/Llama-3.2-1B-Instruct');
  });

  it('vLLM YAML config file: underscore keys stay underscored, the JSON value is quoted for YAML, an added key gets its own line', () => {
    const text = '# deploy-advisor: gpu=H100-SXM engine-version=0.13.0\nmodel: meta-llama/Llama-3.1-8B-Instruct\nspeculative_model: meta-llama/Llama-3.2-1B-Instruct\nnum_speculative_tokens: 3\nmax_model_len: 8192\n';
    const { text: t } = fixed(text, 'file:///flags/config.yaml', 'flag-removed', 3);
    assert.equal(t, '# deploy-advisor: gpu=H100-SXM engine-version=0.13.0\nmodel: meta-llama/Llama-3.1-8B-Instruct\nspeculative_config: \'{"model":"meta-llama/Llama-3.2-1B-Instruct","num_speculative_tokens":3}\'\nmax_model_len: 8192\n');
    clean(t, 'file:///flags/config.yaml');

    const task = '# deploy-advisor: gpu=L4 engine-version=0.12.0\nmodel: Qwen/Qwen3-Embedding-0.6B\ntask: classify\nmax-model-len: 8192\n';
    const r = fixed(task, 'file:///flags/task.yaml', 'flag-deprecated', 3).text;
    assert.equal(r, '# deploy-advisor: gpu=L4 engine-version=0.12.0\nmodel: Qwen/Qwen3-Embedding-0.6B\nrunner: pooling\nconvert: classify\nmax-model-len: 8192\n');
    clean(r, 'file:///flags/task.yaml');
  });

  it('SGLang config file: enable-ep-moe: true becomes ep-size equal to the tensor-parallel size', () => {
    const text = '# deploy-advisor: gpu=H200 engine-version=0.5.2\nmodel-path: deepseek-ai/DeepSeek-R1\ntp-size: 8\nenable-ep-moe: true\nmem-fraction-static: 0.85\n';
    const { text: t } = fixed(text, 'file:///flags/sglang.yaml', 'flag-deprecated', 4);
    assert.equal(t, '# deploy-advisor: gpu=H200 engine-version=0.5.2\nmodel-path: deepseek-ai/DeepSeek-R1\ntp-size: 8\nep-size: 8\nmem-fraction-static: 0.85\n');
    clean(t, 'file:///flags/sglang.yaml');
  });

  it('TGI: the MAX_INPUT_LENGTH environment variable and the --max-input-length flag are renamed in their own spelling', () => {
    const env = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: tgi\nspec:\n  containers:\n    - name: tgi\n      image: ghcr.io/huggingface/text-generation-inference:3.0.1\n      env:\n        - name: MODEL_ID\n          value: meta-llama/Llama-3.1-8B-Instruct\n        - name: MAX_INPUT_LENGTH\n          value: "4096"\n      resources:\n        limits:\n          nvidia.com/gpu: 1\n';
    const a = fixed(env, 'file:///flags/tgi-env.yaml', 'flag-deprecated', 12);
    assert.match(a.finding.message, /--max-input-length \(MAX_INPUT_LENGTH\) is deprecated since TGI 2\.0\.0/);
    assert.ok(a.text.includes('        - name: MAX_INPUT_TOKENS\n          value: "4096"\n'), a.text);
    clean(a.text, 'file:///flags/tgi-env.yaml');
    const args = deployment('tgi', '3.0.1', 'max-input-length');
    const b = fixed(args, 'file:///flags/tgi-args.yaml', 'flag-deprecated', 19).text;
    assert.ok(b.includes('            - "--max-input-tokens"\n            - "4096"\n'), b);
    clean(b, 'file:///flags/tgi-args.yaml');
  });

  it('shell string in a double-quoted YAML scalar: the JSON is shell-quoted and YAML-escaped, the last word goes without the scalar\'s closing quote', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: s\n      image: vllm/vllm-openai:v0.10.0\n      command: ["/bin/sh", "-c"]\n      args: ["vllm serve meta-llama/Llama-3.1-70B-Instruct -tp 8 --speculative-model=meta-llama/Llama-3.2-1B-Instruct --num-speculative-tokens=4"]\n      resources:\n        limits:\n          nvidia.com/gpu: 8\n';
    const { text: t } = fixed(text, 'file:///flags/words-json.yaml', 'flag-removed', 10);
    assert.ok(t.includes(`args: ["vllm serve meta-llama/Llama-3.1-70B-Instruct -tp 8 '--speculative-config={\\"model\\":\\"meta-llama/Llama-3.2-1B-Instruct\\",\\"num_speculative_tokens\\":4}'"]`), t);
    clean(t, 'file:///flags/words-json.yaml');
    assert.equal(analyze('file:///flags/words-json.yaml', t).workloads[0].plan.knobs.speculative?.value.numTokens, 4);
  });

  it('SGLang args block list: the --enable-deepep-moe switch becomes two items, --moe-a2a-backend and deepep, in the list\'s quoting', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: s\n      image: lmsysorg/sglang:v0.5.3rc1-cu129-b200\n      command:\n        - python3\n        - -m\n        - sglang.launch_server\n      args:\n        - --model-path\n        - deepseek-ai/DeepSeek-R1\n        - --tp-size\n        - "8"\n        - --enable-deepep-moe\n        - --mem-fraction-static\n        - "0.85"\n      resources:\n        limits:\n          nvidia.com/gpu: 8\n';
    const { text: t } = fixed(text, 'file:///flags/sglang-block.yaml', 'flag-deprecated', 18);
    assert.ok(t.includes('        - "8"\n        - --moe-a2a-backend\n        - deepep\n        - --mem-fraction-static\n'), t);
    clean(t, 'file:///flags/sglang-block.yaml');
  });

  it('vLLM YAML config: a removed key goes with its line and its comment; its neighbours stay', () => {
    const text = '# deploy-advisor: engine-version=0.11.1 gpu=H100-SXM\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax_model_len: 8192\npreemption_mode: swap   # from the old tuning guide\nmax_num_seqs: 64\n';
    const { text: t, finding } = fixed(text, 'file:///flags/yaml-remove.yaml', 'flag-removed', 4);
    assert.match(finding.message, /vLLM 0\.11\.1 \(deploy-advisor: engine-version\) refuses to start on it/);
    assert.equal(t, '# deploy-advisor: engine-version=0.11.1 gpu=H100-SXM\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax_model_len: 8192\nmax_num_seqs: 64\n');
  });

  it('Compose: a TGI command string and an environment mapping are renamed in place', () => {
    const compose = (svc: string) => `services:\n  tgi:\n    image: ghcr.io/huggingface/text-generation-inference:3.3.4\n${svc}    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              count: 1\n              capabilities: [gpu]\n`;
    const cmd = fixed(compose('    command: --model-id meta-llama/Llama-3.1-8B-Instruct --max-input-length 4000 --max-total-tokens 8192\n'), 'file:///flags/compose.yaml', 'flag-deprecated', 4).text;
    assert.ok(cmd.includes('    command: --model-id meta-llama/Llama-3.1-8B-Instruct --max-input-tokens 4000 --max-total-tokens 8192\n'), cmd);
    const env = fixed(compose('    environment:\n      MODEL_ID: meta-llama/Llama-3.1-8B-Instruct\n      MAX_INPUT_LENGTH: 4000\n'), 'file:///flags/compose-env.yaml', 'flag-deprecated', 6).text;
    assert.ok(env.includes('      MAX_INPUT_TOKENS: 4000\n'), env);
    clean(env, 'file:///flags/compose-env.yaml');
  });

  it('--runner under a release older than v0.10.1 stops the server: the fix writes the --task that release knew', () => {
    const text = (v: string, args: string) => `# deploy-advisor: gpu=L4 engine-version=${v}\nmodel: Qwen/Qwen3-Embedding-0.6B\nmax-model-len: 8192\n${args}`;
    const old = analyze('file:///flags/runner.yaml', text('0.10.0', 'runner: pooling\n'));
    const f = old.findings.find((x) => x.rule === 'flag-too-new');
    assert.ok(f, JSON.stringify(old.findings.map((x) => x.rule)));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /--runner is new in vLLM 0\.10\.1: vLLM 0\.10\.0 \(deploy-advisor: engine-version\) refuses to start on it/);
    assert.equal(fixed(text('0.10.0', 'runner: pooling\n'), 'file:///flags/runner.yaml', 'flag-too-new', 4).text, text('0.10.0', 'task: embed\n'));
    const both = fixed(text('0.9.2', 'runner: pooling\nconvert: classify\n'), 'file:///flags/runner2.yaml', 'flag-too-new', 4).text;
    assert.equal(both, text('0.9.2', 'task: classify\n'));
    assert.deepEqual(analyze('file:///flags/runner3.yaml', both).findings.filter((x) => x.rule.startsWith('flag-')), []);
    // From v0.10.1 on, and in a file that states no release (the newest runs), --runner is what to write.
    assert.ok(!analyze('file:///flags/runner4.yaml', text('0.10.1', 'runner: pooling\n')).findings.some((x) => x.rule === 'flag-too-new'));
    assert.ok(!analyze('file:///flags/runner5.yaml', 'model: Qwen/Qwen3-Embedding-0.6B\nmax-model-len: 8192\nrunner: pooling\n').findings.some((x) => x.rule.startsWith('flag-')));
  });

  it('the pooling-runner fix does not write --runner under a release that has none', () => {
    const a = analyze('file:///flags/emb.yaml', '# deploy-advisor: gpu=L4 engine-version=0.9.2\nmodel: Qwen/Qwen3-Embedding-0.6B\nmax-model-len: 8192\n');
    const f = a.findings.find((x) => x.rule === 'pooling-runner-mismatch');
    assert.ok(f);
    assert.deepEqual(f.fixes, []);
  });

  it('a model Deploy Advisor cannot estimate still gets its flag findings (they read the plan only)', () => {
    const a = analyze('file:///flags/private.yaml', '# deploy-advisor: gpu=H100-SXM engine-version=0.11.0\nmodel: /models/our-private-finetune\nmax-model-len: 8192\npreemption-mode: swap\n');
    assert.ok(a.workloads[0].failure, 'the estimate fails for an unknown local model');
    const f = a.findings.find((x) => x.rule === 'flag-removed');
    assert.ok(f, JSON.stringify(a.findings.map((x) => x.rule)));
    assert.equal(f.refusesStart, true);
    assert.equal(f.workload, 0);
  });
});
