/**
 * The estimator against the calibration measurements in ../shared/calibration (beside the project). Skips, saying so,
 * when that folder is absent — users clone the project alone; CI has it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { harnessRunErrors, h100Rows, h200Rows, moeLayerRows, startupRows, servingRows, summarize } from '../../bench/accuracy';
import { errorTable } from '../../bench/errorTable';
import { launchRows, summarizeLaunch } from '../../bench/launchRows';
import { MEASURED_ERROR_TABLE } from '../../server/src/estimator/measuredErrorTable';
import { root } from '../support/paths';

const dir = path.resolve(root, '..', 'shared', 'calibration');
const skip = fs.existsSync(dir) ? false : `calibration data not found at ${dir} (../shared is not beside this checkout)`;

describe('accuracy against ../shared/calibration', { skip }, () => {
  const rows = skip ? [] : [...h100Rows(dir), ...startupRows(dir), ...servingRows(dir)];
  const summary = new Map(summarize(rows).map((s) => [s.metric, s]));

  it('KV bytes per token are exact for every measured model', () => {
    const s = summary.get('kvBytesPerToken')!;
    assert.ok(s.n >= 10, `only ${s.n} rows`);
    assert.equal(s.maxAbsPct, 0);
  });

  it('weights per GPU: median within 1 %', () => {
    const s = summary.get('weights')!;
    assert.ok(s.n >= 20 && s.medianAbsPct <= 1, JSON.stringify(s));
  });

  it('KV capacity in tokens: median within 3 %', () => {
    const s = summary.get('kvCapacity')!;
    assert.ok(s.n >= 20 && s.medianAbsPct <= 3, JSON.stringify(s));
  });

  it('serving-measurements.csv keeps its 619 runs (the launch file is read beside it, not into these metrics)', () => {
    assert.equal(summary.get('ttft')!.n, 619);
    assert.equal(summary.get('tpot')!.n, 619);
  });

  it('TPOT of the serving runs: median within 10 %', () => {
    const s = summary.get('tpot')!;
    assert.ok(s.n >= 100 && s.medianAbsPct <= 10, JSON.stringify(s));
  });

  // 33.1 → 31.0 % when these rows came to run AIConfigurator's generator rules (launchRows.ts aicGeneratorKnobs).
  it('TTFT of the serving runs: no regression past the current 31 % median', () => {
    const s = summary.get('ttft')!;
    assert.ok(s.n >= 100 && s.medianAbsPct <= 33, JSON.stringify(s));
  });

  // The 15 % target is not met yet: reported as a todo line (no failing assertion, so no stack under "failing tests"),
  // while the README's Accuracy row must say what the measurement says — met or not — so this test can still fail.
  it('TTFT of the serving runs: median within 15 % (the target; see README "Accuracy")', (t) => {
    const s = summary.get('ttft')!;
    const row = fs.readFileSync(path.join(root, 'README.md'), 'utf8').split('\n').find((l) => l.startsWith('| TTFT (same runs) |'));
    assert.ok(row, 'README Accuracy table has no TTFT row');
    const met = s.medianAbsPct <= 15;
    assert.match(row, met ? /\| yes \|$/ : /\| \*\*no\*\* \|$/, `README says ${row}, measured median ${s.medianAbsPct.toFixed(2)} %`);
    if (!met) t.todo(`TTFT median ${s.medianAbsPct.toFixed(2)} % vs 15 % target (${s.n} serving runs)`);
  });
});

describe('the launch-config rows (serving-measurements-launch.csv) against ../shared/calibration', { skip }, () => {
  const read = skip ? { rows: [], refused: [], lines: 0 } : launchRows(dir);
  const s = summarizeLaunch(read);
  const total = (name: string) => {
    const g = s.totals.find((x) => x.group === name);
    assert.ok(g, `no "${name}" line`);
    return g;
  };

  it('every line of the file is estimated or reported: none dropped', () => {
    assert.ok(read.lines >= 1000, `only ${read.lines} lines`);
    assert.equal(read.rows.length / 2 + read.refused.length, read.lines);
    for (const r of read.refused) assert.ok(r.why.length > 0, r.label);
  });

  it('both harnesses are read, each row with its launch config or the generator rules', () => {
    assert.ok(total('harness inferencex').runs >= 850, JSON.stringify(total('harness inferencex')));
    assert.ok(total('harness aic-internal').runs >= 200, JSON.stringify(total('harness aic-internal')));
  });

  it('rows not expressible as their deployment stay few and are reported apart', () => {
    const apart = read.rows.filter((r) => r.standing.kind !== 'group').length / 2 + read.refused.length;
    assert.ok(apart <= 23, `${apart} runs outside the groups`);
    assert.ok(read.refused.length <= 2, JSON.stringify(s.refused));
  });

  // Guards at the level measured when the launch rows were brought in (+ about 3 points TTFT, 2 points TPOT), not at
  // the targets (TTFT 15 %, TPOT 10 %): a change that makes these rows worse fails here. Tightened where the
  // MTP/EAGLE draft's output head (speculative.ts) improved TPOT: all 15.7 → 14.8 %, InferenceX 12.5 → 12.2 %,
  // B200-class 43.7 → 43.1 % TTFT and 14.7 → 14.0 % TPOT. Tightened again where 4-bit weights on Hopper became W4A16
  // (quantization.ts W4A16_COMPUTE_SHARE): TTFT all 41.6 → 34.9 %, InferenceX 44.6 → 37.9 %, H100 29.8 → 21.7 %,
  // H200 40.1 → 28.6 %, at a TPOT cost of under a point (decode steps pay the slower MMAs at large batches).
  // Tightened again where TensorRT-LLM's stream_interval came to hold the first streamed chunk (resolveKnobs.ts
  // trtllmFirstChunkIterations): TTFT all 31.7 → 26.3 %, InferenceX 32.6 → 25.6 %, H200 28.6 → 25.9 %, B200-class
  // 40.4 → 29.0 %; TPOT within a point (the client's TPOT leaves out the held steps). Tightened again where vLLM's
  // async scheduling (on from 0.14, the recipes' --async-scheduling before) hid its scheduler time and delayed arrivals
  // a step (engines/vllm.ts): TPOT all 16.2 → 13.7 %, InferenceX 13.5 → 10.8 %, H100 TTFT 21.7 → 18.1 %.
  // Expert parallelism under tensor-parallel attention lost the all-to-all those engines never run and gained its
  // busiest rank (latency.ts busiestRankPicks): TPOT AIC 29.8 → 22.8 %, H100 25.9 → 14.8 % (tightened), while the
  // prompt steps it had padded left H100 TTFT at 22.4 % (was 18.1; loosened to 24) and all TTFT at 26.7 % (was 25.7).
  // TensorRT-LLM's attention-DP balancing (resolveKnobs.ts trtllmAttentionDpBalance) holds new prompts until every
  // rank has one: TTFT all 26.7 → 25.9 %, InferenceX 25.1 → 23.8 %, H200 26.5 → 24.6 %, B200-class 29.6 → 28.4 %.
  // SGLang's eager prompt steps (engines/sglang.ts eagerPromptHostSecPerMoeLayer): TTFT all 25.9 → 23.3 %, InferenceX
  // 23.8 → 21.4 %, B200-class 28.4 → 23.7 % (tightened), H200 24.6 → 23.7 %.
  const guards: Array<[string, number, number]> = [
    ['all (as measured)', 25.5, 15],
    ['harness inferencex', 23.5, 12.5],
    ['harness aic-internal', 35, 25],
    ['GPU H100', 24, 17],
    ['GPU H200', 25.5, 13.5],
    // B200-class TTFT 43.7 → 50.4 % when the InferenceX rows gained their client (lengths spread over [0.8·L, L] instead
    // of every request at 0.9·L): spread outputs end the requests' lockstep, the follow-up bursts it made go, and the
    // estimate fell below the measurements — most of that was TensorRT-LLM's held first chunk (above).
    ['GPU B200-class', 26, 16],
  ];
  for (const [name, ttft, tpot] of guards) {
    it(`${name}: TTFT median within ${ttft} %, TPOT within ${tpot} % (no regression)`, () => {
      const g = total(name);
      assert.ok(g.runs >= 150, JSON.stringify(g));
      assert.ok(g.ttftMedianAbsPct <= ttft, JSON.stringify(g));
      assert.ok(g.tpotMedianAbsPct <= tpot, JSON.stringify(g));
    });
  }
});

describe('the error estimates state (server/src/estimator/measuredErrorTable.ts) is the harness\'s', { skip }, () => {
  it('the committed table equals what both serving files give now (regenerate: node out/bench/accuracy.js --emit-error-table)', () => {
    const serving = servingRows(dir);
    const computed = errorTable(harnessRunErrors(serving, launchRows(dir)));
    assert.ok(computed.overall.runs >= 1600, `only ${computed.overall.runs} runs`);
    assert.deepEqual(MEASURED_ERROR_TABLE, computed);
  });
});

describe('the MoE layer model against our own H100 measurements (bench/calibration, always present)', () => {
  const rows = moeLayerRows();
  const s = summarize(rows).find((x) => x.metric === 'h100MoeLayer')!;

  it('five expert shapes × 1…8192 tokens: median within 15 % of a grouped-GEMM layer under a CUDA graph', () => {
    assert.ok(s.n >= 60, `only ${s.n} rows`);
    assert.ok(s.medianAbsPct <= 15, JSON.stringify(s));
  });

  it('decode batches (16–256 tokens), where expert weights stream, within 20 % on every shape in bf16 and FP8', () => {
    const decode = rows.filter((r) => { const m = Number(/ (\d+) tokens/.exec(r.label)![1]); return m >= 16 && m <= 256; });
    assert.ok(decode.length >= 20);
    for (const r of decode) assert.ok(Math.abs(r.errorPct) <= 20, `${r.label}: ${r.errorPct.toFixed(1)} %`);
  });
});

describe('the H200-measured shares against our own H200 run (bench/calibration/*-h200.csv, always present)', () => {
  // Guards at the level measured once the H200's own shares (catalog/gpus.ts measured) replaced the H100's
  // (before: MoE layer 29 %, FP8 experts 22 %, bf16 GEMMs 16.8 %, fp8 GEMMs 21.5 %, decode attention 67 % on every point).
  const s = new Map(summarize(h200Rows()).map((x) => [x.metric, x]));
  const guards: Array<[Parameters<typeof s.get>[0], number, number]> = [
    ['h200MoeLayer', 60, 14],
    ['h200MoeFp8', 60, 7],
    ['h200GemmBf16', 100, 9],
    ['h200GemmFp8', 100, 14],
    ['h200AttnPrefill', 10, 6],
    ['h200DecodeAttn', 15, 15],
  ];
  for (const [metric, rows, median] of guards) {
    it(`${metric}: ≥ ${rows} rows, median within ${median} %`, () => {
      const g = s.get(metric)!;
      assert.ok(g.n >= rows && g.medianAbsPct <= median, JSON.stringify(g));
    });
  }
});
