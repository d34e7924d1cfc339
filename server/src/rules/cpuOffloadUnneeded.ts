/**
 * `--cpu-offload-gb` where the weights fit without it: every forward step then reads the offloaded bytes over the host
 * link for nothing (estimator/offload.ts prices it; vllm-project/vllm#57771 saw 2434 → 120 tokens/s, ~19×, after a
 * move to GPUs where the weights fit). The estimate is re-run without the flag; when it fits, the fix removes the flag
 * (edits/remove.ts); when it does not, an info note says what the offload costs each step.
 */
import { rangeFor } from './estimatorIssues';
import type { KnobChange, Rule } from './types';

export const REMOVE_CPU_OFFLOAD: KnobChange[] = [{ knob: 'cpuOffloadGb', value: '', remove: true }];

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));

export const cpuOffloadUnneededRule: Rule = {
  code: 'cpu-offload-unneeded',
  description: 'CPU weight offload where the weights fit on the GPUs anyway, or what it costs each step where it is needed',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const knob = plan.knobs.cpuOffloadGb;
    const off = e.memory.cpuOffload;
    if (!knob || knob.source.kind !== 'file' || !off) return [];
    const without = ctx.whatIf(REMOVE_CPU_OFFLOAD);
    if (!without) return [];
    const stepMs = off.streamSecPerStep * 1e3;
    const cost = `every forward step reads the ${gib(off.offloadedBytesPerGpu)} per GPU it keeps in host RAM over ${off.link.source}: +${stepMs.toFixed(1)} ms per step`;
    if (!without.memory.fits) {
      return [{
        rule: this.code, severity: 'info', range: rangeFor(plan, knob.source),
        message: `cpu-offload-gb ${knob.value}: needed — the weights (${gib(off.weightsBytesPerGpu)} per GPU) do not fit without it — but ${cost} (TPOT ${e.latency.tpotMs.toFixed(1)} ms). More GPUs (tensor parallel) or quantized weights avoid it.`,
      }];
    }
    return [{
      rule: this.code, severity: this.defaultSeverity, range: rangeFor(plan, knob.source),
      message: `cpu-offload-gb ${knob.value}: the weights (${gib(off.weightsBytesPerGpu)} per GPU) fit without offloading, yet ${cost}. TPOT ${e.latency.tpotMs.toFixed(1)} ms with it, ${without.latency.tpotMs.toFixed(1)} ms without; it also takes ${gib(off.offloadedBytesPerGpu * e.hardware.count)} of pinned host RAM. Without it the KV cache holds ${tokens(without.memory.kvCapacityTokens)} tokens (${tokens(e.memory.kvCapacityTokens)} with it).`,
      fixes: [{ title: `Remove cpu-offload-gb — TPOT ${e.latency.tpotMs.toFixed(1)} → ${without.latency.tpotMs.toFixed(1)} ms, ${gib(off.offloadedBytesPerGpu * e.hardware.count)} less host RAM`, changes: REMOVE_CPU_OFFLOAD, preferred: true }],
    }];
  },
};
