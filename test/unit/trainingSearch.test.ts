/** The training cheapest-setup search (server/src/training/search.ts): every plan fits and meets the target, cheaper
 *  first, the file's own setup listed or beaten, and the micro-batch pruning never loses the optimum (brute force). */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { parseCommandArgs } from '../../server/src/cli/command';
import { makeTrainCommand } from '../../server/src/cli/train';
import { trainingPlanFromFlags } from '../../server/src/cli/trainingFlags';
import { searchOptionsFromFlags } from '../../server/src/cli/trainingSearchFlags';
import { UsageError } from '../../server/src/cli/options';
import { estimateTraining } from '../../server/src/estimator/training/estimate';
import { DEFAULT_LORA_RANK, resolveTraining } from '../../server/src/estimator/training/resolve';
import { DEFAULT_LORA_TARGETS } from '../../server/src/estimator/training/modules';
import type { TrainingInputs } from '../../server/src/estimator/training/types';
import { compareRows, row, searchTraining } from '../../server/src/training/search';
import type { TrainingPlanRow, TrainingTarget } from '../../server/src/training/searchTypes';

const catalog = new GpuCatalog();

function inputs(argv: string[]): TrainingInputs {
  const { positionals, values } = parseCommandArgs(makeTrainCommand(), argv);
  const res = resolveTraining(trainingPlanFromFlags(undefined, values, positionals[0]), { gpus: catalog });
  assert.ok(res.ok, res.ok ? '' : res.error);
  return res.inputs;
}

const cost = (r: TrainingPlanRow, t: TrainingTarget) => (t.tokens !== undefined ? r.totalCost! : t.tokensPerSecond !== undefined ? r.costPerHour : r.costPerMillionTokens);

const CASES: Array<{ name: string; argv: string[]; target: TrainingTarget; methods?: Array<'full' | 'lora' | 'qlora'> }> = [
  { name: '8B full fine-tune that does not fit one H100 (per token)', argv: ['meta-llama/Llama-3.1-8B', '--micro-batch', '2', '--grad-accum', '4'], target: {} },
  { name: '8B LoRA for a tokens/s floor', argv: ['meta-llama/Llama-3.1-8B', '--method', 'lora', '--micro-batch', '4', '--grad-accum', '4', '--seq-len', '4096'], target: { tokensPerSecond: 30_000 } },
  { name: '8B with every method for 1B tokens within 12 h', argv: ['meta-llama/Llama-3.1-8B', '--micro-batch', '2', '--grad-accum', '8'], target: { tokens: 1e9, maxHours: 12 }, methods: ['full', 'lora', 'qlora'] },
];

describe('training cheapest-setup search', () => {
  for (const c of CASES) {
    it(`${c.name}: every plan fits and meets the target, cheapest first`, () => {
      const base = inputs(c.argv);
      const r = searchTraining(base, catalog, { target: c.target, methods: c.methods, limit: 50 });
      assert.ok(r.plans.length > 0, r.notes.join(' | '));
      for (const p of r.plans) {
        assert.ok(p.fits && p.meetsTarget, JSON.stringify(p));
        assert.ok(p.peakBytesPerGpu <= p.capacityBytesPerGpu, `${p.gpu} ${p.peakBytesPerGpu} > ${p.capacityBytesPerGpu}`);
        if (c.target.tokensPerSecond !== undefined) assert.ok(p.tokensPerSecond >= c.target.tokensPerSecond);
        if (c.target.maxHours !== undefined) assert.ok(p.hours! <= c.target.maxHours);
        assert.ok(c.methods ? c.methods.includes(p.method as 'full') : p.method === base.method);
        assert.ok([1, 2, 4, 8].includes(p.gpus) || p.isFile);
        // The file's effective batch is kept, or grown to the next one the count divides.
        assert.ok(p.effectiveBatch >= base.microBatch * base.gradAccum * base.gpus);
        assert.ok(p.effectiveBatch < base.microBatch * base.gradAccum * base.gpus + p.gpus);
      }
      for (let i = 1; i < r.plans.length; i++) assert.ok(compareRows(r.plans[i - 1], r.plans[i], c.target) <= 0, `plan ${i} ranked above a cheaper one`);
      for (let i = 1; i < r.plans.length; i++) assert.ok(cost(r.plans[i - 1], c.target) <= cost(r.plans[i], c.target) * (1 + 1e-9));
    });
  }

  it('the file\'s own setup, when it fits and meets the target, is listed or beaten by every plan listed', () => {
    for (const argv of [['meta-llama/Llama-3.1-8B', '--method', 'lora', '--gpu', 'A100-80GB'], ['meta-llama/Llama-3.1-8B', '--method', 'qlora', '--gpu', 'L40S', '--gradient-checkpointing'], ['meta-llama/Llama-3.1-8B', '--method', 'lora', '--gpu', 'H100', '--gpus', '2', '--zero', '2']]) {
      const base = inputs(argv);
      const own = estimateTraining(base);
      assert.ok(own.fits, argv.join(' '));
      for (const limit of [1, 3, 10]) {
        const r = searchTraining(base, catalog, { target: {}, limit });
        assert.ok(r.current?.isFile && r.current.fits);
        const listed = r.plans.some((p) => p.isFile);
        // Not listed: either every listed plan is no more expensive, or an equal-cost grid row on the same hardware replaced it.
        if (!listed) for (const p of r.plans) assert.ok(p.costPerMillionTokens <= r.current.costPerMillionTokens * (1 + 1e-9), `${argv.join(' ')}: listed ${p.gpu} costs more than the file's`);
      }
      // Searched on the file's GPU only, the file's setup (or a variant as cheap on the same hardware) comes first.
      const onFile = searchTraining(base, catalog, { target: {}, gpus: [base.gpu.id], counts: [base.gpus] });
      assert.ok(onFile.plans[0].costPerMillionTokens <= onFile.current!.costPerMillionTokens * (1 + 1e-9));
    }
  });

  it('pruning micro-batches loses no optimum: brute force over a small grid agrees on the cheapest cost', () => {
    const base = inputs(['meta-llama/Llama-3.1-8B', '--micro-batch', '8', '--grad-accum', '2', '--seq-len', '4096']);
    const gpus = ['L40S', 'A100-80GB', 'H100'];
    const counts = [1, 2, 4];
    for (const target of [{}, { tokensPerSecond: 15_000 }, { tokens: 2e8, maxHours: 4 }] as TrainingTarget[]) {
      const r = searchTraining(base, catalog, { target, gpus, counts, methods: ['full', 'lora'], limit: 1000 });
      let best = Infinity;
      const effective = base.microBatch * base.gradAccum * base.gpus;
      for (const id of gpus) for (const n of counts) for (const method of ['full', 'lora'] as const) for (const precision of ['mixed', 'bf16'] as const)
        for (const sh of n === 1 ? [{ kind: 'none', stage: 0 }] : [{ kind: 'none', stage: 0 }, { kind: 'zero', stage: 1 }, { kind: 'zero', stage: 2 }, { kind: 'zero', stage: 3 }] as const)
          for (const ckpt of [false, true]) {
            const perGpu = Math.ceil(effective / n);
            for (let m = 1; m <= perGpu; m++) {
              if (perGpu % m) continue;
              const x: TrainingInputs = {
                ...base, method, lora: method === 'lora' ? { rank: DEFAULT_LORA_RANK, alpha: DEFAULT_LORA_RANK * 2, targets: DEFAULT_LORA_TARGETS, dora: false, adapterDtype: 'fp32' } : undefined,
                precision, gpu: catalog.find(id)!, gpus: n, gpusPerNode: n, gradientCheckpointing: ckpt,
                sharding: { kind: sh.kind as 'none', stage: sh.stage as 0, offloadOptimizer: 'none', offloadParams: 'none' }, microBatch: m, gradAccum: perGpu / m,
              };
              const rr = row(estimateTraining(x), x, base, target, false);
              if (rr.meetsTarget) best = Math.min(best, cost(rr, target));
            }
          }
      const fileCost = r.current!.meetsTarget ? cost(r.current!, target) : Infinity;
      assert.ok(Number.isFinite(best), 'the brute force finds a plan');
      assert.ok(r.plans.length > 0);
      assert.ok(Math.abs(cost(r.plans[0], target) - Math.min(best, fileCost)) <= 1e-9 * best, `${JSON.stringify(target)}: search ${cost(r.plans[0], target)} vs brute force ${best}`);
    }
  });

  it('a target nothing meets returns no plan and says so; bad flags are usage errors', () => {
    const base = inputs(['meta-llama/Llama-3.1-8B', '--method', 'lora']);
    const r = searchTraining(base, catalog, { target: { tokensPerSecond: 1e12 } });
    assert.equal(r.plans.length, 0);
    assert.match(r.notes.join(' '), /no setup meets the target/);
    const flags = (argv: string[]) => searchOptionsFromFlags(parseCommandArgs(makeTrainCommand(), ['m', ...argv]).values);
    assert.throws(() => flags(['--tokens', '1B']), UsageError);
    assert.throws(() => flags(['--cheapest', '--max-hours', '3']), UsageError);
    assert.throws(() => flags(['--cheapest', '--tokens', 'lots']), UsageError);
    assert.throws(() => flags(['--cheapest', '--search-methods', 'freeze']), UsageError);
    assert.deepEqual(flags(["--cheapest", "--tokens", "2B", "--max-hours", "24"])?.target, { tokensPerSecond: undefined, tokens: 2e9, maxHours: 24 });
    assert.equal(flags([]), undefined);
  });
});
