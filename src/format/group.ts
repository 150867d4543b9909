import type { ReportFinding } from '../report/model.js';

export interface TargetGroup {
  target: string;
  findings: ReportFinding[];
}

/** Findings grouped by target, in the report's order (most severe first), so the worst group comes first. */
export function groupByTarget(findings: readonly ReportFinding[]): TargetGroup[] {
  const groups = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    const list = groups.get(f.target);
    if (list) list.push(f);
    else groups.set(f.target, [f]);
  }
  return [...groups.entries()].map(([target, list]) => ({ target, findings: list }));
}
