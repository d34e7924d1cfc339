/**
 * Which file names could hold a deployment or training config: the files `check` and the Deployments view read
 * (`.deploy-advisor.yaml` too: its own problems are findings).
 */

const CANDIDATE = /\.(ya?ml|jsonc?)$/i;
/** Lock files and other generated JSON/YAML that are never serving configs and can be large. */
const NEVER_CONFIGS = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'composer.lock', 'pnpm-lock.yaml', 'yarn.lock']);

export function isCandidate(name: string): boolean {
  return CANDIDATE.test(name) && !NEVER_CONFIGS.has(name);
}

/** Engine logs (`kubectl logs > x.log`, `*.txt`, `*.out`) and aiperf/genai-perf CSV exports: what `calibrate` reads too. */
const MEASURED = /\.(log|txt|out|csv)$/i;

export function isRunCandidate(name: string): boolean {
  return isCandidate(name) || MEASURED.test(name);
}
