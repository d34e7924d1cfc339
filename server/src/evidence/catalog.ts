/** The evidence behind each technique family: lookups over the seed papers' facts (papers.json) and our families. */
import papersData from './papers.json';
import { families, Family, FamilyId } from './families';

export interface Claim {
  metric: string | null;
  /** As the abstract states it. */
  value: string;
  baseline: string | null;
  context: string | null;
}

export interface Paper {
  title: string;
  /** Seed file the abstract is in: for checking titles and numbers against the abstracts, never shown to users. */
  seed: string;
  family: FamilyId;
  /** What the abstract studies, as short tags (`kv-quantization`, `tensor-parallel-inference`): a change cites a paper only on a matching topic. */
  topics: string[];
  claims: Claim[];
}

/** A paper as users see it (CLI `evidence --json`): no seed file name. */
export type CitedPaper = Omit<Paper, 'seed'>;

export const cited = ({ seed: _seed, ...p }: Paper): CitedPaper => p;

export const papers = papersData as Paper[];

export function papersFor(id: FamilyId): Paper[] {
  return papers.filter((p) => p.family === id);
}

export function family(id: FamilyId): Family {
  return families[id];
}

/**
 * "Evidence: up to 10x decode throughput vs … — “SARATHI: …”": the family's first paper with a claim (papers.json lists
 * each family's lead paper first). A family no seed paper studies says so plainly: "Evidence: No seed paper measures …".
 */
export function evidenceLine(id: FamilyId): string {
  const f = families[id];
  const p = papersFor(id).find((x) => x.claims.length > 0) ?? papersFor(id)[0];
  if (!p) return `Evidence: ${f.evidenceGap ?? `No seed paper measures ${f.name.toLowerCase()}.`}`;
  const c = p.claims[0];
  const claim = c ? `${c.value}${c.baseline && c.baseline !== 'n/a' ? ` vs ${c.baseline}` : ''}${c.context ? ` (${c.context})` : ''}` : 'see the paper';
  return `${f.evidenceGap ? 'Nearest evidence' : 'Evidence'}: ${claim} — “${p.title}”`;
}

/**
 * Markdown list of a family's papers and what they report. An estimate shows the first `limit` (papers with measured
 * claims first) and names the command that lists the rest; the `evidence` command lists them all.
 */
export function evidenceMarkdown(id: FamilyId, limit = Infinity): string[] {
  const f = families[id];
  const lines = [`**${f.name}.** ${f.summary} *When:* ${f.conditions} *Caveats:* ${f.caveats}`];
  if (f.evidenceGap) lines.push(`*Evidence gap:* ${f.evidenceGap}`);
  const all = papersFor(id);
  const ranked = [...all.filter((p) => p.claims.length > 0), ...all.filter((p) => p.claims.length === 0)];
  for (const p of ranked.slice(0, limit)) {
    const claims = p.claims.map((c) => `${c.metric && c.metric !== 'other' ? `${c.metric}: ` : ''}${c.value}${c.baseline && c.baseline !== 'n/a' ? ` vs ${c.baseline}` : ''}${c.context ? ` (${c.context})` : ''}`).join('; ');
    lines.push(`- “${p.title}”${claims ? ` — ${claims}` : ''}`);
  }
  if (ranked.length > limit) lines.push(`- … ${ranked.length - limit} more: \`deploy-advisor evidence ${id}\``);
  return lines;
}
