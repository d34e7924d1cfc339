/**
 * `# deploy-advisor: gpu=H100-SXM count=2 input-len=2000 output-len=300 concurrency=8` — one comment line that says
 * what the engine's file cannot (hardware, workload, the benchmark client: `benchmark=vllm-bench`). Keys are the CLI
 * flag names.
 */
import type { BenchmarkPreset, DeploymentPlan, SourceRange } from '../plan/types';
import { benchmarkPresets, sourced } from '../plan/types';

const DIRECTIVE = /^\s*(?:#|\/\/)\s*deploy-advisor:\s*(.*)$/;

export interface Directive {
  values: Map<string, { value: string; range: SourceRange }>;
}

export function findDirective(text: string): Directive | undefined {
  const lines = text.split('\n', 200);
  for (let line = 0; line < lines.length; line++) {
    const m = DIRECTIVE.exec(lines[line]);
    if (!m) continue;
    const values = new Map<string, { value: string; range: SourceRange }>();
    const offset = lines[line].length - m[1].length;
    for (const pair of m[1].matchAll(/([a-z-]+)=(\S+)/g)) {
      const start = offset + (pair.index ?? 0);
      values.set(pair[1], { value: pair[2], range: { start: { line, character: start }, end: { line, character: start + pair[0].length } } });
    }
    return { values };
  }
  return undefined;
}

export function applyDirective(plan: DeploymentPlan, d: Directive | undefined): void {
  if (!d) return;
  const at = (key: string) => d.values.get(key);
  const src = (key: string) => ({ kind: 'file' as const, range: at(key)!.range, key: `deploy-advisor: ${key}` });
  const int = (key: string) => {
    const n = Number(at(key)?.value);
    return Number.isFinite(n) ? n : undefined;
  };
  if (at('gpu')) plan.hardware.gpu = sourced(at('gpu')!.value, src('gpu'));
  if (int('count') !== undefined) plan.hardware.count = sourced(int('count')!, src('count'));
  if (int('replicas') !== undefined) plan.hardware.replicas = sourced(int('replicas')!, src('replicas'));
  if (int('input-len') !== undefined) plan.workload.inputLen = sourced(int('input-len')!, src('input-len'));
  if (int('output-len') !== undefined) plan.workload.outputLen = sourced(int('output-len')!, src('output-len'));
  if (at('concurrency')) plan.workload.concurrency = sourced(at('concurrency')!.value === 'max' ? 'max' : int('concurrency') ?? 1, src('concurrency'));
  if (at('engine-version')) plan.engine.version = sourced(at('engine-version')!.value, src('engine-version'));
  if (int('images-per-request') !== undefined) plan.workload.imagesPerRequest = sourced(int('images-per-request')!, src('images-per-request'));
  if (int('prefix-hit-rate') !== undefined) plan.workload.prefixHitRate = sourced(int('prefix-hit-rate')!, src('prefix-hit-rate'));
  const bench = at('benchmark')?.value;
  if (bench && benchmarkPresets.includes(bench as BenchmarkPreset)) plan.workload.client = sourced({ kind: 'closed-loop', preset: bench as BenchmarkPreset }, src('benchmark'));
  if (int('acceptance-rate') !== undefined && plan.knobs.speculative) {
    plan.knobs.speculative = { ...plan.knobs.speculative, value: { ...plan.knobs.speculative.value, acceptanceRate: int('acceptance-rate')! } };
  }
}
