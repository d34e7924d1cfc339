/**
 * What the Deployments view writes for the server's rows: folder groups with their subtotals, one line per workload
 * (engine, model, GPUs × count, verdict, KV headroom, $/h) and the totals line. No `vscode` import, so unit tests run it.
 */
import type { WorkspaceRow } from '../../protocol/requests';
import type { WorkspaceTotals } from '../../protocol/workspace';

/** Hours in a month as cloud price sheets count them (server/src/workspace/summary.ts HOURS_PER_MONTH). */
const HOURS_PER_MONTH = 730;

export interface FolderGroup {
  /** Stable id (tree expansion state survives a refresh). */
  key: string;
  label: string;
  rows: WorkspaceRow[];
  gpus: number;
  pricePerMonth: number;
}

/** Rows grouped by the folder their file is in, in the server's order; workspace folder names are shown only when
 *  there are several (a multi-root workspace). Open documents outside every folder form one last group. */
export function groupByFolder(rows: WorkspaceRow[]): FolderGroup[] {
  const multiRoot = new Set(rows.filter((r) => r.folder).map((r) => r.folder)).size > 1;
  const groups = new Map<string, FolderGroup>();
  for (const r of rows) {
    const slash = r.file.lastIndexOf('/');
    const dir = r.folder ? (slash >= 0 ? r.file.slice(0, slash) : '') : '';
    const key = `${r.folder}\u0000${dir}`;
    let g = groups.get(key);
    if (!g) {
      const label = !r.folder ? 'Open editors' : multiRoot ? (dir ? `${r.folder}/${dir}` : r.folder) : dir || r.folder;
      g = { key, label, rows: [], gpus: 0, pricePerMonth: 0 };
      groups.set(key, g);
    }
    g.rows.push(r);
    g.gpus += gpusOf(r);
    g.pricePerMonth += (r.pricePerHour ?? 0) * HOURS_PER_MONTH;
  }
  return [...groups.values()].sort((a, b) => (a.label === 'Open editors' ? 1 : 0) - (b.label === 'Open editors' ? 1 : 0));
}

const gpusOf = (r: WorkspaceRow) => r.gpusPerReplica * r.replicas;

export function money(usd: number): string {
  return usd >= 100 ? `$${Math.round(usd).toLocaleString('en-US')}` : `$${usd.toFixed(2)}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "4 workloads · 10 GPUs · $18,250/month" */
export function totalsLabel(t: WorkspaceTotals): string {
  return `${plural(t.workloads, 'workload')} · ${plural(t.gpus, 'GPU')} · ${money(t.pricePerMonth)}/month`;
}

/** "1 does not fit · 1 will not start" (the problems among the totals; empty when every workload fits). */
export function totalsProblems(t: WorkspaceTotals): string {
  const parts: string[] = [];
  const n = (k: string) => t.byVerdict[k] ?? 0;
  if (n('does-not-fit')) parts.push(`${n('does-not-fit')} ${n('does-not-fit') === 1 ? 'does' : 'do'} not fit`);
  if (n('will-not-start')) parts.push(`${n('will-not-start')} will not start`);
  if (n('unknown')) parts.push(`${n('unknown')} not estimated`);
  return parts.join(' · ');
}

export function groupDescription(g: FolderGroup): string {
  return `${plural(g.rows.length, 'workload')} · ${plural(g.gpus, 'GPU')} · ${money(g.pricePerMonth)}/month`;
}

/** The file's name, and the workload's when its file holds several (a Helm file with two models, a multi-document manifest). */
export function rowLabel(r: WorkspaceRow, workloadsInFile: number): string {
  const base = r.file.slice(r.file.lastIndexOf('/') + 1);
  return workloadsInFile > 1 ? `${base} › ${r.name}` : base;
}

const VERDICT_WORDS: Record<WorkspaceRow['verdict'], string> = {
  fits: 'fits',
  'does-not-fit': 'does not fit',
  'will-not-start': 'will not start',
  unknown: 'not estimated',
};

export const verdictWords = (r: WorkspaceRow) => VERDICT_WORDS[r.verdict];

/** "2 × H100-SXM", "8 × H200 × 3 replicas" */
export function gpusText(r: WorkspaceRow): string {
  return `${r.gpusPerReplica} × ${r.gpu}${r.replicas > 1 ? ` × ${r.replicas} replicas` : ''}`;
}

/** "KV 3.2×": KV capacity over the tokens the workload keeps in flight (below 1, requests queue for KV). */
export function kvText(r: WorkspaceRow): string | undefined {
  if (r.kvHeadroom === undefined || !Number.isFinite(r.kvHeadroom)) return undefined;
  const h = r.kvHeadroom;
  return `KV ${h >= 10 ? h.toFixed(0) : h >= 1 ? h.toFixed(1) : h.toFixed(2)}×`;
}

/** "vllm · meta-llama/Llama-3.1-8B-Instruct · 1 × L4 · does not fit · KV 0.42× · $0.80/h" */
export function rowDescription(r: WorkspaceRow): string {
  const parts = [r.engine, r.model, gpusText(r), verdictWords(r), kvText(r), r.pricePerHour !== undefined ? `${money(r.pricePerHour)}/h` : undefined];
  return parts.filter((p): p is string => !!p).join(' · ');
}

/** The hover: every figure in words, the verdict's own text and why a workload was not estimated. */
export function rowTooltip(r: WorkspaceRow): string {
  const lines = [
    `**${r.name}** — ${r.folder ? `${r.folder}/` : ''}${r.file}`,
    '',
    `- Engine: ${r.engine}`,
    `- Model: \`${r.model}\``,
    `- GPUs: ${gpusText(r)}`,
    `- Verdict: ${r.verdictText}`,
  ];
  const kv = kvText(r);
  if (kv) lines.push(`- ${kv} (${r.kvCapacityTokens !== undefined ? `${Math.round(r.kvCapacityTokens).toLocaleString('en-US')} KV tokens ÷ the tokens in flight` : 'capacity ÷ tokens in flight'}; below 1× requests queue)`);
  if (r.pricePerHour !== undefined) lines.push(`- Price: ${money(r.pricePerHour)}/h, ${money(r.pricePerHour * HOURS_PER_MONTH)}/month`);
  lines.push(`- Findings: ${r.findings}${r.worst ? ` (worst: ${r.worst})` : ''}`);
  return lines.join('\n');
}
