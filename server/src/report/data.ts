/**
 * Analysis → the data the visual report draws (one entry per workload). Figures come from the pipeline's estimates:
 * the curves are the same plan re-estimated at other concurrencies, the what-ifs are the findings' own fixes, the
 * cheapest plans are the optimizer's search for the workload within the file's engine.
 */
import type { EstimatorDeps } from '../estimator/estimate';
import type { Estimate } from '../estimator/estimate';
import { GiB } from '../estimator/memory';
import { hasHostTiers, hostTierLabels } from '../estimator/hostMemory';
import type { MemoryComponentName } from '../estimator/memoryPlan';
import { evidenceLine } from '../evidence/catalog';
import { families } from '../evidence/families';
import { Analysis, cachedEstimate, withChanges, workloadFindings } from '../pipeline';
import { deploymentVerdict } from '../verdict';
import { sourced } from '../plan/types';
import type { OptimizeResult } from '../optimizer/types';
import { optimizeForPlan } from '../optimizer/forPlan';
import { MeasuredInput, measuredSeries } from '../measured/series';
import { planKey } from '../../../protocol/optimize';
import type { CheapestPlans, ReportData, WhatIfRow } from '../../../protocol/report';

export type { ReportData } from '../../../protocol/report';

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * @param searched the optimizer's result for a workload, when the caller ran it already (the server does, on its
 * worker thread); otherwise the search runs here.
 * @param measured benchmark results the adapter gathered (the workspace's, the CLI's folder): each workload's
 * "Measured" section holds those that ran it.
 */
export function reportData(analysis: Analysis, deps?: EstimatorDeps, searched: (workload: number) => OptimizeResult | undefined = () => undefined, measured: MeasuredInput = { sources: [] }): ReportData[] {
  const out: ReportData[] = [];
  analysis.workloads.forEach((w, index) => {
    const e = w.estimate;
    if (!e) return;
    const m = e.memory;
    const verdict = deploymentVerdict(e, workloadFindings(analysis, index));
    const segments = memorySegments(e);

    // TTFT/TPOT/throughput against concurrency: powers of two up to what the KV pool and max-num-seqs admit.
    const top = Math.max(1, Math.min(e.serving.maxNumSeqs, Math.floor(m.kvCapacityTokens / (e.workload.inputLen + e.workload.outputLen)) || 1, 1024));
    const points: number[] = [];
    for (let c = 1; c < top; c *= 2) points.push(c);
    points.push(top);
    // Beyond the admitted batch requests queue: draw up to the operating point so the curve shows what it costs.
    if (e.latency.concurrency > top) points.push(e.latency.concurrency);
    const curves = { concurrency: [] as number[], ttftMs: [] as number[], tpotMs: [] as number[], outputTokensPerSec: [] as number[] };
    for (const c of points) {
      const r = cachedEstimate({ ...w.plan, workload: { ...w.plan.workload, requestRate: undefined, concurrency: sourced(c, { kind: 'inferred', note: 'report curve' }) } }, deps);
      if (!r.ok) continue;
      curves.concurrency.push(c);
      curves.ttftMs.push(round(r.estimate.latency.ttftMs));
      curves.tpotMs.push(round(r.estimate.latency.tpotMs));
      curves.outputTokensPerSec.push(round(r.estimate.latency.outputTokensPerSec * e.hardware.replicas, 1));
    }

    const whatIfs: WhatIfRow[] = [];
    analysis.findings.forEach((f, fi) => {
      if (f.workload !== index) return;
      (f.fixes ?? []).forEach((fix, xi) => {
        // A rename (a typo) is not a what-if: it changes no knob.
        if (fix.rename || fix.flagRewrites) return;
        const r = cachedEstimate(withChanges(w.plan, fix.changes, fix.hardware), deps);
        if (!r.ok) return;
        // The evidence of the change this row makes (rules/citations.ts), never that of the finding's other fixes.
        const technique = fix.technique;
        const x = r.estimate;
        whatIfs.push({
          title: fix.title, technique: technique ? families[technique].name : undefined, evidence: technique ? evidenceLine(technique) : undefined,
          changes: fix.changes, finding: fi, fix: xi, fits: x.memory.fits, kvCapacityTokens: x.memory.kvCapacityTokens, maxConcurrency: x.memory.maxConcurrency,
          ttftMs: round(x.latency.ttftMs), tpotMs: round(x.latency.tpotMs), outputTokensPerSec: round(x.latency.outputTokensPerSec * x.hardware.replicas, 1),
        });
      });
    });

    const slo = w.plan.slo;
    const section = measuredSeries(w.plan, e, measured, deps);
    out.push({
      name: w.plan.name,
      model: e.model.id,
      hardware: `${e.hardware.replicas > 1 ? `${e.hardware.replicas} × ` : ''}${e.hardware.count} × ${e.hardware.gpuName} · ${e.serving.engine} ${e.serving.engineVersion} · TP ${e.serving.tensorParallel}${e.serving.pipelineParallel > 1 ? ` PP ${e.serving.pipelineParallel}` : ''}${e.serving.expertParallel > 1 ? ` EP ${e.serving.expertParallel}` : ''}${e.serving.dataParallel > 1 ? ` DP ${e.serving.dataParallel}` : ''}`,
      // `fits` colours the verdict: a server that will not start is as bad as one that does not fit.
      verdict: verdict.kind === 'fits' ? `fits · ${m.kvCapacityTokens.toLocaleString('en-US')} KV tokens · TTFT ${e.latency.ttftMs.toFixed(0)} ms · TPOT ${e.latency.tpotMs.toFixed(1)} ms` : verdict.kind === 'does-not-fit' ? 'does not fit' : `will not start: ${verdict.reason!.message}`,
      fits: verdict.kind === 'fits',
      memory: { capacityGiB: round(e.hardware.memoryBytesPerGpu / GiB), segments },
      ...(hasHostTiers(e.host) ? { host: { ramGiB: round(e.host.ramBytes / GiB), tiers: e.host.tiers.map((t) => ({ label: hostTierLabels[t.name], gib: round(t.bytes / GiB), medium: t.medium, ...(t.tokens ? { tokens: t.tokens } : {}), source: t.source })) } } : {}),
      kv: { capacityTokens: m.kvCapacityTokens, neededTokens: e.latency.concurrency * (e.workload.inputLen + e.workload.outputLen), maxConcurrency: m.maxConcurrency, maxModelLen: e.serving.maxModelLen },
      curves,
      operatingPoint: { concurrency: e.latency.concurrency, ttftMs: round(e.latency.ttftMs), tpotMs: round(e.latency.tpotMs), outputTokensPerSec: round(e.latency.outputTokensPerSec * e.hardware.replicas, 1) },
      slo: { ttftMs: slo?.ttftMs?.value, tpotMs: slo?.tpotMs?.value, minThroughput: slo?.minThroughput?.value },
      whatIfs,
      cheapest: cheapest(w.plan.engine.name.value, searched(index) ?? optimizeForPlan(w.plan, deps)),
      assumptions: e.assumptions,
      ...(section ? { measured: section } : {}),
    });
  });
  return out;
}

/** The bar's order and names; a component not listed here (a new one) is drawn after these, under its own name. */
const BAR: Array<[MemoryComponentName, string]> = [
  ['weights', 'weights'], ['drafter', 'drafter (speculative)'], ['kvPool', 'KV pool'], ['activations', 'activations'], ['cudaGraphs', 'CUDA graphs'],
  ['nonTorch', 'non-torch (NCCL, workspaces)'], ['state', 'recurrent state'], ['loraSlots', 'adapter slots'],
  ['tower', 'vision tower'], ['encoderCache', 'encoder cache'], ['encoderActivations', 'encoder activations'],
];

/** The memory bar: every component of the estimate's list (recurrent state only when the model keeps one), then free. */
export function memorySegments(e: Estimate): Array<{ label: string; gib: number }> {
  const rank = (name: MemoryComponentName) => { const i = BAR.findIndex(([n]) => n === name); return i < 0 ? BAR.length : i; };
  const shown = e.memory.components.filter((c) => c.bytesPerGpu > 0 || c.name !== 'state').sort((a, b) => rank(a.name) - rank(b.name));
  const used = shown.reduce((t, c) => t + c.bytesPerGpu, 0);
  return [
    ...shown.map((c) => ({ label: BAR.find(([n]) => n === c.name)?.[1] ?? c.name, gib: c.bytesPerGpu / GiB })),
    { label: 'free', gib: Math.max(0, e.hardware.memoryBytesPerGpu - used) / GiB },
  ].map((s) => ({ ...s, gib: round(s.gib) }));
}

const CHEAPEST_SHOWN = 5;

function cheapest(engine: string, r: OptimizeResult): CheapestPlans {
  return { engine, searched: r.searched, plans: r.plans.slice(0, CHEAPEST_SHOWN).map((p) => ({ ...p, key: planKey(p) })), notes: r.notes };
}
