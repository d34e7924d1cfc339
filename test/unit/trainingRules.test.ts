/**
 * Training rules (rules/training): each fires where its one change would help, with the peak before → after, on the
 * key the user would change — and stays quiet where the plan is already that way. Each fix is checked as the exact
 * text it leaves, re-read by the same reader to the plan value it meant.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyze, Analysis } from '../../server/src/pipeline';
import { editsForFix } from '../../server/src/edits/apply';
import { readTrainingText } from '../../server/src/formats/training';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { analyzeTrainingRead } from '../../server/src/trainingPipeline';
import { trainingWhatIf } from '../../server/src/estimator/training/whatIf';
import { resolveTraining } from '../../server/src/estimator/training/resolve';
import { estimateTraining } from '../../server/src/estimator/training/estimate';
import type { Finding } from '../../server/src/rules/types';
import { applyEdits } from '../support/lspClient';
import { fixture } from '../support/paths';

const read = (...p: string[]) => fs.readFileSync(fixture('training', ...p), 'utf8');
const AXOLOTL_QLORA = read('axolotl', 'examples', 'llama-3', 'qlora.yml');
const TORCHTUNE_FULL = read('torchtune', 'llama3_1', '8B_full.yaml');
const LF_FULL = read('llamafactory', 'examples', 'train_full', 'llama3_full_sft.yaml');
const LF_LORA = read('llamafactory', 'examples', 'train_lora', 'llama3_lora_sft.yaml');
const TRL_QLORA = read('trl', 'zephyr-7b-sft-qlora.yaml');

function sub(text: string, from: RegExp, to: string): string {
  assert.match(text, from, `fixture no longer has ${from}`);
  return text.replace(from, to);
}

const run = (name: string, text: string): Analysis => analyze(`file:///work/${name}`, text, {});
const only = (a: Analysis, rule: string): Finding => {
  const f = a.findings.filter((x) => x.rule === rule);
  assert.equal(f.length, 1, `${rule}: ${JSON.stringify(a.findings.map((x) => `${x.rule}: ${x.message}`), null, 1)}`);
  return f[0];
};
const none = (a: Analysis, rule: string) => assert.deepEqual(a.findings.filter((x) => x.rule === rule).map((x) => x.message), []);
const lineOf = (text: string, f: Finding) => text.split('\n')[f.range.start.line];
const GiBs = (m: string) => [...m.matchAll(/peak (\d+\.\d) GiB → (\d+\.\d) GiB/g)].map((x) => [Number(x[1]), Number(x[2])]);

/** The fix applied: the new text, its estimate through the same reader, and the plan. */
function applied(name: string, text: string, f: Finding, i = 0) {
  const fix = f.fixes?.[i];
  assert.ok(fix, `${f.rule} offers no fix: ${f.message}`);
  const edits = editsForFix(fix, undefined, text);
  assert.ok(edits, fix.title);
  const out = applyEdits(text, edits);
  const r = readTrainingText(`file:///work/${name}`, out, {});
  assert.ok(r, 'the edited file is no longer read as a training config');
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
  return { out, plan: r.plan, a: run(name, out), fix };
}

/** Lines the edit changed: [before, after] pairs of a line diff that keeps every other line. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const removed = a.filter((l) => !b.includes(l));
  const added = b.filter((l) => !a.includes(l));
  return { removed, added };
}

describe('training-checkpointing-off', () => {
  const text = sub(sub(TORCHTUNE_FULL, /^enable_activation_checkpointing: True/m, 'enable_activation_checkpointing: False'), /^batch_size: 2/m, 'batch_size: 4');
  test('fires on the key when turning it on makes the plan fit, with the peak before → after', () => {
    const a = run('8B_full.yaml', text);
    const f = only(a, 'training-checkpointing-off');
    assert.equal(f.severity, 'warning');
    assert.match(lineOf(text, f), /^enable_activation_checkpointing: False/);
    const [[before, after]] = GiBs(f.message);
    assert.ok(before > 79.2 && after < 79.2, f.message);
    assert.equal(before.toFixed(1), (a.training!.estimate!.peakBytesPerGpu / 2 ** 30).toFixed(1));
    assert.match(f.message, /, fits/);
  });
  test('torchtune fix: `True` in the file\'s capitalised style, comment kept; re-read: checkpointing on, fits', () => {
    const a = run('8B_full.yaml', text);
    const { out, plan, a: b } = applied('8B_full.yaml', text, only(a, 'training-checkpointing-off'));
    assert.deepEqual(changedLines(text, out), { removed: ['enable_activation_checkpointing: False  # True reduces memory'], added: ['enable_activation_checkpointing: True  # True reduces memory'] });
    assert.equal(plan.gradientCheckpointing.value, true);
    assert.equal(b.training!.estimate!.fits, true);
    none(b, 'training-checkpointing-off');
  });
  test('does not fire when checkpointing is on, nor when the plan fits with room', () => {
    none(run('8B_full.yaml', sub(TORCHTUNE_FULL, /^batch_size: 2/m, 'batch_size: 4')), 'training-checkpointing-off');
    const small = sub(sub(sub(AXOLOTL_QLORA, /^gradient_checkpointing: true/m, 'gradient_checkpointing: false'), /^micro_batch_size: 2/m, 'micro_batch_size: 1'), /^sequence_len: 4096/m, 'sequence_len: 1024');
    none(run('qlora.yml', small), 'training-checkpointing-off');
  });
  test('axolotl and Trainer fixes write gradient_checkpointing: true; LLaMA-Factory turns its disable_ key off', () => {
    const ax = sub(AXOLOTL_QLORA, /^gradient_checkpointing: true/m, 'gradient_checkpointing: false');
    const fa = run('qlora.yml', ax);
    const r = applied('qlora.yml', ax, only(fa, 'training-checkpointing-off'));
    assert.deepEqual(changedLines(ax, r.out), { removed: ['gradient_checkpointing: false'], added: ['gradient_checkpointing: true'] });
    assert.equal(r.plan.gradientCheckpointing.value, true);
    const lf = sub(sub(LF_LORA, /^per_device_train_batch_size: 1/m, 'per_device_train_batch_size: 4'), /^(### train\n)/m, '$1disable_gradient_checkpointing: true\n');
    const fl = run('llama3_lora_sft.yaml', lf);
    const rl = applied('llama3_lora_sft.yaml', lf, only(fl, 'training-checkpointing-off'));
    assert.deepEqual(changedLines(lf, rl.out), { removed: ['disable_gradient_checkpointing: true'], added: ['disable_gradient_checkpointing: false'] });
    assert.equal(rl.plan.gradientCheckpointing.value, true);
  });
  test('where the key is absent it is inserted after the last top-level key, at the siblings\' indentation', () => {
    const trl = sub(sub(TRL_QLORA, /^gradient_checkpointing: true\n/m, ''), /^per_device_train_batch_size: 4/m, 'per_device_train_batch_size: 8');
    const f = run('sft.yaml', trl);
    const r = applied('sft.yaml', trl, only(f, 'training-checkpointing-off'));
    const { removed, added } = changedLines(trl, r.out);
    assert.deepEqual(removed, []);
    assert.deepEqual(added, ['gradient_checkpointing: true']);
    assert.equal(r.plan.gradientCheckpointing.value, true);
  });
});

describe('training-does-not-fit names the one change; micro-batch halving is its fix', () => {
  const text = sub(sub(AXOLOTL_QLORA, /^micro_batch_size: 2/m, 'micro_batch_size: 16'), /^sequence_len: 4096/m, 'sequence_len: 8192');
  test('the largest component, every component, and the smaller micro-batch that fits with the accumulation that keeps the batch', () => {
    const a = run('qlora.yml', text);
    const f = only(a, 'training-does-not-fit');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /largest part is logits/);
    assert.match(lineOf(text, f), /^sequence_len:/);
    assert.match(f.message, /one change makes it fit: micro-batch 4 with accumulation 16 \(same effective batch\) — peak \d+\.\d GiB → \d+\.\d GiB per GPU, fits/);
    const { out, plan, a: b } = applied('qlora.yml', text, f);
    assert.deepEqual(changedLines(text, out), { removed: ['gradient_accumulation_steps: 4', 'micro_batch_size: 16'], added: ['gradient_accumulation_steps: 16', 'micro_batch_size: 4'] });
    assert.equal(plan.microBatch.value * plan.gradAccum.value, 16 * 4);
    assert.equal(b.training!.estimate!.fits, true);
    none(b, 'training-does-not-fit');
  });
  test('says so when no single change fits', () => {
    const full = sub(sub(AXOLOTL_QLORA, /^adapter: qlora\n/m, ''), /^load_in_4bit: true/m, 'load_in_4bit: false');
    const huge = sub(sub(full, /^micro_batch_size: 2/m, 'micro_batch_size: 1'), /^sequence_len: 4096/m, 'sequence_len: 131072');
    const f = only(run('qlora.yml', huge), 'training-does-not-fit');
    assert.match(f.message, /no single change/);
    assert.equal(f.fixes, undefined);
  });
});

describe('training-8bit-optimizer', () => {
  const text = sub(sub(TORCHTUNE_FULL, /^ {2}fused: True/m, '  fused: False'), /^batch_size: 2/m, 'batch_size: 8');
  test('fires on the optimizer component with the states and peak before → after; the fix swaps the class and drops `fused`', () => {
    const a = run('8B_full.yaml', text);
    const f = only(a, 'training-8bit-optimizer');
    assert.match(lineOf(text, f), /_component_: torch\.optim\.AdamW/);
    assert.match(f.message, /optimizer states \d+\.\d GiB → \d+\.\d GiB per GPU, peak \d+\.\d GiB → \d+\.\d GiB per GPU, fits/);
    assert.match(f.message, /“8-bit Optimizers via Block-wise Quantization”/);
    const { out, plan, a: b } = applied('8B_full.yaml', text, f);
    assert.deepEqual(changedLines(text, out), { removed: ['  _component_: torch.optim.AdamW', '  fused: False'], added: ['  _component_: bitsandbytes.optim.AdamW8bit'] });
    assert.equal(plan.optimizer.value, 'adamw-8bit');
    assert.equal(b.training!.estimate!.fits, true);
  });
  test('axolotl and Trainer spell it optimizer / optim: adamw_bnb_8bit', () => {
    const base = 'base_model: meta-llama/Meta-Llama-3-8B-Instruct\nsequence_len: 1024\nmicro_batch_size: 1\ngradient_checkpointing: true  # keep\noptimizer: adamw_torch\nbf16: auto\n';
    const f = only(run('ax.yaml', base), 'training-8bit-optimizer');
    const r = applied('ax.yaml', base, f);
    assert.equal(r.out, base.replace('optimizer: adamw_torch', 'optimizer: adamw_bnb_8bit'));
    assert.equal(r.plan.optimizer.value, 'adamw-8bit');
  });
  test('does not fire on an 8-bit optimizer or a plan that fits', () => {
    none(run('8B_full.yaml', TORCHTUNE_FULL), 'training-8bit-optimizer');
    const eight = sub(sub(text, /torch\.optim\.AdamW/, 'bitsandbytes.optim.AdamW8bit'), /^ {2}fused: False\n/m, '');
    none(run('8B_full.yaml', eight), 'training-8bit-optimizer');
  });
});

describe('training-qlora-consumer-gpu', () => {
  test('a full fine-tune that does not fit: QLoRA fits one RTX 4090; LLaMA-Factory fix sets the adapter the estimate measured', () => {
    const text = LF_FULL.replace(/^deepspeed: .*\n/m, '');
    const a = run('llama3_full_sft.yaml', text);
    const f = only(a, 'training-qlora-consumer-gpu');
    assert.match(lineOf(text, f), /^finetuning_type: full/);
    assert.match(f.message, /would fit one NVIDIA GeForce RTX 4090 24GB: peak \d+\.\d GiB of 23\.\d GiB/);
    const { out, plan, a: b } = applied('llama3_full_sft.yaml', text, f);
    assert.deepEqual(changedLines(text, out), { removed: ['finetuning_type: full'], added: ['finetuning_type: lora', 'lora_rank: 16', 'lora_alpha: 32', 'lora_target: all', 'quantization_bit: 4'] });
    assert.equal(plan.method.value, 'qlora');
    assert.equal(plan.quantBits?.value, 4);
    assert.equal(plan.lora?.rank?.value, 16);
    assert.equal(plan.lora?.targets?.value, 'all-linear');
    assert.equal(b.training!.estimate!.fits, true);
  });
  test('axolotl from full: adapter: qlora, load_in_4bit and the adapter keys, inserted in the file\'s style', () => {
    const base = 'base_model: meta-llama/Meta-Llama-3-8B-Instruct\nsequence_len: 2048\nmicro_batch_size: 1\ngradient_accumulation_steps: 8\ngradient_checkpointing: true\noptimizer: adamw_torch_fused\nbf16: false\n';
    const f = only(run('ax.yaml', base), 'training-qlora-consumer-gpu');
    const r = applied('ax.yaml', base, f);
    assert.equal(r.out, `${base}adapter: qlora\nload_in_4bit: true\nlora_r: 16\nlora_alpha: 32\nlora_target_linear: true\n`);
    assert.equal(r.plan.method.value, 'qlora');
    assert.equal(r.plan.lora?.targets?.value, 'all-linear');
  });
  test('does not fire on QLoRA plans or plans that fit', () => {
    none(run('qlora.yml', AXOLOTL_QLORA), 'training-qlora-consumer-gpu');
    none(run('llama3_lora_sft.yaml', LF_LORA), 'training-qlora-consumer-gpu');
  });
});

describe('training-micro-batch-can-double', () => {
  test('info on micro_batch_size with the peak it costs; the fix doubles it and halves the accumulation', () => {
    const a = run('qlora.yml', AXOLOTL_QLORA);
    const f = only(a, 'training-micro-batch-can-double');
    assert.equal(f.severity, 'info');
    assert.match(lineOf(AXOLOTL_QLORA, f), /^micro_batch_size: 2/);
    assert.match(f.message, /Micro-batch 2 could be 4 and gradient accumulation 4 → 2 keeps the effective batch of 8: peak \d+\.\d GiB → \d+\.\d GiB of 79\.2 GiB/);
    const { out, plan } = applied('qlora.yml', AXOLOTL_QLORA, f);
    assert.deepEqual(changedLines(AXOLOTL_QLORA, out), { removed: ['gradient_accumulation_steps: 4', 'micro_batch_size: 2'], added: ['gradient_accumulation_steps: 2', 'micro_batch_size: 4'] });
    assert.equal(plan.microBatch.value, 4);
    assert.equal(plan.gradAccum.value, 2);
  });
  test('no finding when the accumulation cannot halve (the effective batch would change) or when doubling would cross 90 % of the GPU', () => {
    none(run('8B_full.yaml', TORCHTUNE_FULL), 'training-micro-batch-can-double');
    none(run('qlora.yml', sub(AXOLOTL_QLORA, /^micro_batch_size: 2/m, 'micro_batch_size: 12')), 'training-micro-batch-can-double');
  });
});

describe('training-zero-shard', () => {
  const gpus = new GpuCatalog();
  const onGpus = (text: string, n: number) => {
    const r = readTrainingText('file:///work/ax.yaml', text, {})!;
    r.plan.hardware.gpusPerNode = { value: n, source: { kind: 'cli', flag: '--gpus' } };
    return analyzeTrainingRead(r, { gpus });
  };
  const full = 'base_model: meta-llama/Meta-Llama-3-8B-Instruct\nsequence_len: 1024\nmicro_batch_size: 1\ngradient_checkpointing: true\noptimizer: adamw_torch_fused\nbf16: false\n';
  test('on 4 GPUs without sharding: ZeRO-3 would make it fit, with the peak', () => {
    const f = onGpus(full, 4).findings.filter((x) => x.rule === 'training-zero-shard');
    assert.equal(f.length, 1, JSON.stringify(onGpus(full, 4).findings));
    assert.match(f[0].message, /ZeRO stage 3 would make this fit on the 4 GPUs: .* peak \d+\.\d GiB → \d+\.\d GiB per GPU, fits/);
    assert.match(f[0].message, /“ZeRO: Memory Optimizations Toward Training Trillion Parameter Models”/);
  });
  test('never on one GPU', () => {
    assert.deepEqual(onGpus(full, 1).findings.filter((x) => x.rule === 'training-zero-shard'), []);
  });
});

test('the what-if changes one setting and nothing else: checkpointing on never raises the peak', () => {
  const r = readTrainingText('file:///work/8B_full.yaml', sub(TORCHTUNE_FULL, /^enable_activation_checkpointing: True/m, 'enable_activation_checkpointing: False'), {})!;
  const res = resolveTraining(r.plan, { gpus: new GpuCatalog() });
  assert.ok(res.ok);
  const before = estimateTraining(res.inputs);
  const after = trainingWhatIf(res.inputs, { gradientCheckpointing: true });
  assert.ok(after.peakBytesPerGpu <= before.peakBytesPerGpu);
  assert.equal(after.components.optimizer, before.components.optimizer);
  assert.equal(res.inputs.gradientCheckpointing, false, 'the inputs are not touched');
});

test('keyPathEdits on a DeepSpeed JSON: the stage replaced in place, a missing key inserted with a comma at the object\'s indentation', () => {
  const text = read('deepspeed', 'ds_z2_offload.json');
  const { keyPathEdits } = require('../../server/src/edits/keyPathSet') as typeof import('../../server/src/edits/keyPathSet');
  const out = applyEdits(text, keyPathEdits(text, [{ path: ['zero_optimization', 'stage'], value: 3 }, { path: ['zero_optimization', 'stage3_gather_16bit_weights_on_model_save'], value: true }])!);
  const parsed = JSON.parse(out);
  assert.equal(parsed.zero_optimization.stage, 3);
  assert.equal(parsed.zero_optimization.stage3_gather_16bit_weights_on_model_save, true);
  const r = readTrainingText('file:///work/ds.json', out, {})!;
  assert.equal(r.plan.sharding.stage.value, 3);
  assert.deepEqual(changedLines(text, out).removed.map((l) => l.trim()).filter((l) => !/"stage": 2/.test(l)).length <= 1, true);
});
