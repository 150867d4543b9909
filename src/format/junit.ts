/**
 * JUnit XML, for CI systems that show test reports (GitLab's `artifacts:reports:junit`, Jenkins, Azure Pipelines).
 *
 * One test suite per rule that ran. In it, one test case per rule and target that has a finding (classname the rule,
 * name the target): a `<failure>` with the severity, status, message, citations and map location; an accepted finding
 * is `<skipped>` with its acceptance, and one folded under a root cause is `<skipped>` naming that root cause (shown,
 * not counted, as in every report). The targets a rule judged and passed are not named in the report, only counted:
 * they are one passing test case, "N targets pass". A suite's `tests` is every judgement (passes, findings), and its
 * not-applicable count is a property.
 *
 * XML 1.0 cannot carry most control characters at all (not even as `&#...;`): they, bidi controls and lone
 * surrogates are written as visible escapes (`\x1b`, `\u202e`), as the terminal report shows them.
 */
import type { Formatter, ProblemFormatter, ReportFinding } from '../report/model.js';
import { formatLocation } from '../report/model.js';
import { escapeTerminal } from '../source/escape.js';

// Characters XML 1.0 cannot hold (besides tab, line feed and carriage return, which escapeTerminal already shows), and
// lone surrogates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed.
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_SPECIAL = /[&<>"']/g;
const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text made safe for an XML 1.0 attribute or element: shown escapes for what XML cannot hold, entities for markup. */
export function escapeXml(s: string): string {
  return escapeTerminal(s)
    .replace(ILLEGAL, hex)
    .replace(XML_SPECIAL, (c) => ENTITY[c]!);
}

/** Several lines of text for an element body: line breaks kept, everything else as escapeXml. */
function xmlLines(lines: readonly string[]): string {
  return lines.map(escapeXml).join('\n');
}

function failureOf(f: ReportFinding): string {
  const body = [
    `${f.severity} ${f.status === 'unknown' ? '(not established: counts as a failure)' : 'failure'}: ${f.message}`,
    `Rule: ${f.rule} (${f.title})`,
    `Target: ${f.target} (${f.target_type})`,
    `Location: ${formatLocation(f.location)}`,
    ...(f.phiPath.length > 1 ? [`PHI path: ${f.phiPath.join(' → ')}`] : []),
    `Citations: ${f.cite.join(', ')}`,
    ...(f.baseline !== undefined ? [`Baseline: ${f.baseline}`] : []),
    `Remediation: ${f.remediation}`,
  ];
  const type = `${f.severity}${f.status === 'unknown' ? '/unknown' : ''}`;
  return `<failure message="${escapeXml(f.message)}" type="${type}">${xmlLines(body)}</failure>`;
}

function skippedOf(f: ReportFinding): string {
  if (f.accepted !== undefined) {
    const a = f.accepted;
    const parts = [`accepted risk: ${a.reason.trim()}`];
    if (a.alternative !== undefined) parts.push(`documented alternative: ${a.alternative.trim()}`);
    if (a.owner !== undefined) parts.push(`owner: ${a.owner}`);
    if (a.expires !== undefined) parts.push(`expires ${a.expires}`);
    if (a.ticket !== undefined) parts.push(`ticket: ${a.ticket}`);
    return `<skipped message="${escapeXml(parts.join('; '))}">${xmlLines([`${f.severity}: ${f.message}`, `Location: ${formatLocation(f.location)}`])}</skipped>`;
  }
  return `<skipped message="${escapeXml(`follows from ${f.folded_under} (fix that first; not counted)`)}">${xmlLines([`${f.severity}: ${f.message}`, `Location: ${formatLocation(f.location)}`])}</skipped>`;
}

export const formatJunit: Formatter = function* (report) {
  const byRule = new Map<string, ReportFinding[]>();
  for (const f of report.findings) {
    let list = byRule.get(f.rule);
    if (list === undefined) byRule.set(f.rule, (list = []));
    list.push(f);
  }
  const suites: { id: string; tests: number; failures: number; skipped: number; na: number; pass: number; title: string; findings: ReportFinding[] }[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const rule of report.rules) {
    const findings = byRule.get(rule.id) ?? [];
    const outcome = Object.hasOwn(report.outcomes, rule.id) ? report.outcomes[rule.id] : undefined;
    const pass = outcome?.pass ?? 0;
    const skip = findings.filter((f) => f.accepted !== undefined || f.folded_under !== undefined).length;
    const fail = findings.length - skip;
    const suite = {
      id: rule.id,
      title: rule.title,
      tests: findings.length + (pass > 0 ? 1 : 0),
      failures: fail,
      skipped: skip,
      na: outcome?.not_applicable ?? 0,
      pass,
      findings,
    };
    suites.push(suite);
    tests += suite.tests;
    failures += fail;
    skipped += skip;
  }
  const name = `phi-audit${report.system !== undefined ? `: ${report.system}` : ''}`;
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n`;
  for (const s of suites) {
    let out = `  <testsuite name="${escapeXml(s.id)}" tests="${s.tests}" failures="${s.failures}" errors="0" skipped="${s.skipped}" timestamp="${report.as_of}T00:00:00">\n`;
    out += `    <properties>\n      <property name="title" value="${escapeXml(s.title)}"/>\n      <property name="passed" value="${s.pass}"/>\n      <property name="not_applicable" value="${s.na}"/>\n    </properties>\n`;
    for (const f of s.findings) {
      const blocked = f.accepted !== undefined || f.folded_under !== undefined ? skippedOf(f) : failureOf(f);
      out += `    <testcase classname="${escapeXml(s.id)}" name="${escapeXml(f.target)}" file="${escapeXml(f.location.file)}" line="${f.location.line}">${blocked}</testcase>\n`;
    }
    if (s.pass > 0) out += `    <testcase classname="${escapeXml(s.id)}" name="${s.pass} target${s.pass === 1 ? '' : 's'} pass"/>\n`;
    out += '  </testsuite>\n';
    yield out;
  }
  yield '</testsuites>\n';
};

/** A run stopped on input problems: one suite whose test cases are the problems, each an error at its place. */
export const formatJunitProblems: ProblemFormatter = function* (problems) {
  const n = problems.diagnostics.length;
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="phi-audit" tests="${n}" failures="0" errors="${n}" skipped="0">\n`;
  out += `  <testsuite name="phi-audit: input problems (nothing was checked)" tests="${n}" failures="0" errors="${n}" skipped="0">\n`;
  for (const d of problems.diagnostics) {
    const where = formatLocation(d);
    out += `    <testcase classname="input" name="${escapeXml(where)}"${d.line > 0 ? ` file="${escapeXml(d.file)}" line="${d.line}"` : ''}><error message="${escapeXml(d.message)}" type="input">${escapeXml(`${where}: ${d.message}`)}</error></testcase>\n`;
  }
  yield `${out}  </testsuite>\n</testsuites>\n`;
};
