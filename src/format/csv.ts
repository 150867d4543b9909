/**
 * CSV, for a spreadsheet or a GRC tool: `csv` is the findings, one row each; `csv-matrix` is the safeguard matrix
 * (report/matrix.ts, the rows the gap report shows), one row per cited provision.
 *
 * RFC 4180: CRLF line ends, a header row, a field quoted when it holds a comma, quote, CR or LF, quotes doubled.
 * Control and bidi characters are shown as escapes (`\n`, `\u202e`) as in every report, so a row is one line.
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR) as a formula: such a cell is prefixed
 * with a single quote, as OWASP's CSV injection guidance recommends, so a map cannot plant a formula in the sheet.
 * Lists in one cell (citations, PHI classes, a PHI path) are joined with `; ` (a path with ` → `).
 */
import type { Formatter, ReportFinding, SafeguardRow } from '../report/model.js';
import { escapeTerminal } from '../source/escape.js';

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA = /^[=+\-@\t\r]/;

/** One CSV field: escaped, guarded against formulas, quoted when RFC 4180 requires it. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  let s = typeof value === 'number' ? String(value) : escapeTerminal(value);
  if (FORMULA.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (fields: readonly (string | number | undefined)[]): string => `${fields.map(csvField).join(',')}\r\n`;

const FINDING_COLUMNS = [
  'id',
  'rule',
  'title',
  'severity',
  'status',
  'target',
  'target_type',
  'file',
  'line',
  'column',
  'message',
  'phi_path',
  'phi',
  'records',
  'citations',
  'remediation',
  'folded_under',
  'accepted',
  'accepted_reason',
  'accepted_alternative',
  'accepted_owner',
  'accepted_expires',
  'accepted_ticket',
  'baseline',
] as const;

function findingRow(f: ReportFinding): string {
  const a = f.accepted;
  return row([
    f.id,
    f.rule,
    f.title,
    f.severity,
    f.status,
    f.target,
    f.target_type,
    f.location.file,
    f.location.line,
    f.location.column,
    f.message,
    f.phiPath.join(' → '),
    f.phi.join('; '),
    f.records,
    f.cite.join('; '),
    f.remediation,
    f.folded_under,
    a !== undefined ? 'yes' : 'no',
    a?.reason,
    a?.alternative,
    a?.owner,
    a?.expires,
    a?.ticket,
    f.baseline,
  ]);
}

/** The findings, one row each, in report order (most severe first). */
export const formatCsv: Formatter = function* (report) {
  let batch = row(FINDING_COLUMNS);
  for (const f of report.findings) {
    batch += findingRow(f);
    if (batch.length > 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  yield batch;
};

const MATRIX_COLUMNS = [
  'citation',
  'section',
  'standard',
  'implementation',
  'part',
  'family',
  'status',
  'rules',
  'checked',
  'passed',
  'failed',
  'unknown',
  'accepted',
  'folded',
  'open_findings',
  'accepted_findings',
  'alternatives',
] as const;

function matrixRow(r: SafeguardRow): string {
  return row([
    r.citation,
    r.section,
    r.standard,
    r.implementation,
    r.part,
    r.family,
    r.status,
    r.rules.join('; '),
    r.checked,
    r.passed,
    r.failed,
    r.unknown,
    r.accepted,
    r.folded,
    r.findings.join('; '),
    r.acceptedFindings.join('; '),
    r.alternatives.map((x) => `${x.finding}: ${x.alternative}`).join('; '),
  ]);
}

/** The safeguard matrix, one row per provision the rules cite, in the gap report's order. */
export const formatCsvMatrix: Formatter = function* (report) {
  yield row(MATRIX_COLUMNS) + report.matrix.map(matrixRow).join('');
};
