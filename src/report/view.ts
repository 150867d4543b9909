/**
 * What a report shows, apart from what it counts: `--min-severity` leaves less severe findings out of every format,
 * while the summary (and so the exit code) still counts every finding. A folded finding is shown with its root.
 */
import { type Report, type ReportFinding, SEVERITY_RANK, type Severity } from './model.js';

export function showAtLeast(report: Report, min: Severity): Report {
  const rank = SEVERITY_RANK[min];
  const shownIds = new Set<string>();
  const kept: ReportFinding[] = [];
  let hidden = 0;
  for (const f of report.findings) {
    if (f.folded_under !== undefined || SEVERITY_RANK[f.severity] >= rank) {
      if (f.folded_under === undefined) shownIds.add(f.id);
      kept.push(f);
    } else hidden++;
  }
  // A folded finding goes with its root: shown when the root is.
  const findings = kept.filter((f) => f.folded_under === undefined || shownIds.has(f.folded_under));
  // Everything else (graph, matrices, registers) is read through from the full report, built only when read.
  return Object.create(report, {
    findings: { value: findings, enumerable: true },
    summary: { value: { ...report.summary, min_severity: min, hidden }, enumerable: true },
  }) as Report;
}
