import { Chalk, type ChalkInstance } from 'chalk';
import { type FormatOptions, type Formatter, formatLocation, type Report, SEVERITIES, type Severity } from '../report/model.js';
import { escapeTerminal as t } from '../source/escape.js';
import { groupByTarget } from './group.js';

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFO' };

function paint(c: ChalkInstance, severity: Severity, text: string): string {
  switch (severity) {
    case 'critical':
      return c.bold.red(text);
    case 'high':
      return c.red(text);
    case 'medium':
      return c.yellow(text);
    case 'low':
      return c.cyan(text);
    default:
      return c.gray(text);
  }
}

/** Text re-flowed to `width`: runs of white space (line breaks too) become one space; other control characters are escaped. */
function wrap(text: string, width: number, indent: string): string {
  const words = t(text.replace(/\s+/g, ' ').trim()).split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

const LIVE_PROVENANCE = new Set(['verified', 'contradicted', 'unavailable']);
const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Where the live facts came from: which accounts, when, how many calls, what could not be read. */
function liveLine(live: NonNullable<Report['live']>): string {
  const accounts = live.accounts.map((a) => `${a.id}${a.account_id ? ` ${a.account_id}` : ''}`).join(', ');
  const from = live.from === 'evidence' ? 'saved evidence of ' : '';
  return `Live: ${from}${live.provider} ${accounts} (${live.started}): ${live.calls} calls, ${live.unavailable.length} facts unavailable`;
}

/** One live fact behind a finding: verified, contradicted (both values), or unavailable (why). */
function liveEvidence(e: Report['findings'][number]['evidence'][number]): string {
  const what = `${e.subject}: ${e.field}`;
  if (e.provenance === 'unavailable') return `live: ${what} unavailable: ${e.error ?? ''}`;
  if (e.provenance === 'contradicted')
    return `live: ${what} contradicted: map says ${shown(e.declared)}, account says ${shown(e.observed)} (${e.source ?? ''})`;
  return `live: ${what} ${e.declared === undefined ? 'filled in' : 'verified'}: ${shown(e.observed)} (${e.source ?? ''})`;
}

export const formatText: Formatter = (report, options) => [formatTextString(report, options)];

function formatTextString(result: Report, options: FormatOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  const s = result.summary;
  // Everything from a map or a rule file (ids, names, paths, messages) is user text: escaped before it is painted.
  const system = result.system ? ` ${c.bold(t(result.system))}:` : '';
  out.push(
    `phi-audit ${result.tool.version}${system} ${s.nodes} nodes, ${s.flows} flows in ${result.files.length} file${result.files.length === 1 ? '' : 's'}; ` +
      `PHI reaches ${s.phi_holders} nodes and ${s.phi_flows} flows (as of ${result.as_of})`,
  );
  if (result.live) out.push(c.dim(t(liveLine(result.live))));
  out.push('');
  for (const group of groupByTarget(result.findings)) {
    const first = group.findings[0]!;
    out.push(`${c.bold(t(group.target))} ${c.dim(`(${first.target_type})`)}  ${c.underline(t(formatLocation(first.location)))}`);
    if (first.phiPath.length > 0)
      out.push(`  ${c.dim('PHI path:')} ${t(first.phiPath.join(' → '))}${first.phi.length ? c.dim(`  [${t(first.phi.join(', '))}]`) : ''}`);
    // Root causes first; what follows from them is shown under them, one line each, not counted.
    for (const f of group.findings) {
      if (f.folded_under !== undefined) continue;
      // Unknown because the map is silent reads as such; unknown for any other reason (unreadable live fact).
      const status = f.status === 'unknown' ? ` ${c.magenta(f.reason === 'missing' ? 'NOT DECLARED' : 'UNKNOWN')}` : '';
      out.push(`  ${paint(c, f.severity, LABEL[f.severity].padEnd(8))}${status} ${t(f.rule)}  ${c.dim(t(f.cite.join(', ')))}`);
      out.push(wrap(f.message, 100, '           '));
      for (const e of f.evidence) if (LIVE_PROVENANCE.has(e.provenance)) out.push(c.dim(wrap(t(liveEvidence(e)), 100, '           ')));
      out.push(c.dim(wrap(`fix: ${f.remediation}`, 100, '           ')));
    }
    for (const f of group.findings) {
      if (f.folded_under === undefined) continue;
      out.push(c.dim(`  ↳ ${t(f.rule)} folded under ${t(f.folded_under)}: follows from the PHI that must leave; not counted`));
    }
    out.push('');
  }
  const counts = SEVERITIES.filter((sev) => s.by_severity[sev] > 0).map((sev) => paint(c, sev, `${s.by_severity[sev]} ${sev}`));
  const unknown = `${s.by_status.unknown > 0 ? `, ${s.by_status.unknown} unknown` : ''}${s.folded > 0 ? `; ${s.folded} more folded under their root causes` : ''}`;
  if (s.findings === 0) out.push(c.green(`No findings: every PHI path in the map has its safeguards (${s.rules} rules).`));
  else out.push(`${s.findings} finding${s.findings === 1 ? '' : 's'} (${counts.join(', ')}${unknown}) from ${s.rules} rules.`);
  if (s.fail_on !== 'none') {
    out.push(
      s.blocking > 0
        ? c.red(`${s.blocking} at or above --fail-on ${s.fail_on}: exit code 1.`)
        : c.green(`None at or above --fail-on ${s.fail_on}: exit code 0.`),
    );
  }
  return `${out.join('\n')}\n`;
}
