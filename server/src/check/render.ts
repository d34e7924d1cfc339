/** --format → renderer. */
import { checkGithub } from './github';
import { checkJson } from './json';
import { checkJunit } from './junit';
import { checkSarif } from './sarif';
import { checkText } from './text';
import type { CheckReport, FailOn } from './types';

export const checkFormats = ['text', 'json', 'sarif', 'github', 'junit'] as const;
export type CheckFormat = (typeof checkFormats)[number];

export function renderCheck(r: CheckReport, format: CheckFormat, failOn: FailOn): string {
  switch (format) {
    case 'json': return checkJson(r);
    case 'sarif': return checkSarif(r);
    case 'github': return checkGithub(r);
    case 'junit': return checkJunit(r, failOn);
    default: return checkText(r);
  }
}
