/** An option the engine version in force deprecated or ignores (still accepted): rename it, or remove it. */
import { flagFindings } from './flagFindings';
import type { Rule } from './types';

export const flagDeprecatedRule: Rule = {
  code: 'flag-deprecated',
  description: 'An option the engine version in force has deprecated or ignores (catalog/flagHistory.ts)',
  defaultSeverity: 'warning',
  planOnly: true,
  check(ctx) {
    return flagFindings(ctx.plan, this.code, 'deprecated');
  },
};
