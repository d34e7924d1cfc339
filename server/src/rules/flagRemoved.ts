/** An option the engine version in force no longer has: it refuses to start on it (or ignores it) — rename or remove. */
import { flagFindings } from './flagFindings';
import type { Rule } from './types';

export const flagRemovedRule: Rule = {
  code: 'flag-removed',
  description: 'An option the engine version in force has removed: the server refuses to start (or ignores it)',
  defaultSeverity: 'error',
  refusesStart: true,
  planOnly: true,
  check(ctx) {
    return flagFindings(ctx.plan, this.code, 'removed');
  },
};
