/**
 * `.deploy-advisor.yaml` as a document of its own: the editor and `check` point at what would make it not apply (a
 * schema error: the whole file is then ignored, policy/repoConfig.ts) or apply less than meant (a rule code no rule
 * has, most likely a typo: its severity changes nothing). No plans: the file configures the others.
 */
import { isMap, isScalar, Node } from 'yaml';
import { CONFIG_FILE_NAMES } from '../policy/repoConfig';
import { RULE_CODES } from '../policy/ruleCodes';
import { repoConfig as validate } from '../schemas/validators.generated';
import { didYouMean } from '../text/didYouMean';
import { rangeOf } from './document';
import { schemaProblems } from './profile';
import type { FormatProblem, FormatReader } from './types';

const baseName = (uri: string) => decodeURIComponent(uri.replace(/[?#].*$/, '').split(/[\\/]/).pop() ?? '');

export const repoConfigReader: FormatReader = {
  name: 'deploy-advisor-config',
  detect: (doc) => CONFIG_FILE_NAMES.includes(baseName(doc.uri)),
  read(doc) {
    const d = doc.docs[0];
    if (!d || doc.problems.length) return { format: 'deploy-advisor-config', plans: [], problems: [] };
    const problems: FormatProblem[] = [];
    const data: unknown = d.toJS({ maxAliasCount: 100 }) ?? {};
    if (!validate(data)) problems.push(...schemaProblems(doc, d, validate.errors, '.deploy-advisor.yaml'));
    const rules = d.get('rules', true);
    if (isMap(rules)) {
      for (const pair of rules.items) {
        const key = pair.key as Node | null;
        if (!isScalar(key) || typeof key.value !== 'string' || RULE_CODES.includes(key.value)) continue;
        const near = didYouMean(key.value, RULE_CODES);
        const range = rangeOf(doc, key);
        problems.push({
          code: 'unknown-rule', severity: 'warning', range,
          message: `No rule has the code ${key.value}: this line changes nothing.${near ? ` Did you mean ${near}?` : ' The README\'s rule table lists the codes.'}`,
          ...(near ? { rename: { range, from: key.value, to: near } } : {}),
        });
      }
    }
    return { format: 'deploy-advisor-config', plans: [], problems };
  },
};
