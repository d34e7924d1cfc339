/**
 * Latency against concurrency, across sampled catalog models × GPUs × engines × workloads: more clients never make a
 * request faster. TTFT and TPOT do not fall and throughput does not fall until the KV pool or max-num-seqs saturates.
 *
 * On the report's curve (powers of two, then what the pool admits) this holds exactly. Between neighbouring client
 * counts a closed loop of exact-length requests has a physical sawtooth: clients whose prompts fill one token budget
 * finish together and come back as one cohort, and one more client adds a cohort of one whose prompt is prefilled on
 * its own, so the mean TTFT can dip by a few percent (measured benchmarks dip too: TensorRT-LLM's TTFT falls from 8 to
 * 16 to 32 clients on several calibration rows). That dip is bounded here; the simulation artefact that made
 * TTFT fall by 29 % from 2 to 3 clients on an L4 is not allowed.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { catalogModelIds } from '../../server/src/catalog/models';
import { estimate, Estimate } from '../../server/src/estimator/estimate';
import { byDefault, DeploymentPlan, EngineName, sourced } from '../../server/src/plan/types';

const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function at(model: string, gpu: string, engine: EngineName, concurrency: number, inputLen: number, outputLen: number): Estimate | undefined {
  const plan: DeploymentPlan = {
    name: model,
    model: { ref: sourced(model, cli('model')) },
    hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')) },
    knobs: { maxModelLen: sourced(8192, cli('max-model-len')) },
    workload: { inputLen: sourced(inputLen, cli('input-len')), outputLen: sourced(outputLen, cli('output-len')), concurrency: sourced(concurrency, cli('concurrency')) },
  };
  const r = estimate(plan);
  return r.ok && r.estimate.memory.fits ? r.estimate : undefined;
}

/** Requests the deployment runs at once: beyond this, clients queue (throughput is flat, TTFT grows). */
const saturatedAt = (e: Estimate) => Math.min(e.serving.maxNumSeqs, Math.floor(e.memory.kvCapacityTokens / (e.workload.inputLen + e.workload.outputLen)));

interface Case { model: string; gpu: string; engine: EngineName; inputLen: number; outputLen: number }

/** A fixed stride through models × GPUs × engines × workloads (deterministic; a few dozen deployments). */
function sampled(n: number): Case[] {
  const models = catalogModelIds().filter((m) => !/405B|DeepSeek-V3|DeepSeek-R1$|DeepSeek-R1-0528|235B|120b|Mixtral-8x22B/.test(m));
  const gpus = ['L4', 'A10G', 'L40S', 'A100-80GB', 'H100-SXM', 'H200', 'B200', 'MI300X'];
  const engines: EngineName[] = ['vllm', 'sglang', 'trtllm', 'tgi'];
  const workloads: Array<[number, number]> = [[1024, 256], [2000, 300], [128, 1024], [4000, 200]];
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const [inputLen, outputLen] = workloads[(i >> 2) % workloads.length];
    out.push({ model: models[(i * 11) % models.length], gpu: gpus[(i * 3) % gpus.length], engine: engines[i % engines.length], inputLen, outputLen });
  }
  return out;
}

/** The point-to-point checks: `tolerance` is the largest relative fall allowed. */
function checkCurve(c: Case, concurrencies: number[], tolerance: number): number {
  let prev: Estimate | undefined;
  let points = 0;
  const label = `${c.model} on ${c.gpu} (${c.engine}, ${c.inputLen}/${c.outputLen})`;
  for (const n of concurrencies) {
    const e = at(c.model, c.gpu, c.engine, n, c.inputLen, c.outputLen);
    if (!e) return points;
    if (prev) {
      const p = prev.latency;
      const l = e.latency;
      assert.ok(l.ttftMs >= p.ttftMs * (1 - tolerance), `${label}: TTFT ${p.ttftMs.toFixed(1)} ms at ${p.concurrency} clients, ${l.ttftMs.toFixed(1)} ms at ${n}`);
      assert.ok(l.tpotMs >= p.tpotMs * (1 - tolerance), `${label}: TPOT ${p.tpotMs.toFixed(2)} ms at ${p.concurrency} clients, ${l.tpotMs.toFixed(2)} ms at ${n}`);
      if (n <= saturatedAt(e)) assert.ok(l.outputTokensPerSec >= p.outputTokensPerSec * (1 - tolerance), `${label}: throughput ${p.outputTokensPerSec.toFixed(1)} tokens/s at ${p.concurrency} clients, ${l.outputTokensPerSec.toFixed(1)} at ${n}`);
      points++;
    }
    prev = e;
  }
  return points;
}

describe('latency curves are monotone in concurrency', () => {
  it('Llama-3.1-8B on one L4 (vLLM, 1024/256): TTFT rises with every client added (2 → 3 fell by 29 %)', () => {
    const ttft = [1, 2, 3, 4, 5, 6].map((n) => at('meta-llama/Llama-3.1-8B-Instruct', 'L4', 'vllm', n, 1024, 256)!.latency.ttftMs);
    for (let i = 1; i < ttft.length; i++) assert.ok(ttft[i] > ttft[i - 1], `TTFT ${ttft.map((x) => x.toFixed(0)).join(', ')} ms at 1..6 clients`);
  });

  it('on the report curve (powers of two up to 64, and 3): TTFT, TPOT, throughput until saturation never fall', () => {
    let points = 0;
    for (const c of sampled(32)) points += checkCurve(c, [1, 2, 3, 4, 8, 16, 32, 64], 0.005);
    assert.ok(points >= 100, `only ${points} points compared`);
  });

  it('between neighbouring client counts (1..24): at most the few-percent cohort sawtooth', () => {
    let points = 0;
    for (const c of sampled(16)) points += checkCurve(c, Array.from({ length: 24 }, (_, i) => i + 1), 0.08);
    assert.ok(points >= 150, `only ${points} points compared`);
  });
});
