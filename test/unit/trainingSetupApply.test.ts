/**
 * Applying a setup the training search found (the editor's *Find Cheapest Plan* on a fine-tuning config): the edit is
 * written with the framework's own keys, and the edited file reads back as that setup — method, checkpointing,
 * micro-batch and accumulation — with its comments kept. What the file does not hold is a note, never a wrong edit.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/pipeline';
import { readTrainingText } from '../../server/src/formats/training';
import { defaultDeps } from '../../server/src/estimator/estimate';
import { searchForTraining } from '../../server/src/report/trainingData';
import { trainingSetupEdits } from '../../server/src/edits/trainingSetup';
import type { TrainingPlanRow } from '../../server/src/training/searchTypes';
import { applyEdits } from '../support/lspClient';
import { fixture } from '../support/paths';

const FILES = [
  ['axolotl', 'examples', 'llama-3', 'qlora.yml'],
  ['torchtune', 'llama3_1', '8B_lora_single_device.yaml'],
  ['llamafactory', 'examples', 'train_lora', 'llama3_lora_sft.yaml'],
  ['llamafactory', 'examples', 'train_full', 'llama3_full_sft.yaml'],
  ['trl', 'zephyr-7b-sft-qlora.yaml'],
];

function searched(file: string[], methods?: Array<'full' | 'lora' | 'qlora'>) {
  const uri = `file:///work/${file.join('/')}`;
  const text = fs.readFileSync(fixture('training', ...file), 'utf8');
  const a = analyze(uri, text, {});
  assert.ok(a.training?.estimate, `${file.join('/')}: ${a.training?.error}`);
  const r = searchForTraining(a.training, defaultDeps, { target: {}, ...(methods ? { methods } : {}) });
  assert.ok(!('error' in r), JSON.stringify(r));
  return { uri, text, plan: a.training.plan, rows: r.plans.filter((p) => !p.isFile) };
}

const comments = (text: string) => text.split('\n').filter((l) => /^\s*#/.test(l));

describe('applying a searched training setup', () => {
  for (const file of FILES) {
    it(`${file.join('/')}: every setup with an edit reads back as that setup; comments stay`, () => {
      const { uri, text, plan, rows } = searched(file, ['full', 'lora', 'qlora']);
      assert.ok(rows.length > 0, 'the search found setups other than the file\'s');
      let written = 0;
      for (const row of rows) {
        const e = trainingSetupEdits(row, plan, text);
        if (!e.edits) {
          assert.ok(e.blocked && e.blocked.length > 10, 'a setup without an edit says why');
          continue;
        }
        written++;
        const out = applyEdits(text, e.edits);
        const back = readTrainingText(uri, out, {});
        assert.ok(back, 'still read as a training config');
        assert.deepEqual(back.problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
        const p = back.plan;
        const got: Partial<TrainingPlanRow> = { method: p.method.value, gradientCheckpointing: p.gradientCheckpointing.value, microBatch: p.microBatch.value, gradAccum: p.gradAccum.value };
        assert.deepEqual(got, { method: row.method, gradientCheckpointing: row.gradientCheckpointing, microBatch: row.microBatch, gradAccum: row.gradAccum }, row.changes.map((c) => `${c.knob} ${c.from}→${c.to}`).join(', '));
        assert.deepEqual(comments(out), comments(text));
        const gpuMoved = row.changes.some((c) => c.knob === 'gpu' || c.knob === 'gpus');
        assert.equal(e.notes.some((n) => n.includes(`${row.gpus} × ${row.gpu}`)), gpuMoved);
      }
      assert.ok(written > 0, `no setup of ${rows.length} could be written`);
    });
  }

  it('a change no writer spells blocks the edit with the reason', () => {
    const { text, plan, rows } = searched(FILES[0]);
    const row = { ...rows[0], changes: [...rows[0].changes, { knob: 'precision', from: 'bf16', to: 'mixed' }] };
    const e = trainingSetupEdits(row, plan, text);
    assert.equal(e.edits, undefined);
    assert.match(e.blocked!, /the precision \(bf16 → mixed\) is not written here/);
  });
});
