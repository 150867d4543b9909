/**
 * The gap report in Markdown, compact enough for a CI job summary: the summary first, then the safeguard matrix, the
 * BAA register, the PHI inventory (folded), the data-flow diagram as Mermaid (folded), the findings, remediation,
 * assertions, accepted risks, live evidence and the inputs. The HTML report (html.ts) has the same sections.
 */
import {
  type FormatOptions,
  type Formatter,
  formatLocation,
  type InventoryValue,
  type ProblemFormatter,
  type Report,
  type SafeguardRow,
  SEVERITIES,
} from '../report/model.js';
import { escapeMarkdownProse, markdownCode, escapeMarkdown as text } from '../source/escape.js';
import { mermaidOf } from './diagram/mermaid.js';
import { diagramView } from './diagram/view.js';
import { count, DIAGRAM_MAX_NODES, executiveSummary, findingMarks, liveEvidence, plural } from './gap.js';

// Everything from a map or a rule file is user text, escaped for where it goes (source/escape.ts): running text in
// headings, cells and list items; code spans for ids and file names; a rule's remediation keeps its code spans.
const code = (s: string) => markdownCode(s, { inTable: true });
const STATUS: Readonly<Record<SafeguardRow['status'], string>> = {
  fail: '**fail**',
  unknown: '**unknown**',
  accepted: 'accepted',
  pass: 'pass',
  'not-applicable': 'not applicable',
};

/** Lines are handed out in batches of this many: a 60,000-finding report never becomes one string. */
const BATCH = 2000;

export const formatMarkdown: Formatter = (report, options) => markdownPieces(report, options);

function value(v: InventoryValue): string {
  const shown = v.value === undefined ? '*not declared*' : text(typeof v.value === 'number' ? count(v.value) : String(v.value));
  return v.provenance === 'declared' || v.provenance === 'undeclared' ? shown : `${shown} (${v.provenance})`;
}

function matrixRows(rows: readonly SafeguardRow[], out: string[]): void {
  out.push('| Section | Standard or specification | Label | Status | Open findings | Accepted |');
  out.push('| --- | --- | --- | --- | ---: | ---: |');
  for (const r of rows) {
    const open = r.failed + r.unknown;
    const alt = r.alternatives.length > 0 ? ` (alternative: ${r.alternatives.map((a) => text(a.alternative)).join('; ')})` : '';
    out.push(
      `| ${text(r.section)} | ${text(r.standard)} | ${r.implementation} | ${STATUS[r.status]} | ${open > 0 ? `${open}${r.unknown > 0 ? ` (${r.unknown} unknown)` : ''}` : r.folded > 0 ? `${r.folded} folded` : ''} | ${r.accepted > 0 ? `${r.accepted}${alt}` : ''} |`,
    );
  }
}

function* markdownPieces(report: Report, options: FormatOptions): Generator<string> {
  const s = report.summary;
  const ex = executiveSummary(report);
  const out: string[] = [];
  out.push(`# PHI gap report${report.system ? `: ${text(report.system)}` : ''}`);
  out.push('');
  out.push(
    `${text(report.tool.name)} ${text(report.tool.version)}, as of ${report.as_of}${options.generated !== undefined ? `, generated ${options.generated}` : ''}; fails on ${s.fail_on === 'none' ? 'nothing' : `${s.fail_on} and above`}; ${plural(report.files.length, 'map file')} (listed under Inputs).`,
  );
  out.push('');

  out.push('## Summary');
  out.push('');
  out.push('| | |');
  out.push('| --- | --- |');
  const severities = SEVERITIES.filter((v) => s.by_severity[v] > 0).map((v) => `${s.by_severity[v]} ${v}`);
  out.push(
    `| **Blocking findings** | **${count(s.blocking)}** ${s.fail_on === 'none' ? '(--fail-on none)' : `at or above ${s.fail_on}`}, of ${plural(s.findings, 'finding')}${severities.length ? ` (${severities.join(', ')})` : ''}; ${s.by_status.unknown} unknown${s.accepted > 0 ? `; ${s.accepted} accepted` : ''}${s.folded > 0 ? `; ${s.folded} more folded under root causes` : ''} |`,
  );
  out.push(`| **PHI holders** | ${count(s.phi_holders)} of ${plural(s.nodes, 'node')}; PHI crosses ${s.phi_flows} of ${plural(s.flows, 'flow')} |`);
  out.push(
    `| **Vendors PHI reaches** | ${ex.vendorsWithPhi} of ${ex.vendors}${ex.withoutBaa.length > 0 ? `; without a BAA in force: ${ex.withoutBaa.map((v) => `${code(v.id)} (${v.text})`).join(', ')}` : '; every one has a BAA in force or needs none'} |`,
  );
  out.push(
    `| **Records held unsecured** | ${
      ex.unsecured.length === 0
        ? 'none: no PHI is held or sent unsecured'
        : `${ex.largestUnsecured !== undefined ? `${count(ex.largestUnsecured)} at most in one place; ` : ''}${ex.unsecured
            .map(
              (u) =>
                `${code(u.target)} ${u.records !== undefined ? count(u.records) : 'count not declared'}${u.status === 'unknown' ? ' (unknown)' : ''}${u.accepted ? ' (accepted)' : ''}`,
            )
            .join(', ')}`
    } |`,
  );
  if (report.baseline) {
    const b = report.baseline;
    out.push(`| **Since the baseline** | ${count(b.new)} new, ${count(b.existing)} already in ${code(b.file)}, ${count(b.fixed.length)} fixed |`);
  } else out.push('| **Since a baseline** | no baseline given: every finding counts as new |');
  if (report.accepted.length > 0) {
    const by = (state: string) => report.accepted.filter((a) => a.state === state).length;
    out.push(`| **Accepted risks** | ${by('active')} active, ${by('expired')} expired, ${by('stale')} stale |`);
  }
  out.push('');

  out.push('## Safeguard matrix');
  out.push('');
  out.push(
    'One row per Security Rule standard and implementation specification the rules check: **fail** (shown missing or wrong), **unknown** (not established), accepted (every finding accepted), pass (judged, nothing found), not applicable (nothing here is subject to it).',
  );
  out.push('');
  matrixRows(
    report.matrix.filter((r) => r.part === 'security'),
    out,
  );
  const other = report.matrix.filter((r) => r.part !== 'security');
  if (other.length > 0) {
    out.push('');
    out.push(`<details><summary>Related provisions: Breach Notification, Privacy, definitions (${other.length})</summary>`);
    out.push('');
    matrixRows(other, out);
    out.push('');
    out.push('</details>');
  }
  out.push('');

  out.push('## BAA register');
  out.push('');
  if (report.vendors.length === 0) out.push('The map names no vendor.');
  else {
    out.push('| Vendor | Role | BAA | Scope | Subprocessors | PHI reaches it by |');
    out.push('| --- | --- | --- | --- | --- | --- |');
    for (const v of report.vendors) {
      const baa = v.baa;
      const terms = baa
        ? [baa.status, baa.signed && `signed ${baa.signed}`, baa.expires && `expires ${baa.expires}`, baa.terminated && `terminated ${baa.terminated}`]
            .filter(Boolean)
            .join(', ')
        : 'not recorded';
      const reach = v.reached_by.map((r) => `${r.via === 'flow' ? 'flow' : r.via === 'hosting' ? 'hosting' : 'subprocessor of'} ${code(r.id)}`).join(', ');
      out.push(
        `| ${code(v.id)} | ${text(v.role ?? 'not recorded')} | ${text(terms)} | ${baa?.services ? baa.services.map(code).join(', ') : baa ? 'whole vendor' : ''} | ${v.subprocessors.map(code).join(', ')} | ${reach || (v.sends_phi ? 'sends PHI' : 'none')} |`,
      );
    }
  }
  out.push('');

  out.push('## PHI inventory');
  out.push('');
  if (report.inventory.length === 0) out.push('No service, store or log holds PHI.');
  else {
    out.push(`<details><summary>${plural(report.inventory.length, 'service, store or log', 'services, stores and logs')} hold PHI</summary>`);
    out.push('');
    out.push('| Holder | Kind | Environment | PHI | Records | Encryption at rest | Audit log | Backup |');
    out.push('| --- | --- | --- | --- | ---: | --- | --- | --- |');
    for (const n of report.inventory) {
      if (out.length >= BATCH) yield `${out.splice(0).join('\n')}\n`;
      out.push(
        `| ${code(n.id)} | ${text(n.kind ?? n.type)} | ${n.environment !== undefined ? text(n.environment) : ''} | ${text(n.phi.join(', '))} | ${value(n.records)} | ${value(n.encryption)} | ${value(n.audit_log)} | ${value(n.backup)} |`,
      );
    }
    out.push('');
    out.push('</details>');
  }
  out.push('');

  let view = diagramView(report);
  if (view.nodes.length > DIAGRAM_MAX_NODES) view = diagramView(report, { onlyPhi: true });
  if (view.nodes.length > 0 && view.nodes.length <= DIAGRAM_MAX_NODES) {
    out.push('<details><summary>Data-flow diagram (Mermaid)</summary>');
    out.push('');
    out.push('```mermaid');
    out.push(mermaidOf(view).trimEnd());
    out.push('```');
    out.push('');
    out.push('</details>');
    out.push('');
  }

  out.push('## Findings');
  out.push('');
  if (report.findings.length === 0) out.push('No gaps found: every PHI path in the map has its safeguards.');
  else {
    out.push('| Severity | Status | Rule | Target | Finding | PHI path | Location |');
    out.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const f of report.findings) {
      if (out.length >= BATCH) yield `${out.splice(0).join('\n')}\n`;
      const marks = findingMarks(f);
      out.push(
        `| ${f.severity} | ${f.status}${marks.length ? ` (${marks.map(text).join('; ')})` : ''} | ${code(f.rule)} | ${code(f.target)} | ${text(f.message)} | ${text(f.phiPath.join(' → '))} | ${text(formatLocation(f.location))} |`,
      );
    }
    out.push('');
    out.push('### Remediation by rule');
    out.push('');
    const seen = new Set<string>();
    for (const f of report.findings) {
      if (seen.has(f.rule)) continue;
      seen.add(f.rule);
      out.push(`- **${text(f.rule)}** (${text(f.title)}): ${escapeMarkdownProse(f.remediation)}`);
    }
  }
  out.push('');

  out.push('## Assertions the result rests on');
  out.push('');
  if (report.assertions.length === 0) out.push('None.');
  else {
    out.push('Nothing in the map or the account verifies these claims; the findings above assume they are true.');
    out.push('');
    out.push('| Kind | Subject | Claim | Evidence | Location |');
    out.push('| --- | --- | --- | --- | --- |');
    for (const a of report.assertions) {
      out.push(
        `| ${a.kind} | ${code(a.subject)} | ${text(a.claim)} | ${a.evidence !== undefined ? code(a.evidence) : 'none named'} | ${text(formatLocation(a.location))} |`,
      );
    }
  }
  out.push('');

  out.push('## Accepted risks');
  out.push('');
  if (report.accepted.length === 0) out.push('None: the map accepts no risk.');
  else {
    out.push('| Finding | State | Reason | Alternative | Owner | Expires | Matches | Location |');
    out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const a of report.accepted) {
      out.push(
        `| ${code(a.finding)} | ${a.state} | ${text(a.reason)} | ${a.alternative !== undefined ? text(a.alternative) : ''} | ${a.owner !== undefined ? text(a.owner) : ''} | ${a.expires ?? 'never'} | ${a.matches.map(code).join(', ')} | ${text(formatLocation(a.location))} |`,
      );
    }
  }
  out.push('');

  const live = liveEvidence(report);
  if (live !== undefined) {
    out.push('## Live evidence');
    out.push('');
    out.push(`Read from the account${live.started ? ` from ${text(live.started)}` : ''}${live.finished ? ` to ${text(live.finished)}` : ''}.`);
    out.push('');
    out.push('| Item | Value |');
    out.push('| --- | --- |');
    for (const [k, v] of live.entries) out.push(`| ${text(k)} | ${code(v)} |`);
    out.push('');
  }

  out.push('## Inputs');
  out.push('');
  if (options.inputs) {
    out.push('| File | Bytes | SHA-256 |');
    out.push('| --- | ---: | --- |');
    for (const i of options.inputs) out.push(`| ${code(i.file)} | ${count(i.bytes)} | ${code(i.sha256)} |`);
  } else for (const f of report.files) out.push(`- ${markdownCode(f)}`);
  yield `${out.join('\n')}\n`;
}

/** A run stopped by input problems (exit 2): a report file that says nothing was checked, and what to fix. */
export const formatMarkdownProblems: ProblemFormatter = function* (problems) {
  const n = problems.diagnostics.length;
  yield `# PHI gap report: nothing was checked\n\n${text(`${problems.tool.name} ${problems.tool.version}`)} stopped on ${plural(n, 'input problem')}; fix ${n === 1 ? 'it' : 'them'} and run again.\n\n`;
  yield '| Where | Problem |\n| --- | --- |\n';
  for (const d of problems.diagnostics) {
    const where = d.line > 0 ? formatLocation(d) : d.file;
    yield `| ${markdownCode(where, { inTable: true })} | ${escapeMarkdownProse(d.message, { inTable: true })} |\n`;
  }
};
