/** One lens per workload: weights · KV pool · TTFT · TPOT · verdict on N × GPU (click: the full estimate). */
import type { CodeLens } from 'vscode-languageserver';
import { GiB } from '../estimator/memory';
import { Analysis, workloadFindings } from '../pipeline';
import { deploymentVerdict } from '../verdict';

const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));

/** A fine-tuning config: peak per GPU · tokens/s · verdict, on the base-model line. */
function trainingLens(uri: string, a: Analysis): CodeLens[] {
  const t = a.training;
  const e = t?.estimate;
  if (!t || !e) return [];
  const src = t.plan.model?.source;
  const line = src?.kind === 'file' ? src.range.start.line : 0;
  const title = [
    `training peak ${(e.peakBytesPerGpu / GiB).toFixed(1)} GiB/GPU (${e.peakPhase})`,
    `${Math.round(e.tokensPerSecond).toLocaleString('en-US')} tokens/s`,
    `${e.stepSeconds.toPrecision(3)} s/step`,
    `${e.fits ? 'fits' : 'does not fit'} on ${e.gpus} × ${e.gpu.id}`,
  ].join(' · ');
  return [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command: 'deployAdvisor.estimate', arguments: [uri] } }];
}

export function codeLenses(uri: string, a: Analysis): CodeLens[] {
  if (a.training) return trainingLens(uri, a);
  return a.workloads.flatMap((w, i) => {
    const e = w.estimate;
    if (!e) return [];
    const src = w.plan.model.ref.source;
    const line = src.kind === 'file' ? src.range.start.line : 0;
    const m = e.memory;
    const title = [
      `weights ${(m.weightsBytesPerGpu / GiB).toFixed(1)} GiB/GPU`,
      `KV ${tokens(m.kvCapacityTokens)} tokens (${m.maxConcurrency}× ${tokens(e.serving.maxModelLen)})`,
      `TTFT ${e.latency.ttftMs.toFixed(0)} ms`,
      `TPOT ${e.latency.tpotMs.toFixed(1)} ms`,
      deploymentVerdict(e, workloadFindings(a, i), w.plan).text,
    ].join(' · ');
    return [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command: 'deployAdvisor.estimate', arguments: [uri] } }];
  });
}
