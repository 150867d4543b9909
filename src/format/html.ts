/**
 * The gap report as one self-contained HTML file, for a compliance lead and an auditor: an executive summary, the
 * safeguard matrix, the data-flow diagram (inline SVG), the BAA register, the PHI inventory, the findings, the
 * assertions the result rests on, accepted risks, live evidence when a live run made any, and the inputs with their
 * SHA-256, so the file can stand as evidence of what was checked, by which version, as of which date.
 *
 * Nothing in the file loads anything: the style sheet is inline, fonts are the system's, there is no script and no
 * link out, and a Content-Security-Policy says so to the browser. Every piece of user text (ids, names, messages,
 * file names, claims) goes through escapeHtml; the diagram is Graphviz's SVG rebuilt by an allow-list
 * (diagram/svg.ts).
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
import { escapeHtml as h } from '../source/escape.js';
import { dotOf } from './diagram/dot.js';
import type { SvgRenderer } from './diagram/svg.js';
import { type DiagramOptions, diagramView } from './diagram/view.js';
import { count, DIAGRAM_MAX_NODES, executiveSummary, findingMarks, liveEvidence, plural } from './gap.js';
import { HTML_STYLE } from './html-style.js';

const code = (s: string) => `<code>${h(s)}</code>`;
const badge = (cls: string, text: string) => `<span class="badge ${cls}">${h(text)}</span>`;
const STATUS_WORDS: Readonly<Record<SafeguardRow['status'], string>> = {
  fail: 'fail',
  unknown: 'unknown',
  accepted: 'accepted',
  pass: 'pass',
  'not-applicable': 'not applicable',
};
const FAMILY_WORDS: Readonly<Record<string, string>> = {
  administrative: 'Administrative safeguards (164.308)',
  physical: 'Physical safeguards (164.310)',
  technical: 'Technical safeguards (164.312)',
  organizational: 'Organizational requirements (164.314)',
  documentation: 'Policies, procedures and documentation (164.316)',
};
const PART_WORDS: Readonly<Record<string, string>> = {
  breach: 'Breach Notification Rule',
  privacy: 'Privacy Rule',
  general: 'Definitions and general provisions',
};

const SECTIONS = [
  ['summary', 'Summary'],
  ['matrix', 'Safeguard matrix'],
  ['diagram', 'Data flows'],
  ['baa-register', 'BAA register'],
  ['inventory', 'PHI inventory'],
  ['findings', 'Findings'],
  ['assertions', 'Assertions'],
  ['accepted-risks', 'Accepted risks'],
  ['live-evidence', 'Live evidence'],
  ['inputs', 'Inputs'],
] as const;

function table(head: readonly string[], rows: Iterable<string>, numeric: readonly number[] = []): string {
  const th = head.map((t, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${t}</th>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${[...rows].join('\n')}\n</tbody></table>`;
}

const row = (cells: readonly string[], numeric: readonly number[] = []) =>
  `<tr>${cells.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`;

/** An inventory value: the value, or "not declared"; a live reading says so. */
function value(v: InventoryValue): string {
  const shown = v.value === undefined ? '<span class="undeclared">not declared</span>' : h(typeof v.value === 'number' ? count(v.value) : String(v.value));
  if (v.provenance === 'declared' || v.provenance === 'undeclared') return shown;
  return `${shown} <span class="muted">(${h(v.provenance)})</span>`;
}

function header(report: Report, options: FormatOptions): string {
  const title = `PHI gap report${report.system ? `: ${report.system}` : ''}`;
  const meta: [string, string][] = [
    ['System', report.system ? h(report.system) : '<span class="muted">not named</span>'],
    ['As of', h(report.as_of)],
    ['Generated', options.generated !== undefined ? h(options.generated) : '<span class="muted">not recorded</span>'],
    ['Tool', `${h(report.tool.name)} ${h(report.tool.version)}`],
    ['Fails on', h(report.summary.fail_on === 'none' ? 'nothing (--fail-on none)' : `${report.summary.fail_on} and above`)],
    ['Inputs', `${plural(report.files.length, 'map file')}${options.inputs ? ', SHA-256 under <a href="#inputs">Inputs</a>' : ''}`],
  ];
  return [
    '<header>',
    `<h1>${h(title)}</h1>`,
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    `<nav class="toc" aria-label="Contents">${SECTIONS.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>`,
    '</header>',
  ].join('\n');
}

function summary(report: Report): string {
  const s = report.summary;
  const ex = executiveSummary(report);
  const cards: string[] = [];
  const card = (cls: string, n: string, label: string, text: string) =>
    cards.push(`<div class="card ${cls}"><div class="n">${n}</div><div class="label">${label}</div><p>${text}</p></div>`);
  card(
    s.blocking > 0 ? 'bad' : 'good',
    count(s.blocking),
    'blocking findings',
    s.fail_on === 'none'
      ? 'Nothing blocks (--fail-on none).'
      : `At or above ${h(s.fail_on)}, of ${plural(s.findings, 'finding')} (${SEVERITIES.filter((v) => s.by_severity[v] > 0)
          .map((v) => `${s.by_severity[v]} ${v}`)
          .join(
            ', ',
          )}; ${s.by_status.unknown} unknown${s.accepted > 0 ? `; ${s.accepted} accepted` : ''}${s.folded > 0 ? `; ${s.folded} more folded under root causes` : ''}).`,
  );
  card('', count(s.phi_holders), 'PHI holders', `Of ${plural(s.nodes, 'node')} (vendors included); PHI crosses ${s.phi_flows} of ${plural(s.flows, 'flow')}.`);
  card(
    ex.withoutBaa.length > 0 ? 'bad' : 'good',
    count(ex.vendorsWithPhi),
    'vendors PHI reaches',
    ex.withoutBaa.length > 0
      ? `Of ${ex.vendors}. Without a BAA in force: ${ex.withoutBaa.map((v) => `${code(v.id)} (${h(v.text)})`).join(', ')}.`
      : `Of ${ex.vendors}; every one has a BAA in force or needs none.`,
  );
  const unsecured = ex.unsecured.filter((u) => !u.accepted);
  card(
    unsecured.length > 0 ? 'bad' : 'good',
    ex.largestUnsecured !== undefined ? count(ex.largestUnsecured) : String(unsecured.length),
    ex.largestUnsecured !== undefined ? 'records held unsecured' : 'unsecured PHI holders',
    ex.unsecured.length === 0
      ? 'No PHI is held or sent unsecured (breach-exposure).'
      : `${ex.largestUnsecured !== undefined ? 'The largest record count among ' : ''}${plural(ex.unsecured.length, 'place')} where PHI is unsecured or not established to be secured: ${ex.unsecured
          .map(
            (u) =>
              `${code(u.target)}${u.records !== undefined ? ` (${count(u.records)})` : ''}${u.status === 'unknown' ? ' unknown' : ''}${u.accepted ? ' accepted' : ''}`,
          )
          .join(', ')}. Individuals may be in several places, so counts do not add up.`,
  );
  if (report.baseline) {
    const b = report.baseline;
    card(
      b.new > 0 ? 'warn' : 'good',
      count(b.new),
      'new since the baseline',
      `${count(b.existing)} already in ${code(b.file)}; ${count(b.fixed.length)} fixed${b.fixed.length > 0 ? ` (${b.fixed.slice(0, 10).map(code).join(', ')}${b.fixed.length > 10 ? ', …' : ''})` : ''}.`,
    );
  } else card('', '–', 'changes since a baseline', 'No baseline was given (<code>--baseline FILE</code>), so every finding counts as new.');
  const out = [`<section id="summary"><h2>Summary</h2>`, `<div class="cards">${cards.join('')}</div>`];
  if (ex.blockingByRule.length > 0) {
    out.push('<h3>What blocks, by rule</h3>');
    out.push(
      table(
        ['Severity', 'Rule', 'Findings', 'Targets'],
        ex.blockingByRule.map((r) =>
          row(
            [
              badge(`sev-${r.severity}`, r.severity),
              `${code(r.rule)}<br>${h(r.title)}`,
              count(r.targets.length),
              r.targets.slice(0, 12).map(code).join(', ') + (r.targets.length > 12 ? ` and ${r.targets.length - 12} more` : ''),
            ],
            [2],
          ),
        ),
        [2],
      ),
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function matrixRow(r: SafeguardRow): string {
  const accepted =
    r.accepted > 0
      ? `${count(r.accepted)}${r.alternatives.length > 0 ? `<br><span class="muted">alternative: ${r.alternatives.map((a) => `${h(a.alternative)} (${code(a.finding)})`).join('; ')}</span>` : ''}`
      : '';
  const open = r.failed + r.unknown;
  const findings =
    open > 0
      ? `${count(open)}${r.unknown > 0 ? ` <span class="muted">(${r.unknown} unknown)</span>` : ''}`
      : r.folded > 0
        ? `<span class="muted">${r.folded} folded</span>`
        : '';
  return row(
    [
      `<span class="id">${h(r.section)}</span>`,
      h(r.standard),
      `<span class="word">${h(r.implementation.replace(/-/g, ' '))}</span>`,
      badge(`s-${r.status}`, STATUS_WORDS[r.status]),
      findings,
      accepted,
      `${count(r.passed)} / ${count(r.checked)}`,
      r.rules.map(code).join(' '),
    ],
    [4, 5, 6],
  );
}

function matrix(report: Report): string {
  const rows = report.matrix;
  const security = rows.filter((r) => r.part === 'security');
  const other = rows.filter((r) => r.part !== 'security');
  const head = ['Section', 'Standard or specification', 'Label', 'Status', 'Open findings', 'Accepted', 'Passed / judged', 'Rules'];
  const out = [
    '<section id="matrix" class="page"><h2>Safeguard matrix</h2>',
    '<p>One row per HIPAA Security Rule standard and implementation specification the rule pack checks. <b>fail</b>: a finding shows the safeguard missing or wrong; <b>unknown</b>: the map or the account does not establish it; <b>accepted</b>: every finding there is a documented, accepted risk; <b>pass</b>: the rules judged at least one target and found nothing; <b>not applicable</b>: nothing in this map is subject to it. "Passed / judged" counts rule × target judgements. The pack does not check every provision of the Security Rule: a provision absent here was not assessed.</p>',
  ];
  const body: string[] = [];
  let family: string | undefined;
  for (const r of security) {
    if (r.family !== family) {
      family = r.family;
      body.push(`<tr class="family"><td colspan="8">${h(FAMILY_WORDS[family ?? ''] ?? 'Security Rule')}</td></tr>`);
    }
    body.push(matrixRow(r));
  }
  out.push(table(head, body, [4, 5, 6]));
  if (other.length > 0) {
    out.push('<h3>Related provisions (Breach Notification, Privacy, definitions)</h3>');
    const otherBody: string[] = [];
    let part: string | undefined;
    for (const r of other) {
      if (r.part !== part) {
        part = r.part;
        otherBody.push(`<tr class="family"><td colspan="8">${h(PART_WORDS[part] ?? part)}</td></tr>`);
      }
      otherBody.push(matrixRow(r));
    }
    out.push(table(head, otherBody, [4, 5, 6]));
  }
  out.push('</section>');
  return out.join('\n');
}

/**
 * The root `<svg>` sized for reading: on screen at three quarters of Graphviz's size (10 pt labels as 10 px), in a
 * frame that scrolls sideways when the page is narrower; in print, scaled to the page's width (it stays vector).
 */
function fitSvg(svg: string): string {
  return svg.replace(/^<svg\b([^>]*)>/, (_m, attrs: string) => {
    const box = /viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"/.exec(attrs);
    const size = box ? ` width="${Math.round(Number(box[1]))}" height="${Math.round(Number(box[2]))}"` : '';
    return `<svg${attrs.replace(/\s(?:width|height)="[^"]*"/g, '')}${size} role="img" aria-labelledby="diagram-caption">`;
  });
}

function diagram(report: Report, render: SvgRenderer | undefined): string {
  const out = ['<section id="diagram" class="page"><h2>Data flows</h2>'];
  let options: DiagramOptions = {};
  let view = diagramView(report, options);
  let note = 'Every node and flow of the map.';
  if (view.nodes.length > DIAGRAM_MAX_NODES) {
    options = { onlyPhi: true };
    view = diagramView(report, options);
    note = 'Only the nodes that hold PHI and the flows that carry it (the whole map is too large to draw legibly).';
  }
  if (render === undefined)
    out.push('<p class="muted">The diagram is drawn only when the report is made by the phi-audit CLI or formatToString (Graphviz is loaded then).</p>');
  else if (view.nodes.length > DIAGRAM_MAX_NODES)
    out.push(
      `<p>The map has ${plural(view.nodes.length, 'node')} that hold PHI: too many to draw here. Draw parts of it with <code>phi-audit graph --only-phi --to NODE</code>.</p>`,
    );
  else {
    let svg: string;
    try {
      svg = fitSvg(render(dotOf(view)));
    } catch (err) {
      svg = `<p class="flag">The diagram could not be drawn: ${h((err as Error).message)}</p>`;
    }
    out.push(
      `<figure class="diagram">${svg}<figcaption id="diagram-caption">${h(note)} Nodes are grouped by environment; vendors in their own box.</figcaption></figure>`,
    );
    out.push(
      '<ul class="legend"><li class="l-holder">holds PHI</li><li class="l-phi">carries PHI</li><li class="l-failure">failure path (on error, retry, debug)</li><li class="l-sub">to a subprocessor, or to the vendor hosting a node</li><li class="l-baa">vendor PHI reaches with no BAA in force</li><li class="l-blocking">node with blocking findings</li><li>no PHI</li></ul>',
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function register(report: Report): string {
  const out = [
    '<section id="baa-register" class="page"><h2>BAA register</h2>',
    '<p>Every vendor in the map, its agreement as the map records it, and how PHI reaches it: by a flow, by hosting a node that holds PHI, or as a subprocessor of a vendor that holds PHI.</p>',
  ];
  const rows = report.vendors.map((v) => {
    const baa = v.baa;
    const status = baa ? badge(baa.status === 'signed' ? 's-pass' : 's-fail', baa.status) : badge('s-unknown', 'not recorded');
    const dates = baa
      ? [
          baa.signed && `signed ${h(baa.signed)}`,
          baa.expires && `expires ${h(baa.expires)}`,
          baa.terminated && `terminated ${h(baa.terminated)}${baa.disposition ? ` (PHI ${h(baa.disposition)})` : ''}`,
          baa.breach_notice_days !== undefined && `breach notice ${baa.breach_notice_days} days`,
        ]
          .filter(Boolean)
          .join('<br>')
      : '';
    const scope = baa?.services ? baa.services.map(code).join(', ') : baa ? '<span class="muted">the whole vendor</span>' : '';
    const by = (via: string) => v.reached_by.filter((r) => r.via === via).map((r) => code(r.id));
    const reach = [
      ['flow', by('flow')],
      ['hosts', by('hosting')],
      ['subprocessor of', by('subprocessor')],
    ]
      .filter(([, ids]) => ids!.length > 0)
      .map(([words, ids]) => `${words} ${(ids as string[]).join(', ')}`)
      .join('<br>');
    const phi = v.phi.length > 0 ? h(v.phi.join(', ')) : v.sends_phi ? 'sends PHI' : '<span class="muted">none</span>';
    const extra = [
      v.dua ? `DUA ${h(v.dua.status)}${v.dua.signed ? ` ${h(v.dua.signed)}` : ''}` : '',
      v.retains_data !== undefined ? `retains data: ${v.retains_data ? 'yes' : 'no'}` : '',
      v.plan ? `plan ${h(v.plan)}` : '',
    ].filter(Boolean);
    return row([
      `${code(v.id)}${v.description ? `<br><span class="muted">${h(v.description)}</span>` : ''}`,
      h((v.role ?? 'not recorded').replace(/-/g, ' ')),
      `${status}${dates ? `<br>${dates}` : ''}${extra.length ? `<br><span class="muted">${extra.join('; ')}</span>` : ''}`,
      `${scope}${baa?.document ? `<br><span class="muted">document: ${h(baa.document)}</span>` : ''}`,
      [
        v.subprocessors.map(code).join(', '),
        v.subprocessor_of.length ? `<span class="muted">subprocessor of ${v.subprocessor_of.map(code).join(', ')}</span>` : '',
      ]
        .filter(Boolean)
        .join('<br>'),
      reach || '<span class="muted">none</span>',
      phi,
    ]);
  });
  out.push(rows.length > 0 ? table(['Vendor', 'Role', 'BAA', 'Scope', 'Subprocessors', 'How PHI reaches it', 'PHI'], rows) : '<p>The map names no vendor.</p>');
  out.push('</section>');
  return out.join('\n');
}

function inventory(report: Report): string {
  const out = [
    '<section id="inventory" class="page"><h2>PHI inventory</h2>',
    '<p>Every service, store and log that holds PHI, with the safeguards the rules judged. "not declared" means the map is silent and no live check read it: the fact is unknown, not a pass. Vendors that hold PHI are in the BAA register.</p>',
  ];
  const rows = report.inventory.map((n) =>
    row(
      [
        code(n.id),
        h([n.type, n.kind].filter(Boolean).join(' · ')),
        n.environment ? h(n.environment) : '<span class="muted">none</span>',
        n.hosting ? h(n.hosting) : '<span class="muted">not declared</span>',
        h(n.phi.join(', ')),
        value(n.records),
        `${value(n.encryption)}${n.key.value !== undefined ? `<br><span class="muted">key: ${h(String(n.key.value))}</span>` : ''}`,
        value(n.audit_log),
        value(n.backup),
      ],
      [5],
    ),
  );
  out.push(
    rows.length > 0
      ? table(['Holder', 'Type', 'Environment', 'Hosting', 'PHI', 'Records', 'Encryption at rest', 'Audit log', 'Backup'], rows, [5])
      : '<p>No service, store or log holds PHI.</p>',
  );
  out.push('</section>');
  return out.join('\n');
}

function* findings(report: Report): Generator<string> {
  yield '<section id="findings" class="page"><h2>Findings</h2>';
  if (report.findings.length === 0) {
    yield '<p>No findings: every PHI path in the map has its safeguards.</p></section>';
    return;
  }
  yield '<p>Most severe first. A finding folded under a root cause is shown and not counted; an accepted one is shown and never blocks.</p>';
  yield '<table><thead><tr><th>Severity</th><th>Status</th><th>Finding</th><th>Message</th><th>PHI path</th><th>Location</th></tr></thead><tbody>';
  for (const f of report.findings) {
    const marks = findingMarks(f);
    yield row([
      badge(`sev-${f.severity}`, f.severity),
      `${badge(`s-${f.status}`, f.status)}${marks.length ? `<br><span class="muted">${marks.map(h).join('<br>')}</span>` : ''}`,
      `${code(f.rule)}<br>on ${code(f.target)}<br><span class="muted">${h(f.cite.join(', '))}</span>`,
      `${h(f.message)}${f.accepted ? `<br><span class="muted">accepted: ${h(f.accepted.reason)}${f.accepted.alternative ? `; alternative: ${h(f.accepted.alternative)}` : ''}</span>` : ''}`,
      f.phiPath.length > 0 ? h(f.phiPath.join(' → ')) : '',
      `<span class="id">${h(formatLocation(f.location))}</span>`,
    ]);
  }
  yield '</tbody></table>';
  yield '<h3>Remediation by rule</h3><ul class="tight">';
  const seen = new Set<string>();
  for (const f of report.findings) {
    if (seen.has(f.rule)) continue;
    seen.add(f.rule);
    yield `<li>${code(f.rule)} (${h(f.title)}): ${h(f.remediation)}</li>`;
  }
  yield '</ul></section>';
}

function assertions(report: Report): string {
  const out = [
    '<section id="assertions"><h2>Assertions the result rests on</h2>',
    '<p>Claims nothing in the map or the account verifies: de-identification methods, <code>basis:</code> statements for flows said to carry no PHI, and signed BAAs with no document named. The findings assume they are true; a reviewer should check each.</p>',
  ];
  out.push(
    report.assertions.length > 0
      ? table(
          ['Kind', 'Subject', 'Claim', 'Evidence', 'Location'],
          report.assertions.map((a) =>
            row([
              h(a.kind),
              code(a.subject),
              h(a.claim),
              a.evidence !== undefined ? h(a.evidence) : '<span class="muted">none named</span>',
              `<span class="id">${h(formatLocation(a.location))}</span>`,
            ]),
          ),
        )
      : '<p>None: the result rests on no unverified claim of these kinds.</p>',
  );
  out.push('</section>');
  return out.join('\n');
}

function acceptedRisks(report: Report): string {
  const out = [
    '<section id="accepted-risks"><h2>Accepted risks</h2>',
    "<p>Entries of the map's <code>accepted:</code> lists. An active acceptance keeps its findings in this report, marked, and out of the exit code; an expired one accepts nothing any more; a stale one matches no finding.</p>",
  ];
  out.push(
    report.accepted.length > 0
      ? table(
          ['Finding', 'State', 'Reason', 'Alternative', 'Owner', 'Approved', 'Expires', 'Ticket', 'Matches', 'Location'],
          report.accepted.map((a) =>
            row([
              code(a.finding),
              badge(a.state === 'active' ? 's-accepted' : 's-warn', a.state),
              h(a.reason),
              a.alternative !== undefined ? h(a.alternative) : '',
              a.owner !== undefined ? h(a.owner) : '',
              a.approved !== undefined ? h(a.approved) : '',
              a.expires !== undefined ? h(a.expires) : '<span class="muted">never</span>',
              a.ticket !== undefined ? h(a.ticket) : '',
              a.matches.map(code).join(', '),
              `<span class="id">${h(formatLocation(a.location))}</span>`,
            ]),
          ),
        )
      : '<p>None: the map accepts no risk.</p>',
  );
  out.push('</section>');
  return out.join('\n');
}

function live(report: Report): string {
  const ev = liveEvidence(report);
  const out = ['<section id="live-evidence"><h2>Live evidence</h2>'];
  if (ev === undefined) out.push('<p>No live checks ran: every value in this report is what the map declares (or leaves undeclared).</p>');
  else {
    out.push(
      `<p>Read from the account${ev.started ? ` from ${h(ev.started)}` : ''}${ev.finished ? ` to ${h(ev.finished)}` : ''}. Facts read live are marked verified, contradicted or unavailable in the inventory and in each finding's evidence.</p>`,
    );
    out.push(
      table(
        ['Item', 'Value'],
        ev.entries.map(([k, v]) => row([h(k), `<span class="id">${h(v)}</span>`])),
      ),
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function inputs(report: Report, options: FormatOptions): string {
  const out = [
    '<section id="inputs"><h2>Inputs</h2>',
    `<p>The map files this report was made from${options.inputs ? ', with the SHA-256 of their bytes as read for this report: a copy whose digest matches is the map that was checked' : ''}.</p>`,
  ];
  if (options.inputs) {
    out.push(
      table(
        ['File', 'Bytes', 'SHA-256'],
        options.inputs.map((i) => row([code(i.file), count(i.bytes), `<span class="id">${h(i.sha256)}</span>`], [1])),
        [1],
      ),
    );
  } else {
    out.push(
      table(
        ['File'],
        report.files.map((f) => row([code(f)])),
      ),
    );
    out.push('<p class="muted">Digests were not computed for this copy; <code>phi-audit report</code> adds them.</p>');
  }
  const rules = report.rules.filter((r) => !r.builtin);
  out.push(
    `<p>${plural(report.rules.length, 'rule')} ran${rules.length > 0 ? `, ${rules.length} of them the team's own (${rules.map((r) => code(r.file)).join(', ')})` : ', all from the bundled pack'}. Findings are checks of what the map and any live evidence show, not legal advice; "common practice" marks where a threshold is practice rather than a requirement.</p>`,
  );
  out.push('</section>');
  return out.join('\n');
}

/** The HTML formatter; `render` lays out the diagram (diagram/svg.ts loads one), without it the report has no picture. */
export function createHtmlFormatter(render?: SvgRenderer): Formatter {
  return function* (report, options) {
    const title = `PHI gap report${report.system ? `: ${report.system}` : ''}`;
    yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n';
    // No request of any kind: no script, no connection, no image, font or frame from anywhere; inline style only.
    yield `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">\n`;
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n';
    yield `<meta name="generator" content="${h(`${report.tool.name} ${report.tool.version}`)}">\n`;
    yield `<title>${h(title)}</title>\n<style>${HTML_STYLE}</style>\n</head>\n<body>\n<main>\n`;
    yield header(report, options);
    yield '\n';
    yield summary(report);
    yield '\n';
    yield matrix(report);
    yield '\n';
    yield diagram(report, render);
    yield '\n';
    yield register(report);
    yield '\n';
    yield inventory(report);
    yield '\n';
    yield* findings(report);
    yield '\n';
    yield assertions(report);
    yield '\n';
    yield acceptedRisks(report);
    yield '\n';
    yield live(report);
    yield '\n';
    yield inputs(report, options);
    yield `\n<footer>Made by ${h(report.tool.name)} ${h(report.tool.version)} as of ${h(report.as_of)}${options.generated !== undefined ? `, generated ${h(options.generated)}` : ''}.</footer>\n</main>\n</body>\n</html>\n`;
  };
}

/** For the registry: the formatter with Graphviz loaded. */
export async function loadHtmlFormatter(): Promise<Formatter> {
  const { loadSvgRenderer } = await import('./diagram/svg.js');
  return createHtmlFormatter(await loadSvgRenderer());
}

/** A run stopped by input problems (exit 2): a self-contained page that says nothing was checked, and what to fix. */
export const formatHtmlProblems: ProblemFormatter = function* (problems) {
  const n = problems.diagnostics.length;
  yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n';
  yield `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">\n`;
  yield `<title>PHI gap report: nothing was checked</title>\n<style>${HTML_STYLE}</style>\n</head>\n<body>\n<main>\n`;
  yield `<h1>PHI gap report: nothing was checked</h1>\n<p>${h(`${problems.tool.name} ${problems.tool.version}`)} stopped on ${h(plural(n, 'input problem'))}; fix ${n === 1 ? 'it' : 'them'} and run again.</p>\n`;
  yield '<table>\n<thead><tr><th>Where</th><th>Problem</th></tr></thead>\n<tbody>\n';
  for (const d of problems.diagnostics) {
    const where = d.line > 0 ? formatLocation(d) : d.file;
    yield `<tr><td><code>${h(where)}</code></td><td>${h(d.message)}</td></tr>\n`;
  }
  yield '</tbody>\n</table>\n</main>\n</body>\n</html>\n';
};
