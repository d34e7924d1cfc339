/** max-num-seqs promises more concurrent sequences than the KV cache holds for this workload's requests. */
import { rangeFor } from './estimatorIssues';
import { describeChange } from '../edits/knobNames';
import type { Rule } from './types';

export const maxNumSeqsAboveKvRule: Rule = {
  code: 'max-num-seqs-above-kv',
  description: 'max-num-seqs above what the KV cache can hold',
  defaultSeverity: 'info',
  check({ plan, estimate: e }) {
    const set = plan.knobs.maxNumSeqs;
    if (!set || set.source.kind !== 'file' || !e.memory.fits) return [];
    const reqTokens = e.workload.inputLen + e.workload.outputLen;
    // Each data-parallel rank has its own KV pool and its own share of max-num-seqs (the whole knob, except SGLang's
    // server-wide cap under DP attention).
    const ranks = e.serving.dataParallel;
    const room = Math.floor(e.memory.kvCapacityTokens / ranks / reqTokens);
    if (room >= e.serving.maxNumSeqsPerRank || room < 1) return [];
    const value = room * (e.serving.maxNumSeqs > e.serving.maxNumSeqsPerRank ? ranks : 1);
    return [{
      rule: this.code, technique: 'continuous-batching' as const, severity: this.defaultSeverity,
      message: `${describeChange(e.serving.engine, 'maxNumSeqs', set.value)} but the KV cache holds only ${room} requests of ${reqTokens} tokens${ranks > 1 ? ' per rank' : ''}; beyond that the engine preempts and recomputes.`,
      range: rangeFor(plan, set.source),
      fixes: [{ title: `Set ${describeChange(e.serving.engine, 'maxNumSeqs', value)} — what the KV cache holds for ${reqTokens}-token requests`, changes: [{ knob: 'maxNumSeqs', value }] }],
    }];
  },
};
