/**
 * `phi-audit explain FINDING-ID [paths]`: one finding, taken apart. The rule's rationale and citations; the PHI path
 * hop by hop, each hop with its place in the map and what the flow declares it carries; the facts the rule read, with
 * where each came from; and the smallest change to the map that would clear the finding, worked out from the rule's
 * check, the finding's reason and its evidence.
 */
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { auditSystems } from '../audit.js';
import { loadMap } from '../map/load.js';
import { backupOf, flowData, hostingOf, type MapFlow, type MapNode, type PhiMap, subprocessorsOf } from '../map/model.js';
import type { Evidence, Report, ReportFinding, ReportRule } from '../report/model.js';
import { loadRules } from '../rules/load.js';
import type { CheckSpec, LoadedRule, Severity } from '../rules/schema.js';
import { formatDiagnostic, formatLocation, InputError, noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { readRegularFile } from '../source/files.js';
import { type Anchor, type Position, position } from '../source/positions.js';
import { closest } from '../source/suggest.js';
import { readEnv } from './env.js';
import { EXIT, type ExitCode } from './exit.js';
import { emit } from './output.js';
import { reportProblems } from './run.js';
import { noticeOnStderr } from './systems.js';

export interface ExplainFlags {
  format: 'text' | 'json';
  asOf?: string;
  rules: string[];
}

/** One step of a PHI path: the node reached, and the edge that brought the PHI there. */
interface Hop {
  node: string;
  type?: string;
  location?: string;
  /** How the PHI arrived from the previous node; absent on the first hop (where PHI starts). */
  via?: {
    kind: 'flow' | 'backup' | 'hosting' | 'subprocessor';
    flow?: string;
    on?: string;
    location?: string;
    /** What the flow declares it carries (`data:`); absent = everything its source holds. */
    declared_data?: string[];
    deidentify?: string;
    /** The PHI classes it carries. */
    carries_phi?: string[];
  };
  /** PHI classes that start at this node (its own `data:`). */
  origin_data?: string[];
}

/** One way to clear the finding: what to write, and where. */
interface Change {
  change: string;
  location?: string;
}

interface Explanation {
  finding: ReportFinding;
  rule: {
    id: string;
    title: string;
    severity: Severity;
    rationale: string;
    remediation: string;
    cite: { text: string; standard: string; implementation: string }[];
    file: string;
  };
  path: Hop[];
  facts: readonly Evidence[];
  changes: Change[];
}

// ---------------------------------------------------------------------------------------------------------------
// Where a field is written: the map keeps only anchors (the node's key, the flow's list item), so the file is read
// again and the field found under the node; a field not written points at its node.

class FieldLocator {
  private readonly docs = new Map<string, { root: Node | null; lines: LineCounter } | undefined>();

  constructor(private readonly cwd: string) {}

  private docOf(file: string) {
    if (!this.docs.has(file)) {
      const read = readRegularFile(path.resolve(this.cwd, file), 'map file');
      if (!read.ok) this.docs.set(file, undefined);
      else {
        const lines = new LineCounter();
        const doc = parseDocument(read.text, { lineCounter: lines, uniqueKeys: false });
        this.docs.set(file, { root: doc.contents as Node | null, lines });
      }
    }
    return this.docs.get(file);
  }

  /** The position of `field` (dotted) under the node or flow at `anchor`, or the anchor's own position. */
  locate(anchor: Anchor, field?: string): Position {
    const base = position(anchor);
    if (!field) return base;
    const doc = this.docOf(anchor.file.path);
    if (!doc?.root) return base;
    let at = findAt(doc.root, anchor.offset);
    let found: Position | undefined;
    for (const part of field.split('.')) {
      if (!at || !isMap(at)) break;
      const pair = at.items.find((p) => isScalar(p.key) && p.key.value === part);
      if (!pair || !isScalar(pair.key) || !pair.key.range) break;
      const { line, col } = doc.lines.linePos(pair.key.range[0]);
      found = { file: base.file, line, column: col };
      at = (pair.value as Node | null) ?? undefined;
    }
    return found ?? base;
  }
}

/** The node whose key (a mapping entry) or item (a list entry) starts at `offset`: a node's or a flow's body. */
function findAt(root: Node, offset: number): Node | undefined {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (isMap(n)) {
      for (const p of n.items) {
        if (!isPair(p)) continue;
        const key = p.key as Node | null;
        if (key?.range?.[0] === offset) return (p.value as Node | null) ?? undefined;
        if (p.value && typeof p.value === 'object') stack.push(p.value as Node);
      }
    } else if (isSeq(n)) {
      for (const item of n.items as Node[]) {
        if (item?.range?.[0] === offset) return item;
        if (item && typeof item === 'object') stack.push(item);
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The PHI path, hop by hop.

function pathHops(finding: ReportFinding, map: PhiMap, report: Report, where: FieldLocator): Hop[] {
  const graphFlows = new Map(report.graph.flows.map((f) => [f.id, f]));
  const ids = [...finding.phiPath];
  const hops: Hop[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const node = map.nodes.get(id);
    const hop: Hop = { node: id };
    if (node) {
      hop.type = node.type;
      hop.location = formatLocation(position(node.at));
    }
    const prev = i > 0 ? map.nodes.get(ids[i - 1]!) : undefined;
    if (i === 0 && node?.spec.data?.length) hop.origin_data = [...node.spec.data];
    if (prev && node) hop.via = edgeBetween(prev, node, map, graphFlows, where);
    hops.push(hop);
  }
  return hops;
}

function edgeBetween(from: MapNode, to: MapNode, map: PhiMap, graphFlows: ReadonlyMap<string, { phi: readonly string[] }>, where: FieldLocator): Hop['via'] {
  // A flow that carries PHI first; any flow between the two otherwise.
  const flows = map.flows.filter((f) => f.from === from.id && f.to === to.id);
  const flow = flows.find((f) => (graphFlows.get(f.id)?.phi.length ?? 0) > 0) ?? flows[0];
  if (flow) return flowVia(flow, graphFlows, where);
  if (backupOf(from) === to.id) return { kind: 'backup', location: formatLocation(where.locate(from.at, 'backup')) };
  if (hostingOf(from)?.vendor === to.id) return { kind: 'hosting', location: formatLocation(where.locate(from.at, 'hosting')) };
  if (subprocessorsOf(from).includes(to.id)) return { kind: 'subprocessor', location: formatLocation(where.locate(from.at, 'subprocessors')) };
  return undefined;
}

function flowVia(flow: MapFlow, graphFlows: ReadonlyMap<string, { phi: readonly string[] }>, where: FieldLocator): NonNullable<Hop['via']> {
  const data = flowData(flow);
  const d = flow.spec.deidentify;
  return {
    kind: 'flow',
    flow: flow.id,
    on: flow.spec.on ?? 'normal',
    location: formatLocation(where.locate(flow.at)),
    ...(data ? { declared_data: [...data] } : {}),
    ...(d ? { deidentify: typeof d === 'string' ? d : d.method } : {}),
    carries_phi: [...(graphFlows.get(flow.id)?.phi ?? [])],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The smallest change: from the rule's check and what the finding found.

const yamlValue = (v: unknown): string => (typeof v === 'string' && /^\d/.test(v) ? JSON.stringify(v) : String(v));

/** `encryption.at_rest` = aes-256 as YAML: `encryption: { at_rest: aes-256 }`. */
function yamlSetting(field: string, value: unknown): string {
  const parts = field.split('.');
  let out = `${parts.pop()}: ${yamlValue(value)}`;
  for (const p of parts.reverse()) out = `${p}: { ${out} }`;
  return out;
}

/** The declared value of `field` on `subject` among the facts read, if any. */
function declared(facts: readonly Evidence[], subject: string, field: string): unknown {
  const f = facts.find((e) => e.subject === subject && e.field === field);
  return f?.value ?? f?.declared;
}

interface ChangeContext {
  finding: ReportFinding;
  map: PhiMap;
  report: Report;
  where: FieldLocator;
  asOf: string;
}

function at(ctx: ChangeContext, id: string, field?: string): string | undefined {
  const node = ctx.map.nodes.get(id);
  if (node) return formatLocation(ctx.where.locate(node.at, field));
  const flow = ctx.map.flows.find((f) => f.id === id);
  return flow ? formatLocation(ctx.where.locate(flow.at, field)) : undefined;
}

function whatIs(ctx: ChangeContext, id: string): string {
  const node = ctx.map.nodes.get(id);
  return node ? `${node.type} ${id}` : `flow ${id}`;
}

/** Set `field` to `value` on the target (or say it already holds something else). */
function setField(ctx: ChangeContext, subject: string, field: string, value: unknown, alternatives: readonly unknown[] = []): Change {
  const now = declared(ctx.finding.evidence, subject, field);
  const others = alternatives.filter((a) => a !== value).map(yamlValue);
  const state = now === undefined ? `${field} is not declared` : `it is ${yamlValue(now)} now`;
  return {
    change: `set \`${yamlSetting(field, value)}\`${others.length ? ` (or ${others.join(', ')})` : ''} on ${whatIs(ctx, subject)} (${state})`,
    ...located(at(ctx, subject, field)),
  };
}

const located = (location: string | undefined): { location?: string } => (location ? { location } : {});

/** Whether a field-equals / field-in check already holds on the subject, by the facts read. */
function holds(check: CheckSpec, facts: readonly Evidence[], subject: string): boolean {
  const o = check.options ?? {};
  const field = o.field as string | undefined;
  if (!field) return false;
  const v = declared(facts, subject, field);
  if (check.function === 'field-equals') return v === o.value;
  if (check.function === 'field-in') return (o.values as unknown[]).includes(v);
  return false;
}

function changesForCheck(check: CheckSpec, ctx: ChangeContext, subject: string): Change[] {
  const o = (check.options ?? {}) as Record<string, unknown>;
  const field = typeof o.field === 'string' ? o.field : undefined;
  const f = ctx.finding;
  switch (check.function) {
    case 'field-equals':
      return field ? [setField(ctx, subject, field, o.value)] : [];
    case 'field-in': {
      const values = (o.values as unknown[]) ?? [];
      return field && values.length ? [setField(ctx, subject, field, values[values.length - 1], values)] : [];
    }
    case 'field-at-least':
      return field ? [setField(ctx, subject, field, o.min)] : [];
    case 'field-at-most':
      return field ? [setField(ctx, subject, field, o.max)] : [];
    case 'field-present': {
      const hint = field === 'backup' ? 'the id of the store that holds its backups' : field === 'audit_log' ? 'the id of a log of kind audit' : 'a value';
      return field ? [{ change: `declare \`${field}:\` (${hint}) on ${whatIs(ctx, subject)}`, ...located(at(ctx, subject)) }] : [];
    }
    case 'any-of': {
      // A check on `kind` selects what the target is; changing what a thing is called is no fix.
      const subs = ((o.checks as CheckSpec[]) ?? []).filter((c) => c.options?.field !== 'kind');
      const options = subs.flatMap((c) => changesForCheck(c, ctx, subject));
      return options.length > 1 ? [{ change: `any one of: ${options.map((c) => c.change).join('; or ')}`, ...located(at(ctx, subject)) }] : options;
    }
    case 'all-of':
      return ((o.checks as CheckSpec[]) ?? []).filter((c) => !holds(c, f.evidence, subject)).flatMap((c) => changesForCheck(c, ctx, subject));
    case 'referenced-node': {
      const ref = field ? declared(f.evidence, subject, field) : undefined;
      const inner = o.check as CheckSpec | undefined;
      if (typeof ref === 'string' && inner) {
        return [
          ...changesForCheck(inner, ctx, ref),
          ...(field ? [{ change: `or point \`${field}\` at another node that passes`, ...located(at(ctx, subject, field)) }] : []),
        ];
      }
      return [];
    }
    case 'declares-deidentification':
      return [
        {
          change: `on flow ${subject}, name how it was de-identified (\`deidentify: safe-harbor\`, or \`deidentify: { method: expert-determination, evidence: PATH }\`) or say why it carries no PHI (\`basis: "..."\`); or list the PHI it really carries in \`data\``,
          ...located(at(ctx, subject)),
        },
      ];
    case 'data-use-agreement': {
      const vendor = String(f.args.recipient ?? ctx.map.flows.find((x) => x.id === subject)?.to ?? '');
      return [
        {
          change: `on vendor ${vendor}, declare \`dua: { status: signed, signed: YYYY-MM-DD, document: PATH }\` (the data use agreement)`,
          ...located(at(ctx, vendor)),
        },
      ];
    }
    case 'baa-in-force':
    case 'subcontractor-baa-in-force': {
      const status = declared(f.evidence, subject, 'baa.status');
      const expires = declared(f.evidence, subject, 'baa.expires');
      const terminated = declared(f.evidence, subject, 'baa.terminated');
      const out: Change[] = [];
      if (typeof terminated === 'string' && terminated <= ctx.asOf) {
        out.push({
          change: `the BAA with ${subject} was terminated on ${terminated}: sign a new one, or stop sending it PHI`,
          ...located(at(ctx, subject, 'baa.terminated')),
        });
      } else if (typeof expires === 'string' && expires < ctx.asOf) {
        out.push({
          change: `renew the BAA with ${subject} and set \`baa.expires\` to its new end date (it ended ${expires})`,
          ...located(at(ctx, subject, 'baa.expires')),
        });
      } else {
        out.push({
          change: `once the BAA is signed, set \`baa: { status: signed, signed: YYYY-MM-DD (on or before ${ctx.asOf}), document: PATH }\` on vendor ${subject}${status !== undefined ? ` (baa.status is ${yamlValue(status)} now)` : ''}`,
          ...located(at(ctx, subject, 'baa')),
        });
      }
      return out;
    }
    case 'baa-not-required-claim':
      return [
        {
          change: `on vendor ${subject}, set \`baa.status: signed\` with \`baa.signed\` and \`baa.document\` once signed; or, if it receives PHI only to treat the patient, \`role: treatment-provider\``,
          ...located(at(ctx, subject, 'baa.status')),
        },
      ];
    case 'baa-covers-hosting': {
      const node = ctx.map.nodes.get(subject);
      const hosting = node ? hostingOf(node) : undefined;
      const vendor = hosting?.vendor ?? String(f.args.vendor ?? '');
      const service = hosting?.service ?? String(f.args.service ?? '');
      return [
        {
          change: `once ${vendor}'s BAA covers ${service || 'the service'}, add \`${service}\` to \`baa.services\` on vendor ${vendor}`,
          ...located(at(ctx, vendor, 'baa.services')),
        },
        { change: `or host ${subject} on a service the BAA covers`, ...located(at(ctx, subject, 'hosting')) },
      ];
    }
    case 'hosting-eligible':
      return [
        {
          change: `host ${subject} on a HIPAA-eligible service (\`phi-audit catalog PROVIDER\` lists them), or correct the service name`,
          ...located(at(ctx, subject, 'hosting')),
        },
      ];
    case 'vendor-offers-baa':
      return [
        {
          change: `set \`plan:\` on vendor ${subject} to a plan that offers a BAA (\`phi-audit catalog ${subject}\` lists them) and sign it; or stop sending ${subject} PHI`,
          ...located(at(ctx, subject)),
        },
      ];
    case 'baa-disposition':
      return [
        {
          change: `set \`baa.disposition: returned\` (or destroyed, infeasible) on vendor ${subject}: what became of the PHI at termination`,
          ...located(at(ctx, subject, 'baa')),
        },
      ];
    case 'has-outgoing-flow': {
      const on = ((o.on as string[]) ?? ['error']).join(' or ');
      return [
        {
          change: `add the flows ${subject}'s failures take (\`- { from: ${subject}, to: LOG-OR-QUEUE, on: ${((o.on as string[]) ?? ['error'])[0]} }\`, on: ${on}), with \`data:\` and \`basis:\` where the PHI is really left out`,
          ...located(at(ctx, subject)),
        },
      ];
    }
    case 'backup-matches-source': {
      const backup = declared(f.evidence, subject, 'backup');
      const target = typeof backup === 'string' ? backup : (ctx.map.nodes.get(subject) && backupOf(ctx.map.nodes.get(subject)!)) || 'the backup store';
      return [{ change: `give ${target} at least the safeguards of ${subject} (encryption, key, public_access, access)`, ...located(at(ctx, String(target))) }];
    }
    case 'unsecured-phi': {
      const flow = ctx.map.flows.find((x) => x.id === subject);
      if (flow) return [setField(ctx, subject, 'tls', '1.3', ['1.2', '1.3'])];
      const out: Change[] = [];
      const enc = declared(f.evidence, subject, 'encryption.at_rest');
      if (!['aes-128', 'aes-192', 'aes-256'].includes(String(enc))) out.push(setField(ctx, subject, 'encryption.at_rest', 'aes-256'));
      if (declared(f.evidence, subject, 'public_access') !== 'blocked') out.push(setField(ctx, subject, 'public_access', 'blocked'));
      return out;
    }
    case 'access-lifecycle':
      return [
        {
          change: `set \`access.review_interval_days: ${o.max_review_days ?? 90}\` (or fewer) and \`access.deprovisioning: automated\` (or manual) on ${whatIs(ctx, subject)}`,
          ...located(at(ctx, subject, 'access')),
        },
      ];
    case 'audit-log-reviewed':
      return [
        {
          change: `set \`review: { method: alerting, interval_days: 7 }\` (method siem, alerting or manual; at most ${o.max_interval_days ?? 30} days) on log ${subject}`,
          ...located(at(ctx, subject, 'review')),
        },
      ];
    case 'risk-analysis-declared':
    case 'risk-analysis-current':
      return [
        {
          change: `set \`system.risk_analysis: { date: YYYY-MM-DD, document: PATH }\` to a risk analysis done within ${o.max_age_months ?? 12} months of ${ctx.asOf}`,
          ...systemAt(ctx),
        },
      ];
    case 'risk-analysis-covers':
      return [
        {
          change: `add ${subject} to \`system.risk_analysis.scope\` once the analysis covers it (or remove the scope if it covers the whole system)`,
          ...systemAt(ctx),
        },
      ];
    case 'incident-response-tested':
      return [
        {
          change: `set \`system.incident_response: { document: PATH, tested: YYYY-MM-DD }\`, tested within ${o.max_age_months ?? 12} months of ${ctx.asOf}`,
          ...systemAt(ctx),
        },
      ];
    case 'environment-allows-phi':
      return [
        {
          change: `move ${subject} to an environment with \`phi_allowed: true\`, or stop PHI reaching it (below)`,
          ...located(at(ctx, subject, 'environment')),
        },
      ];
    case 'phi-absent':
      return [
        {
          change: `stop PHI reaching ${subject} (below), or accept it deliberately and give ${subject} the safeguards of a PHI store`,
          ...located(at(ctx, subject)),
        },
      ];
    default:
      return [];
  }
}

function systemAt(ctx: ChangeContext): { location?: string } {
  return ctx.map.systemInfo ? { location: formatLocation(position(ctx.map.systemInfo.at)) } : {};
}

/** The last hop of the PHI path: where cutting the path clears a finding that exists because PHI reaches the target. */
function cutPath(ctx: ChangeContext, hops: readonly Hop[]): Change[] {
  const f = ctx.finding;
  if (f.target_type === 'flow') {
    if (f.phi.length === 0) return [];
    return [
      {
        change: `or make flow ${f.target} carry no PHI: list what it carries in \`data:\` with \`deidentify: safe-harbor\` (or expert-determination) or a \`basis:\`, or remove the flow`,
        ...located(at(ctx, f.target)),
      },
    ];
  }
  const last = hops[hops.length - 1];
  const via = last?.via;
  if (!via || hops.length < 2) return [];
  const from = hops[hops.length - 2]!.node;
  if (via.kind === 'flow') {
    return [
      {
        change: `or stop the PHI on flow ${via.flow}: give it \`data:\` without PHI classes plus \`deidentify: safe-harbor\` (or expert-determination) or a \`basis:\` saying why none is in it, or remove the flow`,
        ...located(via.location),
      },
    ];
  }
  const what = {
    backup: `the backup: ${from}'s \`backup:\``,
    hosting: `the hosting: ${from}'s \`hosting:\``,
    subprocessor: `the subprocessor: ${from}'s \`subprocessors:\``,
  }[via.kind];
  return [{ change: `or stop the PHI reaching ${last.node} through ${what}`, ...located(via.location) }];
}

/** The rules whose findings exist because PHI reaches the target: cutting the path clears them. */
function pathMatters(rule: LoadedRule): boolean {
  // The system's own paperwork is judged on whichever node holds PHI first: moving the PHI around is no fix.
  if (SYSTEM_CHECKS.has(rule.check.function)) return false;
  return rule.applies_to.phi !== 'any' || rule.check.function === 'phi-absent';
}

const SYSTEM_CHECKS = new Set(['risk-analysis-declared', 'risk-analysis-current', 'risk-analysis-covers', 'incident-response-tested']);

function smallestChange(ctx: ChangeContext, rule: LoadedRule, hops: readonly Hop[]): Change[] {
  const f = ctx.finding;
  const own = changesForCheck(rule.check, ctx, f.target);
  const changes = own.length > 0 ? own : [{ change: rule.remediation.trim(), ...located(formatLocation(f.location)) }];
  return pathMatters(rule) ? [...changes, ...cutPath(ctx, hops)] : changes;
}

// ---------------------------------------------------------------------------------------------------------------

function ruleOf(report: Report, id: string): ReportRule | undefined {
  return report.rules.find((r) => r.id === id);
}

/** Prose wrapped at 112 columns, each line indented. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > 112) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function render(e: Explanation): string {
  const t = escapeTerminal;
  const f = e.finding;
  const out: string[] = [];
  out.push(`${t(f.id)}  ${f.severity.toUpperCase()}${f.status === 'unknown' ? ' (not established)' : ''}  ${t(e.rule.title)}`);
  out.push(`  ${t(f.target_type)} ${t(f.target)} at ${t(formatLocation(f.location))}`);
  out.push(wrap(t(f.message), '  '));
  if (f.folded_under) out.push(`  folded under ${t(f.folded_under)}: it follows from that finding, which is fixed first`);
  out.push('', 'Why it matters');
  out.push(wrap(t(e.rule.rationale), '  '));
  out.push('', 'Citations');
  for (const c of e.rule.cite) out.push(`  ${t(c.text)}  ${t(c.standard)} (${t(c.implementation)})`);
  out.push('', 'PHI path, hop by hop');
  if (e.path.length === 0) out.push('  no PHI path: this rule judges the target whether or not PHI reaches it');
  e.path.forEach((h, i) => {
    const where = h.location ? `  ${t(h.location)}` : '';
    out.push(`  ${i + 1}. ${t(h.node)}${h.type ? ` (${t(h.type)})` : ''}${where}`);
    if (h.origin_data) out.push(`       PHI starts here: data [${h.origin_data.map(t).join(', ')}]`);
    const v = h.via;
    if (!v) return;
    if (v.kind === 'flow') {
      const declaredData = v.declared_data ? `declares data [${v.declared_data.map(t).join(', ')}]` : 'declares no data: carries everything its source holds';
      const deid = v.deidentify ? `, deidentify: ${t(v.deidentify)}` : '';
      const carries = v.carries_phi?.length ? `; carries PHI [${v.carries_phi.map(t).join(', ')}]` : '; carries no PHI';
      out.push(
        `       via flow ${t(v.flow ?? '')}${v.on && v.on !== 'normal' ? ` (on: ${t(v.on)})` : ''} at ${t(v.location ?? '')}: ${declaredData}${deid}${carries}`,
      );
    } else {
      out.push(`       via ${v.kind} at ${t(v.location ?? '')}: everything the previous node holds`);
    }
  });
  out.push('', 'Facts read');
  if (e.facts.length === 0) out.push('  none: the finding rests on the PHI path alone');
  for (const ev of e.facts) {
    const value = ev.value !== undefined ? ` = ${t(JSON.stringify(ev.value))}` : '';
    const observed = ev.observed !== undefined && ev.provenance !== 'declared' ? ` (observed ${t(JSON.stringify(ev.observed))})` : '';
    out.push(
      `  ${t(ev.subject)} ${t(ev.field)}${value}: ${t(ev.provenance)}${observed}${ev.source ? `, from ${t(ev.source)}` : ''}${ev.error ? ` (${t(ev.error)})` : ''}`,
    );
  }
  out.push('', 'Smallest change to clear it');
  for (const c of e.changes) out.push(`  - ${t(c.change)}${c.location ? `\n      at ${t(c.location)}` : ''}`);
  return `${out.join('\n')}\n`;
}

export async function explainCommand(findingId: string, paths: string[], flags: ExplainFlags): Promise<ExitCode> {
  const env = readEnv();
  if (env.problems.length > 0) return reportProblems(env.problems.map(([name, message]) => noPosition(name, message)));
  const cwd = process.cwd();
  let rules: LoadedRule[];
  try {
    rules = loadRules(flags.rules, { cwd });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return reportProblems(err.diagnostics);
  }
  // The same systems, found the same way, as `scan` with these paths (several phi-map.yaml roots, root found above).
  const result = await auditSystems({
    paths,
    cwd,
    onNotice: noticeOnStderr,
    limits: env.limits,
    loadedRules: rules,
    failOn: 'none',
    ...(flags.asOf !== undefined ? { asOf: flags.asOf } : {}),
  });
  if (!result.ok) return reportProblems(result.diagnostics);
  // The id as reports give it (RULE@TARGET); a rule id alone names that rule's finding when the scan has just one.
  const wanted = (f: ReportFinding) => f.id === findingId || (!findingId.includes('@') && f.rule === findingId);
  const matches = result.systems.flatMap((s) => s.report.findings.filter(wanted).map((f) => ({ system: s, finding: f })));
  if (matches.length !== 1) {
    const ids = result.systems.flatMap((s) => s.report.findings.map((f) => f.id));
    const hint = closest(findingId, ids);
    const systems = new Set(matches.map((m) => m.system));
    let message: string;
    if (matches.length > 1 && systems.size > 1 && matches.every((m) => m.finding.id === findingId)) {
      const names = [...systems].map((h) => `${h.name} (${h.root})`).join(', ');
      message = `more than one finding has this id in this scan: each of the systems ${names} has one: give that system's folder as the path`;
    } else if (matches.length > 1) {
      const listed = matches.slice(0, 10).map((m) => m.finding.id);
      message = `rule ${findingId} has ${matches.length} findings in this scan: name one, e.g. ${listed.join(', ')}${matches.length > listed.length ? ', ...' : ''}`;
    } else if (ids.length === 0) message = 'no finding with this id in this scan: this scan has no findings';
    else if (hint) message = `no finding with this id in this scan: did you mean "${hint}"?`;
    else message = 'no finding with this id in this scan: `phi-audit scan --format json` lists the finding ids';
    // The scan ran: only the id is wrong (or ambiguous), so no "nothing was checked".
    process.stderr.write(`${formatDiagnostic(noPosition(findingId, message))}\n`);
    return EXIT.input;
  }
  const report = matches[0]!.system.report;
  const finding = matches[0]!.finding;
  // The system's map again, from the files its report names, for the flows' declarations and the map's anchors.
  const map = loadMap(report.files, { cwd, limits: env.limits });
  const rule = rules.find((r) => r.id === finding.rule)!;
  const reportRule = ruleOf(report, finding.rule);
  const where = new FieldLocator(cwd);
  const hops = pathHops(finding, map, report, where);
  const ctx: ChangeContext = { finding, map, report, where, asOf: report.as_of };
  const explanation: Explanation = {
    finding,
    rule: {
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      rationale: rule.rationale.trim(),
      remediation: rule.remediation.trim(),
      cite: (reportRule?.cite ?? []).map((c) => ({ text: c.text, standard: c.standard, implementation: c.implementation })),
      file: rule.file,
    },
    path: hops,
    facts: finding.evidence,
    changes: smallestChange(ctx, rule, hops),
  };
  const text = flags.format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : render(explanation);
  emit([text], undefined, { what: 'report', inputs: report.files });
  return EXIT.clean;
}
