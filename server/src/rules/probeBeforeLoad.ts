/**
 * A probe that gives up before the engine can have loaded its weights: the startup probe, or the liveness probe where
 * there is no startup probe (a readiness probe only withholds traffic, so it is not flagged). Kubernetes kills the
 * container after initialDelaySeconds + failureThreshold × periodSeconds (defaults 0, 3, 10 s) without a success, and
 * the engine restarts from scratch: a crash loop. The load time is estimator/startup.ts's (its assumption is shown).
 * The fix raises failureThreshold just enough.
 */
import type { ProbeFacts, ProbeName } from '../plan/pod';
import { loadTime } from '../estimator/startup';
import type { Rule } from './types';

/** Kubernetes probe defaults (core/v1 Probe). */
const DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3 };

export function probeGivesUpAfter(p: ProbeFacts): number {
  const v = (k: keyof typeof DEFAULTS) => p[k]?.value ?? DEFAULTS[k];
  return v('initialDelaySeconds') + v('failureThreshold') * Math.max(1, v('periodSeconds'));
}

export const probeBeforeLoadRule: Rule = {
  code: 'probe-before-load',
  description: 'A startup (or liveness) probe gives up before the engine can load its weights',
  defaultSeverity: 'warning',
  check(ctx) {
    const { plan, estimate: e } = ctx;
    const pod = plan.pod;
    // Compose healthchecks restart nothing; operator-built pods carry only the probes their resource writes.
    if (!pod || pod.kind === 'compose') return [];
    const name: ProbeName | undefined = pod.probes.startupProbe ? 'startupProbe' : pod.probes.livenessProbe ? 'livenessProbe' : undefined;
    const probe = name && pod.probes[name];
    if (!name || !probe) return [];
    const weights = e.memory.weightsBytesPerGpu + (e.memory.cpuOffload?.offloadedBytesPerGpu ?? 0);
    const load = loadTime(weights);
    const budget = probeGivesUpAfter(probe);
    if (budget >= load.seconds) return [];
    const delay = probe.initialDelaySeconds?.value ?? 0;
    const period = Math.max(1, probe.periodSeconds?.value ?? DEFAULTS.periodSeconds);
    const threshold = Math.ceil((load.seconds - delay) / period);
    const range = probe.failureThreshold?.source.kind === 'file' ? probe.failureThreshold.source.range : probe.keyRange;
    // A field a chart fills in from its own defaults says so.
    const by = (k: keyof typeof DEFAULTS) => { const src = probe[k]?.source; return src?.kind === 'default' ? ` (${src.note})` : ''; };
    const noStartup = name === 'livenessProbe' ? ' With no startupProbe, the liveness probe runs from the start; a startupProbe on /v1/models gates it until the model is loaded (llm-d readiness-probe guidance).' : '';
    return [{
      rule: this.code, severity: this.defaultSeverity, range,
      message: `${name} gives up after ${budget} s (initialDelaySeconds ${delay}${by('initialDelaySeconds')} + failureThreshold ${probe.failureThreshold?.value ?? DEFAULTS.failureThreshold}${by('failureThreshold')} × periodSeconds ${period}${by('periodSeconds')}), but the engine needs about ${Math.round(load.seconds)} s before it serves: ${load.note}. Kubernetes restarts the container before it is up, again and again.${noStartup}`,
      fixes: [{ title: `Set ${name}.failureThreshold: ${threshold} — waits ${delay + threshold * period} s`, changes: [], pod: [{ kind: 'probe', probe: name, failureThreshold: threshold }], preferred: true }],
    }];
  },
};
