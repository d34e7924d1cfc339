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
    // max-num-seqs is each data-parallel rank's, and so is its KV pool.
    const ranks = e.serving.dataParallel;
    const room = Math.floor(e.memory.kvCapacityTokens / ranks / reqTokens);
    if (room >= set.value || room < 1) return [];
    return [{
      rule: this.code, technique: 'continuous-batching' as const, severity: this.defaultSeverity,
      message: `${describeChange(e.serving.engine, 'maxNumSeqs', set.value)} but the KV cache holds only ${room} requests of ${reqTokens} tokens${ranks > 1 ? ' per rank' : ''}; beyond that the engine preempts and recomputes.`,
      range: rangeFor(plan, set.source),
      fixes: [{ title: `Set ${describeChange(e.serving.engine, 'maxNumSeqs', room)} — what the KV cache holds for ${reqTokens}-token requests`, changes: [{ knob: 'maxNumSeqs', value: room }] }],
    }];
  },
};
