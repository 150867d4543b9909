/** Exit codes, decided here and nowhere else (docs/map-format.md, "Exit codes"). */
import type { Report } from '../report/model.js';

export const EXIT = {
  /** Nothing at or above --fail-on. */
  clean: 0,
  /** At least one finding at or above --fail-on. */
  findings: 1,
  /** The map, a rule file or the command line is wrong. */
  input: 2,
  /** phi-audit's own bug. */
  internal: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitForReport(report: Report): ExitCode {
  return report.summary.blocking > 0 ? EXIT.findings : EXIT.clean;
}
