/** Findings are data: wording beyond the rule's message, colour and layout belong to formatters. */
import type { Fact } from '../enrich/facts.js';
import type { Position } from '../source/positions.js';
import { SEVERITY_RANK, type Severity, type TargetType } from '../rules/schema.js';

export type FindingStatus = 'fail' | 'unknown';

export interface Finding {
  /** Stable: RULE@TARGET */
  id: string;
  rule: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  cite: string[];
  target: string;
  target_type: TargetType;
  message: string;
  /** Node ids from a PHI origin to the target (for flows: to the flow's target). Empty when no PHI reaches it. */
  phiPath: string[];
  location: Position;
  remediation: string;
  /** PHI classes at the target (held, or carried by a flow). */
  phi: string[];
  /** `records` of the target when the map gives it. */
  records?: number;
  /** The check's reason (which of the rule's messages), and the arguments the message was rendered from. */
  reason?: string;
  args: Record<string, string | number>;
  /** Every fact the rule read on this target, each once. */
  evidence: Fact[];
}

/** How one rule fared across the targets of its types. */
export interface RuleOutcome {
  pass: number;
  fail: number;
  unknown: number;
  not_applicable: number;
}

/** Deterministic order: most severe first, then by target, then rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || cmp(a.target, b.target) || cmp(a.rule, b.rule);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
