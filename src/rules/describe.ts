/** Rule listings and rule docs: pure functions over loaded rules, shared by `phi-audit rules` and the README table. */
import { FUNCTIONS } from '../checks/index.js';
import { escapeMarkdown, escapeTerminal } from '../source/escape.js';
import { type CheckSpec, citationText, type LoadedRule } from './schema.js';

// A team's rule file is user text: what it says is escaped for the terminal (control and bidi characters shown as
// escapes) or for Markdown, like everything else from a map or rule file.
const one = (s: string) => escapeTerminal(s.replace(/\s+/g, ' ').trim());
const md = (s: string) => escapeMarkdown(s.replace(/\s+/g, ' ').trim());

export function rulesTable(rules: readonly LoadedRule[]): string {
  const lines = ['| Rule | Severity | Citation | Applies to | Title |', '| --- | --- | --- | --- | --- |'];
  for (const r of rules) {
    const kinds = r.applies_to.kinds ? ` (${r.applies_to.kinds.join(', ')})` : '';
    const raised = r.escalate ? ` (can rise to ${[...new Set(r.escalate.map((e) => e.severity))].join(', ')})` : '';
    lines.push(
      `| \`${r.id}\` | ${r.severity}${raised} | ${md(r.cite.map(citationText).join(', '))} | ${r.applies_to.targets.join(', ')}${kinds} | ${md(r.title)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function rulesList(rules: readonly LoadedRule[]): string {
  const width = Math.max(...rules.map((r) => r.id.length), 4);
  // The first citation, and how many more `phi-audit rules ID` shows.
  const cites = rules.map((r) => `${citationText(r.cite[0]!)}${r.cite.length > 1 ? ` +${r.cite.length - 1}` : ''}`);
  const citeWidth = Math.max(...cites.map((c) => c.length), 4);
  const lines = rules.map((r, i) => `${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${cites[i]!.padEnd(citeWidth)}  ${one(r.title)}`);
  return `${lines.join('\n')}\n${rules.length} rules. \`phi-audit rules ID\` shows one in full.\n`;
}

function describeCheck(c: CheckSpec, indent: string): string {
  const opts = c.options && Object.keys(c.options).length > 0 ? ` ${escapeTerminal(JSON.stringify(c.options))}` : '';
  return `${indent}${c.function}${opts}`;
}

export function ruleDoc(r: LoadedRule): string {
  const a = r.applies_to;
  const lines = [
    `${r.id}: ${one(r.title)}`,
    '',
    `Severity:    ${r.severity}${r.escalate ? ` (raised: ${r.escalate.map((e) => `${e.severity} when ${escapeTerminal(`${e.when.function} ${JSON.stringify(e.when.options ?? {})}`)}`).join('; ')})` : ''}`,
    `Citations:   ${r.cite.map((c) => one(`${citationText(c)} ${c.standard} (${c.implementation})`)).join('\n             ')}`,
    `Applies to:  ${a.targets.join(', ')}${a.kinds ? `; kinds: ${a.kinds.join(', ')}` : ''}${a.exclude_kinds ? `; not kinds: ${a.exclude_kinds.join(', ')}` : ''}; ${a.phi === 'required' ? 'only where PHI reaches' : 'whether or not PHI reaches'}`,
    ...(a.when ? [`When:        ${describeCheck(a.when, '')}`] : []),
    `Check:       ${describeCheck(r.check, '')}`,
    `Source:      ${escapeTerminal(r.file)}`,
    `Accepting:   ${r.acceptable === false ? "not acceptable: a map's accepted: entry may not accept its findings (an exposure to remove, not a risk to document)" : "a map's accepted: entry may accept its findings (with a reason, owner and expiry)"}`,
    '',
    'Why:',
    `  ${one(r.rationale)}`,
    '',
    'Fix:',
    `  ${one(r.remediation)}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function functionsList(): string {
  const lines = [...FUNCTIONS.values()].map((f) => `${f.name.padEnd(24)} ${f.targets.join(', ').padEnd(30)} ${f.description}`);
  return `${lines.join('\n')}\n`;
}
