/** `deploy-advisor evidence`: the technique catalog, one family or all, as Markdown or JSON. */
import { cited, evidenceMarkdown, papersFor } from '../evidence/catalog';
import { families, FamilyId } from '../evidence/families';
import type { CliCommand } from './command';
import { declare, jsonFlag, toFlags } from './flags';
import { Flags, UsageError } from './options';

export function runEvidence(target: string | undefined, flags: Flags): string {
  const ids = Object.keys(families) as FamilyId[];
  if (target && !ids.includes(target as FamilyId)) throw new UsageError(`unknown family "${target}"; one of: ${ids.join(', ')}`);
  const chosen = target ? [target as FamilyId] : ids;
  if (flags.get('json')) return JSON.stringify(chosen.map((id) => ({ ...families[id], papers: papersFor(id).map(cited) })), null, 2);
  return chosen.flatMap((id) => [`## ${families[id].name} (${id})`, '', ...evidenceMarkdown(id), '']).join('\n');
}

export const evidenceCommand: CliCommand = {
  name: 'evidence',
  summary: `the technique catalog: what each technique does, when, its caveats, and the seed papers behind it (families: ${Object.keys(families).join(', ')})`,
  usage: 'evidence [family] [--json]',
  ...declare(jsonFlag),
  run(positionals, values) {
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
    process.stdout.write(`${runEvidence(positionals[0], toFlags(values))}\n`);
    return 0;
  },
};
