/**
 * A LoRA adapter whose rank (its adapter_config.json `r`, read where the path is a local folder) exceeds the rank the
 * slots are padded to. vLLM refuses it when the adapter is loaded (models.py LoRAModel checks `rank > max_lora_rank`;
 * adapters of --lora-modules are loaded at startup, so the server does not come up); SGLang's LoRAManager refuses an
 * adapter above --max-lora-rank the same way. TGI pads every adapter to its own rank: no limit to break.
 */
import { rankToSet } from '../estimator/lora';
import { measure, intent } from './fixes';
import type { Candidate } from './fixes';
import { rangeFor } from './estimatorIssues';
import type { Finding, Rule } from './types';

export const loraRankAboveMaxRule: Rule = {
  code: 'lora-rank-above-max',
  description: "A LoRA adapter's rank exceeds max-lora-rank (the engine refuses to load it)",
  defaultSeverity: 'error',
  refusesStart: true,
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const lora = e.memory.lora;
    const adapters = plan.knobs.lora?.value.adapters ?? [];
    if (!lora || lora.engine === 'tgi') return [];
    const over = adapters.filter((a) => (a.config?.rank ?? 0) > lora.rank);
    if (!over.length) return [];
    const needed = rankToSet(lora.engine, Math.max(...over.map((a) => a.config!.rank!)));
    const c: Candidate = { changes: [{ knob: 'maxLoraRank', value: needed }] };
    const after = measure(ctx, c);
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
    const fix = after ? intent(ctx, c, after, (b, a) => `adapter slots ${gib(b.memory.lora?.bytesPerGpu ?? 0)} → ${gib(a.memory.lora?.bytesPerGpu ?? 0)} per GPU`) : undefined;
    const limit = plan.knobs.maxLoraRank ? `max-lora-rank ${lora.rank}` : `the default max-lora-rank ${lora.rank}`;
    return over.map((a): Finding => ({
      rule: this.code, severity: this.defaultSeverity, refusesStart: true,
      message: `LoRA adapter "${a.name}" has rank ${a.config!.rank} (its adapter_config.json), above ${limit}: ${lora.engine === 'vllm' ? 'vLLM' : 'SGLang'} refuses to load it. Set max-lora-rank to ${needed}${lora.engine === 'vllm' ? ' (the smallest rank vLLM accepts that holds it)' : ''}.`,
      range: a.range ?? rangeFor(plan, plan.knobs.lora!.source),
      ...(fix ? { fixes: [{ ...fix, preferred: true }] } : {}),
    }));
  },
};
