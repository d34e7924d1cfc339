/** The workload assumed when a file does not state one (the CLI contract's defaults). */
import { byDefault, Workload } from './types';

export function defaultWorkload(): Workload {
  return {
    inputLen: byDefault(1024, 'input length 1024 (default)'),
    outputLen: byDefault(256, 'output length 256 (default)'),
    concurrency: byDefault(1, 'concurrency 1 (default)'),
  };
}
