import { Chalk, type ChalkInstance } from 'chalk';
import {
  type FormatOptions,
  type Formatter,
  formatDiagnostic,
  formatLocation,
  type ProblemFormatter,
  type Report,
  SEVERITIES,
  type Severity,
} from '../report/model.js';
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

/**
 * Text re-flowed to `width` columns (indent included): runs of white space (line breaks too) become one space; other
 * control characters are escaped. Lines break only at spaces, so an id, a path or a citation is never cut. Without a
 * width (piped, or to a file) the text stays on one line.
 */
function wrap(text: string, width: number | undefined, indent: string): string {
  const flat = t(text.replace(/\s+/g, ' ').trim());
  if (width === undefined) return indent + flat;
  const room = Math.max(40, width - indent.length - 1);
  const lines: string[] = [];
  let line = '';
  for (const w of flat.split(' ')) {
    if (line && line.length + 1 + w.length > room) {
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
/** Items joined by ", " and wrapped between items only (a citation has spaces of its own). */
function wrapList(items: readonly string[], width: number, indent: string): string {
  const room = Math.max(40, width - indent.length - 1);
  const lines: string[] = [];
  let line = '';
  for (const [i, item] of items.entries()) {
    const piece = i + 1 < items.length ? `${item},` : item;
    if (line && line.length + 1 + piece.length > room) {
      lines.push(line);
      line = piece;
    } else line = line ? `${line} ${piece}` : piece;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const formatText: Formatter = (report, options) => [formatTextString(report, options)];

const INDENT = '           ';

/** What an acceptance says, in one line: the reason, then owner, expiry and ticket when given. */
function acceptanceLine(a: { reason: string; owner?: string | undefined; expires?: string | undefined; ticket?: string | undefined }): string {
  const more = [a.owner, a.expires !== undefined ? `until ${a.expires}` : 'no expiry', a.ticket].filter((x) => x !== undefined);
  return `${a.reason.replace(/\.$/, '')} (${more.join(', ')})`;
}

function formatTextString(result: Report, options: FormatOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const width = options.width;
  const out: string[] = [];
  const s = result.summary;
  const baseline = result.baseline;
  // Everything from a map or a rule file (ids, names, paths, messages) is user text: escaped before it is painted.
  if (!options.quiet) {
    const system = result.system ? ` ${c.bold(t(result.system))}:` : '';
    const sizes =
      `${s.nodes} nodes, ${s.flows} flows in ${result.files.length} file${result.files.length === 1 ? '' : 's'}; ` +
      `PHI reaches ${s.phi_holders} nodes and ${s.phi_flows} flows (as of ${result.as_of})`;
    const headline = `phi-audit ${result.tool.version}${system}`;
    const visible = `phi-audit ${result.tool.version}${result.system ? ` ${t(result.system)}:` : ''}`.length;
    out.push(width === undefined || visible + 1 + sizes.length <= width ? `${headline} ${sizes}` : `${headline}\n${wrap(sizes, width, '  ')}`);
    if (result.live) out.push(c.dim(wrap(liveLine(result.live), width, '')));
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
        const marks: [string, (x: string) => string][] = [];
        if (f.status === 'unknown') marks.push([f.reason === 'missing' ? 'NOT DECLARED' : 'UNKNOWN', c.magenta]);
        if (f.accepted !== undefined) marks.push(['ACCEPTED', c.green]);
        if (f.baseline === 'new') marks.push(['NEW', c.bold]);
        const label = LABEL[f.severity].padEnd(8);
        const rule = t(f.rule);
        const head = `  ${paint(c, f.severity, label)}${marks.map(([m, p]) => ` ${p(m)}`).join('')} ${rule}`;
        const cites = t(f.cite.join(', '));
        // On a narrow terminal the citations go under the rule, wrapped between citations, never inside one.
        const visible = `  ${label}${marks.map(([m]) => ` ${m}`).join('')} ${rule}  ${cites}`.length;
        if (width === undefined || visible <= width) out.push(`${head}  ${c.dim(cites)}`);
        else out.push(head, c.dim(wrapList(f.cite.map(t), width, INDENT)));
        out.push(wrap(f.message, width, INDENT));
        for (const e of f.evidence) if (LIVE_PROVENANCE.has(e.provenance)) out.push(c.dim(wrap(liveEvidence(e), width, INDENT)));
        if (f.accepted !== undefined) {
          out.push(c.green(wrap(`accepted: ${acceptanceLine(f.accepted)}`, width, INDENT)));
          if (f.accepted.alternative !== undefined) out.push(c.green(wrap(`documented alternative: ${f.accepted.alternative}`, width, INDENT)));
        } else if (!options.compact) out.push(c.dim(wrap(`fix: ${f.remediation}`, width, INDENT)));
      }
      for (const f of group.findings) {
        if (f.folded_under === undefined) continue;
        out.push(c.dim(wrap(`↳ ${f.rule} folded under ${f.folded_under}: follows from the PHI that must leave; not counted`, width, '  ')));
      }
      out.push('');
    }
    if (options.compact) {
      // Each rule's remediation once, for the rules with a finding shown that is not accepted.
      const rules = new Set(result.findings.filter((f) => f.folded_under === undefined && f.accepted === undefined).map((f) => f.rule));
      if (rules.size > 0) {
        out.push(c.bold('How to fix, per rule:'));
        for (const r of result.rules) {
          if (!rules.has(r.id)) continue;
          out.push(`  ${t(r.id)}`);
          out.push(c.dim(wrap(r.remediation, width, '    ')));
        }
        out.push('');
      }
    }
    const troubled = result.accepted.filter((a) => a.state !== 'active');
    if (troubled.length > 0) {
      out.push(c.bold('Accepted risks that need attention:'));
      for (const a of troubled) {
        const what =
          a.state === 'expired'
            ? `expired ${a.expires}: no longer accepted, ${plural(a.matches.length, 'finding')} count again; renew it or fix them`
            : 'matches no finding (fixed, renamed or mistyped): remove the entry';
        out.push(`  ${c.yellow(a.state.toUpperCase())} ${t(a.finding)}  ${c.underline(t(formatLocation(a.location)))}`);
        out.push(wrap(what, width, '    '));
      }
      out.push('');
    }
  }
  const counts = SEVERITIES.filter((sev) => s.by_severity[sev] > 0).map((sev) => paint(c, sev, `${s.by_severity[sev]} ${sev}`));
  const unknown = `${s.by_status.unknown > 0 ? `, ${s.by_status.unknown} unknown` : ''}${s.folded > 0 ? `; ${s.folded} more folded under their root causes` : ''}`;
  if (s.findings === 0) out.push(c.green(`No findings: every PHI path in the map has its safeguards (${s.rules} rules).`));
  else out.push(`${s.findings} finding${s.findings === 1 ? '' : 's'} (${counts.join(', ')}${unknown}) from ${s.rules} rules.`);
  if (s.hidden !== undefined && s.hidden > 0) out.push(c.dim(`${plural(s.hidden, 'finding')} below ${s.min_severity} not shown (--min-severity).`));
  if (result.accepted.length > 0) {
    const by = (state: string) => result.accepted.filter((a) => a.state === state).length;
    const states = [`${by('active')} active`, ...(by('expired') > 0 ? [`${by('expired')} expired`] : []), ...(by('stale') > 0 ? [`${by('stale')} stale`] : [])];
    out.push(
      `Accepted risks: ${plural(s.accepted, 'finding')} accepted by ${plural(result.accepted.length, 'entry').replace('entrys', 'entries')} (${states.join(', ')}).`,
    );
  }
  if (baseline !== undefined) {
    const fixed = baseline.fixed.length > 0 ? `: ${t(baseline.fixed.slice(0, 5).join(', '))}${baseline.fixed.length > 5 ? ', …' : ''}` : '';
    out.push(`Baseline ${t(baseline.file)}: ${baseline.new} new, ${baseline.existing} existing, ${baseline.fixed.length} fixed${fixed}.`);
  }
  if (s.fail_on !== 'none') {
    out.push(
      s.blocking > 0
        ? c.red(`${s.blocking} ${baseline !== undefined ? 'new ' : ''}at or above --fail-on ${s.fail_on}: exit code 1.`)
        : c.green(
            `None${baseline !== undefined ? ' new' : ''} at or above --fail-on ${s.fail_on}${s.accepted > 0 ? ' that is not accepted' : ''}: exit code 0.`,
          ),
    );
  }
  return `${out.join('\n')}\n`;
}

/** A run stopped by input problems: the problems, one a line, and that nothing was checked. */
export const formatTextProblems: ProblemFormatter = (problems) => {
  const n = problems.diagnostics.length;
  return [`${problems.diagnostics.map(formatDiagnostic).join('\n')}\nphi-audit: ${n} problem${n === 1 ? '' : 's'} to fix; nothing was checked.\n`];
};
