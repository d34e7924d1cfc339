/** Optimizer result → Markdown for the CLI (the visual report draws the same result from ReportData.cheapest). */
import { planLayout } from '../../../protocol/optimize';
import type { OptimizeRequest, OptimizeResult, PlanRow } from '../optimizer/types';

export function optimizeMarkdown(model: string, req: OptimizeRequest, r: OptimizeResult): string {
  const load = req.requestRate !== undefined ? `${req.requestRate} req/s` : req.concurrency !== undefined ? `${req.concurrency} in flight` : 'saturated';
  const slo = [
    req.slo.ttftMs !== undefined ? `TTFT ≤ ${req.slo.ttftMs} ms` : '',
    req.slo.tpotMs !== undefined ? `TPOT ≤ ${req.slo.tpotMs} ms` : '',
    req.slo.minThroughput !== undefined ? `≥ ${req.slo.minThroughput} tok/s` : '',
  ].filter(Boolean).join(', ') || 'none';
  const lines = [
    `# Cheapest plans for ${model}`,
    '',
    `Searched for: ${r.searchedFor}.`,
    `Workload ${req.inputLen} prompt + ${req.outputLen} output tokens, ${load}; SLO: ${slo}; up to ${req.maxGpus} GPUs.`,
    `Searched ${r.searched.toLocaleString('en-US')} candidates, fully estimated ${r.verified}.`,
    '',
    '| # | engine | GPUs | layout | weights / KV | max-num-seqs / chunk | TTFT ms | TPOT ms | tok/s | $/h | $/M tok | SLO |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...(r.plans.length ? r.plans.map((p, i) => row(i + 1, p)) : ['| – | no plan | | | | | | | | | | |']),
    '',
  ];
  if (r.frontier.length > 1) lines.push('Cost vs TPOT frontier: ' + r.frontier.map((p) => `$${p.costPerMillionOutputTokens.toFixed(3)}/M at ${p.tpotMs.toFixed(1)} ms (${p.gpusPerReplica * p.replicas} × ${p.gpu})`).join(' → '), '');
  lines.push(...r.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

function row(i: number, p: PlanRow): string {
  const layout = planLayout(p);
  const gpus = `${p.replicas > 1 ? `${p.replicas} × ` : ''}${p.gpusPerReplica} × ${p.gpu}${p.onFileGpu ? " (file's GPU)" : ''}`;
  return `| ${i} | ${p.engine} | ${gpus} | ${layout} | ${p.weightDtype} / ${p.kvCacheDtype} | ${p.maxNumSeqs} / ${p.maxNumBatchedTokens} | ${p.ttftMs.toFixed(0)} | ${p.tpotMs.toFixed(1)} | ${p.outputTokensPerSec.toFixed(0)} | ${p.costPerHour.toFixed(2)} | ${p.costPerMillionOutputTokens.toFixed(3)} | ${p.meetsSlo ? 'yes' : 'no'} |`;
}
