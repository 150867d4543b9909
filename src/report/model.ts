/**
 * The report model: everything a formatter may know about a scan, and the only module formatters import. Rule
 * metadata once per rule, a graph view for diagrams and code flows, findings with their reasons, arguments and
 * evidence, outcome counts per rule including passes, and the summary.
 *
 * Triage marks findings, never deletes them. A finding may carry `folded_under` (a root cause's id: shown, not
 * counted), `accepted` (a documented acceptance from the map's `accepted:` list that was active on `as_of`: shown,
 * counted in `summary.accepted`, never blocking) and, in a run with `--baseline`, `baseline: 'new' | 'existing'`
 * (only new findings block). `Report.accepted` lists every acceptance with its state (active, expired, stale) and
 * position; `Report.baseline` gives the baseline file and its new/existing counts and the ids of fixed findings.
 * `summary.blocking` already leaves out folded, accepted and existing findings: formatters never recompute it.
 * A run that stopped on input problems (exit 2) has no Report: it has a `ProblemReport` (the tool and the
 * diagnostics), which a format may render with its optional `ProblemFormatter` (format/registry.ts,
 * `loadProblemFormatter`) so a requested report file is still written. `FormatOptions` carries the presentation flags
 * (width, compact, quiet, SARIF category, source root); all but `color` are optional and a formatter may ignore them.
 */

import type { LiveSummary } from '../enrich/enricher.js';
import type { Provenance } from '../enrich/facts.js';
import type { AcceptanceTerms, Evidence, FindingAcceptance, FindingStatus, RuleOutcome } from '../evaluate/finding.js';
import { SEVERITIES, SEVERITY_RANK, type Severity, type TargetType } from '../rules/schema.js';
import { type Diagnostic, formatDiagnostic, formatLocation } from '../source/diagnostics.js';
import type { Position } from '../source/positions.js';
import type { RulePart, SafeguardFamily, SafeguardRow, SafeguardStatus } from './matrix.js';

export type {
  Diagnostic,
  Evidence,
  FindingAcceptance,
  FindingStatus,
  LiveSummary,
  Position,
  Provenance,
  RuleOutcome,
  RulePart,
  SafeguardFamily,
  SafeguardRow,
  SafeguardStatus,
  Severity,
  TargetType,
};
export { formatDiagnostic, formatLocation, SEVERITIES, SEVERITY_RANK };

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
  /** An active acceptance from the map's `accepted:` list: the finding is shown, marked, and never blocking. */
  readonly accepted?: FindingAcceptance | undefined;
  /** With `--baseline`: whether the baseline recorded this finding's id. Only new findings block. */
  readonly baseline?: 'new' | 'existing' | undefined;
}

/** One entry of the map's `accepted:` list and what became of it on `as_of`. */
export interface AcceptanceReport extends AcceptanceTerms {
  /** The `finding:` pattern, RULE@TARGET (TARGET may be a glob). */
  readonly finding: string;
  /** active: accepts the findings in `matches`; expired: `expires` is before as_of, accepts nothing (the findings it
   * names count again); stale: matches no finding of this run (fixed, renamed, or a typo). */
  readonly state: 'active' | 'expired' | 'stale';
  /** Finding ids matched: accepted when active, no longer accepted when expired; empty when stale. */
  readonly matches: readonly string[];
  readonly location: Position;
}

/** A run with `--baseline FILE`: counts of new and existing findings, and the recorded ids no finding has now. */
export interface BaselineReport {
  /** The baseline file, as the user named it. */
  readonly file: string;
  readonly new: number;
  readonly existing: number;
  /** Ids in the baseline that no finding of this run has (sorted). */
  readonly fixed: readonly string[];
}

/** A value the inventory shows, with where it came from (declared in the map, or read from an account). */
export interface InventoryValue {
  readonly value?: string | number | boolean | undefined;
  readonly provenance: Provenance;
}

/** A node that holds PHI, as the PHI inventory lists it: safeguard values as judged (live evidence when read). */
export interface InventoryEntry {
  readonly id: string;
  readonly type: Exclude<TargetType, 'flow'>;
  readonly kind?: string | undefined;
  readonly environment?: string | undefined;
  readonly hosting?: string | undefined;
  /** PHI classes held (sorted). */
  readonly phi: readonly string[];
  readonly records: InventoryValue;
  readonly encryption: InventoryValue;
  readonly key: InventoryValue;
  readonly audit_log: InventoryValue;
  readonly backup: InventoryValue;
  readonly location: Position;
}

/** How PHI reaches a vendor: a flow into it, a node it hosts, or a vendor whose subprocessor it is. */
export interface VendorReach {
  readonly via: 'flow' | 'hosting' | 'subprocessor';
  /** The flow id, the hosted node's id, or the parent vendor's id. */
  readonly id: string;
  /** PHI classes that arrive this way (sorted). */
  readonly phi: readonly string[];
}

/** A vendor as the BAA register lists it: its agreement as the map records it, and how PHI reaches it. */
export interface VendorEntry {
  readonly id: string;
  readonly role?: string | undefined;
  readonly description?: string | undefined;
  readonly plan?: string | undefined;
  readonly retains_data?: boolean | undefined;
  readonly baa?:
    | {
        readonly status: string;
        readonly signed?: string | undefined;
        readonly expires?: string | undefined;
        readonly terminated?: string | undefined;
        readonly disposition?: string | undefined;
        readonly breach_notice_days?: number | undefined;
        /** The services the BAA covers, when the map scopes it. */
        readonly services?: readonly string[] | undefined;
        readonly document?: string | undefined;
      }
    | undefined;
  readonly dua?: { readonly status: string; readonly signed?: string | undefined; readonly document?: string | undefined } | undefined;
  readonly subprocessors: readonly string[];
  /** Vendors that name this one among their subprocessors. */
  readonly subprocessor_of: readonly string[];
  /** PHI classes the vendor holds (sorted); empty when none reaches it. */
  readonly phi: readonly string[];
  /** The vendor sends PHI (a covered entity's feed, say). */
  readonly sends_phi: boolean;
  readonly reached_by: readonly VendorReach[];
  readonly location: Position;
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
  /** Findings under an active acceptance: in the counts above, never in `blocking`. */
  accepted: number;
  /** With `--min-severity`: the least severe shown, and how many findings (not folded) are not shown; counts above are of all. */
  min_severity?: Severity;
  hidden?: number;
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
  /** Every entry of the map's `accepted:` lists, in map order, with its state. */
  readonly accepted: readonly AcceptanceReport[];
  /** Present with `--baseline`. */
  readonly baseline?: BaselineReport | undefined;
  /** The safeguard matrix (report/matrix.ts): one row per cited provision; built when first read. */
  readonly matrix: readonly SafeguardRow[];
  /** Every vendor, in map order, for the BAA register; built when first read. */
  readonly vendors: readonly VendorEntry[];
  /** Every node that holds PHI, in map order, for the PHI inventory; built when first read. */
  readonly inventory: readonly InventoryEntry[];
}

/** A run that stopped on input problems (exit 2): nothing was checked; these are what the user must fix. */
export interface ProblemReport {
  readonly tool: { readonly name: string; readonly version: string };
  readonly diagnostics: readonly Diagnostic[];
}

export function isBlocking(severity: Severity, failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

export interface FormatOptions {
  /** ANSI colour, for a terminal that wants it. */
  readonly color: boolean;
  /** Gap report: the input files' SHA-256, as the CLI read them, so the report can stand as evidence. */
  readonly inputs?: readonly InputDigest[] | undefined;
  /** Gap report: when it was generated (ISO 8601); omitted for a reproducible file. */
  readonly generated?: string | undefined;
  /** Text: wrap at this many columns (a terminal's width); undefined = do not wrap (piped, or to a file). */
  readonly width?: number | undefined;
  /** Text: each rule's remediation once (at the end), not under every finding. */
  readonly compact?: boolean | undefined;
  /** Text: only the summary lines. */
  readonly quiet?: boolean | undefined;
  /** SARIF: `runs[].automationDetails.id` when given (`--sarif-category`); none otherwise. */
  readonly sarifCategory?: string | undefined;
  /** The folder report URIs are made relative to (the repository root); default: the working folder. */
  readonly srcRoot?: string | undefined;
  /** SARIF: the project's home page (package.json `homepage`), for `informationUri` and rules' `helpUri`; none when unknown. */
  readonly homepage?: string | undefined;
  /** SARIF: the most results a run holds (default GitHub's 25,000; PHI_AUDIT_SARIF_MAX_RESULTS). */
  readonly sarifMaxResults?: number | undefined;
  /** Told about what a format left out (SARIF results past the cap): the CLI prints it on stderr. */
  readonly onWarning?: ((message: string) => void) | undefined;
}

/** An input file's digest: its name as the report shows it, its size and the SHA-256 of its bytes. */
export interface InputDigest {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Formatters are pure: report in, text out, as a sequence of pieces so a huge report never becomes one string. */
export type Formatter = (report: Report, options: FormatOptions) => Iterable<string>;

/** How a format writes a run that stopped on input problems (exit 2), so a requested report file still exists. */
export type ProblemFormatter = (problems: ProblemReport, options: FormatOptions) => Iterable<string>;
