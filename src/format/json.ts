import type { Finding, ScanResult } from '../evaluate/finding.js';
import { citationText } from '../evaluate/evaluate.js';
import type { Formatter } from './index.js';

/**
 * PHI-MAP.md "Findings, as machines read them". The report is pretty-printed, with one finding per line (easy to
 * grep and diff, and quick to write for 300,000 findings). Each rule's remediation is given once, under `rules`,
 * rather than repeated in every finding. Findings are written in batches, never as one huge string.
 */
export const formatJson: Formatter = function* (result: ScanResult, ctx) {
  const fired = new Set(result.findings.map((f) => f.rule));
  const rules = Object.fromEntries(
    ctx.rules
      .filter((r) => fired.has(r.id))
      .map((r) => [r.id, { title: r.title, severity: r.severity, cite: r.cite.map(citationText), remediation: r.remediation.trim() }]),
  );
  const { findings, ...head } = result;
  const header = JSON.stringify({ ...head, rules, findings: [] }, null, 2);
  if (findings.length === 0) {
    yield `${header}\n`;
    return;
  }
  // The header ends with `"findings": []\n}`: open the list there and write one finding a line.
  yield `${header.slice(0, header.length - '[]\n}'.length)}[\n`;
  let batch = '';
  for (let i = 0; i < findings.length; i++) {
    const { remediation: _remediation, ...finding } = findings[i] as Finding;
    batch += `    ${JSON.stringify(finding)}${i + 1 < findings.length ? ',' : ''}\n`;
    if (batch.length > 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  yield `${batch}  ]\n}\n`;
};
