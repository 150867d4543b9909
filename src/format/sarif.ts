/**
 * SARIF 2.1.0 for GitHub code scanning (upload with github/codeql-action/upload-sarif), written as a stream: the
 * header, then one result a line, so a report of any size never becomes one string.
 *
 * What GitHub reads, and how each part is made here:
 * - Severity: GitHub ranks an alert by its rule's `security-severity`, never by the result's. A rule whose findings can
 *   escalate gets one descriptor per severity it can reach: `RULE` at its base severity and `RULE/SEVERITY` for each
 *   other one (`breach-exposure/critical`), so an escalated finding shows at the severity it has.
 * - Identity: `partialFingerprints.primaryLocationLineHash` is a hash of the finding id (`RULE@TARGET`), not of the
 *   line, so an alert follows its finding when the map is edited or reformatted (the rule id is part of the alert's
 *   identity too: a finding that escalates becomes a new alert at its new severity).
 * - Paths: URIs are relative to the repository root (`srcRoot`) under `uriBaseId: "%SRCROOT%"`, which
 *   `originalUriBaseIds` resolves, so a scan run from a subfolder still points at the right file.
 * - The PHI path is a code flow (one thread flow location a hop, at the node's line, naming the node and what the flow
 *   into it carries) and the hops' nodes and flows are related locations. Paths are as the engine shows them: at most
 *   64 ids, a longer one as its first 32, `… N more …` and its last 31 (graph/propagate.ts).
 * - Accepted findings carry a `suppressions` entry (external, accepted, with the acceptance's reason).
 * - GitHub takes at most 25,000 results a run: beyond that the most severe open findings are kept, and the run says so
 *   in a tool execution notification (and the CLI on stderr).
 * - `automationDetails` only with `--sarif-category`, so the upload action's `category:` is not overridden.
 * A run stopped on input problems (exit 2) writes a SARIF file too: no results, `executionSuccessful: false`, each
 * problem a tool configuration notification at its file, line and column.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FormatOptions, Formatter, GraphFlow, GraphNode, Position, ProblemFormatter, ReportFinding, ReportRule, Severity } from '../report/model.js';
import { SEVERITY_RANK } from '../report/model.js';
import { escapeMarkdown, escapeMarkdownProse, escapeTerminal } from '../source/escape.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub code scanning's limit of results per run (docs: "SARIF results exceed limit"). */
export const SARIF_MAX_RESULTS = 25_000;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub ranks security alerts by this number (critical 9.0 and over, high 7.0 to 8.9, medium 4.0 to 6.9, low below).
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
// For a consumer that reads `problem.severity` (GitHub's non-security ranking): error, warning or recommendation.
const PROBLEM_SEVERITY: Record<Severity, 'error' | 'warning' | 'recommendation'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'recommendation',
  info: 'recommendation',
};
/**
 * The most thread flow locations (PHI path hops) a run gives as code flows. Past it a result keeps its PHI path in its
 * message and properties: a 100,000-node cycle has 25,000 results of 64 hops, over a gigabyte as code flows, where
 * GitHub takes a 10 MB (compressed) file. 50,000 hops keep a run to tens of megabytes.
 */
const MAX_FLOW_HOPS = 50_000;
/** GitHub shows ten tags a rule. */
const MAX_TAGS = 10;
const SRCROOT = '%SRCROOT%';

/**
 * Plain text as a SARIF viewer shows it: JSON escapes control characters but not bidi or C1 ones, which GitHub would
 * show raw, so those are shown as escapes (source/escape.ts), line breaks aside; and `[text](...)` is an embedded link
 * unless its brackets are escaped.
 */
function plain(s: string): string {
  const shown = s.includes('\n') ? s.split('\n').map(escapeTerminal).join('\n') : escapeTerminal(s);
  return BRACKET.test(shown) ? shown.replace(BRACKETS, (c) => `\\${c}`) : shown;
}
const BRACKET = /[[\]]/;
const BRACKETS = /[[\]]/g;

/** The descriptor id of a rule's findings at `severity`: the rule id at its base severity, `RULE/SEVERITY` otherwise. */
export function sarifRuleId(rule: string, base: Severity | undefined, severity: Severity): string {
  return base === undefined || severity === base ? rule : `${rule}/${severity}`;
}

/** `primaryLocationLineHash`: the first 16 hex digits of SHA-256 over the finding id, and GitHub's occurrence suffix. */
export function findingHash(id: string): string {
  return `${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 16)}:1`;
}

/** File names made into URIs relative to the source root, once per file. */
function uris(srcRoot: string | undefined) {
  const root = path.resolve(srcRoot ?? '.');
  const cache = new Map<string, { uri: string; uriBaseId?: string }>();
  return {
    root,
    artifact(file: string): { uri: string; uriBaseId?: string } {
      let a = cache.get(file);
      if (a === undefined) {
        const abs = path.resolve(file);
        const rel = path.relative(root, abs);
        a =
          rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
            ? { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT }
            : { uri: pathToFileURL(abs).href };
        cache.set(file, a);
      }
      return a;
    },
  };
}
type Uris = ReturnType<typeof uris>;

/** A SARIF physical location for a map position; a position with no line (a command-line value) has no region. */
function physical(p: Position, u: Uris) {
  // The model gives where an entry starts; the region runs from there to the end of that line.
  return {
    artifactLocation: u.artifact(p.file),
    ...(p.line > 0 ? { region: { startLine: p.line, startColumn: Math.max(1, p.column), endLine: p.line } } : {}),
  };
}

function run(report: { tool: { name: string; version: string } }, options: FormatOptions, u: Uris, rules: readonly unknown[]) {
  const home = options.homepage;
  return {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        ...(home !== undefined ? { informationUri: home } : {}),
        rules,
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(u.root).href.replace(/\/?$/, '/') } },
    ...(options.sarifCategory !== undefined
      ? { automationDetails: { id: options.sarifCategory.endsWith('/') ? options.sarifCategory : `${options.sarifCategory}/` } }
      : {}),
    columnKind: 'utf16CodeUnits',
  };
}

function descriptor(r: ReportRule, severity: Severity, home: string | undefined) {
  const escalated = severity !== r.severity;
  const citations = r.cite.map((c) => c.text);
  const tags = ['security', 'hipaa', 'phi', ...r.cite.map((c) => `hipaa/${c.section}`)];
  return {
    id: sarifRuleId(r.id, r.severity, severity),
    shortDescription: { text: plain(escalated ? `${r.title} (escalated to ${severity})` : r.title) },
    fullDescription: { text: plain(r.rationale) },
    help: {
      text: plain(`${r.remediation}\n\nCitations: ${citations.join(', ')}`),
      // GitHub renders this one as Markdown: the rule file's text is escaped as the Markdown report escapes it.
      markdown: `${escapeMarkdownProse(r.remediation)}\n\n**Citations:** ${r.cite.map((c) => escapeMarkdown(`${c.text} (${c.standard}, ${c.implementation})`)).join('; ')}${escalated ? `\n\nThis descriptor is rule ${escapeMarkdown(r.id)} (base severity ${r.severity}) for findings escalated to ${severity}.` : ''}`,
    },
    ...(home !== undefined && r.builtin ? { helpUri: `${home}#rules` } : {}),
    defaultConfiguration: { level: LEVEL[severity] },
    properties: {
      // Findings follow from what the map declares: as precise as the map (high), not proven in the running system.
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[severity],
      'problem.severity': PROBLEM_SEVERITY[severity],
      severity,
      rule: r.id,
      citations,
      tags: [...new Set(tags)].slice(0, MAX_TAGS),
    },
  };
}

/** Which findings are written: all, or past the cap the most severe open ones first (then folded and accepted). */
function chosen(findings: readonly ReportFinding[], max: number): readonly ReportFinding[] {
  if (findings.length <= max) return findings;
  const open = (f: ReportFinding) => f.folded_under === undefined && f.accepted === undefined;
  const order = [...findings].sort((a, b) => Number(open(b)) - Number(open(a)) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  order.length = max;
  return order;
}

interface Graph {
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** By `from NUL to`: the flow a PHI path takes between two nodes. */
  readonly flows: ReadonlyMap<string, GraphFlow>;
  readonly flowsById: ReadonlyMap<string, GraphFlow>;
}

interface Hop {
  location?: { physicalLocation: ReturnType<typeof physical>; message: { text: string } };
  message: string;
}

/** The PHI path as hops: each node at its position, with the flow into it and what that flow carries. */
function hopsOf(f: ReportFinding, g: Graph, u: Uris): { hops: Hop[]; related: unknown[] } {
  const { nodes, flows } = g;
  // A flow's finding: its path ends with the flow's target, reached by that flow.
  const own = f.target_type === 'flow' ? g.flowsById.get(f.target) : undefined;
  const last = f.phiPath.length - 1;
  const hops: Hop[] = [];
  const related: unknown[] = [];
  const seen = new Set<string>();
  const relate = (key: string, at: Position, text: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    related.push({ id: related.length + 1, physicalLocation: physical(at, u), message: { text } });
  };
  let prev: string | undefined;
  for (let i = 0; i <= last; i++) {
    const id = f.phiPath[i]!;
    const node = nodes.get(id);
    if (node === undefined) {
      // The elision marker (`… N more …`): nodes left out of a long path.
      hops.push({ message: `${id} (nodes of the PHI path left out)` });
      prev = undefined;
      continue;
    }
    const flow = prev === undefined ? undefined : i === last && own?.from === prev && own.to === id ? own : flows.get(`${prev}\u0000${id}`);
    const classes = (l: readonly string[]) => (l.length > 0 ? l.join(', ') : 'no PHI class named');
    let text: string;
    if (prev === undefined && hops.length === 0) text = `${id} (${node.type}): where the PHI starts; holds ${classes(node.phi)}`;
    else if (flow !== undefined) text = `${id} (${node.type}): reached by flow ${flow.id} from ${flow.from}, carrying ${classes(flow.phi)}`;
    else if (prev !== undefined && nodes.get(prev)?.hosting === id) text = `${id} (${node.type}): hosts ${prev}, so holds what it holds`;
    else if (prev !== undefined) text = `${id} (${node.type}): reached from ${prev} by a backup or subprocessor link; holds ${classes(node.phi)}`;
    else text = `${id} (${node.type}): holds ${classes(node.phi)}`;
    const shown = plain(text);
    hops.push({ location: { physicalLocation: physical(node.location, u), message: { text: shown } }, message: shown });
    relate(`n:${id}`, node.location, plain(`${node.type} ${id}`));
    if (flow !== undefined) relate(`f:${flow.id}`, flow.location, plain(`flow ${flow.id}: ${flow.from} → ${flow.to}`));
    prev = id;
  }
  return { hops, related };
}

function acceptanceText(f: ReportFinding): string {
  const a = f.accepted!;
  const parts = [a.reason.trim()];
  if (a.alternative !== undefined) parts.push(`documented alternative: ${a.alternative.trim()}`);
  if (a.owner !== undefined) parts.push(`owner: ${a.owner}`);
  if (a.ticket !== undefined) parts.push(`ticket: ${a.ticket}`);
  if (a.approved !== undefined) parts.push(`approved ${a.approved}`);
  if (a.expires !== undefined) parts.push(`expires ${a.expires}`);
  return plain(parts.join('; '));
}

export const formatSarif: Formatter = function* (report, options) {
  const u = uris(options.srcRoot);
  const home = options.homepage;
  // One descriptor per rule and reachable severity, plus any severity a finding has that its rule did not list.
  const base = new Map(report.rules.map((r) => [r.id, r]));
  const descriptors: ReturnType<typeof descriptor>[] = [];
  const index = new Map<string, number>();
  const add = (r: ReportRule, s: Severity) => {
    const id = sarifRuleId(r.id, r.severity, s);
    if (index.has(id)) return;
    index.set(id, descriptors.length);
    descriptors.push(descriptor(r, s, home));
  };
  for (const r of report.rules) for (const s of r.severities) add(r, s);
  for (const f of report.findings) {
    const r = base.get(f.rule);
    if (r !== undefined) add(r, f.severity);
  }

  const max = options.sarifMaxResults ?? SARIF_MAX_RESULTS;
  const written = chosen(report.findings, max);
  const left = report.findings.length - written.length;
  const notifications: { level: string; message: { text: string }; descriptor: { id: string } }[] =
    left > 0
      ? [
          {
            level: 'warning',
            message: {
              text: `${report.findings.length} findings are more than the ${max} results a SARIF run may hold for GitHub code scanning: the ${written.length} most severe open findings are written, ${left} are left out. The text and JSON reports have every finding.`,
            },
            descriptor: { id: 'results-truncated' },
          },
        ]
      : [];
  // Code flows for the results written first (the most severe), while the hop budget lasts.
  let withFlows = 0;
  let unflowed = 0;
  for (let i = 0, hops = 0; i < written.length; i++) {
    const n = written[i]!.phiPath.length;
    if (n < 2) continue;
    if (hops + n <= MAX_FLOW_HOPS && unflowed === 0) {
      hops += n;
      withFlows = i + 1;
    } else unflowed++;
  }
  if (left > 0) options.onWarning?.(notifications[0]!.message.text);
  if (unflowed > 0) {
    notifications.push({
      level: 'note',
      message: {
        text: `PHI paths are given as code flows for the first ${withFlows} results (${MAX_FLOW_HOPS} path steps at most a run); the other ${unflowed} results with a PHI path give it in their message and properties.`,
      },
      descriptor: { id: 'code-flows-limited' },
    });
  }

  const head = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        ...run(report, options, u, descriptors),
        invocations: [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
        results: [],
      },
    ],
  };
  const header = JSON.stringify(head, null, 2);
  // The header ends with `"results": []\n    }\n  ]\n}`: open the list there and write one result a line.
  const tail = '[]\n    }\n  ]\n}';
  if (written.length === 0) {
    yield `${header}\n`;
    return;
  }
  yield `${header.slice(0, header.length - tail.length)}[\n`;

  const nodes = new Map<string, GraphNode>();
  const flows = new Map<string, GraphFlow>();
  const flowsById = new Map<string, GraphFlow>();
  const graph: Graph = { nodes, flows, flowsById };
  if (withFlows > 0) {
    for (const n of report.graph.nodes) nodes.set(n.id, n);
    for (const fl of report.graph.flows) {
      flowsById.set(fl.id, fl);
      // Between two nodes, the flow that carries PHI is the one a PHI path takes.
      const key = `${fl.from}\u0000${fl.to}`;
      const had = flows.get(key);
      if (had === undefined || (had.phi.length === 0 && fl.phi.length > 0)) flows.set(key, fl);
    }
  }

  let batch = '';
  for (let i = 0; i < written.length; i++) {
    const f = written[i]!;
    const rule = base.get(f.rule);
    const ruleId = sarifRuleId(f.rule, rule?.severity, f.severity);
    const notes: string[] = [];
    if (f.folded_under !== undefined) notes.push(`Follows from ${f.folded_under} (fix that first; not counted).`);
    if (f.accepted !== undefined) notes.push('Accepted risk (not blocking).');
    if (f.status === 'unknown') notes.push('Not established (counts as a failure until shown otherwise).');
    const pathText = f.phiPath.length > 1 ? ` PHI path: ${f.phiPath.join(' → ')}.` : '';
    const flow = f.phiPath.length > 1 && i < withFlows ? hopsOf(f, graph, u) : undefined;
    const result = {
      ruleId,
      ...(index.has(ruleId) ? { ruleIndex: index.get(ruleId) } : {}),
      // A finding folded under a root cause is shown as a note: the root cause is the alert.
      level: f.folded_under !== undefined ? 'note' : LEVEL[f.severity],
      message: { text: plain(`${notes.length > 0 ? `${notes.join(' ')} ` : ''}${f.message}${pathText}`) },
      locations: [{ physicalLocation: physical(f.location, u), logicalLocations: [{ name: f.target, kind: 'resource' }] }],
      partialFingerprints: { primaryLocationLineHash: findingHash(f.id), 'phiAuditFindingId/v1': f.id },
      ...(flow !== undefined && flow.hops.length > 0
        ? {
            codeFlows: [
              {
                message: { text: plain(`PHI path to ${f.target}`) },
                threadFlows: [{ locations: flow.hops.map((h) => (h.location ? { location: h.location } : { location: { message: { text: h.message } } })) }],
              },
            ],
            relatedLocations: flow.related,
          }
        : {}),
      ...(f.accepted !== undefined
        ? {
            suppressions: [
              {
                kind: 'external',
                status: 'accepted',
                justification: acceptanceText(f),
                location: { physicalLocation: physical(f.accepted.location, u) },
              },
            ],
          }
        : {}),
      properties: {
        id: f.id,
        severity: f.severity,
        status: f.status,
        target: f.target,
        target_type: f.target_type,
        cite: f.cite,
        path: f.phiPath,
        phi: f.phi,
        ...(f.records !== undefined ? { records: f.records } : {}),
        ...(f.folded_under !== undefined ? { folded_under: f.folded_under } : {}),
        ...(f.baseline !== undefined ? { baseline: f.baseline } : {}),
      },
    };
    batch += `        ${JSON.stringify(result)}${i + 1 < written.length ? ',' : ''}\n`;
    if (batch.length > 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  yield `${batch}      ]\n    }\n  ]\n}\n`;
};

/** A run stopped on input problems: a valid SARIF log with no results, the run marked failed, each problem at its place. */
export const formatSarifProblems: ProblemFormatter = function* (problems, options) {
  const u = uris(options.srcRoot);
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        ...run(problems, options, u, []),
        invocations: [
          {
            executionSuccessful: false,
            exitCode: 2,
            toolConfigurationNotifications: problems.diagnostics.map((d) => ({
              level: 'error',
              // A problem with no line is about a command-line value or an environment variable, which is no file.
              message: { text: plain(d.line > 0 ? d.message : `${d.file}: ${d.message}`) },
              ...(d.line > 0 ? { locations: [{ physicalLocation: physical(d, u) }] } : {}),
            })),
          },
        ],
        results: [],
      },
    ],
  };
  yield `${JSON.stringify(log, null, 2)}\n`;
};
