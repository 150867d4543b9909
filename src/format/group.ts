import type { Finding } from '../evaluate/finding.js';
import { compareFindings } from '../evaluate/finding.js';

export interface TargetGroup {
  target: string;
  findings: Finding[];
}

/** Findings grouped by target, worst group first; the order inside each group is the findings' own. */
export function groupByTarget(findings: readonly Finding[]): TargetGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort(compareFindings)) {
    const list = groups.get(f.target);
    if (list) list.push(f);
    else groups.set(f.target, [f]);
  }
  return [...groups.entries()].map(([target, list]) => ({ target, findings: list }));
}
