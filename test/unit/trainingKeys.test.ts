/**
 * The training key tables (server/src/formats/keys/training/): well formed, naming real TrainingPlan fields, and
 * agreeing with the defaults the readers assume — the hovers and completions will show these tables.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { readTrainingText } from '../../server/src/formats/training';
import { accelerateKeys } from '../../server/src/formats/keys/training/accelerate';
import { axolotlKeys } from '../../server/src/formats/keys/training/axolotl';
import { deepspeedKeys } from '../../server/src/formats/keys/training/deepspeed';
import { hfTrainerKeys } from '../../server/src/formats/keys/training/hfTrainer';
import { llamafactoryKeys } from '../../server/src/formats/keys/training/llamafactory';
import { torchtuneKeys } from '../../server/src/formats/keys/training/torchtune';
import { memoryKeysAt, TrainingKeyTable } from '../../server/src/formats/keys/training/types';

const tables: TrainingKeyTable[] = [axolotlKeys, llamafactoryKeys, torchtuneKeys, hfTrainerKeys, deepspeedKeys, accelerateKeys];

/** The TrainingPlan fields a key may set (training.ts). */
const FIELDS = new Set(['model', 'method', 'quantBits', 'precision', 'optimizer', 'optimizerInBackward', 'seqLen', 'microBatch', 'gradAccum', 'gradientCheckpointing', 'samplePacking',
  'attention', 'logitsLoss', 'sharding', 'sharding.stage', 'sharding.offloadOptimizer', 'sharding.offloadParams', 'lora.rank', 'lora.alpha', 'lora.targets', 'lora.dora',
  'lora.modulesToSave', 'hardware.gpusPerNode', 'hardware.nodes', 'tf32']);

/** A minimal file of each format, for the defaults a reader assumes. */
const MINIMAL: Record<string, string> = {
  axolotl: 'base_model: m\nadapter: lora\nlora_r: 8\n',
  llamafactory: 'model_name_or_path: m\nfinetuning_type: lora\n',
  torchtune: 'model:\n  _component_: torchtune.models.llama3_1.lora_llama3_1_8b\n',
  'hf-trainer': 'output_dir: o\nlearning_rate: 1e-5\nnum_train_epochs: 1\nuse_peft: true\n',
  deepspeed: '{"zero_optimization": {}}',
  accelerate: 'compute_environment: LOCAL_MACHINE\ndistributed_type: DEEPSPEED\n',
};

describe('training key tables', () => {
  for (const t of tables) {
    it(`${t.format}: unique names, a description each, real plan fields, memory keys present`, () => {
      const names = t.keys.flatMap((k) => [k.name, ...(k.aliases ?? [])]);
      assert.equal(new Set(names).size, names.length, 'duplicate names');
      for (const k of t.keys) {
        assert.ok(k.description.length > 5, `${k.name}: description`);
        if (k.field) assert.ok(FIELDS.has(k.field), `${k.name}: field ${k.field}`);
        if (k.minimum !== undefined && k.maximum !== undefined) assert.ok(k.minimum < k.maximum, k.name);
        assert.ok(!t.otherKeys.includes(k.name), `${k.name} is both modelled and other`);
      }
      assert.ok(memoryKeysAt(t, '').length >= 3);
    });

    it(`${t.format}: the table's literal defaults are the ones the reader assumes`, () => {
      const r = readTrainingText('file:///x/min.yaml', MINIMAL[t.format]);
      assert.equal(r?.format, t.format);
      let compared = 0;
      for (const k of t.keys) {
        if (k.default === undefined || k.default === null || !k.field || k.name.includes('.') && !k.field.startsWith('sharding')) continue;
        const s = k.field.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], r!.plan) as { value: unknown; source: { kind: string } } | undefined;
        // String defaults are written the framework's way (`all`, `adamw_torch`); the plan normalizes them, so numbers and booleans only.
        if (!s || s.source.kind !== 'default' || typeof k.default === 'string' || typeof s.value !== typeof k.default) continue;
        // A boolean flag that turns something off (disable_gradient_checkpointing) states the opposite of the plan field.
        const expected = /^disable_/.test(k.name) ? !k.default : k.default;
        assert.deepEqual(s.value, expected, `${t.format} ${k.name}`);
        compared++;
      }
      assert.ok(compared >= 1, `${t.format}: no default compared`);
    });
  }
});
