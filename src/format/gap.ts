/**
 * What the gap report says before any detail, worked out once for the HTML and Markdown reports: blocking findings,
 * PHI holders, vendors and their BAAs, records held unsecured (the breach-exposure findings' `records`), and what
 * changed since a baseline.
 */
import { type Report, type ReportFinding, SEVERITY_RANK, type Severity } from '../report/model.js';
import { type BaaGap, baaGap, baaGapText, blocks } from './diagram/view.js';

/** The rule whose findings are PHI held or sent unsecured (45 CFR 164.402): its targets and record counts. */
export const BREACH_RULE = 'breach-exposure';

export interface UnsecuredHolder {
  readonly target: string;
  readonly target_type: string;
  readonly records?: number | undefined;
  readonly status: 'fail' | 'unknown';
  readonly accepted: boolean;
}

export interface ExecutiveSummary {
  readonly blocking: number;
  /** Blocking findings per rule, most first: what to fix first. */
  readonly blockingByRule: readonly { readonly rule: string; readonly title: string; readonly severity: Severity; readonly targets: readonly string[] }[];
  readonly vendors: number;
  /** Vendors PHI reaches (held, sent, or reached by a flow, hosting or a parent vendor). */
  readonly vendorsWithPhi: number;
  readonly withoutBaa: readonly { readonly id: string; readonly gap: BaaGap; readonly text: string }[];
  /** Breach-exposure targets: PHI at rest or in transit that is not secured, or not established to be. */
  readonly unsecured: readonly UnsecuredHolder[];
  /** The largest single record count among them (individuals may appear in several places, so counts do not add). */
  readonly largestUnsecured?: number | undefined;
  readonly unsecuredWithoutCount: number;
}

function withoutBaa(report: Report): ExecutiveSummary['withoutBaa'] {
  const out: { id: string; gap: BaaGap; text: string }[] = [];
  for (const v of report.vendors) {
    const gap = baaGap(v, report.as_of);
    if (gap !== undefined) out.push({ id: v.id, gap, text: baaGapText(gap) });
  }
  return out;
}

export function executiveSummary(report: Report): ExecutiveSummary {
  const byRule = new Map<string, { rule: string; title: string; severity: Severity; targets: string[] }>();
  for (const f of report.findings) {
    if (!blocks(f, report.summary.fail_on)) continue;
    const entry = byRule.get(f.rule);
    if (entry) entry.targets.push(f.target);
    else byRule.set(f.rule, { rule: f.rule, title: f.title, severity: f.severity, targets: [f.target] });
  }
  const unsecured: UnsecuredHolder[] = report.findings
    .filter((f) => f.rule === BREACH_RULE && f.folded_under === undefined)
    .map((f) => ({ target: f.target, target_type: f.target_type, records: f.records, status: f.status, accepted: f.accepted !== undefined }));
  const counts = unsecured.flatMap((u) => (u.records !== undefined ? [u.records] : []));
  const vendorsWithPhi = report.vendors.filter((v) => v.phi.length > 0 || v.sends_phi || v.reached_by.length > 0).length;
  return {
    blocking: report.summary.blocking,
    blockingByRule: [...byRule.values()].sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.targets.length - a.targets.length || (a.rule < b.rule ? -1 : 1),
    ),
    vendors: report.vendors.length,
    vendorsWithPhi,
    withoutBaa: withoutBaa(report),
    unsecured,
    ...(counts.length > 0 ? { largestUnsecured: Math.max(...counts) } : {}),
    unsecuredWithoutCount: unsecured.length - counts.length,
  };
}

/** `4,200` */
export const count = (n: number): string => n.toLocaleString('en-US');

export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** A finding's state words beyond its status: folded, accepted, new or existing against a baseline. */
export function findingMarks(f: ReportFinding): string[] {
  const marks: string[] = [];
  if (f.folded_under !== undefined) marks.push(`folded under ${f.folded_under}, not counted`);
  if (f.accepted !== undefined) marks.push(`accepted${f.accepted.expires !== undefined ? ` until ${f.accepted.expires}` : ''}`);
  if (f.baseline !== undefined) marks.push(f.baseline === 'new' ? 'new since the baseline' : 'in the baseline');
  return marks;
}

/** The live run's details, when a live run put them on the report (`report.live`): key and value pairs, as text. */
export function liveEvidence(report: Report): { started?: string; finished?: string; entries: [string, string][] } | undefined {
  const live: unknown = (report as unknown as { live?: unknown }).live;
  if (live === null || typeof live !== 'object') return undefined;
  const entries: [string, string][] = [];
  const text = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));
  let started: string | undefined;
  let finished: string | undefined;
  for (const [k, v] of Object.entries(live)) {
    if (k === 'started' && typeof v === 'string') started = v;
    if (k === 'finished' && typeof v === 'string') finished = v;
    entries.push([k, text(v)]);
  }
  return { ...(started !== undefined ? { started } : {}), ...(finished !== undefined ? { finished } : {}), entries };
}

/** How big a map the HTML and Markdown reports still draw; larger maps get the PHI-only view, or a pointer to `graph`. */
export const DIAGRAM_MAX_NODES = 250;
