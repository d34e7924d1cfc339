/**
 * `check --format sarif`: SARIF 2.1.0 (OASIS), as GitHub code scanning reads it. One run; `rules[]` has one entry per
 * code that occurs, with its default level and help (the evidence); each result points at the offending value
 * (1-based lines and columns, end column exclusive as in SARIF §3.30) relative to `%SRCROOT%`, and carries the quick
 * fixes' text edits (the same edits the editor applies).
 */
import { pathToFileURL } from 'node:url';
import type { Severity } from '../estimator/estimate';
import type { FamilyId } from '../evidence/families';
import type { SourceRange } from '../plan/types';
import { ruleHelp, ruleInfo } from './ruleInfo';
import { TOOL } from './tool';
import type { CheckFinding, CheckReport } from './types';

const level = { error: 'error', warning: 'warning', info: 'note' } as const;
const BASE = 'SRCROOT';

const region = (r: SourceRange) => ({ startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 });

/** A relative path as a URI reference (each segment percent-encoded); outside the root: an absolute file URI. */
function location(root: string, file: string) {
  if (file.startsWith('../') || /^[A-Za-z]:|^\//.test(file)) return { uri: pathToFileURL(`${root}/${file}`).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: BASE };
}

export function checkSarif(r: CheckReport): string {
  const codes = new Map<string, { seen: Severity; techniques: Set<FamilyId> }>();
  for (const f of r.findings) {
    const c = codes.get(f.rule) ?? { seen: f.severity, techniques: new Set<FamilyId>() };
    if (f.technique) c.techniques.add(f.technique);
    codes.set(f.rule, c);
  }
  const ids = [...codes.keys()].sort();
  const docs = `${TOOL.informationUri}#rules`;
  const rules = ids.map((id) => {
    const info = ruleInfo(id, codes.get(id)!.seen);
    return {
      id,
      shortDescription: { text: info.description },
      fullDescription: { text: `${info.description}. Severity by default: ${info.defaultLevel}; change it (or turn it off) in .deploy-advisor.yaml under rules:, or suppress one finding with # deploy-advisor-disable-next-line ${id}.` },
      defaultConfiguration: { level: level[info.defaultLevel] },
      help: ruleHelp(info, [...codes.get(id)!.techniques].sort(), docs),
      helpUri: docs,
    };
  });
  const result = (f: CheckFinding) => ({
    ruleId: f.rule,
    ruleIndex: ids.indexOf(f.rule),
    level: level[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: location(r.root, f.file), region: region(f.range) } }],
    ...(f.fixes.length ? {
      fixes: f.fixes.map((x) => ({
        description: { text: x.title },
        artifactChanges: [{ artifactLocation: location(r.root, f.file), replacements: x.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) }],
      })),
    } : {}),
  });
  const rootUri = pathToFileURL(r.root).href.replace(/\/?$/, '/');
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL.name, version: TOOL.version, semanticVersion: TOOL.version, informationUri: TOOL.informationUri, rules } },
      originalUriBaseIds: { [BASE]: { uri: rootUri } },
      columnKind: 'utf16CodeUnits',
      results: r.findings.map(result),
    }],
  }, null, 2);
}
