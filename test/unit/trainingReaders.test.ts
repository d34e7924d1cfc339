/**
 * Training-config readers (issue 22 item 1): every training fixture → its TrainingPlan, value by value with the 1-based
 * line each value came from; detection (each format claimed, no serving fixture claimed); bad input never throws.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { readText } from '../../server/src/formats';
import { readTrainingText, TrainingReadContext } from '../../server/src/formats/training';
import { linkedCandidates } from '../../server/src/formats/training/linked';
import { trainingFileReader } from '../../server/src/node/trainingFiles';
import type { TrainingFormat, TrainingPlan } from '../../server/src/plan/training';
import type { Sourced } from '../../server/src/plan/types';
import { fixture } from '../support/paths';

/** [value, line]: from the file at that 1-based line; a bare value: any source (a default, an inference). */
type At = [unknown, number] | { default: unknown } | { inferred: unknown };

function field(plan: TrainingPlan, p: string): Sourced<unknown> | undefined {
  return p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], plan) as Sourced<unknown> | undefined;
}

function check(plan: TrainingPlan, p: string, e: At): void {
  const s = field(plan, p);
  assert.ok(s && typeof s === 'object' && 'source' in s, `${p}: missing`);
  if (Array.isArray(e)) {
    assert.deepEqual(s.value, e[0], p);
    assert.equal(s.source.kind, 'file', `${p}: expected from the file, got ${JSON.stringify(s.source)}`);
    if (s.source.kind === 'file') assert.equal(s.source.range.start.line + 1, e[1], `${p}: line`);
  } else if ('default' in e) {
    assert.deepEqual(s.value, e.default, p);
    assert.equal(s.source.kind, 'default', `${p}: expected a default, got ${JSON.stringify(s.source)}`);
  } else {
    assert.deepEqual(s.value, e.inferred, p);
    assert.equal(s.source.kind, 'inferred', `${p}: expected inferred, got ${JSON.stringify(s.source)}`);
  }
}

const ctx: TrainingReadContext = { readFile: trainingFileReader() };
const readFixture = (rel: string, c: TrainingReadContext = ctx) => {
  const file = fixture('training', rel);
  return readTrainingText(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'), c);
};

interface Expect {
  format: TrainingFormat;
  values: Record<string, At | string>;
  linked?: Array<{ path: string; line: number; format?: TrainingFormat; fields?: string[] }>;
  unread?: string[];
  unmodelled?: string[];
}

const expectations: Record<string, Expect> = {
  'axolotl/examples/llama-3/qlora.yml': {
    format: 'axolotl',
    values: {
      model: ['meta-llama/Meta-Llama-3-8B', 1], method: ['qlora', 16], quantBits: [4, 6], 'lora.rank': [32, 23], 'lora.alpha': [16, 24], 'lora.targets': ['all-linear', 27],
      seqLen: [4096, 19], samplePacking: [true, 20], gradAccum: [4, 36], microBatch: [2, 37], optimizer: ['paged-adamw-32bit', 39], precision: ['bf16', 45],
      gradientCheckpointing: [true, 49], attention: ['flash', 55], 'sharding.stage': { default: 0 }, tf32: [false, 47],
    },
  },
  'axolotl/examples/llama-3/lora-8b.yml': {
    format: 'axolotl',
    values: {
      model: ['NousResearch/Meta-Llama-3-8B', 1], quantBits: [8, 5], method: ['lora', 20], 'lora.rank': [32, 22], 'lora.alpha': [16, 23], 'lora.targets': ['all-linear', 25],
      'lora.modulesToSave': [['embed_tokens', 'lm_head'], 28], seqLen: [4096, 16], microBatch: [2, 38], gradAccum: [4, 37], optimizer: ['adamw-8bit', 40], precision: ['bf16', 46],
      gradientCheckpointing: [true, 50], attention: ['flash', 56],
    },
  },
  'axolotl/examples/llama-3/qlora-fsdp-70b.yaml': {
    format: 'axolotl',
    values: {
      model: ['casperhansen/llama-3-70b-fp16', 1], method: ['qlora', 16], quantBits: [4, 6], 'lora.rank': [8, 23], seqLen: [512, 19], samplePacking: [false, 20], microBatch: [1, 37],
      optimizer: ['adamw', 39], precision: ['bf16', 45], gradientCheckpointing: [true, 49], 'sharding.stage': [3, 78], 'sharding.offloadParams': ['cpu', 72], 'sharding.offloadOptimizer': ['cpu', 72],
    },
  },
  'axolotl/examples/llama-3/fft-8b.yaml': {
    format: 'axolotl',
    values: {
      model: ['NousResearch/Meta-Llama-3.1-8B', 1], method: { default: 'full' }, logitsLoss: ['fused', 8], seqLen: [8192, 17], samplePacking: [true, 18], gradAccum: [8, 27], microBatch: [1, 28],
      optimizer: ['paged-adamw-8bit', 30], gradientCheckpointing: [true, 40], attention: ['flash', 47],
      // From deepspeed_configs/zero3_bf16.json (lines there): ZeRO-3, bf16 under DeepSpeed = fp32 master copy (mixed).
      'sharding.stage': [3, 3], precision: ['mixed', 15],
    },
    linked: [{ path: 'deepspeed_configs/zero3_bf16.json', line: 54, format: 'deepspeed', fields: ['sharding.stage', 'precision'] }],
    unread: ['fp16.enabled', 'train_micro_batch_size_per_gpu', 'gradient_accumulation_steps', 'train_batch_size'],
  },
  'llamafactory/examples/train_lora/llama3_lora_sft.yaml': {
    format: 'llamafactory',
    values: {
      model: ['meta-llama/Meta-Llama-3-8B-Instruct', 2], method: ['lora', 8], 'lora.rank': [8, 9], 'lora.alpha': { default: 16 }, 'lora.targets': ['all-linear', 10], seqLen: [2048, 15],
      microBatch: [1, 31], gradAccum: [8, 32], precision: ['mixed', 37], optimizer: { default: 'adamw' }, gradientCheckpointing: { default: true }, 'sharding.stage': { default: 0 },
    },
  },
  'llamafactory/examples/train_qlora/llama3_lora_sft_otfq.yaml': {
    format: 'llamafactory',
    values: { model: ['meta-llama/Meta-Llama-3-8B-Instruct', 2], method: ['qlora', 3], quantBits: [4, 3], 'lora.rank': [8, 11], 'lora.targets': ['all-linear', 12], seqLen: [2048, 17], microBatch: [1, 33], gradAccum: [8, 34], precision: ['mixed', 39], gradientCheckpointing: { default: true } },
  },
  'llamafactory/examples/train_full/llama3_full_sft.yaml': {
    format: 'llamafactory',
    values: { model: ['meta-llama/Meta-Llama-3-8B-Instruct', 2], method: ['full', 8], seqLen: [2048, 14], microBatch: [1, 30], gradAccum: [2, 31], precision: ['mixed', 36], 'sharding.stage': [3, 19], gradientCheckpointing: { default: true } },
    linked: [{ path: 'examples/deepspeed/ds_z3_config.json', line: 9, format: 'deepspeed', fields: ['sharding.stage'] }],
    unread: ['train_batch_size', 'train_micro_batch_size_per_gpu', 'gradient_accumulation_steps', 'fp16.enabled', 'bf16.enabled'],
  },
  'llamafactory/examples/deepspeed/ds_z3_config.json': {
    format: 'deepspeed',
    values: { 'sharding.stage': [3, 19], precision: { default: 'fp32' }, microBatch: { default: 1 } },
    unread: ['train_batch_size', 'train_micro_batch_size_per_gpu', 'gradient_accumulation_steps', 'fp16.enabled', 'bf16.enabled'],
  },
  'axolotl/deepspeed_configs/zero3_bf16.json': { format: 'deepspeed', values: { 'sharding.stage': [3, 3], precision: ['mixed', 15] } },
  'torchtune/llama3_1/8B_lora_single_device.yaml': {
    format: 'torchtune',
    values: {
      // The Hub id from the `tune download … --output-dir /tmp/Meta-Llama-3.1-8B-Instruct` comment that checkpoint_dir names.
      model: ['meta-llama/Meta-Llama-3.1-8B-Instruct', 6], modelBuilder: ['torchtune.models.llama3_1.lora_llama3_1_8b', 22], method: ['lora', 22],
      'lora.targets': [['q_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'], 23], 'lora.rank': [8, 26], 'lora.alpha': [16, 27], samplePacking: [false, 54], microBatch: [2, 57],
      optimizer: ['adamw-fused', 62], logitsLoss: ['chunked', 70], gradAccum: [8, 75], precision: ['bf16', 87], gradientCheckpointing: [true, 90], seqLen: { default: 2048 }, 'sharding.stage': { default: 0 },
    },
  },
  'torchtune/llama3_1/8B_full.yaml': {
    format: 'torchtune',
    values: {
      model: ['meta-llama/Meta-Llama-3.1-8B-Instruct', 6], method: ['full', 37], microBatch: [2, 54], optimizer: ['adamw-fused', 60], optimizerInBackward: [false, 66], gradAccum: [1, 67],
      gradientCheckpointing: [true, 73], precision: ['bf16', 78], 'sharding.kind': 'fsdp', 'sharding.stage': { inferred: 3 },
    },
  },
  'trl/zephyr-7b-sft-qlora.yaml': {
    format: 'hf-trainer',
    values: {
      model: ['mistralai/Mistral-7B-v0.1', 2], precision: ['bf16', 4], attention: ['flash', 5], method: ['qlora', 8], quantBits: [4, 8], 'lora.rank': [16, 10], 'lora.alpha': [16, 11],
      'lora.targets': [['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'], 14], gradAccum: [2, 32], gradientCheckpointing: [true, 33], seqLen: [2048, 43], microBatch: [4, 49],
      optimizer: { default: 'adamw' },
    },
  },
  'hf/training_args.json': {
    format: 'hf-trainer',
    values: {
      microBatch: [2, 3], gradAccum: [16, 4], gradientCheckpointing: [true, 5], precision: ['mixed', 6], optimizer: ['adamw-fused', 7], method: { default: 'full' },
      'sharding.kind': 'fsdp', 'sharding.stage': [3, 12], 'sharding.offloadParams': ['cpu', 12], 'sharding.offloadOptimizer': ['cpu', 12],
    },
  },
  'deepspeed/ds_z2_offload.json': {
    format: 'deepspeed',
    values: { optimizer: ['adamw-fused', 16], 'sharding.kind': 'zero', 'sharding.stage': [2, 35], 'sharding.offloadOptimizer': ['cpu', 37], precision: { default: 'fp32' } },
    unread: ['bf16.enabled', 'fp16.enabled', 'train_micro_batch_size_per_gpu', 'gradient_accumulation_steps', 'train_batch_size'],
  },
  'accelerate/fsdp1.yaml': {
    format: 'accelerate',
    values: { gradientCheckpointing: [false, 7], 'sharding.kind': 'fsdp', 'sharding.offloadParams': ['none', 12], 'sharding.stage': [3, 13], precision: ['mixed', 20], 'hardware.nodes': [1, 21], 'hardware.gpusPerNode': [8, 22] },
  },
  'accelerate/fsdp2.yaml': {
    format: 'accelerate',
    values: { gradientCheckpointing: [true, 8], 'sharding.offloadParams': ['cpu', 11], 'sharding.offloadOptimizer': ['cpu', 11], 'sharding.stage': [2, 12], precision: ['mixed', 17], 'hardware.nodes': [2, 18], 'hardware.gpusPerNode': [8, 19] },
  },
  'accelerate/deepspeed_zero3.yaml': {
    format: 'accelerate',
    values: { 'sharding.kind': 'zero', 'sharding.offloadOptimizer': ['cpu', 5], 'sharding.offloadParams': ['none', 6], 'sharding.stage': [3, 9], precision: ['mixed', 14], 'hardware.gpusPerNode': [8, 16], method: { default: 'full' } },
  },
};

function trainingFixtures(): string[] {
  const root = fixture('training');
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  return walk(root).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
}

describe('training fixtures → TrainingPlan with source lines', () => {
  for (const [rel, e] of Object.entries(expectations)) {
    it(rel, () => {
      const r = readFixture(rel);
      assert.ok(r, 'not read as a training config');
      assert.equal(r.format, e.format);
      assert.equal(r.plan.format, e.format);
      for (const [p, v] of Object.entries(e.values)) {
        if (typeof v === 'string') assert.equal(field(r.plan, p), v, p);
        else check(r.plan, p, v);
      }
      if (e.linked) assert.deepEqual(r.plan.linked.map((l) => ({ path: l.path, line: l.range.start.line + 1, format: l.format, fields: l.fields })), e.linked);
      if (e.unread) assert.deepEqual(r.plan.unread.map((u) => u.what).sort(), [...e.unread].sort());
      // Every shipped example is clean: no problem at all.
      assert.deepEqual(r.problems.map((p) => `${p.code}@${p.range.start.line + 1}: ${p.message}`), []);
    });
  }

  it('every training fixture has an expectation', () => {
    assert.deepEqual(trainingFixtures().filter((f) => !(f in expectations)), []);
  });
});

describe('detection', () => {
  it('each format is detected, and no serving reader claims a training fixture', () => {
    const seen = new Set<TrainingFormat>();
    for (const rel of trainingFixtures()) {
      const file = fixture('training', rel);
      const text = fs.readFileSync(file, 'utf8');
      seen.add(readTrainingText(pathToFileURL(file).href, text)!.format);
      assert.equal(readText(pathToFileURL(file).href, text).format, null, `${rel} read as a serving config`);
    }
    assert.deepEqual([...seen].sort(), ['accelerate', 'axolotl', 'deepspeed', 'hf-trainer', 'llamafactory', 'torchtune']);
  });

  it('no file of the existing (serving and not-ours) fixtures is claimed as a training config', () => {
    const root = fixture();
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'training' && d === root ? [] : walk(path.join(d, e.name))) : [path.join(d, e.name)]));
    const files = walk(root).filter((f) => /\.(ya?ml|json)$/.test(f));
    assert.ok(files.length >= 100, `${files.length} serving fixtures`);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      assert.equal(readTrainingText(pathToFileURL(f).href, text), undefined, path.relative(root, f));
    }
  });

  it('a vLLM config and a Kubernetes manifest still read as serving configs', () => {
    const vllm = 'model: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 8192\ngpu-memory-utilization: 0.9\n';
    assert.equal(readTrainingText('file:///x/serve.yaml', vllm), undefined);
    assert.equal(readText('file:///x/serve.yaml', vllm).format, 'vllm');
    const k8s = fs.readFileSync(fixture('kubernetes', 'vllm-deployment-args-list.yaml'), 'utf8');
    assert.equal(readTrainingText('file:///x/k8s.yaml', k8s), undefined);
    assert.equal(readText('file:///x/k8s.yaml', k8s).format, 'kubernetes');
  });

  it('small files of each format are told apart by their keys', () => {
    const cases: Array<[string, TrainingFormat | undefined]> = [
      ['base_model: x\nsequence_len: 2048\n', 'axolotl'],
      ['model_name_or_path: x\nfinetuning_type: full\n', 'llamafactory'],
      ['model:\n  _component_: torchtune.models.llama3_2.llama3_2_1b\n', 'torchtune'],
      ['per_device_train_batch_size: 4\ngradient_accumulation_steps: 2\nlearning_rate: 1e-5\n', 'hf-trainer'],
      ['{"zero_optimization": {"stage": 2}}', 'deepspeed'],
      ['compute_environment: LOCAL_MACHINE\ndistributed_type: MULTI_GPU\nnum_processes: 4\n', 'accelerate'],
      // Not training configs: a model card's metadata, a GitHub workflow, an empty file, a list, scalars.
      ['base_model: meta-llama/Llama-3.1-8B\nlicense: llama3.1\ntags: [trl]\n', undefined],
      ['on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n', undefined],
      ['', undefined], ['- a\n- b\n', undefined], ['42', undefined],
      ['learning_rate: 1e-5\n', undefined],
    ];
    for (const [text, want] of cases) assert.equal(readTrainingText('file:///x/c.yaml', text)?.format, want, text);
  });
});

describe('linked DeepSpeed files', () => {
  it('are looked for next to the config, then in the folders above it', () => {
    assert.deepEqual(linkedCandidates('file:///r/examples/llama-3/a.yml', 'deepspeed_configs/z3.json').slice(0, 3), ['/r/examples/llama-3/deepspeed_configs/z3.json', '/r/examples/deepspeed_configs/z3.json', '/r/deepspeed_configs/z3.json']);
    assert.deepEqual(linkedCandidates('file:///r/a.yml', '/abs/ds.json'), ['/abs/ds.json']);
    assert.deepEqual(linkedCandidates('file:///r/x/a.yml', '../ds.json')[0], '/r/ds.json');
    assert.deepEqual(linkedCandidates('file:///C:/work/a.yml', 'ds.json')[0], 'C:/work/ds.json');
  });

  it('without file access the stage and offload come from the name, and the plan says why', () => {
    const r = readTrainingText('file:///x/a.yml', 'base_model: m\nsequence_len: 1024\ndeepspeed: deepspeed_configs/zero3_bf16_cpuoffload_all.json\n')!;
    assert.equal(r.plan.sharding.stage.value, 3);
    assert.equal(r.plan.sharding.stage.source.kind, 'inferred');
    assert.equal(r.plan.sharding.offloadOptimizer?.value, 'cpu');
    assert.equal(r.plan.sharding.offloadParams?.value, 'cpu');
    assert.equal(r.plan.unread[0].what, 'deepspeed_configs/zero3_bf16_cpuoffload_all.json');
    assert.match(r.plan.unread[0].why, /cannot be read here/);
    assert.deepEqual(r.problems.map((p) => [p.code, p.range.start.line + 1]), [['training-linked-unread', 3]]);
    assert.equal(r.plan.linked[0].format, undefined);
  });

  it('a missing, throwing or broken linked file is a problem on the key, not a crash', () => {
    const text = 'model_name_or_path: m\nfinetuning_type: full\ndeepspeed: ds.json\n';
    const missing = readTrainingText('file:///x/a.yaml', text, { readFile: () => undefined })!;
    assert.match(missing.plan.unread[0].why, /not found/);
    assert.equal(missing.plan.sharding.kind, 'none');
    const throwing = readTrainingText('file:///x/a.yaml', text, { readFile: () => { throw new Error('EACCES'); } })!;
    assert.equal(throwing.plan.unread.length, 1);
    const broken = readTrainingText('file:///x/a.yaml', text, { readFile: () => '{"zero_optimization": {"stage": 3' })!;
    assert.ok(broken.problems.some((p) => p.code === 'invalid-value' && p.range.start.line === 2 && /ds\.json/.test(p.message)), JSON.stringify(broken.problems));
    const bad = readTrainingText('file:///x/a.yaml', text, { readFile: () => '{"zero_optimization": {"stage": 7, "offload_optimizer": {"device": "gpu"}}}' })!;
    assert.ok(bad.problems.every((p) => p.range.start.line === 2), 'problems of the linked file land on the deepspeed key');
    assert.ok(bad.problems.some((p) => /ds\.json line 1: .*stage/.test(p.message)), JSON.stringify(bad.problems));
    assert.ok(bad.problems.some((p) => /none, cpu or nvme/.test(p.message)));
  });

  it('explicit DeepSpeed batch values that differ from the trainer\'s are reported; "auto" ones are not', () => {
    const text = 'model_name_or_path: m\nfinetuning_type: full\nper_device_train_batch_size: 2\ndeepspeed: ds.json\n';
    const r = readTrainingText('file:///x/a.yaml', text, { readFile: () => '{"train_micro_batch_size_per_gpu": 4, "zero_optimization": {"stage": 2}}' })!;
    assert.ok(r.problems.some((p) => /train_micro_batch_size_per_gpu to 4 but this file to 2/.test(p.message) && p.range.start.line === 3));
    assert.equal(r.plan.microBatch.value, 2);
    const auto = readTrainingText('file:///x/a.yaml', text, { readFile: () => '{"train_micro_batch_size_per_gpu": "auto", "zero_optimization": {"stage": 2}}' })!;
    assert.deepEqual(auto.problems, []);
  });

  it('the Trainer takes an inline DeepSpeed object, read with this file\'s ranges', () => {
    const json = '{\n  "per_device_train_batch_size": 1,\n  "gradient_accumulation_steps": 4,\n  "bf16": true,\n  "deepspeed": {\n    "zero_optimization": {"stage": 3, "offload_param": {"device": "cpu"}}\n  }\n}\n';
    const r = readTrainingText('file:///x/args.json', json)!;
    assert.equal(r.format, 'hf-trainer');
    check(r.plan, 'sharding.stage', [3, 6]);
    check(r.plan, 'sharding.offloadParams', ['cpu', 6]);
    assert.equal(r.plan.linked[0].path, '(inline)');
  });

  it('accelerate names a DeepSpeed JSON with deepspeed_config_file', () => {
    const text = 'compute_environment: LOCAL_MACHINE\ndistributed_type: DEEPSPEED\ndeepspeed_config:\n  deepspeed_config_file: ds.json\nnum_processes: 4\n';
    const r = readTrainingText('file:///x/acc.yaml', text, { readFile: (p) => (p === '/x/ds.json' ? '{"zero_optimization": {"stage": 1}}' : undefined) })!;
    check(r.plan, 'sharding.stage', [1, 1]);
    assert.equal(r.plan.linked[0].uri, '/x/ds.json');
  });
});

describe('framework forms', () => {
  const read = (text: string, name = 'c.yaml') => readTrainingText(`file:///x/${name}`, text)!;

  it('accelerate FSDP strategies by name and by number 1..5', () => {
    const want: Array<[string, number, boolean]> = [['1', 3, false], ['2', 2, false], ['3', 0, false], ['4', 3, true], ['5', 2, true], ['FULL_SHARD', 3, false], ['SHARD_GRAD_OP', 2, false], ['HYBRID_SHARD', 3, true], ['NO_SHARD', 0, false]];
    for (const [s, stage, hybrid] of want) {
      const r = read(`compute_environment: LOCAL_MACHINE\ndistributed_type: FSDP\nfsdp_config:\n  fsdp_sharding_strategy: ${s}\n`);
      check(r.plan, 'sharding.stage', [stage, 4]);
      assert.equal(!!r.plan.sharding.hybrid, hybrid, s);
    }
    const multi = read('compute_environment: LOCAL_MACHINE\ndistributed_type: MULTI_GPU\nmixed_precision: fp16\nnum_processes: 4\n');
    assert.equal(multi.plan.sharding.kind, 'none');
    check(multi.plan, 'precision', ['mixed-fp16', 3]);
  });

  it('the Trainer\'s fsdp option string and axolotl\'s FSDP2 keys', () => {
    const hf = read('per_device_train_batch_size: 1\ngradient_accumulation_steps: 1\nlearning_rate: 1e-5\nfsdp: "shard_grad_op auto_wrap"\n');
    check(hf.plan, 'sharding.stage', [2, 4]);
    assert.equal(hf.plan.sharding.offloadParams, undefined);
    const ax = read('base_model: m\nsequence_len: 2048\nfsdp_version: 2\nfsdp_config:\n  offload_params: true\n  reshard_after_forward: false\n  activation_checkpointing: true\n');
    assert.equal(ax.plan.sharding.kind, 'fsdp');
    check(ax.plan, 'sharding.stage', [2, 6]);
    check(ax.plan, 'sharding.offloadParams', ['cpu', 5]);
    check(ax.plan, 'gradientCheckpointing', [true, 7]);
  });

  it('axolotl: batch_size sets accumulation, bf16 false is fp32, fp16 is mixed-fp16, DoRA', () => {
    const r = read('base_model: m\nadapter: lora\nlora_r: 16\npeft_use_dora: true\nmicro_batch_size: 4\nbatch_size: 32\nbf16: false\n');
    check(r.plan, 'gradAccum', [8, 6]);
    check(r.plan, 'precision', ['fp32', 7]);
    check(r.plan, 'lora.dora', [true, 4]);
    check(read('base_model: m\nsequence_len: 512\nfp16: true\nbf16: false\n').plan, 'precision', ['mixed-fp16', 3]);
  });

  it('LLaMA-Factory: checkpointing off only when disabled; pure_bf16; flash_attn; lora_target list; packing for pt', () => {
    const r = read('model_name_or_path: m\nstage: pt\nfinetuning_type: lora\nlora_target: q_proj,v_proj\ndisable_gradient_checkpointing: true\npure_bf16: true\nflash_attn: fa2\n');
    check(r.plan, 'gradientCheckpointing', [false, 5]);
    check(r.plan, 'precision', ['bf16', 6]);
    check(r.plan, 'attention', ['flash', 7]);
    check(r.plan, 'lora.targets', [['q_proj', 'v_proj'], 4]);
    check(r.plan, 'samplePacking', [true, 2]);
  });

  it('torchtune: qlora builders, bitsandbytes optimizers, optimizer_in_bwd, FSDP CPU offload', () => {
    const r = read('model:\n  _component_: torchtune.models.llama3_1.qlora_llama3_1_8b\n  lora_attn_modules: [q_proj, k_proj]\n  apply_lora_to_output: true\noptimizer:\n  _component_: bitsandbytes.optim.PagedAdamW8bit\noptimizer_in_bwd: true\nfsdp_cpu_offload: true\ntokenizer:\n  max_seq_len: 4096\n');
    check(r.plan, 'method', ['qlora', 2]);
    check(r.plan, 'quantBits', [4, 2]);
    check(r.plan, 'lora.targets', [['q_proj', 'k_proj', 'lm_head'], 3]);
    check(r.plan, 'lora.rank', { default: 8 });
    check(r.plan, 'optimizer', ['paged-adamw-8bit', 6]);
    check(r.plan, 'optimizerInBackward', [true, 7]);
    check(r.plan, 'sharding.offloadParams', ['cpu', 8]);
    check(r.plan, 'seqLen', [4096, 10]);
    assert.equal(r.plan.precision.value, 'fp32');
  });

  it('keys read but not modelled are listed with their line', () => {
    const r = read('base_model: m\nsequence_len: 1024\nactivation_offloading: true\nunfrozen_parameters: [a]\nxformers_attention: false\n');
    assert.deepEqual(r.plan.unmodelled.map((u) => [u.key, u.range.start.line + 1]), [['activation_offloading', 3], ['unfrozen_parameters', 4]]);
    const lf = read('model_name_or_path: m\nfinetuning_type: lora\nquantization_bit: 4\nquantization_method: hqq\nuse_galore: true\nstage: dpo\n');
    assert.deepEqual(lf.plan.unmodelled.map((u) => u.key).sort(), ['quantization_method: hqq', 'stage: dpo', 'use_galore']);
  });

  it('Trainer: torch_dtype decides pure vs mixed bf16; attention kernels; fused AdamW names', () => {
    const base = 'per_device_train_batch_size: 1\ngradient_accumulation_steps: 1\nlearning_rate: 1e-5\nbf16: true\n';
    check(read(base).plan, 'precision', ['mixed', 4]);
    check(read(`${base}torch_dtype: bfloat16\n`).plan, 'precision', ['bf16', 5]);
    check(read(`${base}attn_implementation: eager\n`).plan, 'attention', ['eager', 5]);
    check(read(`${base}optim: adamw_torch\n`).plan, 'optimizer', ['adamw', 5]);
    const galore = read(`${base}optim: galore_adamw\n`).plan;
    assert.equal(galore.optimizer.source.kind, 'default');
    assert.deepEqual(galore.unmodelled.map((u) => u.key), ['optim']);
  });
});

describe('bad input: a problem on the key, never a crash', () => {
  const read = (text: string, name = 'c.yaml') => readTrainingText(`file:///x/${name}`, text)!;
  const at = (r: ReturnType<typeof read>, code: string, line: number) => r.problems.some((p) => p.code === code && p.range.start.line + 1 === line);

  it('a misspelled memory key gets did-you-mean with the rename', () => {
    const r = read('base_model: m\nsequence_len: 2048\nmicro_batchsize: 8\ngradient_checkpoint: true\n');
    const p = r.problems.find((x) => x.range.start.line === 2)!;
    assert.equal(p.code, 'unknown-key');
    assert.equal(p.severity, 'warning', 'axolotl ignores unknown keys');
    assert.deepEqual(p.rename && [p.rename.from, p.rename.to], ['micro_batchsize', 'micro_batch_size']);
    assert.ok(at(r, 'unknown-key', 4));
    assert.equal(r.plan.microBatch.source.kind, 'default');
    const lf = read('model_name_or_path: m\nfinetuning_type: lora\nlora_rnak: 16\n');
    assert.equal(lf.problems[0].severity, 'error', 'LLaMA-Factory stops on unknown keys');
    assert.equal(lf.problems[0].rename?.to, 'lora_rank');
    const nested = read('{"zero_optimization": {"stage": 3, "offload_paramm": {"device": "cpu"}}}', 'ds.json');
    assert.equal(nested.problems[0].rename?.to, 'offload_param');
  });

  it('keys that are not near a memory key, and keys the table knows, are left alone', () => {
    assert.deepEqual(read('base_model: m\nsequence_len: 2048\nwandb_project: x\nmy_custom_thing: 1\n').problems, []);
  });

  it('wrong types and absurd numbers are problems and fall back to the default', () => {
    const r = read('base_model: m\nsequence_len: lots\nmicro_batch_size: 0\ngradient_accumulation_steps: 1e12\nlora_r: 8.5\nsample_packing: maybe\nflash_attention: .inf\n');
    assert.ok(at(r, 'invalid-value', 2) && at(r, 'invalid-value', 3) && at(r, 'invalid-value', 4) && at(r, 'invalid-value', 6) && at(r, 'invalid-value', 7), JSON.stringify(r.problems));
    assert.equal(r.plan.seqLen.value, 512);
    assert.equal(r.plan.microBatch.value, 1);
    assert.equal(r.plan.gradAccum.value, 1);
    const big = read('per_device_train_batch_size: 99999999\ngradient_accumulation_steps: -3\nlearning_rate: 1e-5\nmax_length: .nan\n');
    assert.ok(at(big, 'invalid-value', 1) && at(big, 'invalid-value', 2) && at(big, 'invalid-value', 4));
    assert.equal(big.plan.microBatch.value, 8);
  });

  it('YAML 1.1 booleans (PyYAML) are booleans', () => {
    check(read('base_model: m\nsequence_len: 2048\ngradient_checkpointing: yes\nsample_packing: off\n').plan, 'gradientCheckpointing', [true, 3]);
  });

  it('misspelled enum values get the near miss', () => {
    const r = read('base_model: m\nsequence_len: 2048\noptimizer: adamw_torch_fuse\nadapter: qlroa\n');
    const opt = r.problems.find((p) => p.range.start.line === 2)!;
    assert.equal(opt.rename?.to, 'adamw_torch_fused');
    assert.equal(r.problems.find((p) => p.range.start.line === 3)?.rename?.to, 'qlora');
    const fsdp = read('per_device_train_batch_size: 1\ngradient_accumulation_steps: 1\nlearning_rate: 1e-5\nfsdp: "ful_shard auto_wrap"\n');
    assert.ok(fsdp.problems.some((p) => /did you mean "full_shard"/.test(p.message)));
  });

  it('contradictions the frameworks refuse are errors', () => {
    assert.ok(at(read('base_model: m\nadapter: qlora\nsequence_len: 1024\n'), 'invalid-value', 2));
    assert.ok(at(read('base_model: m\nsequence_len: 1024\nbf16: true\nfp16: true\n'), 'invalid-value', 4));
    assert.ok(at(read('model_name_or_path: m\nfinetuning_type: full\nquantization_bit: 4\n'), 'invalid-value', 3));
    assert.ok(at(read('model:\n  _component_: torchtune.models.llama3_1.llama3_1_8b\noptimizer_in_bwd: true\ngradient_accumulation_steps: 4\n'), 'invalid-value', 3));
    assert.ok(at(read('{"bf16": {"enabled": true}, "fp16": {"enabled": true}, "zero_optimization": {"stage": 0, "offload_optimizer": {"device": "cpu"}}}', 'ds.json'), 'invalid-value', 1));
    const both = read('base_model: m\nsequence_len: 1024\ndeepspeed: ds.json\nfsdp: [full_shard]\n');
    assert.ok(at(both, 'invalid-value', 3));
  });

  it('syntax errors, duplicate keys and aliases are reported; the rest still reads', () => {
    const dup = read('base_model: m\nsequence_len: 1024\nsequence_len: 2048\n');
    assert.ok(dup.problems.some((p) => p.code === 'syntax'));
    const alias = read('base_model: m\nx: &n 4\nsequence_len: 1024\nmicro_batch_size: *n\n');
    assert.ok(at(alias, 'alias-value', 4));
    const broken = read('base_model: m\nsequence_len: 1024\nmicro_batch_size: [2\n');
    assert.ok(broken.problems.some((p) => p.code === 'syntax'));
    assert.equal(broken.plan.seqLen.value, 1024);
  });

  it('binary, empty and non-mapping text is not a training config', () => {
    assert.equal(readTrainingText('file:///x/a.yaml', 'base_model: m\u0000\u0001sequence_len: 1'), undefined);
    assert.equal(readTrainingText('file:///x/a.json', '[1,2,3]'), undefined);
    assert.equal(readTrainingText('file:///x/a.yaml', '---\nbase_model: m\nsequence_len: 1\n---\nbase_model: n\n'), undefined);
  });

  it('mutations of every training fixture never throw and problems have ranges', () => {
    let n = 0;
    for (const rel of trainingFixtures()) {
      const file = fixture('training', rel);
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      // Deterministic mutations: drop a line, cut the file there, blank a value, repeat a line, replace with a number.
      for (let i = 0; i < lines.length; i += 3) {
        const variants = [
          [...lines.slice(0, i), ...lines.slice(i + 1)],
          lines.slice(0, i),
          lines.map((l, j) => (j === i ? l.replace(/:\s.*$/, ': ') : l)),
          [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)],
          lines.map((l, j) => (j === i ? l.replace(/:\s.*$/, ': -1e400') : l)),
          lines.map((l, j) => (j === i ? l.replace(/:\s.*$/, ': [') : l)),
        ];
        for (const v of variants) {
          const r = readTrainingText(pathToFileURL(file).href, v.join('\n'), ctx);
          for (const p of r?.problems ?? []) assert.ok(p.message.length > 0 && p.range.start.line >= 0, `${rel}: ${JSON.stringify(p)}`);
          if (r) assert.ok(r.plan.seqLen.value > 0 && r.plan.microBatch.value > 0 && r.plan.gradAccum.value > 0, rel);
          n++;
        }
      }
    }
    assert.ok(n > 300, `${n} mutations`);
  });
});
