/** Worker-thread entry (dist/optimizer-worker.js): runs optimizer jobs for the language server, one at a time. */
import { parentPort } from 'node:worker_threads';
import { OptimizeJob, runOptimizeJob } from '../optimizer/forPlan';

parentPort?.on('message', (m: { id: number; job: OptimizeJob }) => {
  try {
    parentPort!.postMessage({ id: m.id, result: runOptimizeJob(m.job) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
