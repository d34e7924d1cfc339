/**
 * `check --format junit`: JUnit XML as CI test reporters read it (Jenkins, GitLab, the JUnit reporters of Actions):
 * a test suite per file, a test case per workload, failed when a finding of it (its own or its file's) is at or above
 * --fail-on. A recognised file with findings but no workload (a config that does not parse) is one case of its own.
 */
import type { CheckFinding, CheckReport, FailOn } from './types';
import { fails } from './types';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  // XML 1.0 has no place for most control characters, even escaped.
  .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

const line = (f: CheckFinding) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.rule}: ${f.message}`;

interface Case {
  name: string;
  findings: CheckFinding[];
}

export function checkJunit(r: CheckReport, failOn: FailOn): string {
  const files = new Map<string, Case[]>();
  const caseOf = new Map<number, Case>();
  r.workloads.forEach((w, i) => {
    const c: Case = { name: w.name === w.model ? w.name : `${w.name} (${w.model})`, findings: [] };
    caseOf.set(i, c);
    files.set(w.file, [...(files.get(w.file) ?? []), c]);
  });
  for (const f of r.findings) {
    if (f.workload !== undefined) {
      caseOf.get(f.workload)?.findings.push(f);
      continue;
    }
    const cases = files.get(f.file) ?? [];
    if (!cases.length) files.set(f.file, [{ name: f.file, findings: [] }]);
    for (const c of files.get(f.file)!) c.findings.push(f);
  }
  let tests = 0;
  let failures = 0;
  const suites: string[] = [];
  for (const [file, cases] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const failed = cases.filter((c) => c.findings.some((f) => fails(f.severity, failOn)));
    tests += cases.length;
    failures += failed.length;
    const body = cases.map((c) => {
      const failing = c.findings.filter((f) => fails(f.severity, failOn));
      const open = `    <testcase classname="${xml(file)}" name="${xml(c.name)}"`;
      if (!failing.length) {
        const rest = c.findings.map(line);
        return rest.length ? `${open}>\n      <system-out>${xml(rest.join('\n'))}</system-out>\n    </testcase>` : `${open}/>`;
      }
      const first = failing[0];
      return `${open}>\n      <failure type="${xml(first.rule)}" message="${xml(`${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${failOn}: ${first.rule}: ${first.message}`)}">${xml(c.findings.map(line).join('\n'))}</failure>\n    </testcase>`;
    });
    suites.push(`  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${failed.length}" errors="0" skipped="0">\n${body.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="deploy-advisor check" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>`;
}
