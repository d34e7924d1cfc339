/**
 * The one-way flow, end to end: text → parsed document → plans → estimates → findings.
 * The LSP server, the CLI and the report all call this; none of them computes anything itself.
 */
import { isConsumerGpu } from './catalog/gpus';
import { defaultDeps, estimate, Estimate, EstimateIssue, EstimateOptions, EstimateResult, EstimatorDeps } from './estimator/estimate';
import { readText } from './formats';
import { readTrainingText } from './formats/training';
import { analyzeTrainingRead, TrainingAnalysis } from './trainingPipeline';
import { speculativeFrom } from './formats/speculative';
import { contextOverrideFrom } from './formats/ropeOverride';
import { multimodalKnobFrom } from './formats/multimodal';
import type { FormatName, ReadContext, ReadResult } from './formats/types';
import type { DeploymentPlan, HardwareChange, Sourced } from './plan/types';
import { rangeFor, renameFix, renameFixes } from './rules/estimatorIssues';
import { runPlanOnlyRules, runRules } from './rules/registry';
import type { Finding, KnobChange, RuleContext } from './rules/types';
import type { MeasuredRun } from './formats/logs/types';
import { Comparison, compareRun } from './measured/compare';
import { measuredFindings } from './measured/findings';

export interface Workload {
  plan: DeploymentPlan;
  estimate?: Estimate;
  /** Set when the estimate could not be made (unknown model, bad config). */
  failure?: EstimateIssue[];
}

export interface Analysis {
  format: FormatName | null;
  workloads: Workload[];
  findings: Finding[];
  /** A log or benchmark result: what it measured, and each figure beside the estimate of the configuration it states. */
  measured?: { run: MeasuredRun; comparisons: Comparison[] };
  /** A fine-tuning config (trainingPipeline.ts): its plan and estimate; `workloads` is then empty. */
  training?: TrainingAnalysis;
}

/**
 * Estimates keyed by the whole plan (values and the source ranges its findings point at): re-analysing an unchanged
 * document, or a what-if already tried, costs nothing. Bounded, oldest out first.
 */
const cache = new Map<string, EstimateResult>();
const CACHE_LIMIT = 2000;
let nextObjectId = 1;

const objectIds = new WeakMap<object, number>();
const idOf = (o: object) => {
  let id = objectIds.get(o);
  if (!id) objectIds.set(o, (id = nextObjectId++));
  return id;
};

function planKey(plan: DeploymentPlan, deps: EstimatorDeps): string {
  // Model configs are large and shared by identity: key them by object, the rest by value (ranges included).
  const { config, hfQuantConfig } = plan.model;
  return `${idOf(deps.gpus)}:${deps.models ? `${idOf(deps.models)}.${deps.models.version}` : 0}:${config ? idOf(config) : 0}:${hfQuantConfig ? idOf(hfQuantConfig) : 0}:${JSON.stringify({ ...plan, model: { ref: plan.model.ref }, keys: undefined, writeBack: undefined })}`;
}

export function cachedEstimate(plan: DeploymentPlan, deps: EstimatorDeps = defaultDeps, options: EstimateOptions = {}): EstimateResult {
  const key = `${options.scope === 'memory' ? 'memory:' : ''}${planKey(plan, deps)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const res = estimate(plan, deps, options);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, res);
  return res;
}

export function analyze(uri: string, text: string, ctx: ReadContext = {}, deps?: EstimatorDeps): Analysis {
  return evaluateText(uri, text, readText(uri, text, ctx), ctx, deps);
}

/** evaluate(), or — for a file no serving reader claims — the fine-tuning config it may be (the training readers never
 *  claim serving files). */
export function evaluateText(uri: string, text: string, read: ReadResult, ctx: ReadContext, deps?: EstimatorDeps): Analysis {
  if (read.format === null && !read.plans.length && !read.problems.length && !read.measured) {
    const training = readTrainingText(uri, text, { readFile: ctx.readLinkedFile });
    if (training) return { format: null, workloads: [], ...analyzeTrainingRead(training, deps ?? defaultDeps) };
  }
  return evaluate(read, deps);
}

/** The plan with some knobs (and its hardware) changed (provenance: what-if), for fix titles and the report. */
export function withChanges(plan: DeploymentPlan, changes: KnobChange[], hardware?: HardwareChange): DeploymentPlan {
  const whatIf = { kind: 'inferred' as const, note: 'what-if' };
  const knobs = { ...plan.knobs } as Record<string, Sourced<unknown>>;
  for (const c of changes) {
    if (c.remove) {
      delete knobs[c.knob];
      continue;
    }
    const value = typeof c.value !== 'string' ? c.value : c.knob === 'speculative' ? speculativeFrom(c.value) : c.knob === 'ropeScaling' ? contextOverrideFrom(c.value) : multimodalKnobFrom(c.knob, c.value) ?? c.value;
    knobs[c.knob] = { value, source: whatIf };
  }
  const hw = { ...plan.hardware };
  if (hardware?.gpu !== undefined) hw.gpu = { value: hardware.gpu, source: whatIf };
  if (hardware?.gpusPerReplica !== undefined) hw.count = { value: hardware.gpusPerReplica, source: whatIf };
  if (hardware?.replicas !== undefined) hw.replicas = { value: hardware.replicas, source: whatIf };
  return { ...plan, hardware: hw, knobs: knobs as DeploymentPlan['knobs'] };
}

function ruleContext(plan: DeploymentPlan, e: Estimate, deps: EstimatorDeps): RuleContext {
  return {
    plan,
    estimate: e,
    whatIf(changes, hardware) {
      const r = cachedEstimate(withChanges(plan, changes, hardware), deps);
      return r.ok ? r.estimate : undefined;
    },
    memoryIf(changes, hardware) {
      const r = cachedEstimate(withChanges(plan, changes, hardware), deps, { scope: 'memory' });
      return r.ok ? r.estimate : undefined;
    },
    cheaperGpu() {
      let best: { gpu: string; pricePerHour: number; tpotMs: number } | undefined;
      const need = e.latency.concurrency * (e.workload.inputLen + e.workload.outputLen);
      for (const g of deps.gpus.gpus) {
        // Datacenter GPUs of the same vendor only: a consumer card is not a drop-in for a server deployment.
        if (g.pricePerHour >= (best?.pricePerHour ?? e.hardware.pricePerHour) || g.vendor !== 'nvidia' || isConsumerGpu(g)) continue;
        const r = cachedEstimate({ ...plan, hardware: { ...plan.hardware, gpu: { value: g.id, source: { kind: 'inferred', note: 'what-if GPU' } } } }, deps);
        if (!r.ok || !r.estimate.memory.fits || r.estimate.memory.kvCapacityTokens < need || r.estimate.latency.tpotMs > 1.5 * e.latency.tpotMs || (plan.slo?.tpotMs && r.estimate.latency.tpotMs > plan.slo.tpotMs.value)) continue;
        best = { gpu: g.id, pricePerHour: g.pricePerHour, tpotMs: r.estimate.latency.tpotMs };
      }
      return best;
    },
  };
}

/** Plans already read (and possibly adjusted, e.g. by CLI what-if flags) → estimates and findings. */
export function evaluate(read: ReadResult, deps: EstimatorDeps = defaultDeps): Analysis {
  if (read.measured) return evaluateMeasured(read, read.measured, deps);
  const findings: Finding[] = read.problems.map((p) => ({ rule: p.code, severity: p.severity, message: p.message, range: p.range, ...(p.refusesStart ? { refusesStart: true } : {}), ...(p.rename ? { fixes: [renameFix(p.rename)] } : {}) }));
  // In a file with several workloads a shared key (one max-model-len for prefill and decode) can carry findings of
  // each: the message names the workload it concerns.
  const named = (plan: DeploymentPlan, message: string) => (read.plans.length > 1 ? `${plan.name}: ${message}` : message);
  const workloads: Workload[] = read.plans.map((plan, index) => {
    const res = cachedEstimate(plan, deps);
    if (!res.ok) {
      findings.push(...res.issues.map((i) => ({ rule: i.code, severity: i.severity, message: named(plan, i.message), range: rangeFor(plan, i.source), workload: index, ...renameFixes(i) })));
      findings.push(...runPlanOnlyRules(plan).map((f) => ({ ...f, message: named(plan, f.message), workload: index })));
      return { plan, failure: res.issues };
    }
    findings.push(...runRules(ruleContext(plan, res.estimate, deps)).map((f) => ({ ...f, message: named(plan, f.message), workload: index })));
    return { plan, estimate: res.estimate };
  });
  return { format: read.format, workloads, findings: dedupe(findings) };
}

/**
 * A log or result file: the estimate of the configuration it states, and its figures beside it. The config rules do
 * not run — a log is not where their fixes go; what the engine logged and where the estimate disagrees are the findings.
 */
function evaluateMeasured(read: ReadResult, run: MeasuredRun, deps: EstimatorDeps): Analysis {
  const findings: Finding[] = read.problems.map((p) => ({ rule: p.code, severity: p.severity, message: p.message, range: p.range }));
  const plan = read.plans[0];
  const res = cachedEstimate(plan, deps);
  if (!res.ok) {
    findings.push(...res.issues.map((i) => ({ rule: i.code, severity: i.severity, message: i.message, range: rangeFor(plan, i.source), workload: 0 })));
    findings.push(...measuredFindings(run, []));
    return { format: read.format, workloads: [{ plan, failure: res.issues }], findings, measured: { run, comparisons: [] } };
  }
  const comparisons = compareRun(run, res.estimate);
  findings.push(...measuredFindings(run, comparisons));
  return { format: read.format, workloads: [{ plan, estimate: res.estimate }], findings, measured: { run, comparisons } };
}

/** Workload i's findings, and (unless asked not to) the file-level ones (syntax, unknown keys) that concern every workload. */
export function workloadFindings(a: Analysis, i: number, withFileLevel = true): Finding[] {
  return a.findings.filter((f) => f.workload === i || (withFileLevel && f.workload === undefined));
}

const rank = { error: 0, warning: 1, info: 2 } as const;

/**
 * The same rule on the same range is one finding per workload; the reader's file-level copy (e.g. a GPU-count mismatch
 * seen by the reader and by the estimator) gives way to the estimator's.
 */
function dedupe(findings: Finding[]): Finding[] {
  const at = (f: Finding) => `${f.rule}@${f.range.start.line}:${f.range.start.character}`;
  const perWorkload = new Set(findings.filter((f) => f.workload !== undefined).map(at));
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    if (f.workload === undefined && perWorkload.has(at(f))) continue;
    const key = `${at(f)}#${f.workload ?? ''}`;
    const prev = byKey.get(key);
    if (!prev || rank[f.severity] < rank[prev.severity]) byKey.set(key, f);
  }
  return [...byKey.values()];
}
