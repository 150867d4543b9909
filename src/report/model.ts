/**
 * The report model: everything a formatter may know about a scan, and the only module formatters import. Rule
 * metadata once per rule, a graph view for diagrams and code flows, findings with their reasons, arguments and
 * evidence, outcome counts per rule including passes, and the summary.
 */

import type { LiveSummary } from '../enrich/enricher.js';
import type { Provenance } from '../enrich/facts.js';
import type { Evidence, FindingStatus, RuleOutcome } from '../evaluate/finding.js';
import { SEVERITIES, SEVERITY_RANK, type Severity, type TargetType } from '../rules/schema.js';
import { formatLocation } from '../source/diagnostics.js';
import type { Position } from '../source/positions.js';

export type { Evidence, FindingStatus, LiveSummary, Position, Provenance, RuleOutcome, Severity, TargetType };
export { formatLocation, SEVERITIES, SEVERITY_RANK };

export interface ReportCitation {
  /** `45 CFR 164.312(a)(1)` */
  readonly text: string;
  readonly regulation: string;
  readonly section: string;
  readonly standard: string;
  readonly implementation: 'standard' | 'required' | 'addressable' | 'implementation-specification' | 'definition' | 'provision';
}

export interface ReportRule {
  readonly id: string;
  readonly title: string;
  /** The rule's base severity. */
  readonly severity: Severity;
  /** Every severity a finding of this rule can have (the base and its escalations), most severe first. */
  readonly severities: readonly Severity[];
  readonly cite: readonly ReportCitation[];
  readonly rationale: string;
  readonly remediation: string;
  /** The rule file, as the user would name it. */
  readonly file: string;
  readonly builtin: boolean;
}

export interface ReportFinding {
  /** Stable: RULE@TARGET */
  readonly id: string;
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: FindingStatus;
  /** Citation texts, as `45 CFR 164.312(a)(1)`. */
  readonly cite: readonly string[];
  readonly target: string;
  readonly target_type: TargetType;
  readonly message: string;
  /** Node ids from a PHI origin to the target; empty when no PHI reaches it. */
  readonly phiPath: readonly string[];
  readonly location: Position;
  readonly remediation: string;
  readonly phi: readonly string[];
  readonly records?: number | undefined;
  readonly reason?: string | undefined;
  readonly args: Readonly<Record<string, string | number>>;
  readonly evidence: readonly Evidence[];
  /** The id of the root-cause finding this one follows from: shown under it, not counted, never blocking. */
  readonly folded_under?: string | undefined;
}

export interface GraphNode {
  readonly id: string;
  readonly type: Exclude<TargetType, 'flow'>;
  readonly kind?: string;
  readonly environment?: string;
  /** `aws/s3`, a SaaS vendor's id, or `self`. */
  readonly hosting?: string;
  /** PHI classes held (sorted). */
  readonly phi: readonly string[];
  readonly location: Position;
}

export interface GraphFlow {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly on: 'normal' | 'error' | 'retry' | 'debug';
  /** PHI classes carried (sorted). */
  readonly phi: readonly string[];
  readonly location: Position;
}

export interface ReportGraph {
  readonly nodes: readonly GraphNode[];
  readonly flows: readonly GraphFlow[];
}

export interface Summary {
  nodes: number;
  flows: number;
  phi_holders: number;
  phi_flows: number;
  rules: number;
  findings: number;
  by_severity: Record<Severity, number>;
  by_status: Record<FindingStatus, number>;
  fail_on: Severity | 'none';
  /** Findings at or above fail_on: a CI job fails when this is above zero. */
  blocking: number;
  /** Findings folded under a root cause: shown, and not in the counts above. */
  folded: number;
}

/**
 * A claim the result rests on and nothing checks: a de-identification method, a flow's `basis` for carrying no PHI, a
 * signed BAA with no document named. Listed for a reviewer (docs/map-format.md, "Assertions").
 */
export interface Assertion {
  readonly kind: 'deidentification' | 'basis' | 'baa-without-document';
  /** The flow or vendor the claim is about. */
  readonly subject: string;
  readonly claim: string;
  /** Where the claim's evidence is kept, when the map says. */
  readonly evidence?: string;
  readonly location: Position;
}

export interface Report {
  readonly tool: { readonly name: string; readonly version: string };
  readonly as_of: string;
  readonly system?: string | undefined;
  readonly files: readonly string[];
  /** Claims the result rests on, for review: nothing in the map or the account verifies them. */
  readonly assertions: readonly Assertion[];
  /** Every rule that ran, in the order they ran. */
  readonly rules: readonly ReportRule[];
  /** Every node and flow with its position and PHI; built when first read. */
  readonly graph: ReportGraph;
  /** Most severe first, then by target and rule. */
  readonly findings: readonly ReportFinding[];
  /** Per rule id. */
  readonly outcomes: Readonly<Record<string, RuleOutcome>>;
  readonly summary: Summary;
  /** After a live run (`scan --aws`, `--evidence`): accounts, times, calls, and the facts that could not be read. */
  readonly live?: LiveSummary;
}

export function isBlocking(severity: Severity, failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

export interface FormatOptions {
  /** ANSI colour, for a terminal that wants it. */
  readonly color: boolean;
}

/** Formatters are pure: report in, text out, as a sequence of pieces so a huge report never becomes one string. */
export type Formatter = (report: Report, options: FormatOptions) => Iterable<string>;
