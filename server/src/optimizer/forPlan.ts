/**
 * The search for one plan of an open document, within the plan's own engine (switching engines is not an edit of
 * the file), as a self-contained job: plain data that can cross to a worker thread (the server runs it off its main
 * thread, so a two-second search for DeepSeek-R1 never holds up diagnostics) or run in place (the CLI).
 * Jobs are keyed on what the search reads — model, workload, SLO, context length, dtype, GPU catalog — not on the
 * knobs it rewrites, so typing in `tensor-parallel-size` or applying a plan does not search again.
 */
import { GpuCatalog, GpuSpec } from '../catalog/gpus';
import { catalogConfig } from '../catalog/models';
import { defaultDeps, EstimatorDeps } from '../estimator/estimate';
import type { DeploymentPlan } from '../plan/types';
import { requestFromPlan } from './request';
import { optimize } from './search';
import type { OptimizeRequest, OptimizeResult } from './types';

export interface OptimizeJob {
  /** The plan without its editing bookkeeping, its model config resolved (catalog or Hub) so the job needs nothing else. */
  plan: DeploymentPlan;
  request: OptimizeRequest;
  /** The GPU catalog when it is not the built-in one (deployAdvisor.gpusFile). */
  gpus?: GpuSpec[];
  key: string;
}

/** How a search is set up beyond the plan: `gpus` lists the GPU types to search (deployAdvisor.optimizer.gpus; the
 *  file's own GPU is added). */
export interface SearchOptions {
  gpus?: string[];
}

export function optimizeJob(plan: DeploymentPlan, deps: EstimatorDeps = defaultDeps, options: SearchOptions = {}): OptimizeJob {
  const listed = (options.gpus ?? []).filter((g) => typeof g === 'string' && g.trim()).map((g) => g.trim());
  const gpuList = listed.length ? [...new Set([...listed, ...(plan.hardware.gpu.source.kind === 'default' ? [] : [plan.hardware.gpu.value])])] : undefined;
  const request = requestFromPlan(plan, { engines: [plan.engine.name.value], ...(gpuList ? { gpus: gpuList } : {}) });
  const ref = plan.model.ref.value;
  const found = plan.model.config || catalogConfig(ref) ? undefined : deps.models?.lookup(ref);
  const config = plan.model.config ?? (found && 'config' in found ? found.config : undefined);
  const gpus = deps.gpus === defaultDeps.gpus ? undefined : deps.gpus.gpus;
  const key = JSON.stringify([
    gpus ?? null, ref, config ?? null, plan.model.hfQuantConfig ?? null, plan.knobs.dtype?.value ?? null,
    plan.workload.prefixHitRate?.value ?? 0, plan.knobs.maxModelLen?.value ?? null, request,
    // What the search reads besides: the file's GPU (listed first), batch cap (never lowered), engine version and the
    // memory knobs a plan keeps.
    plan.hardware.gpu.source.kind === 'default' ? null : plan.hardware.gpu.value, plan.knobs.maxNumSeqs?.value ?? null, plan.engine.version?.value ?? null,
    plan.knobs.gpuMemoryUtilization?.value ?? null, plan.knobs.blockSize?.value ?? null, plan.knobs.enforceEager?.value ?? null,
    plan.knobs.enablePrefixCaching?.value ?? null, plan.knobs.speculative?.value ?? null, plan.knobs.mixedChunk?.value ?? null, plan.knobs.disableOverlap?.value ?? null,
    plan.knobs.asyncScheduling?.value ?? null,
  ]);
  const { writeBack: _w, keys: _k, ...rest } = plan;
  return { plan: { ...rest, model: { ...plan.model, config } }, request, gpus, key };
}

export function runOptimizeJob(job: OptimizeJob): OptimizeResult {
  return optimize({ plan: job.plan, request: job.request }, { gpus: job.gpus ? new GpuCatalog(job.gpus) : defaultDeps.gpus });
}

/** Recent results by job key, oldest out first. */
export class ResultMemo {
  private readonly entries = new Map<string, OptimizeResult>();
  constructor(private readonly size = 16) {}

  get(key: string): OptimizeResult | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, result: OptimizeResult): void {
    if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, result);
  }
}

const memo = new ResultMemo();

/** In place, memoized: for the CLI's report and for tests. */
export function optimizeForPlan(plan: DeploymentPlan, deps: EstimatorDeps = defaultDeps, options: SearchOptions = {}): OptimizeResult {
  const job = optimizeJob(plan, deps, options);
  const hit = memo.get(job.key);
  if (hit) return hit;
  const result = runOptimizeJob(job);
  memo.set(job.key, result);
  return result;
}
