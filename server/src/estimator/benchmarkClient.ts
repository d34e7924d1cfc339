/**
 * The benchmark client a latency figure is what it would report: how many requests it sends, how their lengths
 * spread, whether the first wave leaves at once, which warm-ups it drops and which statistic it prints. The same
 * deployment reads differently under `vllm bench serve` and aiperf, and an engineer checks their deployment against
 * the number their client prints.
 *
 * Sources (../shared/research/silicon-harness.md §1):
 * - benchmark_serving.py as InferenceX vendors it (SemiAnalysisAI/InferenceX@f34a83b25:utils/bench_serving/
 *   benchmark_serving.py:327-329,474-506,549-562): a Semaphore(max_concurrency) and request_rate inf → the first C
 *   requests leave together, then closed loop; num_warmups copies gathered to completion before the measured run;
 *   --random-range-ratio r → lengths uniform in [r·L, L]. vLLM's own `vllm bench serve` (benchmarks/benchmark_serving.py,
 *   --num-prompts default 1000, --num-warmups default 0) reports mean / median / p99. Newer vLLM reads the ratio
 *   symmetrically ([L·(1−r), L·(1+r)]); the [r·L, L] reading is the one modelled here, the one InferenceX's 0.8 means.
 * - aiperf (ai-dynamo/aiperf@db4f6397d:aiperf/common/config/config_defaults.py:158-159, timing/
 *   request_rate_strategy.py:30-42, timing/credit_issuing_strategy.py:145-154): --concurrency without a rate bursts
 *   the first wave, --request-count default 10, --warmup-request-count default 0 as a separate phase, fixed lengths
 *   (stddev 0); reports avg / p50 / p90 / p99.
 */
import type { BenchmarkClient, BenchmarkPreset, BenchmarkStatistic } from '../plan/types';

/** Requests per client of the default workload (latency.ts BENCHMARK_ROUNDS documents why 10). */
export const DEFAULT_ROUNDS = 10;

export interface ResolvedClient {
  preset?: BenchmarkPreset;
  /** Measured requests in all; at least one. */
  requests: number;
  warmup: number;
  /** 1 = every request at exactly L. */
  lengthSpread: number;
  statistic: BenchmarkStatistic;
  firstWave: 'together' | 'staggered';
}

const PRESETS: Record<BenchmarkPreset, { name: string; requests: (c: number) => number; warmup: number; lengthSpread: number; statistic: BenchmarkStatistic }> = {
  // vllm benchmarks/benchmark_serving.py: --num-prompts 1000, --num-warmups 0, --random-range-ratio leaves lengths at L.
  'vllm-bench': { name: 'vllm bench serve', requests: () => 1000, warmup: 0, lengthSpread: 1, statistic: 'mean' },
  // aiperf config_defaults.py: REQUEST_COUNT 10, WARMUP_REQUEST_COUNT 0; --isl-stddev 0 (fixed lengths).
  aiperf: { name: 'aiperf', requests: () => 10, warmup: 0, lengthSpread: 1, statistic: 'mean' },
};

/** The client's settings with its preset's defaults (or the default workload's) filled in, for C clients. */
export function resolveClient(client: BenchmarkClient | undefined, concurrency: number): ResolvedClient {
  const c = Math.max(1, concurrency);
  const preset = client?.preset ? PRESETS[client.preset] : undefined;
  const finite = (x: number | undefined, lo: number, hi: number) => (x !== undefined && Number.isFinite(x) && x >= lo && x <= hi ? x : undefined);
  return {
    preset: client?.preset,
    requests: Math.round(finite(client?.requests, 1, 1e9) ?? preset?.requests(c) ?? DEFAULT_ROUNDS * c),
    warmup: Math.round(finite(client?.warmup, 0, 1e9) ?? preset?.warmup ?? 0),
    lengthSpread: finite(client?.lengthSpread, 1e-3, 1) ?? preset?.lengthSpread ?? 1,
    statistic: client?.statistic ?? preset?.statistic ?? 'mean',
    firstWave: client?.firstWave ?? 'together',
  };
}

/** "vllm bench serve: 640 requests at concurrency 64, lengths 0.8–1.0 × L, 128 warm-ups excluded, mean". */
export function describeClient(c: ResolvedClient, concurrency: number): string {
  const name = c.preset ? PRESETS[c.preset].name : 'closed-loop client';
  const inFlight = Math.min(concurrency, c.requests);
  const parts = [
    `${name}: ${c.requests} request(s) at concurrency ${inFlight}${inFlight < concurrency ? ` (fewer requests than the ${concurrency} clients: only ${inFlight} ever in flight)` : ''}`,
    c.lengthSpread < 1 ? `lengths ${c.lengthSpread.toFixed(2).replace(/0$/, '')}–1.0 × L (uniform, mean ${((1 + c.lengthSpread) / 2).toFixed(2)} × L)` : 'every request at exactly L',
    c.warmup > 0 ? `${c.warmup} warm-up(s) excluded (a phase of their own: the measured run still starts with its first wave)` : 'no warm-up',
    c.firstWave === 'together' ? 'first wave together' : 'first wave staggered',
    c.statistic,
  ];
  return parts.join(', ');
}

/**
 * Length fraction of request k (0-based, in sending order) in [r, 1]. The client draws every length independently
 * (np.random.randint over [r·L, L], a fixed seed), and that independence matters: completions that clump send their
 * follow-ups together, which queue behind each other's prefill — evenly spaced lengths (a low-discrepancy quadrature)
 * spread the follow-ups perfectly and under-state that queueing. So each length is a fixed hash of (k, input/output):
 * deterministic, i.i.d.-like, uniform over [r, 1].
 */
export function lengthFraction(k: number, r: number, which: 'input' | 'output'): number {
  if (r >= 1) return 1;
  return r + (1 - r) * unitHash(2 * k + (which === 'input' ? 0 : 1));
}

/** A 32-bit integer hash (Chris Wellons' lowbias32) mapped to [0, 1): a stateless, seeded-looking uniform draw. */
function unitHash(i: number): number {
  let x = (i + 0x9e3779b9) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

/** The statistic over weighted samples (weights need not sum to 1). */
export function weightedStatistic(samples: { value: number; weight: number }[], statistic: BenchmarkStatistic): number {
  if (!samples.length) return 0;
  const total = samples.reduce((a, s) => a + s.weight, 0);
  if (statistic === 'mean') return samples.reduce((a, s) => a + s.value * s.weight, 0) / total;
  const q = statistic === 'median' ? 0.5 : 0.9;
  const sorted = [...samples].sort((a, b) => a.value - b.value);
  let acc = 0;
  for (const s of sorted) {
    acc += s.weight;
    if (acc >= q * total - 1e-12) return s.value;
  }
  return sorted[sorted.length - 1].value;
}
