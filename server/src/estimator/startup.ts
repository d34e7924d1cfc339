/**
 * How long an engine takes from container start until it serves: boot, reading the weights, then profiling, KV
 * allocation, torch.compile and CUDA-graph capture. Fitted as bounds on the eight vLLM 0.19 startup logs of one H100
 * (shared/calibration/logs, weights already on local disk):
 * - boot (first log line → "Starting to load model"): 18–32 s → 32 s;
 * - "Loading weights took": 0.78–2.5 GiB/s per worker (each TP/PP worker reads its own shard at once; the TP 2 run's
 *   7.51 GiB in 9.57 s is the slowest) → 0.78 GiB/s;
 * - "init engine (profile, create kv cache, warmup model) took": 7.3–25.7 s (graph capture 3–4 s of it) → 26 s.
 * A download from the Hub on first start is not counted (one log: 12.6 GiB in 26 s), nor a cold torch.compile cache
 * of a large model: both only lengthen it.
 */
const GiB = 2 ** 30;

export const BOOT_SEC = 32;
export const LOAD_BYTES_PER_SEC = 0.78 * GiB;
export const ENGINE_INIT_SEC = 26;

export interface LoadTime {
  seconds: number;
  weightsSec: number;
  /** The assumption as the message states it. */
  note: string;
}

/** Seconds until the engine serves, for the weights one GPU's worker reads (offloaded ones included). */
export function loadTime(weightsBytesPerGpu: number): LoadTime {
  const weightsSec = Math.max(0, weightsBytesPerGpu) / LOAD_BYTES_PER_SEC;
  const seconds = BOOT_SEC + weightsSec + ENGINE_INIT_SEC;
  const note = `${BOOT_SEC} s boot + ${(weightsBytesPerGpu / GiB).toFixed(1)} GiB per GPU at 0.78 GiB/s (${Math.round(weightsSec)} s) + ${ENGINE_INIT_SEC} s profiling and CUDA graphs — the slowest of eight vLLM 0.19 startups on H100 with the weights on local disk; a first download from the Hub comes on top`;
  return { seconds, weightsSec, note };
}
