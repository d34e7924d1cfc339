/** A training config through the pipeline (trainingPipeline.ts): its estimate, its findings on the keys, its lens. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../server/src/pipeline';
import { codeLenses } from '../../server/src/lsp/codeLens';
import { trainingFileReader } from '../../server/src/node/trainingFiles';
import { fixture } from '../support/paths';

function run(...p: string[]) {
  const file = fixture('training', ...p);
  const uri = pathToFileURL(file).href;
  return { uri, text: fs.readFileSync(file, 'utf8'), a: analyze(uri, fs.readFileSync(file, 'utf8'), { readLinkedFile: trainingFileReader() }) };
}

test('a QLoRA axolotl config is estimated: the lens on base_model says peak, tokens/s and that it fits', () => {
  const { uri, text, a } = run('axolotl', 'examples', 'llama-3', 'qlora.yml');
  assert.equal(a.workloads.length, 0);
  assert.ok(a.training?.estimate, a.training?.error);
  assert.equal(a.training.estimate.method, 'qlora');
  const lenses = codeLenses(uri, a);
  assert.equal(lenses.length, 1);
  const line = text.split('\n').findIndex((l) => l.startsWith('base_model:'));
  assert.equal(lenses[0].range.start.line, line);
  assert.match(lenses[0].command!.title, /^training peak \d+\.\d GiB\/GPU .* tokens\/s .* fits on 1 × H100-SXM$/);
});

test('a full fine-tune that does not fit is an error on the key of its largest component, naming every component', () => {
  const { text, a } = run('llamafactory', 'examples', 'train_full', 'llama3_full_sft.yaml');
  const f = a.findings.find((x) => x.rule === 'training-does-not-fit');
  assert.ok(f, JSON.stringify(a.findings));
  assert.equal(f.severity, 'error');
  assert.match(f.message, /largest part is (\w+)/);
  const largest = /largest part is (\w+)/.exec(f.message)![1];
  const keyLine = text.split('\n')[f.range.start.line];
  // The optimizer's states are set by the optimizer key, or by the method when the file names no optimizer.
  if (largest === 'optimizer') assert.match(keyLine, /^\s*(optim|finetuning_type|deepspeed)\b/, keyLine);
  for (const c of ['weights', 'gradients', 'optimizer', 'activations', 'logits']) assert.match(f.message, new RegExp(`${c} \\d`));
});

test('a model the catalog does not know is a warning on the model key; a DeepSpeed file alone gets no finding', () => {
  const { text, a } = run('axolotl', 'examples', 'llama-3', 'lora-8b.yml');
  const f = a.findings.find((x) => x.rule === 'unknown-model')!;
  assert.ok(f);
  assert.match(text.split('\n')[f.range.start.line], /^base_model:/);
  assert.deepEqual(run('deepspeed', 'ds_z2_offload.json').a.findings.filter((x) => x.rule === 'missing-model'), []);
});
