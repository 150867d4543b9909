/** Findings are data: wording beyond the rule's message, colour and layout belong to formatters. */
import type { Position } from '../source/positions.js';
import type { Severity } from '../rules/schema.js';

export type FindingStatus = 'fail' | 'unknown';
export type FindingTargetType = 'service' | 'store' | 'log' | 'vendor' | 'flow';

export interface Finding {
  /** Stable: RULE@TARGET */
  id: string;
  rule: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  cite: string[];
  target: string;
  target_type: FindingTargetType;
  message: string;
  /** Node ids from a PHI origin to the target (for flows: to the flow's target). Empty when no PHI reaches it. */
  path: string[];
  location: Position;
  remediation: string;
  /** PHI classes at the target (held, or carried by a flow). */
  phi: string[];
  /** `records` of the target when the map gives it. */
  records?: number;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Deterministic order: most severe first, then by target, then rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || cmp(a.target, b.target) || cmp(a.rule, b.rule);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
}

export interface ScanResult {
  tool: { name: string; version: string };
  as_of: string;
  system?: string | undefined;
  files: string[];
  summary: Summary;
  findings: Finding[];
}
