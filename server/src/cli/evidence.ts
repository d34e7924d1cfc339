/** `deploy-advisor evidence`: the technique catalog, one family or all, as Markdown or JSON. */
import { cited, evidenceMarkdown, papersFor } from '../evidence/catalog';
import { families, FamilyId } from '../evidence/families';
import { Flags, UsageError } from './options';

export function runEvidence(target: string | undefined, flags: Flags): string {
  const ids = Object.keys(families) as FamilyId[];
  if (target && !ids.includes(target as FamilyId)) throw new UsageError(`unknown family "${target}"; one of: ${ids.join(', ')}`);
  const chosen = target ? [target as FamilyId] : ids;
  if (flags.get('json')) return JSON.stringify(chosen.map((id) => ({ ...families[id], papers: papersFor(id).map(cited) })), null, 2);
  return chosen.flatMap((id) => [`## ${families[id].name} (${id})`, '', ...evidenceMarkdown(id), '']).join('\n');
}
