/**
 * The screen's closed-form view of continuous batching (search.ts): step times memoised per layout from the
 * estimator's own step model, and the steady state they imply for a closed-loop client.
 */
import { BENCHMARK_ROUNDS, StepModel } from '../estimator/latency';

export function memoDecode(step: StepModel, ctx: number): (batch: number) => number {
  const memo = new Map<number, number>();
  return (batch) => {
    // Exact for small batches, within ~3 % beyond (the scheduler's own memo buckets).
    const b = batch < 64 ? batch : Math.round(batch / 4) * 4;
    let t = memo.get(b);
    if (t === undefined) memo.set(b, (t = step.step(b, ctx, 0, 0, b)));
    return t;
  };
}

/** Extra time a prompt adds when its chunks ride in decode steps of `batch` sequences (the mixed schedule). */
export function memoMarginalPrefill(step: StepModel, ctx: number, tokens: number, len: number): (batch: number, chunk: number) => number {
  const memo = new Map<number, number>();
  return (exactBatch, chunk) => {
    const batch = exactBatch < 64 ? exactBatch : Math.round(exactBatch / 4) * 4;
    const key = batch * 65536 + chunk;
    let t = memo.get(key);
    if (t === undefined) {
      const decodeOnly = step.step(batch, ctx, 0, 0, batch);
      t = 0;
      for (let done = 0; done < tokens; done += chunk) {
        const n = Math.min(chunk, tokens - done);
        t += step.step(batch, ctx, n, len - tokens + done + n / 2, batch + 1) - decodeOnly;
      }
      memo.set(key, t);
    }
    return t;
  };
}

/**
 * Closed-loop steady state in closed form. `running` requests cycle through a prompt and O−1 decode steps; the prompt
 * work (m per request) rides in the decode steps, so each step of pure decode time d stretches to
 *   tpot = d / (1 − ρ),  ρ = m·N / L,  L = T0 + (O−1)·tpot  (the request lifetime),
 * a quadratic in tpot solved exactly. Requests beyond the running set wait whole lifetimes; a prompt waits M/D/1-style
 * on the prompt work ahead of it, and in the first benchmark round (all clients starting together, one in
 * BENCHMARK_ROUNDS of the samples) behind half the other prompts.
 */
export function steadyFigures(d: number, m: number, T0: number, running: number, inFlight: number, O: number): { ttftSec: number; tpotSec: number; outputPerSec: number } {
  const n = O - 1;
  let tpot = d;
  if (n > 0) {
    const b = T0 - m * running - d * n;
    tpot = (-b + Math.sqrt(b * b + 4 * n * d * T0)) / (2 * n);
  }
  const rho = Math.min(0.95, Math.max(0, 1 - d / tpot));
  const lifetime = T0 + n * tpot;
  const queued = (Math.max(0, inFlight - running) / running) * lifetime;
  const burst = ((running - 1) / 2) * m / BENCHMARK_ROUNDS;
  return { ttftSec: T0 * (1 + rho / (2 * (1 - rho))) + burst + queued, tpotSec: tpot, outputPerSec: (running * O) / lifetime };
}

export const costPerMillion = (dollarsPerHour: number, tokensPerSec: number) => (tokensPerSec > 0 ? (dollarsPerHour / (tokensPerSec * 3600)) * 1e6 : Infinity);
