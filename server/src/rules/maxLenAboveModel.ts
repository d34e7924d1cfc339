/**
 * max-model-len above the length the engine derives from the model (estimator issue `max-len-above-model`): vLLM and
 * SGLang refuse to start (estimator/contextLength.ts says where), TGI and TensorRT-LLM run it untrained past the
 * model's positions. Fixes: the model's own length, and a YaRN override where the model's card documents one.
 */
import { yarnExtension, yarnOverride } from '../estimator/contextLength';
import { describeChange } from '../edits/knobNames';
import { rangeFor } from './estimatorIssues';
import { present } from './fixes';
import type { FixIntent, KnobChange, Rule, RuleContext } from './types';

const CODE = 'max-len-above-model';

/** A fix only when, re-estimated, the engine no longer refuses the length — and a deployment that did not fit now fits. */
function checked(ctx: RuleContext, title: (after: NonNullable<ReturnType<RuleContext['whatIf']>>) => string, changes: KnobChange[], preferred = false): FixIntent | undefined {
  const after = ctx.whatIf(changes);
  if (!after || after.issues.some((i) => i.code === CODE) || (!ctx.estimate.memory.fits && !after.memory.fits)) return undefined;
  return { title: title(after), changes, ...(preferred ? { preferred } : {}) };
}

/** Set max-model-len to the length the engine derives from the model (what it serves without the key). */
function modelLengthFix(ctx: RuleContext): FixIntent | undefined {
  const limit = ctx.estimate.model.contextLimit;
  const changes: KnobChange[] = [{ knob: 'maxModelLen', value: limit }];
  return checked(ctx, (a) => `Set ${describeChange(ctx.estimate.serving.engine, 'maxModelLen', limit)} — the model's own context (${a.memory.maxConcurrency}× requests of ${limit} tokens fit)`, changes, true);
}

/** YaRN RoPE scaling to the requested length, for model families whose card documents it (vLLM, SGLang). */
function yarnFix(ctx: RuleContext): FixIntent | undefined {
  const { estimate: e, plan } = ctx;
  if (e.serving.engine !== 'vllm' && e.serving.engine !== 'sglang') return undefined;
  // A file that already overrides the config (other hf-overrides keys) is edited by hand: a rewrite would drop them.
  if (plan.keys?.some((k) => k.knob === 'ropeScaling')) return undefined;
  const ext = yarnExtension(e.model);
  const o = ext && yarnOverride(e.serving.engine, ext, e.serving.maxModelLen);
  if (!o) return undefined;
  const key = e.serving.engine === 'vllm' ? 'hf-overrides' : 'json-model-override-args';
  return checked(ctx, () => `Add YaRN RoPE scaling (${key}, factor ${o.factor}, as the model card describes) — context ${e.model.contextLimit} → ${o.factor * ext!.originalMaxPositions} tokens; static YaRN may lower quality on short prompts`, [{ knob: 'ropeScaling', value: o.value }]);
}

export const maxLenAboveModelRule: Rule = {
  code: CODE,
  description: "max-model-len above the model's context: vLLM and SGLang refuse to start",
  defaultSeverity: 'error',
  refusesStart: true,
  check(ctx) {
    const { estimate: e, plan } = ctx;
    return e.issues.filter((i) => i.code === CODE).map((i) => ({
      rule: CODE, severity: i.severity, message: i.message, range: rangeFor(plan, i.source), refusesStart: i.refusesStart,
      fixes: present([modelLengthFix(ctx), yarnFix(ctx)]),
    }));
  },
};
