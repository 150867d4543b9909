/** SARIF 2.1.0 for GitHub code scanning (upload with github/codeql-action/upload-sarif). */
import type { Formatter, Report, Severity } from '../report/model.js';
import { escapeMarkdown, escapeMarkdownProse, escapeTerminal } from '../source/escape.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub ranks code-scanning alerts by this number (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low < 4.0).
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

export const formatSarif: Formatter = (report) => [formatSarifString(report)];

/**
 * Plain text as a SARIF viewer shows it: JSON escapes control characters but not bidi or C1 ones, which GitHub would
 * show raw, so those are shown as escapes (source/escape.ts), line breaks aside; and `[text](...)` is an embedded link
 * unless its brackets are escaped.
 */
function plain(s: string): string {
  const shown = s.includes('\n') ? s.split('\n').map(escapeTerminal).join('\n') : escapeTerminal(s);
  return BRACKET.test(shown) ? shown.replace(BRACKETS, (c) => `\\${c}`) : shown;
}
const BRACKET = /[[\]]/;
const BRACKETS = /[[\]]/g;

function formatSarifString(result: Report): string {
  const used = new Set(result.findings.map((f) => f.rule));
  const rules = result.rules.filter((r) => used.has(r.id));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: result.tool.name,
            version: result.tool.version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: plain(r.title) },
              fullDescription: { text: plain(r.rationale) },
              help: {
                text: plain(`${r.remediation}\n\nCitations: ${r.cite.map((c) => c.text).join(', ')}`),
                // GitHub renders this one as Markdown: the rule file's text is escaped as the Markdown report escapes it.
                markdown: `${escapeMarkdownProse(r.remediation)}\n\n**Citations:** ${r.cite.map((c) => escapeMarkdown(`${c.text} (${c.standard}, ${c.implementation})`)).join('; ')}`,
              },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['security', 'hipaa', 'phi'], 'security-severity': SECURITY_SEVERITY[r.severity] },
            })),
          },
        },
        automationDetails: { id: 'phi-audit/' },
        results: result.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule),
          // A finding folded under a root cause is shown as a note: the root cause is the alert.
          level: f.folded_under !== undefined ? 'note' : LEVEL[f.severity],
          kind: f.status === 'unknown' ? 'review' : 'fail',
          message: {
            text: plain(
              `${f.folded_under !== undefined ? `Follows from ${f.folded_under} (fix that first; not counted). ` : ''}${f.message}${f.phiPath.length > 1 ? ` PHI path: ${f.phiPath.join(' → ')}.` : ''}`,
            ),
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.location.file.split('\\').join('/') },
                region: { startLine: f.location.line, startColumn: f.location.column },
              },
              logicalLocations: [{ name: f.target, kind: f.target_type }],
            },
          ],
          partialFingerprints: { 'phiAudit/v1': f.id },
          properties: {
            severity: f.severity,
            status: f.status,
            cite: f.cite,
            path: f.phiPath,
            'security-severity': SECURITY_SEVERITY[f.severity],
            ...(f.folded_under !== undefined ? { folded_under: f.folded_under } : {}),
          },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
