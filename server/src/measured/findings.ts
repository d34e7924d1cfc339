/**
 * What a log or result file says that needs saying: a predicted figure that disagrees with the measured one beyond the
 * estimate's stated error, and the warnings the engine logged while serving (preemption, a full KV cache, chunked
 * prefill off), each with the fix to make in the config file — in that engine's spelling.
 */
import type { EngineName } from '../plan/types';
import { engineLabels } from '../plan/types';
import type { Finding } from '../rules/types';
import type { LogEvent, MeasuredRun } from '../formats/logs/types';
import { Comparison, formatFigure } from './compare';

const KEYS: Record<EngineName, { util: string; kvDtype: string; seqs: string; chunked: string }> = {
  vllm: { util: 'gpu-memory-utilization', kvDtype: 'kv-cache-dtype: fp8', seqs: 'max-num-seqs', chunked: 'enable-chunked-prefill: true (with max-num-batched-tokens ≈ 8192)' },
  sglang: { util: 'mem-fraction-static', kvDtype: 'kv-cache-dtype: fp8_e5m2', seqs: 'max-running-requests', chunked: 'chunked-prefill-size: 8192' },
  trtllm: { util: 'kv_cache_config.free_gpu_memory_fraction', kvDtype: 'kv_cache_config.dtype: fp8', seqs: 'max_batch_size', chunked: 'enable_chunked_prefill: true' },
  tgi: { util: 'cuda-memory-fraction', kvDtype: 'kv-cache-dtype: fp8_e5m2', seqs: 'max-concurrent-requests', chunked: 'max-batch-prefill-tokens' },
  tei: { util: '', kvDtype: '', seqs: '', chunked: '' },
};

const times = (e: LogEvent) => (e.count > 1 ? `${e.count} times (lines ${e.line}–${e.lastLine})` : `at line ${e.line}`);

function eventFinding(run: MeasuredRun, e: LogEvent): Finding {
  const engine = run.engine ?? 'vllm';
  const k = KEYS[engine];
  const who = engineLabels[engine];
  switch (e.kind) {
    case 'preemption':
      return { rule: 'engine-preemption', severity: 'warning', range: e.range,
        message: `${who} preempted requests ${times(e)}: the KV cache ran out under this load, so preempted requests recompute their prompts and latency jumps. Fix in the config: more KV room (${k.util} up, ${k.kvDtype}, more tensor parallelism) or fewer requests at once (${k.seqs}).` };
    case 'kv-cache-full':
      return { rule: 'engine-kv-cache-full', severity: 'warning', range: e.range,
        message: `The KV cache was full ${times(e)}: at 100 % the engine preempts running requests and queues new ones. Fix in the config: ${k.kvDtype}, ${k.util} up, or a shorter max-model-len; or send fewer requests at once.` };
    case 'chunked-prefill-off':
      return { rule: 'engine-chunked-prefill-off', severity: 'info', range: e.range,
        message: `Chunked prefill is off: each long prompt prefills in one step and stalls every running decode for it (TPOT spikes while prompts arrive). Fix in the config: ${k.chunked}.` };
  }
}

function comparisonFinding(c: Comparison): Finding {
  const sign = c.deltaPct >= 0 ? '+' : '';
  const message = `${c.label}: measured ${formatFigure(c.figure, c.measured)}, predicted ${formatFigure(c.figure, c.predicted)} (${sign}${c.deltaPct.toFixed(1)} %), beyond ${c.basis}.${c.reason ? ` Likely: ${c.reason}.` : ''}`;
  return { rule: 'measured-differs', severity: c.kind === 'memory' ? 'warning' : 'info', range: c.range, message };
}

export function measuredFindings(run: MeasuredRun, comparisons: Comparison[]): Finding[] {
  return [...comparisons.filter((c) => c.disagrees).map(comparisonFinding), ...run.events.map((e) => eventFinding(run, e))].map((f) => ({ ...f, workload: 0 }));
}
