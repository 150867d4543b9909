/**
 * `--format github`: GitHub Actions workflow commands, one annotation a finding on the map line it concerns
 * (`::error file=...,line=...,col=...,title=...::message`), and a Markdown job summary the CLI appends to the file
 * named by $GITHUB_STEP_SUMMARY.
 *
 * A blocking finding (at or above --fail-on, not accepted, folded or in the baseline) is an `error`, another open
 * finding a `warning`, and an accepted or folded one a `notice`. File names are relative to the repository root, as
 * GitHub matches them against the checkout. Workflow commands are escaped as GitHub's toolkit does: in the message
 * `%`, CR and LF; in a property also `:` and `,`. User text first has its control and bidi characters shown as
 * escapes (source/escape.ts), so no map can end the command early, start a new one or colour the log.
 */
import path from 'node:path';
import {
  type FormatOptions,
  type Formatter,
  formatLocation,
  isBlocking,
  type ProblemFormatter,
  type Report,
  type ReportFinding,
  SEVERITIES,
} from '../report/model.js';
import { escapeMarkdown, escapeTerminal, markdownCode } from '../source/escape.js';

/** A workflow command's message. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A map file as GitHub names it: relative to the repository root, with forward slashes. */
function repoPath(file: string, srcRoot: string | undefined): string {
  const rel = path.relative(path.resolve(srcRoot ?? '.'), path.resolve(file));
  return (rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel).split(path.sep).join('/');
}

function command(f: ReportFinding, report: Report): 'error' | 'warning' | 'notice' {
  if (f.folded_under !== undefined || f.accepted !== undefined) return 'notice';
  if (f.baseline === 'existing') return 'warning';
  return isBlocking(f.severity, report.summary.fail_on) ? 'error' : 'warning';
}

function annotation(f: ReportFinding, report: Report, options: FormatOptions, files: Map<string, string>): string {
  let file = files.get(f.location.file);
  if (file === undefined) files.set(f.location.file, (file = repoPath(f.location.file, options.srcRoot)));
  const t = escapeTerminal;
  const props = [`file=${escapeProperty(t(file))}`];
  if (f.location.line > 0) props.push(`line=${f.location.line}`, `col=${Math.max(1, f.location.column)}`);
  props.push(`title=${escapeProperty(t(`phi-audit ${f.severity}: ${f.rule} on ${f.target}`))}`);
  const lines = [
    `${f.status === 'unknown' ? 'Not established: ' : ''}${t(f.message)}`,
    ...(f.folded_under !== undefined ? [`Follows from ${t(f.folded_under)} (fix that first; not counted).`] : []),
    ...(f.accepted !== undefined
      ? [`Accepted risk: ${t(f.accepted.reason.trim())}${f.accepted.expires !== undefined ? ` (until ${f.accepted.expires})` : ''}`]
      : []),
    ...(f.baseline === 'existing' ? ['In the baseline: does not fail the run.'] : []),
    ...(f.phiPath.length > 1 ? [`PHI path: ${t(f.phiPath.join(' → '))}`] : []),
    `Cites ${t(f.cite.join(', '))}. Fix: ${t(f.remediation)}`,
  ];
  return `::${command(f, report)} ${props.join(',')}::${escapeData(lines.join('\n'))}\n`;
}

export const formatGithub: Formatter = function* (report, options) {
  const files = new Map<string, string>();
  let batch = '';
  for (const f of report.findings) {
    batch += annotation(f, report, options, files);
    if (batch.length > 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  const s = report.summary;
  batch += `phi-audit: ${s.findings} findings, ${s.blocking} at or above --fail-on ${s.fail_on}${s.accepted > 0 ? `, ${s.accepted} accepted` : ''}${s.folded > 0 ? `, ${s.folded} folded under a root cause` : ''}.\n`;
  yield batch;
};

/** The most findings the job summary lists (GitHub takes up to 1 MiB of summary a step). */
const SUMMARY_FINDINGS = 50;

/** The job summary: counts, then the findings that matter most, as Markdown (every piece of user text escaped). */
export function githubSummary(report: Report, options: FormatOptions): string {
  const s = report.summary;
  const code = (x: string) => markdownCode(x, { inTable: true });
  const out = [
    `## phi-audit${report.system !== undefined ? `: ${escapeMarkdown(report.system)}` : ''}`,
    '',
    s.blocking > 0
      ? `**${s.blocking} finding${s.blocking === 1 ? '' : 's'} at or above \`--fail-on ${s.fail_on}\`**: the job fails.`
      : `No finding at or above \`--fail-on ${s.fail_on}\`.`,
    '',
    `| ${SEVERITIES.join(' | ')} | accepted | folded | PHI holders | PHI flows |`,
    `| ${SEVERITIES.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: |`,
    `| ${SEVERITIES.map((v) => s.by_severity[v]).join(' | ')} | ${s.accepted} | ${s.folded} | ${s.phi_holders} | ${s.phi_flows} |`,
    '',
  ];
  if (report.baseline !== undefined) {
    const b = report.baseline;
    out.push(`Baseline ${code(b.file)}: ${b.new} new, ${b.existing} existing, ${b.fixed.length} fixed.`, '');
  }
  const open = report.findings.filter((f) => f.folded_under === undefined && f.accepted === undefined);
  if (open.length > 0) {
    out.push('| Severity | Rule | Target | Where | Finding |', '| --- | --- | --- | --- | --- |');
    for (const f of open.slice(0, SUMMARY_FINDINGS)) {
      const where = formatLocation({ ...f.location, file: repoPath(f.location.file, options.srcRoot) });
      out.push(
        `| ${f.severity}${f.status === 'unknown' ? ' (unknown)' : ''} | ${code(f.rule)} | ${code(f.target)} | ${code(where)} | ${escapeMarkdown(f.message)} |`,
      );
    }
    if (open.length > SUMMARY_FINDINGS) out.push('', `${open.length - SUMMARY_FINDINGS} more open findings are in the annotations and the reports.`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** A run stopped on input problems: each problem an error annotation at its file, line and column. */
export const formatGithubProblems: ProblemFormatter = function* (problems, options) {
  let out = '';
  for (const d of problems.diagnostics) {
    const props =
      d.line > 0
        ? [
            `file=${escapeProperty(escapeTerminal(repoPath(d.file, options.srcRoot)))}`,
            `line=${d.line}`,
            `col=${Math.max(1, d.column)}`,
            `title=${escapeProperty('phi-audit: map problem')}`,
          ]
        : [`title=${escapeProperty(escapeTerminal(`phi-audit: ${d.file}`))}`];
    out += `::error ${props.join(',')}::${escapeData(escapeTerminal(d.message))}\n`;
  }
  yield `${out}phi-audit: ${problems.diagnostics.length} problem${problems.diagnostics.length === 1 ? '' : 's'} to fix; nothing was checked.\n`;
};
