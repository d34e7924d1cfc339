/**
 * Every code the product emits. package.json's `deployAdvisor.rules` setting lists them (test/unit/ruleCodes.test.ts
 * keeps it in step with the sources and the README), so the setting's completions and this check agree.
 */
import pkg from '../../../package.json';

export const RULE_CODES: readonly string[] = Object.keys(pkg.contributes.configuration.properties['deployAdvisor.rules'].properties).sort();
