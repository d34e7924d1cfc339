/**
 * An option newer than the engine version in force (`--runner pooling` under a vLLM 0.10.0 image, copied from newer
 * docs): that release's parser refuses it. The fix writes it as that release did (`--task embed`).
 */
import { atOrAfter, flagIntroduction } from '../catalog/flagHistory';
import { engineLabels, KeyOccurrence } from '../plan/types';
import { versionInForce } from './flagFindings';
import type { Finding, FixIntent, FlagRewrite, Rule } from './types';

/** `--runner R [--convert C]` as vLLM ≤ 0.10.0 wrote it: the --task value ModelConfig._task_to_convert maps onto them. */
function asTask(runner: KeyOccurrence | undefined, convert: KeyOccurrence | undefined): { rewrites: FlagRewrite[]; task: string } | undefined {
  const r = runner ? String(runner.value) : 'auto';
  const c = convert ? String(convert.value) : 'auto';
  const task = ['embed', 'classify', 'reward'].includes(c) ? c : r === 'pooling' ? 'embed' : r === 'generate' ? 'generate' : r === 'auto' && (c === 'auto' || c === 'none') ? 'auto' : undefined;
  const first = runner ?? convert;
  if (!task || !first) return undefined;
  const rest = runner && convert ? [{ key: convert, remove: true as const }] : [];
  return { rewrites: [task === 'auto' ? { key: first, remove: true } : { key: first, to: 'task', value: task }, ...rest], task };
}

export const flagTooNewRule: Rule = {
  code: 'flag-too-new',
  description: 'An option newer than the engine version in force: that release refuses to start on it',
  defaultSeverity: 'error',
  refusesStart: true,
  planOnly: true,
  check(ctx) {
    const { plan } = ctx;
    const engine = plan.engine.name.value;
    const v = versionInForce(plan);
    // A file that states no version runs the newest release, which has every option.
    if (v.assumed) return [];
    const out: Finding[] = [];
    const keys = plan.keys ?? [];
    for (const k of keys) {
      const intro = k.written ? flagIntroduction(engine, k.written) : undefined;
      if (!intro || atOrAfter(v.release, intro.introducedIn)) continue;
      const label = engineLabels[engine];
      const task = engine === 'vllm' ? asTask(keys.find((o) => o.name === 'runner'), keys.find((o) => o.name === 'convert')) : undefined;
      const fixes: FixIntent[] = task ? [{ title: task.task === 'auto' ? 'Remove it — the default' : `Write --task ${task.task}`, changes: [], flagRewrites: task.rewrites, preferred: true }] : [];
      out.push({
        rule: this.code, severity: 'error', refusesStart: true, range: k.keyRange, fixes,
        message: `--${intro.flag} is new in ${label} ${intro.introducedIn}: ${label} ${v.text}${v.from ? ` (${v.from})` : ''} refuses to start on it ("unrecognized arguments"); that release says it with ${intro.before}.${task ? ` Write ${task.task === 'auto' ? 'nothing (auto is the default)' : `--task ${task.task}`}.` : ''}`,
      });
    }
    return out;
  },
};
