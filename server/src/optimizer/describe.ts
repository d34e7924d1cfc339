/** What a search looked for, in one line for the plan picker's title and the CLI ("no SLO set: cheapest that fits 32 concurrent 2k/300 requests"). */
import type { OptimizeRequest } from './types';

/** 2048 or 2000 → "2k", 1536 or 1500 → "1.5k", 300 → "300" (as people say prompt lengths). */
export function tokens(n: number): string {
  if (n < 1000) return String(n);
  for (const unit of [1024, 1000]) {
    if (n % unit === 0) return `${n / unit}k`;
    if ((n * 2) % unit === 0) return `${(n / unit).toFixed(1)}k`;
  }
  return String(n);
}

/** The workload part: "32 concurrent 2k/300 requests", "4 requests/s of 2k/300 tokens", "as many 2k/300 requests as fit". */
export function workloadText(req: Pick<OptimizeRequest, 'inputLen' | 'outputLen' | 'concurrency' | 'requestRate'>): string {
  const shape = `${tokens(req.inputLen)}/${tokens(req.outputLen)}`;
  if (req.requestRate !== undefined) return `${req.requestRate} requests/s of ${shape} tokens`;
  if (req.concurrency !== undefined) return `${req.concurrency} concurrent ${shape} request${req.concurrency === 1 ? '' : 's'}`;
  return `as many ${shape} requests as fit`;
}

export function searchDescription(req: OptimizeRequest): string {
  const slo = [
    req.slo.ttftMs !== undefined ? `TTFT ≤ ${req.slo.ttftMs} ms` : '',
    req.slo.tpotMs !== undefined ? `TPOT ≤ ${req.slo.tpotMs} ms` : '',
    req.slo.minThroughput !== undefined ? `≥ ${req.slo.minThroughput} tokens/s` : '',
  ].filter(Boolean);
  return slo.length ? `${slo.join(', ')} for ${workloadText(req)}` : `no SLO set: cheapest that fits ${workloadText(req)}`;
}
