/**
 * The language server's optimizer runs on a worker thread: a search takes 0.1–2 s (DeepSeek-R1 within one engine),
 * and on the main thread it would hold up every diagnostic, hover and completion behind it. Results are memoized by
 * job key and concurrent asks for the same job share one search. If the worker cannot start or dies, the search
 * runs in place (slower to answer, never lost).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EstimatorDeps } from '../estimator/estimate';
import { OptimizeJob, optimizeJob, ResultMemo, runOptimizeJob, SearchOptions } from '../optimizer/forPlan';
import { searchDescription } from '../optimizer/describe';
import type { OptimizeResult } from '../optimizer/types';
import type { DeploymentPlan } from '../plan/types';

/** Bundled next to dist/server.js; compiled by tsc beside this file (tests). */
function workerScript(): string | undefined {
  return [path.join(__dirname, 'optimizer-worker.js'), path.join(__dirname, 'optimizerWorker.js')].find((f) => fs.existsSync(f));
}

export class OptimizerThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (r: OptimizeResult) => void; job: OptimizeJob }>();
  private readonly inflight = new Map<string, Promise<OptimizeResult>>();
  private readonly memo = new ResultMemo();

  constructor(private readonly log: (message: string) => void = () => undefined) {}

  optimize(plan: DeploymentPlan, deps: EstimatorDeps, options: SearchOptions = {}): Promise<OptimizeResult> {
    const job = optimizeJob(plan, deps, options);
    const hit = this.memo.get(job.key);
    if (hit) return Promise.resolve(hit);
    let p = this.inflight.get(job.key);
    if (!p) {
      p = this.run(job).then((result) => {
        this.memo.set(job.key, result);
        this.inflight.delete(job.key);
        return result;
      });
      this.inflight.set(job.key, p);
    }
    return p;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private run(job: OptimizeJob): Promise<OptimizeResult> {
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(runOptimizeJob(job));
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, job });
      worker.postMessage({ id, job });
    });
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    const script = workerScript();
    if (!script) return undefined;
    try {
      const w = new Worker(script);
      w.unref();
      w.on('message', (m: { id: number; result?: OptimizeResult; error?: string }) => {
        const entry = this.waiting.get(m.id);
        if (!entry) return;
        this.waiting.delete(m.id);
        if (m.result) entry.resolve(m.result);
        else entry.resolve({ plans: [], frontier: [], searched: 0, verified: 0, notes: [`The plan search failed: ${m.error ?? 'unknown error'}.`], searchedFor: searchDescription(entry.job.request) });
      });
      w.on('error', (e) => this.fail(w, e));
      w.on('exit', (code) => code !== 0 && this.fail(w, new Error(`exit ${code}`)));
      this.worker = w;
      return w;
    } catch (e) {
      this.log(`optimizer worker did not start (${(e as Error).message}); searching on the main thread`);
      return undefined;
    }
  }

  /** The worker died: finish what it held in place, start a new one next time. */
  private fail(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.log(`optimizer worker stopped (${e.message}); its pending searches run on the main thread`);
    for (const [id, entry] of this.waiting) {
      this.waiting.delete(id);
      entry.resolve(runOptimizeJob(entry.job));
    }
  }
}
