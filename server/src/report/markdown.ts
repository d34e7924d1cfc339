/** A readable estimate for the palette command and the CLI's text output. */
import { hasHostTiers, hostTierLabels } from '../estimator/hostMemory';
import type { Estimate } from '../estimator/estimate';
import { hybridText, kvText, parametersText } from './modelShape';
import { GiB } from '../estimator/memory';
import { componentBytes, MemoryComponentName } from '../estimator/memoryPlan';
import { Analysis, workloadFindings } from '../pipeline';
import type { Finding } from '../rules/types';
import { evidenceMarkdown } from '../evidence/catalog';
import type { FamilyId } from '../evidence/families';
import { deploymentVerdict, VerdictKind } from '../verdict';

const HEADLINE: Record<VerdictKind, string> = { 'fits': 'Fits', 'does-not-fit': 'Does not fit', 'will-not-start': 'Will not start' };

const gib = (b: number) => `${(b / GiB).toFixed(2)} GiB`;
const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
/** Papers listed per technique in an estimate; `deploy-advisor evidence <family>` lists every one. */
const EVIDENCE_PER_TECHNIQUE = 5;

const findingLine = (f: Finding) =>
  `- **${f.severity}** \`${f.rule}\` (line ${f.range.start.line + 1}): ${f.message}${f.fixes?.length ? `\n  - Fixes: ${f.fixes.map((x) => x.title).join('; ')}` : ''}`;

/** One line for the status bar: the verdict (src/verdict.ts), then the numbers. */
export function verdictLine(e: Estimate, findings: Finding[]): string {
  return `${deploymentVerdict(e, findings).text} · weights ${gib(e.memory.weightsBytesPerGpu)}/GPU · KV ${tokens(e.memory.kvCapacityTokens)} tokens · TTFT ${e.latency.ttftMs.toFixed(0)} ms · TPOT ${e.latency.tpotMs.toFixed(1)} ms`;
}

/** The table's order and row names; a component not listed here (a new one) comes before the pool under its own name. */
const ROWS: Array<[MemoryComponentName, (e: Estimate) => string]> = [
  ['weights', (e) => `Weights (${e.serving.weightDtype})`], ['drafter', () => 'Drafter (speculative decoding)'], ['activations', () => 'Activation peak'], ['cudaGraphs', () => 'CUDA graphs'],
  ['nonTorch', () => 'Non-torch (NCCL, workspaces)'], ['state', () => 'Recurrent state'], ['loraSlots', () => 'Adapter slots (LoRA)'],
  ['tower', () => 'Vision tower'], ['encoderCache', () => 'Encoder cache (profiling)'], ['encoderActivations', () => 'Encoder activations (profiling)'],
];

/** One row per component of the estimate's list (recurrent state only when the model keeps one), the pool with its formula last. */
function memoryRows(e: Estimate): string[] {
  const rank = (name: MemoryComponentName) => { const i = ROWS.findIndex(([n]) => n === name); return i < 0 ? ROWS.length : i; };
  const parts = e.memory.components.filter((c) => c.name !== 'kvPool' && (c.bytesPerGpu > 0 || c.name !== 'state')).sort((a, b) => rank(a.name) - rank(b.name));
  return [
    ...parts.map((c) => `| ${ROWS.find(([n]) => n === c.name)?.[1](e) ?? c.name} | ${gib(c.bytesPerGpu)} |`),
    `| KV pool | ${gib(componentBytes(e.memory.components, 'kvPool'))} = ${e.memory.poolFormula} |`,
  ];
}

/** Host RAM per replica, a budget of its own (the pod's memory limit): shown when a tier beyond the engine processes is on. */
function hostRows(e: Estimate): string[] {
  if (!hasHostTiers(e.host)) return [];
  return [
    '| Host RAM per replica | |',
    '|---|---|',
    ...e.host.tiers.map((t) => `| ${hostTierLabels[t.name]} | ${gib(t.bytes)}${t.tokens ? ` · ${t.tokens.toLocaleString('en-US')} tokens` : ''} |`),
    `| Total RAM | ${gib(e.host!.ramBytes)} |`,
    '',
  ];
}

/** `workload` names the section in a file with several workloads (llm-d's prefill and decode). */
export function estimateMarkdown(e: Estimate, findings: Finding[], workload?: string): string {
  const m = e.memory;
  const v = deploymentVerdict(e, findings);
  const lines = [
    `## ${workload ? `${workload}: ` : ''}${e.model.id} on ${e.hardware.count} × ${e.hardware.gpuName} (${e.serving.engine} ${e.serving.engineVersion})`,
    '',
    `**${HEADLINE[v.kind]}.** ${verdictLine(e, findings)}`,
    '',
    ...(v.reason ? [`The engine stops at startup: ${v.reason.message}`, ''] : []),
    ...(m.fits ? [] : ['The latency below is what the GPUs would do if it fit. *Deploy Advisor: Find Cheapest Plan* (or `deploy-advisor optimize <file>`) searches GPU counts, parallelism and precision for plans that fit.', '']),
    '| Model | |',
    '|---|---|',
    `| Architecture | ${e.model.architecture} (${e.model.layers} layers) |`,
    `| Parameters | ${parametersText(e)} |`,
    ...(hybridText(e) ? [`| Hybrid layers | ${hybridText(e)} |`] : []),
    `| KV cache | ${kvText(e)} |`,
    '',
    '| Memory per GPU | |',
    '|---|---|',
    ...memoryRows(e),
    `| KV capacity | ${m.kvCapacityTokens.toLocaleString('en-US')} tokens · ${m.maxConcurrency}× requests of ${e.serving.maxModelLen} tokens |`,
    '',
    ...hostRows(e),
    `| Latency (${e.workload.inputLen} in / ${e.workload.outputLen} out, concurrency ${e.latency.concurrency}) | |`,
    '|---|---|',
    `| Time to first token | ${e.latency.ttftMs.toFixed(1)} ms |`,
    `| Time per output token | ${e.latency.tpotMs.toFixed(2)} ms |`,
    `| Output throughput | ${e.latency.outputTokensPerSec.toFixed(0)} tokens/s per replica |`,
    '',
    ...poolingRows(e),
  ];
  if (findings.length) {
    lines.push('### Findings', '', ...findings.map(findingLine), '');
    // Every paper behind each recommendation, with what it reports.
    const techniques = [...new Set(findings.flatMap((f) => [f.technique, ...(f.fixes ?? []).map((x) => x.technique)]).filter((t): t is FamilyId => !!t))];
    if (techniques.length) lines.push('### Evidence', '', ...techniques.flatMap((t) => [...evidenceMarkdown(t, EVIDENCE_PER_TECHNIQUE), '']));
  }
  lines.push('### Assumptions', '', ...e.assumptions.map((a) => `- ${a}`), '');
  return lines.join('\n');
}

export function analysisMarkdown(a: Analysis): string {
  if (!a.format) return 'This file is not a model or serving config that Deploy Advisor reads.';
  const several = a.workloads.length > 1;
  // With several workloads, file-level findings (syntax, duplicate keys) are listed once, before the workloads.
  const fileLevel = several ? a.findings.filter((f) => f.workload === undefined) : [];
  const parts = a.workloads.map((w, i) => (w.estimate ? estimateMarkdown(w.estimate, workloadFindings(a, i, !several), several ? w.plan.name : undefined) : `## ${w.plan.name}\n\nNo estimate: ${(w.failure ?? []).map((x) => x.message).join(' ')}`));
  const head = fileLevel.length ? [`## This file\n\n${fileLevel.map(findingLine).join('\n')}`] : [];
  return `# Deploy Advisor estimate\n\n${[...head, ...parts].join('\n\n')}`;
}

/** Served for pooling: prompts per batch and per second (estimator/pooling.ts), which is what such a server is sized by. */
function poolingRows(e: Estimate): string[] {
  const p = e.pooling;
  if (!p) return [];
  return [
    `| Pooling (${p.batchTokens / p.batchSequences}-token prompts, no output) | |`,
    '|---|---|',
    `| Batch | ${p.batchSequences} prompts · ${p.batchTokens} of ${p.tokenBudget} tokens (${p.budgetKnob}) · ${p.batchMs.toFixed(1)} ms |`,
    `| Throughput | ${p.sequencesPerSec.toFixed(0)} prompts/s · ${Math.round(p.tokensPerSec).toLocaleString('en-US')} tokens/s per replica |`,
    `| KV cache | ${p.kv === 'none' ? `none${p.unusedBytesPerGpu > 0 ? ` (${gib(p.unusedBytesPerGpu)} per GPU left unallocated)` : ''}` : 'prompts only, freed after each forward'} |`,
    '',
  ];
}
