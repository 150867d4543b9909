/**
 * Triage stage, after evaluation and before the report: where findings are marked, never deleted. Accepted risks
 * (an `accepted:` entry with its reason, owner and expiry) and baselines (fail only on new findings) belong here;
 * until they land, every finding passes through as it is.
 */
import type { Finding } from '../evaluate/finding.js';

export interface TriageInput {
  readonly findings: readonly Finding[];
}

export function triage(input: TriageInput): readonly Finding[] {
  return input.findings;
}
