/**
 * Hovers on training keys (server/src/training/hover.ts), one format at a time: the key table's meaning and default,
 * the estimate's own figures for the key, and the alternative as the estimator's what-if computes it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../server/src/pipeline';
import { parseText } from '../../server/src/formats/document';
import { GiB } from '../../server/src/estimator/memory';
import { trainingWhatIf } from '../../server/src/estimator/training/whatIf';
import { trainingHover } from '../../server/src/training/hover';
import { fixture } from '../support/paths';

const readFile = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);
const gib = (b: number) => `${(b / GiB).toFixed(1)} GiB`;

/** The hover on the first line matching `line`, `column` characters into it (default: on its first character). */
function hoverAt(file: string, text: string, line: RegExp, column = 0) {
  const uri = pathToFileURL(file).toString();
  const a = analyze(uri, text, { readLinkedFile: readFile });
  assert.ok(a.training, 'a training config');
  const lines = text.split('\n');
  const n = lines.findIndex((l) => line.test(l));
  assert.ok(n >= 0, `no line ${line}`);
  const character = lines[n].search(/\S/) + column;
  return { h: trainingHover(parseText(uri, text), a.training, { line: n, character }), t: a.training };
}

const read = (...p: string[]) => ({ file: fixture('training', ...p), text: fs.readFileSync(fixture('training', ...p), 'utf8') });

describe('training hovers', () => {
  it('axolotl gradient_checkpointing: meaning, default, activations here and with it off (the what-if)', () => {
    const { file, text } = read('axolotl', 'examples', 'llama-3', 'qlora.yml');
    const { h, t } = hoverAt(file, text, /^gradient_checkpointing:/);
    assert.ok(h && t.estimate && t.inputs);
    const e = t.estimate;
    const off = trainingWhatIf(t.inputs, { gradientCheckpointing: false });
    assert.match(h.markdown, /^\*\*gradient_checkpointing\*\* · axolotl\n\nRecompute activations in the backward pass instead of keeping them\.\n\nDefault: false\n/);
    assert.ok(h.markdown.includes(`Here: checkpointing on: activations ${gib(e.components.activations)}`), h.markdown);
    assert.ok(h.markdown.includes(`peak ${gib(e.peakBytesPerGpu)} of ${gib(e.capacityBytes)} per GPU — fits.`), h.markdown);
    assert.ok(h.markdown.includes(`With gradient checkpointing off: activations ${gib(off.components.activations)}, peak ${gib(off.peakBytesPerGpu)} of ${gib(off.capacityBytes)} per GPU — ${off.fits ? 'fits' : 'does not fit'}`), h.markdown);
    assert.ok(off.components.activations > 5 * e.components.activations, 'checkpointing off keeps every layer\'s activations');
    assert.ok(h.markdown.includes(`step ${e.stepSeconds.toFixed(2)} s`) && h.markdown.includes(`step ${off.stepSeconds.toFixed(2)} s`), h.markdown);
    assert.ok(off.stepSeconds < e.stepSeconds, 'no recompute: a faster step');
    assert.ok(h.markdown.includes(`(${Math.round((1 - off.stepSeconds / e.stepSeconds) * 100)} % faster per step).`), h.markdown);
    const line = text.split('\n').findIndex((l) => /^gradient_checkpointing:/.test(l));
    assert.deepEqual(h.range, { start: { line, character: 0 }, end: { line, character: 'gradient_checkpointing'.length } });
  });

  it('axolotl micro_batch_size on its value: doubled, accumulation kept', () => {
    const { file, text } = read('axolotl', 'examples', 'llama-3', 'qlora.yml');
    const { h, t } = hoverAt(file, text, /^micro_batch_size:/, 'micro_batch_size: '.length);
    assert.ok(h && t.inputs);
    const m = t.inputs.microBatch;
    const two = trainingWhatIf(t.inputs, { microBatch: m * 2 });
    assert.match(h.markdown, new RegExp(`Here: micro-batch ${m}: activations`));
    assert.ok(h.markdown.includes(`With micro-batch ${m * 2} (accumulation ${t.inputs.gradAccum} kept): activations ${gib(two.components.activations)}, logits ${gib(two.components.logits)}, peak ${gib(two.peakBytesPerGpu)}`), h.markdown);
    // On the value, the range is the value's.
    const line = text.split('\n').findIndex((l) => /^micro_batch_size:/.test(l));
    assert.deepEqual(h.range, { start: { line, character: 'micro_batch_size: '.length }, end: { line, character: `micro_batch_size: ${m}`.length } });
  });

  it('axolotl deepspeed: the linked file\'s ZeRO stage, and that one GPU shards nothing', () => {
    const { file, text } = read('axolotl', 'examples', 'llama-3', 'fft-8b.yaml');
    const catalogued = text.replace('NousResearch/Meta-Llama-3.1-8B', 'meta-llama/Meta-Llama-3-8B');
    const { h, t } = hoverAt(file, catalogued, /^deepspeed:/);
    assert.ok(h && t.estimate);
    assert.match(h.markdown, /Here: ZeRO-3 on 1 GPU\(s\): weights [\d.]+ GiB, gradients [\d.]+ GiB, optimizer [\d.]+ GiB, peak/);
    assert.match(h.markdown, /On one GPU there is nothing to shard across/);
    // The DeepSpeed file's "auto" notes carry ranges in that file: they stay off this file's keys.
    const micro = hoverAt(file, catalogued, /^micro_batch_size:/).h!;
    assert.doesNotMatch(micro.markdown, /Not read/);
  });

  it('LLaMA-Factory lora_rank: adapter parameters here and at twice the rank', () => {
    const { file, text } = read('llamafactory', 'examples', 'train_lora', 'llama3_lora_sft.yaml');
    const { h, t } = hoverAt(file, text, /^lora_rank:/);
    assert.ok(h && t.inputs?.lora && t.estimate);
    const r = t.inputs.lora.rank;
    const twice = trainingWhatIf(t.inputs, { lora: { ...t.inputs.lora, rank: r * 2 } });
    assert.match(h.markdown, /^\*\*lora_rank\*\* · LLaMA-Factory/);
    assert.match(h.markdown, new RegExp(`Here: rank ${r}: ${(t.estimate.trainableParams / 1e6).toFixed(1)} M adapter parameters`));
    assert.ok(h.markdown.includes(`With rank ${r * 2}: ${(twice.trainableParams / 1e6).toFixed(1)} M adapter parameters`), h.markdown);
    assert.ok(twice.trainableParams > 1.9 * t.estimate.trainableParams);
  });

  it('LLaMA-Factory finetuning_type: LoRA here, QLoRA as the alternative (4-bit weights)', () => {
    const { file, text } = read('llamafactory', 'examples', 'train_lora', 'llama3_lora_sft.yaml');
    const { h, t } = hoverAt(file, text, /^finetuning_type:/);
    assert.ok(h && t.inputs);
    const q = trainingWhatIf(t.inputs, { method: 'qlora', quantBits: 4 });
    assert.ok(h.markdown.includes(`With QLoRA (4-bit base, same adapter): weights ${gib(q.components.weights)}`), h.markdown);
  });

  it('torchtune dtype: pure bf16 here, mixed precision as the alternative', () => {
    const { file, text } = read('torchtune', 'llama3_1', '8B_full.yaml');
    const { h, t } = hoverAt(file, text, /^dtype:/);
    assert.ok(h && t.inputs && t.estimate);
    const mixed = trainingWhatIf(t.inputs, { precision: 'mixed' });
    assert.match(h.markdown, /^\*\*dtype\*\* · torchtune/);
    assert.ok(h.markdown.includes(`Here: bf16: weights ${gib(t.estimate.components.weights)}`), h.markdown);
    assert.ok(h.markdown.includes(`optimizer ${gib(mixed.components.optimizer)}, peak ${gib(mixed.peakBytesPerGpu)}`), h.markdown);
  });

  it('torchtune nested keys: optimizer._component_ names the 8-bit alternative', () => {
    const { file, text } = read('torchtune', 'llama3_1', '8B_full.yaml');
    const lines = text.split('\n');
    const opt = lines.findIndex((l) => /^optimizer:/.test(l));
    const comp = lines.findIndex((l, i) => i > opt && /^\s+_component_:/.test(l));
    const uri = pathToFileURL(file).toString();
    const a = analyze(uri, text, { readLinkedFile: readFile });
    const h = trainingHover(parseText(uri, text), a.training!, { line: comp, character: lines[comp].indexOf('_component_') + 2 });
    assert.ok(h);
    assert.match(h.markdown, /^\*\*optimizer\._component_\*\* · torchtune/);
    const eight = trainingWhatIf(a.training!.inputs!, { optimizer: 'adamw-8bit' });
    assert.ok(h.markdown.includes(`With adamw-8bit: optimizer states ${gib(eight.components.optimizer)}`), h.markdown);
  });

  it('TRL load_in_4bit: QLoRA here, a 16-bit base as the alternative', () => {
    const { file, text } = read('trl', 'zephyr-7b-sft-qlora.yaml');
    const { h, t } = hoverAt(file, text, /^load_in_4bit:/);
    assert.ok(h && t.inputs && t.estimate);
    const lora = trainingWhatIf(t.inputs, { method: 'lora', quantBits: undefined });
    assert.match(h.markdown, /^\*\*load_in_4bit\*\* · Hugging Face TrainingArguments/);
    assert.match(h.markdown, /Here: qlora on a 4-bit base:/);
    assert.ok(h.markdown.includes(`With LoRA on a 16-bit base: weights ${gib(lora.components.weights)}`), h.markdown);
    assert.ok(lora.components.weights > 2.5 * t.estimate.components.weights);
  });

  it('DeepSpeed zero_optimization.stage alone: meaning and default, and where the figures are', () => {
    const { file, text } = read('deepspeed', 'ds_z2_offload.json');
    const { h } = hoverAt(file, text, /"stage"/, 1);
    assert.ok(h);
    assert.match(h.markdown, /^\*\*zero_optimization\.stage\*\* · DeepSpeed\n\nZeRO stage: 1 shards optimizer states, 2 also gradients, 3 also parameters\.\n\nDefault: 0\n/);
    assert.match(h.markdown, /No figures here: DeepSpeed configs name no model/);
    const dev = hoverAt(file, text, /"device"/, 1).h;
    assert.match(dev!.markdown, /^\*\*zero_optimization\.offload_optimizer\.device\*\*/);
  });

  it('accelerate num_processes and the FSDP strategy: the table\'s text', () => {
    const { file, text } = read('accelerate', 'fsdp1.yaml');
    const n = hoverAt(file, text, /^num_processes:/).h;
    assert.match(n!.markdown, /^\*\*num_processes\*\* · accelerate\n\nProcesses \(GPUs\) in total across machines\.\n\nDefault: 1/);
    const s = hoverAt(file, text, /fsdp_reshard_after_forward:/).h;
    assert.match(s!.markdown, /^\*\*fsdp_config\.fsdp_reshard_after_forward\*\* · accelerate/);
  });

  it('keys the table does not know, and blank lines: no hover', () => {
    const { file, text } = read('axolotl', 'examples', 'llama-3', 'qlora.yml');
    assert.equal(hoverAt(file, `${text}\nmy_own_key: 3\n`, /^my_own_key:/).h, undefined);
    assert.equal(hoverAt(file, text, /^learning_rate:/).h, undefined);
  });
});
