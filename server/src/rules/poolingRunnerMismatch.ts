/**
 * The runner disagrees with the checkpoint: an embedding / reranking model served for generation (vLLM's auto runner
 * follows the architecture, so Qwen3-Embedding's `Qwen3ForCausalLM` comes up as a text generator without
 * `--runner pooling`; SGLang without `--is-embedding`), or a generative model put behind a pooling runner.
 */
import { engineLabels } from '../plan/types';
import { atOrAfter } from '../catalog/flagHistory';
import { rangeFor } from './estimatorIssues';
import { versionInForce } from './flagFindings';
import type { FixIntent, Rule } from './types';

export const poolingRunnerMismatchRule: Rule = {
  code: 'pooling-runner-mismatch',
  description: 'An embedding / reranking model served for generation, or a generative model served by a pooling runner',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const engine = plan.engine.name.value;
    if (engine === 'tei' || engine === 'tgi' || engine === 'trtllm') return [];
    const kind = e.model.servingKind;
    if (!kind) return [];
    const label = engineLabels[engine];
    const served = e.pooling ? 'pooling' : 'generate';
    if (kind.kind === served) return [];
    const set = plan.knobs.pooling;
    // `--task embed` (vLLM ≤ 0.10) is edited by hand: the fix writes `--runner`, which that version does not know.
    // Before v0.10.1 there is no --runner to write (catalog/flagHistory.ts): the user edits --task by hand there too.
    const byTask = (set?.source.kind === 'file' && /^(--)?task$/.test(set.source.key)) || (engine === 'vllm' && !atOrAfter(versionInForce(plan).release, '0.10.1'));
    if (kind.kind === 'pooling') {
      const how = engine === 'vllm' ? '--runner pooling (--task embed before v0.10.1)' : '--is-embedding';
      const fixes: FixIntent[] = byTask ? [] : [{ title: `Serve it for pooling: ${engine === 'vllm' ? 'runner: pooling' : 'is-embedding'}`, changes: [{ knob: 'pooling', value: true }], preferred: true }];
      return [{
        rule: this.code, severity: this.defaultSeverity,
        message: `${kind.why}, but ${label} serves it for generation as configured${set ? '' : ' (its auto choice follows the architecture name)'}: /v1/embeddings${engine === 'vllm' ? ' and /score' : ''} are not served and a decode KV pool is sized for it. Add ${how}.`,
        range: rangeFor(plan, set?.source), fixes,
      }];
    }
    // A generative checkpoint behind a pooling runner: it returns hidden-state embeddings, not text.
    const fixes: FixIntent[] = engine === 'vllm' && !byTask && set?.source.kind === 'file' ? [{ title: 'Serve it for generation: runner: generate', changes: [{ knob: 'pooling', value: false }] }] : [];
    return [{
      rule: this.code, severity: 'info',
      message: `${kind.why}, served by ${label}'s pooling runner: it answers with embeddings pooled from its hidden states, not generated text — intended only for an embedding model built on this architecture.`,
      range: rangeFor(plan, set?.source), fixes,
    }];
  },
};
