/** The text `deploy-advisor --help` prints (and, with exit status 2, a bare `deploy-advisor`): from the declarations. */
import { CliCommand, commandHelp } from './command';

function wrap(text: string, indent: string, width = 116): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

export function globalHelp(commands: CliCommand[]): string {
  const lines = ['deploy-advisor — GPU memory and latency estimates for LLM deployments', '', 'Usage:'];
  for (const c of commands) lines.push(`  deploy-advisor ${c.usage}`, ...wrap(c.summary, '      '));
  lines.push('  deploy-advisor COMMAND --help            the options of one command', '  deploy-advisor --help | --version', '');
  const estimate = commands.find((c) => c.name === 'estimate');
  if (estimate) {
    lines.push('Options of estimate (the other commands: deploy-advisor COMMAND --help):');
    lines.push(...commandHelp(estimate).split('\n').slice(5));
  }
  return lines.join('\n');
}
