/** `deploy-advisor train`: the --json contract's shape, exit status (0 fits, 1 does not fit, 2 usage/input), flags over a plan. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { main } from '../../server/src/cli';
import { makeTrainCommand, runTrain } from '../../server/src/cli/train';
import { defaultTrainingPlan, trainingPlanFromFlags } from '../../server/src/cli/trainingFlags';
import { parseCommandArgs } from '../../server/src/cli/command';
import { UsageError } from '../../server/src/cli/options';
import { fixture } from '../support/paths';

const TRAINING_KEYS = ['method', 'precision', 'optimizer', 'trainableParams', 'weightsBytesPerGpu', 'gradientsBytesPerGpu', 'optimizerBytesPerGpu', 'activationsBytesPerGpu', 'logitsBytesPerGpu', 'overheadBytesPerGpu', 'peakBytesPerGpu', 'fits', 'tokensPerStep', 'stepSeconds', 'tokensPerSecond'];

async function quiet<T>(f: () => Promise<T>): Promise<T> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try { return await f(); } finally { process.stdout.write = out; process.stderr.write = err; }
}

describe('train CLI', () => {
  it('--json prints { model, hardware: { gpu, count }, training: {…}, assumptions, findings }', async () => {
    const argv = ['meta-llama/Llama-3.1-8B', '--method', 'lora', '--lora-rank', '16', '--lora-targets', 'all-linear', '--gradient-checkpointing', '--seq-len', '4096', '--micro-batch', '2', '--grad-accum', '4', '--gpu', 'H100', '--gpus', '2', '--json'];
    const { positionals, values } = parseCommandArgs(makeTrainCommand(), argv);
    const { output, code } = await runTrain(positionals[0], values);
    const j = JSON.parse(output);
    assert.equal(code, 0);
    assert.deepEqual(Object.keys(j), ['model', 'hardware', 'training', 'assumptions', 'findings']);
    assert.deepEqual(j.hardware, { gpu: 'H100-SXM', count: 2 });
    for (const k of TRAINING_KEYS) assert.ok(k in j.training, k);
    assert.equal(j.training.method, 'lora');
    assert.equal(j.training.tokensPerStep, 4096 * 2 * 4 * 2);
    assert.equal(j.training.fits, true);
    assert.ok(j.training.peakBytesPerGpu > j.training.weightsBytesPerGpu);
    assert.ok(Array.isArray(j.assumptions) && j.assumptions.length > 3);
    assert.deepEqual(j.findings, []);
  });

  it('exit 1 with a does-not-fit finding naming the component when it does not fit', async () => {
    const { positionals, values } = parseCommandArgs(makeTrainCommand(), ['meta-llama/Llama-3.1-70B', '--method', 'full', '--precision', 'mixed', '--gpu', 'A100-80GB', '--json']);
    const { output, code } = await runTrain(positionals[0], values);
    const j = JSON.parse(output);
    assert.equal(code, 1);
    assert.equal(j.training.fits, false);
    assert.equal(j.findings[0].rule, 'training-does-not-fit');
    assert.equal(j.findings[0].component, 'optimizer');
  });

  it('70B full fine-tune on 8 × H200: ZeRO-3 alone does not fit (18Ψ/8 = 148 GiB of model states), with optimizer offload it does', async () => {
    const args = ['meta-llama/Llama-3.1-70B', '--method', 'full', '--gradient-checkpointing', '--zero', '3', '--gpus', '8', '--gpu', 'H200', '--json'];
    const z3 = parseCommandArgs(makeTrainCommand(), args);
    assert.equal((await runTrain(z3.positionals[0], z3.values)).code, 1);
    const off = parseCommandArgs(makeTrainCommand(), [...args, '--offload', 'optimizer']);
    const { output, code } = await runTrain(off.positionals[0], off.values);
    assert.equal(code, 0, output);
    const j = JSON.parse(output);
    assert.equal(j.training.optimizerBytesPerGpu, 0);
    assert.ok(j.training.hostBytesPerNode > 70e9 * 16, 'DeepSpeed CPU Adam holds 16 B/param (×1.5) on the host');
  });

  it('exit 2 for usage and input errors', async () => {
    assert.equal(await quiet(() => main(['train'])), 2);
    assert.equal(await quiet(() => main(['train', 'meta-llama/Llama-3.1-8B', '--method', 'dora'])), 2);
    assert.equal(await quiet(() => main(['train', 'meta-llama/Llama-3.1-8B', '--micro-batch', '0'])), 2);
    assert.equal(await quiet(() => main(['train', 'meta-llama/Llama-3.1-8B', '--offload', 'optimizer'])), 2);
    assert.equal(await quiet(() => main(['train', 'meta-llama/Llama-3.1-8B', '--lora-rank', '8'])), 2);
    assert.equal(await quiet(() => main(['train', 'meta-llama/Llama-3.1-8B', '--gpu', 'H1000'])), 2);
    assert.equal(await quiet(() => main(['train', 'no-such/model-id'])), 2);
    assert.equal(await quiet(() => main(['train', 'meta-llama/Llama-3.1-8B', '--sequence-len', '5'])), 2);
    assert.equal(await quiet(() => main(['train', 'meta-llama/Llama-3.1-8B', '--method', 'qlora'])), 0);
  });

  it('reads a Hugging Face config.json folder as the model', async () => {
    const { output, code } = await runTrain(fixture('hf', 'llama-3.1-8b'), { json: true, method: 'qlora' });
    assert.equal(code, 0);
    assert.equal(JSON.parse(output).training.method, 'qlora');
  });

  it('a plugged-in loader reads the file; flags override what it says', async () => {
    const file = fixture('hf', 'llama-3.1-8b', 'config.json');
    const base = { ...defaultTrainingPlan('meta-llama/Llama-3.1-8B'), format: 'axolotl' as const, microBatch: { value: 8, source: { kind: 'file' as const, key: 'micro_batch_size', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } } } } };
    const loader = (f: string) => (f === file ? { plan: base } : undefined);
    const a = JSON.parse((await runTrain(file, { json: true }, loader)).output);
    assert.equal(a.training.tokensPerStep, 8 * 2048);
    const b = JSON.parse((await runTrain(file, { json: true, 'micro-batch': '2' }, loader)).output);
    assert.equal(b.training.tokensPerStep, 2 * 2048);
  });

  it('trainingPlanFromFlags keeps the file\'s values it does not override, and marks the flags it applies', () => {
    const base = { ...defaultTrainingPlan('x'), seqLen: { value: 8192, source: { kind: 'default' as const, note: 'file' } } };
    const p = trainingPlanFromFlags(base, { optimizer: 'adamw-8bit', zero: '2', offload: 'optimizer' });
    assert.equal(p.seqLen.value, 8192);
    assert.equal(p.optimizer.value, 'adamw-8bit');
    assert.deepEqual(p.optimizer.source, { kind: 'cli', flag: '--optimizer' });
    assert.equal(p.sharding.kind, 'zero');
    assert.equal(p.sharding.offloadOptimizer?.value, 'cpu');
    assert.equal(base.optimizer.value, 'adamw', 'the base plan is not mutated');
    assert.throws(() => trainingPlanFromFlags(base, { zero: '2', offload: 'params' }), UsageError);
  });
});
