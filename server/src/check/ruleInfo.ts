/**
 * What SARIF's `rules[]` says about each code: the registered rules' own descriptions and default severities
 * (rules/registry.ts), and for the codes readers and the estimator emit (no Rule object) a line each here, in step with
 * the README's rule table. The evidence (help text) comes from the techniques the findings cite.
 */
import type { Severity } from '../estimator/estimate';
import { evidenceLine, evidenceMarkdown } from '../evidence/catalog';
import type { FamilyId } from '../evidence/families';
import { rules } from '../rules/registry';

const READER_CODES: Record<string, [string, Severity]> = {
  'syntax': ['YAML or JSON that does not parse, or a file too large or nested too deep to read', 'error'],
  'binary': ['A file of binary data, not YAML or JSON text', 'error'],
  'reader-error': ['A file of a known format that its reader could not take apart', 'error'],
  'unknown-key': ['A key the engine does not take (a near miss offers the rename)', 'error'],
  'duplicate-key': ['The same option set twice; the later one wins', 'warning'],
  'invalid-value': ["A value the engine's own option types reject", 'error'],
  'alias-value': ['A value from a YAML alias, which is not followed', 'info'],
  'false-ignored': ['`key: false` in a vLLM config file, which vLLM ignores', 'warning'],
  'schema': ['A deployment profile or .deploy-advisor.yaml that breaks its JSON Schema', 'error'],
  'missing-model': ["No model in the engine's command line or the profile", 'warning'],
  'unknown-model': ['A model neither in the catalog nor a local folder', 'error'],
  'unknown-gpu': ['A GPU not in the catalog', 'error'],
  'model-config': ["The model's config.json cannot be used for an estimate", 'error'],
  'estimator-error': ['The estimate failed for this configuration', 'error'],
  'gpu-count-mismatch': ['The GPUs the file requests differ from what the parallelism uses', 'error'],
  'request-exceeds-max-len': ["The workload's prompt + output exceed max-model-len: the engine rejects those requests", 'warning'],
  'unused-suppression': ['A deploy-advisor-disable comment that suppresses nothing', 'info'],
  'unknown-rule': ['A .deploy-advisor.yaml rules: entry whose code no rule has', 'warning'],
};

export interface RuleInfo {
  code: string;
  description: string;
  defaultLevel: Severity;
}

export function ruleInfo(code: string, seen: Severity): RuleInfo {
  const rule = rules.find((r) => r.code === code);
  if (rule) return { code, description: rule.description, defaultLevel: rule.defaultSeverity };
  const known = READER_CODES[code];
  if (known) return { code, description: known[0], defaultLevel: known[1] };
  return { code, description: `Deploy Advisor finding ${code} (see the rule table in the README)`, defaultLevel: seen };
}

/** Help for a rule: what it checks, and the evidence behind the techniques its fixes apply. */
export function ruleHelp(info: RuleInfo, techniques: FamilyId[], docs: string): { text: string; markdown: string } {
  const text = [info.description + '.', ...techniques.map(evidenceLine), `Rule table: ${docs}`].join('\n');
  const markdown = [`**${info.code}**: ${info.description}.`, '', ...techniques.flatMap((t) => [...evidenceMarkdown(t, 3), '']), `[Rule table](${docs})`].join('\n');
  return { text, markdown };
}
